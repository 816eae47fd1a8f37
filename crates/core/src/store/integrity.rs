//! What `verify` checks beside the hash chain: SQLite's own integrity check, the search
//! index against the rows it indexes, and every article's bytes against their SHA-256.
//! Each problem is one line a journalist can act on.

use rusqlite::Connection;
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
    check
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
    let mut problems = Vec::new();
    let result = conn.prepare("SELECT id, sha256, original FROM articles ORDER BY id").and_then(|mut stmt| {
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let (id, recorded): (i64, String) = (row.get(0)?, row.get(1)?);
            let bytes = row.get_ref(2)?.as_blob().unwrap_or_default();
            if hex(&Sha256::digest(bytes)) != recorded {
                problems.push(format!(
                    "article {id}: its stored bytes no longer match the SHA-256 recorded at import (the file was edited)"
                ));
            }
        }
        Ok(())
    });
    if let Err(error) = result {
        problems.push(format!("articles cannot be read: {error}"));
    }
    problems
}
