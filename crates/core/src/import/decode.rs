//! Bytes to text: BOMs, UTF-8, UTF-16, a Windows-1252 fallback for legacy files, and
//! the checks that refuse binary data. Line endings come out as `\n`; every other
//! character (curly quotes, dashes, accents) is kept exactly.

use crate::error::ImportRefusal;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// A label for the encoding found, stored with the article.
    pub encoding: &'static str,
}

/// Share of control characters above which a file is called binary.
const MAX_CONTROL_SHARE: f64 = 0.05;

pub fn decode(bytes: &[u8]) -> Result<Decoded, ImportRefusal> {
    decode_with(bytes, |bytes| mostly_utf8(bytes).unwrap_or_else(|| (decode_windows_1252(bytes), "windows-1252")))
}

/// Like [`decode`], for a web page: bytes that are not UTF-8 are read in the charset the
/// page declares (`<meta charset>` or an `http-equiv` content type, within its first
/// 4 KiB), else in the one chardetng guesses from the bytes, else Windows-1252.
pub fn decode_html(bytes: &[u8]) -> Result<Decoded, ImportRefusal> {
    decode_served_html(bytes, None)
}

/// [`decode_html`] for a page fetched from the web: the charset of the `Content-Type`
/// header (`header_charset`) comes before the page's own declaration.
pub fn decode_served_html(bytes: &[u8], header_charset: Option<&str>) -> Result<Decoded, ImportRefusal> {
    let from_header = header_charset.and_then(|label| encoding_rs::Encoding::for_label(label.trim().as_bytes()));
    decode_with(bytes, |bytes| {
        let declared = from_header.or_else(|| declared_charset(bytes));
        if declared.is_none_or(|e| e == encoding_rs::UTF_8) {
            if let Some(decoded) = mostly_utf8(bytes) {
                return decoded;
            }
        }
        // A page that declares UTF-8 and is far from it was saved in a legacy charset.
        let encoding = declared.filter(|e| *e != encoding_rs::UTF_8).unwrap_or_else(|| {
            let mut detector = chardetng::EncodingDetector::new();
            detector.feed(bytes, true);
            detector.guess(None, false)
        });
        // Windows-1252 keeps every byte visible.
        if encoding == encoding_rs::UTF_8 || encoding == encoding_rs::WINDOWS_1252 {
            return (decode_windows_1252(bytes), "windows-1252");
        }
        let (text, _, _) = encoding.decode(bytes);
        (text.into_owned(), encoding.name())
    })
}

/// [`decode`] for plain text served with a `Content-Type` charset: bytes that are not
/// UTF-8 are read in that charset (else Windows-1252).
pub fn decode_served_text(bytes: &[u8], header_charset: &str) -> Result<Decoded, ImportRefusal> {
    let from_header = encoding_rs::Encoding::for_label(header_charset.trim().as_bytes());
    decode_with(bytes, |bytes| match from_header {
        Some(encoding) if encoding != encoding_rs::UTF_8 && encoding != encoding_rs::WINDOWS_1252 => {
            let (text, _, _) = encoding.decode(bytes);
            (text.into_owned(), encoding.name())
        }
        Some(encoding) if encoding == encoding_rs::WINDOWS_1252 => (decode_windows_1252(bytes), "windows-1252"),
        _ => mostly_utf8(bytes).unwrap_or_else(|| (decode_windows_1252(bytes), "windows-1252")),
    })
}

/// The charset a page declares in `<meta charset=…>` or `<meta http-equiv=Content-Type
/// content="…; charset=…">` near its start, if encoding_rs knows the label.
fn declared_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(at) = lower[from..].windows(8).position(|w| w == b"charset=") {
        let start = from + at + 8;
        let value: Vec<u8> = lower[start..]
            .iter()
            .copied()
            .skip_while(|b| *b == b'"' || *b == b'\'' || *b == b' ')
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
            .collect();
        if let Some(encoding) = encoding_rs::Encoding::for_label(&value) {
            return Some(encoding);
        }
        from = start;
    }
    None
}

