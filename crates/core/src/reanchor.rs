//! Claims following an article into its new version. A [`Revision`] diffs the old and
//! new canonical texts word by word once (patience diff over tokens); each claim is then
//! placed through it: `exact` when its quote is still where the diff maps it, `changed`
//! when the passage survives but was edited (the mapped span is proposed, never accepted
//! silently), `moved` when the passage left its place and its exact quote appears once,
//! as new text, with its context, elsewhere; `orphaned` when none of that holds. A quote
//! found only in text that was already there (another passage) is never taken: a wrong
//! place is worse than an orphan.

use std::collections::HashMap;
use std::ops::Range;
use std::time::{Duration, Instant};

use similar::{capture_diff_slices_deadline, Algorithm, DiffTag};

pub use crate::model::AnchorState;

use crate::anchor::occurrences;

/// Context (bytes of matching text beside the quote) a moved quote needs on one side.
const MIN_CONTEXT: usize = 12;
/// A quote this long (code points) is distinctive enough to move without its context.
const DISTINCTIVE_QUOTE: usize = 60;
/// How long the word diff may run before the claims are placed by quote search alone.
const DIFF_DEADLINE: Duration = Duration::from_millis(250);

/// Where a claim goes in the new text: a state and, except for an orphan, a span in code
/// points of the new text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    pub state: AnchorState,
    pub span: Option<Range<usize>>,
}

/// A claim as anchored in the old text: code-point span, quote and its context.
#[derive(Debug, Clone, Copy)]
pub struct OldAnchor<'a> {
    pub start: usize,
    pub end: usize,
    pub quote: &'a str,
    pub prefix: &'a str,
    pub suffix: &'a str,
}

/// How one side of a found quote compares with the claim's context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    /// The same text (enough of it, or all of it up to a paragraph break).
    Same,
    /// The same short text up to a paragraph break (or the break itself), in both.
    Edge,
    Differs,
}

/// Two versions of a text and the word diff between them, computed once for all claims.
pub struct Revision<'a> {
    old: &'a str,
    new: &'a str,
    old_tokens: Vec<Range<usize>>,
    new_tokens: Vec<Range<usize>>,
    /// Diff operations in old-text order: tag, old token range, new token range.
    ops: Vec<(DiffTag, Range<usize>, Range<usize>)>,
    /// For every new token: whether it was in the old text (an `Equal` of the diff).
    new_is_old: Vec<bool>,
    old_chars: CharIndex,
    new_chars: CharIndex,
}

