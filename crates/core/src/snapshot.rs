//! What a capture brought back and how it is kept: [`Capture`] is the exchange as the
//! `factdesk-capture` crate received it; [`Capture::to_warc`] turns it into the WARC
//! `request` and `response` records the library stores; [`readable_text`] is the text a
//! person reads in the snapshot panel. Evidence files ([`media_type_of`]) live here too:
//! both are bytes kept exactly, by hash, in the library file.

use chrono::{DateTime, SecondsFormat, Utc};

use crate::import::{self, Format};
use crate::warc::{http_payload, read_records, record_id, warc_digest, write_record};

/// Largest evidence file `evidence add --file` keeps.
pub const MAX_FILE_BYTES: u64 = 100 * 1024 * 1024;

/// One HTTP exchange as received: the request as sent, the response head as received,
/// the body after transfer decoding (chunked) but before content decoding (gzip), and
/// the body content-decoded. Built by the capture crate; the library only stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capture {
    /// The URL asked for.
    pub url: String,
    /// The URL of the response kept, after redirects.
    pub final_url: String,
    pub status: u16,
    /// `GET /path HTTP/1.1` and the request's fields, ending in a blank line.
    pub request_head: Vec<u8>,
    /// The status line and the response's fields, ending in a blank line.
    pub response_head: Vec<u8>,
    /// The body as it came over the wire (still gzip-compressed if the server sent it so).
    pub payload: Vec<u8>,
    /// The body a reader sees: `payload` with its content coding removed.
    pub content: Vec<u8>,
    pub content_type: Option<String>,
    /// The charset the `Content-Type` header names, if any.
    pub charset: Option<String>,
    pub fetched_at: DateTime<Utc>,
    /// The address the response came from.
    pub ip_address: Option<String>,
}

impl Capture {
    pub fn fetched_at_text(&self) -> String {
        self.fetched_at.to_rfc3339_opts(SecondsFormat::Secs, true)
    }

    /// The `request` and `response` records of this exchange, concatenated.
    pub fn to_warc(&self) -> Vec<u8> {
        let date = self.fetched_at_text();
        // Two captures of one page in the same second must not share record ids: the
        // seed has the fetch time to the nanosecond.
        let nanos = self.fetched_at.timestamp_nanos_opt().unwrap_or_default();
        let seed = format!("{} {nanos} {}", self.final_url, import::sha256_hex(&self.payload));
        let response_id = record_id(&format!("response {seed}"));
        let request_id = record_id(&format!("request {seed}"));
        let mut response_block = self.response_head.clone();
        response_block.extend_from_slice(&self.payload);
        let mut response_fields = vec![
            ("WARC-Type", "response".to_owned()),
            ("WARC-Record-ID", response_id.clone()),
            ("WARC-Date", date.clone()),
            ("WARC-Target-URI", self.final_url.clone()),
        ];
        if let Some(ip) = &self.ip_address {
            response_fields.push(("WARC-IP-Address", ip.clone()));
        }
        response_fields.extend([
            ("Content-Type", "application/http; msgtype=response".to_owned()),
            ("WARC-Block-Digest", warc_digest(&response_block)),
            ("WARC-Payload-Digest", warc_digest(&self.payload)),
        ]);
        let request_fields = [
            ("WARC-Type", "request".to_owned()),
            ("WARC-Record-ID", request_id),
            ("WARC-Date", date),
            ("WARC-Target-URI", self.final_url.clone()),
            ("WARC-Concurrent-To", response_id),
            ("Content-Type", "application/http; msgtype=request".to_owned()),
            ("WARC-Block-Digest", warc_digest(&self.request_head)),
        ];
        let mut out = write_record(&response_fields, &response_block);
        out.extend(write_record(&request_fields, &self.request_head));
        out
    }

