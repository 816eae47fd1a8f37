//! The claim assistant: sentences of an article scored for check-worthiness, with the
//! reasons, as suggestions a reporter can accept as claims. Pure functions over the
//! canonical text; no model download, no network.

pub mod attribution;
pub mod checkworthy;
pub mod sentences;
mod weights;

use serde::Serialize;

/// A sentence worth checking, at its code-point span in the canonical text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// Check-worthiness in [0, 1].
    pub score: f64,
    pub reasons: Vec<&'static str>,
    /// Who said it, when the text says (pronouns and surnames resolved to full names).
    pub claimant: Option<String>,
}

/// Sentences of `text` scoring at least `min_score`, in reading order.
pub fn suggest(text: &str, min_score: f64) -> Vec<Suggestion> {
    let chars: Vec<char> = text.chars().collect();
    let mut attributor = attribution::Attributor::new();
    sentences::sentences(text)
        .into_iter()
        .filter_map(|span| {
            let sentence: String = chars[span.start..span.end].iter().collect();
            // Every sentence is read for names, suggested or not.
            let claimant = attributor.claimant(&sentence);
            // Headings and datelines are not claims.
            if sentence.split_whitespace().count() < 5 {
                return None;
            }
            let scored = checkworthy::score(&sentence);
            (scored.score >= min_score).then(|| Suggestion {
                start: span.start,
                end: span.end,
                text: sentence,
                score: (scored.score * 1000.0).round() / 1000.0,
                reasons: scored.reasons,
                claimant,
            })
        })
        .collect()
}

/// The default `--min-score`: the threshold chosen when the weights were trained.
pub fn default_min_score() -> f64 {
    weights::THRESHOLD
}
