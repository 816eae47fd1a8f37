//! What capturing costs beyond the network, and what an endless page costs in memory.
//! A real HTTP server on loopback serves a ~200 KB article (new bytes at every request):
//! `fetch` alone is the network part; fetch + WARC records + hashes + extraction + the
//! SQLite write (`Library::import_capture`, a durable commit) is the whole capture. The
//! difference of the medians is Factdesk's own overhead. Then an endless body is fetched
//! and the process's peak resident memory (VmHWM) is read before and after.
//!
//! Run: `cargo bench -p factdesk-capture --bench capture` (prints a Markdown table).

#[path = "../tests/support/server.rs"]
mod server;

use std::time::{Duration, Instant};

use factdesk_capture::{fetch, FetchOptions, Reach, Reason};
use factdesk_core::{Format, Library};

const ROUNDS: usize = 60;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// Peak resident memory of this process so far, in MiB (Linux `VmHWM`).
fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn main() {
    let server = server::TestServer::start();
    let options = FetchOptions {
        reach: Reach { private_network: false, allowed: vec![server.address] },
        ..FetchOptions::default()
    };
    let dir =
        tempfile::tempdir_in(std::env::var_os("FACTDESK_BENCH_DIR").unwrap_or_else(|| std::env::temp_dir().into()))
            .unwrap();
    let library = Library::open(&dir.path().join("library.sqlite"), "bench").unwrap();
    let url = server.url("/large");
    let page_bytes = server::large_page(0).len();

    // The endless page first, so the peak is not set by anything else.
    let before = peak_rss_mib();
    let started = Instant::now();
    let endless = fetch(&server.url("/endless"), &options).unwrap_err();
    let endless_time = started.elapsed();
    assert!(matches!(endless.reason, Reason::TooLarge(_)), "{endless}");
    let after = peak_rss_mib();

    // Warm-up, then alternate the two measures so drift hits both alike.
    for _ in 0..5 {
        library.import_capture(&fetch(&url, &options).unwrap(), Format::Auto).unwrap();
    }
    let (mut network, mut whole) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let started = Instant::now();
        std::hint::black_box(fetch(&url, &options).unwrap());
        network.push(started.elapsed());
        let started = Instant::now();
        let capture = fetch(&url, &options).unwrap();
        library.import_capture(&capture, Format::Auto).unwrap();
        whole.push(started.elapsed());
    }
    let (network, whole) = (median(network), median(whole));
    println!("| measure | value | target |");
    println!("|---|---|---|");
    println!("| page size | {page_bytes} bytes | ~200 KB |");
    println!("| fetch only (loopback network), median of {ROUNDS} | {} | — |", ms(network));
    println!("| fetch + WARC + hashes + extraction + durable SQLite write, median of {ROUNDS} | {} | — |", ms(whole));
    println!(
        "| **capture overhead beyond the network** (difference of medians) | **{}** | < 20 ms |",
        ms(whole.saturating_sub(network))
    );
    println!("| endless body cut at the 20 MiB cap: time | {} | — |", ms(endless_time));
    println!("| peak resident memory before / after the endless fetch | {before:.1} / {after:.1} MiB | < 64 MiB |");
}
