//! Runs the real `factdesk` binary on a temporary library and reads the file directly.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }

    /// Asserts a failure with the given exit code and exactly one line on stderr.
    #[track_caller]
    pub fn fails(&self, code: i32) -> &str {
        assert_eq!(self.code, code, "exit code; stderr: {}", self.stderr);
        assert_eq!(self.stderr.trim_end().lines().count(), 1, "stderr should be one line: {:?}", self.stderr);
        assert!(self.stderr.starts_with("error: "), "{:?}", self.stderr);
        self.stderr.trim_end()
    }
}

/// A temporary library and the environment the binary runs in.
pub struct Library {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
}

impl Library {
    pub fn new() -> Library {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("library.sqlite");
        Library { dir, db }
    }

    /// Creates the (empty) library file, as the app or any write would.
    pub fn init(&self) {
        factdesk_core::Library::open(&self.db, "tester").unwrap();
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_as("tester", args)
    }

    pub fn run_as(&self, actor: &str, args: &[&str]) -> Run {
        self.run_with(actor, &[], args)
    }

    /// Runs with extra environment variables (`FACTDESK_ALLOW_ADDRESSES` for a test server).
    pub fn run_with(&self, actor: &str, env: &[(&str, &str)], args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_factdesk"))
            .args(args)
            .env("FACTDESK_DB", &self.db)
            .env("FACTDESK_ACTOR", actor)
            .envs(env.iter().copied())
            .output()
            .expect("factdesk runs");
        Run {
            code: output.status.code().expect("exited normally, not by a signal"),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        }
    }

    /// Runs and asserts success.
    #[track_caller]
    pub fn ok(&self, args: &[&str]) -> Run {
        let run = self.run(args);
        assert_eq!(run.code, 0, "factdesk {args:?} failed: {}", run.stderr);
        run
    }

    #[track_caller]
    pub fn ok_json(&self, args: &[&str]) -> Value {
        let mut with_json = args.to_vec();
        with_json.push("--json");
        self.ok(&with_json).json()
    }

    /// Imports fixture files and returns their article ids.
    pub fn import(&self, fixtures: &[&str]) -> Vec<i64> {
        let paths: Vec<String> = fixtures.iter().map(|f| fixture(f).display().to_string()).collect();
        let mut args = vec!["import"];
        args.extend(paths.iter().map(String::as_str));
        let articles = self.ok_json(&args);
        articles.as_array().unwrap().iter().map(|a| a["id"].as_i64().unwrap()).collect()
    }

    /// Flags `quote` in `article` and returns the claim id.
    pub fn claim(&self, article: i64, quote: &str) -> i64 {
        self.ok_json(&["claim", "add", &article.to_string(), "--quote", quote])["id"].as_i64().unwrap()
    }

    pub fn sql(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.db).unwrap()
    }

    /// Row counts of every table a command could write.
    pub fn counts(&self) -> [i64; 5] {
        if !self.db.exists() {
            return [0; 5];
        }
        let conn = self.sql();
        ["articles", "claims", "sources", "evidence", "history"]
            .map(|table| conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap())
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// SHA-256 in lower-case hex, as the library names bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// `../shared` beside the repository, where the sample article and corpora live.
pub fn shared(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared").join(name)
}

/// The characters `start..end` (code points) of `text`.
pub fn slice(text: &str, start: u64, end: u64) -> String {
    text.chars().skip(start as usize).take((end - start) as usize).collect()
}
