//! HTML import on the trafilatura project's evaluation set (`trafilatura-eval/`: 990
//! pages in many languages; for each, snippets the extracted text must contain and page
//! furniture it must not), scored as that project's `tests/eval_common.py` does: a
//! snippet counts when its whitespace-normalized text is a substring of the
//! whitespace-normalized output; precision, recall and F1 over the sums of all pages. A
//! page we refuse to import counts as empty output.
//!
//! The pages are split in two by a hash of the file name: `tune` (what rules may be
//! adjusted on) and `held-out` (scored, never looked at page by page). `-v` lists the
//! snippets missed and the furniture kept, of the tuning half only.
//!
//! Run: `cargo run --release --bin eval-trafilatura -- ../shared/corpora/trafilatura-eval [-v]
//! [--outputs DIR] [--save DIR]` (`--outputs`: score another extractor's texts, one file a
//! page; `--save`: write Factdesk's texts of the tuning half, one file a page)

use std::path::PathBuf;
use std::time::{Duration, Instant};

use factdesk_core::import::{self, Format};

#[derive(Default)]
struct Score {
    pages: usize,
    refused: usize,
    true_positives: usize,
    false_negatives: usize,
    false_positives: usize,
    true_negatives: usize,
}

impl Score {
    fn line(&self, name: &str) -> String {
        let tp = self.true_positives as f64;
        let precision = tp / (tp + self.false_positives as f64).max(1.0);
        let recall = tp / (tp + self.false_negatives as f64).max(1.0);
        let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
        format!(
            "{name:>9}: {} pages ({} refused or empty)  precision {precision:.3}  recall {recall:.3}  F1 {f1:.3}  (tp {} fn {} fp {} tn {})",
            self.pages, self.refused, self.true_positives, self.false_negatives, self.false_positives, self.true_negatives
        )
    }
}

fn norm(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// FNV-1a of the file name: which half a page is in, the same on every machine.
fn tuning_half(file: &str) -> bool {
    let hash = file.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    hash % 2 == 0
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "-v");
    // `--outputs DIR`: score another extractor's outputs (DIR/<file>.txt, title then
    // text; `scripts/bench/readability-trafilatura.mjs` writes Readability.js's) instead
    // of Factdesk's import.
    let outputs = args.iter().position(|a| a == "--outputs").and_then(|i| args.get(i + 1)).map(PathBuf::from);
    // `--save DIR`: also write Factdesk's text of each tuning-half page there, to compare
    // page by page with another extractor's outputs.
    let save = args.iter().position(|a| a == "--save").and_then(|i| args.get(i + 1)).map(PathBuf::from);
    let dir = args
        .iter()
        .enumerate()
        .find(|(i, a)| !a.starts_with('-') && (*i == 0 || !matches!(args[i - 1].as_str(), "--outputs" | "--save")))
        .map(|(_, a)| PathBuf::from(a))
        .unwrap_or_else(|| PathBuf::from("../shared/corpora/trafilatura-eval"));
    let data: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("evaldata.json")).expect("evaldata.json")).expect("JSON");
    let mut entries: Vec<(&String, &serde_json::Value)> = data.as_object().expect("an object").iter().collect();
    entries.sort_by_key(|(_, v)| v["file"].as_str().unwrap_or_default().to_owned());
    let (mut tune, mut held_out) = (Score::default(), Score::default());
    let mut times: Vec<Duration> = Vec::new();
    for (url, entry) in entries {
        let file = entry["file"].as_str().unwrap_or_default();
        let Ok(bytes) = std::fs::read(dir.join("pages").join(file)) else { continue };
        let in_tuning = tuning_half(file);
        let score = if in_tuning { &mut tune } else { &mut held_out };
        score.pages += 1;
        let text = if let Some(outputs) = &outputs {
            let text = std::fs::read_to_string(outputs.join(format!("{file}.txt"))).unwrap_or_default();
            score.refused += usize::from(text.trim().is_empty());
            norm(&text)
        } else {
            let started = Instant::now();
            let prepared = import::prepare(file, bytes, Format::Html);
            times.push(started.elapsed());
            match &prepared {
                Ok(p) => {
                    let text = format!("{}\n{}", p.parsed.title, p.parsed.text);
                    if let (Some(save), true) = (&save, in_tuning) {
                        std::fs::write(save.join(format!("{file}.txt")), &text).expect("--save DIR is writable");
                    }
                    norm(&text)
                }
                Err(reason) => {
                    score.refused += 1;
                    if verbose && in_tuning {
                        println!("refused {file}: {reason}");
                    }
                    String::new()
                }
            }
        };
        let snippets = |key: &str| entry[key].as_array().into_iter().flatten().filter_map(|s| s.as_str()).map(norm);
        for snippet in snippets("with") {
            if text.contains(&snippet) {
                score.true_positives += 1;
            } else {
                score.false_negatives += 1;
                if verbose && in_tuning {
                    println!("missed  {file} ({url}): {snippet}");
                }
            }
        }
        for snippet in snippets("without") {
            if text.contains(&snippet) {
                score.false_positives += 1;
                if verbose && in_tuning {
                    println!("kept    {file} ({url}): {snippet}");
                }
            } else {
                score.true_negatives += 1;
            }
        }
    }
    times.sort();
    let all = Score {
        pages: tune.pages + held_out.pages,
        refused: tune.refused + held_out.refused,
        true_positives: tune.true_positives + held_out.true_positives,
        false_negatives: tune.false_negatives + held_out.false_negatives,
        false_positives: tune.false_positives + held_out.false_positives,
        true_negatives: tune.true_negatives + held_out.true_negatives,
    };
    println!("{}", tune.line("tune"));
    println!("{}", held_out.line("held-out"));
    println!("{}", all.line("all"));
    if !times.is_empty() {
        println!("median time a page {:.2} ms", times[times.len() / 2].as_secs_f64() * 1e3);
    }
}
