//! Trains the check-worthiness weights (logistic regression over the named features and
//! the word-class n-gram shape in `factdesk_core::assist::checkworthy`) on ClaimBuster's
//! crowdsourced sentences, picks the regularization and the threshold on a tenth of them,
//! and reports precision / recall / F1 on the positive class on a held-out fifth, on the
//! CheckThat! 2023 1B English test set and on our own hand-labelled news-style sentences
//! (`tests/fixtures/checkworthy/news.tsv`); the last two are never used for training or
//! tuning.
//!
//! Beside them, the sentence's words as hashed 1- and 2-grams (`--no-words` leaves them
//! out); `--compare` trains and scores, in the same run and on the same splits, the
//! model with words, the one without, and a TF-IDF word n-gram logistic regression (the
//! baseline a user would otherwise pick).
//!
//! Run: `cargo run --release --bin train-checkworthy -- ../shared/corpora [--write]
//! [--compare] [--no-words] [--news-weight=W]`
//! (`--write` rewrites `crates/core/src/assist/weights.rs`).

use std::path::{Path, PathBuf};

use factdesk_core::assist::checkworthy::{
    features, shape_features, sigmoid, word_features, FEATURES, SHAPE_BUCKETS, WORD_BUCKETS,
};

/// RFC 4180 rows.
fn parse_csv(text: &str, separator: char) -> Vec<Vec<String>> {
    let mut rows = vec![];
    let mut row = vec![];
    let mut cell = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') if cell.is_empty() => quoted = true,
            (false, c) if c == separator => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    rows
}

#[derive(Clone)]
struct Example {
    text: String,
    x: Vec<f64>,
    /// Sparse features after the named ones: (index, value). The shape buckets (value 1);
    /// `with_words` adds the word buckets after them; the TF-IDF baseline has only its own.
    sparse: Vec<(usize, f64)>,
    positive: bool,
    /// How much the example counts in training (news sentences count more: see main).
    weight: f64,
}

impl Example {
    fn new(sentence: &str, positive: bool) -> Example {
        let sparse = shape_features(sentence).into_iter().map(|b| (b, 1.0)).collect();
        Example { text: sentence.to_owned(), x: features(sentence), sparse, positive, weight: 1.0 }
    }

    /// The structure and the sentence's words (hashed 1- and 2-grams).
    fn with_words(&self) -> Example {
        let mut example = self.clone();
        example.sparse.extend(word_features(&self.text).into_iter().map(|b| (SHAPE_BUCKETS + b, 1.0)));
        example
    }

    fn z(&self, w: &[f64]) -> f64 {
        let n = FEATURES.len();
        self.x.iter().zip(w).map(|(x, w)| x * w).sum::<f64>()
            + self.sparse.iter().map(|&(i, v)| w[n + i] * v).sum::<f64>()
    }
}

/// The baseline a user would otherwise pick: TF-IDF over word 1- and 2-grams (seen in at
/// least two training sentences), L2-normalized, with the same logistic regression.
struct TfIdf {
    vocabulary: std::collections::HashMap<String, (usize, f64)>,
}

impl TfIdf {
    fn grams(text: &str) -> Vec<String> {
        let words: Vec<String> = text
            .split(|c: char| !(c.is_alphanumeric() || c == '\''))
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        let mut grams = words.clone();
        grams.extend(words.windows(2).map(|p| format!("{} {}", p[0], p[1])));
        grams
    }

    fn fit(train: &[Example]) -> TfIdf {
        let mut df: std::collections::HashMap<String, usize> = Default::default();
        for e in train {
            let mut seen = Self::grams(&e.text);
            seen.sort();
            seen.dedup();
            for g in seen {
                *df.entry(g).or_default() += 1;
            }
        }
        let n = train.len() as f64;
        let mut kept: Vec<(String, usize)> = df.into_iter().filter(|(_, d)| *d >= 2).collect();
        kept.sort();
        let vocabulary = kept.into_iter().enumerate().map(|(i, (g, d))| (g, (i, (n / d as f64).ln() + 1.0))).collect();
        TfIdf { vocabulary }
    }

