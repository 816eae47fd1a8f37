//! Claim rows, their full-text entries, and loading claims with evidence and warnings.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use crate::anchor::Anchor;
use crate::model::{AnchorState, BoardClaim, Claim, ClaimAnchor, Evidence, Page, Status};
use crate::rules::warnings;
use crate::store::shared::{self, ClaimFilter};
use crate::store::sources;
use crate::{Error, Result};

pub(crate) fn insert(
    tx: &Transaction,
    article_id: i64,
    anchor: &Anchor,
    claimant: Option<&str>,
    note: Option<&str>,
    now: &str,
) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO claims (article_id, start, end, quote, prefix, suffix, claimant, note, created_at, updated_at,
                             anchor_version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, (SELECT version FROM articles WHERE id = ?1))",
    )?
    .execute(params![
        article_id,
        anchor.start as i64,
        anchor.end as i64,
        anchor.quote,
        anchor.prefix,
        anchor.suffix,
        claimant,
        note,
        now
    ])?;
    let id = tx.last_insert_rowid();
    tx.prepare_cached("INSERT INTO claims_fts (rowid, quote) VALUES (?1, ?2)")?.execute(params![id, anchor.quote])?;
    // A new claim is live and unreviewed (the column's default).
    shared::count_change(tx, "claims", 1)?;
    shared::count_change(tx, shared::status_list(Status::Unreviewed), 1)?;
    Ok(id)
}

/// The stored fields of a claim, removed or not.
pub(crate) struct ClaimRow {
    pub claim: Claim,
    pub removed: bool,
}

macro_rules! columns {
    () => {
        "c.id, c.article_id, c.quote, c.start, c.end, c.prefix, c.suffix, c.claimant, c.status, c.note,
         c.created_at, c.updated_at, c.removed_at, c.anchor_state, c.anchor_version, c.previous_quote"
    };
}
const COLUMNS: &str = columns!();
/// One claim by id: read for every change to a claim, so its text is built once.
const BY_ID: &str = concat!("SELECT ", columns!(), " FROM claims c WHERE c.id = ?1");

fn from_row(row: &Row) -> rusqlite::Result<ClaimRow> {
    let status: String = row.get(8)?;
    let status = status
        .parse::<Status>()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(8, rusqlite::types::Type::Text, Box::new(e)))?;
    let state: String = row.get(13)?;
    let state = state
        .parse::<AnchorState>()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(13, rusqlite::types::Type::Text, Box::new(e)))?;
    Ok(ClaimRow {
        claim: Claim {
            id: row.get(0)?,
            article_id: row.get(1)?,
            quote: row.get(2)?,
            start: row.get::<_, i64>(3)? as usize,
            end: row.get::<_, i64>(4)? as usize,
            prefix: row.get(5)?,
            suffix: row.get(6)?,
            claimant: row.get(7)?,
            status,
            note: row.get(9)?,
            anchor: ClaimAnchor { state, version: row.get(14)?, previous_quote: row.get(15)? },
            evidence: Vec::new(),
            warnings: Vec::new(),
            created_at: row.get(10)?,
            updated_at: row.get(11)?,
            contested: None,
            review: None,
            assigned_to: None,
        },
        removed: row.get::<_, Option<String>>(12)?.is_some(),
    })
}

pub(crate) fn get_row(conn: &Connection, id: i64) -> Result<ClaimRow> {
    conn.prepare_cached(BY_ID)?.query_row([id], from_row).optional()?.ok_or(Error::ClaimNotFound(id))
}

/// A live claim with its evidence and warnings.
pub(crate) fn get_live(conn: &Connection, id: i64) -> Result<Claim> {
    let row = get_row(conn, id)?;
    if row.removed {
        return Err(Error::ClaimRemoved(id));
    }
    let mut claim = row.claim;
    claim.evidence = sources::evidence_for_claim(conn, id)?;
    claim.warnings = warnings(claim.status, &claim.evidence);
    claim.contested = super::team::contest(conn, id)?;
    let marks = super::history::claim_marks(conn, claim.article_id)?;
    claim.review = marks.review(id, claim.status);
    claim.assigned_to = marks.assignee(Some(id));
    Ok(claim)
}

