//! What `verify` checks beside the hash chain: SQLite's own integrity check, the search
//! index against the rows it indexes, every article's bytes against their SHA-256, and
//! every snapshot's and evidence file's bytes against the hashes their history event
//! recorded, and the lists' kept lengths against their rows. Each problem is one line a
//! journalist can act on.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Row};
use sha2::{Digest, Sha256};

use crate::history::hex;

/// At most this many lines from SQLite's integrity check (a badly damaged file has many).
const MAX_SQLITE_LINES: usize = 10;

/// What the file check found, one line each.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct FileCheck {
    /// Problems: the library cannot be fully trusted.
    pub problems: Vec<String>,
    /// Checks that could not run (the search index of a read-only file), and why.
    pub not_checked: Vec<String>,
}

/// Every problem found, one line each; no problems when the file is sound.
pub(crate) fn file_problems(conn: &Connection) -> FileCheck {
    let mut check = FileCheck { problems: sqlite_problems(conn), not_checked: Vec::new() };
    search_index_problems(conn, &mut check);
    check.problems.extend(article_byte_problems(conn));
    check.problems.extend(kept_byte_problems(conn));
    check.problems.extend(version_problems(conn));
    check.problems.extend(list_count_problems(conn));
    check.problems.extend(hub_chain_problems(conn));
    check
}

/// A synced library's copy of the hub's order: each pulled envelope against its hash, the
/// hub chain from the first event to the head the library recorded.
fn hub_chain_problems(conn: &Connection) -> Vec<String> {
    problems_reading("the hub chain", |problems| {
        let mut head = String::new();
        let mut expected_seq = 1;
        each_row(conn, "SELECT seq, hash, hub_hash, envelope FROM team_events ORDER BY seq", |row| {
            let (seq, hash, hub_hash, envelope): (i64, String, String, String) =
                (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
            if problems.is_empty() {
                if seq != expected_seq {
                    problems.push(format!("the hub's event {expected_seq} is missing from this library"));
                } else if crate::history::hub_hash(&head, seq, &hash) != hub_hash {
                    problems.push(format!("the hub chain breaks at the hub's event {seq}"));
                } else if envelope_hash(&envelope).as_deref() != Some(hash.as_str()) {
                    problems.push(format!("the hub's event {seq} was changed after it was pulled"));
                }
            }
            head = hub_hash;
            expected_seq = seq + 1;
            Ok(())
        })?;
        let recorded: Option<String> = conn.query_row("SELECT hub_head FROM team_link", [], |r| r.get(0)).optional()?;
        if problems.is_empty() && recorded.is_some_and(|recorded| recorded != head) {
            problems
                .push("the hub chain's recorded head is not its last event (pulled events were deleted)".to_owned());
        }
        Ok(())
    })
}

/// SHA-256 of an envelope's canonical content, as the hub and the signing device computed it.
fn envelope_hash(envelope: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(envelope).ok()?;
    let body = serde_json::json!({
        "id": value["id"], "device": value["device"], "author": value["author"], "at": value["at"],
        "kind": value["kind"], "subject": value["subject"], "payload": value["payload"], "prev": value["prev"],
    });
    Some(hex(&Sha256::digest(crate::history::canonical_json(&body).as_bytes())))
}

/// The kept length of each list (schema v6's triggers) against a count of its rows.
fn list_count_problems(conn: &Connection) -> Vec<String> {
    problems_reading("list counts", |problems| {
        each_row(
            conn,
            "SELECT k.list, k.rows, CASE
                 WHEN k.list = 'articles' THEN (SELECT count(*) FROM articles)
                 WHEN k.list = 'claims' THEN (SELECT count(*) FROM claims WHERE removed_at IS NULL)
                 ELSE (SELECT count(*) FROM claims WHERE removed_at IS NULL AND 'claims:' || status = k.list) END
             FROM list_counts k ORDER BY k.list",
            |row| {
                let (list, kept, counted): (String, i64, i64) = (row.get(0)?, row.get(1)?, row.get(2)?);
                if kept != counted {
                    problems.push(format!(
                        "the count of {list} kept for the window is {kept}, but there are {counted} (the file was edited)"
                    ));
                }
                Ok(())
            },
        )
    })
}

/// Every kept old version of an article against its SHA-256, and that hash against the
/// history (an import or a version event recorded it).
fn version_problems(conn: &Connection) -> Vec<String> {
    problems_reading("article versions", |problems| {
        let mut recorded = std::collections::HashSet::new();
        each_row(
            conn,
            "SELECT json_extract(payload, '$.sha256') FROM history
             WHERE kind IN ('article_imported', 'article_version_added') AND json_valid(payload)",
            |row| {
                recorded.extend(row.get::<_, Option<String>>(0)?);
                Ok(())
            },
        )?;
        each_row(
            conn,
            "SELECT article_id, version, sha256, original FROM article_versions ORDER BY article_id, version",
            |row| {
                let (article, version, sha): (i64, u32, String) = (row.get(0)?, row.get(1)?, row.get(2)?);
                let stored = hex(&Sha256::digest(row.get_ref(3)?.as_blob().unwrap_or_default()));
                if stored != sha || !recorded.contains(&sha) {
                    problems.push(format!(
                        "article {article} version {version}: its stored bytes no longer match the SHA-256 recorded when it was imported"
                    ));
                }
                Ok(())
            },
        )
    })
}

/// The problems `check` finds, one line each; a failure to read is one more line.
fn problems_reading(what: &str, check: impl FnOnce(&mut Vec<String>) -> rusqlite::Result<()>) -> Vec<String> {
    let mut problems = Vec::new();
    if let Err(error) = check(&mut problems) {
        problems.push(format!("{what} cannot be read: {error}"));
    }
    problems
}

/// Runs `each` on every row of `sql`, one row at a time (a blob is never held longer).
fn each_row(conn: &Connection, sql: &str, mut each: impl FnMut(&Row) -> rusqlite::Result<()>) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        each(row)?;
    }
    Ok(())
}

