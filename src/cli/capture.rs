//! The commands that reach the web or read captures back: import by URL (mixed with
//! files), evidence pages and files, the snapshot list and the WARC archive. Fetching is
//! `factdesk_capture`'s; keeping is the core's; this module only joins them.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use factdesk_capture::{fetch, FetchError, FetchOptions, Reach};
use factdesk_core::{Attachment, Error, Format, ImportOutcome, Library, NewEvidence, SnapshotInfo};

use super::args::FetchArgs;
use super::{json, render, show, terminal, Outcome};

impl FetchArgs {
    pub fn options(&self) -> FetchOptions {
        FetchOptions {
            total_timeout: Duration::from_secs(self.timeout),
            reach: Reach { private_network: self.allow_private_network, allowed: self.allow_addresses.clone() },
            ..FetchOptions::default()
        }
    }
}

/// `http://` or `https://` (any case): fetched. Anything else is a file path.
pub fn is_url(item: &str) -> bool {
    let lower = item.get(..8).unwrap_or(item).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// A fetch that failed: said on stderr in one line, exit 1, nothing written.
fn fetch_failed(error: &FetchError) -> Outcome {
    terminal::eprint_line(&format!("error: {error}"));
    Outcome { stdout: String::new(), exit: ExitCode::FAILURE }
}

/// Fetches a page and imports it as an article kept with its snapshot. The inner error
/// is the line that says why this page was refused; the outer one, a database failure,
/// stops the whole import.
pub fn import_url(
    library: &Library,
    url: &str,
    format: Format,
    options: &FetchOptions,
) -> Result<Result<ImportOutcome, String>, Error> {
    let capture = match fetch(url, options) {
        Ok(capture) => capture,
        Err(error) => return Ok(Err(error.to_string())),
    };
    match library.import_capture(&capture, format) {
        Ok(outcome) => Ok(Ok(outcome)),
        Err(refused @ Error::Import { .. }) => Ok(Err(refused.one_line())),
        Err(other) => Err(other),
    }
}

/// `evidence add` with `--capture` or `--file`: the page is fetched (or the file read)
/// before anything is written, and kept in the same transaction as the link.
pub fn add_evidence(
    library: &Library,
    new: NewEvidence,
    capture_url: Option<&str>,
    file: Option<&Path>,
    options: &FetchOptions,
) -> Result<Result<factdesk_core::Evidence, Outcome>, Error> {
    let attachment = match (capture_url, file) {
        (Some(url), _) => match fetch(url, options) {
            Ok(capture) => Some(Attachment::Snapshot(Box::new(capture))),
            Err(error) => return Ok(Err(fetch_failed(&error))),
        },
        (None, Some(path)) => Some(Attachment::from_file(path)?),
        (None, None) => None,
    };
    library.add_evidence_with(new, attachment).map(Ok)
}

/// `evidence capture EVIDENCE`: the link's source page, fetched again and kept.
pub fn capture_evidence(
    library: &Library,
    evidence_id: i64,
    options: &FetchOptions,
    as_json: bool,
) -> Result<Outcome, Error> {
    let url = library.evidence_link(evidence_id)?;
    let capture = match fetch(&url, options) {
        Ok(capture) => capture,
        Err(error) => return Ok(fetch_failed(&error)),
    };
    let snapshot = library.capture_evidence(evidence_id, &capture)?;
    show(as_json, &snapshot, |s| format!("{}\n", render::snapshot_line(s)))
}

pub fn snapshots(library: &Library, as_json: bool) -> Result<Outcome, Error> {
    let snapshots: Vec<SnapshotInfo> = library.snapshots()?;
    if as_json {
        return Ok(Outcome::ok(json(&snapshots)?));
    }
    Ok(Outcome::ok(render::snapshots(&snapshots)))
}

/// `archive`: the snapshots behind the articles, as one `.warc.gz`, written beside the
/// target and renamed into place only when whole.
pub fn archive(library: &Library, articles: Option<&[i64]>, output: &Path) -> Result<Outcome, Error> {
    let ids = library.snapshots_behind(articles)?;
    let file_name =
        output.file_name().map_or_else(|| "archive.warc.gz".to_owned(), |n| n.to_string_lossy().into_owned());
    let partial = partial_path(output);
    let written = (|| -> std::io::Result<usize> {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&partial)?);
        let snapshots = ids.iter().map(|id| library.snapshot_records(*id).map_err(std::io::Error::other));
        let records = factdesk_capture::archive::write_warc_gz(&mut out, &file_name, snapshots)?;
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&partial, output)?;
        Ok(records)
    })();
    let records = match written {
        Ok(records) => records,
        Err(error) => {
            let _ = std::fs::remove_file(&partial);
            terminal::eprint_line(&format!("error: cannot write {}: {error}; nothing was written", output.display()));
            return Ok(Outcome { stdout: String::new(), exit: ExitCode::FAILURE });
        }
    };
    terminal::eprint_line(&format!(
        "wrote {} snapshot(s) as {records} WARC records (with the warcinfo record) to {}",
        ids.len(),
        output.display()
    ));
    Ok(Outcome::ok(String::new()))
}

fn partial_path(output: &Path) -> PathBuf {
    let mut name = output.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    output.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_items_are_urls() {
        assert!(is_url("https://news.example/a") && is_url("HTTP://news.example/a"));
        assert!(!is_url("http.txt") && !is_url("./https://x") && !is_url("ftp://x") && !is_url("h"));
    }
}
