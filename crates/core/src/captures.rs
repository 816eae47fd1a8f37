//! Captures in the library: articles imported from a fetched page, evidence pages kept
//! as WARC snapshots, evidence files kept by SHA-256. Each is stored with a history event
//! that records its hashes, in the same transaction as what it documents, so `verify`
//! can tell later whether the kept bytes are still the ones captured.

use std::path::PathBuf;

use rusqlite::Transaction;

use crate::error::ImportRefusal;
use crate::events::{Event, FileAttached, SnapshotCaptured, Subject};
use crate::import::{self, Format};
use crate::library::{live_claim_row, subject_of, ImportOutcome, Library};
use crate::model::Claim;
use crate::model::SnapshotInfo;
use crate::snapshot::{media_type_of, readable_text, Attachment, Capture};
use crate::store::captures::{self, NewSnapshot, SnapshotOwner};
use crate::store::{articles, sources};
use crate::{Error, Result};

impl Library {
    /// Imports a fetched page as an article and keeps the exchange as the article's
    /// snapshot. The article's URL is the page's canonical link, else the final URL. Only
    /// web pages and plain text are articles; anything else is refused, nothing written.
    pub fn import_capture(&self, capture: &Capture, format: Format) -> Result<ImportOutcome> {
        let prepared = self.prepare_capture(capture, format)?;
        let now = self.now();
        self.store.write(|tx| self.import_prepared_in(tx, &now, &prepared, Some(capture)))
    }

    /// A fetched page read as an article: only web pages and plain text; its URL is its
    /// canonical link, else the final URL after redirects.
    pub(crate) fn prepare_capture(&self, capture: &Capture, format: Format) -> Result<import::PreparedArticle> {
        let refuse = |reason| Error::Import { path: PathBuf::from(&capture.url), reason };
        let format = match format {
            Format::Auto if capture.is_html() => Format::Html,
            Format::Auto if capture.is_plain_text() => Format::Text,
            Format::Auto => {
                let media_type =
                    capture.content_type.as_deref().map_or("of no stated type".to_owned(), crate::snapshot::essence);
                return Err(refuse(ImportRefusal::NotAPage(media_type)));
            }
            chosen => chosen,
        };
        let mut prepared = import::prepare_with_charset(
            &capture.file_name(),
            capture.content.clone(),
            format,
            capture.charset.as_deref(),
        )
        .map_err(refuse)?;
        if prepared.parsed.url.is_none() {
            prepared.parsed.url = Some(capture.final_url.clone());
        }
        Ok(prepared)
    }

    /// Keeps a capture of an article's own page (`text`: the article text read from it),
    /// unless it has one of these bytes already.
    pub(crate) fn keep_article_snapshot(
        &self,
        tx: &Transaction,
        now: &str,
        article_id: i64,
        capture: &Capture,
        text: &str,
    ) -> Result<()> {
        let payload = import::sha256_hex(&capture.payload);
        if captures::of_article(tx, article_id)?.is_some_and(|kept| kept.sha256 == payload) {
            return Ok(());
        }
        let (owner, subject) = (SnapshotOwner::Article(article_id), Subject::Article(article_id));
        self.keep_snapshot(tx, now, owner, subject, capture, Some(text)).map(|_| ())
    }

    /// Keeps a (new) capture of a live evidence link's page.
    pub fn capture_evidence(&self, evidence_id: i64, capture: &Capture) -> Result<SnapshotInfo> {
        let now = self.now();
        self.store.write(|tx| {
            let (evidence, removed) = sources::get_evidence(tx, evidence_id)?;
            if removed {
                return Err(Error::EvidenceRemoved(evidence_id));
            }
            let claim = live_claim_row(tx, evidence.claim_id)?;
            self.keep_snapshot(tx, &now, SnapshotOwner::Evidence(evidence_id), subject_of(&claim), capture, None)
        })
    }

