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
    if let Some(problem) = library.file_problems()?.into_iter().next() {
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
    let articles = library.articles()?.len() as u64;
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
    let check = check_library_file(backup)?;
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
    let partial = library_path.with_extension("restoring");
    std::fs::copy(backup, &partial).and_then(|_| std::fs::rename(&partial, library_path)).map_err(|e| Error::Open {
        path: library_path.to_owned(),
        message: format!("cannot put the backup in place: {e}"),
    })?;
    let check = BackupCheck { path: library_path.to_owned(), ..check };
    Ok((check, kept))
}
