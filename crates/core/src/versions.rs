//! Versions of an article: new bytes for an article already in the library become its
//! newest version (never a second article), and every live claim follows the text
//! (`reanchor`): exact, moved, changed (a span proposed for a person) or orphaned. One
//! transaction: the old version kept, the new one in place, the claims moved, the events.

use std::path::Path;

use rusqlite::Transaction;

use crate::anchor::{anchor_quote, anchor_span, Anchor};
use crate::events::{ArticleVersionAdded, ClaimAnchorSet, ClaimReanchored, Event, Subject};
use crate::import::{self, Format, PreparedArticle};
use crate::library::{live_claim_row, subject_of, Library};
use crate::model::{AnchorCounts, AnchorFix, AnchorState, ArticleVersion, Claim, ClaimAnchor, VersionOutcome};
use crate::reanchor::{word_diff, DiffPiece, OldAnchor, Revision};
use crate::snapshot::Capture;
use crate::store::{articles, claims, versions};
use crate::{Error, Result};

impl Library {
    /// Reads `path` and makes it the newest version of `article_id`.
    pub fn update_from_file(&self, article_id: i64, path: &Path, format: Format) -> Result<VersionOutcome> {
        let bytes = import::read_file(path)?;
        let file_name =
            path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        let prepared = import::prepare(&file_name, bytes, format)
            .map_err(|reason| Error::Import { path: path.to_owned(), reason })?;
        self.add_version(article_id, &prepared, None)
    }

    /// Makes a fetched page the newest version of `article_id`, keeping the capture.
    pub fn update_from_capture(&self, article_id: i64, capture: &Capture, format: Format) -> Result<VersionOutcome> {
        let prepared = self.prepare_capture(capture, format)?;
        self.add_version(article_id, &prepared, Some(capture))
    }

    /// `prepared` becomes the newest version of `article_id`, unless its text is the
    /// newest version's already; every live claim is re-anchored.
    pub fn add_version(
        &self,
        article_id: i64,
        prepared: &PreparedArticle,
        capture: Option<&Capture>,
    ) -> Result<VersionOutcome> {
        let now = self.now();
        self.store.write(|tx| self.add_version_in(tx, &now, article_id, prepared, capture))
    }

    pub(crate) fn add_version_in(
        &self,
        tx: &Transaction,
        now: &str,
        article_id: i64,
        prepared: &PreparedArticle,
        capture: Option<&Capture>,
    ) -> Result<VersionOutcome> {
        let old_text = articles::text(tx, article_id)?;
        if old_text == prepared.parsed.text {
            return Ok(VersionOutcome::Unchanged(articles::get(tx, article_id)?));
        }
        if let Some(other) = articles::find_by_sha256(tx, &prepared.sha256)?.filter(|id| *id != article_id) {
            return Err(Error::invalid(
                "update",
                format!("these bytes are article {other} already, not a version of {article_id}"),
            ));
        }
        versions::keep_newest(tx, article_id)?;
        let version = versions::replace_newest(tx, article_id, prepared, now)?;
        let counts = self.reanchor_claims(tx, now, article_id, &old_text, &prepared.parsed.text, version)?;
        let added = ArticleVersionAdded {
            version,
            sha256: prepared.sha256.clone(),
            file_name: prepared.file_name.clone(),
            bytes: prepared.original.len() as u64,
            words: prepared.word_count,
            exact: counts.exact,
            moved: counts.moved,
            changed: counts.changed,
            orphaned: counts.orphaned,
        };
        self.record(tx, now, Subject::Article(article_id), Event::ArticleVersionAdded(added))?;
        if let Some(capture) = capture {
            self.keep_article_snapshot(tx, now, article_id, capture, &prepared.parsed.text)?;
        }
        Ok(VersionOutcome::Added { article: articles::get(tx, article_id)?, counts })
    }

    /// Moves every live claim of the article from `old` to `new` (version `version`).
    fn reanchor_claims(
        &self,
        tx: &Transaction,
        now: &str,
        article_id: i64,
        old: &str,
        new: &str,
        version: u32,
    ) -> Result<AnchorCounts> {
        let revision = Revision::new(old, new);
        let mut counts = AnchorCounts::default();
        for claim in claims::live_rows_of_article(tx, article_id)? {
            if claim.anchor.state == AnchorState::Orphaned {
                // Its offsets index an older version: it stays as it is, still orphaned.
                counts.orphaned += 1;
                continue;
            }
            let placement = revision.place(OldAnchor {
                start: claim.start,
                end: claim.end,
                quote: &claim.quote,
                prefix: &claim.prefix,
                suffix: &claim.suffix,
            });
            // A claim still waiting for a person keeps the version it was decided on.
            let pending = claim.anchor.state == AnchorState::Changed;
            let state = match (placement.state, pending) {
                (AnchorState::Exact | AnchorState::Moved, true) => AnchorState::Changed,
                (state, _) => state,
            };
            match state {
                AnchorState::Exact => counts.exact += 1,
                AnchorState::Moved => counts.moved += 1,
                AnchorState::Changed => counts.changed += 1,
                AnchorState::Orphaned => counts.orphaned += 1,
            }
            self.place_claim(tx, now, &claim, state, placement.span, new, version)?;
        }
        Ok(counts)
    }

