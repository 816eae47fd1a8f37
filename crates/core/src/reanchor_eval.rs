//! How well claims follow revisions, measured: a generator of revision cases with known
//! truth (typos, inserted, deleted and moved paragraphs, repeated quotes, reworded claims,
//! corrected figures, appended corrections, quote-mark normalisation, whole rewrites),
//! the scoring, and a TextQuote-style fuzzy matcher as the baseline a user of an
//! annotation tool would otherwise have. Used by the test suite (a small run) and the
//! benchmark (the full run); the texts are given by the caller.

use std::ops::Range;

use crate::anchor::anchor_quote;
use crate::reanchor::{AnchorState, OldAnchor, Placement, Revision};

/// The kinds of edit, each with what must happen to the claim.
pub const KINDS: &[&str] = &[
    "typo elsewhere",
    "typo in the claim",
    "paragraph inserted",
    "other paragraph deleted",
    "claim's paragraph deleted",
    "claim's paragraph moved",
    "quote repeated elsewhere",
    "claim reworded",
    "figure corrected",
    "figure corrected, correction appended",
    "correction appended elsewhere",
    "quote marks normalised",
    "words inserted before the claim",
    "whole rewrite",
];

/// What a correct re-anchoring does with the claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Truth {
    /// The quote is still in the text, here (code points of the new text).
    At(Range<usize>),
    /// The passage was edited: a person must look.
    Changed,
    /// The passage is gone.
    Orphaned,
}

#[derive(Debug, Clone)]
pub struct Case {
    pub kind: &'static str,
    pub old: String,
    pub new: String,
    pub start: usize,
    pub end: usize,
    pub truth: Truth,
}

/// Scores of one kind of edit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Score {
    pub cases: usize,
    /// Said exact or moved, but not at the truth (a silent wrong placement).
    pub wrong_place: usize,
    /// Cases whose quote survives.
    pub survives: usize,
    /// Of those, placed exact or moved at the right span.
    pub kept: usize,
    /// Of those, reported changed or orphaned.
    pub false_alarm: usize,
    /// Cases whose passage was edited or removed, reported changed or orphaned.
    pub flagged: usize,
}

impl Score {
    /// Adds another score's counts to this one.
    pub fn add(&mut self, other: &Score) {
        self.cases += other.cases;
        self.wrong_place += other.wrong_place;
        self.survives += other.survives;
        self.kept += other.kept;
        self.false_alarm += other.false_alarm;
        self.flagged += other.flagged;
    }
}

