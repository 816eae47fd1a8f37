//! Large libraries for benchmarks: a deterministic generator of articles, claims and
//! their history (written through the same functions the library uses for every change,
//! so the result verifies), and a long history of status changes written quickly.

use crate::anchor::anchor_span;
use crate::events::{ClaimFlagged, ClaimStatusChanged, Event, Subject};
use crate::import::{self, Format};
use crate::library::Library;
use crate::model::Status;
use crate::store::claims;
use crate::store::history::{self, NewEvent};
use crate::{Error, Result};

/// Events written per transaction.
const BATCH: usize = 50_000;

/// Articles written per transaction by the generator (as a batch import does).
const ARTICLES_PER_TRANSACTION: usize = 100;

/// The size of library to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScaleSpec {
    pub articles: usize,
    pub words_per_article: usize,
    pub claims_per_article: usize,
    /// History events in all: one per import and per claim, the rest status changes.
    pub events: usize,
}

impl ScaleSpec {
    /// A few years of a regional desk: 100,000 articles, 1,000,000 claims, 3,000,000 events.
    pub const NEWSROOM: ScaleSpec =
        ScaleSpec { articles: 100_000, words_per_article: 1_000, claims_per_article: 10, events: 3_000_000 };

    fn status_changes(&self) -> usize {
        self.events.saturating_sub(self.articles + self.articles * self.claims_per_article)
    }
}

/// A small deterministic generator, so every run builds (and every bench measures) the
/// same text.
pub struct Lcg(pub u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Everyday news words, so searches for real words find many articles, among made-up
/// ones for the long tail.
const COMMON_WORDS: &[&str] = &[
    "minister",
    "council",
    "budget",
    "port",
    "hospital",
    "police",
    "court",
    "election",
    "tax",
    "school",
    "workers",
    "union",
    "prices",
    "housing",
    "energy",
    "water",
    "transport",
    "airport",
    "ferry",
    "tourism",
];

fn vocabulary() -> Vec<String> {
    const SYLLABLES: &[&str] =
        &["ka", "lo", "mer", "dan", "ti", "vos", "ral", "en", "bu", "sar", "qui", "no", "fel", "ost", "ri", "ga"];
    let mut rng = Lcg(7);
    let mut words: Vec<String> = COMMON_WORDS.iter().map(|w| w.to_string()).collect();
    words.extend((0..6_000).map(|_| (0..2 + rng.below(3)).map(|_| SYLLABLES[rng.below(SYLLABLES.len())]).collect()));
    words
}

/// A wire-shaped article: a date and title line, a place and outlet line, then
/// sentences of 12–30 words; `n` makes it unique.
pub fn synthetic_article(n: usize, words: usize) -> String {
    thread_local!(static VOCABULARY: Vec<String> = vocabulary());
    VOCABULARY.with(|vocabulary| {
        let mut rng = Lcg(n as u64 * 2 + 1);
        // Skewed word choice, as in real text: a few words are everywhere, most are rare.
        let word = |rng: &mut Lcg| {
            let r = rng.below(vocabulary.len());
            vocabulary[r * r / vocabulary.len()].as_str()
        };
        let title: Vec<&str> = (0..8).map(|_| word(&mut rng)).collect();
        let mut text = format!(
            " date 20{:02}-{:02}-{:02} Report {n}: {}\nPlace {} • Outlet {}\n",
            15 + n % 11,
            1 + n % 12,
            1 + n % 28,
            title.join(" "),
            n % 50,
            n % 20
        );
        let mut written = 0;
        while written < words {
            let len = (12 + rng.below(19)).min(words - written).max(1);
            let sentence: Vec<&str> = (0..len).map(|_| word(&mut rng)).collect();
            text.push_str(&format!(
                "Officials said {} by {}.{} per cent.",
                sentence.join(" "),
                rng.below(9),
                rng.below(10)
            ));
            text.push(if rng.below(4) == 0 { '\n' } else { ' ' });
            written += len;
        }
        text.push('\n');
        text
    })
}

/// What the generator wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Generated {
    pub articles: usize,
    pub claims: usize,
    pub events: usize,
}