    #[allow(clippy::too_many_arguments)]
    fn place_claim(
        &self,
        tx: &Transaction,
        now: &str,
        claim: &Claim,
        state: AnchorState,
        span: Option<std::ops::Range<usize>>,
        new: &str,
        version: u32,
    ) -> Result<()> {
        let decided_on = if claim.anchor.state == AnchorState::Changed { claim.anchor.version } else { version - 1 };
        let anchor_state = match state {
            AnchorState::Exact | AnchorState::Moved => ClaimAnchor { state, version, previous_quote: None },
            AnchorState::Changed => ClaimAnchor {
                state,
                version: decided_on,
                previous_quote: Some(claim.anchor.previous_quote.clone().unwrap_or_else(|| claim.quote.clone())),
            },
            AnchorState::Orphaned => {
                ClaimAnchor { state, version: decided_on, previous_quote: claim.anchor.previous_quote.clone() }
            }
        };
        let new_quote = match span {
            Some(span) => {
                let anchor = anchor_span(new, span.start, span.end)
                    .map_err(|problem| Error::Corrupt(format!("re-anchoring claim {}: {problem}", claim.id)))?;
                claims::set_anchor(tx, claim, &anchor, &anchor_state, now)?;
                Some(anchor.quote)
            }
            None => {
                claims::set_anchor_state(tx, claim.id, &anchor_state, now)?;
                None
            }
        };
        if state != AnchorState::Exact || claim.anchor.state != AnchorState::Exact {
            let reanchored = ClaimReanchored { version, state, quote: claim.quote.clone(), new_quote };
            self.record(tx, now, subject_of(claim), Event::ClaimReanchored(reanchored))?;
        }
        Ok(())
    }

    /// A person places a changed or orphaned claim (or moves any claim) in the newest text.
    pub fn set_claim_anchor(&self, claim_id: i64, fix: AnchorFix) -> Result<Claim> {
        let now = self.now();
        self.store.write(|tx| {
            let claim = live_claim_row(tx, claim_id)?;
            let text = articles::text(tx, claim.article_id)?;
            let version = versions::newest(tx, claim.article_id)?;
            let (anchor, how): (Anchor, &str) = match fix {
                AnchorFix::Accept => {
                    if claim.anchor.state != AnchorState::Changed {
                        return Err(Error::invalid(
                            "anchor",
                            format!("claim {claim_id} is {}: there is no proposed span to accept", claim.anchor.state),
                        ));
                    }
                    let anchor = anchor_span(&text, claim.start, claim.end)
                        .map_err(|problem| Error::Anchor { article_id: claim.article_id, problem })?;
                    (anchor, "accepted")
                }
                AnchorFix::Quote { quote, occurrence } => {
                    let anchor = anchor_quote(&text, &quote, occurrence)
                        .map_err(|problem| Error::Anchor { article_id: claim.article_id, problem })?;
                    (anchor, "chosen")
                }
                AnchorFix::Span { start, end } => {
                    let anchor = anchor_span(&text, start, end)
                        .map_err(|problem| Error::Anchor { article_id: claim.article_id, problem })?;
                    (anchor, "chosen")
                }
            };
            let previous_quote = claim.anchor.previous_quote.clone().or_else(|| Some(claim.quote.clone()));
            claims::set_anchor(tx, &claim, &anchor, &ClaimAnchor::exact(version), &now)?;
            let set = ClaimAnchorSet {
                version,
                quote: anchor.quote.clone(),
                start: anchor.start,
                end: anchor.end,
                previous_quote,
                how: how.to_owned(),
            };
            self.record(tx, &now, subject_of(&claim), Event::ClaimAnchorSet(set))?;
            claims::get_live(tx, claim_id)
        })
    }

    /// Every version of an article, oldest first.
    pub fn versions(&self, article_id: i64) -> Result<Vec<ArticleVersion>> {
        self.store.read(|c| versions::list(c, article_id))
    }

    /// The canonical text of one version of an article.
    pub fn version_text(&self, article_id: i64, version: u32) -> Result<String> {
        self.store.read(|c| versions::text(c, article_id, version))
    }

    /// What changed between two versions, word by word.
    pub fn diff(&self, article_id: i64, from: u32, to: u32) -> Result<Vec<DiffPiece>> {
        let (old, new) =
            self.store.read(|c| Ok((versions::text(c, article_id, from)?, versions::text(c, article_id, to)?)))?;
        Ok(word_diff(&old, &new))
    }
}
