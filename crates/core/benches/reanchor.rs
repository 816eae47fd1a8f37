//! Re-anchoring: quality on generated revisions with known truth, Factdesk beside a
//! TextQuote-style fuzzy matcher, on our own articles (the rules were written against
//! them) and on held-out text (Mozilla Readability's expected article texts in
//! `../shared/corpora/readability`); then speed: 500 claims into a revised 10,000-word
//! article.
//!
//! Run: `cargo bench -p factdesk-core --bench reanchor` (prints Markdown).

use std::path::Path;
use std::time::{Duration, Instant};

use factdesk_core::anchor::anchor_quote;
use factdesk_core::reanchor::{AnchorState, OldAnchor, Revision};
use factdesk_core::reanchor_eval::{cases, factdesk, fuzzy_baseline, score, table, Random};
use factdesk_core::Format;

fn canonical(name: &str, bytes: Vec<u8>, format: Format) -> Option<String> {
    factdesk_core::import::prepare(name, bytes, format).ok().map(|p| p.parsed.text)
}

fn own_articles(root: &Path) -> Vec<String> {
    let fixtures = root.join("tests/fixtures");
    let mut texts: Vec<String> = ["wire-harbour.txt", "council-tram.txt", "port-fees.md", "ferry-strike.txt"]
        .iter()
        .filter_map(|n| canonical(n, std::fs::read(fixtures.join(n)).ok()?, Format::Auto))
        .collect();
    texts.extend(canonical(
        "sample.txt",
        std::fs::read(root.join("src-tauri/assets/sample-article.txt")).unwrap(),
        Format::Text,
    ));
    texts
}

fn held_out(root: &Path) -> Vec<String> {
    let folder = root.join("../shared/corpora/readability");
    let mut pages: Vec<_> = std::fs::read_dir(folder).unwrap().map(|e| e.unwrap().path()).collect();
    pages.sort();
    pages
        .iter()
        .filter_map(|p| canonical("expected.html", std::fs::read(p.join("expected.html")).ok()?, Format::Html))
        .filter(|t| t.split("\n\n").count() >= 5)
        .collect()
}

fn run(label: &str, articles: &[String]) {
    let generated = cases(articles, 2_800, 2026);
    let ours = score(&generated, factdesk);
    let baseline = score(&generated, fuzzy_baseline);
    println!("\n### {label}: {} cases from {} articles\n", generated.len(), articles.len());
    print!("{}", table(&ours, &baseline));
}

/// A 10,000-word article from the held-out texts, a revision of it (paragraphs inserted,
/// deleted and moved, a figure and a word changed), and 500 claims on the old text.
fn speed(texts: &[String]) {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut words = 0;
    for text in texts.iter().cycle() {
        for p in text.split("\n\n") {
            words += p.split_whitespace().count();
            paragraphs.push(p.to_owned());
        }
        if words >= 10_000 {
            break;
        }
    }
    let old = paragraphs.join("\n\n");
    let mut revised = paragraphs.clone();
    let mut rng = Random::new(99);
    for i in 0..20 {
        let at = (i * 37) % revised.len();
        match i % 4 {
            0 => revised.insert(at, "A paragraph added in the update, with new figures: 12 percent.".to_owned()),
            1 => {
                revised.remove(at);
            }
            2 => {
                let moved = revised.remove(at);
                revised.insert((at * 7) % revised.len(), moved);
            }
            _ => revised[at] = revised[at].replacen("the", "a", 1),
        }
    }
    let new = revised.join("\n\n");
    let chars: Vec<char> = old.chars().collect();
    let mut claims = Vec::new();
    while claims.len() < 500 {
        let start = (rng_next(&mut rng) as usize) % (chars.len() - 80);
        let quote: String = chars[start..start + 20 + (rng_next(&mut rng) as usize % 60)].iter().collect();
        if let Ok(anchor) = anchor_quote(&old, &quote, None) {
            claims.push(anchor);
        }
    }
    let mut times = Vec::new();
    let mut states = [0usize; 4];
    for round in 0..7 {
        let started = Instant::now();
        let revision = Revision::new(&old, &new);
        for c in &claims {
            let placement = revision.place(OldAnchor {
                start: c.start,
                end: c.end,
                quote: &c.quote,
                prefix: &c.prefix,
                suffix: &c.suffix,
            });
            if round == 0 {
                states[AnchorState::ALL.iter().position(|s| *s == placement.state).unwrap()] += 1;
            }
        }
        times.push(started.elapsed());
    }
    times.sort();
    let median: Duration = times[times.len() / 2];
    println!("\n### Speed\n");
    println!("| measure | value | target |\n|---|---|---|");
    println!(
        "| article | {} words, {} paragraphs; revision: 5 inserted, 5 deleted, 5 moved, 5 edited | — |",
        old.split_whitespace().count(),
        paragraphs.len()
    );
    println!(
        "| **re-anchor 500 claims** (diff once + 500 placements), median of 7 | **{:.1} ms** | < 50 ms |",
        median.as_secs_f64() * 1e3
    );
    println!(
        "| states of the 500 | exact {}, moved {}, changed {}, orphaned {} | — |",
        states[0], states[1], states[2], states[3]
    );
}

fn rng_next(rng: &mut Random) -> u64 {
    // `Random` keeps its step private; draw through its public bound.
    rng_below(rng, u32::MAX as usize) as u64
}

fn rng_below(rng: &mut Random, n: usize) -> usize {
    rng.below_public(n)
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    run("Own articles (the rules were written against these)", &own_articles(&root));
    let held = held_out(&root);
    run("Held-out: Mozilla Readability's expected texts (not looked at while writing the rules)", &held);
    speed(&held);
}
