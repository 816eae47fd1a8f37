//! From a file on disk to an article ready to store: size and type checks, decoding,
//! format detection, metadata and canonical text. Nothing here touches the database;
//! a refusal here means nothing is written.

mod date;
mod decode;
pub mod html;
mod markdown;
mod text;

use std::fmt;
use std::io::Read;
use std::path::Path;
use std::str::FromStr;

use sha2::{Digest, Sha256};

pub use date::parse_date;
pub use decode::{decode, decode_html, decode_served_html, decode_served_text, Decoded};

use crate::error::ImportRefusal;
use crate::{Error, Result};

/// Largest file `import` accepts: far above any article, small enough to keep in memory.
pub const MAX_IMPORT_BYTES: u64 = 20 * 1024 * 1024;

/// The format asked for on import; `Auto` decides by file name and content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Auto,
    Text,
    Markdown,
    Html,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Auto => "auto",
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(Format::Auto),
            "text" | "txt" => Ok(Format::Text),
            "markdown" | "md" => Ok(Format::Markdown),
            "html" | "htm" => Ok(Format::Html),
            _ => Err(Error::invalid("format", format!("{s:?} is not one of auto, text, markdown, html"))),
        }
    }
}

/// Metadata and canonical text read from an article's text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedArticle {
    /// Empty when the text has no recognizable title; the importer fills one in.
    pub title: String,
    pub outlet: Option<String>,
    pub author: Option<String>,
    pub dateline: Option<String>,
    pub published: Option<String>,
    pub url: Option<String>,
    /// Paragraphs separated by a blank line. Claim offsets index this text.
    pub text: String,
}

/// Longest title, outlet, author or dateline kept from a file; longer ones are cut (with
/// `…`): a page's metadata is not the place for a 120 KB title.
pub const MAX_METADATA_CHARS: usize = 1_000;

impl ParsedArticle {
    /// Metadata within bounds: over-long fields cut, an over-long URL dropped.
    fn bound_metadata(&mut self) {
        let cut = |value: &mut String| {
            if value.chars().count() > MAX_METADATA_CHARS {
                let kept: String = value.chars().take(MAX_METADATA_CHARS - 1).collect();
                *value = format!("{}…", kept.trim_end());
            }
        };
        cut(&mut self.title);
        for value in [&mut self.outlet, &mut self.author, &mut self.dateline].into_iter().flatten() {
            cut(value);
        }
        if self.url.as_ref().is_some_and(|url| url.len() > crate::url::MAX_URL_BYTES) {
            self.url = None;
        }
    }

    fn replace_unsafe_controls(&mut self) {
        let clean = |value: &mut String| {
            if let std::borrow::Cow::Owned(clean) = crate::text::replace_unsafe_controls(value) {
                *value = clean;
            }
        };
        clean(&mut self.title);
        clean(&mut self.text);
        for value in [&mut self.outlet, &mut self.author, &mut self.dateline, &mut self.published, &mut self.url]
            .into_iter()
            .flatten()
        {
            clean(value);
        }
    }
}

/// An article ready to be stored: the original bytes and what was read from them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedArticle {
    pub file_name: String,
    pub format: Format,
    pub encoding: &'static str,
    pub sha256: String,
    pub original: Vec<u8>,
    pub parsed: ParsedArticle,
    pub word_count: u64,
}