/// Fills an empty library to `spec`: articles imported a hundred to a transaction,
/// each with its claims (one sentence each) and their status changes. `progress` hears
/// the running totals after each transaction. Deterministic but for the clock.
pub fn generate_library(library: &Library, spec: &ScaleSpec, mut progress: impl FnMut(Generated)) -> Result<Generated> {
    let claims_total = spec.articles * spec.claims_per_article;
    let changes_total = spec.status_changes();
    let changes_for =
        |claim: usize| changes_total / claims_total.max(1) + usize::from(claim < changes_total % claims_total.max(1));
    let statuses = [Status::Confirmed, Status::Unconfirmed, Status::Disputed, Status::False, Status::Unreviewed];
    let mut done = Generated::default();
    library.bulk(|library| {
        while done.articles < spec.articles {
            let batch = ARTICLES_PER_TRANSACTION.min(spec.articles - done.articles);
            done = library.store.write(|tx| {
                let mut done = done;
                for n in done.articles..done.articles + batch {
                    let now = library.now();
                    let bytes = synthetic_article(n, spec.words_per_article).into_bytes();
                    let prepared = import::prepare(&format!("generated-{n:06}.txt"), bytes, Format::Text)
                        .map_err(|reason| Error::invalid("generated article", reason.to_string()))?;
                    let article_id = library.import_prepared_in(tx, &now, &prepared, None)?.article().id;
                    done.articles += 1;
                    done.events += 1;
                    let text = &prepared.parsed.text;
                    for (k, (start, end)) in sentence_spans(text).into_iter().take(spec.claims_per_article).enumerate()
                    {
                        let anchor =
                            anchor_span(text, start, end).map_err(|problem| Error::Anchor { article_id, problem })?;
                        let claim_id = claims::insert(tx, article_id, &anchor, None, None, &now)?;
                        let flagged = ClaimFlagged {
                            quote: anchor.quote,
                            start: anchor.start,
                            end: anchor.end,
                            claimant: None,
                            note: None,
                            suggested: None,
                        };
                        library.record(
                            tx,
                            &now,
                            Subject::Claim { article_id, claim_id },
                            Event::ClaimFlagged(flagged),
                        )?;
                        let claim_number = done.claims;
                        done.claims += 1;
                        done.events += 1;
                        let mut current = Status::Unreviewed;
                        let changes = changes_for(claim_number);
                        for change in 0..changes {
                            // Each change differs from the status before it; the last one
                            // lands on the claim's final status (any of the five).
                            let status = if change + 1 == changes {
                                let i = (claim_number + k) % statuses.len();
                                if statuses[i] == current {
                                    statuses[(i + 1) % statuses.len()]
                                } else {
                                    statuses[i]
                                }
                            } else {
                                let i = (claim_number + change) % 4;
                                if statuses[i] == current {
                                    statuses[(i + 1) % 4]
                                } else {
                                    statuses[i]
                                }
                            };
                            library.set_status_in(tx, &now, claim_id, status, None, None)?;
                            current = status;
                            done.events += 1;
                        }
                    }
                }
                Ok(done)
            })?;
            progress(done);
        }
        Ok(done)
    })
}

/// Code-point spans of the sentences of `text` (ending at ". ", a full stop before a line
/// break, or the full stop that ends the text), in order.
fn sentence_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = 0;
    let mut previous = '\n';
    for (index, c) in text.chars().enumerate() {
        if previous == '.' && (c == ' ' || c == '\n') {
            if index - 1 > start {
                spans.push((start, index));
            }
            start = index + 1;
        } else if previous == '\n' {
            start = index;
        }
        previous = c;
    }
    // The last sentence, when the text ends right after its full stop.
    let len = text.chars().count();
    if previous == '.' && len > start + 1 {
        spans.push((start, len));
    }
    spans
}

