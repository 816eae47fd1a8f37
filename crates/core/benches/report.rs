//! The report's targets (issue 5): a 1,000-claim, 3,000-evidence report in each format
//! in < 100 ms (no process start), and a library-wide report that streams: the heap it
//! needs stays flat from 1,000 to 10,000 articles. Heap use is counted by a global
//! allocator wrapper (current and peak bytes), so the figure is the report's own.
//!
//! Run: `cargo bench -p factdesk-core --bench report` (prints Markdown tables).

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use factdesk_core::{
    ClaimTarget, Credibility, Format, Library, NewClaim, NewEvidence, Reliability, ReportFormat, ReportRequest,
    ReportScope, SourceChoice, SourceKind, Stance, Status,
};

/// Counts live heap bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        ptr
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// A writer that only counts bytes: the report is produced, not kept.
struct CountingSink(u64);

impl Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

const STATUSES: [Status; 5] =
    [Status::Unreviewed, Status::Confirmed, Status::Unconfirmed, Status::Disputed, Status::False];

fn article_text(n: usize, claims: usize) -> String {
    let mut text = format!(" date 2025-03-14 Harbour report number {n} on tonnage and fees\nValletta • Bench Wire\n");
    for c in 0..claims {
        text.push_str(&format!(
            "The authority said that claim {n}-{c} put cargo at {}.{} million tonnes, “a record”, according to the port. \
             Officials added that the audit found {} containers counted twice in {}.\n",
            c % 9 + 1,
            c % 10,
            1000 + c,
            2020 + c % 5
        ));
    }
    text
}

/// Articles numbered `articles`, with `claims_each` claims and `evidence_each` evidence items per claim.
fn build(library: &Library, articles: std::ops::Range<usize>, claims_each: usize, evidence_each: usize) {
    for n in articles {
        let text = article_text(n, claims_each);
        let id = library.import_bytes(&format!("a{n}.txt"), text.into_bytes(), Format::Text).unwrap().article().id;
        for c in 0..claims_each {
            let target = ClaimTarget::Quote { quote: format!("claim {n}-{c} put cargo at"), occurrence: None };
            let claim = library
                .add_claim(NewClaim { article_id: id, target, claimant: Some("the authority".into()), note: None })
                .unwrap();
            for e in 0..evidence_each {
                let source = SourceChoice::Described {
                    title: format!("Source {e} on claim {n}-{c}"),
                    url: Some(format!("https://example.org/{n}/{c}/{e}")),
                    kind: Some(SourceKind::Document),
                };
                library
                    .add_evidence(NewEvidence {
                        claim_id: claim.id,
                        source,
                        reliability: Some(Reliability::B),
                        stance: if e % 3 == 2 { Stance::Refutes } else { Stance::Supports },
                        credibility: Some(Credibility::new(2).unwrap()),
                        excerpt: Some(format!("Excerpt {e}: the ledger shows {} tonnes.", 4_000_000 + c)),
                    })
                    .unwrap();
            }
            let status = STATUSES[(n + c) % STATUSES.len()];
            if status != Status::Unreviewed {
                library.set_status(claim.id, status, Some(format!("Rationale for {n}-{c}"))).unwrap();
            }
        }
    }
}

fn request(format: ReportFormat) -> ReportRequest {
    ReportRequest {
        scope: ReportScope::All,
        format,
        status: None,
        generated_at: Utc::now(),
        generated_by: "bench".into(),
        publisher: None,
    }
}

/// Time and peak extra heap of one report; returns (duration, bytes written, peak heap).
fn run(library: &Library, format: ReportFormat) -> (Duration, u64, usize) {
    let mut sink = CountingSink(0);
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let start = Instant::now();
    library.write_report(&request(format), &mut sink).unwrap();
    let elapsed = start.elapsed();
    (elapsed, sink.0, PEAK.load(Ordering::Relaxed) - base)
}

fn main() {
    // `-- formats` or `-- streaming` runs one part (cargo passes `--bench` too).
    let parts: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let wants = |part: &str| parts.is_empty() || parts.iter().any(|p| p == part);
    let dir = tempfile::tempdir().unwrap();
    if wants("formats") {
        formats(dir.path());
    }
    if wants("streaming") {
        streaming(dir.path());
    }
}

fn formats(dir: &std::path::Path) {
    let started = Instant::now();
    let library = Library::open(&dir.join("claims.sqlite"), "bench").unwrap();
    build(&library, 0..20, 50, 3);
    eprintln!("built 1,000 claims / 3,000 evidence in {:.1} s", started.elapsed().as_secs_f64());

    let verify_started = Instant::now();
    library.verify().unwrap();
    eprintln!("verify alone: {:.1} ms", verify_started.elapsed().as_secs_f64() * 1e3);
    println!("| format | mean | median | max | output | peak heap |\n| :-- | --: | --: | --: | --: | --: |");
    for format in ReportFormat::ALL {
        run(&library, *format); // warm the page cache and statement cache
        let runs: Vec<(Duration, u64, usize)> = (0..20).map(|_| run(&library, *format)).collect();
        let mut times: Vec<Duration> = runs.iter().map(|r| r.0).collect();
        times.sort();
        let mean = times.iter().sum::<Duration>() / times.len() as u32;
        println!(
            "| {format} | {:.1} ms | {:.1} ms | {:.1} ms | {:.0} KiB | {:.1} MiB |",
            mean.as_secs_f64() * 1e3,
            times[times.len() / 2].as_secs_f64() * 1e3,
            times[times.len() - 1].as_secs_f64() * 1e3,
            runs[0].1 as f64 / 1024.0,
            runs.iter().map(|r| r.2).max().unwrap() as f64 / 1048576.0
        );
    }
}

fn streaming(dir: &std::path::Path) {
    println!("\n| articles (1 claim, 1 evidence each) | format | time | output | peak heap |\n| --: | :-- | --: | --: | --: |");
    let library = Library::open(&dir.join("wide.sqlite"), "bench").unwrap();
    let mut built = 0;
    for size in [1_000, 10_000] {
        let started = Instant::now();
        build(&library, built..size, 1, 1);
        built = size;
        eprintln!("library of {size} articles ready in {:.1} s", started.elapsed().as_secs_f64());
        for format in [ReportFormat::Html, ReportFormat::Json, ReportFormat::Csv] {
            let (time, bytes, peak) = run(&library, format);
            println!(
                "| {size} | {format} | {:.0} ms | {:.1} MiB | {:.2} MiB |",
                time.as_secs_f64() * 1e3,
                bytes as f64 / 1048576.0,
                peak as f64 / 1048576.0
            );
        }
    }
}
