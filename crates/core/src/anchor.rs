//! Anchoring a claim in an article's canonical text: W3C Web Annotation style, a
//! TextPositionSelector (code-point offsets, end exclusive) plus a TextQuoteSelector
//! (the quote with up to 32 code points of context either side).

use crate::error::AnchorProblem;

/// Code points of context kept on each side of a quote.
pub const CONTEXT_CHARS: usize = 32;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub start: usize,
    pub end: usize,
    pub quote: String,
    pub prefix: String,
    pub suffix: String,
}

/// Byte offsets of every occurrence of `quote` in `text`, overlapping ones included.
pub(crate) fn occurrences(text: &str, quote: &str) -> Vec<usize> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find(quote) {
        let at = from + i;
        found.push(at);
        // Step one character, not the whole quote, so overlapping repeats count.
        from = at + text[at..].chars().next().map_or(1, char::len_utf8);
    }
    found
}

/// Anchors the exact `quote`. `occurrence` (1-based) picks among repeats; without it a
/// repeated quote is ambiguous.
pub fn anchor_quote(text: &str, quote: &str, occurrence: Option<usize>) -> Result<Anchor, AnchorProblem> {
    if quote.trim().is_empty() {
        return Err(AnchorProblem::EmptyQuote);
    }
    let found = occurrences(text, quote);
    let byte_start = match (found.len(), occurrence) {
        (0, _) => return Err(AnchorProblem::NotFound),
        (1, None) => found[0],
        (count, None) => return Err(AnchorProblem::Ambiguous { count }),
        (count, Some(wanted)) => match wanted.checked_sub(1).and_then(|i| found.get(i)) {
            Some(&at) => at,
            None => return Err(AnchorProblem::NoSuchOccurrence { wanted, count }),
        },
    };
    Ok(build(text, byte_start, byte_start + quote.len()))
}

/// Anchors the span `start..end` given in code points (a selection in the reader).
pub fn anchor_span(text: &str, start: usize, end: usize) -> Result<Anchor, AnchorProblem> {
    let mut boundaries = text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len()));
    let out_of_range = || AnchorProblem::OutOfRange { start, end, len: text.chars().count() };
    if start >= end {
        return Err(out_of_range());
    }
    let byte_start = boundaries.nth(start).ok_or_else(out_of_range)?;
    let byte_end = boundaries.nth(end - start - 1).ok_or_else(out_of_range)?;
    if text[byte_start..byte_end].trim().is_empty() {
        return Err(AnchorProblem::EmptyQuote);
    }
    Ok(build(text, byte_start, byte_end))
}

fn build(text: &str, byte_start: usize, byte_end: usize) -> Anchor {
    let before = &text[..byte_start];
    let start = before.chars().count();
    let quote = &text[byte_start..byte_end];
    let mut prefix: Vec<char> = before.chars().rev().take(CONTEXT_CHARS).collect();
    prefix.reverse();
    Anchor {
        start,
        end: start + quote.chars().count(),
        quote: quote.to_owned(),
        prefix: prefix.into_iter().collect(),
        suffix: text[byte_end..].chars().take(CONTEXT_CHARS).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "Ana said “prices rose”. Later, Ana said “prices rose” again — twice.";

    #[test]
    fn offsets_are_code_points_end_exclusive() {
        let anchor = anchor_quote(TEXT, "again — twice", None).unwrap();
        let chars: Vec<char> = TEXT.chars().collect();
        assert_eq!(chars[anchor.start..anchor.end].iter().collect::<String>(), "again — twice");
        assert_eq!(anchor.suffix, ".");
        assert_eq!(anchor.prefix.chars().count(), CONTEXT_CHARS);
        assert!(anchor.prefix.ends_with("“prices rose” "), "{:?}", anchor.prefix);
    }

    #[test]
    fn repeats_need_an_occurrence() {
        assert_eq!(anchor_quote(TEXT, "“prices rose”", None), Err(AnchorProblem::Ambiguous { count: 2 }));
        let second = anchor_quote(TEXT, "“prices rose”", Some(2)).unwrap();
        let first = anchor_quote(TEXT, "“prices rose”", Some(1)).unwrap();
        assert!(second.start > first.start);
        assert_eq!(
            anchor_quote(TEXT, "“prices rose”", Some(3)),
            Err(AnchorProblem::NoSuchOccurrence { wanted: 3, count: 2 })
        );
        assert_eq!(
            anchor_quote(TEXT, "“prices rose”", Some(0)),
            Err(AnchorProblem::NoSuchOccurrence { wanted: 0, count: 2 })
        );
    }

    #[test]
    fn overlapping_repeats_are_counted() {
        assert_eq!(anchor_quote("aaa", "aa", None), Err(AnchorProblem::Ambiguous { count: 2 }));
    }

    #[test]
    fn missing_and_empty_quotes_are_errors() {
        assert_eq!(anchor_quote(TEXT, "\"prices rose\"", None), Err(AnchorProblem::NotFound));
        assert_eq!(anchor_quote(TEXT, "  ", None), Err(AnchorProblem::EmptyQuote));
    }

    #[test]
    fn spans_round_trip_with_quotes() {
        let by_quote = anchor_quote(TEXT, "again — twice", None).unwrap();
        assert_eq!(anchor_span(TEXT, by_quote.start, by_quote.end).unwrap(), by_quote);
        let len = TEXT.chars().count();
        assert_eq!(anchor_span(TEXT, 0, len).unwrap().quote, TEXT);
        assert!(matches!(anchor_span(TEXT, 3, 3), Err(AnchorProblem::OutOfRange { .. })));
        assert!(matches!(anchor_span(TEXT, 0, len + 1), Err(AnchorProblem::OutOfRange { .. })));
        assert!(matches!(anchor_span(TEXT, len + 5, len + 9), Err(AnchorProblem::OutOfRange { .. })));
    }
}
