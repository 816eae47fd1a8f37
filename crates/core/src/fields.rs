//! What people type into the ledger, checked once before it is stored: trimmed, empty
//! meaning absent, within a length limit, and free of control characters (a single-line
//! field also of line breaks). The limits are far above real use and keep one field from
//! filling a report or the window.

use crate::text::is_unsafe_control;
use crate::{Error, Result};

/// A field's name (as error messages say it), its limit, and whether it may hold lines.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field {
    pub name: &'static str,
    pub max_chars: usize,
    pub multiline: bool,
}

pub(crate) const ACTOR: Field = Field { name: "actor", max_chars: 200, multiline: false };
pub(crate) const CLAIMANT: Field = Field { name: "claimant", max_chars: 500, multiline: false };
pub(crate) const NOTE: Field = Field { name: "note", max_chars: 20_000, multiline: true };
pub(crate) const EXCERPT: Field = Field { name: "excerpt", max_chars: 20_000, multiline: true };
pub(crate) const SOURCE_TITLE: Field = Field { name: "title", max_chars: 1_000, multiline: false };
/// An evidence file's name as it arrives from another desk (a file system allows 255).
pub(crate) const FILE_NAME: Field = Field { name: "file name", max_chars: 255, multiline: false };

impl Field {
    /// The value trimmed, `None` when empty; an error naming the field when it is too long
    /// or holds a control character.
    pub(crate) fn check(self, value: Option<String>) -> Result<Option<String>> {
        // Pasted text keeps its lines, whatever their ends were; a lone CR would overwrite
        // a terminal line.
        let value = value.map(|v| if self.multiline { v.replace("\r\n", "\n").replace('\r', "\n") } else { v });
        let Some(value) = value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()) else {
            return Ok(None);
        };
        let length = value.chars().count();
        if length > self.max_chars {
            return Err(Error::invalid(
                self.name,
                format!("{length} characters, more than the {} allowed", self.max_chars),
            ));
        }
        let forbidden = |c: char| is_unsafe_control(c) || (!self.multiline && (c == '\n' || c == '\t'));
        if let Some(c) = value.chars().find(|&c| forbidden(c)) {
            let what =
                if c == '\n' { "a line break".to_owned() } else { format!("the control character U+{:04X}", c as u32) };
            return Err(Error::invalid(self.name, format!("contains {what}, which is not allowed here")));
        }
        Ok(Some(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_trimmed_bounded_and_free_of_controls() {
        assert_eq!(CLAIMANT.check(Some("  Port director ".into())).unwrap().as_deref(), Some("Port director"));
        assert_eq!(CLAIMANT.check(Some("   ".into())).unwrap(), None);
        assert_eq!(NOTE.check(Some("line one\nline two".into())).unwrap().as_deref(), Some("line one\nline two"));
        for bad in ["a\u{1b}[2J", "two\nlines", "x\u{9b}y", "del\u{7f}"] {
            let error = CLAIMANT.check(Some(bad.into())).unwrap_err().one_line();
            assert!(error.starts_with("claimant: contains"), "{bad:?}: {error}");
        }
        assert!(NOTE.check(Some("a\u{1b}b".into())).is_err());
        let long = "x".repeat(501);
        assert!(CLAIMANT.check(Some(long)).unwrap_err().one_line().contains("501 characters, more than the 500"));
    }
}