    /// A capture read back from the records [`Capture::to_warc`] wrote, as another desk
    /// sends them; `url` is the address asked for (the records name the final one). The
    /// body is unpacked again (gzip or deflate), to at most `max_content` bytes.
    pub fn from_warc(url: &str, warc: &[u8], max_content: u64) -> Result<Capture, String> {
        let records = read_records(warc)?;
        let of_type = |kind: &str| records.iter().find(|r| r.field("WARC-Type") == Some(kind));
        let (Some(response), Some(request)) = (of_type("response"), of_type("request")) else {
            return Err("the records hold no request and response".into());
        };
        let payload = http_payload(response.block).ok_or("the response's fields do not end")?;
        let response_head = &response.block[..response.block.len() - payload.len()];
        let head = std::str::from_utf8(response_head).map_err(|_| "the response's fields are not text")?;
        let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).ok_or("the response has no status")?;
        let header = |name: &str| {
            head.split("\r\n").skip(1).find_map(|line| {
                let (field, value) = line.split_once(':')?;
                field.trim().eq_ignore_ascii_case(name).then(|| value.trim().to_owned())
            })
        };
        let content_type = header("content-type");
        let fetched_at = response
            .field("WARC-Date")
            .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
            .ok_or("the response record has no date")?
            .with_timezone(&Utc);
        Ok(Capture {
            url: url.to_owned(),
            final_url: response.field("WARC-Target-URI").ok_or("the response record names no URL")?.to_owned(),
            status,
            request_head: request.block.to_vec(),
            response_head: response_head.to_vec(),
            content: decode_content(payload, header("content-encoding").as_deref(), max_content)?,
            payload: payload.to_vec(),
            charset: content_type.as_deref().and_then(charset_of),
            content_type,
            fetched_at,
            ip_address: response.field("WARC-IP-Address").map(str::to_owned),
        })
    }

    /// Whether the response says it is a web page (or says nothing, and looks like one).
    pub fn is_html(&self) -> bool {
        match self.content_type.as_deref() {
            Some(t) => matches!(essence(t).as_str(), "text/html" | "application/xhtml+xml"),
            None => self.content.trim_ascii_start().starts_with(b"<"),
        }
    }

    pub fn is_plain_text(&self) -> bool {
        self.content_type.as_deref().is_some_and(|t| essence(t) == "text/plain")
    }

    /// A name for the capture as an imported file: the last path segment of the final
    /// URL, or its host.
    pub fn file_name(&self) -> String {
        let parsed = crate::url::parse_web_url(&self.final_url).ok();
        let segment = parsed
            .as_ref()
            .and_then(|u| u.path_segments())
            .and_then(|mut s| s.rfind(|s| !s.is_empty()).map(str::to_owned));
        let host = parsed.as_ref().and_then(|u| u.host_str().map(str::to_owned));
        let name = segment.or(host).unwrap_or_else(|| "page".to_owned());
        if self.is_html() && !name.contains('.') {
            format!("{name}.html")
        } else {
            name
        }
    }
}

/// A `Content-Type` without parameters, lower case: `text/html; charset=x` → `text/html`.
pub fn essence(content_type: &str) -> String {
    content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

/// `charset=…` of a `Content-Type`, unquoted.
pub fn charset_of(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        name.trim().eq_ignore_ascii_case("charset").then(|| value.trim().trim_matches(['"', '\'']).to_owned())
    })
}

/// A body with its content coding (`Content-Encoding`) removed, to at most `max` bytes.
fn decode_content(payload: &[u8], coding: Option<&str>, max: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let unpack = |decoder: &mut dyn Read| {
        let mut content = Vec::new();
        decoder.take(max + 1).read_to_end(&mut content).map_err(|e| format!("the body does not unpack: {e}"))?;
        if content.len() as u64 > max {
            return Err(format!("the body unpacks to over {max} bytes"));
        }
        Ok(content)
    };
    match coding.map(|c| c.trim().to_ascii_lowercase()).as_deref() {
        None | Some("" | "identity") => Ok(payload.to_vec()),
        Some("gzip" | "x-gzip") => unpack(&mut flate2::read::MultiGzDecoder::new(payload)),
        Some("deflate") => unpack(&mut flate2::read::ZlibDecoder::new(payload)),
        Some(other) => Err(format!("the body's coding {other:?} is not one this app reads")),
    }
}

/// The text a person reads in place of the page: the article extracted from HTML, the
/// text of a plain-text response; `None` for anything else (a PDF, an image).
pub fn readable_text(capture: &Capture) -> Option<String> {
    let format = if capture.is_html() {
        Format::Html
    } else if capture.is_plain_text() {
        Format::Text
    } else {
        return None;
    };
    let prepared =
        import::prepare_with_charset(&capture.file_name(), capture.content.clone(), format, capture.charset.as_deref())
            .ok()?;
    Some(prepared.parsed.text)
}

/// What is kept with a new evidence link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attachment {
    /// The source's page, as fetched.
    Snapshot(Box<Capture>),
    /// A document (PDF, image, spreadsheet), with the name it had.
    File { name: String, content: Vec<u8> },
}

