//! The ledger's speed targets (issue 3), measured with the public `Library` API against
//! a real SQLite file, beside a physical baseline: plain rusqlite writing the same rows.
//!
//! Run: `cargo bench -p factdesk-core --bench ledger` (prints a Markdown table).

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use factdesk_core::scale::Lcg;
use factdesk_core::{ClaimTarget, Format, Library, NewClaim, NewEvidence, SourceChoice, SourceKind, Stance, Status};
use rusqlite::params;
use sha2::{Digest, Sha256};

const ARTICLE_WORDS: usize = 1_000;
const LIBRARY_ARTICLES: usize = 10_000;
const CLAIMS: usize = 100_000;

fn vocabulary() -> Vec<String> {
    const SYLLABLES: &[&str] =
        &["ka", "lo", "mer", "dan", "ti", "vos", "ral", "en", "bu", "sar", "qui", "no", "fel", "ost", "ri", "ga"];
    let mut rng = Lcg(7);
    (0..4_000).map(|_| (0..2 + rng.below(3)).map(|_| SYLLABLES[rng.below(SYLLABLES.len())]).collect()).collect()
}

/// A wire-shaped article of `ARTICLE_WORDS` words; `seed` makes it unique.
fn article(seed: u64, vocabulary: &[String]) -> String {
    let mut rng = Lcg(seed.wrapping_add(1));
    // Skewed word choice, as in real text: a few words are everywhere, most are rare.
    let word = |rng: &mut Lcg| {
        let r = rng.below(vocabulary.len());
        &vocabulary[r * r / vocabulary.len()]
    };
    let title: Vec<&str> = (0..9).map(|_| word(&mut rng).as_str()).collect();
    let mut text = format!(
        " date 2025-0{}-1{} Report {seed}: {}\nPlace {} • Outlet {}\n",
        1 + seed % 9,
        seed % 10,
        title.join(" "),
        seed % 50,
        seed % 20
    );
    let mut written = 0;
    while written < ARTICLE_WORDS {
        let len = (40 + rng.below(40)).min(ARTICLE_WORDS - written);
        let sentence: Vec<&str> = (0..len).map(|_| word(&mut rng).as_str()).collect();
        text.push_str(&format!(
            "“{}”, said official {} on {} March, with {}.{} million.\n",
            sentence.join(" "),
            seed,
            1 + seed % 28,
            seed % 97,
            seed % 10
        ));
        written += len + 8;
    }
    text
}

struct Stats {
    mean: Duration,
    median: Duration,
    p95: Duration,
}

fn stats(mut samples: Vec<Duration>) -> Stats {
    samples.sort();
    let mean = samples.iter().sum::<Duration>() / samples.len() as u32;
    Stats { mean, median: samples[samples.len() / 2], p95: samples[samples.len() * 95 / 100] }
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

fn open(path: &Path) -> Library {
    Library::open(path, "bench").unwrap()
}

/// The physical floor: the same rows written by plain rusqlite, one transaction an
/// article, same pragmas and FTS5 table, no decoding, parsing or history.
fn baseline_import(path: &Path, articles: &[String]) -> Duration {
    let mut conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;
         CREATE TABLE articles (id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE, original BLOB NOT NULL, text TEXT NOT NULL);
         CREATE VIRTUAL TABLE articles_fts USING fts5(text, content = 'articles', content_rowid = 'id');",
    )
    .unwrap();
    let started = Instant::now();
    for text in articles {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).unwrap();
        let sha = format!("{:x}", Sha256::digest(text.as_bytes()));
        tx.execute(
            "INSERT INTO articles (sha256, original, text) VALUES (?1, ?2, ?3)",
            params![sha, text.as_bytes(), text],
        )
        .unwrap();
        let id = tx.last_insert_rowid();
        tx.execute("INSERT INTO articles_fts (rowid, text) VALUES (?1, ?2)", params![id, text]).unwrap();
        tx.commit().unwrap();
    }
    started.elapsed()
}

