//! Snapshots (captured pages as WARC records) and evidence files: their rows, their
//! bytes, and the lists `snapshots` and `archive` read.

use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use crate::model::SnapshotInfo;
use crate::snapshot::Capture;
use crate::{Error, Result};

/// What a snapshot documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SnapshotOwner {
    Article(i64),
    Evidence(i64),
}

/// A snapshot ready to insert: the capture and what was made of it.
pub(crate) struct NewSnapshot<'a> {
    pub owner: SnapshotOwner,
    pub capture: &'a Capture,
    pub sha256: &'a str,
    pub warc: &'a [u8],
    pub warc_sha256: &'a str,
    pub text: Option<&'a str>,
}

pub(crate) fn insert_snapshot(tx: &Transaction, new: &NewSnapshot) -> Result<i64> {
    let (article_id, evidence_id) = match new.owner {
        SnapshotOwner::Article(id) => (Some(id), None),
        SnapshotOwner::Evidence(id) => (None, Some(id)),
    };
    let capture = new.capture;
    tx.execute(
        "INSERT INTO snapshots (article_id, evidence_id, url, final_url, status, content_type, fetched_at,
                                sha256, bytes, warc, warc_sha256, text)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            article_id,
            evidence_id,
            capture.url,
            capture.final_url,
            capture.status,
            capture.content_type,
            capture.fetched_at_text(),
            new.sha256,
            capture.payload.len() as i64,
            new.warc,
            new.warc_sha256,
            new.text,
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

const SNAPSHOT_COLUMNS: &str =
    "id, url, final_url, status, content_type, fetched_at, sha256, bytes, article_id, evidence_id";

fn snapshot_from_row(row: &Row) -> rusqlite::Result<SnapshotInfo> {
    Ok(SnapshotInfo {
        id: row.get(0)?,
        url: row.get(1)?,
        final_url: row.get(2)?,
        status: row.get(3)?,
        content_type: row.get(4)?,
        fetched_at: row.get(5)?,
        sha256: row.get(6)?,
        bytes: row.get::<_, i64>(7)? as u64,
        article_id: row.get(8)?,
        evidence_id: row.get(9)?,
    })
}

pub(crate) fn list(conn: &Connection) -> Result<Vec<SnapshotInfo>> {
    let mut stmt = conn.prepare(&format!("SELECT {SNAPSHOT_COLUMNS} FROM snapshots ORDER BY id"))?;
    let snapshots = stmt.query_map([], snapshot_from_row)?.collect::<rusqlite::Result<_>>()?;
    Ok(snapshots)
}

pub(crate) fn get(conn: &Connection, id: i64) -> Result<SnapshotInfo> {
    conn.query_row(&format!("SELECT {SNAPSHOT_COLUMNS} FROM snapshots WHERE id = ?1"), [id], snapshot_from_row)
        .optional()?
        .ok_or(Error::SnapshotNotFound(id))
}

/// The newest snapshot of an article's own page.
pub(crate) fn of_article(conn: &Connection, article_id: i64) -> Result<Option<SnapshotInfo>> {
    Ok(conn
        .query_row(
            &format!("SELECT {SNAPSHOT_COLUMNS} FROM snapshots WHERE article_id = ?1 ORDER BY id DESC LIMIT 1"),
            [article_id],
            snapshot_from_row,
        )
        .optional()?)
}

/// A snapshot's readable text (`None` for a PDF or an image).
pub(crate) fn text(conn: &Connection, id: i64) -> Result<Option<String>> {
    conn.query_row("SELECT text FROM snapshots WHERE id = ?1", [id], |r| r.get(0))
        .optional()?
        .ok_or(Error::SnapshotNotFound(id))
}

/// Ids of the snapshots behind `article_ids` (their own pages and the pages of their
/// live claims' live evidence), or behind every article when `None`; oldest first.
pub(crate) fn ids_behind(conn: &Connection, article_ids: Option<&[i64]>) -> Result<Vec<i64>> {
    let sql = "SELECT sn.id FROM snapshots sn
               LEFT JOIN evidence e ON e.id = sn.evidence_id AND e.removed_at IS NULL
               LEFT JOIN claims c ON c.id = e.claim_id AND c.removed_at IS NULL
               WHERE coalesce(sn.article_id, c.article_id) IS NOT NULL
                 AND (?1 IS NULL OR coalesce(sn.article_id, c.article_id) IN (SELECT value FROM json_each(?1)))
               ORDER BY sn.id";
    let filter = article_ids.map(|ids| serde_json::to_string(ids).expect("ids serialize"));
    let mut stmt = conn.prepare(sql)?;
    let ids = stmt.query_map([filter], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// The stored WARC records of one snapshot.
pub(crate) fn warc(conn: &Connection, id: i64) -> Result<Vec<u8>> {
    conn.query_row("SELECT warc FROM snapshots WHERE id = ?1", [id], |r| r.get(0))
        .optional()?
        .ok_or(Error::SnapshotNotFound(id))
}

/// A snapshot's records by their SHA-256.
pub(crate) fn warc_by_sha256(conn: &Connection, warc_sha256: &str) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .query_row("SELECT warc FROM snapshots WHERE warc_sha256 = ?1 LIMIT 1", [warc_sha256], |r| r.get(0))
        .optional()?)
}

/// The id of the file with these bytes, stored now if new.
pub(crate) fn file_id(tx: &Transaction, sha256: &str, media_type: &str, content: &[u8]) -> Result<i64> {
    if let Some(id) = tx.query_row("SELECT id FROM files WHERE sha256 = ?1", [sha256], |r| r.get(0)).optional()? {
        return Ok(id);
    }
    tx.execute(
        "INSERT INTO files (sha256, media_type, bytes, content) VALUES (?1, ?2, ?3, ?4)",
        params![sha256, media_type, content.len() as i64, content],
    )?;
    Ok(tx.last_insert_rowid())
}

pub(crate) fn attach_file(tx: &Transaction, evidence_id: i64, file_id: i64, name: &str) -> Result<()> {
    tx.execute("UPDATE evidence SET file_id = ?2, file_name = ?3 WHERE id = ?1", params![evidence_id, file_id, name])?;
    Ok(())
}

/// A kept file's bytes by their SHA-256.
pub(crate) fn file_bytes(conn: &Connection, sha256: &str) -> Result<Option<Vec<u8>>> {
    Ok(conn.query_row("SELECT content FROM files WHERE sha256 = ?1", [sha256], |r| r.get(0)).optional()?)
}

/// An evidence link's file: its name, media type and bytes.
pub(crate) fn file_of_evidence(conn: &Connection, evidence_id: i64) -> Result<Option<(String, String, Vec<u8>)>> {
    Ok(conn
        .query_row(
            "SELECT e.file_name, f.media_type, f.content FROM evidence e JOIN files f ON f.id = e.file_id
             WHERE e.id = ?1",
            [evidence_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?)
}