impl Attachment {
    /// Reads a document to keep with evidence: a regular file (never a pipe or device,
    /// which could block), up to [`MAX_FILE_BYTES`] (counted while reading too: a file
    /// that grows is still refused), named by its file name.
    pub fn from_file(path: &std::path::Path) -> crate::Result<Attachment> {
        use std::io::Read;
        let refuse = |message: String| crate::Error::invalid("file", message);
        let shown = path.display();
        let metadata = std::fs::metadata(path).map_err(|e| refuse(format!("{shown}: {e}")))?;
        if !metadata.is_file() {
            return Err(refuse(format!("{shown} is not a regular file")));
        }
        let too_large = |size: u64| {
            refuse(format!("{shown} is {size} bytes, over the evidence file limit of {MAX_FILE_BYTES} bytes"))
        };
        if metadata.len() > MAX_FILE_BYTES {
            return Err(too_large(metadata.len()));
        }
        let mut content = Vec::with_capacity(metadata.len() as usize);
        std::fs::File::open(path)
            .and_then(|file| file.take(MAX_FILE_BYTES + 1).read_to_end(&mut content))
            .map_err(|e| refuse(format!("{shown}: {e}")))?;
        if content.len() as u64 > MAX_FILE_BYTES {
            return Err(too_large(content.len() as u64));
        }
        let name = path.file_name().map_or_else(|| shown.to_string(), |n| n.to_string_lossy().into_owned());
        Ok(Attachment::File { name, content })
    }

    /// Refuses an empty or oversized file, or a nameless one, before anything is written.
    pub(crate) fn checked(self) -> crate::Result<Attachment> {
        if let Attachment::File { name, content } = &self {
            if content.is_empty() {
                return Err(crate::Error::invalid("file", format!("{name} is empty")));
            }
            if content.len() as u64 > MAX_FILE_BYTES {
                return Err(crate::Error::invalid(
                    "file",
                    format!(
                        "{name} is {} bytes, over the evidence file limit of {MAX_FILE_BYTES} bytes",
                        content.len()
                    ),
                ));
            }
            let name = crate::text::replace_unsafe_controls(name);
            if name.trim().is_empty() {
                return Err(crate::Error::invalid("file", "an evidence file needs a name"));
            }
        }
        Ok(self)
    }
}

/// The media type of an evidence file, from its first bytes, else its name.
pub fn media_type_of(name: &str, bytes: &[u8]) -> &'static str {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"%PDF-", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"\xFF\xD8\xFF", "image/jpeg"),
        (b"GIF87a", "image/gif"),
        (b"GIF89a", "image/gif"),
        (b"II*\0", "image/tiff"),
        (b"MM\0*", "image/tiff"),
    ];
    if let Some((_, media_type)) = MAGIC.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return media_type;
    }
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return "image/webp";
    }
    let extension = std::path::Path::new(name).extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("ods") => "application/vnd.oasis.opendocument.spreadsheet",
        Some("odt") => "application/vnd.oasis.opendocument.text",
        Some("xls") => "application/vnd.ms-excel",
        Some("doc") => "application/msword",
        Some("csv") => "text/csv",
        Some("txt") => "text/plain",
        Some("json") => "application/json",
        Some("mp3") => "audio/mpeg",
        Some("mp4") => "video/mp4",
        Some("zip") => "application/zip",
        _ => "application/octet-stream",
    }
}