impl<'a> Revision<'a> {
    pub fn new(old: &'a str, new: &'a str) -> Revision<'a> {
        let (old_tokens, new_tokens) = (tokens(old), tokens(new));
        let mut ids: HashMap<&str, u32> = HashMap::new();
        let mut intern = |text: &'a str, ranges: &[Range<usize>]| -> Vec<u32> {
            ranges
                .iter()
                .map(|r| {
                    let next = ids.len() as u32;
                    *ids.entry(&text[r.clone()]).or_insert(next)
                })
                .collect()
        };
        let (old_ids, new_ids) = (intern(old, &old_tokens), intern(new, &new_tokens));
        let deadline = Instant::now() + DIFF_DEADLINE;
        let ops: Vec<_> = capture_diff_slices_deadline(Algorithm::Patience, &old_ids, &new_ids, Some(deadline))
            .iter()
            .map(|op| op.as_tag_tuple())
            .collect();
        let mut new_is_old = vec![false; new_tokens.len()];
        for (tag, _, new_range) in &ops {
            if *tag == DiffTag::Equal {
                new_is_old[new_range.clone()].iter_mut().for_each(|b| *b = true);
            }
        }
        Revision {
            old,
            new,
            old_tokens,
            new_tokens,
            ops,
            new_is_old,
            old_chars: CharIndex::new(old),
            new_chars: CharIndex::new(new),
        }
    }

    /// Places one claim in the new text.
    pub fn place(&self, claim: OldAnchor) -> Placement {
        let (Some(start), Some(end)) = (self.old_chars.byte(claim.start), self.old_chars.byte(claim.end)) else {
            return self.search(claim);
        };
        if start >= end || self.old.get(start..end) != Some(claim.quote) {
            // The stored offsets do not index this text: only the quote can say.
            return self.search(claim);
        }
        if let Some(placement) = self.through_diff(start, end, claim) {
            return placement;
        }
        self.search(claim)
    }

    /// The claim's passage mapped through the diff, if enough of it survives in place.
    fn through_diff(&self, start: usize, end: usize, claim: OldAnchor) -> Option<Placement> {
        let OldAnchor { quote, prefix, suffix, .. } = claim;
        let first = token_at(&self.old_tokens, start)?;
        let last = token_at(&self.old_tokens, end - 1)?;
        let (mut words, mut surviving, mut all_equal, mut previous_new) = (0, 0, true, None::<usize>);
        for token in first..=last {
            let is_word = self.old[self.old_tokens[token].clone()].chars().any(char::is_alphanumeric);
            words += usize::from(is_word);
            match self.new_index_of(token) {
                Some(new_token) => {
                    surviving += usize::from(is_word);
                    // An insertion inside the passage breaks it even if every old token stays.
                    if previous_new.is_some_and(|p| p + 1 != new_token) {
                        all_equal = false;
                    }
                    previous_new = Some(new_token);
                }
                None => all_equal = false,
            }
        }
        if surviving == 0 || surviving * 3 < words {
            return None;
        }
        let (new_start, new_end) = (self.map(start, true)?, self.map(end, false)?);
        if new_start >= new_end || self.new[new_start..new_end].trim().is_empty() {
            return None;
        }
        // A proposal far longer than the passage is the diff pairing stray words.
        if new_end - new_start > 3 * (end - start) + 64 {
            return None;
        }
        if all_equal && &self.new[new_start..new_end] == quote {
            // The diff can pair a passage with a copy of it elsewhere (a correction quoting
            // an old figure: its tokens are unique in both texts). The claim's own context
            // on one side at least tells the passage from the copy.
            if !self.context_holds(new_start, new_end, prefix, suffix) && !self.kept_beside(first, last) {
                return None;
            }
            let span = Some(self.new_chars.char(new_start)..self.new_chars.char(new_end));
            return Some(Placement { state: AnchorState::Exact, span });
        }
        // The diff paired some of the passage's words with others nearby (a bullet, a
        // quote mark): the exact quote right there, with its own context, is the passage.
        let reach = quote.len() + 64;
        let nearby: Vec<usize> = occurrences(self.new, quote)
            .into_iter()
            .filter(|&at| at + reach >= new_start && at <= new_end + reach)
            .filter(|&at| self.context_holds_both(at, at + quote.len(), prefix, suffix))
            .collect();
        if let [at] = nearby.as_slice() {
            let span = Some(self.new_chars.char(*at)..self.new_chars.char(*at + quote.len()));
            return Some(Placement { state: AnchorState::Moved, span });
        }
        let span = Some(self.new_chars.char(new_start)..self.new_chars.char(new_end));
        Some(Placement { state: AnchorState::Changed, span })
    }

    /// Whether the diff kept the passage together with the nearest word before or after it
    /// (every token between them kept, in order): the passage is in its place, not paired
    /// with a copy of it elsewhere.
    fn kept_beside(&self, first: usize, last: usize) -> bool {
        let is_word = |t: usize| self.old[self.old_tokens[t].clone()].chars().any(char::is_alphanumeric);
        let kept_run = |from: usize, to: usize| {
            (from..to).all(|t| match (self.new_index_of(t), self.new_index_of(t + 1)) {
                (Some(a), Some(b)) => a + 1 == b,
                _ => false,
            })
        };
        let before = (0..first).rev().find(|&t| is_word(t)).is_some_and(|w| kept_run(w, first));
        let after = (last + 1..self.old_tokens.len()).find(|&t| is_word(t)).is_some_and(|w| kept_run(last, w));
        before || after
    }

    /// The new token an old token became, when the diff kept it.
    fn new_index_of(&self, old_token: usize) -> Option<usize> {
        let (tag, old_range, new_range) = self.op_of(old_token)?;
        (*tag == DiffTag::Equal).then(|| new_range.start + (old_token - old_range.start))
    }

    fn op_of(&self, old_token: usize) -> Option<&(DiffTag, Range<usize>, Range<usize>)> {
        let at = self.ops.partition_point(|(_, old_range, _)| old_range.end <= old_token);
        self.ops[at..].iter().find(|(_, old_range, _)| old_range.contains(&old_token))
    }

    /// An old byte offset in the new text: exact inside kept tokens; inside an edited run,
    /// the start (for a span's start) or end (for its end) of what replaced it.
    fn map(&self, old_byte: usize, is_start: bool) -> Option<usize> {
        let probe = if is_start { old_byte } else { old_byte.checked_sub(1)? };
        let token = token_at(&self.old_tokens, probe)?;
        let (tag, old_range, new_range) = self.op_of(token)?;
        let new_byte_at = |index: usize| self.new_tokens.get(index).map_or(self.new.len(), |t| t.start);
        if *tag == DiffTag::Equal {
            let new_token = &self.new_tokens[new_range.start + (token - old_range.start)];
            return Some(new_token.start + (old_byte - self.old_tokens[token].start));
        }
        Some(match (is_start, new_range.is_empty()) {
            (_, true) => new_byte_at(new_range.start),
            (true, false) => self.new_tokens[new_range.start].start,
            (false, false) => self.new_tokens[new_range.end - 1].end,
        })
    }

    /// The exact quote elsewhere: once, in text the new version added, with matching
    /// context on at least one side (or long enough to stand alone).
    fn search(&self, claim: OldAnchor) -> Placement {
        let orphaned = Placement { state: AnchorState::Orphaned, span: None };
        if claim.quote.trim().is_empty() {
            return orphaned;
        }
        let fresh: Vec<usize> = occurrences(self.new, claim.quote)
            .into_iter()
            .filter(|&at| self.is_new_text(at, at + claim.quote.len()))
            .collect();
        let distinctive = claim.quote.chars().count() >= DISTINCTIVE_QUOTE;
        let placed: Vec<usize> = fresh
            .into_iter()
            .filter(|&at| distinctive || self.context_holds(at, at + claim.quote.len(), claim.prefix, claim.suffix))
            .collect();
        match placed.as_slice() {
            [at] => Placement {
                state: AnchorState::Moved,
                span: Some(self.new_chars.char(*at)..self.new_chars.char(*at + claim.quote.len())),
            },
            _ => orphaned,
        }
    }

    /// Whether the text around `start..end` of the new text is the claim's: at least
    /// [`MIN_CONTEXT`] bytes of its prefix or suffix, or its paragraph's own text up to a
    /// paragraph break on one side, or the whole paragraph the same (a paragraph moved).
    fn context_holds(&self, start: usize, end: usize, prefix: &str, suffix: &str) -> bool {
        let (before, after) = self.context(start, end, prefix, suffix);
        before == Context::Same || after == Context::Same || (before != Context::Differs && after != Context::Differs)
    }

    /// Both sides of `start..end` agree with the claim's context (what a quote found near
    /// an edited passage needs: a correction quoting it agrees on one side at most).
    fn context_holds_both(&self, start: usize, end: usize, prefix: &str, suffix: &str) -> bool {
        let (before, after) = self.context(start, end, prefix, suffix);
        before != Context::Differs && after != Context::Differs
    }

    /// How the text before and after `start..end` compares with the claim's context.
    fn context(&self, start: usize, end: usize, prefix: &str, suffix: &str) -> (Context, Context) {
        let before = &self.new[..start];
        let after = &self.new[end..];
        // The paragraph's own text beside the quote, when the context reaches a break.
        let old_before = match prefix.rfind("\n\n") {
            Some(at) => Some(&prefix[at + 2..]),
            None if prefix.chars().count() < crate::anchor::CONTEXT_CHARS => Some(prefix),
            None => None,
        };
        let old_after = match suffix.find("\n\n") {
            Some(at) => Some(&suffix[..at]),
            None if suffix.chars().count() < crate::anchor::CONTEXT_CHARS => Some(suffix),
            None => None,
        };
        let new_before = &before[before.rfind("\n\n").map_or(0, |at| at + 2)..];
        let new_after = &after[..after.find("\n\n").unwrap_or(after.len())];
        // A paragraph's own text up to its break agrees: strong when it is long enough to
        // tell passages apart, weak when it is a break and a full stop.
        let side = |common: usize, old_own: Option<&str>, new_own: &str| match old_own {
            _ if common >= MIN_CONTEXT => Context::Same,
            Some(own) if own == new_own && own.len() >= MIN_CONTEXT => Context::Same,
            Some(own) if own == new_own => Context::Edge,
            _ => Context::Differs,
        };
        (
            side(common_suffix(before, prefix), old_before, new_before),
            side(common_prefix(after, suffix), old_after, new_after),
        )
    }

    /// Whether any of the bytes `start..end` of the new text were not in the old text.
    fn is_new_text(&self, start: usize, end: usize) -> bool {
        let first = token_at(&self.new_tokens, start).unwrap_or(0);
        let last = token_at(&self.new_tokens, end.saturating_sub(1)).unwrap_or(first);
        (first..=last).any(|t| !self.new_is_old[t])
    }
}

