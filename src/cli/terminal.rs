//! The one sanitizer for the terminal: every line the CLI prints (tables, descriptions,
//! notes, errors) goes through `visible`, so text from an article, a web page or another
//! user can never move the cursor, clear the screen, set the window title or reorder what
//! a reader sees. Control characters and bidi controls are shown as `<U+001B>`; newlines
//! and tabs stay.

use std::borrow::Cow;

use factdesk_core::text::{is_bidi_control, is_unsafe_control};

/// `text` with control and bidi characters made visible. A CRLF line end stays as it is.
pub fn visible(text: &str) -> Cow<'_, str> {
    let unsafe_at = |i: usize, c: char| {
        (is_unsafe_control(c) && !(c == '\r' && text[i + 1..].starts_with('\n'))) || is_bidi_control(c)
    };
    if !text.char_indices().any(|(i, c)| unsafe_at(i, c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (i, c) in text.char_indices() {
        if unsafe_at(i, c) {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Writes one line to stderr, made visible.
pub fn eprint_line(line: &str) {
    eprintln!("{}", visible(line));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_overrides_are_shown_not_obeyed() {
        let shown = visible("Title\u{1b}[2J\u{1b}]0;pwned\u{7} Invoice \u{202E}fdp.exe \u{9b}31m");
        assert!(!shown.contains(|c: char| is_unsafe_control(c) || is_bidi_control(c)), "{shown:?}");
        assert!(shown.contains("<U+001B>[2J") && shown.contains("<U+202E>fdp.exe") && shown.contains("<U+009B>"));
        assert_eq!(visible("two\nlines\tand a tab\r\n"), "two\nlines\tand a tab\r\n");
        assert_eq!(visible("a\rb"), "a<U+000D>b", "a lone carriage return would overwrite the line");
    }
}
