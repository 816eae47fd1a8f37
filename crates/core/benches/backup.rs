//! A backup of a library of about 1 GB while another connection keeps writing (issue 14):
//! how long the copy and its check take, what the writer's durable status changes cost
//! meanwhile, and that the copy is consistent (it verifies, and holds a history that is a
//! prefix of the library's: every event it has is the library's event with the same hash).
//!
//! The writer is a thread with its own `Library` (its own SQLite connection, as another
//! process would have); the backup is `Library::backup`, what `factdesk backup` runs.
//!
//! Run: `FACTDESK_BENCH_DIR=/var/tmp/factdesk-bench cargo bench -p factdesk-core --bench backup`
//! (the 1 GB library is generated once into `FACTDESK_BENCH_DIR`, about a minute).

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use factdesk_core::scale::{generate_library, ScaleSpec};
use factdesk_core::{Library, Status, Verification};

/// About 1 GB on disk: a quarter of the newsroom library.
const SPEC: ScaleSpec =
    ScaleSpec { articles: 25_000, words_per_article: 1_000, claims_per_article: 10, events: 750_000 };

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let folder = PathBuf::from(std::env::var_os("FACTDESK_BENCH_DIR").unwrap_or_else(|| std::env::temp_dir().into()));
    let path = folder.join("backup-under-load.sqlite");
    if !path.exists() {
        let library = Library::open(&path, "generator").unwrap();
        generate_library(&library, &SPEC, |_| {}).unwrap();
    }
    let bytes = std::fs::metadata(&path).unwrap().len();
    let destination = folder.join(format!("backup-under-load-copy-{}.sqlite", std::process::id()));

    // The writer: one durable status change after another until the backup is checked.
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (path, stop) = (path.clone(), stop.clone());
        std::thread::spawn(move || {
            let library = Library::open(&path, "writer").unwrap();
            let mut latencies = Vec::new();
            let mut n = 0i64;
            while !stop.load(Ordering::Relaxed) {
                let claim = 1 + (n * 7919) % (SPEC.articles * SPEC.claims_per_article) as i64;
                let status = [Status::Confirmed, Status::Disputed][n as usize % 2];
                let started = Instant::now();
                library.set_status(claim, status, Some(format!("checked during the backup, {n}"))).unwrap();
                latencies.push(started.elapsed());
                n += 1;
            }
            latencies
        })
    };
    std::thread::sleep(Duration::from_millis(200)); // the writer is going before the copy starts
    let library = Library::open(&path, "bench").unwrap();
    let started = Instant::now();
    let check = library.backup(&destination).unwrap();
    let took = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    let mut latencies = writer.join().unwrap();
    latencies.sort();

    // Consistent: the copy verifies on its own, and its head is an event of the library
    // (the history it holds is the library's up to that event).
    let copy = Library::open(&destination, "check").unwrap();
    let copied = match copy.verify().unwrap() {
        Verification::Intact(head) => head,
        broken => panic!("the backup does not verify: {broken:?}"),
    };
    let at = library.find_head(&copied.head).unwrap().expect("the backup's head is in the library's history");
    let after = match library.verify().unwrap() {
        Verification::Intact(head) => head,
        broken => panic!("the library does not verify: {broken:?}"),
    };
    drop(copy);
    let copy_bytes = std::fs::metadata(&destination).unwrap().len();
    std::fs::remove_file(&destination).unwrap();

    println!("| measure | value |");
    println!("|---|---|");
    println!(
        "| library | {:.2} GB, {} articles, {} events before the writer |",
        bytes as f64 / 1e9,
        check.articles,
        SPEC.events
    );
    println!(
        "| backup (copy + full check of the copy) | {:.1} s, copy {:.2} GB |",
        took.as_secs_f64(),
        copy_bytes as f64 / 1e9
    );
    println!(
        "| writer's status changes meanwhile | {} (median {}, p95 {}, max {}) |",
        latencies.len(),
        ms(latencies[latencies.len() / 2]),
        ms(latencies[latencies.len() * 95 / 100]),
        ms(*latencies.last().unwrap())
    );
    println!(
        "| consistent | the copy verifies with {} events; its head is event {at} of the library's {} |",
        copied.events, after.events
    );
}
