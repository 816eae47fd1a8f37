//! Evaluates HTML import on a corpus of saved pages with expected extractions (Mozilla
//! Readability's test pages: `DIR/*/source.html`, `expected.html`,
//! `expected-metadata.json`). Prints per-page misses with `-v`, then the summary:
//! token F1 of the text (precision and recall over word 4-gram shingles, averaged per
//! page), title / byline / published-date exact-match rates, and time per page.
//!
//! Run: `cargo run --release --bin eval-extract -- ../shared/corpora/readability [-v]`

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use factdesk_core::import::{self, html, parse_date, Format};

fn shingles(text: &str) -> HashMap<Vec<String>, usize> {
    let words: Vec<String> =
        text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    let mut counts = HashMap::new();
    if words.len() < 4 {
        if !words.is_empty() {
            *counts.entry(words).or_default() += 1;
        }
        return counts;
    }
    for window in words.windows(4) {
        *counts.entry(window.to_vec()).or_default() += 1;
    }
    counts
}

/// (precision, recall, F1) of `got` against `want`, as multisets of 4-gram shingles.
fn f1(got: &str, want: &str) -> (f64, f64, f64) {
    let (g, w) = (shingles(got), shingles(want));
    let total = |m: &HashMap<Vec<String>, usize>| m.values().sum::<usize>() as f64;
    let common: usize = g.iter().map(|(k, n)| (*n).min(*w.get(k).unwrap_or(&0))).sum();
    let (tg, tw) = (total(&g), total(&w));
    if tg == 0.0 && tw == 0.0 {
        return (1.0, 1.0, 1.0);
    }
    let p = if tg == 0.0 { 0.0 } else { common as f64 / tg };
    let r = if tw == 0.0 { 0.0 } else { common as f64 / tw };
    let f = if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
    (p, r, f)
}

fn norm(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "-v");
    let dir = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/corpora/readability"));
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("source.html").exists())
        .collect();
    pages.sort();

    let (mut p_sum, mut r_sum, mut f_sum) = (0.0, 0.0, 0.0);
    let (mut titles, mut bylines, mut byline_pages, mut dates, mut date_pages, mut refused) = (0, 0, 0, 0, 0, 0);
    // Bylines whose names match, "By " and its like set aside on both sides.
    let mut byline_names = 0usize;
    let mut times: Vec<Duration> = Vec::new();
    for page in &pages {
        let name = page.file_name().unwrap().to_string_lossy();
        let bytes = std::fs::read(page.join("source.html")).unwrap();
        let expected_text =
            html::visible_text(&std::fs::read_to_string(page.join("expected.html")).unwrap_or_default());
        let meta: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(page.join("expected-metadata.json")).unwrap_or_else(|_| "{}".into()),
        )
        .unwrap();
        let started = Instant::now();
        let prepared = import::prepare("source.html", bytes, Format::Html);
        times.push(started.elapsed());
        let parsed = match prepared {
            Ok(p) => p.parsed,
            Err(e) => {
                refused += 1;
                if verbose {
                    println!("{name}: refused: {e}");
                }
                continue;
            }
        };
        let (p, r, f) = f1(&parsed.text, &expected_text);
        p_sum += p;
        r_sum += r;
        f_sum += f;
        let want_title = meta["title"].as_str().map(norm).unwrap_or_default();
        let title_ok = norm(&parsed.title) == want_title;
        titles += usize::from(title_ok);
        let want_byline = meta["byline"].as_str().map(norm).filter(|s| !s.is_empty());
        if want_byline.is_some() {
            byline_pages += 1;
            let found = parsed.author.as_deref().map(norm);
            bylines += usize::from(found == want_byline);
            // The names alone: Readability keeps "By " in its bylines, we drop it.
            let names = |b: &Option<String>| {
                b.as_deref().map(|b| {
                    let lower = b.to_lowercase();
                    let cut = ["by ", "par ", "por ", "von "]
                        .iter()
                        .find(|lead| lower.starts_with(*lead))
                        .map_or(0, |l| l.len());
                    b[cut..].trim().to_owned()
                })
            };
            byline_names += usize::from(names(&found) == names(&want_byline));
            if verbose && found != want_byline {
                println!("byline  {name}: got {found:?} want {want_byline:?}");
            }
        }
        let want_date = meta["publishedTime"].as_str().and_then(parse_date);
        if want_date.is_some() {
            date_pages += 1;
            dates += usize::from(parsed.published == want_date);
        }
        if verbose && (f < 0.9 || !title_ok) {
            println!("{name}: F1 {f:.3} (P {p:.3} R {r:.3}); title {:?} want {:?}", parsed.title, want_title);
        }
    }
    let scored = (pages.len() - refused) as f64;
    times.sort();
    let mean = times.iter().sum::<Duration>() / times.len().max(1) as u32;
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("pages: {} ({} refused)", pages.len(), refused);
    println!(
        "text: mean F1 {:.3} (precision {:.3}, recall {:.3}), 4-gram shingles",
        f_sum / scored,
        p_sum / scored,
        r_sum / scored
    );
    println!("title exact: {titles}/{} = {:.1}%", pages.len(), 100.0 * titles as f64 / pages.len() as f64);
    println!(
        "byline exact: {bylines}/{byline_pages} pages that have one = {:.1}%",
        100.0 * bylines as f64 / byline_pages.max(1) as f64
    );
    println!(
        "byline names (the lead word set aside): {byline_names}/{byline_pages} = {:.1}%",
        100.0 * byline_names as f64 / byline_pages.max(1) as f64
    );
    println!(
        "published date: {dates}/{date_pages} pages that have one = {:.1}%",
        100.0 * dates as f64 / date_pages.max(1) as f64
    );
    println!(
        "time per page (decode + parse + extract): median {:.2} ms, mean {:.2} ms, p90 {:.2} ms, max {:.2} ms",
        ms(times[times.len() / 2]),
        ms(mean),
        ms(times[times.len() * 9 / 10]),
        ms(times[times.len() - 1])
    );
    let _ = Path::new(".");
}
