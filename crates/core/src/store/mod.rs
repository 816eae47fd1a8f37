//! The one way into the SQLite file: `Store::open` sets the pragmas and migrates,
//! `read` and `write` lend a connection or an IMMEDIATE transaction to a closure.
//! No `Connection` leaves the core; the query modules below are per aggregate.

pub(crate) mod articles;
pub(crate) mod batch;
pub(crate) mod board;
pub(crate) mod captures;
pub(crate) mod claims;
pub(crate) mod history;
pub mod integrity;
mod migrations;
pub(crate) mod search;
pub(crate) mod shared;
pub(crate) mod sources;
pub(crate) mod suggestions;
pub(crate) mod team;
pub(crate) mod versions;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::{Error, Result};

/// SQLite's own checkpoint interval, in pages of log.
const DEFAULT_CHECKPOINT_PAGES: i64 = 1_000;
/// The interval during bulk work: 64 MiB of 4 KiB pages.
const BULK_CHECKPOINT_PAGES: i64 = 16_384;
/// SQLite's own page cache (negative: KiB), and the one bulk work has.
const DEFAULT_CACHE_KIB: i64 = -2_000;
const BULK_CACHE_KIB: i64 = -262_144;

pub use migrations::SCHEMA_VERSION;

/// An open library database. Cheap to share behind a reference; calls are serialized.
pub struct Store {
    conn: Mutex<Connection>,
    /// A read-only connection for long reads (`read_aside`), opened when first needed.
    aside: Mutex<Option<Connection>>,
    /// A connection that only checkpoints (`checkpoint_aside`), opened when first needed.
    checkpointer: Mutex<Option<Connection>>,
    path: PathBuf,
    /// Opened read-only (`immutable`) because its folder cannot be written.
    unchangeable: bool,
}

