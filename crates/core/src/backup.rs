//! Backups of a library, and restoring one. A backup is a consistent copy taken while
//! others may be writing (`VACUUM INTO`, which reads one snapshot), checked before it is
//! given its name. A restore refuses a file that does not verify and never overwrites the
//! current library: it is moved aside, named with the time, first.

use std::path::{Path, PathBuf};

use chrono::Utc;

use crate::history::Verification;
use crate::library::Library;
use crate::model::ChainHead;
use crate::{Error, Result};

/// What a backup or a restore checked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BackupCheck {
    pub path: PathBuf,
    pub articles: u64,
    pub history: ChainHead,
}

/// Opens `path` as a library and checks it through: file, search index, article bytes,
/// hash chain. The error names the first problem.
pub fn check_library_file(path: &Path) -> Result<BackupCheck> {
    if !path.is_file() {
        return Err(Error::Open { path: path.to_owned(), message: "no such library file".to_owned() });
    }
    let library = Library::open(path, "backup check")?;
    if let Some(problem) = library.file_problems()?.problems.into_iter().next() {
        return Err(Error::Open { path: path.to_owned(), message: format!("does not verify: {problem}") });
    }
    let history = match library.verify()? {
        Verification::Intact(head) => head,
        Verification::Broken { event_id, reason } => {
            return Err(Error::Open {
                path: path.to_owned(),
                message: format!("does not verify: history event {event_id}: {reason}"),
            })
        }
    };
    let articles = library.article_page(0, 0)?.total;
    Ok(BackupCheck { path: path.to_owned(), articles, history })
}

impl Library {
    /// Writes a consistent copy of the library to `destination` (which must not exist yet)
    /// and checks it; only a copy that verifies gets the name.
    pub fn backup(&self, destination: &Path) -> Result<BackupCheck> {
        if destination.exists() {
            return Err(Error::invalid("backup", format!("{} already exists; name a new file", destination.display())));
        }
        let folder = destination.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let partial = folder.join(format!(
            ".{}.partial-{}",
            destination.file_name().map_or("backup".into(), |n| n.to_string_lossy()),
            std::process::id()
        ));
        let _ = std::fs::remove_file(&partial);
        let result = self.store.vacuum_into(&partial).and_then(|()| check_library_file(&partial)).and_then(|check| {
            std::fs::rename(&partial, destination).map_err(|e| Error::Open {
                path: destination.to_owned(),
                message: format!("cannot name the backup: {e}"),
            })?;
            Ok(BackupCheck { path: destination.to_owned(), ..check })
        });
        if result.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
        result
    }
}

/// Replaces the library at `library_path` with the backup at `backup`, if the backup
/// verifies. The current library (if any) is first moved aside as
/// `NAME.before-restore-YYYYMMDDTHHMMSSZ.sqlite` beside it; its path is returned. Close the
/// app first: a window still open keeps writing to the file that was moved aside.
pub fn restore(backup: &Path, library_path: &Path) -> Result<(BackupCheck, Option<PathBuf>)> {
    if !backup.is_file() {
        return Err(Error::Open { path: backup.to_owned(), message: "no such library file".to_owned() });
    }
    // The copy is checked, not the backup: opening a library may upgrade its schema and
    // switches it to WAL, and a backup is never to be changed, even by looking at it.
    let partial = library_path.with_extension("restoring");
    let remove_partial = || {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", partial.display()));
        }
    };
    remove_partial();
    std::fs::copy(backup, &partial).map_err(|e| {
        remove_partial();
        Error::Open { path: library_path.to_owned(), message: format!("cannot copy the backup beside it: {e}") }
    })?;
    let check = match check_library_file(&partial) {
        Ok(check) => check,
        Err(error) => {
            remove_partial();
            return Err(match error {
                Error::Open { message, .. } => Error::Open { path: backup.to_owned(), message },
                other => other,
            });
        }
    };
    let kept = if library_path.exists() {
        // Fold the write-ahead log into the file, so moving the file moves every change.
        let conn = rusqlite::Connection::open(library_path)?;
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        drop(conn);
        let stem = library_path.file_stem().map_or("library".into(), |s| s.to_string_lossy());
        let kept = library_path
            .with_file_name(format!("{stem}.before-restore-{}.sqlite", Utc::now().format("%Y%m%dT%H%M%SZ")));
        std::fs::rename(library_path, &kept).map_err(|e| Error::Open {
            path: library_path.to_owned(),
            message: format!("cannot move it aside: {e}"),
        })?;
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", library_path.display()));
        }
        Some(kept)
    } else {
        None
    };
    std::fs::rename(&partial, library_path).map_err(|e| Error::Open {
        path: library_path.to_owned(),
        message: format!("cannot put the backup in place: {e}"),
    })?;
    let check = BackupCheck { path: library_path.to_owned(), ..check };
    Ok((check, kept))
}

/// How many days of daily automatic backups are kept.
const DAILY_KEPT: i64 = 7;
/// How many weeks back one automatic backup a week is kept, beyond the daily ones.
const WEEKLY_KEPT: i64 = 8;

