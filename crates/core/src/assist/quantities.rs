//! Quantities: numbers with their unit and what they count ("4.2 million passengers",
//! "€310m in fees", "1,200 containers"), normalized so the same figure written two ways
//! compares equal, and the figures within one article that look like one figure stated
//! two different ways.

use std::collections::HashMap;

use serde::Serialize;

use super::sentences::Span;

/// A number in the text with what it measures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quantity {
    pub span: Span,
    /// As written ("4.2 million passengers").
    pub text: String,
    /// The value with scale words applied (4.2 million → 4200000).
    pub value: f64,
    /// `%`, a currency (`EUR`, `USD`, `GBP`, …) or empty.
    pub unit: String,
    /// What is counted, singular and lower-case ("passenger"), or empty when unclear.
    pub counts: String,
}

/// Two quantities of one thing in one article whose values differ by a little: the same
/// figure stated twice, differently, or two figures a reader will confuse.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuantityMismatch {
    pub first: Quantity,
    pub second: Quantity,
}

const SCALES: &[(&str, f64)] = &[
    ("thousand", 1e3),
    ("k", 1e3),
    ("million", 1e6),
    ("millions", 1e6),
    ("m", 1e6),
    ("mn", 1e6),
    ("billion", 1e9),
    ("billions", 1e9),
    ("bn", 1e9),
    ("b", 1e9),
    ("trillion", 1e12),
    ("tn", 1e12),
];
const CURRENCY_WORDS: &[(&str, &str)] = &[
    ("dollars", "USD"),
    ("dollar", "USD"),
    ("euros", "EUR"),
    ("euro", "EUR"),
    ("pounds", "GBP"),
    ("yen", "JPY"),
    ("yuan", "CNY"),
    ("rupees", "INR"),
    ("hryvnias", "UAH"),
    ("roubles", "RUB"),
    ("rubles", "RUB"),
];
const PERCENT_WORDS: &[&str] = &["percent", "per cent", "%"];
/// Words skipped between a number and what it counts ("1,200 more containers").
const FILLER: &[&str] = &["more", "additional", "extra", "new", "of", "the", "fewer", "other", "than", "in", "worth"];
/// Words after a number that are not what it counts.
const NOT_COUNTED: &[&str] = &[
    "and", "or", "to", "a", "an", "on", "at", "by", "for", "from", "with", "was", "were", "is", "are", "had", "has",
    "have", "will", "would", "per", "that", "this", "which", "who", "as", "into", "over", "under", "since", "after",
    "before", "when", "while", "but", "so", "it", "its", "their", "his", "her", "be", "been", "year", "years",
];

fn currency_symbol(c: char) -> Option<&'static str> {
    match c {
        '$' => Some("USD"),
        '€' => Some("EUR"),
        '£' => Some("GBP"),
        '¥' => Some("JPY"),
        '₴' => Some("UAH"),
        '₽' => Some("RUB"),
        _ => None,
    }
}

fn singular(word: &str) -> String {
    let word = word.to_lowercase();
    if let Some(stem) = word.strip_suffix("ies") {
        return format!("{stem}y");
    }
    if word.ends_with("ss") || word.len() <= 3 {
        return word;
    }
    word.strip_suffix('s').map_or(word.clone(), str::to_owned)
}

/// The quantities of `text`, in reading order. Years (four digits, 1800–2100, no unit)
/// and numbers inside words or dates ("COVID-19", "2024-10-22") are left out.
pub fn quantities(text: &str) -> Vec<Quantity> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !starts_number(&chars, i) {
            i += 1;
            continue;
        }
        let (digits, j) = read_digits(&chars, i);
        if !stands_alone(&chars, j) {
            i = j + 1;
            continue;
        }
        let Ok(value) = digits.parse::<f64>() else {
            i = j;
            continue;
        };
        let (start, currency) = match i.checked_sub(1).and_then(|before| currency_symbol(chars[before])) {
            Some(symbol) => (i - 1, symbol.to_owned()),
            None => (i, String::new()),
        };
        let phrase = read_phrase(&words_after(&chars, j), j, value, currency);
        let is_year = phrase.unit.is_empty()
            && !digits.contains('.')
            && digits.len() == 4
            && (1800.0..=2100.0).contains(&phrase.value)
            && !chars[i..j].contains(&',');
        if !is_year && (!phrase.counts.is_empty() || !phrase.unit.is_empty()) {
            found.push(Quantity {
                span: Span { start, end: phrase.end },
                text: chars[start..phrase.end].iter().collect(),
                value: phrase.value,
                unit: phrase.unit,
                counts: phrase.counts,
            });
        }
        i = j.max(i + 1);
    }
    found
}

/// A digit that does not continue a word, a code or another number ("A4", "3.5", "1/2").
fn starts_number(chars: &[char], i: usize) -> bool {
    chars[i].is_ascii_digit()
        && (i == 0 || !(chars[i - 1].is_alphanumeric() || matches!(chars[i - 1], '-' | '.' | ',' | '/' | ':')))
}