/// UTF-8 but for a few stray bytes (a page pasted together from two sources, a file cut
/// mid-character): read as UTF-8 with U+FFFD for each bad sequence, as a browser does,
/// instead of garbling every accent by reading it all as Windows-1252. The article keeps
/// its original bytes either way. "A few": at least ten valid non-ASCII characters for
/// each bad sequence.
fn mostly_utf8(bytes: &[u8]) -> Option<(String, &'static str)> {
    let (mut valid_non_ascii, mut invalid) = (0_usize, 0_usize);
    for chunk in bytes.utf8_chunks() {
        valid_non_ascii += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    (valid_non_ascii >= 10 * invalid.max(1))
        .then(|| (String::from_utf8_lossy(bytes).into_owned(), "utf-8, invalid bytes replaced"))
}

fn decode_with(bytes: &[u8], legacy: impl FnOnce(&[u8]) -> (String, &'static str)) -> Result<Decoded, ImportRefusal> {
    if bytes.is_empty() {
        return Err(ImportRefusal::Empty);
    }
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let text = std::str::from_utf8(rest).map_err(|e| ImportRefusal::BadEncoding {
            encoding: "UTF-8",
            detail: format!("invalid byte at offset {} after a UTF-8 byte-order mark", e.valid_up_to() + 3),
        })?;
        (text.to_owned(), "utf-8-bom")
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        (decode_utf16(rest, u16::from_le_bytes)?, "utf-16le")
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        (decode_utf16(rest, u16::from_be_bytes)?, "utf-16be")
    } else if bytes.contains(&0) {
        return Err(ImportRefusal::Binary("it contains NUL bytes"));
    } else {
        match std::str::from_utf8(bytes) {
            Ok(text) => (text.to_owned(), "utf-8"),
            Err(_) => legacy(bytes),
        }
    };
    if text.contains('\0') {
        return Err(ImportRefusal::Binary("it contains NUL characters"));
    }
    if control_share(&text) > MAX_CONTROL_SHARE {
        return Err(ImportRefusal::Binary("it is mostly control characters"));
    }
    Ok(Decoded { text: normalize_line_endings(&text), encoding })
}

fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, ImportRefusal> {
    if !bytes.len().is_multiple_of(2) {
        return Err(ImportRefusal::BadEncoding {
            encoding: "UTF-16",
            detail: "odd number of bytes after the byte-order mark".to_owned(),
        });
    }
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    char::decode_utf16(units)
        .enumerate()
        .map(|(i, c)| {
            c.map_err(|_| ImportRefusal::BadEncoding {
                encoding: "UTF-16",
                detail: format!("unpaired surrogate at byte offset {}", i * 2 + 2),
            })
        })
        .collect()
}

/// Windows-1252, the superset of Latin-1 that legacy Western text is nearly always in.
/// The five bytes it leaves undefined map to the C1 code points, as WHATWG does.
fn decode_windows_1252(bytes: &[u8]) -> String {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}', '\u{90}', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
    ];
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => HIGH[(b - 0x80) as usize],
            _ => b as char,
        })
        .collect()
}

fn control_share(text: &str) -> f64 {
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars() {
        total += 1;
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{0C}') {
            control += 1;
        }
    }
    if total == 0 {
        0.0
    } else {
        control as f64 / total as f64
    }
}

