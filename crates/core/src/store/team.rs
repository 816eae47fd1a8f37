//! Team sync rows (schema v7): the link to a hub workspace, ids shared across desktops,
//! the hub's events as pulled, and claims in contest. No network here: the hub crate
//! moves events, these functions keep what it moved.

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::events::{EventKind, Role};
use crate::model::{ContestDecision, TeamLink};
use crate::store::history::StoredEvent;
use crate::Result;

pub(crate) fn link(conn: &Connection) -> Result<Option<TeamLink>> {
    // Read on every recorded event (the role check): the statement stays prepared.
    Ok(conn
        .prepare_cached(
            "SELECT hub_url, workspace, member, role, device_key, device_token, joined_at, pushed_through, device_head,
                    pulled_seq, hub_head FROM team_link",
        )?
        .query_row([], |row| {
            Ok(TeamLink {
                hub_url: row.get(0)?,
                workspace: row.get(1)?,
                member: row.get(2)?,
                role: row.get(3)?,
                device_key: row.get(4)?,
                device_token: row.get(5)?,
                joined_at: row.get(6)?,
                pushed_through: row.get(7)?,
                device_head: row.get(8)?,
                pulled_seq: row.get(9)?,
                hub_head: row.get(10)?,
            })
        })
        .optional()?)
}

pub(crate) fn insert_link(tx: &Transaction, link: &TeamLink) -> Result<()> {
    tx.execute(
        "INSERT INTO team_link (singleton, hub_url, workspace, member, role, device_key, device_token, joined_at)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            link.hub_url,
            link.workspace,
            link.member,
            link.role,
            link.device_key,
            link.device_token,
            link.joined_at
        ],
    )?;
    Ok(())
}

pub(crate) fn set_pushed(tx: &Transaction, through: i64, device_head: &str) -> Result<()> {
    tx.execute("UPDATE team_link SET pushed_through = ?1, device_head = ?2", params![through, device_head])?;
    Ok(())
}

pub(crate) fn set_pushed_through(tx: &Transaction, through: i64) -> Result<()> {
    tx.execute("UPDATE team_link SET pushed_through = ?1", [through])?;
    Ok(())
}

pub(crate) fn set_pulled(tx: &Transaction, seq: i64, hub_head: &str) -> Result<()> {
    tx.execute("UPDATE team_link SET pulled_seq = ?1, hub_head = ?2", params![seq, hub_head])?;
    Ok(())
}

pub(crate) fn uid_of(conn: &Connection, kind: &str, local_id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT uid FROM team_ids WHERE kind = ?1 AND local_id = ?2")?
        .query_row(params![kind, local_id], |r| r.get(0))
        .optional()?)
}

pub(crate) fn local_of(conn: &Connection, kind: &str, uid: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT local_id FROM team_ids WHERE uid = ?1 AND kind = ?2")?
        .query_row(params![uid, kind], |r| r.get(0))
        .optional()?)
}

/// Names a local row by a shared id; false when the id or the row had a name already
/// (the file keeps the first).
pub(crate) fn map(tx: &Transaction, uid: &str, kind: &str, local_id: i64) -> Result<bool> {
    let inserted = tx
        .prepare_cached("INSERT OR IGNORE INTO team_ids (uid, kind, local_id) VALUES (?1, ?2, ?3)")?
        .execute(params![uid, kind, local_id])?;
    Ok(inserted == 1)
}

/// This library's own events after `after` (replayed ones are others'), oldest first.
pub(crate) fn unpushed(conn: &Connection, after: i64, limit: usize) -> Result<Vec<StoredEvent>> {
    let mut statement = conn.prepare_cached(
        "SELECT h.id, h.at, h.actor, h.kind, h.article_id, h.claim_id, h.payload, h.prev_hash, h.hash FROM history h
          WHERE h.id > ?1 AND NOT EXISTS (SELECT 1 FROM team_events t WHERE t.history_id = h.id)
          ORDER BY h.id LIMIT ?2",
    )?;
    let rows = statement.query_map(params![after, limit as i64], StoredEvent::read)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn count_unpushed(conn: &Connection, after: i64, role: &str) -> Result<u64> {
    let kinds = pushable_kinds(role)?;
    let mut statement = conn.prepare_cached(
        "SELECT h.kind FROM history h WHERE h.id > ?1 AND NOT EXISTS (SELECT 1 FROM team_events t WHERE t.history_id = h.id)",
    )?;
    let rows = statement.query_map([after], |r| r.get::<_, String>(0))?;
    let mut waiting = 0;
    for kind in rows {
        waiting += u64::from(kinds.contains(&kind?.as_str()));
    }
    Ok(waiting)
}

/// A pulled event as kept.
pub(crate) struct PulledRow<'a> {
    pub seq: i64,
    pub id: &'a str,
    pub hash: &'a str,
    pub hub_hash: &'a str,
    pub author: &'a str,
    pub kind: &'a str,
    pub history_id: Option<i64>,
    pub envelope: &'a str,
}

