//! Sentence boundaries in news text, as code-point spans of the canonical text, so a
//! suggestion becomes a claim at exactly its span. Handles abbreviations (Mr., Gen.,
//! U.S., a.m.), initials, decimals and thousands (4.2, 1,200), ellipses, closing quotes
//! and brackets after the full stop, and paragraph breaks (headings, datelines).

/// Words that end with a full stop without ending a sentence (lower-cased, no dot).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "cmdr", "adm", "gov", "sen", "rep", "rev",
    "hon", "st", "jr", "sr", "no", "nos", "vs", "etc", "inc", "ltd", "co", "corp", "dept", "univ", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "e.g", "i.e", "a.m", "p.m", "u.s", "u.k", "u.n",
    "e.u", "approx", "est", "fig", "vol", "ca", "cf", "al", "mt", "ft", "pres",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Span {
    /// Code-point offset of the first character.
    pub start: usize,
    /// Code-point offset just past the last character.
    pub end: usize,
}

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']')
}

/// The word (letters and inner dots) just before index `dot` of `chars`.
fn word_before(chars: &[char], dot: usize) -> String {
    let mut start = dot;
    while start > 0 && (chars[start - 1].is_alphanumeric() || chars[start - 1] == '.') {
        start -= 1;
    }
    chars[start..dot].iter().collect::<String>().to_lowercase()
}

/// Whether the full stop at `i` ends a sentence.
fn ends_sentence(chars: &[char], i: usize) -> bool {
    let prev = i.checked_sub(1).map(|p| chars[p]);
    let next = chars.get(i + 1).copied();
    // 4.2, 1.5bn, example.org: a dot between non-spaces never ends a sentence.
    if next.is_some_and(|c| c.is_alphanumeric()) {
        return false;
    }
    let word = word_before(chars, i);
    if ABBREVIATIONS.contains(&word.trim_start_matches('.')) {
        return false;
    }
    // An initial: a single capital letter (J. K. Rowling).
    if word.chars().count() == 1 && prev.is_some_and(|c| c.is_uppercase()) {
        return false;
    }
    // What follows the spaces must look like a new sentence: a capital, a digit, a quote.
    let mut j = i + 1;
    while j < chars.len() && is_closer(chars[j]) {
        j += 1;
    }
    while j < chars.len() && chars[j] == ' ' {
        j += 1;
    }
    match chars.get(j) {
        None | Some('\n') => true,
        Some(c) => c.is_uppercase() || c.is_numeric() || matches!(c, '“' | '"' | '‘' | '(' | '[' | '—' | '–' | '-'),
    }
}

/// The sentences of `text`, trimmed, in reading order. A paragraph break always ends one.
pub fn sentences(text: &str) -> Vec<Span> {
    let chars: Vec<char> = text.chars().collect();
    let mut spans = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let push = |from: usize, to: usize, spans: &mut Vec<Span>| {
        let (mut a, mut b) = (from, to);
        while a < b && chars[a].is_whitespace() {
            a += 1;
        }
        while b > a && chars[b - 1].is_whitespace() {
            b -= 1;
        }
        if b > a {
            spans.push(Span { start: a, end: b });
        }
    };
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            push(start, i, &mut spans);
            start = i + 1;
        } else if matches!(c, '!' | '?' | '…') || (c == '.' && ends_sentence(&chars, i)) {
            // Take the rest of an ellipsis or `?!`, then closing quotes and brackets.
            let mut end = i + 1;
            while end < chars.len() && matches!(chars[end], '.' | '!' | '?' | '…') {
                end += 1;
            }
            while end < chars.len() && is_closer(chars[end]) {
                end += 1;
            }
            let at_boundary = end >= chars.len() || chars[end].is_whitespace();
            if at_boundary && (c != '…' || ends_after_ellipsis(&chars, end)) {
                push(start, end, &mut spans);
                start = end;
            }
            i = end;
            continue;
        }
        i += 1;
    }
    push(start, chars.len(), &mut spans);
    spans
}

/// An ellipsis ends a sentence only when a capital letter follows.
fn ends_after_ellipsis(chars: &[char], mut j: usize) -> bool {
    while j < chars.len() && chars[j] == ' ' {
        j += 1;
    }
    chars.get(j).is_none_or(|c| c.is_uppercase() || *c == '\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        sentences(text).iter().map(|s| chars[s.start..s.end].iter().collect()).collect()
    }

    #[test]
    fn news_sentences() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Mr. Borg said 4.2 million tonnes were moved. Gen. Vella disagreed.",
                &["Mr. Borg said 4.2 million tonnes were moved.", "Gen. Vella disagreed."],
            ),
            (
                "The U.S. economy grew 1,200 jobs at 9 a.m. on Monday. Then it stopped.",
                &["The U.S. economy grew 1,200 jobs at 9 a.m. on Monday.", "Then it stopped."],
            ),
            ("“It is wrong,” she said. “We knew.” He left.", &["“It is wrong,” she said.", "“We knew.”", "He left."]),
            (
                "J. K. Rowling wrote it. Sales rose (by 3.5%). Really?! Yes…",
                &["J. K. Rowling wrote it.", "Sales rose (by 3.5%).", "Really?!", "Yes…"],
            ),
            (
                "Headline without a stop\n\nValletta • Island Wire\nFirst sentence. Second one",
                &["Headline without a stop", "Valletta • Island Wire", "First sentence.", "Second one"],
            ),
            ("He paused... and went on. The end.", &["He paused... and went on.", "The end."]),
            ("Visit example.org for details. Done.", &["Visit example.org for details.", "Done."]),
        ];
        for (text, want) in cases {
            assert_eq!(split(text), want.iter().map(|s| s.to_string()).collect::<Vec<_>>(), "{text:?}");
        }
    }

    #[test]
    fn spans_are_code_points() {
        let text = "Café “déjà” vu. Ünïcode here.";
        let spans = sentences(text);
        assert_eq!(spans, vec![Span { start: 0, end: 15 }, Span { start: 16, end: 29 }]);
    }
}