/// Reads a file for import, refusing missing files, directories and oversized files
/// before reading them whole.
pub fn read_file(path: &Path) -> Result<Vec<u8>> {
    let refuse = |reason| Error::Import { path: path.to_owned(), reason };
    let metadata = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => refuse(ImportRefusal::Missing),
        _ => refuse(ImportRefusal::Unreadable(e.to_string())),
    })?;
    if metadata.is_dir() {
        return Err(refuse(ImportRefusal::Directory));
    }
    // Checked before opening: opening a FIFO for reading blocks until a writer comes.
    if !metadata.is_file() {
        return Err(refuse(ImportRefusal::NotRegularFile));
    }
    if metadata.len() > MAX_IMPORT_BYTES {
        return Err(refuse(ImportRefusal::TooLarge { size: metadata.len(), limit: MAX_IMPORT_BYTES }));
    }
    let file = std::fs::File::open(path).map_err(|e| refuse(ImportRefusal::Unreadable(e.to_string())))?;
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    // The size can change between stat and read (a growing file, a FIFO): cap the read.
    file.take(MAX_IMPORT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| refuse(ImportRefusal::Unreadable(e.to_string())))?;
    if bytes.len() as u64 > MAX_IMPORT_BYTES {
        return Err(refuse(ImportRefusal::TooLarge { size: bytes.len() as u64, limit: MAX_IMPORT_BYTES }));
    }
    Ok(bytes)
}

/// Decodes and parses `bytes` named `file_name` (used for format detection and as the
/// title of last resort).
pub fn prepare(file_name: &str, bytes: Vec<u8>, format: Format) -> Result<PreparedArticle, ImportRefusal> {
    prepare_with_charset(file_name, bytes, format, None)
}

/// [`prepare`] for bytes served with a `Content-Type` charset (a fetched page): the
/// header's charset is read before the page's own declaration.
pub fn prepare_with_charset(
    file_name: &str,
    bytes: Vec<u8>,
    format: Format,
    header_charset: Option<&str>,
) -> Result<PreparedArticle, ImportRefusal> {
    if bytes.len() as u64 > MAX_IMPORT_BYTES {
        return Err(ImportRefusal::TooLarge { size: bytes.len() as u64, limit: MAX_IMPORT_BYTES });
    }
    let looks_like_html = match format {
        Format::Html => true,
        Format::Auto => is_html_name(file_name) || starts_like_html(&bytes),
        _ => false,
    };
    let Decoded { text, encoding } = match (looks_like_html, header_charset) {
        (true, charset) => decode_served_html(&bytes, charset)?,
        (false, Some(charset)) if !charset.eq_ignore_ascii_case("utf-8") => decode_served_text(&bytes, charset)?,
        (false, _) => decode(&bytes)?,
    };
    if text.trim().is_empty() {
        return Err(ImportRefusal::WhitespaceOnly);
    }
    let format = match format {
        Format::Auto => detect_format(file_name, &text),
        chosen => chosen,
    };
    let mut parsed = match format {
        Format::Text | Format::Auto => text::parse(&text),
        Format::Markdown => markdown::parse(&text),
        Format::Html => html::parse(&text)?,
    };
    if parsed.text.trim().is_empty() {
        return Err(ImportRefusal::NoText(match format {
            Format::Markdown => "removing Markdown markup",
            Format::Html => "removing the page around the article",
            _ => "reading its metadata",
        }));
    }
    if parsed.title.is_empty() {
        parsed.title = fallback_title(&parsed.text, file_name);
    }
    // The byte checks ran before decoding; entities (`&#27;`) and escapes can still have
    // produced control characters, which are never stored.
    parsed.replace_unsafe_controls();
    parsed.bound_metadata();
    let word_count = count_words(&parsed.text);
    Ok(PreparedArticle {
        file_name: file_name.to_owned(),
        format,
        encoding,
        sha256: sha256_hex(&bytes),
        original: bytes,
        parsed,
        word_count,
    })
}

fn is_html_name(file_name: &str) -> bool {
    let extension = Path::new(file_name).extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    matches!(extension.as_deref(), Some("html" | "htm" | "xhtml"))
}

/// `<!doctype html` or `<html` at the start of the bytes (after a BOM and whitespace).
fn starts_like_html(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    let head: Vec<u8> = bytes[start..].iter().take(14).map(u8::to_ascii_lowercase).collect();
    head.starts_with(b"<!doctype html") || head.starts_with(b"<html")
}