impl Store {
    /// Opens (creating if needed) the library at `path` and brings its schema up to date.
    /// A database written by a newer Factdesk is refused and left untouched.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| Error::Open {
                path: path.to_owned(),
                message: format!("cannot create folder {}: {e}", parent.display()),
            })?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let opened = Connection::open_with_flags(path, flags)
            .and_then(|conn| shared::retry_while_busy(|| configure(&conn)).map(|()| conn));
        let conn = match opened {
            Ok(conn) => conn,
            // SQLite keeps its write-ahead log beside the file: in a folder that cannot be
            // written, a library can still be read (never changed).
            Err(_) if path.is_file() && !folder_is_writable(path) => return Store::open_unchangeable(path),
            Err(e) => return Err(open_error(path, e)),
        };
        migrations::migrate(&conn, path, migrations::MIGRATIONS)?;
        let store = Store {
            conn: Mutex::new(conn),
            aside: Mutex::default(),
            checkpointer: Mutex::default(),
            path: path.to_owned(),
            unchangeable: false,
        };
        if store.read(versions::url_keys_missing)? {
            store.write(versions::fill_url_keys)?;
        }
        Ok(store)
    }

    /// A library in a read-only folder, opened for reading only (SQLite's `immutable`:
    /// no lock, no log files). A change is refused as a read-only database; a library
    /// that needs a schema upgrade cannot be upgraded there, and says so.
    fn open_unchangeable(path: &Path) -> Result<Store> {
        let uri = format!("file:{}?immutable=1", uri_path(path));
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(uri, flags).map_err(|e| open_error(path, e))?;
        let version: i64 =
            conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(|e| open_error(path, e))?;
        if version != SCHEMA_VERSION {
            return Err(Error::Open {
                path: path.to_owned(),
                message: format!(
                    "its folder cannot be written, and the library (schema version {version}) needs this Factdesk's version {SCHEMA_VERSION}; copy it to a writable folder"
                ),
            });
        }
        tracing::info!(path = %path.display(), "library opened read-only: its folder cannot be written");
        Ok(Store {
            conn: Mutex::new(conn),
            aside: Mutex::default(),
            checkpointer: Mutex::default(),
            path: path.to_owned(),
            unchangeable: true,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` with a connection for reading.
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        f(&self.lock())
    }

    /// Runs `f` with a read-only connection of its own, so that a long read (the
    /// assistant's index of every article, a report of the whole library) leaves the
    /// main connection to the window's commands meanwhile; WAL gives each its snapshot.
    /// Long reads wait for each other, never for the main connection.
    pub(crate) fn read_aside<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        if self.unchangeable {
            return self.read(f);
        }
        let mut aside = self.aside.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if aside.is_none() {
            let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            let conn = Connection::open_with_flags(&self.path, flags).map_err(|e| open_error(&self.path, e))?;
            conn.busy_timeout(shared::BUSY_TIMEOUT)?;
            *aside = Some(conn);
        }
        f(aside.as_ref().expect("opened above"))
    }

    /// Copies what the write-ahead log holds back into the database file (a passive
    /// checkpoint: it never waits for the writer, nor the writer for it), on a connection
    /// of its own, so that another thread can do it while the main connection writes. A
    /// bulk writer's own checkpoints then find little left to copy.
    pub(crate) fn checkpoint_aside(&self) -> Result<()> {
        if self.unchangeable {
            return Ok(());
        }
        let mut checkpointer = self.checkpointer.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if checkpointer.is_none() {
            let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            let conn = Connection::open_with_flags(&self.path, flags).map_err(|e| open_error(&self.path, e))?;
            conn.busy_timeout(shared::BUSY_TIMEOUT)?;
            *checkpointer = Some(conn);
        }
        let conn = checkpointer.as_ref().expect("opened above");
        conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Runs `f` inside one IMMEDIATE transaction: committed if `f` returns `Ok`,
    /// rolled back (nothing written) if it returns `Err`.
    pub(crate) fn write<T>(&self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Runs `work` with `synchronous=NORMAL` (no sync at each commit), then checkpoints,
    /// which syncs everything it wrote: durable when it returns, at a fraction of the cost
    /// of a sync per commit. Each write inside is still its own transaction.
    pub(crate) fn bulk<T>(&self, work: impl FnOnce() -> Result<T>) -> Result<T> {
        {
            let conn = self.lock();
            conn.pragma_update(None, "synchronous", "NORMAL")?;
            // Checkpoints every 64 MiB of log, not 4 MiB: a page changed by many
            // transactions (an index's root, the history's head) is copied back once.
            conn.pragma_update(None, "wal_autocheckpoint", BULK_CHECKPOINT_PAGES)?;
            // A page cache (256 MiB at most) that holds a long transaction's changed pages
            // and the indexes it updates: SQLite's 2 MiB spills them to the log
            // mid-transaction and reads them back (BENCHMARKS.md, "Team hub, second part").
            conn.pragma_update(None, "cache_size", BULK_CACHE_KIB)?;
        }
        let result = work();
        let conn = self.lock();
        let restored = conn
            .pragma_update(None, "synchronous", "FULL")
            .and_then(|()| conn.pragma_update(None, "wal_autocheckpoint", DEFAULT_CHECKPOINT_PAGES))
            .and_then(|()| conn.pragma_update(None, "cache_size", DEFAULT_CACHE_KIB));
        let synced = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
        let value = result?;
        restored?;
        synced?;
        Ok(value)
    }

    /// Writes a consistent, compacted copy of the database to `destination` (one read
    /// snapshot, so writers elsewhere may go on).
    pub(crate) fn vacuum_into(&self, destination: &Path) -> Result<()> {
        let target = destination.to_str().ok_or_else(|| Error::invalid("backup", "the path is not valid UTF-8"))?;
        // On a connection of its own when it can: copying a large library takes a while,
        // and the window's commands go on through `conn` meanwhile (in WAL mode the
        // backup's read snapshot and the writer do not wait for each other).
        if self.unchangeable {
            self.lock().execute("VACUUM INTO ?1", [target])?;
            return Ok(());
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let own = Connection::open_with_flags(&self.path, flags).map_err(|e| open_error(&self.path, e))?;
        own.busy_timeout(shared::BUSY_TIMEOUT)?;
        own.execute("VACUUM INTO ?1", [target])?;
        Ok(())
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves no half-written state (the transaction is
        // rolled back when dropped), so a poisoned lock is safe to keep using.
        self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        // Keeps the query planner's statistics fresh; cheap, and harmless if it fails.
        let _ = self.lock().execute_batch("PRAGMA optimize");
    }
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(shared::BUSY_TIMEOUT)?;
    // Every statement of a write stays prepared (rusqlite keeps 16 by default, fewer
    // than one import, flag and status change use between them).
    conn.set_prepared_statement_cache_capacity(64);
    // WAL lets the app read while the CLI writes. FULL syncs the log at every commit, so
    // a change the window showed as saved survives a power cut (BENCHMARKS.md: the cost);
    // bulk work switches to NORMAL for its run (`Store::bulk`).
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

/// Whether a new file can be made beside `path` (what SQLite's log files need).
fn folder_is_writable(path: &Path) -> bool {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let probe = folder.join(format!(".factdesk-write-check-{}", std::process::id()));
    match std::fs::OpenOptions::new().write(true).create_new(true).open(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            true
        }
        Err(_) => false,
    }
}

/// A path as an SQLite URI path: `%`, `?` and `#` escaped.
fn uri_path(path: &Path) -> String {
    path.to_string_lossy().replace('%', "%25").replace('?', "%3f").replace('#', "%23")
}

fn open_error(path: &Path, e: rusqlite::Error) -> Error {
    let message = match &e {
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase => {
            "not a Factdesk library (not an SQLite database); the file was left untouched".to_owned()
        }
        _ => e.to_string(),
    };
    Error::Open { path: path.to_owned(), message }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Interactive writes sync at every commit (FULL = 2); bulk work runs with NORMAL (1)
    /// and the connection is back to FULL afterwards, even when the work fails.
    #[test]
    fn commits_are_durable_except_inside_bulk_work() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("l.sqlite")).unwrap();
        let level =
            |store: &Store| -> i64 { store.lock().pragma_query_value(None, "synchronous", |r| r.get(0)).unwrap() };
        assert_eq!(level(&store), 2);
        let inside = store.bulk(|| Ok(level(&store))).unwrap();
        assert_eq!(inside, 1);
        assert_eq!(level(&store), 2);
        let failed: Result<()> = store.bulk(|| Err(Error::Corrupt("work failed".into())));
        assert!(failed.is_err());
        assert_eq!(level(&store), 2);
        // The page cache and checkpoint interval are back to SQLite's own too.
        let setting = |name: &str| -> i64 { store.lock().pragma_query_value(None, name, |r| r.get(0)).unwrap() };
        assert_eq!(
            (setting("cache_size"), setting("wal_autocheckpoint")),
            (DEFAULT_CACHE_KIB, DEFAULT_CHECKPOINT_PAGES)
        );
    }

    /// A checkpoint on the connection beside the main one copies committed writes into the
    /// file itself: a copy of the file without its log holds them.
    #[test]
    fn a_checkpoint_aside_copies_the_log_into_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.sqlite");
        let store = Store::open(&path).unwrap();
        // The schema itself in the file first.
        store.checkpoint_aside().unwrap();
        let in_file_alone = || -> i64 {
            let copy = dir.path().join("copy.sqlite");
            std::fs::copy(&path, &copy).unwrap();
            let conn = Connection::open(&copy).unwrap();
            let count = conn.query_row("SELECT count(*) FROM sources", [], |r| r.get(0)).unwrap();
            drop(conn);
            std::fs::remove_file(&copy).unwrap();
            count
        };
        store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO sources (title, kind, created_at) VALUES ('The port authority', 'document', '2026-12-03')",
                    [],
                )?;
                Ok(())
            })
            .unwrap();
        assert_eq!(in_file_alone(), 0, "the write is only in the log so far");
        store.checkpoint_aside().unwrap();
        assert_eq!(in_file_alone(), 1);
    }
}