pub(crate) fn insert_pulled(tx: &Transaction, row: &PulledRow<'_>) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO team_events (seq, id, hash, hub_hash, author, kind, history_id, envelope)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        row.seq,
        row.id,
        row.hash,
        row.hub_hash,
        row.author,
        row.kind,
        row.history_id,
        row.envelope
    ])?;
    Ok(())
}

/// The local history event a pulled event id is (ours) or became (replayed).
pub(crate) fn history_of_event(conn: &Connection, event_id: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT history_id FROM team_events WHERE id = ?1")?
        .query_row([event_id], |r| r.get::<_, Option<i64>>(0))
        .optional()?
        .flatten())
}

/// The pulled event id of a local history event, when it came from the hub.
pub(crate) fn event_of_history(conn: &Connection, history_id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT id FROM team_events WHERE history_id = ?1")?
        .query_row([history_id], |r| r.get(0))
        .optional()?)
}

pub(crate) fn not_replayed(conn: &Connection) -> Result<u64> {
    Ok(conn.query_row("SELECT count(*) FROM team_events WHERE history_id IS NULL", [], |r| r.get::<_, i64>(0))? as u64)
}

pub(crate) fn contest(conn: &Connection, claim_id: i64) -> Result<Option<Vec<ContestDecision>>> {
    let decisions: Option<String> = conn
        .prepare_cached("SELECT decisions FROM claim_contests WHERE claim_id = ?1")?
        .query_row([claim_id], |r| r.get(0))
        .optional()?;
    decisions
        .map(|d| {
            serde_json::from_str(&d).map_err(|e| crate::Error::Corrupt(format!("claim {claim_id}'s contest: {e}")))
        })
        .transpose()
}

pub(crate) fn set_contest(tx: &Transaction, claim_id: i64, decisions: &[ContestDecision]) -> Result<()> {
    let json = serde_json::to_string(decisions).map_err(|e| crate::Error::Corrupt(e.to_string()))?;
    tx.execute(
        "INSERT INTO claim_contests (claim_id, decisions) VALUES (?1, ?2)
         ON CONFLICT (claim_id) DO UPDATE SET decisions = excluded.decisions",
        params![claim_id, json],
    )?;
    Ok(())
}

pub(crate) fn settle(tx: &Transaction, claim_id: i64) -> Result<()> {
    tx.execute("DELETE FROM claim_contests WHERE claim_id = ?1", [claim_id])?;
    Ok(())
}

pub(crate) fn contested_count(conn: &Connection) -> Result<u64> {
    Ok(conn.query_row("SELECT count(*) FROM claim_contests", [], |r| r.get::<_, i64>(0))? as u64)
}

/// An article's original bytes (any version) by their SHA-256.
pub(crate) fn article_bytes(conn: &Connection, sha256: &str) -> Result<Option<Vec<u8>>> {
    let current: Option<Vec<u8>> =
        conn.query_row("SELECT original FROM articles WHERE sha256 = ?1", [sha256], |r| r.get(0)).optional()?;
    if current.is_some() {
        return Ok(current);
    }
    Ok(conn
        .query_row("SELECT original FROM article_versions WHERE sha256 = ?1 LIMIT 1", [sha256], |r| r.get(0))
        .optional()?)
}

/// A status set on this desktop while the claim is contested: an editor's settles the
/// contest; anyone else's joins it as one more decision.
pub(crate) fn on_local_status(tx: &Transaction, claim_id: i64, decision: ContestDecision) -> Result<()> {
    let Some(mut decisions) = contest(tx, claim_id)? else { return Ok(()) };
    let Some(link) = link(tx)? else { return Ok(()) };
    if link.role == "editor" {
        return settle(tx, claim_id);
    }
    decisions.push(ContestDecision { author: link.member, ..decision });
    set_contest(tx, claim_id, &decisions)
}

/// The claims in contest (few, if any: read once per list).
pub(crate) fn contested_ids(conn: &Connection) -> Result<std::collections::HashSet<i64>> {
    let mut statement = conn.prepare_cached("SELECT claim_id FROM claim_contests")?;
    let ids = statement.query_map([], |r| r.get(0))?;
    Ok(ids.collect::<rusqlite::Result<_>>()?)
}

/// Refuses a change the linked member's role does not allow; anything goes unlinked.
pub(crate) fn check_role(conn: &Connection, kind: EventKind) -> Result<()> {
    let Some(link) = link(conn)? else { return Ok(()) };
    let role: Role = link.role.parse()?;
    if kind.least_role() > role {
        return Err(crate::Error::InvalidInput {
            field: "role",
            message: format!(
                "as a {} of {:?} you may not do this (\"{}\" needs a {})",
                role.as_str(),
                link.workspace,
                kind.label(),
                kind.least_role().as_str()
            ),
        });
    }
    Ok(())
}

/// The event kinds the linked member's role may push (events of other kinds, made before
/// the library joined, stay in this library only).
pub(crate) fn pushable_kinds(role: &str) -> Result<Vec<&'static str>> {
    let role: Role = role.parse()?;
    Ok(EventKind::ALL.iter().filter(|k| k.least_role() <= role).map(|k| k.as_str()).collect())
}