/// The app's automatic backups in `folder`: today's is made if there is none yet
/// (`library-YYYY-MM-DD.sqlite`, checked like any backup), then old ones are pruned to one
/// a day for a week and one a week (the newest of each) for eight weeks. Returns the
/// backup made today, if one was.
pub fn rolling_backup(library: &Library, folder: &Path, today: chrono::NaiveDate) -> Result<Option<PathBuf>> {
    std::fs::create_dir_all(folder).map_err(|e| Error::Open {
        path: folder.to_owned(),
        message: format!("cannot create the backup folder: {e}"),
    })?;
    remove_stale_partials(folder);
    let name = |date: chrono::NaiveDate| folder.join(format!("library-{}.sqlite", date.format("%Y-%m-%d")));
    let made = if name(today).exists() { None } else { Some(library.backup(&name(today))?.path) };
    let dated: Vec<chrono::NaiveDate> = std::fs::read_dir(folder)
        .map_err(|e| Error::Open { path: folder.to_owned(), message: e.to_string() })?
        .filter_map(|entry| entry.ok()?.file_name().to_str().map(str::to_owned))
        .filter_map(|file| {
            let date = file.strip_prefix("library-")?.strip_suffix(".sqlite")?;
            chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()
        })
        .collect();
    for old in backups_to_prune(&dated, today) {
        let _ = std::fs::remove_file(name(old));
    }
    Ok(made)
}

/// A partial copy older than this was left by an app that stopped while backing up.
const STALE_PARTIAL: std::time::Duration = std::time::Duration::from_secs(12 * 3600);

/// Removes the partial copies (`.library-….sqlite.partial-PID`) that a killed app left in
/// the backup folder: a large library's would otherwise stay there, gigabytes each.
fn remove_stale_partials(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|modified| modified.elapsed().ok())
            .is_some_and(|age| age > STALE_PARTIAL);
        if name.starts_with(".library-") && name.contains(".partial-") && stale {
            tracing::info!("removing a partial backup left by an interrupted run");
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Which dated backups the rolling policy lets go: not the last week's, not the newest of
/// each of the eight weeks before, and never one dated after `today` (a clock gone wrong).
pub fn backups_to_prune(dates: &[chrono::NaiveDate], today: chrono::NaiveDate) -> Vec<chrono::NaiveDate> {
    use chrono::Datelike;
    let mut newest_of_week: std::collections::HashMap<(i32, u32), chrono::NaiveDate> = Default::default();
    for &date in dates {
        let week = (date.iso_week().year(), date.iso_week().week());
        let entry = newest_of_week.entry(week).or_insert(date);
        *entry = (*entry).max(date);
    }
    let mut prune: Vec<chrono::NaiveDate> = dates
        .iter()
        .copied()
        .filter(|&date| {
            let age = (today - date).num_days();
            let weekly = newest_of_week[&(date.iso_week().year(), date.iso_week().week())] == date;
            age >= DAILY_KEPT && !(weekly && age < DAILY_KEPT + 7 * WEEKLY_KEPT)
        })
        .collect();
    prune.sort();
    prune
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn day(d: &str) -> NaiveDate {
        NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_week_of_dailies_then_one_a_week_for_eight_weeks() {
        let today = day("2026-12-02");
        let dates: Vec<NaiveDate> = (0..120).map(|back| today - chrono::Duration::days(back)).collect();
        let pruned = backups_to_prune(&dates, today);
        let kept: Vec<NaiveDate> = dates.iter().copied().filter(|d| !pruned.contains(d)).collect();
        assert!((0..7).all(|back| kept.contains(&(today - chrono::Duration::days(back)))), "the last week, daily");
        let older: Vec<&NaiveDate> = kept.iter().filter(|d| (today - **d).num_days() >= 7).collect();
        assert!((7..=9).contains(&older.len()), "about one a week for eight weeks: {older:?}");
        assert!(kept.iter().all(|d| (today - *d).num_days() < 7 + 7 * 8), "nothing older than that");
        assert_eq!(backups_to_prune(&[today + chrono::Duration::days(3)], today), vec![], "a future date is kept");
    }

    #[test]
    fn the_rolling_backup_is_made_once_a_day_and_verifies() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(&dir.path().join("library.sqlite"), "ana").unwrap();
        library.import_bytes("a.txt", b"Title\n\nThe council voted on Monday.".to_vec(), crate::Format::Text).unwrap();
        let folder = dir.path().join("backups");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("library-2026-01-01.sqlite"), b"an old backup").unwrap();
        let made = rolling_backup(&library, &folder, day("2026-12-02")).unwrap().unwrap();
        assert_eq!(check_library_file(&made).unwrap().articles, 1);
        assert_eq!(rolling_backup(&library, &folder, day("2026-12-02")).unwrap(), None, "once a day");
        assert!(!folder.join("library-2026-01-01.sqlite").exists(), "eleven months old: pruned");
    }

    /// A partial copy left by a killed app is removed once it is old; a fresh one (another
    /// app may be writing it) is left alone.
    #[test]
    fn a_partial_backup_left_behind_is_removed_when_stale() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(&dir.path().join("library.sqlite"), "ana").unwrap();
        let folder = dir.path().join("backups");
        std::fs::create_dir_all(&folder).unwrap();
        let (old, fresh) = (
            folder.join(".library-2026-11-30.sqlite.partial-4242"),
            folder.join(".library-2026-12-02.sqlite.partial-77"),
        );
        for path in [&old, &fresh] {
            std::fs::write(path, b"half a copy").unwrap();
        }
        let a_day_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(24 * 3600);
        std::fs::File::options().write(true).open(&old).unwrap().set_modified(a_day_ago).unwrap();
        rolling_backup(&library, &folder, day("2026-12-02")).unwrap();
        assert!(!old.exists(), "a day-old partial copy is removed");
        assert!(fresh.exists(), "a fresh one may be another app's, still being written");
    }
}