/// A piece of a word diff: text kept, inserted or deleted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DiffPiece {
    /// `equal`, `insert` or `delete`.
    pub kind: &'static str,
    pub text: String,
}

/// What changed from `old` to `new`, word by word, in reading order (a deletion before
/// the insertion that replaced it).
pub fn word_diff(old: &str, new: &str) -> Vec<DiffPiece> {
    let revision = Revision::new(old, new);
    let text = |tokens: &[Range<usize>], range: &Range<usize>, source: &str| -> String {
        match (tokens.get(range.start), range.end.checked_sub(1).and_then(|last| tokens.get(last))) {
            (Some(first), Some(last)) if !range.is_empty() => source[first.start..last.end].to_owned(),
            _ => String::new(),
        }
    };
    let mut pieces: Vec<DiffPiece> = Vec::new();
    let mut push = |kind: &'static str, text: String| {
        if text.is_empty() {
            return;
        }
        match pieces.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(&text),
            _ => pieces.push(DiffPiece { kind, text }),
        }
    };
    for (tag, old_range, new_range) in &revision.ops {
        match tag {
            DiffTag::Equal => push("equal", text(&revision.old_tokens, old_range, old)),
            DiffTag::Delete => push("delete", text(&revision.old_tokens, old_range, old)),
            DiffTag::Insert => push("insert", text(&revision.new_tokens, new_range, new)),
            DiffTag::Replace => {
                push("delete", text(&revision.old_tokens, old_range, old));
                push("insert", text(&revision.new_tokens, new_range, new));
            }
        }
    }
    pieces
}

