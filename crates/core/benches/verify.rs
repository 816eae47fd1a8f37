//! `verify` over a long history against SHA-256 alone over the same bytes. Writes
//! `FACTDESK_VERIFY_EVENTS` events (default 3,000,000) to a fresh library, then times
//! `Library::verify` (reads every row, rebuilds each canonical body, chains the hashes)
//! and, separately, SHA-256 of exactly the bytes each event's hash is taken over.
//!
//! Run: `FACTDESK_BENCH_DIR=/var/tmp/factdesk-bench cargo bench -p factdesk-core --bench verify`

use std::time::{Duration, Instant};

use factdesk_core::history::hash_input_of_row;
use factdesk_core::{Library, Verification};
use sha2::{Digest, Sha256};

fn main() {
    let events: usize = std::env::var("FACTDESK_VERIFY_EVENTS").ok().and_then(|v| v.parse().ok()).unwrap_or(3_000_000);
    let dir =
        tempfile::tempdir_in(std::env::var_os("FACTDESK_BENCH_DIR").unwrap_or_else(|| std::env::temp_dir().into()))
            .unwrap();
    let path = dir.path().join("library.sqlite");
    let library = Library::open(&path, "bench").unwrap();
    let started = Instant::now();
    factdesk_core::scale::append_synthetic_events(&library, events, 1_000_000).unwrap();
    let generated = started.elapsed();

    let mut verify_times = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        let verification = library.verify().unwrap();
        verify_times.push(started.elapsed());
        assert!(matches!(verification, Verification::Intact(ref head) if head.events == events as u64));
    }
    verify_times.sort();

    // SQLite alone: the same rows read in the same order, every column touched, nothing hashed.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mut scans = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        let mut stmt = conn
            .prepare(
                "SELECT id, at, actor, kind, article_id, claim_id, payload, prev_hash, hash FROM history ORDER BY id",
            )
            .unwrap();
        let mut rows = stmt.query([]).unwrap();
        let mut touched = 0usize;
        while let Some(row) = rows.next().unwrap() {
            for i in 0..9 {
                touched += match row.get_ref(i).unwrap() {
                    rusqlite::types::ValueRef::Text(t) => t.len(),
                    _ => 8,
                };
            }
        }
        std::hint::black_box(touched);
        scans.push(started.elapsed());
    }
    scans.sort();
    let scan = scans[1];

    // SHA-256 alone: the inputs read and built outside the timed part, a chunk at a time.
    let mut stmt = conn
        .prepare("SELECT id, at, actor, kind, article_id, claim_id, payload, prev_hash FROM history ORDER BY id")
        .unwrap();
    let mut rows = stmt.query([]).unwrap();
    let (mut hashing, mut bytes, mut chunk) = (Duration::ZERO, 0usize, Vec::with_capacity(100_000));
    let mut flush = |chunk: &mut Vec<String>| {
        let started = Instant::now();
        for input in chunk.iter() {
            std::hint::black_box(Sha256::digest(input.as_bytes()));
        }
        hashing += started.elapsed();
        bytes += chunk.iter().map(String::len).sum::<usize>();
        chunk.clear();
    };
    while let Some(row) = rows.next().unwrap() {
        let text = |i: usize| row.get::<_, String>(i).unwrap();
        chunk.push(hash_input_of_row(
            row.get(0).unwrap(),
            &text(1),
            &text(2),
            &text(3),
            row.get(4).unwrap(),
            row.get(5).unwrap(),
            &text(6),
            &text(7),
        ));
        if chunk.len() == 100_000 {
            flush(&mut chunk);
        }
    }
    flush(&mut chunk);
    let verify = verify_times[verify_times.len() / 2];
    let file = std::fs::metadata(&path).unwrap().len();
    println!("| measure | value | target |");
    println!("|---|---|---|");
    println!(
        "| events written (batches of 50,000, `synchronous=NORMAL`, one sync at the end) | {events} in {:.1} s | — |",
        generated.as_secs_f64()
    );
    println!("| library file | {:.0} MiB | — |", file as f64 / 1_048_576.0);
    println!("| bytes hashed (prev hash + canonical body of each event) | {:.0} MiB | — |", bytes as f64 / 1_048_576.0);
    println!("| SHA-256 alone over those bytes, one message per event | {:.2} s | — |", hashing.as_secs_f64());
    println!(
        "| reading the rows alone (SQLite scan in id order, every column; median of 3) | {:.2} s | — |",
        scan.as_secs_f64()
    );
    println!("| **`verify`** (median of 3) | **{:.2} s** | — |", verify.as_secs_f64());
    println!("| **ratio** | **{:.2}×** | < 2× |", verify.as_secs_f64() / hashing.as_secs_f64());
}