/// Live claims matching `filter`, by article then reading order, with evidence.
pub(crate) fn list(conn: &Connection, filter: ClaimFilter) -> Result<Vec<Claim>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM claims c WHERE {} ORDER BY c.article_id, c.start, c.end, c.id",
        filter.condition("c")
    ))?;
    let mut claims: Vec<Claim> =
        stmt.query_map(&*filter.params(), |row| from_row(row).map(|r| r.claim))?.collect::<rusqlite::Result<_>>()?;
    let mut evidence: HashMap<i64, Vec<Evidence>> = sources::evidence_matching(conn, filter)?;
    let contested = super::team::contested_ids(conn)?;
    // Reviews and assignments come from each article's history, read once per article.
    let mut marks: HashMap<i64, super::history::ClaimMarks> = HashMap::new();
    for claim in &mut claims {
        claim.evidence = evidence.remove(&claim.id).unwrap_or_default();
        claim.warnings = warnings(claim.status, &claim.evidence);
        if contested.contains(&claim.id) {
            claim.contested = super::team::contest(conn, claim.id)?;
        }
        let article = match marks.entry(claim.article_id) {
            std::collections::hash_map::Entry::Occupied(entry) => entry.into_mut(),
            std::collections::hash_map::Entry::Vacant(entry) => {
                entry.insert(super::history::claim_marks(conn, claim.article_id)?)
            }
        };
        claim.review = article.review(claim.id, claim.status);
        claim.assigned_to = article.assignee(Some(claim.id));
    }
    Ok(claims)
}