/// Words (runs of letters and digits), runs of whitespace, and every other character on
/// its own, as byte ranges.
fn tokens(text: &str) -> Vec<Range<usize>> {
    #[derive(PartialEq, Clone, Copy)]
    enum Class {
        Word,
        Space,
        Other,
    }
    let class = |c: char| {
        if c.is_alphanumeric() {
            Class::Word
        } else if c.is_whitespace() {
            Class::Space
        } else {
            Class::Other
        }
    };
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut current: Option<(Class, usize)> = None;
    let mut previous = '\0';
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        // A figure is one word: "4.2", "1,200" (a separator between digits).
        let inside_figure = matches!(c, '.' | ',')
            && previous.is_ascii_digit()
            && chars.peek().is_some_and(|(_, next)| next.is_ascii_digit());
        previous = c;
        let k = if inside_figure { Class::Word } else { class(c) };
        match current {
            Some((open, _)) if open == k && k != Class::Other => {}
            Some((_, from)) => {
                out.push(from..at);
                current = Some((k, at));
            }
            None => current = Some((k, at)),
        }
    }
    if let Some((_, from)) = current {
        out.push(from..text.len());
    }
    out
}

/// The token holding byte `at`.
fn token_at(tokens: &[Range<usize>], at: usize) -> Option<usize> {
    let index = tokens.partition_point(|t| t.end <= at);
    tokens.get(index).filter(|t| t.contains(&at)).map(|_| index)
}

fn common_suffix(a: &str, b: &str) -> usize {
    a.bytes().rev().zip(b.bytes().rev()).take_while(|(x, y)| x == y).count()
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count()
}

/// Byte offset of every code point, to turn offsets either way in O(log n).
struct CharIndex {
    starts: Vec<usize>,
    len: usize,
}

impl CharIndex {
    fn new(text: &str) -> CharIndex {
        CharIndex { starts: text.char_indices().map(|(i, _)| i).collect(), len: text.len() }
    }

