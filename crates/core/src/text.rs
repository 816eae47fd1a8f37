//! An article's canonical text for readers: where a span sits in words a reader can use
//! (its paragraph number and the sentence around it), cut by code-point offsets. Below
//! both the assistant (which points findings at paragraphs) and the reports.

/// Paragraphs in the canonical text are separated by a blank line.
const PARAGRAPH_BREAK: &str = "\n\n";
/// The most context shown on either side of a quote, in code points.
const MAX_CONTEXT_CHARS: usize = 240;

/// The text around a quote: the rest of its sentence(s) on each side.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QuoteContext {
    /// 1-based paragraph number of the quote's first character.
    pub paragraph: usize,
    /// From the start of the sentence holding the quote's start (`…` when cut).
    pub before: String,
    /// To the end of the sentence holding the quote's end (`…` when cut).
    pub after: String,
}

/// An article's canonical text prepared for many lookups: its code points and where
/// each paragraph starts.
pub struct ArticleText {
    chars: Vec<char>,
    /// Code-point index where each paragraph starts (the first is 0).
    paragraph_starts: Vec<usize>,
}

impl ArticleText {
    pub fn new(text: &str) -> ArticleText {
        let chars: Vec<char> = text.chars().collect();
        let mut paragraph_starts = vec![0];
        let mut i = 0;
        while i + 1 < chars.len() {
            if chars[i] == '\n' && chars[i + 1] == '\n' {
                // A longer run of newlines is still one break.
                while i < chars.len() && chars[i] == '\n' {
                    i += 1;
                }
                paragraph_starts.push(i);
            } else {
                i += 1;
            }
        }
        ArticleText { chars, paragraph_starts }
    }

    /// The 1-based paragraph holding code point `offset`.
    pub fn paragraph_of(&self, offset: usize) -> usize {
        self.paragraph_starts.partition_point(|&p| p <= offset).max(1)
    }

    /// The paragraph and sentence context of the span `start..end` (code points).
    /// Offsets past the end are clamped, never a panic: the text may come from a damaged
    /// database.
    pub fn context(&self, start: usize, end: usize) -> QuoteContext {
        let chars = &self.chars[..];
        let end = end.min(chars.len());
        let start = start.min(end);
        // The paragraph holding `start`; its text ends where the next one's break begins.
        let index = self.paragraph_of(start) - 1;
        let paragraph_start = self.paragraph_starts[index];
        let paragraph_end = find_forward(chars, end, PARAGRAPH_BREAK).unwrap_or(chars.len());

        let mut from = sentence_start(chars, paragraph_start, start);
        let mut to = sentence_end(chars, end, paragraph_end);
        let cut_before = start - from > MAX_CONTEXT_CHARS;
        let cut_after = to - end > MAX_CONTEXT_CHARS;
        if cut_before {
            from = start - MAX_CONTEXT_CHARS;
        }
        if cut_after {
            to = end + MAX_CONTEXT_CHARS;
        }
        let mut before: String = chars[from..start].iter().collect();
        let mut after: String = chars[end..to].iter().collect();
        if cut_before {
            before.insert(0, '…');
        }
        if cut_after {
            after.push('…');
        }
        QuoteContext { paragraph: index + 1, before, after }
    }
}

/// The context of one span; for many spans in one text, use [`ArticleText`].
pub fn quote_context(text: &str, start: usize, end: usize) -> QuoteContext {
    ArticleText::new(text).context(start, end)
}

/// Index of the first `needle` that starts at or after `from`.
fn find_forward(chars: &[char], from: usize, needle: &str) -> Option<usize> {
    let needle: Vec<char> = needle.chars().collect();
    (from..chars.len().saturating_sub(needle.len() - 1)).find(|&i| chars[i..i + needle.len()] == needle[..])
}

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']')
}

/// Where a sentence ends at `i`: a terminator, optional closing quotes, then whitespace.
/// Returns the index of the whitespace. Abbreviations are not handled here: a context
/// that starts a little late is harmless, and the claim assistant has the real segmenter.
fn boundary_at(chars: &[char], i: usize) -> Option<usize> {
    if !is_terminator(chars[i]) {
        return None;
    }
    let mut j = i + 1;
    while j < chars.len() && is_closer(chars[j]) {
        j += 1;
    }
    (j < chars.len() && chars[j].is_whitespace()).then_some(j)
}

fn sentence_start(chars: &[char], floor: usize, start: usize) -> usize {
    (floor..start)
        .rev()
        .find_map(|i| boundary_at(chars, i).filter(|&ws| ws < start))
        .map(|ws| {
            let mut k = ws;
            while k < start && chars[k].is_whitespace() {
                k += 1;
            }
            k
        })
        .unwrap_or(floor)
}

fn sentence_end(chars: &[char], end: usize, ceiling: usize) -> usize {
    // A quote that already ends its sentence needs nothing after it.
    if end > 0 && (is_terminator(chars[end - 1]) || is_closer(chars[end - 1])) {
        if let Some(ws) = boundary_at(chars, end.saturating_sub(1)) {
            if ws == end {
                return end;
            }
        }
    }
    (end..ceiling).find_map(|i| boundary_at(chars, i)).unwrap_or(ceiling).min(ceiling)
}

