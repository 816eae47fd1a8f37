//! A throwaway PostgreSQL cluster for tests: `initdb` in a temporary folder (as the
//! `postgres` user when the tests run as root, which initdb refuses), the server on a free
//! loopback port with its socket in that folder, never the system's service. One cluster
//! serves a whole test binary; each test asks for a database of its own.
//!
//! The server runs under a small shell that waits on a pipe from this process: when the
//! test binary exits (however it exits), the pipe closes, the shell stops the server with
//! a fast shutdown and removes the folder. Tests stop what they start.

use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

pub struct Cluster {
    pub port: u16,
    bin: PathBuf,
    // Held for the life of the process; the pipe closes when the process exits, and the
    // keeper then stops the server.
    _keeper: Mutex<(Child, ChildStdin)>,
}

static CLUSTER: OnceLock<Cluster> = OnceLock::new();
static DATABASES: AtomicUsize = AtomicUsize::new(0);

/// The test binary's cluster, started on first use.
pub fn cluster() -> &'static Cluster {
    CLUSTER.get_or_init(Cluster::start)
}

fn bin_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("FACTDESK_PG_BIN") {
        return PathBuf::from(dir);
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_string_lossy().parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin).expect(
        "PostgreSQL's server programs are not installed (/usr/lib/postgresql/*/bin/initdb): \
         the README's test command installs Debian's postgresql package",
    )
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

/// `program args…`, as the `postgres` user when we are root.
fn as_cluster_owner(program: &Path) -> Command {
    if is_root() {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

/// Tests run without fsync (a crash of the machine is not what they test); benchmarks set
/// `FACTDESK_PG_FSYNC=on` to measure what a real hub pays.
fn durable() -> bool {
    std::env::var("FACTDESK_PG_FSYNC").is_ok_and(|v| v == "on")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Cluster {
    fn start() -> Cluster {
        let bin = bin_dir();
        let dir = std::env::temp_dir().join(format!("factdesk-pg-{}-{}", std::process::id(), free_port()));
        std::fs::create_dir_all(&dir).unwrap();
        if is_root() {
            let status = Command::new("chown").arg("postgres:").arg(&dir).status().unwrap();
            assert!(status.success(), "chown of the cluster folder failed");
        }
        let data = dir.join("data");
        let output = as_cluster_owner(&bin.join("initdb"))
            .arg("-D")
            .arg(&data)
            .args(["-U", "factdesk", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"])
            .output()
            .unwrap();
        assert!(output.status.success(), "initdb failed: {}", String::from_utf8_lossy(&output.stderr));
        let port = free_port();
        // The keeper: start the server, wait for this process's end (stdin closes), stop
        // the server (fast shutdown), remove the folder.
        let script = r#"
            "$1/postgres" -D "$2/data" -p "$3" -k "$2" -c listen_addresses=127.0.0.1 -c fsync="$4" >"$2/server.log" 2>&1 &
            server=$!
            cat >/dev/null
            kill -INT "$server"
            wait "$server"
            rm -rf "$2"
        "#;
        let mut child = as_cluster_owner(Path::new("/bin/sh"))
            .args(["-c", script, "keeper"])
            .arg(&bin)
            .arg(&dir)
            .arg(port.to_string())
            .arg(if durable() { "on" } else { "off" })
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let cluster = Cluster { port, bin, _keeper: Mutex::new((child, stdin)) };
        cluster.wait_until_ready(&dir);
        cluster
    }

    fn wait_until_ready(&self, dir: &Path) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let ready = Command::new(self.bin.join("pg_isready"))
                .args(["-q", "-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", "factdesk"])
                .status()
                .is_ok_and(|s| s.success());
            if ready {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "PostgreSQL did not accept connections within 60 s: {}",
                std::fs::read_to_string(dir.join("server.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// A new, empty database; its URL.
    pub fn new_database(&self) -> String {
        let name = format!("t{}_{}", std::process::id(), DATABASES.fetch_add(1, Ordering::Relaxed));
        let output = Command::new(self.bin.join("createdb"))
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", "factdesk", &name])
            .output()
            .unwrap();
        assert!(output.status.success(), "createdb failed: {}", String::from_utf8_lossy(&output.stderr));
        self.url(&name)
    }

    pub fn url(&self, database: &str) -> String {
        format!("postgres://factdesk@127.0.0.1:{}/{database}", self.port)
    }

    /// Runs SQL with psql; its output (unaligned, tuples only).
    pub fn psql(&self, url: &str, sql: &str) -> String {
        let output = Command::new(self.bin.join("psql")).args(["-X", "-A", "-t", "-c", sql, url]).output().unwrap();
        assert!(output.status.success(), "psql failed: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap().trim().to_owned()
    }
}