fn sqlite_problems(conn: &Connection) -> Vec<String> {
    let rows = conn.prepare("PRAGMA integrity_check").and_then(|mut stmt| {
        stmt.query_map([], |row| row.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<String>>>()
    });
    match rows {
        Ok(rows) if rows == ["ok"] => Vec::new(),
        Ok(rows) => {
            rows.into_iter().take(MAX_SQLITE_LINES).map(|row| format!("database file damaged: {row}")).collect()
        }
        Err(error) => vec![format!("database file damaged: {error}")],
    }
}

/// The article index is compared with the articles themselves (FTS5's integrity check
/// with rank 1); the claim index, which holds live claims only, is checked in itself.
fn search_index_problems(conn: &Connection, check: &mut FileCheck) {
    let checks = [
        ("articles_fts", 1, "the search index of articles does not match the articles"),
        ("claims_fts", 0, "the search index of claims is damaged"),
    ];
    for (table, against_content, problem) in checks {
        let sql = format!("INSERT INTO {table}({table}, rank) VALUES ('integrity-check', {against_content})");
        match conn.execute(&sql, []) {
            Ok(_) => {}
            // FTS5's check is written as an INSERT: a read-only file cannot run it.
            Err(rusqlite::Error::SqliteFailure(failure, _)) if failure.code == rusqlite::ErrorCode::ReadOnly => {
                check.not_checked.push(format!("{table}: the search index (the library file is read-only)"));
            }
            Err(error) => check.problems.push(format!("{problem} ({error})")),
        }
    }
}

fn article_byte_problems(conn: &Connection) -> Vec<String> {
    problems_reading("articles", |problems| {
        each_row(conn, "SELECT id, sha256, original FROM articles ORDER BY id", |row| {
            let (id, recorded): (i64, String) = (row.get(0)?, row.get(1)?);
            let bytes = row.get_ref(2)?.as_blob().unwrap_or_default();
            if hex(&Sha256::digest(bytes)) != recorded {
                problems.push(format!(
                    "article {id}: its stored bytes no longer match the SHA-256 recorded at import (the file was edited)"
                ));
            }
            Ok(())
        })
    })
}

/// Snapshots and evidence files against the hashes in their (hash-chained) events: an
/// edit of the stored bytes, or of the hash column beside them, is found.
fn kept_byte_problems(conn: &Connection) -> Vec<String> {
    problems_reading("snapshots or evidence files", |problems| {
        // One pass over the capture events, not one lookup per snapshot.
        let mut recorded_snapshots: HashMap<i64, String> = HashMap::new();
        let mut recorded_files: HashMap<i64, String> = HashMap::new();
        each_row(
            conn,
            "SELECT kind, json_extract(payload, '$.snapshot_id'), json_extract(payload, '$.evidence_id'),
                    json_extract(payload, '$.warc_sha256'), json_extract(payload, '$.sha256')
             FROM history WHERE kind IN ('snapshot_captured', 'file_attached') AND json_valid(payload)",
            |row| {
                let kind: String = row.get(0)?;
                if kind == "snapshot_captured" {
                    if let (Some(id), Some(hash)) = (row.get::<_, Option<i64>>(1)?, row.get::<_, Option<String>>(3)?) {
                        recorded_snapshots.insert(id, hash);
                    }
                } else if let (Some(id), Some(hash)) = (row.get::<_, Option<i64>>(2)?, row.get::<_, Option<String>>(4)?)
                {
                    recorded_files.insert(id, hash);
                }
                Ok(())
            },
        )?;
        each_row(conn, "SELECT id, warc, warc_sha256 FROM snapshots ORDER BY id", |row| {
            let id: i64 = row.get(0)?;
            let stored = hex(&Sha256::digest(row.get_ref(1)?.as_blob().unwrap_or_default()));
            match recorded_snapshots.get(&id) {
                None => problems.push(format!("snapshot {id}: no capture event in the history records it")),
                Some(recorded) if *recorded != stored || *recorded != row.get::<_, String>(2)? => problems.push(format!(
                    "snapshot {id}: its stored bytes no longer match the SHA-256 recorded when it was captured (the file was edited)"
                )),
                Some(_) => {}
            }
            Ok(())
        })?;
        each_row(
            conn,
            "SELECT e.id, f.id, f.content, f.sha256 FROM evidence e JOIN files f ON f.id = e.file_id ORDER BY e.id",
            |row| {
                let (evidence_id, file_id): (i64, i64) = (row.get(0)?, row.get(1)?);
                let stored = hex(&Sha256::digest(row.get_ref(2)?.as_blob().unwrap_or_default()));
                let matches = recorded_files
                    .get(&evidence_id)
                    .is_some_and(|h| *h == stored && *h == row.get::<_, String>(3).unwrap_or_default());
                if !matches {
                    problems.push(format!(
                        "file {file_id} of evidence {evidence_id}: its stored bytes no longer match the SHA-256 recorded when it was attached"
                    ));
                }
                Ok(())
            },
        )
    })
}