fn main() {
    // FACTDESK_BENCH_DIR keeps the generated libraries there (for profiling with sqlite3).
    let temp = tempfile::tempdir().unwrap();
    let dir = std::env::var_os("FACTDESK_BENCH_DIR").map_or_else(|| temp.path().to_owned(), std::path::PathBuf::from);
    std::fs::create_dir_all(&dir).unwrap();
    for name in ["single.sqlite", "library.sqlite", "baseline.sqlite"] {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(dir.join(format!("{name}{suffix}")));
        }
    }
    let vocabulary = vocabulary();
    let articles: Vec<String> = (0..LIBRARY_ARTICLES as u64).map(|seed| article(seed, &vocabulary)).collect();
    let words = factdesk_core::import::count_words(&articles[0]);
    println!("| measure | result | target |");
    println!("|---|---|---|");

    // 1. One 1,000-word article at a time, into a library that already has some.
    let single = open(&dir.join("single.sqlite"));
    let extra: Vec<String> = (0..300u64).map(|seed| article(1_000_000 + seed, &vocabulary)).collect();
    for text in &extra[..50] {
        single.import_bytes("warm.txt", text.clone().into_bytes(), Format::Auto).unwrap();
    }
    let samples: Vec<Duration> = extra[50..]
        .iter()
        .map(|text| {
            let bytes = text.clone().into_bytes();
            let started = Instant::now();
            black_box(single.import_bytes("one.txt", bytes, Format::Auto).unwrap());
            started.elapsed()
        })
        .collect();
    let one = stats(samples);
    println!(
        "| import one {words}-word article (mean of 250; median, p95) | {} ({}, {}) | < 1 ms mean |",
        ms(one.mean),
        ms(one.median),
        ms(one.p95)
    );

    // 2. 10,000 articles into a fresh library, one transaction each, and the baseline.
    let library_path = dir.join("library.sqlite");
    let library = open(&library_path);
    let started = Instant::now();
    for (i, text) in articles.iter().enumerate() {
        library.import_bytes(&format!("a{i}.txt"), text.clone().into_bytes(), Format::Auto).unwrap();
    }
    let bulk = started.elapsed();
    let baseline = baseline_import(&dir.join("baseline.sqlite"), &articles);
    println!("| import {LIBRARY_ARTICLES} articles into a fresh library | {:.2} s | < 4 s |", bulk.as_secs_f64());
    println!(
        "| baseline: plain rusqlite, same rows (bytes, text, SHA-256, FTS5), one tx each | {:.2} s | — |",
        baseline.as_secs_f64()
    );
    println!("| ratio import / baseline | {:.2}× | ≤ 2× |", bulk.as_secs_f64() / baseline.as_secs_f64());

    // 3. 100,000 claims (10 an article), statuses spread, some evidence; list by status.
    let started = Instant::now();
    let statuses = [Status::Confirmed, Status::Unconfirmed, Status::Disputed, Status::False];
    let mut rng = Lcg(99);
    for n in 0..CLAIMS {
        let article_id = (n % LIBRARY_ARTICLES) as i64 + 1;
        let start = 40 + (n / LIBRARY_ARTICLES) * 300 + rng.below(50);
        let claim = library
            .add_claim(NewClaim {
                article_id,
                target: ClaimTarget::Span { start, end: start + 60 },
                claimant: None,
                note: None,
            })
            .unwrap();
        // 60% stay unreviewed; 10% each of the other statuses.
        if n % 10 < 4 {
            library.set_status(claim.id, statuses[n % 10], None).unwrap();
        }
        if n % 5 == 0 {
            let source = SourceChoice::Described {
                title: format!("Source {}", n % 500),
                url: Some(format!("https://example.org/s/{}", n % 500)),
                kind: Some(SourceKind::WebPage),
            };
            library
                .add_evidence(NewEvidence {
                    claim_id: claim.id,
                    source,
                    reliability: None,
                    stance: Stance::Supports,
                    credibility: None,
                    excerpt: None,
                })
                .unwrap();
        }
    }
    println!(
        "| (setup: 100,000 claims, 40,000 status changes, 20,000 evidence links through the API) | {:.1} s | — |",
        started.elapsed().as_secs_f64()
    );
    let measure = |f: &dyn Fn() -> usize| {
        let found = f();
        let samples: Vec<Duration> = (0..30)
            .map(|_| {
                let started = Instant::now();
                black_box(f());
                started.elapsed()
            })
            .collect();
        (found, stats(samples))
    };
    let (found, by_status) = measure(&|| library.claims(None, Some(Status::Disputed)).unwrap().len());
    println!("| claim list --status disputed over {CLAIMS} claims ({found} found, with evidence and warnings; mean, p95) | {} ({}) | < 20 ms |", ms(by_status.mean), ms(by_status.p95));
    let (found, in_article) = measure(&|| library.claims(Some(4_242), Some(Status::Unreviewed)).unwrap().len());
    println!("| claim list --article N --status unreviewed ({found} found; mean) | {} | — |", ms(in_article.mean));

    // 4. Full-text search over the 10,000 articles and 100,000 claim quotes.
    let rare = &vocabulary[vocabulary.len() - 7];
    let common = &vocabulary[3];
    for (label, query) in
        [("a rare word", rare.clone()), ("a common word", common.clone()), ("two words", format!("{common} {rare}"))]
    {
        let (found, search) = measure(&|| library.search(&query).unwrap().len());
        println!("| search {LIBRARY_ARTICLES} articles, {label} ({found} hits of at most 2×50; mean, p95) | {} ({}) | < 20 ms |", ms(search.mean), ms(search.p95));
    }
}
