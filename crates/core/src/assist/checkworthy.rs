//! Check-worthiness: a score in [0, 1] for a sentence and the reasons behind it, from
//! features that carry across sources, not from debate vocabulary: named features
//! (numbers, quantities, comparisons, attribution, names, tense, hedges; opinion and
//! rhetoric lower the score) and the sentence's shape, as n-grams of word classes
//! ("the <cap> <ed> <num> <pl>"): closed-class words stay themselves, every other word
//! becomes its class (number, capitalized, -ed, -ing, -ly, plural…), so the model sees
//! structure and never a topic word. The weights are a logistic regression trained offline
//! on ClaimBuster's crowdsourced sentences by `src/bin/train-checkworthy.rs`, written to
//! `weights.rs`.

use super::weights::{SHAPE_WEIGHTS, THRESHOLD, WEIGHTS, WORD_WEIGHTS};

/// Hash buckets for word-class n-grams.
pub const SHAPE_BUCKETS: usize = 4096;

/// Closed-class words kept as themselves in the sentence's shape.
#[rustfmt::skip]
const FUNCTION_WORDS: &[&str] = &[
    "i", "me", "my", "we", "us", "our", "you", "your", "he", "him", "his", "she", "her", "it", "its", "they",
    "them", "their", "this", "that", "these", "those", "the", "a", "an", "some", "any", "all", "every", "each",
    "no", "not", "never", "nothing", "none", "is", "are", "was", "were", "be", "been", "being", "am", "has", "have",
    "had", "do", "does", "did", "will", "would", "shall", "should", "can", "could", "may", "might", "must", "of",
    "in", "on", "at", "to", "for", "from", "by", "with", "about", "than", "as", "since", "over", "under", "between",
    "into", "after", "before", "during", "per", "and", "or", "but", "if", "because", "so", "when", "while", "where",
    "what", "who", "which", "why", "how", "there", "here", "more", "most", "less", "least", "fewer", "only", "just",
    "also", "very", "up", "down", "said", "says", "say", "told", "according", "think", "believe", "know", "want",
    "going", "let's", "million", "billion", "percent", "times", "first", "last", "year", "years", "ago", "today",
    "now", "again",
];

/// Comparisons and changes ("rose by", "the largest").
#[rustfmt::skip]
const COMPARISON_WORDS: &[&str] = &[
    "more", "less", "fewer", "increase", "increased", "decrease", "decreased", "rose", "risen", "fell", "fallen",
    "grew", "grown", "doubled", "tripled", "cut", "cuts", "highest", "lowest", "largest", "smallest", "record",
    "most", "least", "times", "than", "higher", "lower", "up", "down", "since", "average", "rate",
];

/// Attribution (said, according to).
#[rustfmt::skip]
const ATTRIBUTION_WORDS: &[&str] = &[
    "said", "says", "told", "claimed", "claims", "reported", "announced", "stated", "according", "confirmed",
    "denied",
];

/// Opinion, wishes and rhetoric.
#[rustfmt::skip]
const OPINION_WORDS: &[&str] = &[
    "think", "believe", "feel", "should", "must", "great", "terrible", "wonderful", "best", "worst", "hope", "want",
    "love", "hate", "wrong", "good", "bad", "disaster", "important", "need", "let's", "thank", "thanks", "proud",
];

/// Quantities in words.
#[rustfmt::skip]
const QUANTITY_WORDS: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "hundred", "hundreds",
    "thousand", "thousands", "dozen", "half", "quarter", "twice", "million", "millions",
];

/// Policy subjects (tax, jobs, budget…).
#[rustfmt::skip]
const POLICY_WORDS: &[&str] = &[
    "tax", "taxes", "jobs", "unemployment", "budget", "deficit", "debt", "spending", "spent", "cost", "costs",
    "votes", "voted", "vote", "law", "bill", "crime", "wages", "prices", "inflation", "population", "percent",
];