    fn example(&self, e: &Example) -> Example {
        let mut counts: std::collections::BTreeMap<usize, f64> = Default::default();
        for g in Self::grams(&e.text) {
            if let Some(&(i, idf)) = self.vocabulary.get(&g) {
                *counts.entry(i).or_default() += idf;
            }
        }
        let norm = counts.values().map(|v| v * v).sum::<f64>().sqrt().max(1e-12);
        let mut x = vec![0.0; FEATURES.len()];
        x[0] = 1.0;
        let sparse = counts.into_iter().map(|(i, v)| (i, v / norm)).collect();
        Example { text: e.text.clone(), x, sparse, positive: e.positive, weight: e.weight }
    }
}

/// Weighted logistic regression by full-batch Adagrad: the named features first, then
/// `extras` sparse weights, L2 `l2` on everything but the bias.
fn train(examples: &[Example], epochs: usize, l2: f64, extras: usize) -> Vec<f64> {
    let n = FEATURES.len();
    let mut w = vec![0.0; n + extras];
    let mut squares = vec![1e-8; w.len()];
    // Positives are a quarter of the data: weigh them up so the boundary is not lazy.
    let positives = examples.iter().filter(|e| e.positive).count() as f64;
    let weight_pos = (examples.len() as f64 - positives) / positives;
    let rate = 0.2;
    for _ in 0..epochs {
        let mut gradient = vec![0.0; w.len()];
        let mut total = 0.0;
        for e in examples {
            let p = sigmoid(e.z(&w));
            let (y, weight) = if e.positive { (1.0, weight_pos * e.weight) } else { (0.0, e.weight) };
            let d = weight * (p - y);
            for (g, x) in gradient.iter_mut().zip(&e.x) {
                *g += d * x;
            }
            for &(i, v) in &e.sparse {
                gradient[n + i] += d * v;
            }
            total += weight;
        }
        for (i, wi) in w.iter_mut().enumerate() {
            let g = gradient[i] / total + if i == 0 { 0.0 } else { l2 * *wi };
            squares[i] += g * g;
            *wi -= rate * g / squares[i].sqrt();
        }
    }
    w
}

/// (precision, recall, F1) on the positive class at `threshold`.
fn evaluate(w: &[f64], examples: &[Example], threshold: f64) -> (f64, f64, f64) {
    let (mut tp, mut fp, mut fneg) = (0.0, 0.0, 0.0);
    for e in examples {
        let predicted = sigmoid(e.z(w)) >= threshold;
        match (predicted, e.positive) {
            (true, true) => tp += 1.0,
            (true, false) => fp += 1.0,
            (false, true) => fneg += 1.0,
            _ => {}
        }
    }
    let p = if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 };
    let r = if tp + fneg > 0.0 { tp / (tp + fneg) } else { 0.0 };
    (p, r, if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 })
}

