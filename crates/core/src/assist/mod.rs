//! The claim assistant: sentences of an article scored for check-worthiness, with the
//! reasons, as suggestions a reporter can accept as claims; and the checks a sub-editor
//! would make (a name spelled two ways, a figure stated two ways). Pure functions over
//! the canonical text; no model download, no network.

pub mod attribution;
pub mod checkworthy;
pub mod names;
pub mod quantities;
pub mod sentences;
mod weights;
mod words;

use serde::Serialize;

use names::NameVariant;
use quantities::QuantityMismatch;

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
    let spans = sentences::sentences(text);
    let texts: Vec<String> = spans.iter().map(|span| chars[span.start..span.end].iter().collect()).collect();
    // Every sentence is read for names, suggested or not.
    let claimants = attribution::Attributor::new().claimants(texts.iter().map(String::as_str));
    spans
        .into_iter()
        .zip(texts)
        .zip(claimants)
        .filter_map(|((span, sentence), claimant)| {
            // Headings and datelines are not claims, nor is a line that announces a
            // quotation ("Asked about the budget, Marques replied:"): the quotation is.
            if sentence.split_whitespace().count() < 5 || sentence.trim_end().ends_with(':') {
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

/// A person named in this article and, probably, in another article spelled differently.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LibraryNameVariant {
    /// The name as this article writes it.
    pub here: String,
    /// The name as the other article writes it.
    pub there: String,
    pub article_id: i64,
    pub article_title: String,
}

/// A figure in this article and a close but different one of the same thing in another
/// article that names the same person: probably one figure, reported two ways.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LibraryQuantityMismatch {
    pub here: quantities::Quantity,
    /// The other article's figure as written.
    pub there: String,
    pub article_id: i64,
    pub article_title: String,
    /// A person both articles name, which ties the two stories together.
    pub shared_name: String,
}

/// What the assistant notices about one article, beyond its suggestions.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ArticleChecks {
    /// Surnames spelled two ways in this article.
    pub name_variants: Vec<NameVariant>,
    /// Names written one way here and another way elsewhere in the library.
    pub library_name_variants: Vec<LibraryNameVariant>,
    /// Figures of one thing that differ a little within this article.
    pub quantity_mismatches: Vec<QuantityMismatch>,
    /// Figures that differ a little from another article's about the same person.
    pub library_quantity_mismatches: Vec<LibraryQuantityMismatch>,
}

impl ArticleChecks {
    pub fn is_empty(&self) -> bool {
        self.name_variants.is_empty()
            && self.library_name_variants.is_empty()
            && self.quantity_mismatches.is_empty()
            && self.library_quantity_mismatches.is_empty()
    }

    /// One sentence per finding, the wording every output shares.
    pub fn messages(&self) -> Vec<String> {
        self.findings().into_iter().map(|f| f.message).collect()
    }

    /// Each finding with its message and where it is in the article.
    pub fn findings(&self) -> Vec<Finding> {
        let mentions = |n: usize| if n == 1 { "1 mention".to_owned() } else { format!("{n} mentions") };
        let mut findings = Vec::new();
        for v in &self.name_variants {
            findings.push(Finding {
                message: format!(
                    "name spelled two ways: “{}” ({}) and “{}” ({}): the same person?",
                    v.first.name,
                    mentions(v.first.spans.len()),
                    v.second.name,
                    mentions(v.second.spans.len()),
                ),
                spans: v.first.spans.iter().chain(&v.second.spans).copied().collect(),
                words: vec![v.first.surname.clone(), v.second.surname.clone()],
                article_id: None,
            });
        }
        for v in &self.library_name_variants {
            findings.push(Finding {
                message: format!(
                    "“{}” here is spelled “{}” in article {} ({}): the same person?",
                    v.here, v.there, v.article_id, v.article_title
                ),
                spans: Vec::new(),
                words: v.here.rsplit(' ').next().map(str::to_owned).into_iter().collect(),
                article_id: Some(v.article_id),
            });
        }
        for m in &self.quantity_mismatches {
            findings.push(Finding {
                message: format!("figures differ: “{}” and “{}”: the same figure?", m.first.text, m.second.text),
                spans: vec![m.first.span, m.second.span],
                words: Vec::new(),
                article_id: None,
            });
        }
        for m in &self.library_quantity_mismatches {
            findings.push(Finding {
                message: format!(
                    "“{}” here, “{}” in article {} ({}), which also names {}: the same figure?",
                    m.here.text, m.there, m.article_id, m.article_title, m.shared_name
                ),
                spans: vec![m.here.span],
                words: Vec::new(),
                article_id: Some(m.article_id),
            });
        }
        findings
    }
}

