//! Writes a large deterministic library for the scale benchmarks (issue 14): by default
//! 100,000 articles of 1,000 words, 1,000,000 claims and 3,000,000 history events, through
//! the library's own write path, so the result verifies like any library.
//!
//! Run: `cargo run --release --bin generate-library -- PATH [--articles N] [--words N]
//!       [--claims-per-article N] [--events N]` (PATH must not exist yet).

use std::path::PathBuf;
use std::time::Instant;

use factdesk_core::scale::{generate_library, ScaleSpec};
use factdesk_core::Library;

fn main() {
    let mut args = std::env::args().skip(1);
    let mut path = None;
    let mut spec = ScaleSpec::NEWSROOM;
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> usize {
            args.next()
                .and_then(|v| v.replace('_', "").parse().ok())
                .unwrap_or_else(|| fail(&format!("{name} needs a number")))
        };
        match arg.as_str() {
            "--articles" => spec.articles = number("--articles"),
            "--words" => spec.words_per_article = number("--words"),
            "--claims-per-article" => spec.claims_per_article = number("--claims-per-article"),
            "--events" => spec.events = number("--events"),
            _ if path.is_none() && !arg.starts_with("--") => path = Some(PathBuf::from(arg)),
            _ => fail(&format!("unknown argument {arg}")),
        }
    }
    let path = path.unwrap_or_else(|| fail("give the path of the library to write"));
    if path.exists() {
        fail(&format!("{} exists already; give a new path", path.display()));
    }
    let library = Library::open(&path, "generator").unwrap_or_else(|e| fail(&e.to_string()));
    let started = Instant::now();
    let mut reported = 0;
    let done = generate_library(&library, &spec, |so_far| {
        if so_far.articles >= reported + spec.articles.div_ceil(20) {
            reported = so_far.articles;
            eprintln!(
                "{:>7} articles {:>9} claims {:>9} events  {:.0} s",
                so_far.articles,
                so_far.claims,
                so_far.events,
                started.elapsed().as_secs_f64()
            );
        }
    })
    .unwrap_or_else(|e| fail(&e.to_string()));
    println!(
        "{}: {} articles, {} claims, {} events in {:.1} s",
        path.display(),
        done.articles,
        done.claims,
        done.events,
        started.elapsed().as_secs_f64()
    );
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(2);
}
