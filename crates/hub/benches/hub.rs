//! The hub's speed targets on this machine (issue 17), against a throwaway PostgreSQL
//! cluster with fsync on, the hub served over loopback HTTP in this process:
//!
//! 1. ingest: 10 clients push 10,000 signed events each at once (batches of 500); events
//!    a second, then the time until every client has pulled all 100,000 (converged);
//! 2. one change to another member: member A changes a status and syncs, member B syncs
//!    and has it (real libraries, the same `sync` the CLI runs), 20 times;
//! 3. a fresh desktop pulls and replays a workspace of N events (default 1,000,000:
//!    10,000 articles, 300,000 claims, the rest status changes, generated in a library by
//!    `scale::generate_library` and pushed by its own sync); K fresh desktops in turn
//!    (default 3), each timed.
//!
//! Run: `FACTDESK_PG_FSYNC=on cargo bench -p factdesk-hub --bench hub [-- --events N]
//! [--fresh-desks K] [--only ingest|change|replay]`

#[path = "../tests/support/postgres.rs"]
#[allow(dead_code)]
mod postgres;

use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use factdesk_core::events::{EventKind, Role};
use factdesk_core::scale::{generate_library, ScaleSpec};
use factdesk_core::{Library, Status};
use factdesk_hub::client::HubClient;
use factdesk_hub::envelope::{DeviceKey, Envelope, Unsealed};
use factdesk_hub::store::{self, Hub, JoinRequest};
use factdesk_hub::sync;
use serde_json::json;

fn serve(database: &str) -> String {
    let (sent, received) = std::sync::mpsc::channel();
    let url = database.to_owned();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async move {
            store::init(&url).await.unwrap();
            let hub = Arc::new(Hub::open(&url, 8).await.unwrap());
            let listener = factdesk_hub::server::bind("127.0.0.1:0".parse().unwrap()).await.unwrap();
            sent.send(listener.local_addr().unwrap()).unwrap();
            factdesk_hub::server::serve(hub, listener, std::future::pending()).await.unwrap();
        });
    });
    format!("http://{}", received.recv().unwrap())
}

fn invite(database: &str, workspace: &str, member: &str, role: Role) -> String {
    tokio::runtime::Runtime::new().unwrap().block_on(store::invite(database, workspace, member, role)).unwrap()
}

fn sealed(key: &DeviceKey, member: &str, count: usize) -> Vec<Envelope> {
    let mut prev = None;
    (1..=count)
        .map(|n| {
            let envelope = key.seal(Unsealed {
                id: format!("{}-{n}", key.short_id()),
                author: member.into(),
                at: "2026-12-03T02:00:00.000000Z".into(),
                kind: EventKind::ClaimFlagged,
                subject: json!({"article": "a-bench", "claim": format!("{}-c{n}", key.short_id())}),
                payload: json!({"quote": format!("The council said on Friday that claim number {n} was checked."),
                                "start": 0, "end": 60, "claimant": null, "note": null}),
                prev: prev.clone(),
            });
            prev = Some(envelope.hash.clone());
            envelope
        })
        .collect()
}

fn ingest(database: &str, base: &str, clients: usize, per_client: usize) {
    let members: Vec<(String, String, Vec<Envelope>)> = (0..clients)
        .map(|i| {
            let member = format!("m{i}");
            let key = DeviceKey::generate().unwrap();
            let token = invite(database, "ingest", &member, Role::Checker);
            let joined = HubClient::new(base)
                .join(&JoinRequest { token, public_key: key.public_hex(), device_name: member.clone() })
                .unwrap();
            let events = sealed(&key, &member, per_client);
            (member, joined.device_token, events)
        })
        .collect();
    let barrier = Arc::new(Barrier::new(clients + 1));
    let threads: Vec<_> = members
        .into_iter()
        .map(|(_, token, events)| {
            let (barrier, base) = (barrier.clone(), base.to_owned());
            std::thread::spawn(move || {
                let client = HubClient::new(&base);
                barrier.wait();
                for batch in events.chunks(500) {
                    client.push(&token, batch).unwrap();
                }
                let pushed = Instant::now();
                let mut after = 0;
                while after < (clients * per_client) as i64 {
                    let page = client.pull(&token, after, 1_000).unwrap();
                    after = page.last().map_or(after, |o| o.seq);
                }
                pushed
            })
        })
        .collect();
    barrier.wait();
    let started = Instant::now();
    let done: Vec<Instant> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let converged = started.elapsed();
    let pushed = done.iter().max().unwrap().duration_since(started);
    let total = clients * per_client;
    println!(
        "ingest: {clients} clients × {per_client} events = {total}: all pushed in {:.2} s ({:.0} events/s); \
         every client had all {total} after {:.2} s",
        pushed.as_secs_f64(),
        total as f64 / pushed.as_secs_f64(),
        converged.as_secs_f64()
    );
}

fn member_library(dir: &std::path::Path, name: &str) -> Library {
    Library::open(&dir.join(format!("{name}.sqlite")), name).unwrap()
}