/// The file extension a viewer is chosen by, for the media types [`media_type_of`] names;
/// `None` for any other. A file from another desk is opened by what its bytes are (or a
/// known document extension), never by whatever extension its name claims.
pub fn viewer_extension(media_type: &str) -> Option<&'static str> {
    Some(match media_type {
        "application/pdf" => "pdf",
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/gif" => "gif",
        "image/tiff" => "tiff",
        "image/webp" => "webp",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "xlsx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => "docx",
        "application/vnd.oasis.opendocument.spreadsheet" => "ods",
        "application/vnd.oasis.opendocument.text" => "odt",
        "application/vnd.ms-excel" => "xls",
        "application/msword" => "doc",
        "text/csv" => "csv",
        "text/plain" => "txt",
        "application/json" => "json",
        "audio/mpeg" => "mp3",
        "video/mp4" => "mp4",
        "application/zip" => "zip",
        _ => return None,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Every media type a file can be given has its extension, which names it again; a
    /// name's own extension counts only when it is one of those.
    #[test]
    fn a_viewer_is_chosen_by_what_the_file_is() {
        for extension in
            ["pdf", "png", "jpg", "gif", "tiff", "webp", "xlsx", "docx", "ods", "odt", "xls", "doc", "csv", "txt"]
        {
            let named = media_type_of(&format!("file.{extension}"), b"");
            let sniffed = match extension {
                "pdf" => media_type_of("x", b"%PDF-1.7"),
                "png" => media_type_of("x", b"\x89PNG\r\n\x1a\n"),
                "jpg" => media_type_of("x", b"\xFF\xD8\xFF\xE0"),
                "gif" => media_type_of("x", b"GIF89a"),
                "tiff" => media_type_of("x", b"II*\0"),
                "webp" => media_type_of("x", b"RIFF\0\0\0\0WEBPVP8 "),
                _ => named,
            };
            assert_eq!(viewer_extension(sniffed), Some(extension), "{sniffed}");
        }
        for (name, bytes) in
            [("invite.desktop", &b"[Desktop Entry]"[..]), ("page.html", b"<script>"), ("run.sh", b"#!")]
        {
            assert_eq!(viewer_extension(media_type_of(name, bytes)), None, "{name}");
        }
        assert_eq!(viewer_extension(media_type_of("report.html.pdf", b"%PDF-1.4")), Some("pdf"));
        assert_eq!(viewer_extension(media_type_of("not-a-pdf.pdf", b"<html>")), None, "a name does not make a PDF");
    }
    use crate::warc::{check_digests, http_payload, read_records};

    pub(crate) fn capture(body: &[u8], content_type: &str) -> Capture {
        let mut response_head = format!("HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n").into_bytes();
        response_head.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
        Capture {
            url: "http://news.example/a".into(),
            final_url: "https://news.example/a/story".into(),
            status: 200,
            request_head: b"GET /a/story HTTP/1.1\r\nHost: news.example\r\n\r\n".to_vec(),
            response_head,
            payload: body.to_vec(),
            content: body.to_vec(),
            content_type: Some(content_type.into()),
            charset: None,
            fetched_at: "2026-03-01T10:00:00Z".parse().unwrap(),
            ip_address: Some("192.0.2.7".into()),
        }
    }

    #[test]
    fn a_capture_becomes_a_response_and_a_request_record() {
        let capture = capture(b"<html><body><p>The port handled 4.2 million tonnes.</p></body></html>", "text/html");
        let warc = capture.to_warc();
        assert_eq!(warc, capture.to_warc(), "the same capture writes the same bytes");
        let mut again = capture.clone();
        again.fetched_at += chrono::Duration::nanoseconds(1);
        let id = |warc: &[u8]| read_records(warc).unwrap()[0].field("WARC-Record-ID").unwrap().to_owned();
        assert_ne!(id(&warc), id(&again.to_warc()), "another capture in the same second has its own ids");
        let records = read_records(&warc).unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].field("WARC-Type"), Some("response"));
        assert_eq!(records[0].field("WARC-Target-URI"), Some("https://news.example/a/story"));
        assert_eq!(http_payload(records[0].block), Some(capture.payload.as_slice()));
        assert_eq!(records[1].field("WARC-Concurrent-To"), records[0].field("WARC-Record-ID"));
        for record in &records {
            check_digests(record).unwrap();
        }
        assert_eq!(readable_text(&capture).as_deref(), Some("The port handled 4.2 million tonnes."));
        assert_eq!(capture.file_name(), "story.html");
    }

    /// What another desk sends is read back whole: the same capture, its body unpacked
    /// again, and a body that would unpack past the limit refused.
    #[test]
    fn a_capture_is_read_back_from_its_records() {
        use std::io::Write;
        let page = "<html><body><p>Росстат: цены выросли на 7,4 процента.</p></body></html>";
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gzip.write_all(page.as_bytes()).unwrap();
        let mut sent = capture(&gzip.finish().unwrap(), "text/html; charset=utf-8");
        sent.response_head =
            b"HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
        sent.content = page.as_bytes().to_vec();
        sent.charset = Some("utf-8".into());
        let warc = sent.to_warc();
        let read = Capture::from_warc(&sent.url, &warc, 1 << 20).unwrap();
        assert_eq!(read, sent);
        assert_eq!(read.to_warc(), warc, "the same records again");
        assert_eq!(readable_text(&read).as_deref(), Some("Росстат: цены выросли на 7,4 процента."));
        let refused = Capture::from_warc(&sent.url, &warc, 10).unwrap_err();
        assert!(refused.contains("unpacks to over 10 bytes"), "{refused}");
        assert!(Capture::from_warc(&sent.url, &warc[..warc.len() / 2], 1 << 20).is_err(), "records cut short");
    }

    #[test]
    fn media_types_come_from_the_bytes_then_the_name() {
        assert_eq!(media_type_of("x.bin", b"%PDF-1.7\n"), "application/pdf");
        assert_eq!(media_type_of("photo", b"\x89PNG\r\n\x1a\nrest"), "image/png");
        assert_eq!(media_type_of("figures.xlsx", b"PK\x03\x04"), media_type_of("a.xlsx", b""));
        assert_eq!(media_type_of("unknown", b"??"), "application/octet-stream");
        assert_eq!(readable_text(&capture(b"%PDF-1.7", "application/pdf")), None);
    }
}