/// The scores of every kind added up.
pub fn total(scores: &[(&'static str, Score)]) -> Score {
    scores.iter().fold(Score::default(), |mut sum, (_, s)| {
        sum.add(s);
        sum
    })
}

/// A tiny deterministic generator (xorshift64*), so a run is the same every time.
pub struct Random(u64);

impl Random {
    pub fn new(seed: u64) -> Random {
        Random(seed.max(1))
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// A number below `n`.
    pub fn below_public(&mut self, n: usize) -> usize {
        self.below(n)
    }
}

fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n").map(str::to_owned).filter(|p| !p.trim().is_empty()).collect()
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

/// A claim: a window of 3 to 10 words in paragraph `p` that occurs once in the text.
fn pick_claim(paras: &[String], p: usize, rng: &mut Random, want_digit: bool) -> Option<(usize, usize)> {
    let para = &paras[p];
    let words: Vec<(usize, &str)> = para
        .split(' ')
        .scan(0, |at, w| {
            let start = *at;
            *at += w.len() + 1;
            Some((start, w))
        })
        .filter(|(_, w)| !w.is_empty())
        .collect();
    if words.len() < 4 {
        return None;
    }
    for _ in 0..8 {
        let len = 3 + rng.below(8).min(words.len() - 3);
        let first = rng.below(words.len() - len + 1);
        let (start, _) = words[first];
        let (last_start, last) = words[first + len - 1];
        let end = last_start + last.trim_end_matches([',', '.', ';', ':']).len();
        if end <= start {
            continue;
        }
        let quote = &para[start..end];
        let whole = paras.join("\n\n");
        // Once, overlapping repeats included (the way claims are anchored).
        if anchor_quote(&whole, quote, None).is_err() || (want_digit && !quote.chars().any(|c| c.is_ascii_digit())) {
            continue;
        }
        return Some((start, end));
    }
    None
}

/// Code-point span of bytes `start..end` of paragraph `p` in `paras` joined by blank lines.
fn span_in(paras: &[String], p: usize, start: usize, end: usize) -> Range<usize> {
    let before: usize = paras[..p].iter().map(|q| chars(q) + 2).sum();
    let para = &paras[p];
    before + chars(&para[..start])..before + chars(&para[..end])
}

/// One case of `kind`, or `None` when this article and draw do not allow it.
/// Long because it is one arm per kind of edit, each with its truth, in one place.
fn make(kind: &'static str, article: &str, other: &str, rng: &mut Random) -> Option<Case> {
    let paras = paragraphs(article);
    if paras.len() < 3 {
        return None;
    }
    let p = rng.below(paras.len());
    let wants_digit = kind.starts_with("figure");
    let (qs, qe) = pick_claim(&paras, p, rng, wants_digit)?;
    let quote = paras[p][qs..qe].to_owned();
    let old = paras.join("\n\n");
    let old_span = span_in(&paras, p, qs, qe);
    let mut new = paras.clone();
    let mut at = (p, qs, qe);
    let elsewhere = (0..paras.len()).filter(|&i| i != p).nth(rng.below(paras.len() - 1))?;
    let other_paras = paragraphs(other);
    let foreign = other_paras.get(rng.below(other_paras.len())).cloned().unwrap_or_else(|| "A new paragraph.".into());
    let truth_here = |new: &[String], at: (usize, usize, usize)| Truth::At(span_in(new, at.0, at.1, at.2));
    let truth = match kind {
        "typo elsewhere" => {
            new[elsewhere] = swap_letters(&new[elsewhere], rng)?;
            truth_here(&new, at)
        }
        "typo in the claim" => {
            let edited = swap_letters(&quote, rng)?;
            new[p] = format!("{}{}{}", &paras[p][..qs], edited, &paras[p][qe..]);
            Truth::Changed
        }
        "paragraph inserted" => {
            let i = rng.below(new.len() + 1);
            new.insert(i, foreign);
            if i <= p {
                at.0 += 1;
            }
            truth_here(&new, at)
        }
        "other paragraph deleted" => {
            new.remove(elsewhere);
            if elsewhere < p {
                at.0 -= 1;
            }
            truth_here(&new, at)
        }
        "claim's paragraph deleted" => {
            new.remove(p);
            Truth::Orphaned
        }
        "claim's paragraph moved" => {
            let moved = new.remove(p);
            let mut to = rng.below(new.len() + 1);
            if to == p {
                to = if p == 0 { new.len() } else { 0 };
            }
            new.insert(to, moved);
            at.0 = to;
            truth_here(&new, at)
        }
        "quote repeated elsewhere" => {
            let i = rng.below(new.len() + 1);
            new.insert(i, format!("Asked about it later, a spokesman repeated that {quote} and gave no details."));
            if i <= p {
                at.0 += 1;
            }
            truth_here(&new, at)
        }
        "claim reworded" => {
            // One word of the claim (letters only) becomes another.
            let words: Vec<&str> = quote.split(' ').collect();
            let plain: Vec<usize> = (0..words.len())
                .filter(|&i| !words[i].is_empty() && words[i].chars().all(char::is_alphabetic))
                .collect();
            let w = *plain.get(rng.below(plain.len()))?;
            let replacement = if words[w] == "reportedly" { "allegedly" } else { "reportedly" };
            let reworded: Vec<&str> =
                words.iter().enumerate().map(|(i, s)| if i == w { replacement } else { *s }).collect();
            new[p] = format!("{}{}{}", &paras[p][..qs], reworded.join(" "), &paras[p][qe..]);
            Truth::Changed
        }
        "figure corrected" | "figure corrected, correction appended" => {
            let corrected = change_a_digit(&quote, rng)?;
            new[p] = format!("{}{}{}", &paras[p][..qs], corrected, &paras[p][qe..]);
            if kind.ends_with("appended") {
                new.push(format!("Correction: an earlier version of this article said {quote}."));
            }
            Truth::Changed
        }
        "correction appended elsewhere" => {
            new.push("Correction: an earlier version of this article misspelled a name.".to_owned());
            truth_here(&new, at)
        }
        "quote marks normalised" => {
            // One code point for one: offsets stay; a claim with a quote mark changes.
            let swap = |s: &str| s.replace('"', "\u{201C}").replace('\'', "\u{2019}");
            new = new.iter().map(|q| swap(q)).collect();
            if swap(&quote) == quote {
                Truth::At(old_span.clone())
            } else {
                Truth::Changed
            }
        }
        "words inserted before the claim" => {
            let insert = "(updated) ";
            new[p] = format!("{}{}{}", &paras[p][..qs], insert, &paras[p][qs..]);
            at = (p, qs + insert.len(), qe + insert.len());
            truth_here(&new, at)
        }
        "whole rewrite" => {
            new = other_paras.clone();
            Truth::Orphaned
        }
        _ => return None,
    };
    let new_text = new.join("\n\n");
    // A truth of "gone" needs the quote to be gone; a truth of "here" needs the text to hold it.
    match &truth {
        Truth::Orphaned if new_text.contains(&quote) => return None,
        Truth::At(span)
            if new_text.chars().skip(span.start).take(span.end - span.start).collect::<String>() != quote =>
        {
            return None
        }
        _ => {}
    }
    Some(Case { kind, old, new: new_text, start: old_span.start, end: old_span.end, truth })
}

fn swap_letters(text: &str, rng: &mut Random) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let candidates: Vec<usize> = (0..chars.len().saturating_sub(1))
        .filter(|&i| chars[i].is_alphabetic() && chars[i + 1].is_alphabetic() && chars[i] != chars[i + 1])
        .collect();
    let i = *candidates.get(rng.below(candidates.len()))?;
    let mut out = chars;
    out.swap(i, i + 1);
    Some(out.into_iter().collect())
}

fn change_a_digit(text: &str, rng: &mut Random) -> Option<String> {
    let digits: Vec<usize> = text.char_indices().filter(|(_, c)| c.is_ascii_digit()).map(|(i, _)| i).collect();
    let i = *digits.get(rng.below(digits.len()))?;
    let d = text.as_bytes()[i] - b'0';
    let replaced = (b'0' + (d + 1 + rng.below(8) as u8) % 10) as char;
    Some(format!("{}{}{}", &text[..i], replaced, &text[i + 1..]))
}

/// `count` cases spread over every kind, from `articles` (two at least: one is rewritten
/// into another).
pub fn cases(articles: &[String], count: usize, seed: u64) -> Vec<Case> {
    let mut rng = Random::new(seed);
    let mut out = Vec::with_capacity(count);
    let mut attempts = 0;
    while out.len() < count && attempts < count * 50 {
        attempts += 1;
        let kind = KINDS[out.len() % KINDS.len()];
        let a = rng.below(articles.len());
        let b = (a + 1 + rng.below(articles.len().max(2) - 1)) % articles.len();
        if let Some(case) = make(kind, &articles[a], &articles[b], &mut rng) {
            out.push(case);
        }
    }
    out
}

/// Scores a placer over cases, per kind (in [`KINDS`] order).
pub fn score(cases: &[Case], place: impl Fn(&Case) -> Placement) -> Vec<(&'static str, Score)> {
    let mut scores: Vec<(&'static str, Score)> = KINDS.iter().map(|k| (*k, Score::default())).collect();
    for case in cases {
        let placement = place(case);
        let score = &mut scores.iter_mut().find(|(k, _)| *k == case.kind).expect("a known kind").1;
        score.cases += 1;
        let placed = matches!(placement.state, AnchorState::Exact | AnchorState::Moved);
        match &case.truth {
            Truth::At(span) => {
                score.survives += 1;
                if placed && placement.span.as_ref() == Some(span) {
                    score.kept += 1;
                } else if placed {
                    score.wrong_place += 1;
                } else {
                    score.false_alarm += 1;
                }
            }
            Truth::Changed | Truth::Orphaned => {
                if placed {
                    score.wrong_place += 1;
                } else {
                    score.flagged += 1;
                }
            }
        }
    }
    scores
}

/// Factdesk's re-anchoring of one case.
pub fn factdesk(case: &Case) -> Placement {
    let anchor = old_anchor(case);
    Revision::new(&case.old, &case.new).place(OldAnchor {
        start: case.start,
        end: case.end,
        quote: &anchor.quote,
        prefix: &anchor.prefix,
        suffix: &anchor.suffix,
    })
}

fn old_anchor(case: &Case) -> crate::anchor::Anchor {
    let quote: String = case.old.chars().skip(case.start).take(case.end - case.start).collect();
    anchor_quote(&case.old, &quote, None).expect("generated quotes occur once")
}

/// The baseline: a TextQuote-style fuzzy matcher as annotation tools use. The exact quote
/// with the best context wins; failing that, the substring closest to the quote in edit
/// distance (at most half the quote's length away), nearest the old position. Whatever it
/// finds, it attaches silently (it has no "changed" state).
pub fn fuzzy_baseline(case: &Case) -> Placement {
    let anchor = old_anchor(case);
    let new: Vec<char> = case.new.chars().collect();
    let quote: Vec<char> = anchor.quote.chars().collect();
    let exact: Vec<usize> =
        (0..new.len().saturating_sub(quote.len() - 1)).filter(|&i| new[i..i + quote.len()] == quote[..]).collect();
    if let Some(&best) = exact.iter().max_by_key(|&&i| {
        let before: String = new[..i].iter().collect();
        let after: String = new[i + quote.len()..].iter().collect();
        before.chars().rev().zip(anchor.prefix.chars().rev()).take_while(|(a, b)| a == b).count()
            + after.chars().zip(anchor.suffix.chars()).take_while(|(a, b)| a == b).count()
    }) {
        return Placement { state: AnchorState::Exact, span: Some(best..best + quote.len()) };
    }
    // Sellers' algorithm: the least edits turning the quote into any substring of the text.
    let m = quote.len();
    let mut previous: Vec<(usize, usize)> = (0..=m).map(|j| (j, 0)).collect();
    let mut best: Option<(usize, usize, usize)> = None; // (distance, start, end)
    for (i, &c) in new.iter().enumerate() {
        let mut current = vec![(0usize, i + 1); m + 1];
        for j in 1..=m {
            let substitute = (previous[j - 1].0 + usize::from(quote[j - 1] != c), previous[j - 1].1);
            let delete = (previous[j].0 + 1, previous[j].1);
            let insert = (current[j - 1].0 + 1, current[j - 1].1);
            current[j] = substitute.min(delete).min(insert);
        }
        let (distance, start) = current[m];
        let nearer = |s: usize| s.abs_diff(case.start);
        if best.is_none_or(|(d, s, _)| distance < d || (distance == d && nearer(start) < nearer(s))) {
            best = Some((distance, start, i + 1));
        }
        previous = current;
    }
    match best {
        Some((distance, start, end)) if distance * 2 <= m => {
            Placement { state: AnchorState::Moved, span: Some(start..end) }
        }
        _ => Placement { state: AnchorState::Orphaned, span: None },
    }
}

/// The Markdown table of a run: per kind, Factdesk beside the baseline, then the totals.
pub fn table(ours: &[(&'static str, Score)], baseline: &[(&'static str, Score)]) -> String {
    let mut out = String::from(
        "| edit | cases | wrong place (ours / baseline) | quote survives: kept (ours / baseline) | survives but flagged (ours / baseline) | edited or gone: flagged (ours) |\n|---|---|---|---|---|---|\n",
    );
    let pct =
        |a: usize, b: usize| if b == 0 { "—".to_owned() } else { format!("{:.1}%", 100.0 * a as f64 / b as f64) };
    let row = |label: &str, o: &Score, b: &Score| {
        format!(
            "| {label} | {} | {} / {} | {} / {} | {} / {} | {} |\n",
            o.cases,
            o.wrong_place,
            b.wrong_place,
            pct(o.kept, o.survives),
            pct(b.kept, b.survives),
            o.false_alarm,
            b.false_alarm,
            pct(o.flagged, o.cases - o.survives)
        )
    };
    for ((kind, o), (_, b)) in ours.iter().zip(baseline) {
        out.push_str(&row(kind, o, b));
    }
    out.push_str(&row("**all**", &total(ours), &total(baseline)));
    out
}
