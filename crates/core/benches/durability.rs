//! What durable commits cost here: a raw fsync, one status change with `synchronous=FULL`
//! (the default, where a person waits) and with NORMAL, a batch import one commit a file
//! with and without `Library::bulk`, and 10,000 files through `Library::import_files`
//! (100 a transaction) beside plain rusqlite doing the same batching.
//!
//! Run: `cargo bench -p factdesk-core --bench durability` (prints a Markdown table).

use std::io::Write;
use std::time::{Duration, Instant};

use factdesk_core::{ClaimTarget, Format, Library, NewClaim, Status};
use rusqlite::params;
use sha2::{Digest, Sha256};

const CHANGES: usize = 300;
const BATCH: usize = 1_000;
const BULK: usize = 10_000;
const ROUNDS: usize = 3;

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

    // 10,000 files, as `factdesk import` reads them, against the physical floor.
    let folder = dir.path().join("files");
    std::fs::create_dir_all(&folder).unwrap();
    let paths: Vec<std::path::PathBuf> = (0..BULK)
        .map(|n| {
            let path = folder.join(format!("{n:05}.txt"));
            std::fs::write(&path, article(100_000 + n)).unwrap();
            path
        })
        .collect();
    // Where the time goes: reading, decoding, parsing and hashing alone, no database.
    let started = Instant::now();
    for path in &paths {
        let bytes = factdesk_core::import::read_file(path).unwrap();
        std::hint::black_box(factdesk_core::import::prepare("a.txt", bytes, Format::Text).unwrap());
    }
    let preparing = started.elapsed();
    // Three rounds, ours then the baseline each time, on fresh files: the virtual disk's
    // speed drifts by a third between minutes, so one run of each says little.
    let (mut ours, mut baselines) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let library = Library::open(&dir.path().join(format!("bulk-{round}.sqlite")), "bench").unwrap();
        let started = Instant::now();
        library
            .bulk(|library| library.import_files(&paths, Format::Text, |_, outcome| assert!(outcome.is_ok())))
            .unwrap();
        ours.push(started.elapsed());
        baselines.push(baseline_batched(&dir.path().join(format!("baseline-{round}.sqlite")), &paths));
    }
    let ratios: Vec<f64> = ours.iter().zip(&baselines).map(|(o, b)| o.as_secs_f64() / b.as_secs_f64()).collect();
    ours.sort();
    baselines.sort();
    let (ours, baseline) = (ours[ROUNDS / 2], baselines[ROUNDS / 2]);
    println!(
        "| import {BULK} files, `import_files` (100 a transaction) in `bulk`, median of {ROUNDS} | {:.2} s total | < 4 s |",
        ours.as_secs_f64()
    );
    println!(
        "| baseline: plain rusqlite, same rows and FTS5, 100 a transaction, median of {ROUNDS} | {:.2} s total | — |",
        baseline.as_secs_f64()
    );
    println!(
        "| ratio of the medians (each round's: {}) | {:.2}× | ≤ 1.3× |",
        ratios.iter().map(|r| format!("{r:.2}×")).collect::<Vec<_>>().join(", "),
        ours.as_secs_f64() / baseline.as_secs_f64()
    );
    println!(
        "| of which reading, decoding, parsing, hashing {BULK} files (no database) | {:.2} s total | — |",
        preparing.as_secs_f64()
    );
}

/// The floor: the same files read, hashed and written with their FTS5 row (same columns
/// and tokenizer as the library's) by plain rusqlite, 100 to a transaction, WAL and NORMAL
/// as `bulk` uses; no decoding, parsing, metadata or history.
fn baseline_batched(path: &std::path::Path, files: &[std::path::PathBuf]) -> Duration {
    let mut conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
         CREATE TABLE articles (id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE, original BLOB NOT NULL,
                                title TEXT NOT NULL, text TEXT NOT NULL);
         CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content = 'articles', content_rowid = 'id',
                                                      tokenize = 'unicode61 remove_diacritics 2');",
    )
    .unwrap();
    let started = Instant::now();
    for batch in files.chunks(100) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).unwrap();
        for file in batch {
            let bytes = std::fs::read(file).unwrap();
            let text = String::from_utf8(bytes.clone()).unwrap();
            let sha = format!("{:x}", Sha256::digest(&bytes));
            let title = text.lines().next().unwrap_or("");
            tx.execute(
                "INSERT INTO articles (sha256, original, title, text) VALUES (?1, ?2, ?3, ?4)",
                params![sha, bytes, title, text],
            )
            .unwrap();
            let id = tx.last_insert_rowid();
            tx.execute("INSERT INTO articles_fts (rowid, title, text) VALUES (?1, ?2, ?3)", params![id, title, text])
                .unwrap();
        }
        tx.commit().unwrap();
    }
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())).unwrap();
    started.elapsed()
}
