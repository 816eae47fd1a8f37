//! The source library and the evidence links between claims and sources.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use crate::model::{Credibility, Evidence, Reliability, Source, SourceKind, SourceRef, Stance};
use crate::model::{FileInfo, SnapshotInfo};
use crate::store::shared::ClaimFilter;
use crate::{Error, Result};

fn corrupt<E: std::error::Error + Send + Sync + 'static>(column: usize) -> impl FnOnce(E) -> rusqlite::Error {
    move |e| rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, Box::new(e))
}

/// Reads `id, title, url, kind, reliability` starting at column `at`.
fn source_ref(row: &Row, at: usize) -> rusqlite::Result<SourceRef> {
    let kind: String = row.get(at + 3)?;
    let reliability: Option<String> = row.get(at + 4)?;
    Ok(SourceRef {
        id: row.get(at)?,
        title: row.get(at + 1)?,
        url: row.get(at + 2)?,
        kind: kind.parse::<SourceKind>().map_err(corrupt(at + 3))?,
        reliability: reliability.map(|r| r.parse::<Reliability>()).transpose().map_err(corrupt(at + 4))?,
    })
}

pub(crate) fn find_by_url_key(conn: &Connection, url_key: &str) -> Result<Option<SourceRef>> {
    Ok(conn
        .query_row("SELECT id, title, url, kind, reliability FROM sources WHERE url_key = ?1", [url_key], |r| {
            source_ref(r, 0)
        })
        .optional()?)
}

pub(crate) fn get(conn: &Connection, id: i64) -> Result<SourceRef> {
    conn.query_row("SELECT id, title, url, kind, reliability FROM sources WHERE id = ?1", [id], |r| source_ref(r, 0))
        .optional()?
        .ok_or(Error::SourceNotFound(id))
}

pub(crate) fn insert(
    tx: &Transaction,
    title: &str,
    url: Option<(&str, &str)>,
    kind: SourceKind,
    reliability: Option<Reliability>,
    now: &str,
) -> Result<SourceRef> {
    let (url, url_key) = url.unzip();
    tx.execute(
        "INSERT INTO sources (title, url, url_key, kind, reliability, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![title, url, url_key, kind.as_str(), reliability.map(Reliability::as_str), now],
    )?;
    get(tx, tx.last_insert_rowid())
}

pub(crate) fn set_reliability(tx: &Transaction, id: i64, reliability: Reliability) -> Result<()> {
    tx.execute("UPDATE sources SET reliability = ?2 WHERE id = ?1", params![id, reliability.as_str()])?;
    Ok(())
}