    /// Stores what is attached to a new evidence link, with its event.
    pub(crate) fn attach_in(
        &self,
        tx: &Transaction,
        now: &str,
        claim: &Claim,
        evidence_id: i64,
        attachment: &Attachment,
    ) -> Result<()> {
        match attachment {
            Attachment::Snapshot(capture) => {
                self.keep_snapshot(tx, now, SnapshotOwner::Evidence(evidence_id), subject_of(claim), capture, None)?;
            }
            Attachment::File { name, content } => {
                let name = crate::text::replace_unsafe_controls(name.trim()).into_owned();
                let sha256 = import::sha256_hex(content);
                let media_type = media_type_of(&name, content);
                let file_id = captures::file_id(tx, &sha256, media_type, content)?;
                captures::attach_file(tx, evidence_id, file_id, &name)?;
                let attached = FileAttached {
                    evidence_id,
                    file_id,
                    name,
                    media_type: media_type.to_owned(),
                    sha256,
                    bytes: content.len() as u64,
                };
                self.record(tx, now, subject_of(claim), Event::FileAttached(attached))?;
            }
        }
        Ok(())
    }

    /// Stores `capture` with its event; `text` is its readable text when the caller has it
    /// already (else it is extracted here).
    fn keep_snapshot(
        &self,
        tx: &Transaction,
        now: &str,
        owner: SnapshotOwner,
        subject: Subject,
        capture: &Capture,
        text: Option<&str>,
    ) -> Result<SnapshotInfo> {
        let sha256 = import::sha256_hex(&capture.payload);
        let warc = capture.to_warc();
        let warc_sha256 = import::sha256_hex(&warc);
        let text = text.map(str::to_owned).or_else(|| readable_text(capture));
        let new = NewSnapshot {
            owner,
            capture,
            sha256: &sha256,
            warc: &warc,
            warc_sha256: &warc_sha256,
            text: text.as_deref(),
        };
        let snapshot_id = captures::insert_snapshot(tx, &new)?;
        let captured = SnapshotCaptured {
            snapshot_id,
            evidence_id: match owner {
                SnapshotOwner::Evidence(id) => Some(id),
                SnapshotOwner::Article(_) => None,
            },
            url: capture.url.clone(),
            final_url: capture.final_url.clone(),
            status: capture.status,
            content_type: capture.content_type.clone(),
            fetched_at: capture.fetched_at_text(),
            sha256,
            bytes: capture.payload.len() as u64,
            warc_sha256,
        };
        self.record(tx, now, subject, Event::SnapshotCaptured(captured))?;
        captures::get(tx, snapshot_id)
    }

    /// Every snapshot in the library, oldest first.
    pub fn snapshots(&self) -> Result<Vec<SnapshotInfo>> {
        self.store.read(captures::list)
    }

    pub fn snapshot(&self, id: i64) -> Result<SnapshotInfo> {
        self.store.read(|c| captures::get(c, id))
    }

    /// The newest snapshot of an article's own page, if it was imported from the web.
    pub fn article_snapshot(&self, article_id: i64) -> Result<Option<SnapshotInfo>> {
        self.store.read(|c| {
            articles::get(c, article_id)?;
            captures::of_article(c, article_id)
        })
    }

    /// What a person reads of a snapshot: its extracted text (never its markup).
    pub fn snapshot_text(&self, id: i64) -> Result<Option<String>> {
        self.store.read(|c| captures::text(c, id))
    }

    /// A snapshot's stored WARC records, uncompressed.
    pub fn snapshot_records(&self, id: i64) -> Result<Vec<u8>> {
        self.store.read(|c| captures::warc(c, id))
    }

    /// The snapshots behind some articles (their pages and their evidence's pages), or
    /// behind all when `None`: what `archive` writes.
    pub fn snapshots_behind(&self, article_ids: Option<&[i64]>) -> Result<Vec<i64>> {
        self.store.read(|c| {
            for id in article_ids.unwrap_or_default() {
                articles::get(c, *id)?;
            }
            captures::ids_behind(c, article_ids)
        })
    }

