//! The app's log, for a journalist to send when something fails: `factdesk.log` in the
//! `logs` folder of the app's data folder, rotated at 1 MiB with three older files kept
//! (`factdesk.log.1` … `.3`). The default level is `info`, which records what happened
//! (commands that failed, imports, history events) by kind and id, never article text or
//! evidence content; `FACTDESK_LOG=debug` adds the full error messages.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tracing::Level;

/// Size at which the log is rotated.
const ROTATE_AT_BYTES: u64 = 1024 * 1024;
/// How many rotated files are kept beside the current one.
const KEEP_OLD: usize = 3;
const FILE_NAME: &str = "factdesk.log";

/// A log file that moves itself aside when it grows past a size.
#[derive(Clone)]
pub struct RotatingFile {
    inner: Arc<Mutex<Current>>,
}

struct Current {
    path: PathBuf,
    file: File,
    written: u64,
    rotate_at: u64,
}

impl RotatingFile {
    pub fn open(folder: &Path, rotate_at: u64) -> io::Result<RotatingFile> {
        std::fs::create_dir_all(folder)?;
        let path = folder.join(FILE_NAME);
        let file = OpenOptions::new().create(true).append(true).open(&path)?;
        let written = file.metadata()?.len();
        Ok(RotatingFile { inner: Arc::new(Mutex::new(Current { path, file, written, rotate_at })) })
    }
}

impl Current {
    /// `factdesk.log.2` → `.3`, `.1` → `.2`, the current file → `.1`, and a new current file.
    fn rotate(&mut self) -> io::Result<()> {
        self.file.flush()?;
        let numbered = |n: usize| self.path.with_file_name(format!("{FILE_NAME}.{n}"));
        for n in (1..KEEP_OLD).rev() {
            if numbered(n).exists() {
                std::fs::rename(numbered(n), numbered(n + 1))?;
            }
        }
        std::fs::rename(&self.path, numbered(1))?;
        self.file = OpenOptions::new().create(true).append(true).open(&self.path)?;
        self.written = 0;
        Ok(())
    }
}

impl Write for RotatingFile {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let mut current = self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if current.written > 0 && current.written + bytes.len() as u64 > current.rotate_at {
            current.rotate()?;
        }
        current.file.write_all(bytes)?;
        current.written += bytes.len() as u64;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).file.flush()
    }
}

/// Where the log goes: `logs` in the app's data folder (even when `FACTDESK_DB` puts the
/// library elsewhere).
pub fn log_folder() -> Option<PathBuf> {
    factdesk_core::app_data_folder().map(|folder| folder.join("logs"))
}

/// Starts logging to the rotating file; the app runs on without a log if that fails.
pub fn start() {
    let Some(folder) = log_folder() else { return };
    let file = match RotatingFile::open(&folder, ROTATE_AT_BYTES) {
        Ok(file) => file,
        Err(error) => {
            eprintln!("factdesk: no log file in {}: {error}", folder.display());
            return;
        }
    };
    let level = match std::env::var("FACTDESK_LOG").ok().as_deref().map(str::trim) {
        Some("debug") => Level::DEBUG,
        Some("trace") => Level::TRACE,
        Some("warn") => Level::WARN,
        _ => Level::INFO,
    };
    let installed =
        tracing_subscriber::fmt().with_writer(move || file.clone()).with_max_level(level).with_target(false).try_init();
    if installed.is_ok() {
        tracing::info!(version = env!("CARGO_PKG_VERSION"), log = %folder.display(), "Factdesk started");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_rotates_and_keeps_three_old_files() {
        let folder = tempfile::tempdir().unwrap();
        let mut log = RotatingFile::open(folder.path(), 100).unwrap();
        for n in 0..20 {
            writeln!(log, "line {n:02} {}", "x".repeat(40)).unwrap();
        }
        log.flush().unwrap();
        let read = |name: &str| std::fs::read_to_string(folder.path().join(name)).unwrap();
        assert!(read("factdesk.log").contains("line 19"));
        assert!(read("factdesk.log.1").contains("line 17"), "{}", read("factdesk.log.1"));
        assert!(folder.path().join("factdesk.log.3").exists());
        assert!(!folder.path().join("factdesk.log.4").exists(), "only three old files are kept");
        for name in ["factdesk.log", "factdesk.log.1", "factdesk.log.2", "factdesk.log.3"] {
            assert!(read(name).len() <= 100, "{name} is past the rotation size");
        }
        // Reopening appends to the current file and counts what it holds.
        let before = read("factdesk.log");
        let mut again = RotatingFile::open(folder.path(), 100).unwrap();
        writeln!(again, "x").unwrap();
        assert!(read("factdesk.log").starts_with(&before) || read("factdesk.log.1").starts_with(&before));
    }
}
