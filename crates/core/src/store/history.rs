//! History rows: append one event (chained to the recorded head), list, read the head.

use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde_json::Value;

use crate::events::{describe_stored, Event, EventKind, Subject};
use crate::history::{
    canonical_body_into, canonical_json, event_hash, ChainCheck, ChainLink, EventBody, Verification, GENESIS_HASH,
};
use crate::model::{ChainHead, ClaimReview, HistoryEvent, Status};
use crate::store::batch;
use crate::Result;

/// What a change records; the store adds id, hashes and the chain head.
pub(crate) struct NewEvent<'a> {
    pub at: &'a str,
    pub actor: &'a str,
    pub subject: Subject,
    pub event: Event,
}

/// Appends one event, chained to the recorded head; its id.
pub(crate) fn append(tx: &Transaction, new: NewEvent<'_>) -> Result<i64> {
    // The newest id and the chain's head: held by an open batch, else read in one
    // statement (this runs for every event).
    let (last_id, recorded) = match batch::held_head() {
        Some(held) => held,
        None => {
            let (last_id, recorded) = newest(tx)?;
            batch::hold_read_head(last_id, &recorded);
            (last_id, recorded)
        }
    };
    let id = last_id + 1;
    let kind = new.event.kind().as_str();
    let payload = canonical_json(&new.event.payload());
    let body = EventBody {
        id,
        at: new.at,
        actor: new.actor,
        kind,
        article_id: new.subject.article_id(),
        claim_id: new.subject.claim_id(),
    };
    let hash = event_hash(&recorded.head, &body, &payload);
    tx.prepare_cached(
        "INSERT INTO history (id, at, actor, kind, article_id, claim_id, payload, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        id,
        new.at,
        new.actor,
        kind,
        body.article_id,
        body.claim_id,
        payload,
        recorded.head,
        hash
    ])?;
    if let Some(head) = batch::hold_head(id, ChainHead { events: recorded.events + 1, head: hash }) {
        write_head(tx, &head)?;
    }
    Ok(id)
}

/// The newest event's id (0 for none) and the head the library recorded with it.
fn newest(conn: &Connection) -> Result<(i64, ChainHead)> {
    Ok(conn
        .prepare_cached(
            "SELECT ifnull((SELECT max(id) FROM history), 0), h.events, h.hash
               FROM (SELECT 1) LEFT JOIN history_head h ON h.singleton = 1",
        )?
        .query_row([], |r| {
            let head = match (r.get::<_, Option<i64>>(1)?, r.get::<_, Option<String>>(2)?) {
                (Some(events), Some(head)) => ChainHead { events: events as u64, head },
                _ => ChainHead { events: 0, head: GENESIS_HASH.to_owned() },
            };
            Ok((r.get(0)?, head))
        })?)
}

/// Records the chain's head, written in the same transaction as the events before it.
pub(crate) fn write_head(tx: &Transaction, head: &ChainHead) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO history_head (singleton, events, hash) VALUES (1, ?1, ?2)
         ON CONFLICT (singleton) DO UPDATE SET events = excluded.events, hash = excluded.hash",
    )?
    .execute(params![head.events as i64, head.head])?;
    Ok(())
}

/// The newest event by `actor` of the kinds `Library::undo` can take back that is neither
/// an undo itself nor taken back already: its id and stored kind and payload.
pub(crate) fn last_undoable(conn: &Connection, actor: &str, kinds: &[&str]) -> Result<Option<(i64, String, Value)>> {
    let placeholders = vec!["?"; kinds.len()].join(", ");
    let sql = format!(
        "SELECT h.id, h.kind, h.payload FROM history h
         WHERE h.actor = ? AND h.kind IN ({placeholders})
           AND iif(json_valid(h.payload), json_extract(h.payload, '$.undoes'), NULL) IS NULL
           AND NOT EXISTS (SELECT 1 FROM history u
                           WHERE iif(json_valid(u.payload), json_extract(u.payload, '$.undoes'), NULL) = h.id)
         ORDER BY h.id DESC LIMIT 1"
    );
    let mut params: Vec<&dyn rusqlite::ToSql> = vec![&actor];
    params.extend(kinds.iter().map(|k| k as &dyn rusqlite::ToSql));
    let row = conn
        .query_row(&sql, params.as_slice(), |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })
        .optional()?;
    Ok(row.map(|(id, kind, payload)| (id, kind, serde_json::from_str(&payload).unwrap_or(Value::Null))))
}

/// The id of the event whose hash is `hash`.
pub(crate) fn event_with_hash(conn: &Connection, hash: &str) -> Result<Option<i64>> {
    Ok(conn.query_row("SELECT id FROM history WHERE hash = ?1", [hash], |r| r.get(0)).optional()?)
}