    /// A live evidence link's file: name, media type and bytes.
    pub fn evidence_file(&self, evidence_id: i64) -> Result<(String, String, Vec<u8>)> {
        self.store.read(|c| {
            let (_, removed) = sources::get_evidence(c, evidence_id)?;
            if removed {
                return Err(Error::EvidenceRemoved(evidence_id));
            }
            captures::file_of_evidence(c, evidence_id)?
                .ok_or_else(|| Error::invalid("evidence", format!("evidence {evidence_id} has no file")))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::{NewClaim, NewEvidence, SourceChoice};
    use crate::model::Stance;
    use crate::snapshot::tests::capture;
    use crate::ClaimTarget;

    const PAGE: &[u8] = b"<html><head><title>Port figures</title></head><body><article>\
        <p>The port handled 4.2 million tonnes of cargo last year, the authority said.</p></article></body></html>";

    fn library() -> (tempfile::TempDir, Library) {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(&dir.path().join("library.sqlite"), "tester").unwrap();
        (dir, library)
    }

    #[test]
    fn an_imported_page_keeps_its_snapshot_and_its_final_url() {
        let (_dir, library) = library();
        let page = capture(PAGE, "text/html; charset=utf-8");
        let article = library.import_capture(&page, Format::Auto).unwrap();
        let ImportOutcome::Imported(article) = article else { panic!("a new article") };
        assert_eq!(article.url.as_deref(), Some("https://news.example/a/story"));
        let snapshot = library.article_snapshot(article.id).unwrap().expect("the page is kept");
        assert_eq!((snapshot.status, snapshot.bytes), (200, PAGE.len() as u64));
        assert_eq!(snapshot.sha256, import::sha256_hex(PAGE));
        assert!(library.snapshot_text(snapshot.id).unwrap().unwrap().contains("4.2 million tonnes"));
        let history = library.history(None).unwrap();
        assert_eq!(
            history.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(),
            ["article_imported", "snapshot_captured"]
        );
        assert!(library.file_problems().unwrap().problems.is_empty());

        let pdf = capture(b"%PDF-1.7 ...", "application/pdf");
        let refused = library.import_capture(&pdf, Format::Auto).unwrap_err().one_line();
        assert!(refused.contains("application/pdf, not a web page"), "{refused}");
        assert_eq!(library.snapshots().unwrap().len(), 1, "nothing written for a refusal");
    }

    #[test]
    fn evidence_keeps_its_page_or_its_file_and_verify_notices_edits() {
        let (dir, library) = library();
        let ImportOutcome::Imported(article) =
            library.import_capture(&capture(PAGE, "text/html"), Format::Auto).unwrap()
        else {
            panic!("a new article")
        };
        let target = ClaimTarget::Quote { quote: "4.2 million tonnes".into(), occurrence: None };
        let claim = library.add_claim(NewClaim { article_id: article.id, target, claimant: None, note: None }).unwrap();
        let evidence = |title: &str| NewEvidence {
            claim_id: claim.id,
            source: SourceChoice::Described { title: title.into(), url: None, kind: None },
            reliability: None,
            stance: Stance::Refutes,
            credibility: None,
            excerpt: None,
        };
        let page = capture(b"<p>Official statistics: 3.9 million tonnes.</p>", "text/html");
        let with_page =
            library.add_evidence_with(evidence("Statistics"), Some(Attachment::Snapshot(Box::new(page)))).unwrap();
        assert!(with_page.snapshot.is_some() && with_page.file.is_none());
        let pdf = b"%PDF-1.4 audit".to_vec();
        let file = Attachment::File { name: "audit.pdf".into(), content: pdf.clone() };
        let with_file = library.add_evidence_with(evidence("Audit"), Some(file)).unwrap();
        let kept = with_file.file.clone().unwrap();
        assert_eq!((kept.name.as_str(), kept.media_type.as_str(), kept.bytes), ("audit.pdf", "application/pdf", 14));
        assert_eq!(library.evidence_file(with_file.id).unwrap().2, pdf);
        assert_eq!(library.snapshots_behind(Some(&[article.id])).unwrap().len(), 2);
        assert!(library.file_problems().unwrap().problems.is_empty());

        let empty = Attachment::File { name: "empty.pdf".into(), content: Vec::new() };
        assert!(library.add_evidence_with(evidence("Nothing"), Some(empty)).is_err());
        assert_eq!(library.claim(claim.id).unwrap().evidence.len(), 2, "a refused file adds no link");

        // One byte of a kept page and of a kept file, edited behind the library's back.
        let conn = rusqlite::Connection::open(dir.path().join("library.sqlite")).unwrap();
        let snapshot_id = with_page.snapshot.unwrap().id;
        conn.execute(
            "UPDATE snapshots SET warc = CAST(replace(CAST(warc AS TEXT), '3.9', '4.2') AS BLOB) WHERE id = ?1",
            [snapshot_id],
        )
        .unwrap();
        conn.execute("UPDATE files SET content = CAST('%PDF-1.4 audiT' AS BLOB)", []).unwrap();
        let problems = library.file_problems().unwrap().problems;
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with(&format!("snapshot {snapshot_id}: its stored bytes no longer match")));
        assert!(problems[1].contains(&format!("of evidence {}", with_file.id)), "{problems:?}");
    }
}