pub(crate) fn list(conn: &Connection) -> Result<Vec<Source>> {
    let mut stmt = conn.prepare(
        "SELECT s.id, s.title, s.url, s.kind, s.reliability, s.created_at,
                (SELECT count(*) FROM evidence e JOIN claims c ON c.id = e.claim_id
                  WHERE e.source_id = s.id AND e.removed_at IS NULL AND c.removed_at IS NULL)
         FROM sources s ORDER BY s.title COLLATE NOCASE, s.id",
    )?;
    let sources = stmt
        .query_map([], |row| {
            Ok(Source { source: source_ref(row, 0)?, created_at: row.get(5)?, used_by: row.get::<_, i64>(6)? as u64 })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(sources)
}

pub(crate) fn insert_evidence(
    tx: &Transaction,
    claim_id: i64,
    source_id: i64,
    stance: Stance,
    credibility: Option<Credibility>,
    excerpt: Option<&str>,
    now: &str,
) -> Result<i64> {
    tx.execute(
        "INSERT INTO evidence (claim_id, source_id, stance, credibility, excerpt, added_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![claim_id, source_id, stance.as_str(), credibility.map(Credibility::get), excerpt, now],
    )?;
    Ok(tx.last_insert_rowid())
}

const EVIDENCE_COLUMNS: &str = "e.id, e.claim_id, e.stance, e.credibility, e.excerpt, e.added_at,
     s.id, s.title, s.url, s.kind, s.reliability,
     f.id, e.file_name, f.media_type, f.sha256, f.bytes,
     sn.id, sn.url, sn.final_url, sn.status, sn.content_type, sn.fetched_at, sn.sha256, sn.bytes";

/// The source, the file and the newest snapshot of each evidence row `e`.
const EVIDENCE_JOINS: &str = "JOIN sources s ON s.id = e.source_id
     LEFT JOIN files f ON f.id = e.file_id
     LEFT JOIN snapshots sn ON sn.id = (SELECT max(id) FROM snapshots WHERE evidence_id = e.id)";

/// Column index of the first column after [`EVIDENCE_COLUMNS`].
const AFTER_EVIDENCE: usize = 24;

fn evidence_from_row(row: &Row) -> rusqlite::Result<Evidence> {
    let stance: String = row.get(2)?;
    let credibility: Option<u8> = row.get(3)?;
    Ok(Evidence {
        id: row.get(0)?,
        claim_id: row.get(1)?,
        stance: stance.parse::<Stance>().map_err(corrupt(2))?,
        credibility: credibility.map(Credibility::new).transpose().map_err(corrupt(3))?,
        excerpt: row.get(4)?,
        added_at: row.get(5)?,
        source: source_ref(row, 6)?,
        file: file_info(row, 11)?,
        snapshot: snapshot_info(row, 16, row.get(0)?)?,
    })
}

fn file_info(row: &Row, at: usize) -> rusqlite::Result<Option<FileInfo>> {
    let Some(id) = row.get::<_, Option<i64>>(at)? else { return Ok(None) };
    Ok(Some(FileInfo {
        id,
        name: row.get::<_, Option<String>>(at + 1)?.unwrap_or_default(),
        media_type: row.get(at + 2)?,
        sha256: row.get(at + 3)?,
        bytes: row.get::<_, i64>(at + 4)? as u64,
    }))
}

fn snapshot_info(row: &Row, at: usize, evidence_id: i64) -> rusqlite::Result<Option<SnapshotInfo>> {
    let Some(id) = row.get::<_, Option<i64>>(at)? else { return Ok(None) };
    Ok(Some(SnapshotInfo {
        id,
        url: row.get(at + 1)?,
        final_url: row.get(at + 2)?,
        status: row.get(at + 3)?,
        content_type: row.get(at + 4)?,
        fetched_at: row.get(at + 5)?,
        sha256: row.get(at + 6)?,
        bytes: row.get::<_, i64>(at + 7)? as u64,
        article_id: None,
        evidence_id: Some(evidence_id),
    }))
}

/// An evidence link and whether it was removed.
pub(crate) fn get_evidence(conn: &Connection, id: i64) -> Result<(Evidence, bool)> {
    conn.query_row(
        &format!(
            "SELECT {EVIDENCE_COLUMNS}, e.removed_at IS NOT NULL
             FROM evidence e {EVIDENCE_JOINS} WHERE e.id = ?1"
        ),
        [id],
        |row| Ok((evidence_from_row(row)?, row.get(AFTER_EVIDENCE)?)),
    )
    .optional()?
    .ok_or(Error::EvidenceNotFound(id))
}

pub(crate) fn mark_evidence_removed(tx: &Transaction, id: i64, now: &str) -> Result<()> {
    tx.execute("UPDATE evidence SET removed_at = ?2 WHERE id = ?1", params![id, now])?;
    Ok(())
}

pub(crate) fn evidence_for_claim(conn: &Connection, claim_id: i64) -> Result<Vec<Evidence>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {EVIDENCE_COLUMNS} FROM evidence e {EVIDENCE_JOINS}
         WHERE e.claim_id = ?1 AND e.removed_at IS NULL ORDER BY e.id"
    ))?;
    let evidence = stmt.query_map([claim_id], evidence_from_row)?.collect::<rusqlite::Result<_>>()?;
    Ok(evidence)
}

/// Live evidence of every live claim matching `filter`, grouped by claim, in one query.
pub(crate) fn evidence_matching(conn: &Connection, filter: ClaimFilter) -> Result<HashMap<i64, Vec<Evidence>>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {EVIDENCE_COLUMNS} FROM evidence e
         JOIN claims c ON c.id = e.claim_id
         {EVIDENCE_JOINS}
         WHERE e.removed_at IS NULL AND {}
         ORDER BY e.id",
        filter.condition("c")
    ))?;
    let mut grouped: HashMap<i64, Vec<Evidence>> = HashMap::new();
    let rows = stmt.query_map(&*filter.params(), evidence_from_row)?;
    for evidence in rows {
        let evidence = evidence?;
        grouped.entry(evidence.claim_id).or_default().push(evidence);
    }
    Ok(grouped)
}
