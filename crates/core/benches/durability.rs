//! What durable commits cost here: a raw fsync, one status change with `synchronous=FULL`
//! (the default, where a person waits) and with NORMAL, and a batch import one commit a
//! file with and without `Library::bulk`.
//!
//! Run: `cargo bench -p factdesk-core --bench durability` (prints a Markdown table).

use std::io::Write;
use std::time::{Duration, Instant};

use factdesk_core::{ClaimTarget, Format, Library, NewClaim, Status};

const CHANGES: usize = 300;
const BATCH: usize = 1_000;

fn percentiles(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    (samples[samples.len() / 2], samples[samples.len() * 95 / 100])
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

fn article(n: usize) -> String {
    let words: Vec<String> = (0..1_000).map(|i| format!("w{}", (i * 7919 + n * 104_729) % 4_000)).collect();
    format!("Article number {n}\n\n{}.\n", words.join(" "))
}

/// One status change after another on one claim, timed each.
fn status_changes(library: &Library) -> Vec<Duration> {
    let id = library.import_bytes("a.txt", article(0).into_bytes(), Format::Text).unwrap().article().id;
    let claim = library
        .add_claim(NewClaim {
            article_id: id,
            target: ClaimTarget::Span { start: 0, end: 20 },
            claimant: None,
            note: None,
        })
        .unwrap()
        .id;
    (0..CHANGES)
        .map(|n| {
            let status = if n % 2 == 0 { Status::Disputed } else { Status::Confirmed };
            let started = Instant::now();
            library.set_status(claim, status, None).unwrap();
            started.elapsed()
        })
        .collect()
}

fn main() {
    let dir =
        tempfile::tempdir_in(std::env::var_os("FACTDESK_BENCH_DIR").unwrap_or_else(|| std::env::temp_dir().into()))
            .unwrap();
    println!("| measure | median | p95 |");
    println!("|---|---|---|");

    let mut file = std::fs::File::create(dir.path().join("fsync.bin")).unwrap();
    let fsyncs: Vec<Duration> = (0..CHANGES)
        .map(|_| {
            file.write_all(&[7u8; 4096]).unwrap();
            let started = Instant::now();
            file.sync_data().unwrap();
            started.elapsed()
        })
        .collect();
    let (median, p95) = percentiles(fsyncs);
    println!("| raw fdatasync after a 4 KiB write | {} | {} |", ms(median), ms(p95));

    let full = Library::open(&dir.path().join("full.sqlite"), "bench").unwrap();
    let (median, p95) = percentiles(status_changes(&full));
    println!("| one status change, synchronous=FULL (default) | {} | {} |", ms(median), ms(p95));
    let normal = Library::open(&dir.path().join("normal.sqlite"), "bench").unwrap();
    let (median, p95) = percentiles(normal.bulk(|library| Ok(status_changes(library))).unwrap());
    println!("| one status change, synchronous=NORMAL (inside `bulk`) | {} | {} |", ms(median), ms(p95));

    let texts: Vec<String> = (1..=BATCH).map(article).collect();
    for (label, bulk) in [("one durable commit a file (FULL)", false), ("`Library::bulk`, one sync at the end", true)] {
        let library = Library::open(&dir.path().join(format!("batch-{bulk}.sqlite")), "bench").unwrap();
        let import = |library: &Library| {
            for (n, text) in texts.iter().enumerate() {
                library.import_bytes(&format!("{n}.txt"), text.clone().into_bytes(), Format::Text)?;
            }
            Ok(())
        };
        let started = Instant::now();
        if bulk {
            library.bulk(import).unwrap();
        } else {
            import(&library).unwrap();
        }
        let total = started.elapsed();
        println!("| import {BATCH} articles, {label} | {:.2} s total | — |", total.as_secs_f64());
    }
}