/// The class of a word in the sentence's shape.
fn word_class(raw: &str, first: bool) -> String {
    let word = raw.trim_matches(|c: char| !c.is_alphanumeric() && c != '%' && c != '$' && c != '€' && c != '£');
    if word.is_empty() {
        return String::new();
    }
    if word.chars().any(|c| c.is_ascii_digit()) || word.starts_with(['$', '€', '£']) {
        return if word.ends_with('%') { "<pct>".into() } else { "<num>".into() };
    }
    let lower = word.to_lowercase().replace('’', "'");
    if FUNCTION_WORDS.contains(&lower.as_str()) {
        return lower;
    }
    if !first && word.chars().next().is_some_and(char::is_uppercase) {
        return "<cap>".into();
    }
    let class = [
        ("ly", "<ly>"),
        ("ing", "<ing>"),
        ("ed", "<ed>"),
        ("est", "<est>"),
        ("tion", "<nom>"),
        ("ment", "<nom>"),
        ("ity", "<nom>"),
        ("ness", "<nom>"),
        ("er", "<er>"),
        ("s", "<pl>"),
    ]
    .iter()
    .find(|(ending, _)| lower.len() > ending.len() + 2 && lower.ends_with(ending))
    .map_or("<w>", |(_, class)| class);
    class.into()
}

/// FNV-1a, so training and scoring hash the same n-gram to the same bucket on every platform.
fn bucket(ngram: &str) -> usize {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in ngram.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash as usize % SHAPE_BUCKETS
}

/// The sentence's shape: hash buckets of its word-class 1-, 2- and 3-grams (with sentence
/// start and end), each once.
pub fn shape_features(sentence: &str) -> Vec<usize> {
    let mut classes = vec!["<bos>".to_owned()];
    classes
        .extend(sentence.split_whitespace().enumerate().map(|(i, w)| word_class(w, i == 0)).filter(|c| !c.is_empty()));
    classes.push(if sentence.trim_end().ends_with('?') { "<eoq>".into() } else { "<eos>".into() });
    let mut buckets = Vec::with_capacity(classes.len() * 3);
    for n in 1..=3 {
        for window in classes.windows(n) {
            buckets.push(bucket(&window.join(" ")));
        }
    }
    buckets.sort_unstable();
    buckets.dedup();
    buckets
}

/// Buckets of hashed word 1- and 2-grams ([`word_features`]).
pub const WORD_BUCKETS: usize = 4096;

/// The sentence's words: hash buckets of its lower-cased word 1- and 2-grams (numbers as
/// one token), each once; kept apart from the shape's buckets by a prefix.
pub fn word_features(sentence: &str) -> Vec<usize> {
    let words: Vec<String> = lower_words(sentence)
        .into_iter()
        .map(|w| if w.chars().any(|c| c.is_ascii_digit()) { "<num>".to_owned() } else { w })
        .collect();
    let mut buckets: Vec<usize> = words.iter().map(|w| bucket(&format!("w:{w}")) % WORD_BUCKETS).collect();
    buckets.extend(words.windows(2).map(|p| bucket(&format!("w:{} {}", p[0], p[1])) % WORD_BUCKETS));
    buckets.sort_unstable();
    buckets.dedup();
    buckets
}

/// What each feature means, in the order of [`WEIGHTS`] (index 0 is the bias).
#[rustfmt::skip]
pub const FEATURES: &[&str] = &[
    "bias", "a number", "a percentage", "an amount of money or a large quantity", "a year",
    "a comparison or a change", "attribution (said, according to)", "hedged or second-hand sourcing",
    "named people, places or organizations", "first person (I, me, my)", "opinion or wishes", "a question",
    "length", "very short", "past tense", "a quantity in words", "addresses the listener (you, we)",
    "a promise, plan or prediction (will, could, expected)", "a policy subject (tax, jobs, budget…)", "a negation",
];

fn lower_words(sentence: &str) -> Vec<String> {
    sentence
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().replace('’', "'"))
        .collect()
}

fn any(words: &[String], list: &[&str]) -> bool {
    words.iter().any(|w| list.contains(&w.as_str()))
}