fn one_change(database: &str, base: &str) {
    let dir = tempfile::tempdir().unwrap();
    let a = member_library(dir.path(), "a");
    let b = member_library(dir.path(), "b");
    let article = a.import_bytes("a.txt", b"The council said on Friday that the tram budget rose by 12 percent, to 40 million euros, after the audit.".to_vec(), factdesk_core::Format::Text).unwrap();
    let claim = a
        .add_claim(factdesk_core::NewClaim {
            article_id: article.article().id,
            target: factdesk_core::ClaimTarget::Quote { quote: "12 percent".into(), occurrence: None },
            claimant: None,
            note: None,
        })
        .unwrap();
    sync::join(&a, base, &invite(database, "latency", "a", Role::Checker), "a").unwrap();
    sync::join(&b, base, &invite(database, "latency", "b", Role::Checker), "b").unwrap();
    let statuses = [Status::Confirmed, Status::Disputed];
    let mut times = Vec::new();
    for round in 0..20 {
        let started = Instant::now();
        a.set_status(claim.id, statuses[round % 2], None).unwrap();
        sync::sync(&a).unwrap();
        let report = sync::sync(&b).unwrap();
        times.push(started.elapsed());
        assert_eq!(report.applied.replayed, 1);
    }
    times.sort();
    println!(
        "one change to another member (A: change + sync, B: sync): median {:.1} ms, p95 {:.1} ms, max {:.1} ms (20 rounds)",
        ms(times[10]),
        ms(times[18]),
        ms(times[19])
    );
}

/// CPU time (user and system) of the calling thread so far, from /proc (Linux).
fn thread_cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    let ticks: u64 = [11, 12].iter().filter_map(|&i| fields.get(i)?.parse::<u64>().ok()).sum();
    ticks as f64 / 100.0
}

/// CPU time the host took from this VM's cores so far ("steal", all cores), from
/// /proc/stat (Linux): a pull that ran while other guests were busy shows it here.
fn host_steal_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let cpu = stat.lines().next().unwrap_or_default();
    // cpu user nice system idle iowait irq softirq steal ...
    cpu.split_whitespace().nth(8).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0) / 100.0
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn pull_and_replay(database: &str, base: &str, events: usize, fresh_desks: usize) {
    let dir = tempfile::tempdir().unwrap();
    let writer = member_library(dir.path(), "writer");
    let articles = (events / 100).max(1);
    // 1,000 words give every article its 30 one-sentence claims, so the library has `events`.
    let spec = ScaleSpec { articles, words_per_article: 1_000, claims_per_article: 30, events };
    let started = Instant::now();
    let generated = generate_library(&writer, &spec, |_| {}).unwrap();
    println!("replay: a library of {} events generated in {:.1} s", generated.events, started.elapsed().as_secs_f64());
    let started = Instant::now();
    let pushed = sync::join(&writer, base, &invite(database, "replay", "writer", Role::Checker), "writer").unwrap();
    println!("replay: its own sync pushed {} events in {:.1} s", pushed.pushed, started.elapsed().as_secs_f64());
    drop(writer);
    let mut took = Vec::new();
    for desk in 1..=fresh_desks {
        let name = format!("fresh{desk}");
        let fresh = member_library(dir.path(), &name);
        let token = invite(database, "replay", &name, Role::Reporter);
        let (started, cpu_before, steal_before) = (Instant::now(), thread_cpu_seconds(), host_steal_seconds());
        let pulled = sync::join(&fresh, base, &token, &name).unwrap();
        took.push(started.elapsed().as_secs_f64());
        println!(
            "replay: fresh desktop {desk} pulled {} and replayed {} events in {:.1} s ({:.0} events/s; the applying thread busy {:.1} s; host steal {:.1} s); {} not replayed",
            pulled.pulled,
            pulled.applied.replayed,
            took[desk - 1],
            pulled.pulled as f64 / took[desk - 1],
            thread_cpu_seconds() - cpu_before,
            host_steal_seconds() - steal_before,
            pulled.applied.not_replayed
        );
        let path = dir.path().join(format!("{name}.sqlite"));
        let file = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        println!("replay: its library is {:.0} MB", file as f64 / 1e6);
        // The next desk starts from the same free disk and a cold library.
        drop(fresh);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(dir.path().join(format!("{name}.sqlite{suffix}")));
        }
    }
    took.sort_by(f64::total_cmp);
    println!(
        "replay: {} fresh desktops, one after another: fastest {:.1} s, median {:.1} s, slowest {:.1} s",
        took.len(),
        took[0],
        took[took.len() / 2],
        took[took.len() - 1]
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let events = args
        .iter()
        .position(|a| a == "--events")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    // `--fresh-desks K`: K fresh desktops pull the workspace one after another (default 3).
    let fresh_desks = args
        .iter()
        .position(|a| a == "--fresh-desks")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
        .max(1);
    let cluster = postgres::cluster();
    println!(
        "PostgreSQL: throwaway cluster on port {}, fsync {}",
        cluster.port,
        std::env::var("FACTDESK_PG_FSYNC").unwrap_or_else(|_| "off".into())
    );
    let database = cluster.new_database();
    let base = serve(&database);
    // `--only ingest|change|replay` runs one of the three (for profiling).
    let only = args.iter().position(|a| a == "--only").and_then(|i| args.get(i + 1)).map(String::as_str);
    if only.is_none_or(|o| o == "ingest") {
        ingest(&database, &base, 10, 10_000);
    }
    if only.is_none_or(|o| o == "change") {
        one_change(&database, &base);
    }
    if only.is_none_or(|o| o == "replay") {
        pull_and_replay(&database, &base, events, fresh_desks);
    }
}