/// A character that must never reach a terminal, a spreadsheet or a report as itself:
/// C0 controls other than newline and tab (ESC starts terminal escape sequences), DEL,
/// and C1 controls (U+0080–U+009F; U+009B is a one-character CSI on some terminals).
pub fn is_unsafe_control(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || ('\u{80}'..='\u{9f}').contains(&c)
}

/// A Unicode bidirectional formatting character: embeddings, overrides and isolates
/// (U+202A–U+202E, U+2066–U+2069) and the marks (U+200E, U+200F, U+061C). An override
/// makes "Invoice \u{202E}fdp.exe" read as "Invoice exe.pdf".
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// An embedding, override or isolate (U+202A–U+202E, U+2066–U+2069): the bidi controls
/// that can reorder a whole run of text. Reports show them as `<U+202E>`; the marks
/// (U+200E, U+200F, U+061C), which right-to-left text legitimately uses, stay.
pub fn is_bidi_override(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `<U+202E>`: how a character that must not act is shown instead.
pub fn shown_as_code(c: char) -> String {
    format!("<U+{:04X}>", c as u32)
}

/// `text` with every unsafe control character replaced by U+FFFD (�): what import does
/// to decoded text, so an entity such as `&#27;` in a page never becomes a stored ESC.
pub fn replace_unsafe_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains(is_unsafe_control) {
        std::borrow::Cow::Owned(text.chars().map(|c| if is_unsafe_control(c) { '\u{FFFD}' } else { c }).collect())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// JSON text (as serde writes it) with C1 and bidi controls written as `\u` escapes;
/// serde already escapes C0 controls. The same data, and nothing a terminal acts on: the
/// CLI's `--json` and the JSON reports both go through it.
pub fn json_inert(json: &str) -> std::borrow::Cow<'_, str> {
    let acts = |c: char| is_unsafe_control(c) || is_bidi_control(c);
    if !json.contains(acts) {
        return std::borrow::Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if acts(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// One line of at most `max` characters (whitespace runs folded), with an ellipsis where
/// it was cut: how the CLI's tables and the history's wording shorten long text.
pub fn clip(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// The first `chars` characters of `text` (all of it when shorter), as a hash is shown
/// abbreviated: safe on any text, a hand-edited row included (never cuts a character).
pub fn prefix(text: &str, chars: usize) -> &str {
    text.char_indices().nth(chars).map_or(text, |(at, _)| &text[..at])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_never_cut_a_character() {
        assert_eq!(prefix("abcdef", 3), "abc");
        assert_eq!(prefix("ab", 3), "ab");
        assert_eq!(prefix("ééééé", 2), "éé");
    }

    fn span(text: &str, quote: &str) -> (usize, usize) {
        let byte = text.find(quote).expect("quote in text");
        let start = text[..byte].chars().count();
        (start, start + quote.chars().count())
    }

    #[test]
    fn context_is_the_sentence_around_the_quote() {
        let cases: &[(&str, &str, usize, &str, &str)] = &[
            // text, quote, paragraph, before, after
            ("One. The pier cost €4.2 million, she said. Three.", "cost €4.2 million", 1, "The pier ", ", she said."),
            (
                "Intro.\n\nA new line. “It will open in May,” he said. End.",
                "It will open in May",
                2,
                "“",
                ",” he said.",
            ),
            ("First para.\n\nSecond.\n\n\nThird has the claim here. Done.", "the claim", 3, "Third has ", " here."),
            ("Whole sentence quoted. Next one.", "Whole sentence quoted.", 1, "", ""),
            ("No terminator at all in this paragraph", "terminator", 1, "No ", " at all in this paragraph"),
            ("Ends here.\n\nStarts the paragraph and goes on", "Starts", 2, "", " the paragraph and goes on"),
        ];
        for (text, quote, paragraph, before, after) in cases {
            let (start, end) = span(text, quote);
            let context = quote_context(text, start, end);
            assert_eq!(
                context,
                QuoteContext { paragraph: *paragraph, before: before.to_string(), after: after.to_string() },
                "{quote:?} in {text:?}"
            );
        }
    }

    #[test]
    fn long_sentences_are_cut_with_an_ellipsis() {
        let text = format!("{} claim {}", "word ".repeat(100), "more ".repeat(100));
        let (start, end) = span(&text, "claim");
        let context = quote_context(&text, start, end);
        assert!(context.before.starts_with('…') && context.after.ends_with('…'), "{context:?}");
        assert_eq!(context.before.chars().count(), MAX_CONTEXT_CHARS + 1);
    }

    #[test]
    fn offsets_outside_the_text_are_clamped() {
        let context = quote_context("Short.", 3, 99);
        assert_eq!(context.paragraph, 1);
        assert_eq!(quote_context("", 5, 9), QuoteContext { paragraph: 1, ..Default::default() });
    }
}
