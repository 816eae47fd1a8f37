//! `factdesk hub …` as real processes against a throwaway PostgreSQL cluster: the schema
//! made and kept, invitations, serving (a desk joins, pushes and pulls over HTTP), and a
//! hub killed in the middle of pushes losing and doubling nothing.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use factdesk_core::events::EventKind;
use factdesk_hub::client::HubClient;
use factdesk_hub::envelope::{DeviceKey, Envelope, Unsealed};
use factdesk_hub::store::JoinRequest;
use serde_json::json;

use super::support::Library;
use crate::postgres::cluster;

/// `factdesk hub serve` on a free loopback port; stopped (killed) when dropped.
pub(crate) struct Served {
    child: Child,
    /// The rest of its output, kept open: it says when it stopped.
    stdout: BufReader<std::process::ChildStdout>,
    pub base: String,
}

impl Served {
    pub fn start(database: &str) -> Served {
        Served::start_with(database, &["--listen", "127.0.0.1:0"])
    }

    fn start_with(database: &str, args: &[&str]) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_factdesk"))
            .args(["hub", "serve", "--database", database])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        // Ready when it says where it listens.
        let mut line = String::new();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        stdout.read_line(&mut line).unwrap();
        let base = line.trim().strip_prefix("hub listening on ").unwrap_or_else(|| panic!("{line:?}")).to_owned();
        Served { child, stdout, base }
    }

    /// Asks the hub to stop as a supervisor does (SIGTERM) and waits for it: how it
    /// exited, and what it printed after its first line. (Its output ends when it exits.)
    fn stop(&mut self) -> (std::process::ExitStatus, String) {
        use std::io::Read;
        let sent = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().unwrap();
        assert!(sent.success());
        let mut rest = String::new();
        self.stdout.read_to_string(&mut rest).unwrap();
        (self.child.wait().unwrap(), rest)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn hub(args: &[&str]) -> super::support::Run {
    Library::new().run(&[&["hub"], args].concat())
}

fn events(key: &DeviceKey, member: &str, from: u64, count: u64, mut prev: Option<String>) -> Vec<Envelope> {
    (from..from + count)
        .map(|n| {
            let envelope = key.seal(Unsealed {
                id: format!("{}-{n}", key.short_id()),
                author: member.into(),
                at: "2026-12-03T02:00:00Z".into(),
                kind: EventKind::ClaimFlagged,
                subject: json!({"article": "a", "claim": format!("{}-c{n}", key.short_id())}),
                payload: json!({"quote": format!("claim number {n}")}),
                prev: prev.clone(),
            });
            prev = Some(envelope.hash.clone());
            envelope
        })
        .collect()
}

#[test]
fn hub_commands_make_the_schema_invite_and_serve() {
    let database = cluster().new_database();
    // A hub made by the first release (schema version 1, with a workspace) is brought up
    // to date in place, its rows kept.
    cluster().psql(&database, include_str!("../../crates/hub/src/schema_v1.sql"));
    cluster().psql(
        &database,
        "CREATE TABLE hub_schema (version integer NOT NULL); INSERT INTO hub_schema VALUES (1);
         INSERT INTO workspaces (name) VALUES ('metro');",
    );
    assert_eq!(hub(&["init", "--database", &database]).stdout, "hub schema ready (version 2)\n");
    assert_eq!(hub(&["init", "--database", &database]).stdout, "hub schema ready (version 2)\n");
    let tables =
        cluster().psql(&database, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'");
    assert_eq!(tables, "7");
    assert_eq!(cluster().psql(&database, "SELECT name FROM workspaces"), "metro");

    let invite =
        hub(&["invite", "--database", &database, "--workspace", "metro", "--member", "ana", "--role", "checker"]);
    let token = invite.stdout.trim();
    assert!(token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()) && invite.stdout.lines().count() == 1);
    hub(&["invite", "--database", &database, "--workspace", "metro", "--member", "ana", "--role", "boss"]).fails(2);
    hub(&["serve", "--database", &database, "--listen", "0.0.0.0:0"]).fails(2);
    let refused = hub(&["init", "--database", "postgres://nobody@127.0.0.1:1/none"]);
    assert!(refused.fails(1).contains("cannot connect to the hub's database"));

    let served = Served::start(&database);
    let client = HubClient::new(&served.base);
    let key = DeviceKey::generate().unwrap();
    let membership = client
        .join(&JoinRequest { token: token.into(), public_key: key.public_hex(), device_name: "desk 1".into() })
        .unwrap();
    assert_eq!((membership.workspace.as_str(), membership.member.as_str()), ("metro", "ana"));
    let batch = events(&key, "ana", 1, 3, None);
    assert_eq!(client.push(&membership.device_token, &batch).unwrap().accepted, 3);
    assert_eq!(client.pull(&membership.device_token, 0, 10).unwrap().len(), 3);

    hub(&["revoke", "--database", &database, "--workspace", "metro", "--member", "ana"]);
    assert!(client.pull(&membership.device_token, 0, 10).is_err());
}

/// `GET /v1/health`, without a token, over a fresh connection: the status line's code and
/// the body.
fn health(base: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let address = base.strip_prefix("http://").unwrap();
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(stream, "GET /v1/health HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let code = answer.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or_else(|| panic!("{answer:?}"));
    (code, answer.split("\r\n\r\n").nth(1).unwrap_or_default().to_owned())
}

/// A load balancer's question: 200 while the hub's database answers, 503 once it is gone
/// (here: dropped under the hub), and nothing about the database in the answer.
#[test]
fn the_health_check_follows_the_database() {
    let database = cluster().new_database();
    hub(&["init", "--database", &database]);
    let served = Served::start(&database);
    assert_eq!(health(&served.base), (200, r#"{"status":"ok"}"#.to_owned()));
    let name = database.rsplit('/').next().unwrap();
    cluster().psql(&cluster().url("postgres"), &format!("DROP DATABASE {name} WITH (FORCE)"));
    assert_eq!(health(&served.base), (503, r#"{"status":"unavailable"}"#.to_owned()));
}

/// A supervisor's stop (SIGTERM, as `systemctl stop` sends) ends the hub cleanly: it
/// says so and exits 0, instead of dying by the signal.
#[test]
fn the_hub_stops_cleanly_when_asked() {
    let database = cluster().new_database();
    hub(&["init", "--database", &database]);
    let mut served = Served::start(&database);
    assert_eq!(health(&served.base).0, 200);
    let (status, said) = served.stop();
    assert_eq!((status.code(), said.as_str()), (Some(0), "hub stopped\n"), "{status:?}");
}

/// The hub is killed while batches are being written: each batch is there whole or not at
/// all, and pushing everything again to a restarted hub leaves each event there once.
#[test]
fn a_hub_killed_during_a_batch_loses_and_doubles_nothing() {
    let database = cluster().new_database();
    hub(&["init", "--database", &database]);
    let token =
        hub(&["invite", "--database", &database, "--workspace", "w", "--member", "ana", "--role", "editor"]).stdout;
    let mut served = Served::start(&database);
    let key = DeviceKey::generate().unwrap();
    let device_token = HubClient::new(&served.base)
        .join(&JoinRequest { token: token.trim().into(), public_key: key.public_hex(), device_name: "d".into() })
        .unwrap()
        .device_token;
    let mut batches = Vec::new();
    let mut prev = None;
    for b in 0..20 {
        let batch = events(&key, "ana", b * 1_000 + 1, 1_000, prev.clone());
        prev = batch.last().map(|e| e.hash.clone());
        batches.push(batch);
    }
    let pusher = {
        let (base, token, batches) = (served.base.clone(), device_token.clone(), batches.clone());
        std::thread::spawn(move || {
            let client = HubClient::new(&base);
            batches.iter().take_while(|batch| client.push(&token, batch).is_ok()).count()
        })
    };
    // Kill it while a batch's transaction is open (seen from PostgreSQL itself).
    let in_flight =
        "SELECT count(*) FROM pg_stat_activity WHERE xact_start IS NOT NULL AND query LIKE 'INSERT INTO events%'";
    let mut caught = false;
    while !pusher.is_finished() {
        if cluster().psql(&database, in_flight) != "0" {
            served.child.kill().unwrap();
            served.child.wait().unwrap();
            caught = true;
            break;
        }
    }
    let completed = pusher.join().unwrap();
    assert!(caught, "every batch was written before the hub could be stopped mid-batch");
    assert!(completed < 20, "the hub was killed");
    let count = |sql: &str| -> i64 { cluster().psql(&database, sql).parse().unwrap() };
    // Whole batches only (the killed one may have committed just before the kill).
    let stored = count("SELECT count(*) FROM events");
    assert_eq!(stored % 1_000, 0, "{stored} events: a batch was written in part");
    assert!(stored >= completed as i64 * 1_000);

    let restarted = Served::start(&database);
    let client = HubClient::new(&restarted.base);
    let (mut accepted, mut duplicates) = (0, 0);
    for batch in &batches {
        let pushed = client.push(&device_token, batch).unwrap();
        accepted += pushed.accepted;
        duplicates += pushed.duplicates;
    }
    assert_eq!((accepted as i64, duplicates as i64), (20_000 - stored, stored));
    assert_eq!(count("SELECT count(*) FROM events"), 20_000);
    assert_eq!(count("SELECT count(DISTINCT id) FROM events"), 20_000);
    assert_eq!(count("SELECT max(seq) FROM events"), 20_000);
}

/// A certificate authority of the newsroom's own and a hub certificate it signed for
/// 127.0.0.1, made with openssl: (ca.pem, hub.pem, hub.key).
fn certificates(dir: &std::path::Path) -> (String, String, String) {
    let path = |name: &str| dir.join(name).display().to_string();
    std::fs::write(
        dir.join("hub.ext"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    let steps: [Vec<String>; 3] = [
        [
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            &path("ca.key"),
            "-out",
            &path("ca.pem"),
            "-days",
            "2",
            "-subj",
            "/CN=Test desk CA",
        ]
        .map(String::from)
        .to_vec(),
        [
            "req",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            &path("hub.key"),
            "-out",
            &path("hub.csr"),
            "-subj",
            "/CN=127.0.0.1",
        ]
        .map(String::from)
        .to_vec(),
        [
            "x509",
            "-req",
            "-in",
            &path("hub.csr"),
            "-CA",
            &path("ca.pem"),
            "-CAkey",
            &path("ca.key"),
            "-CAcreateserial",
            "-out",
            &path("hub.pem"),
            "-days",
            "2",
            "-extfile",
            &path("hub.ext"),
        ]
        .map(String::from)
        .to_vec(),
    ];
    for step in steps {
        let output = Command::new("openssl").args(&step).output().unwrap();
        assert!(output.status.success(), "openssl {step:?}: {}", String::from_utf8_lossy(&output.stderr));
    }
    (path("ca.pem"), path("hub.pem"), path("hub.key"))
}

/// With a certificate, the hub serves beyond loopback over TLS; a desk that trusts the
/// newsroom's authority joins and syncs over https, one that does not is refused.
#[test]
fn a_hub_with_a_certificate_serves_https_beyond_loopback() {
    let database = cluster().new_database();
    hub(&["init", "--database", &database]);
    let dir = tempfile::tempdir().unwrap();
    let (ca, cert, key) = certificates(dir.path());
    let served = Served::start_with(&database, &["--listen", "0.0.0.0:0", "--tls-cert", &cert, "--tls-key", &key]);
    let port = served.base.rsplit(':').next().unwrap().to_owned();
    assert!(served.base.starts_with("https://0.0.0.0:"), "{}", served.base);
    let base = format!("https://127.0.0.1:{port}");
    let invite = |member: &str| {
        hub(&["invite", "--database", &database, "--workspace", "metro", "--member", member, "--role", "checker"])
            .stdout
            .trim()
            .to_owned()
    };

    // Three clients open connections and never start their handshakes. Each has 10 s; a
    // desk's join must not wait for them (handshakes one at a time made it wait 30 s).
    let stalled: Vec<std::net::TcpStream> =
        (0..3).map(|_| std::net::TcpStream::connect(("127.0.0.1", port.parse::<u16>().unwrap())).unwrap()).collect();
    let trusting = Library::new();
    trusting.import(&["wire-harbour.txt"]);
    let started = std::time::Instant::now();
    let joined =
        trusting.run_with("ana", &[("FACTDESK_HUB_CA", &ca)], &["join", &base, "--token", &invite("ana"), "--json"]);
    assert_eq!(joined.code, 0, "{}", joined.stderr);
    assert_eq!(joined.json()["pushed"], 1);
    let waited = started.elapsed();
    assert!(waited < std::time::Duration::from_secs(9), "stalled handshakes held the join up for {waited:?}");
    drop(stalled);

    let stranger = Library::new();
    let refused = stranger.run_as("ben", &["join", &base, "--token", &invite("ben")]);
    assert!(refused.fails(1).contains("cannot reach the hub"), "{}", refused.stderr);
    assert!(stranger.run(&["sync", "--status"]).stdout.contains("not linked"), "nothing was linked");

    // Plain HTTP to the TLS port gets nowhere.
    let plain = HubClient::new(&format!("http://127.0.0.1:{port}"));
    assert!(plain.pull("any", 0, 1).is_err());
    let wrong_key =
        hub(&["serve", "--database", &database, "--listen", "127.0.0.1:0", "--tls-cert", &cert, "--tls-key", &cert]);
    assert!(wrong_key.fails(2).contains("private key"), "{}", wrong_key.stderr);
}