/// Our hand-labelled sentences in `tests/fixtures/checkworthy/NAME` (sentence, tab, Yes|No).
fn labelled_sentences(name: &str) -> Vec<Example> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/checkworthy").join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.rsplit_once('\t'))
        .map(|(sentence, label)| Example::new(sentence, label.trim() == "Yes"))
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let corpora = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/corpora"));
    let write = args.iter().any(|a| a == "--write");

    let crowd = parse_csv(&std::fs::read_to_string(corpora.join("claimbuster/crowdsourced.csv")).unwrap(), ',');
    let header = &crowd[0];
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (id_col, text_col, verdict_col) = (col("Sentence_id"), col("Text"), col("Verdict"));
    let (mut train_set, mut tune_set, mut held_out) = (Vec::new(), Vec::new(), Vec::new());
    for row in &crowd[1..] {
        if row.len() <= verdict_col {
            continue;
        }
        let id: u64 = row[id_col].parse().unwrap_or(0);
        let example = Example::new(&row[text_col], row[verdict_col].trim() == "1");
        // A fixed split by id: one fifth held out, one tenth of the rest to pick the threshold.
        match id % 10 {
            0 | 5 => held_out.push(example),
            3 => tune_set.push(example),
            _ => train_set.push(example),
        }
    }
    let checkthat: Vec<Example> =
        parse_csv(&std::fs::read_to_string(corpora.join("checkthat2023/test-1b-english.tsv")).unwrap(), '\t')
            .into_iter()
            .skip(1)
            .filter(|r| r.len() >= 3)
            .map(|r| Example::new(&r[1], r[2].trim() == "Yes"))
            .collect();

    // Our own news-style sentences, labelled by hand (never trained or tuned on).
    let news = labelled_sentences("news.tsv");

    // `--news-weight=W`: our news-style tuning sentences join the training set, each
    // counting as W debate sentences. Off by default: at W = 25 (84 sentences, ~12% of the
    // mass) it did not help on news and cost ClaimBuster a little (BENCHMARKS.md).
    let news_weight: f64 = args
        .iter()
        .find_map(|a| a.strip_prefix("--news-weight="))
        .map_or(0.0, |w| w.parse().expect("--news-weight=NUMBER"));
    if news_weight > 0.0 {
        train_set.extend(labelled_sentences("news-tune.tsv").into_iter().map(|e| Example { weight: news_weight, ..e }));
    }

    // The sentence's words (hashed) beside its structure, unless `--no-words`.
    // `--compare`: structure and words, the structure alone, and the TF-IDF baseline,
    // trained and scored in this one run on the same splits.
    let words = !args.iter().any(|a| a == "--no-words");
    let compare = args.iter().any(|a| a == "--compare");
    let words_of = |set: &[Example]| set.iter().map(Example::with_words).collect::<Vec<_>>();
    let tfidf = TfIdf::fit(&train_set);
    let tfidf_of = |set: &[Example]| set.iter().map(|e| tfidf.example(e)).collect::<Vec<_>>();
    type Sets = (Vec<Example>, Vec<Example>, Vec<Example>, Vec<Example>, Vec<Example>);
    let plain = |set: &[Example]| set.to_vec();
    let models: Vec<(&str, usize, Sets)> = {
        let mut models = Vec::new();
        let sets = |f: &dyn Fn(&[Example]) -> Vec<Example>| {
            (f(&train_set), f(&tune_set), f(&held_out), f(&checkthat), f(&news))
        };
        // The first model is the one `--write` writes.
        if compare || words {
            models.push(("structure + words (hashed 1-2-grams)", SHAPE_BUCKETS + WORD_BUCKETS, sets(&words_of)));
        }
        if compare || !words {
            models.push(("structure (named features + word-class shape)", SHAPE_BUCKETS, sets(&plain)));
        }
        if compare {
            models.push((
                "baseline: TF-IDF word 1-2-grams + logistic regression",
                tfidf.vocabulary.len(),
                sets(&tfidf_of),
            ));
        }
        models
    };
    let mut chosen = None;
    for (model, extras, (train_set, tune_set, held_out, checkthat, news)) in &models {
        let best_threshold = |w: &[f64]| {
            (20..=80)
                .map(|t| t as f64 / 100.0)
                .max_by(|a, b| evaluate(w, tune_set, *a).2.total_cmp(&evaluate(w, tune_set, *b).2))
                .unwrap()
        };
        // Regularization and threshold are chosen on the tuning tenth of ClaimBuster only.
        let (w, threshold, l2) = [3e-2, 1e-2, 3e-3, 1e-3]
            .into_iter()
            .map(|l2| {
                let w = train(train_set, 800, l2, *extras);
                let t = best_threshold(&w);
                let f = evaluate(&w, tune_set, t).2;
                println!("  l2 {l2:e}: tuning F1 {f:.3} at threshold {t:.2}");
                (w, t, l2, f)
            })
            .max_by(|a, b| a.3.total_cmp(&b.3))
            .map(|(w, t, l2, _)| (w, t, l2))
            .unwrap();
        println!(
            "{model}: trained on {} sentences; l2 {l2:e} and threshold {threshold:.2} chosen on {} others",
            train_set.len(),
            tune_set.len()
        );
        for (name, set) in [
            ("ClaimBuster crowdsourced, held-out fifth", held_out),
            ("CheckThat! 2023 1B English (never tuned on)", checkthat),
            ("news-style sentences of tests/fixtures/checkworthy (never tuned on)", news),
        ] {
            let (p, r, f) = evaluate(&w, set, threshold);
            let positives = set.iter().filter(|e| e.positive).count();
            println!(
                "  {name}: {} sentences ({positives} check-worthy): precision {p:.3}, recall {r:.3}, F1 {f:.3}",
                set.len()
            );
        }
        // A threshold for news, chosen on our news tuning sentences (never on the news
        // test set): the most precise one that still finds four in five check-worthy ones.
        let news_tune: Vec<Example> = {
            let tune = labelled_sentences("news-tune.tsv");
            match *extras {
                e if e == SHAPE_BUCKETS + WORD_BUCKETS => tune.iter().map(Example::with_words).collect(),
                e if e == SHAPE_BUCKETS => tune,
                _ => tune.iter().map(|e| tfidf.example(e)).collect(),
            }
        };
        let news_threshold = (20..=90)
            .map(|t| t as f64 / 100.0)
            .filter(|t| evaluate(&w, &news_tune, *t).1 >= 0.8)
            .max_by(|a, b| evaluate(&w, &news_tune, *a).0.total_cmp(&evaluate(&w, &news_tune, *b).0))
            .unwrap_or(threshold);
        let (p, r, f) = evaluate(&w, news, news_threshold);
        println!(
            "  news-style sentences at the news threshold {news_threshold:.2} (chosen on news-tune.tsv): precision {p:.3}, recall {r:.3}, F1 {f:.3}"
        );
        if chosen.is_none() {
            chosen = Some((w, threshold));
        }
    }
    let (w, threshold) = chosen.unwrap();
    let n = FEATURES.len();
    for (name, weight) in FEATURES.iter().zip(&w) {
        println!("  {weight:+.3}  {name}");
    }
    if write {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/core/src/assist/weights.rs");
        let values: Vec<String> = w[..n].iter().map(|v| format!("{v:.4}")).collect();
        assert!(words, "the app scores with words: write the model with them");
        let packed = |weights: &[f64]| -> String {
            let values: Vec<String> =
                weights.iter().map(|v| format!("{v:.3}").replace("-0.000", "0.0").replace("0.000", "0.0")).collect();
            values.chunks(16).map(|c| format!("    {},", c.join(", "))).collect::<Vec<_>>().join("\n")
        };
        let source = format!(
            "//! Written by `cargo run --release --bin train-checkworthy -- ../shared/corpora --write`;\n//! do not edit by hand. Logistic regression weights: the named features in the order of\n//! `FEATURES`, then one weight per word-class n-gram bucket, then one per word bucket.\n\n#[rustfmt::skip]\npub const WEIGHTS: [f64; {}] = [{}];\n#[rustfmt::skip]\npub const SHAPE_WEIGHTS: [f32; {}] = [\n{}\n];\n#[rustfmt::skip]\npub const WORD_WEIGHTS: [f32; {}] = [\n{}\n];\npub const THRESHOLD: f64 = {threshold:.2};\n",
            n,
            values.join(", "),
            SHAPE_BUCKETS,
            packed(&w[n..n + SHAPE_BUCKETS]),
            WORD_BUCKETS,
            packed(&w[n + SHAPE_BUCKETS..])
        );
        std::fs::write(&path, source).unwrap();
        println!("wrote {}", path.display());
    }
}