/// The feature vector of a sentence (same order as [`FEATURES`]).
pub fn features(sentence: &str) -> Vec<f64> {
    let words = lower_words(sentence);
    let lower = sentence.to_lowercase();
    let raw: Vec<&str> = sentence.split_whitespace().collect();
    let b = |x: bool| if x { 1.0 } else { 0.0 };
    let has_year = words
        .iter()
        .any(|w| w.len() == 4 && w.chars().all(|c| c.is_ascii_digit()) && (w.starts_with("19") || w.starts_with("20")));
    let capitalized = raw
        .iter()
        .skip(1)
        .filter(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            w.chars().next().is_some_and(char::is_uppercase) && !matches!(w, "I" | "I'm" | "I've" | "I'll" | "I'd")
        })
        .count();
    vec![
        1.0,
        b(sentence.chars().any(|c| c.is_ascii_digit())),
        b(sentence.contains('%') || lower.contains("percent") || lower.contains("per cent")),
        b(sentence.contains(['$', '€', '£', '¥'])
            || any(&words, &["million", "billion", "trillion", "dollars", "euros", "pounds", "bn", "m"])),
        b(has_year),
        b(any(&words, COMPARISON_WORDS)),
        b(any(&words, ATTRIBUTION_WORDS)),
        b(any(&words, &["reportedly", "allegedly", "unconfirmed", "sources", "rumours", "rumors", "purportedly"])
            || lower.contains("not been confirmed")),
        (capitalized as f64 / 3.0).min(1.0),
        b(any(&words, &["i", "i'm", "i've", "i'll", "i'd", "me", "my", "mine"])),
        b(any(&words, OPINION_WORDS)),
        b(sentence.trim_end().ends_with('?')),
        (words.len() as f64 / 30.0).min(1.0),
        b(words.len() < 6),
        b(words.iter().any(|w| w.len() > 4 && w.ends_with("ed")) || any(&words, &["was", "were", "had", "did"])),
        b(any(&words, QUANTITY_WORDS)),
        b(any(&words, &["you", "your", "we", "we're", "we've", "our", "us"])),
        b(any(
            &words,
            &[
                "will", "would", "going", "gonna", "promise", "plan", "could", "may", "might", "expected", "likely",
                "hope", "hopes", "plans", "aims",
            ],
        )),
        b(any(&words, POLICY_WORDS)),
        b(any(&words, &["not", "no", "never", "don't", "didn't", "isn't", "wasn't", "can't", "won't"])),
    ]
}

/// `1 / (1 + e^-x)`.
pub fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// A sentence's check-worthiness with the features that raised it most.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    pub score: f64,
    /// The present features with positive weight, strongest first (at most three).
    pub reasons: Vec<&'static str>,
}

pub fn score(sentence: &str) -> Score {
    let x = features(sentence);
    let shape: f64 = shape_features(sentence).into_iter().map(|b| f64::from(SHAPE_WEIGHTS[b])).sum::<f64>()
        + word_features(sentence).into_iter().map(|b| f64::from(WORD_WEIGHTS[b])).sum::<f64>();
    let z: f64 = x.iter().zip(WEIGHTS.iter()).map(|(x, w)| x * w).sum::<f64>() + shape;
    let mut contributions: Vec<(f64, &'static str)> = x
        .iter()
        .zip(WEIGHTS.iter())
        .enumerate()
        .skip(1)
        .filter(|(_, (x, w))| **x > 0.0 && **w > 0.0)
        .map(|(i, (x, w))| (x * w, FEATURES[i]))
        .collect();
    contributions.sort_by(|a, b| b.0.total_cmp(&a.0));
    Score { score: sigmoid(z), reasons: contributions.into_iter().take(3).map(|(_, r)| r).collect() }
}

/// Whether a score counts as check-worthy (the threshold chosen on training data).
pub fn is_checkworthy(score: f64) -> bool {
    score >= THRESHOLD
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feature_vector_matches_the_weights() {
        assert_eq!(features("x").len(), FEATURES.len());
        assert_eq!(WEIGHTS.len(), FEATURES.len());
        assert_eq!(SHAPE_WEIGHTS.len(), SHAPE_BUCKETS);
        assert_eq!(WORD_WEIGHTS.len(), WORD_BUCKETS);
    }

    #[test]
    fn the_shape_keeps_structure_and_drops_topic_words() {
        let classes: Vec<String> = "Unemployment fell to 4.2% in Ohio, officials said."
            .split_whitespace()
            .enumerate()
            .map(|(i, w)| word_class(w, i == 0))
            .collect();
        assert_eq!(classes, ["<nom>", "<w>", "to", "<pct>", "in", "<cap>", "<pl>", "said"]);
        // Same structure, other topic: same shape.
        assert_eq!(
            shape_features("Employment rose to 3.1% in Chile, analysts said."),
            shape_features("Unemployment fell to 4.2% in Ohio, officials said.")
        );
    }

    #[test]
    fn factual_sentences_outscore_opinion() {
        let factual = score("Unemployment fell to 4.2 percent in 2023, the lowest rate since 1969, the ministry said.");
        let opinion = score("I think we should all be proud of what we have done.");
        assert!(factual.score > opinion.score + 0.3, "{factual:?} vs {opinion:?}");
        assert!(factual.reasons.contains(&"a percentage") || factual.reasons.contains(&"a number"), "{factual:?}");
    }
}