/// The head the library recorded with its last write.
pub(crate) fn head(conn: &Connection) -> Result<ChainHead> {
    if let Some(head) = batch::changed_head() {
        return Ok(head);
    }
    let head = conn
        .prepare_cached("SELECT events, hash FROM history_head WHERE singleton = 1")?
        .query_row([], |r| Ok(ChainHead { events: r.get::<_, i64>(0)? as u64, head: r.get(1)? }))
        .optional()?;
    Ok(head.unwrap_or_else(|| ChainHead { events: 0, head: GENESIS_HASH.to_owned() }))
}

const COLUMNS: &str = "id, at, actor, kind, article_id, claim_id, payload, prev_hash, hash";

fn from_row(row: &Row) -> rusqlite::Result<HistoryEvent> {
    StoredEvent::read(row).map(StoredEvent::into_event)
}

/// An event as stored, its payload left as the canonical text that was hashed.
pub(crate) struct StoredEvent {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub kind: String,
    pub article_id: Option<i64>,
    pub claim_id: Option<i64>,
    pub payload: String,
    pub prev_hash: String,
    pub hash: String,
}

impl StoredEvent {
    /// From a row of `id, at, actor, kind, article_id, claim_id, payload, prev_hash, hash`.
    pub(crate) fn read(row: &Row) -> rusqlite::Result<StoredEvent> {
        Ok(StoredEvent {
            id: row.get(0)?,
            at: row.get(1)?,
            actor: row.get(2)?,
            kind: row.get(3)?,
            article_id: row.get(4)?,
            claim_id: row.get(5)?,
            payload: row.get(6)?,
            prev_hash: row.get(7)?,
            hash: row.get(8)?,
        })
    }

    fn into_event(self) -> HistoryEvent {
        // A payload edited into invalid JSON is still shown (as a string), not an error.
        let payload = serde_json::from_str(&self.payload).unwrap_or(Value::String(self.payload));
        HistoryEvent {
            summary: describe_stored(&self.kind, &payload),
            id: self.id,
            at: self.at,
            actor: self.actor,
            kind: self.kind,
            article_id: self.article_id,
            claim_id: self.claim_id,
            payload,
            prev_hash: self.prev_hash,
            hash: self.hash,
        }
    }
}

/// A history row borrowed from SQLite, for `verify`: no copies of its text.
struct RowLink<'r> {
    id: i64,
    at: &'r str,
    actor: &'r str,
    kind: &'r str,
    article_id: Option<i64>,
    claim_id: Option<i64>,
    payload: &'r str,
    prev_hash: &'r str,
    hash: &'r str,
}

impl<'r> RowLink<'r> {
    fn read(row: &'r Row) -> rusqlite::Result<RowLink<'r>> {
        let text = |i: usize| -> rusqlite::Result<&'r str> { row.get_ref(i)?.as_str().map_err(rusqlite::Error::from) };
        Ok(RowLink {
            id: row.get(0)?,
            at: text(1)?,
            actor: text(2)?,
            kind: text(3)?,
            article_id: row.get(4)?,
            claim_id: row.get(5)?,
            payload: text(6)?,
            prev_hash: text(7)?,
            hash: text(8)?,
        })
    }
}

impl ChainLink for RowLink<'_> {
    fn id(&self) -> i64 {
        self.id
    }
    fn prev_hash(&self) -> &str {
        self.prev_hash
    }
    fn hash(&self) -> &str {
        self.hash
    }
    fn canonical_body_into(&self, out: &mut String) {
        let body = EventBody {
            id: self.id,
            at: self.at,
            actor: self.actor,
            kind: self.kind,
            article_id: self.article_id,
            claim_id: self.claim_id,
        };
        canonical_body_into(out, &body, self.payload)
    }
}

/// Recomputes the whole chain, streaming the rows in id order.
pub(crate) fn verify(conn: &Connection) -> Result<Verification> {
    let recorded = head(conn)?;
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM history ORDER BY id"))?;
    let mut rows = stmt.query([])?;
    let mut check = ChainCheck::new();
    while let Some(row) = rows.next()? {
        if let Err(broken) = check.check(&RowLink::read(row)?) {
            return Ok(broken);
        }
    }
    Ok(check.finish(&recorded))
}

/// The newest event, if any.
pub(crate) fn last(conn: &Connection) -> Result<Option<HistoryEvent>> {
    Ok(conn.query_row(&format!("SELECT {COLUMNS} FROM history ORDER BY id DESC LIMIT 1"), [], from_row).optional()?)
}

pub(crate) fn list(conn: &Connection, claim_id: Option<i64>) -> Result<Vec<HistoryEvent>> {
    let events = match claim_id {
        Some(id) => conn
            .prepare(&format!("SELECT {COLUMNS} FROM history WHERE claim_id = ?1 ORDER BY id"))?
            .query_map([id], from_row)?
            .collect::<rusqlite::Result<_>>()?,
        None => conn
            .prepare(&format!("SELECT {COLUMNS} FROM history ORDER BY id"))?
            .query_map([], from_row)?
            .collect::<rusqlite::Result<_>>()?,
    };
    Ok(events)
}