/// The number starting at `i`: digits with thousands separators and one decimal point,
/// as a parseable string, and where it ends.
fn read_digits(chars: &[char], i: usize) -> (String, usize) {
    let mut j = i;
    let mut digits = String::new();
    while j < chars.len() {
        let ch = chars[j];
        if ch.is_ascii_digit() {
            digits.push(ch);
        } else if ch == ','
            && chars.get(j + 1..j + 4).is_some_and(|d| d.iter().all(char::is_ascii_digit))
            && !chars.get(j + 4).is_some_and(char::is_ascii_digit)
        {
            // a thousands separator: exactly three digits follow
        } else if ch == '.' && !digits.contains('.') && chars.get(j + 1).is_some_and(char::is_ascii_digit) {
            digits.push('.');
        } else {
            break;
        }
        j += 1;
    }
    (digits, j)
}

/// Whether the number ending at `j` can be a quantity. A date, a time, a score written
/// 2024-10-22 or 3:0, an ordinal (20th), a code (A4, 4G) cannot: letters joined to a
/// number must be a scale (4.2m).
fn stands_alone(chars: &[char], j: usize) -> bool {
    let joined: String = chars[j..].iter().take_while(|c| c.is_alphabetic()).collect();
    let joined_scale = joined.is_empty() || SCALES.iter().any(|(name, _)| *name == joined.to_lowercase());
    let date_like = matches!(chars.get(j), Some('-' | '/' | ':')) && chars.get(j + 1).is_some_and(char::is_ascii_digit);
    joined_scale && !date_like
}

/// A word after a number, with its code-point span.
type PhraseWord = (String, usize, usize);

/// Up to five words after the number ending at `j` (a `%` counts as one), stopping at
/// punctuation.
fn words_after(chars: &[char], j: usize) -> Vec<PhraseWord> {
    let mut words = Vec::new();
    let mut k = j;
    while words.len() < 5 && k < chars.len() {
        let ws = k;
        while k < chars.len() && (chars[k] == ' ' || chars[k] == '\u{a0}') {
            k += 1;
        }
        if k == ws && k != j {
            break;
        }
        let word_start = k;
        if chars.get(k) == Some(&'%') {
            k += 1;
        } else {
            while k < chars.len() && (chars[k].is_alphabetic() || chars[k] == '-') {
                k += 1;
            }
        }
        if k == word_start {
            break;
        }
        words.push((chars[word_start..k].iter().collect::<String>(), word_start, k));
        // Punctuation ends the phrase.
        if chars.get(k).is_some_and(|&ch| !ch.is_whitespace()) {
            break;
        }
    }
    words
}

/// What the words after a number make of it: the value scaled, its unit and what it counts.
struct Phrase {
    value: f64,
    unit: String,
    counts: String,
    /// Where the quantity's text ends (code points).
    end: usize,
}

/// Reads, in order, a scale ("million"), a percent or currency word, filler words, then
/// the thing counted, from the words after the number that ends at `number_end`.
fn read_phrase(words: &[PhraseWord], number_end: usize, mut value: f64, mut unit: String) -> Phrase {
    let mut end = number_end;
    let mut w = 0;
    let lower = |w: usize| words[w].0.to_lowercase();
    if w < words.len() {
        if let Some((_, scale)) = SCALES.iter().find(|(name, _)| *name == lower(w)) {
            // "4.2m" is a scale; "4 m" alone might be metres: only when joined or a word.
            let joined = words[w].1 == number_end;
            if joined || lower(w).len() > 2 {
                value *= scale;
                end = words[w].2;
                w += 1;
            }
        }
    }
    if w < words.len() {
        let word = lower(w);
        if PERCENT_WORDS.contains(&word.as_str()) || (word == "per" && w + 1 < words.len() && lower(w + 1) == "cent") {
            unit = "%".to_owned();
            w += if word == "per" { 2 } else { 1 };
            end = words[w - 1].2;
        } else if let Some((_, code)) = CURRENCY_WORDS.iter().find(|(name, _)| *name == word) {
            unit = (*code).to_owned();
            end = words[w].2;
            w += 1;
        }
    }
    while w < words.len() && FILLER.contains(&lower(w).as_str()) {
        w += 1;
    }
    let mut counts = String::new();
    if w < words.len() {
        let word = lower(w);
        let is_word = words[w].0.chars().all(|ch| ch.is_lowercase() || ch == '-');
        if is_word && !NOT_COUNTED.contains(&word.as_str()) && word.chars().count() > 2 {
            counts = singular(&word);
            end = words[w].2;
        }
    }
    Phrase { value, unit, counts, end }
}

