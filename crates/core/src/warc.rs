//! WARC/1.1 (ISO 28500), the web archive format: how a capture's request and response
//! are kept byte for byte, and read back to be checked. Writing builds one record at a
//! time (uncompressed; the archive export gzips each record as its own member); reading
//! splits stored records and checks their digests. No network here: a capture arrives as
//! bytes from the `factdesk-capture` crate.

use sha2::{Digest, Sha256};

use crate::history::hex;

/// One record: its type, its named fields (after `WARC-Type`), and its block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record<'a> {
    pub fields: Vec<(String, String)>,
    pub block: &'a [u8],
}

impl Record<'_> {
    /// The value of the first field named `name` (case-insensitive, as WARC says).
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Writes one record: `WARC/1.1`, the fields in order, `Content-Length`, a blank line,
/// the block and the two line breaks that end a record.
pub fn write_record(fields: &[(&str, String)], block: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(block.len() + 512);
    out.extend_from_slice(b"WARC/1.1\r\n");
    for (name, value) in fields {
        // Field values come from URLs and headers a server chose: no line breaks in them.
        let value: String = value.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", block.len()).as_bytes());
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

/// Splits concatenated uncompressed records; an error names what is wrong and where.
pub fn read_records(mut bytes: &[u8]) -> Result<Vec<Record<'_>>, String> {
    let mut records = Vec::new();
    let mut offset = 0usize;
    while !bytes.is_empty() {
        let head_end =
            find(bytes, b"\r\n\r\n").ok_or_else(|| format!("record at byte {offset} has no end of header"))?;
        let head = std::str::from_utf8(&bytes[..head_end])
            .map_err(|_| format!("record at byte {offset} has a header that is not UTF-8"))?;
        let mut lines = head.split("\r\n");
        if !lines.next().is_some_and(|v| v.starts_with("WARC/1.")) {
            return Err(format!("record at byte {offset} does not start with a WARC version line"));
        }
        let mut fields = Vec::new();
        for line in lines {
            let (name, value) =
                line.split_once(':').ok_or_else(|| format!("record at byte {offset} has a field without a colon"))?;
            fields.push((name.trim().to_owned(), value.trim().to_owned()));
        }
        let length: usize = fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("Content-Length"))
            .and_then(|(_, v)| v.parse().ok())
            .ok_or_else(|| format!("record at byte {offset} has no Content-Length"))?;
        let block_start = head_end + 4;
        let block_end = block_start.checked_add(length).filter(|end| *end + 4 <= bytes.len());
        let Some(block_end) = block_end else {
            return Err(format!("record at byte {offset} is cut short"));
        };
        if &bytes[block_end..block_end + 4] != b"\r\n\r\n" {
            return Err(format!("record at byte {offset} does not end where its Content-Length says"));
        }
        records.push(Record { fields, block: &bytes[block_start..block_end] });
        offset += block_end + 4;
        bytes = &bytes[block_end + 4..];
    }
    Ok(records)
}

/// The HTTP message's payload: what follows its header (`\r\n\r\n`).
pub fn http_payload(block: &[u8]) -> Option<&[u8]> {
    find(block, b"\r\n\r\n").map(|end| &block[end + 4..])
}

/// `sha256:` and the digest in base32, the form WARC tools write and check.
pub fn warc_digest(bytes: &[u8]) -> String {
    format!("sha256:{}", base32(&Sha256::digest(bytes)))
}

/// Checks a record's `WARC-Block-Digest` and, for a response, `WARC-Payload-Digest`.
pub fn check_digests(record: &Record) -> Result<(), String> {
    if let Some(recorded) = record.field("WARC-Block-Digest") {
        if recorded != warc_digest(record.block) {
            return Err("its block digest does not match its bytes".to_owned());
        }
    }
    if let Some(recorded) = record.field("WARC-Payload-Digest") {
        let payload = http_payload(record.block).ok_or("its HTTP message has no end of header")?;
        if recorded != warc_digest(payload) {
            return Err("its payload digest does not match its bytes".to_owned());
        }
    }
    Ok(())
}

/// A record id that is the same for the same capture (a UUID-shaped name derived from
/// `seed`), so that a capture's records can be written again identically.
pub fn record_id(seed: &str) -> String {
    let digest = hex(&Sha256::digest(seed.as_bytes()));
    let mut uuid = digest[..32].to_owned().into_bytes();
    // Version 8 (custom) and the RFC 4122 variant, so readers see a well-formed UUID.
    uuid[12] = b'8';
    uuid[16] = b"89ab"[(uuid[16] as usize) % 4];
    let uuid = String::from_utf8(uuid).expect("hex digits");
    format!("<urn:uuid:{}-{}-{}-{}-{}>", &uuid[..8], &uuid[8..12], &uuid[12..16], &uuid[16..20], &uuid[20..])
}

/// RFC 4648 base32 (upper case, padded), as WARC digests are written.
pub fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    for chunk in bytes.chunks(5) {
        let mut buffer = [0u8; 5];
        buffer[..chunk.len()].copy_from_slice(chunk);
        let value = buffer.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        let symbols = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < symbols {
                out.push(ALPHABET[((value >> (35 - i * 5)) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_matches_rfc_4648() {
        assert_eq!(base32(b""), "");
        assert_eq!(base32(b"f"), "MY======");
        assert_eq!(base32(b"fo"), "MZXQ====");
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI======");
    }

    #[test]
    fn records_round_trip_and_their_digests_check() {
        let response = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nhello";
        let fields = [
            ("WARC-Type", "response".to_owned()),
            ("WARC-Block-Digest", warc_digest(response)),
            ("WARC-Payload-Digest", warc_digest(b"hello")),
        ];
        let mut stored = write_record(&fields, response);
        stored.extend(write_record(&[("WARC-Type", "request".to_owned())], b"GET / HTTP/1.1\r\n\r\n"));
        let records = read_records(&stored).unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].field("warc-type"), Some("response"));
        assert_eq!(http_payload(records[0].block), Some(&b"hello"[..]));
        check_digests(&records[0]).unwrap();

        let at = stored.windows(5).position(|w| w == b"hello").unwrap();
        stored[at] = b'j';
        let records = read_records(&stored).unwrap();
        assert!(check_digests(&records[0]).unwrap_err().contains("block digest"));
        stored.truncate(stored.len() - 3);
        assert!(read_records(&stored).unwrap_err().contains("cut short"));
    }

    #[test]
    fn record_ids_are_stable_uuids() {
        let id = record_id("a");
        assert_eq!(id, record_id("a"));
        assert_ne!(id, record_id("b"));
        assert_eq!(id.len(), "<urn:uuid:>".len() + 36);
        assert_eq!(&id[24..25], "8");
    }
}
