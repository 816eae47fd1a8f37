//! What more than one store module needs, kept here so that none of them imports another
//! in a loop: the filter over live claims, how a status is bound in SQL, the lists'
//! kept lengths, and waiting out another process's lock.

use rusqlite::types::{ToSql, ToSqlOutput};
use rusqlite::{Connection, OptionalExtension};

use crate::model::Status;
use crate::{Error, Result};

/// How long a writer waits for another process (the app and the CLI share the file).
pub(crate) const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClaimFilter {
    pub article_id: Option<i64>,
    pub status: Option<Status>,
}

/// Adds `delta` to the kept length of `list` (schema v6's `list_counts`), in the caller's
/// transaction: every statement that adds to a list or takes from one calls it.
pub(crate) fn count_change(conn: &Connection, list: &str, delta: i64) -> Result<()> {
    if crate::store::batch::hold_count_change(list, delta) {
        return Ok(());
    }
    write_count_change(conn, list, delta)
}

/// [`count_change`] written to the file now (an open batch holds changes until it ends).
pub(crate) fn write_count_change(conn: &Connection, list: &str, delta: i64) -> Result<()> {
    let changed = conn
        .prepare_cached("UPDATE list_counts SET rows = rows + ?2 WHERE list = ?1")?
        .execute(rusqlite::params![list, delta])?;
    if changed != 1 {
        return Err(Error::Corrupt(format!("the library keeps no count of {list}")));
    }
    Ok(())
}

/// The list of live claims with `status`, as `list_counts` names it.
pub(crate) fn status_list(status: Status) -> &'static str {
    match status {
        Status::Unreviewed => "claims:unreviewed",
        Status::Confirmed => "claims:confirmed",
        Status::Unconfirmed => "claims:unconfirmed",
        Status::Disputed => "claims:disputed",
        Status::False => "claims:false",
    }
}

/// The length of a list, kept in step by [`count_change`] (schema v6's `list_counts`).
pub(crate) fn list_count(conn: &Connection, list: &str) -> Result<u64> {
    let rows: Option<i64> = conn
        .prepare_cached("SELECT rows FROM list_counts WHERE list = ?1")?
        .query_row([list], |r| r.get(0))
        .optional()?;
    let held = crate::store::batch::held_count_change(list);
    rows.map(|n| (n + held) as u64).ok_or_else(|| Error::Corrupt(format!("the library keeps no count of {list}")))
}

impl ClaimFilter {
    /// The WHERE condition on live claims aliased `alias`. Only the filters in use are
    /// written out: `(?1 IS NULL OR x = ?1)` would stop SQLite from using an index.
    pub(crate) fn condition(&self, alias: &str) -> String {
        let mut sql = format!("{alias}.removed_at IS NULL");
        if self.article_id.is_some() {
            sql.push_str(&format!(" AND {alias}.article_id = :article"));
        }
        if self.status.is_some() {
            sql.push_str(&format!(" AND {alias}.status = :status"));
        }
        sql
    }

    /// The parameters `condition` names.
    pub(crate) fn params(&self) -> Vec<(&'static str, &dyn ToSql)> {
        let mut params: Vec<(&'static str, &dyn ToSql)> = Vec::new();
        if let Some(article_id) = &self.article_id {
            params.push((":article", article_id));
        }
        if let Some(status) = &self.status {
            params.push((":status", status));
        }
        params
    }
}

impl ToSql for Status {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

/// Runs `attempt` again while another connection holds a lock it cannot wait for through
/// the busy handler (switching a new file to WAL, reading its schema while another
/// process creates it), for up to the busy timeout.
pub(crate) fn retry_while_busy<T>(mut attempt: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        match attempt() {
            Err(rusqlite::Error::SqliteFailure(failure, _))
                if matches!(failure.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            other => return other,
        }
    }
}