impl Finding {
    /// The message with the paragraphs it points at, for a reader holding the text or a
    /// printed report: "… the same person? (¶ 2, 5)".
    pub fn located(&self, text: &crate::text::ArticleText) -> String {
        let mut paragraphs: Vec<usize> = self.spans.iter().map(|span| text.paragraph_of(span.start)).collect();
        paragraphs.sort_unstable();
        paragraphs.dedup();
        if paragraphs.is_empty() {
            return self.message.clone();
        }
        let list: Vec<String> = paragraphs.iter().map(usize::to_string).collect();
        format!("{} (¶ {})", self.message, list.join(", "))
    }
}

/// An article's findings, for the library-wide list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleFindings {
    pub article_id: i64,
    pub title: String,
    pub findings: Vec<Finding>,
}

/// One thing the checks found, as every output words it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub message: String,
    /// Where in the article (code points); empty when the finding is about another article.
    pub spans: Vec<sentences::Span>,
    /// Words that tie the finding to a claim quoting them (the surnames involved).
    pub words: Vec<String>,
    /// The other article, for a finding across the library.
    pub article_id: Option<i64>,
}

/// The checks of one article that need only its text.
pub fn checks(text: &str) -> ArticleChecks {
    checks_with_people(text, &names::people(text))
}

/// [`checks`] when the article's people are already found.
pub fn checks_with_people(text: &str, people: &names::People) -> ArticleChecks {
    ArticleChecks {
        name_variants: names::variants_within(people),
        library_name_variants: Vec::new(),
        quantity_mismatches: quantities::mismatches(&quantities::quantities(text)),
        library_quantity_mismatches: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Random text from characters that stress the assistant's parsers (quotes, digits
    /// with separators, currency, apostrophes, combining marks, wide and right-to-left
    /// letters, line breaks): no panic, and every span lies inside the text.
    #[test]
    fn any_text_is_read_without_panicking() {
        let pieces = [
            "Mr.",
            "Dr",
            "said",
            "told",
            "according to",
            "“",
            "”",
            "\"",
            "'",
            "’s",
            ",",
            ".",
            ":",
            "?",
            "!",
            " ",
            " ",
            " ",
            "\n",
            "\n\n",
            "1,200",
            "4.2",
            "4.",
            "€",
            "$3bn",
            "%",
            "per cent",
            "million",
            "Lecornu",
            "Lecorneuil",
            "Ana",
            "de",
            "Vries",
            "e\u{301}",
            "Ø",
            "日本",
            "مرحبا",
            "-",
            "—",
            "(...)",
            "20th",
            "2024-10-22",
            "0",
            "٣",
            "ǅ",
            "İ",
            "ß",
        ];
        let mut seed = 0x9e37_79b9_u64;
        for _ in 0..2_000 {
            let mut text = String::new();
            for _ in 0..(seed % 60) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            let length = text.chars().count();
            for s in suggest(&text, 0.0) {
                assert!(s.start < s.end && s.end <= length, "{text:?}");
            }
            let found = checks(&text);
            for finding in found.findings() {
                assert!(finding.spans.iter().all(|span| span.start < span.end && span.end <= length), "{text:?}");
            }
        }
    }

    /// One "word" of megabytes (a name-like one and a number) is not a name to compare
    /// letter by letter (that would be quadratic: this test would not finish).
    #[test]
    fn a_giant_word_is_not_a_name() {
        let b = "b".repeat(2_000_000);
        let giant = format!("Minister A{b} said {} ships left, Minister A{b}c said.", "9".repeat(2_000_000));
        assert!(names::people(&giant).spellings.is_empty());
        assert!(checks(&giant).name_variants.is_empty());
        assert_eq!(suggest(&giant, 0.0).len(), 1);
    }
}