fn detect_format(file_name: &str, text: &str) -> Format {
    let extension = Path::new(file_name).extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("md" | "markdown" | "mdown" | "mkd") => return Format::Markdown,
        Some("html" | "htm" | "xhtml") => return Format::Html,
        _ => {}
    }
    let head: String = text.trim_start().chars().take(64).collect::<String>().to_ascii_lowercase();
    if head.starts_with("<!doctype html") || head.starts_with("<html") {
        Format::Html
    } else if text.starts_with("---\n") && text[4..].contains("\n---") {
        Format::Markdown
    } else {
        Format::Text
    }
}

/// The first sentence (cut at a word near 100 characters), else the file name.
fn fallback_title(text: &str, file_name: &str) -> String {
    const LIMIT: usize = 100;
    let first_line = text.lines().next().unwrap_or("").trim();
    let sentence_end = first_line.find(". ").map_or(first_line.len(), |i| i + 1);
    let sentence = &first_line[..sentence_end];
    if sentence.is_empty() {
        return Path::new(file_name).file_stem().and_then(|s| s.to_str()).unwrap_or("Untitled").to_owned();
    }
    if sentence.chars().count() <= LIMIT {
        return sentence.to_owned();
    }
    let cut: String = sentence.chars().take(LIMIT).collect();
    let at_word = cut.rfind(' ').map_or(cut.as_str(), |i| &cut[..i]);
    format!("{}…", at_word.trim_end_matches([',', ';', ':']))
}

pub(crate) fn join_paragraphs(paragraphs: impl IntoIterator<Item = String>) -> String {
    paragraphs.into_iter().collect::<Vec<_>>().join("\n\n")
}

/// Words are whitespace-separated runs holding at least one letter or digit.
pub fn count_words(text: &str) -> u64 {
    text.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count() as u64
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    crate::history::hex(&Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_detection_by_name_then_content() {
        assert_eq!(detect_format("a.md", "x"), Format::Markdown);
        assert_eq!(detect_format("a.HTM", "x"), Format::Html);
        assert_eq!(detect_format("a.txt", "  <!DOCTYPE html><p>"), Format::Html);
        assert_eq!(detect_format("notes", "---\ntitle: x\n---\nbody"), Format::Markdown);
        assert_eq!(detect_format("a.txt", "Title\nbody"), Format::Text);
    }

    #[test]
    fn refusals_name_the_reason() {
        assert_eq!(prepare("e.txt", Vec::new(), Format::Auto), Err(ImportRefusal::Empty));
        assert_eq!(prepare("w.txt", b" \n\t\r\n ".to_vec(), Format::Auto), Err(ImportRefusal::WhitespaceOnly));
        assert_eq!(
            prepare("p.html", b"<nav>menu</nav>".to_vec(), Format::Auto),
            Err(ImportRefusal::NoText("removing the page around the article"))
        );
        assert!(matches!(prepare("b.bin", vec![0, 1, 2, 3], Format::Auto), Err(ImportRefusal::Binary(_))));
        assert_eq!(
            prepare("m.md", b"<div>only html</div>\n".to_vec(), Format::Auto),
            Err(ImportRefusal::NoText("removing Markdown markup"))
        );
    }

    #[test]
    fn titles_fall_back_to_the_first_sentence_then_the_file_name() {
        let long = format!("{} end. Next sentence.", "word ".repeat(40));
        let prepared = prepare("long.txt", long.into_bytes(), Format::Auto).unwrap();
        assert!(prepared.parsed.title.ends_with('…'), "{}", prepared.parsed.title);
        assert!(prepared.parsed.title.chars().count() <= 101);
        assert_eq!(fallback_title("", "notes.txt"), "notes");
        assert_eq!(fallback_title("Short one. Then more", "x"), "Short one.");
    }

    #[test]
    fn the_same_bytes_hash_the_same() {
        let a = prepare("a.txt", b"Title\nBody.".to_vec(), Format::Auto).unwrap();
        let b = prepare("b.txt", b"Title\nBody.".to_vec(), Format::Auto).unwrap();
        assert_eq!(a.sha256, b.sha256);
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(a.parsed.text, "Body.");
        assert_eq!(a.word_count, 1);
    }
}