    /// The byte offset of code point `index` (the text's length for one past the end).
    fn byte(&self, index: usize) -> Option<usize> {
        match index.cmp(&self.starts.len()) {
            std::cmp::Ordering::Less => Some(self.starts[index]),
            std::cmp::Ordering::Equal => Some(self.len),
            std::cmp::Ordering::Greater => None,
        }
    }

    /// The code point at byte `byte` (a char boundary).
    fn char(&self, byte: usize) -> usize {
        self.starts.partition_point(|&s| s < byte)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::anchor::anchor_quote;

    fn place(old: &str, new: &str, quote: &str) -> (AnchorState, Option<String>) {
        place_nth(old, new, quote, None)
    }

    fn place_nth(old: &str, new: &str, quote: &str, occurrence: Option<usize>) -> (AnchorState, Option<String>) {
        let anchor = anchor_quote(old, quote, occurrence).unwrap();
        let claim = OldAnchor {
            start: anchor.start,
            end: anchor.end,
            quote: &anchor.quote,
            prefix: &anchor.prefix,
            suffix: &anchor.suffix,
        };
        let placement = Revision::new(old, new).place(claim);
        let text = placement.span.map(|s| new.chars().skip(s.start).take(s.end - s.start).collect());
        (placement.state, text)
    }

    const OLD: &str = "The port handled 4.2 million tonnes of cargo last year, the authority said.\n\n\
        Officials said 1,200 containers were counted twice.\n\nThe minister will visit on Monday.";

    #[test]
    fn the_word_diff_rebuilds_both_texts() {
        let new = OLD.replace("4.2 million", "3.9 million").replace("Monday", "Tuesday");
        let pieces = word_diff(OLD, &new);
        let side = |skip: &str| pieces.iter().filter(|p| p.kind != skip).map(|p| p.text.as_str()).collect::<String>();
        assert_eq!(side("insert"), OLD);
        assert_eq!(side("delete"), new);
        assert!(pieces.iter().any(|p| p.kind == "delete" && p.text == "4.2"), "{pieces:?}");
    }

    #[test]
    fn an_untouched_passage_stays_exact_through_edits_around_it() {
        let new = OLD.replace("the authority said", "the harbour authority said").replace("Monday", "Tuesday");
        let new = format!("A new first paragraph about the port.\n\n{new}");
        assert_eq!(place(OLD, &new, "1,200 containers"), (AnchorState::Exact, Some("1,200 containers".into())));
        assert_eq!(place(OLD, &new, "4.2 million tonnes").0, AnchorState::Exact);
    }

    #[test]
    fn a_changed_figure_is_changed_never_exact_even_if_the_old_one_is_quoted_elsewhere() {
        let new = OLD.replace("4.2 million", "3.9 million")
            + "\n\nCorrection: an earlier version said the port handled 4.2 million tonnes of cargo last year.";
        assert_eq!(
            place(OLD, &new, "4.2 million tonnes of cargo"),
            (AnchorState::Changed, Some("3.9 million tonnes of cargo".into()))
        );
    }

    #[test]
    fn a_moved_paragraph_is_found_with_its_context() {
        let new = "The minister will visit on Monday.\n\nOfficials said 1,200 containers were counted twice.\n\n\
            The port handled 4.2 million tonnes of cargo last year, the authority said.";
        let (state, text) = place(OLD, new, "1,200 containers were counted");
        assert!(matches!(state, AnchorState::Exact | AnchorState::Moved), "{state:?}");
        assert_eq!(text.as_deref(), Some("1,200 containers were counted"));
    }

    #[test]
    fn a_deleted_passage_is_orphaned_not_moved_onto_another_mention() {
        let old =
            "The council met on Monday.\n\nThe tram will cost €310 million, the mayor said.\n\nResidents objected.";
        let new = "The council met on Monday.\n\nResidents objected to the tram.";
        assert_eq!(place(old, new, "€310 million").0, AnchorState::Orphaned);
        // The quote survives only in a passage that was already there: not ours.
        let old = "Turnout was 40 percent in March.\n\nAnother poll: 40 percent of voters stayed home.";
        let new = "Turnout was 40 percent in March.";
        assert_eq!(place_nth(old, new, "40 percent", Some(2)).0, AnchorState::Orphaned);
    }
}
