//! Versioned schema migrations. The list is append-only: a shipped migration is never
//! edited, a change is a new entry. The version lives in `PRAGMA user_version`; all
//! pending upgrades run in one transaction, so a failure leaves the old schema intact.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use crate::{Error, Result};

/// Migration `i` (0-based) takes the schema from version `i` to `i + 1`.
pub(crate) const MIGRATIONS: &[&str] = &[
    include_str!("schema_v1.sql"),
    include_str!("schema_v2.sql"),
    include_str!("schema_v3.sql"),
    include_str!("schema_v4.sql"),
    include_str!("schema_v5.sql"),
    include_str!("schema_v6.sql"),
    include_str!("schema_v7.sql"),
    include_str!("schema_v8.sql"),
    include_str!("schema_v9.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub(crate) fn migrate(conn: &Connection, path: &Path, migrations: &[&str]) -> Result<()> {
    let target = migrations.len() as i64;
    let version = |conn: &Connection| -> Result<i64> {
        let found: i64 =
            super::shared::retry_while_busy(|| conn.pragma_query_value(None, "user_version", |row| row.get(0)))
                .map_err(|e| Error::Open { path: path.to_owned(), message: e.to_string() })?;
        if found > target {
            return Err(Error::DatabaseTooNew { path: path.to_owned(), found, supported: target });
        }
        Ok(found)
    };
    if version(conn)? == target {
        return Ok(());
    }
    // Take the write lock first, then read the version again: another process (the app
    // and a script opening a new file together) may have migrated while we waited.
    // `unchecked_transaction` because we only hold `&Connection`; nothing else runs on it.
    let tx =
        super::shared::retry_while_busy(|| rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Exclusive))
            .map_err(|e| Error::Open { path: path.to_owned(), message: format!("cannot lock for the upgrade: {e}") })?;
    let found = version(&tx)?;
    if found == target {
        return Ok(());
    }
    for (index, sql) in migrations.iter().enumerate().skip(found as usize) {
        let version = index as i64 + 1;
        tx.execute_batch(sql)
            .and_then(|()| tx.pragma_update(None, "user_version", version))
            .map_err(|source| Error::Migration { version, from: found, source })?;
    }
    tx.commit().map_err(|source| Error::Migration { version: target, from: found, source })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The normalized schema: every table, index, trigger and view with its SQL.
    fn schema_of(conn: &Connection) -> Vec<(String, String, String)> {
        let mut stmt =
            conn.prepare("SELECT type, name, ifnull(sql, '') FROM sqlite_master ORDER BY type, name").unwrap();
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, String>(2)?))).unwrap();
        rows.map(|r| {
            let (t, n, sql): (String, String, String) = r.unwrap();
            (t, n, sql.split_whitespace().collect::<Vec<_>>().join(" "))
        })
        .collect()
    }

    fn version_of(conn: &Connection) -> i64 {
        conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap()
    }

    /// Every old version upgrades to exactly the schema a fresh database gets, and the
    /// rows written at the old version survive.
    #[test]
    fn every_old_version_upgrades_to_the_fresh_schema() {
        let dir = tempfile::tempdir().unwrap();
        let fresh_path = dir.path().join("fresh.sqlite");
        let fresh = Connection::open(&fresh_path).unwrap();
        migrate(&fresh, &fresh_path, MIGRATIONS).unwrap();
        let fresh_schema = schema_of(&fresh);

        for old in 0..MIGRATIONS.len() {
            let path = dir.path().join(format!("v{old}.sqlite"));
            let conn = Connection::open(&path).unwrap();
            migrate(&conn, &path, &MIGRATIONS[..old]).unwrap();
            assert_eq!(version_of(&conn), old as i64);
            conn.execute_batch("CREATE TABLE IF NOT EXISTS canary(x); INSERT INTO canary VALUES (42);").unwrap();
            migrate(&conn, &path, MIGRATIONS).unwrap();
            assert_eq!(version_of(&conn), SCHEMA_VERSION);
            let mut upgraded = schema_of(&conn);
            upgraded.retain(|(_, name, _)| name != "canary");
            assert_eq!(upgraded, fresh_schema, "upgrade from v{old} differs from a fresh database");
            let kept: i64 = conn.query_row("SELECT x FROM canary", [], |r| r.get(0)).unwrap();
            assert_eq!(kept, 42);
        }
    }

    #[test]
    fn a_newer_database_is_refused_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("future.sqlite");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE future(x); PRAGMA user_version = 99;").unwrap();
        let err = migrate(&conn, &path, MIGRATIONS).unwrap_err();
        assert!(matches!(err, Error::DatabaseTooNew { found: 99, .. }), "{err}");
        assert!(err.to_string().contains("newer"), "{err}");
        assert_eq!(version_of(&conn), 99);
        assert_eq!(schema_of(&conn).len(), 1);
    }

    #[test]
    fn a_failing_migration_rolls_back_every_step() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("broken.sqlite");
        let conn = Connection::open(&path).unwrap();
        let broken: &[&str] = &["CREATE TABLE a(x);", "CREATE TABLE b(y); THIS IS NOT SQL;"];
        let err = migrate(&conn, &path, broken).unwrap_err();
        assert!(matches!(err, Error::Migration { version: 2, from: 0, .. }), "{err}");
        assert_eq!(version_of(&conn), 0);
        assert!(schema_of(&conn).is_empty(), "half-applied migration left tables behind");
    }
}