fn normalize_line_endings(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_owned();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_pages_are_read_in_their_declared_or_detected_charset() {
        let (gbk, _, _) = encoding_rs::GBK.encode(
            "<html><head><meta charset=\"gbk\"><title>新闻</title></head><body><p>人工智能迈上新台阶</p></body></html>",
        );
        let decoded = decode_html(&gbk).unwrap();
        assert_eq!(decoded.encoding, "GBK");
        assert!(decoded.text.contains("人工智能迈上新台阶"), "{}", decoded.text);

        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\"><p>公衆無線LANを安全に使う</p>",
        );
        assert!(decode_html(&sjis).unwrap().text.contains("公衆無線LANを安全に使う"));

        // Undeclared: detected from the bytes.
        let (koi, _, _) = encoding_rs::KOI8_R
            .encode("<p>Министерство заявило, что расходы выросли на двенадцать процентов в прошлом году.</p>");
        let decoded = decode_html(&koi).unwrap();
        assert!(decoded.text.contains("Министерство"), "{} {}", decoded.encoding, decoded.text);

        // Declared only in the HTTP header.
        let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode("<p>Росстат сообщил о росте цен</p>");
        assert!(decode_html(&cp1251).is_ok());
        let decoded = decode_served_html(&cp1251, Some("windows-1251")).unwrap();
        assert_eq!((decoded.encoding, decoded.text.as_str()), ("windows-1251", "<p>Росстат сообщил о росте цен</p>"));

        // Valid UTF-8 wins over a stale declaration (a page saved by a browser).
        let decoded = decode_html("<meta charset=gbk><p>café</p>".as_bytes()).unwrap();
        assert_eq!((decoded.encoding, decoded.text.contains("café")), ("utf-8", true));
    }

    /// One stray byte in a UTF-8 page no longer turns every accent into two Windows-1252
    /// characters: it becomes U+FFFD, as in a browser. A page that declares UTF-8 but is
    /// nearly all legacy bytes is still read in the charset its bytes suggest.
    #[test]
    fn a_few_stray_bytes_in_utf8_are_replaced_not_reinterpreted() {
        let page = [
            "<meta charset=\"UTF-8\"><p>Sprzeciw wobec ataków na Fundację; Kraków, Łódź, Gdańsk, Poznań, Wrocław, Białystok, Zielona Góra.</p>".as_bytes(),
            b"<p>cut \xC3 here</p>",
        ]
        .concat();
        let decoded = decode_html(&page).unwrap();
        assert_eq!(decoded.encoding, "utf-8, invalid bytes replaced");
        assert!(
            decoded.text.contains("ataków na Fundację; Kraków, Łódź") && decoded.text.contains("cut \u{FFFD} here")
        );
        // Plain text and a page served as UTF-8 read the same way.
        assert!(decode(&page).unwrap().text.contains("Fundację"));
        assert!(decode_served_html(&page, Some("utf-8")).unwrap().text.contains("Fundację"));

        let (latin2, _, _) = encoding_rs::ISO_8859_2.encode(
            "<p>Ziemniaki na szóstej, surówka na dziesiątej. Ministerstwo zdrowia zaleca, żeby dzieci jadły więcej warzyw.</p>",
        );
        let mislabelled = [b"<meta charset=\"utf-8\">".as_slice(), &latin2].concat();
        let decoded = decode_html(&mislabelled).unwrap();
        assert!(decoded.text.contains("surówka na dziesiątej"), "{} {}", decoded.encoding, decoded.text);
        // Too few valid characters to call it UTF-8: Windows-1252 as before.
        assert_eq!(ok(b"S\xE3o Paulo \xC3\xA9").encoding, "windows-1252");
    }

    fn ok(bytes: &[u8]) -> Decoded {
        decode(bytes).unwrap()
    }

    #[test]
    fn encodings_decode_to_the_same_text() {
        let expected = "“Déjà vu” — 5 €\nnext";
        let utf16le: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain(expected.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let utf16be: Vec<u8> =
            [0xFE, 0xFF].into_iter().chain(expected.encode_utf16().flat_map(u16::to_be_bytes)).collect();
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (expected.as_bytes().to_vec(), "utf-8"),
            ([b"\xEF\xBB\xBF".as_slice(), expected.as_bytes()].concat(), "utf-8-bom"),
            (utf16le, "utf-16le"),
            (utf16be, "utf-16be"),
            (b"\x93D\xE9j\xE0 vu\x94 \x97 5 \x80\r\nnext".to_vec(), "windows-1252"),
        ];
        for (bytes, encoding) in cases {
            let decoded = ok(&bytes);
            assert_eq!(decoded.text, expected, "{encoding}");
            assert_eq!(decoded.encoding, encoding);
        }
    }

    #[test]
    fn latin1_letters_survive_the_fallback() {
        assert_eq!(ok(b"S\xE3o Paulo, Z\xFCrich, \xC5land").text, "São Paulo, Zürich, Åland");
    }

    #[test]
    fn line_endings_are_normalized() {
        assert_eq!(ok(b"a\r\nb\rc\n").text, "a\nb\nc\n");
    }

    #[test]
    fn binary_and_broken_input_is_refused() {
        assert_eq!(decode(b""), Err(ImportRefusal::Empty));
        assert!(matches!(decode(b"PK\x03\x04\x00\x00"), Err(ImportRefusal::Binary(_))));
        let controls: Vec<u8> = (0..200u8).map(|i| if i % 4 == 0 { 0x01 } else { b'a' }).collect();
        assert!(matches!(decode(&controls), Err(ImportRefusal::Binary(_))));
        assert!(matches!(decode(b"\xFF\xFEa"), Err(ImportRefusal::BadEncoding { .. })));
        assert!(matches!(decode(b"\xFF\xFE\x00\xD8a\x00"), Err(ImportRefusal::BadEncoding { .. })));
        assert!(matches!(decode(b"\xEF\xBB\xBFok \xFF"), Err(ImportRefusal::BadEncoding { .. })));
    }
}