/// Appends `count` status-change events about `claims` synthetic claims (ids need not
/// exist: `verify` reads the history only), in batches, durably at the end.
pub fn append_synthetic_events(library: &Library, count: usize, claims: usize) -> Result<()> {
    let statuses = [Status::Unreviewed, Status::Confirmed, Status::Disputed, Status::Unconfirmed, Status::False];
    library.bulk(|library| {
        let mut written = 0;
        while written < count {
            let batch = BATCH.min(count - written);
            library.store.write(|tx| {
                for n in written..written + batch {
                    let claim_id = (n % claims.max(1)) as i64 + 1;
                    let at = format!("2026-01-01T00:00:{:02}.{:06}Z", (n / 1_000_000) % 60, n % 1_000_000);
                    let event = Event::ClaimStatusChanged(ClaimStatusChanged {
                        from: statuses[n % 5],
                        to: statuses[(n + 1) % 5],
                        note: (n % 7 == 0).then(|| format!("checked against source {}", n % 977)),
                        undoes: None,
                    });
                    let subject = Subject::Claim { article_id: claim_id / 10 + 1, claim_id };
                    history::append(tx, NewEvent { at: &at, actor: "bench desk", subject, event })?;
                }
                Ok(())
            })?;
            written += batch;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::Verification;

    fn generated(spec: &ScaleSpec) -> (tempfile::TempDir, Library) {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(&dir.path().join("l.sqlite"), "test").unwrap();
        let done = generate_library(&library, spec, |_| {}).unwrap();
        assert_eq!(
            done,
            Generated { articles: spec.articles, claims: spec.articles * spec.claims_per_article, events: spec.events }
        );
        (dir, library)
    }

    #[test]
    fn every_sentence_is_found_also_the_last_one() {
        let text = "One two by 1.5 per cent. Three four.\nFive six.";
        let spans = sentence_spans(text);
        let chars: Vec<char> = text.chars().collect();
        let sentences: Vec<String> = spans.iter().map(|&(a, b)| chars[a..b].iter().collect()).collect();
        assert_eq!(sentences, ["One two by 1.5 per cent.", "Three four.", "Five six."]);
    }

    /// Short articles too: as many claims and events as asked for.
    #[test]
    fn short_articles_get_every_claim_asked_for() {
        generated(&ScaleSpec { articles: 200, words_per_article: 40, claims_per_article: 2, events: 1_000 });
    }

    #[test]
    fn a_generated_library_is_the_size_asked_for_and_verifies() {
        let spec = ScaleSpec { articles: 120, words_per_article: 200, claims_per_article: 4, events: 1_500 };
        let (_dir, library) = generated(&spec);
        assert!(matches!(library.verify().unwrap(), Verification::Intact(head) if head.events == 1_500));
        assert_eq!(library.file_problems().unwrap().problems, Vec::<String>::new());
        assert_eq!(library.claims(None, None).unwrap().len(), 480);
        let statuses: std::collections::BTreeSet<Status> =
            library.claims(None, None).unwrap().iter().map(|c| c.status).collect();
        assert_eq!(statuses.len(), 5, "every status is on the board");
        assert_eq!(synthetic_article(7, 300), synthetic_article(7, 300), "deterministic");
    }

    /// Pages at every offset are the slices of the whole list, and the counts follow
    /// flags, status changes and removals (the triggers of schema v6).
    #[test]
    fn pages_are_slices_of_the_whole_list_and_counts_follow_changes() {
        let spec = ScaleSpec { articles: 45, words_per_article: 120, claims_per_article: 3, events: 300 };
        let (_dir, library) = generated(&spec);
        let mut articles = library.articles().unwrap();
        for (offset, limit) in [(0, 10), (10, 10), (40, 10), (44, 1), (45, 10), (100, 5)] {
            let page = library.article_page(offset, limit).unwrap();
            assert_eq!(page.total, 45);
            let expected: Vec<i64> = articles.iter().skip(offset as usize).take(limit).map(|a| a.id).collect();
            assert_eq!(page.rows.iter().map(|a| a.id).collect::<Vec<_>>(), expected, "offset {offset}");
        }
        assert_eq!(library.article_page(3, 1).unwrap().rows[0], articles.remove(3), "same rows as the full list");

        let board = |status: Option<Status>| {
            let all = library.claim_page(status, 0, 1_000).unwrap();
            let mut expected: Vec<i64> = library.claims(None, status).unwrap().iter().map(|c| c.id).collect();
            expected.sort_by(|a, b| b.cmp(a));
            assert_eq!(all.rows.iter().map(|c| c.claim.id).collect::<Vec<_>>(), expected);
            assert_eq!(all.total, expected.len() as u64);
            let halves: Vec<i64> = [0, 7, 14, 21, 28, 35, 42, 49]
                .iter()
                .flat_map(|&o| library.claim_page(status, o, 7).unwrap().rows)
                .map(|c| c.claim.id)
                .collect();
            assert_eq!(halves, expected.iter().copied().take(56).collect::<Vec<_>>());
            all
        };
        let all = board(None);
        assert_eq!(all.total, 135);
        let first = &all.rows[0];
        assert_eq!(first.article_title, library.article(first.claim.article_id).unwrap().title);
        let false_before = board(Some(Status::False)).total;
        library.set_status(first.claim.id, Status::False, None).unwrap();
        library.remove_claim(all.rows[1].claim.id, None).unwrap();
        assert_eq!(board(None).total, 134);
        let false_now = board(Some(Status::False)).total;
        let was_false = |c: &crate::model::BoardClaim| u64::from(c.claim.status == Status::False);
        assert_eq!(false_now, false_before + 1 - was_false(first) - was_false(&all.rows[1]));
        for status in [Status::Unreviewed, Status::Confirmed, Status::Unconfirmed, Status::Disputed] {
            board(Some(status));
        }
        assert_eq!(library.file_problems().unwrap().problems, Vec::<String>::new());
    }
}
