//! The archive export: snapshots' WARC records written as one standard `.warc.gz` file,
//! a gzip member per record (the form `warcio` and the Wayback tools read), opened by a
//! `warcinfo` record that says what wrote it.

use std::io::Write;

use flate2::write::GzEncoder;
use flate2::Compression;

use factdesk_core::warc::{read_records, record_id, write_record};

/// Writes the `warcinfo` record, then every record of every stored snapshot, each record
/// its own gzip member. `snapshots` yields the stored (uncompressed) records of one
/// snapshot at a time, so memory holds one snapshot, not the archive. Returns the
/// number of records written.
pub fn write_warc_gz(
    out: &mut dyn Write,
    file_name: &str,
    snapshots: impl IntoIterator<Item = std::io::Result<Vec<u8>>>,
) -> std::io::Result<usize> {
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let info = format!(
        "software: {}\r\nformat: WARC File Format 1.1\r\nconformsTo: https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n",
        crate::USER_AGENT
    );
    let fields = [
        ("WARC-Type", "warcinfo".to_owned()),
        ("WARC-Record-ID", record_id(&format!("warcinfo {file_name} {now}"))),
        ("WARC-Date", now),
        ("WARC-Filename", file_name.to_owned()),
        ("Content-Type", "application/warc-fields".to_owned()),
    ];
    gzip_member(out, &write_record(&fields, info.as_bytes()))?;
    let mut written = 1;
    for stored in snapshots {
        let stored = stored?;
        let records = read_records(&stored).map_err(|why| std::io::Error::new(std::io::ErrorKind::InvalidData, why))?;
        for record in records {
            let fields: Vec<(&str, String)> = record
                .fields
                .iter()
                .filter(|(name, _)| !name.eq_ignore_ascii_case("Content-Length"))
                .map(|(name, value)| (name.as_str(), value.clone()))
                .collect();
            gzip_member(out, &write_record(&fields, record.block))?;
            written += 1;
        }
    }
    out.flush()?;
    Ok(written)
}

fn gzip_member(out: &mut dyn Write, record: &[u8]) -> std::io::Result<()> {
    let mut encoder = GzEncoder::new(out, Compression::default());
    encoder.write_all(record)?;
    encoder.finish()?;
    Ok(())
}