/// Pairs of quantities in one article that count the same thing in the same unit with
/// values within a tenth of each other but not equal: "1,200 containers" here and
/// "1,150 containers" there. Equal values written differently (4.2 million, 4,200,000)
/// agree and are not listed.
pub fn mismatches(quantities: &[Quantity]) -> Vec<QuantityMismatch> {
    // Group by what is counted and the unit; in each group keep the first mention of each
    // value and sort by value, so only neighbours within a tenth need comparing: linear
    // after the sort, however many figures a long text holds.
    let mut groups: HashMap<(&str, &str), Vec<&Quantity>> = HashMap::new();
    for q in quantities.iter().filter(|q| !q.counts.is_empty() && q.value > 0.0) {
        let group = groups.entry((q.counts.as_str(), q.unit.as_str())).or_default();
        if !group.iter().any(|seen| seen.value == q.value) {
            group.push(q);
        }
    }
    let mut found = Vec::new();
    for mut group in groups.into_values() {
        group.sort_by(|a, b| a.value.total_cmp(&b.value));
        for (i, low) in group.iter().enumerate() {
            // A text made of near-equal figures would otherwise pair every one with every one.
            for high in group[i + 1..].iter().take_while(|high| high.value / low.value <= 1.1).take(MAX_MISMATCHES) {
                if differ_a_little(low.value, high.value) {
                    let (first, second) = if low.span.start <= high.span.start { (low, high) } else { (high, low) };
                    found.push(QuantityMismatch { first: (*first).clone(), second: (*second).clone() });
                }
            }
        }
    }
    found.sort_by_key(|m| (m.first.span.start, m.second.span.start));
    found.truncate(MAX_MISMATCHES);
    found
}

/// Whether two values of one thing look like one figure stated differently: within a
/// tenth of each other, yet more than a rounding apart (56,033 and 56,000 agree), and not
/// small counts (6 and 7 shows are two figures).
pub fn differ_a_little(a: f64, b: f64) -> bool {
    let (low, high) = if a <= b { (a, b) } else { (b, a) };
    low > 0.0 && high / low <= 1.1 && (high - low) / high > 0.01 && high >= 10.0
}

/// More findings than this in one article would bury the reader; the first ones are kept.
pub const MAX_MISMATCHES: usize = 50;

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, f64, String, String)> {
        quantities(text).into_iter().map(|q| (q.text, q.value, q.unit, q.counts)).collect()
    }

    #[test]
    fn numbers_with_units_and_what_they_count() {
        let text = "The port handled 4.2 million passengers and €310m in fees in 2024, up 4% on 2023. \
                    Some 1,200 more containers were counted twice, and 12 ships waited. \
                    It cost $2.5bn, or 3 per cent of the budget, on 2024-10-22 at 10:30.";
        let got = found(text);
        let want = [
            ("4.2 million passengers", 4.2e6, "", "passenger"),
            ("€310m in fees", 310e6, "EUR", "fee"),
            ("4%", 4.0, "%", ""),
            ("1,200 more containers", 1200.0, "", "container"),
            ("12 ships", 12.0, "", "ship"),
            ("$2.5bn", 2.5e9, "USD", ""),
            ("3 per cent of the budget", 3.0, "%", "budget"),
        ];
        assert_eq!(got.len(), want.len(), "{got:#?}");
        for (g, w) in got.iter().zip(want) {
            assert_eq!(g.0, w.0);
            assert!((g.1 - w.1).abs() < 1e-6 * w.1.max(1.0), "{g:?}");
            assert_eq!(g.2, w.2, "{g:?}");
            assert_eq!(g.3, w.3, "{g:?}");
        }
        // Code-point spans, after non-ASCII text.
        let text = "Kyiv • UNN — 1,500 troops arrived.";
        let q = &quantities(text)[0];
        let spanned: String = text.chars().skip(q.span.start).take(q.span.end - q.span.start).collect();
        assert_eq!(spanned, "1,500 troops");
    }

    #[test]
    fn a_figure_stated_two_ways_in_one_article() {
        let text =
            "Auditors found 1,200 containers counted twice. The port later said 1,150 containers were affected, \
                    while 12,000 containers passed inspection. Traffic reached 4.2 million passengers, or \
                    4,200,000 passengers; 56,033 developers, about 56,000 developers. In the 20th century, \
                    the 19th-century quay.";
        let found = mismatches(&quantities(text));
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].first.text, "1,200 containers");
        assert_eq!(found[0].second.text, "1,150 containers");
    }

    #[test]
    fn different_things_and_far_apart_values_do_not_mismatch() {
        let text = "12 ships and 11 tugs sailed; 300 workers and 310 workers' families; 20 soldiers then 200 soldiers.";
        assert!(mismatches(&quantities(text)).iter().all(|m| m.first.counts == "worker"), "one pair at most");
        let text = "12 ships and 11 tugs sailed; 20 soldiers then 200 soldiers.";
        assert!(mismatches(&quantities(text)).is_empty());
    }
}