/// `limit` live claims (of `status`, or all) from position `offset`, newest flagged
/// first, each with its article's title, and how many there are.
pub(crate) fn page(conn: &Connection, status: Option<Status>, offset: u64, limit: usize) -> Result<Page<BoardClaim>> {
    let total = shared::list_count(conn, status.map_or("claims", shared::status_list))?;
    // Both indexes hold only ids of live claims: a deep page skips index entries, not rows.
    let (limit, offset) = (limit as i64, offset as i64);
    let ids: Vec<i64> = match status {
        Some(status) => conn
            .prepare_cached(
                "SELECT id FROM claims INDEXED BY claims_by_status WHERE removed_at IS NULL AND status = ?1
                 ORDER BY id DESC LIMIT ?2 OFFSET ?3",
            )?
            .query_map(params![status, limit, offset], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?,
        None => conn
            .prepare_cached(
                "SELECT id FROM claims INDEXED BY claims_live WHERE removed_at IS NULL ORDER BY id DESC LIMIT ?1 OFFSET ?2",
            )?
            .query_map(params![limit, offset], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?,
    };
    Ok(Page { total, offset: offset as u64, rows: board_rows(conn, ids)? })
}

/// Live claims by id, each whole and with its article's title, in the order given.
pub(crate) fn board_rows(conn: &Connection, ids: Vec<i64>) -> Result<Vec<BoardClaim>> {
    let mut title = conn.prepare_cached("SELECT title FROM articles WHERE id = ?1")?;
    ids.into_iter()
        .map(|id| {
            let claim = get_live(conn, id)?;
            let article_title = title.query_row([claim.article_id], |r| r.get(0))?;
            Ok(BoardClaim { claim, article_title })
        })
        .collect()
}

/// Moves a live claim, read in this transaction with status `from`, to `status`.
pub(crate) fn set_status(
    tx: &Transaction,
    id: i64,
    from: Status,
    status: Status,
    note: Option<&str>,
    now: &str,
) -> Result<()> {
    let changed = tx
        .prepare_cached(
            "UPDATE claims SET status = ?2, note = coalesce(?3, note), updated_at = ?4
              WHERE id = ?1 AND removed_at IS NULL",
        )?
        .execute(params![id, status.as_str(), note, now])?;
    if changed != 1 {
        return Err(Error::ClaimNotFound(id));
    }
    if from != status {
        shared::count_change(tx, shared::status_list(from), -1)?;
        shared::count_change(tx, shared::status_list(status), 1)?;
    }
    Ok(())
}

pub(crate) fn set_claimant_and_note(
    tx: &Transaction,
    id: i64,
    claimant: Option<&str>,
    note: Option<&str>,
    now: &str,
) -> Result<()> {
    tx.execute(
        "UPDATE claims SET claimant = ?2, note = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, claimant, note, now],
    )?;
    Ok(())
}

/// Hides a claim from lists and search; the row and its history stay.
pub(crate) fn mark_removed(tx: &Transaction, claim: &Claim, now: &str) -> Result<()> {
    let removed = tx.execute(
        "UPDATE claims SET removed_at = ?2, updated_at = ?2 WHERE id = ?1 AND removed_at IS NULL",
        params![claim.id, now],
    )?;
    if removed == 0 {
        return Err(Error::ClaimRemoved(claim.id));
    }
    tx.execute(
        "INSERT INTO claims_fts (claims_fts, rowid, quote) VALUES ('delete', ?1, ?2)",
        params![claim.id, claim.quote],
    )?;
    // The row's own status: `claim` may be a copy read before this transaction.
    let status: String = tx.query_row("SELECT status FROM claims WHERE id = ?1", [claim.id], |r| r.get(0))?;
    let status: Status = status.parse()?;
    shared::count_change(tx, "claims", -1)?;
    shared::count_change(tx, shared::status_list(status), -1)?;
    Ok(())
}

/// Moves a claim to a new anchor (a new version of its article, or a person's fix) and
/// keeps the search index in step with its quote.
pub(crate) fn set_anchor(
    tx: &Transaction,
    claim: &Claim,
    anchor: &Anchor,
    state: &ClaimAnchor,
    now: &str,
) -> Result<()> {
    tx.execute(
        "UPDATE claims SET start = ?2, end = ?3, quote = ?4, prefix = ?5, suffix = ?6, anchor_state = ?7,
                           anchor_version = ?8, previous_quote = ?9, updated_at = ?10 WHERE id = ?1",
        params![
            claim.id,
            anchor.start as i64,
            anchor.end as i64,
            anchor.quote,
            anchor.prefix,
            anchor.suffix,
            state.state.as_str(),
            state.version,
            state.previous_quote,
            now
        ],
    )?;
    if anchor.quote != claim.quote {
        tx.execute(
            "INSERT INTO claims_fts (claims_fts, rowid, quote) VALUES ('delete', ?1, ?2)",
            params![claim.id, claim.quote],
        )?;
        tx.execute("INSERT INTO claims_fts (rowid, quote) VALUES (?1, ?2)", params![claim.id, anchor.quote])?;
    }
    Ok(())
}

/// Only the anchor state and version change (an orphan stays where it was).
pub(crate) fn set_anchor_state(tx: &Transaction, id: i64, state: &ClaimAnchor, now: &str) -> Result<()> {
    tx.execute(
        "UPDATE claims SET anchor_state = ?2, anchor_version = ?3, previous_quote = ?4, updated_at = ?5 WHERE id = ?1",
        params![id, state.state.as_str(), state.version, state.previous_quote, now],
    )?;
    Ok(())
}

/// The live claims of an article, in reading order, without evidence.
pub(crate) fn live_rows_of_article(conn: &Connection, article_id: i64) -> Result<Vec<Claim>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM claims c WHERE c.article_id = ?1 AND c.removed_at IS NULL ORDER BY c.start, c.id"
    ))?;
    let claims =
        stmt.query_map([article_id], |row| from_row(row).map(|r| r.claim))?.collect::<rusqlite::Result<_>>()?;
    Ok(claims)
}