/// Who did something to a claim, and when (from its history event).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Stamp {
    pub by: String,
    /// UTC, RFC 3339.
    pub at: String,
}

/// Who flagged a claim, and who last changed its status.
#[derive(Debug, Clone, Default)]
pub(crate) struct ClaimStamps {
    pub flagged: Option<Stamp>,
    pub decided: Option<Stamp>,
}

/// The stamps of every claim of an article, by claim id.
pub(crate) fn claim_stamps(conn: &Connection, article_id: i64) -> Result<std::collections::HashMap<i64, ClaimStamps>> {
    let mut stmt = conn.prepare_cached(
        "SELECT claim_id, kind, actor, at FROM history
         WHERE article_id = ?1 AND claim_id IS NOT NULL AND kind IN (?2, ?3)
         ORDER BY id",
    )?;
    let flagged = EventKind::ClaimFlagged.as_str();
    let mut rows = stmt.query(params![article_id, flagged, EventKind::ClaimStatusChanged.as_str()])?;
    let mut stamps: std::collections::HashMap<i64, ClaimStamps> = Default::default();
    while let Some(row) = rows.next()? {
        let kind: String = row.get(1)?;
        let stamp = Stamp { by: row.get(2)?, at: row.get(3)? };
        let entry = stamps.entry(row.get(0)?).or_default();
        if kind == flagged {
            entry.flagged = Some(stamp);
        } else {
            entry.decided = Some(stamp);
        }
    }
    Ok(stamps)
}

/// A history row `h`'s author as the workspace knows them: a replayed event's author, else
/// this library's member (the local history may name the desktop's user), else the actor.
pub(crate) const WORKSPACE_AUTHOR: &str = "coalesce((SELECT t.author FROM team_events t WHERE t.history_id = h.id),
     (SELECT member FROM team_link), h.actor)";

/// What an article's history says of its claims beyond their rows: each claim's review of
/// its current status (a later status change voids it), each claim's own assignment
/// (`None` inside: taken back), and the article's assignment. One indexed read per article,
/// folded in event order.
#[derive(Debug, Default)]
pub(crate) struct ClaimMarks {
    reviews: std::collections::HashMap<i64, ClaimReview>,
    own_assignments: std::collections::HashMap<i64, Option<String>>,
    article_assignment: Option<String>,
}

impl ClaimMarks {
    pub(crate) fn review(&self, claim_id: i64, status: Status) -> Option<ClaimReview> {
        self.reviews.get(&claim_id).filter(|r| r.status == status).cloned()
    }

    /// A claim's member: its own assignment, else its article's (`None`: the article's).
    pub(crate) fn assignee(&self, claim_id: Option<i64>) -> Option<String> {
        match claim_id.and_then(|id| self.own_assignments.get(&id)) {
            Some(own) => own.clone(),
            None => self.article_assignment.clone(),
        }
    }
}

pub(crate) fn claim_marks(conn: &Connection, article_id: i64) -> Result<ClaimMarks> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT h.claim_id, h.kind, {WORKSPACE_AUTHOR}, h.at, h.payload FROM history h
          WHERE h.article_id = ?1 AND h.kind IN ('claim_reviewed', 'claim_status_changed', 'assigned')
          ORDER BY h.id"
    ))?;
    let mut rows = statement.query([article_id])?;
    let mut marks = ClaimMarks::default();
    while let Some(row) = rows.next()? {
        let (claim_id, kind): (Option<i64>, String) = (row.get(0)?, row.get(1)?);
        if kind == "claim_status_changed" {
            if let Some(id) = claim_id {
                marks.reviews.remove(&id);
            }
            continue;
        }
        let payload: String = row.get(4)?;
        let payload: Value = serde_json::from_str(&payload).map_err(|e| crate::Error::Corrupt(e.to_string()))?;
        match (Event::from_stored(&kind, &payload), claim_id) {
            (Some(Event::ClaimReviewed(reviewed)), Some(id)) => {
                let review = ClaimReview {
                    decision: reviewed.decision,
                    by: row.get(2)?,
                    at: row.get(3)?,
                    status: reviewed.status,
                    note: reviewed.note,
                };
                marks.reviews.insert(id, review);
            }
            (Some(Event::Assigned(assigned)), Some(id)) => {
                marks.own_assignments.insert(id, assigned.to);
            }
            (Some(Event::Assigned(assigned)), None) => marks.article_assignment = assigned.to,
            _ => {}
        }
    }
    Ok(marks)
}

/// Whether the desk's newest sign-off rule requires an editor's sign-off.
pub(crate) fn review_required(conn: &Connection) -> Result<bool> {
    let payload: Option<String> = conn
        .prepare_cached("SELECT payload FROM history WHERE kind = 'review_required' ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| r.get(0))
        .optional()?;
    Ok(payload
        .and_then(|p| serde_json::from_str::<Value>(&p).ok())
        .and_then(|p| Event::from_stored("review_required", &p))
        .is_some_and(|e| matches!(e, Event::ReviewRequired(rule) if rule.required)))
}
