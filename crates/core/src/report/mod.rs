//! Verification reports. One walk over the ledger (inside one read transaction, so the
//! report is a consistent snapshot) feeds a renderer per format: HTML, Markdown, JSON,
//! CSV, schema.org ClaimReview. Renderers write article by article to any `io::Write`,
//! so a library-wide report never holds the whole document in memory.

mod claimreview;
mod csv;
mod document;
mod html;
mod json;
mod markdown;

use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, TransactionBehavior};
use serde::Serialize;

use crate::checks::{IndexCache, LibraryIndex};
use crate::history::Verification;
use crate::model::{empty_counts, ChainHead, Claim, Status};
use crate::store::shared::ClaimFilter;
use crate::store::{articles, claims, history, versions};
use crate::{Error, Result};

use crate::text::ArticleText;
use document::Render;
pub use document::{
    Attention, ChainState, ReportArticle, ReportClaim, ReportHeader, Totals, ATTENTION_LISTED, JSON_SCHEMA_ID,
};
pub use html::stylesheet_csp_source;

/// The version of Factdesk that writes the report.
pub const FACTDESK_VERSION: &str = env!("CARGO_PKG_VERSION");
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Html,
    Markdown,
    Json,
    Csv,
    ClaimReview,
}

impl ReportFormat {
    pub const ALL: &'static [ReportFormat] =
        &[ReportFormat::Html, ReportFormat::Markdown, ReportFormat::Json, ReportFormat::Csv, ReportFormat::ClaimReview];

    /// The word used on the command line and in the app.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportFormat::Html => "html",
            ReportFormat::Markdown => "md",
            ReportFormat::Json => "json",
            ReportFormat::Csv => "csv",
            ReportFormat::ClaimReview => "claimreview",
        }
    }

    /// The file name extension a saved report gets.
    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Html => "html",
            ReportFormat::Markdown => "md",
            ReportFormat::Json => "json",
            ReportFormat::Csv => "csv",
            ReportFormat::ClaimReview => "jsonld",
        }
    }
}

impl fmt::Display for ReportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ReportFormat {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "html" => Ok(ReportFormat::Html),
            "md" | "markdown" => Ok(ReportFormat::Markdown),
            "json" => Ok(ReportFormat::Json),
            "csv" => Ok(ReportFormat::Csv),
            "claimreview" | "jsonld" => Ok(ReportFormat::ClaimReview),
            _ => Err(Error::invalid("format", format!("{s:?} is not one of html, md, json, csv, claimreview"))),
        }
    }
}

/// Which articles a report covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportScope {
    /// These articles, in this order (repeats ignored).
    Articles(Vec<i64>),
    /// Every article in the library, in import order.
    All,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRequest {
    pub scope: ReportScope,
    pub format: ReportFormat,
    /// Only claims with this status (article counts still cover every claim).
    pub status: Option<Status>,
    pub generated_at: DateTime<Utc>,
    /// Who made the report (the actor).
    pub generated_by: String,
    /// The organization that publishes ClaimReview; without it, the actor as a person.
    pub publisher: Option<String>,
}

/// What a report held, for the caller to tell the user.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ReportSummary {
    pub articles: u64,
    pub claims: u64,
    pub evidence: u64,
    /// Claims the format leaves out: ClaimReview publishes decided claims only.
    pub left_out_unreviewed: u64,
}

/// Whether the summary lists a claim: it carries warnings or is still unreviewed.
fn needs_attention(claim: &Claim) -> bool {
    !claim.warnings.is_empty()
        || claim.status == Status::Unreviewed
        || matches!(claim.anchor.state, crate::model::AnchorState::Changed | crate::model::AnchorState::Orphaned)
        || claim.contested.as_ref().is_some_and(|d| !d.is_empty())
}

fn renderer(format: ReportFormat) -> Box<dyn Render> {
    match format {
        ReportFormat::Html => Box::new(html::Html::default()),
        ReportFormat::Markdown => Box::new(markdown::Markdown),
        ReportFormat::Json => Box::new(json::Json::default()),
        ReportFormat::Csv => Box::new(csv::Csv),
        ReportFormat::ClaimReview => Box::new(claimreview::ClaimReview::default()),
    }
}

/// Writes the report `request` asks for to `out`. Called by `Library::write_report`
/// with the library's connection and the index of people and figures it keeps.
pub(crate) fn write_report(
    conn: &Connection,
    request: &ReportRequest,
    out: &mut dyn Write,
    index_cache: &IndexCache,
) -> Result<ReportSummary> {
    // One snapshot for both passes and every article, even while the app keeps writing.
    let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Deferred)?;
    let ids = article_ids(&tx, &request.scope)?;
    let mut render = renderer(request.format);
    let chain = match history::verify(&tx)? {
        Verification::Intact(ChainHead { events, head }) => ChainState::Intact { events, head },
        Verification::Broken { event_id, reason } => ChainState::Broken { event_id, reason },
    };
    let totals = if render.needs_totals() { totals(&tx, &ids, request.status)? } else { Totals::default() };
    let header = ReportHeader {
        generated_at: request.generated_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        generated_by: request.generated_by.clone(),
        version: FACTDESK_VERSION,
        status_filter: request.status,
        publisher: request.publisher.clone().filter(|p| !p.trim().is_empty()),
        chain,
        totals,
    };

    let review_required = history::review_required(&tx)?;
    let shows_checks = render.shows_checks();
    let mut write_articles = |index: Option<&LibraryIndex>| -> Result<ReportSummary> {
        let mut summary = ReportSummary::default();
        render.begin(out, &header)?;
        for &id in &ids {
            let article = load_article(&tx, id, request.status, index, review_required)?;
            summary.articles += 1;
            summary.claims += article.claims.len() as u64;
            summary.evidence += article.claims.iter().map(|c| c.claim.evidence.len() as u64).sum::<u64>();
            render.article(out, &header, &article)?;
        }
        render.end(out, &header)?;
        out.flush()?;
        summary.left_out_unreviewed = render.left_out();
        Ok(summary)
    };
    // The library's index of people and figures, brought up to this snapshot.
    if shows_checks {
        index_cache.with_fresh(&tx, |index| write_articles(Some(index)))
    } else {
        write_articles(None)
    }
}

fn article_ids(conn: &Connection, scope: &ReportScope) -> Result<Vec<i64>> {
    match scope {
        ReportScope::All => articles::ids(conn),
        ReportScope::Articles(wanted) => {
            let mut ids = Vec::with_capacity(wanted.len());
            for &id in wanted {
                if !articles::exists(conn, id)? {
                    return Err(Error::ArticleNotFound(id));
                }
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            if ids.is_empty() {
                return Err(Error::invalid("articles", "name at least one article, or ask for all"));
            }
            Ok(ids)
        }
    }
}

/// `review_required`: the desk's sign-off rule, read once per report (finding the newest
/// rule scans the history).
fn load_article(
    conn: &Connection,
    id: i64,
    status: Option<Status>,
    index: Option<&LibraryIndex>,
    review_required: bool,
) -> Result<ReportArticle> {
    let article = articles::get(conn, id)?;
    let text = articles::text(conn, id)?;
    let findings = index.map(|index| index.checks(id, &text).findings()).unwrap_or_default();
    let mut stamps = history::claim_stamps(conn, id)?;
    let text = ArticleText::new(&text);
    let checks = findings.iter().map(|finding| finding.located(&text)).collect();
    let version_sha: std::collections::HashMap<u32, String> =
        versions::list(conn, id)?.into_iter().map(|v| (v.version, v.sha256)).collect();
    // An orphan's offsets index the version it was decided on: its context comes from there.
    let mut old_texts: std::collections::HashMap<u32, ArticleText> = std::collections::HashMap::new();
    let mut claims = Vec::new();
    for claim in claims::list(conn, ClaimFilter { article_id: Some(id), status })? {
        let stamps = stamps.remove(&claim.id).unwrap_or_default();
        let context = if claim.anchor.in_newest_text() {
            text.context(claim.start, claim.end)
        } else {
            let old = match old_texts.entry(claim.anchor.version) {
                std::collections::hash_map::Entry::Occupied(kept) => kept.into_mut(),
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(ArticleText::new(&versions::text(conn, id, claim.anchor.version)?))
                }
            };
            old.context(claim.start, claim.end)
        };
        let version_sha256 = version_sha.get(&claim.anchor.version).cloned().unwrap_or_default();
        let awaiting_sign_off = review_required
            && claim.status != Status::Unreviewed
            && claim.review.as_ref().is_none_or(|r| r.decision != crate::model::ReviewDecision::Approve);
        claims.push(ReportClaim {
            claim,
            context,
            flagged: stamps.flagged,
            decided: stamps.decided,
            version_sha256,
            awaiting_sign_off,
        });
    }
    Ok(ReportArticle { article, claims, checks })
}

/// The summary's pass: claims with evidence and warnings only (no text, contexts or
/// stamps), one article at a time.
fn totals(conn: &Connection, ids: &[i64], status: Option<Status>) -> Result<Totals> {
    let mut totals = Totals { claim_counts: empty_counts(), ..Totals::default() };
    for &id in ids {
        totals.articles += 1;
        for claim in claims::list(conn, ClaimFilter { article_id: Some(id), status })? {
            totals.claims += 1;
            totals.evidence += claim.evidence.len() as u64;
            *totals.claim_counts.entry(claim.status).or_default() += 1;
            if needs_attention(&claim) {
                totals.needs_attention += 1;
                if totals.attention.len() < ATTENTION_LISTED {
                    let contest = document::contest_line(&claim, str::to_owned, str::to_owned);
                    let mut warnings = claim.warnings;
                    // Why a claim a new version moved needs a person, beside the rule warnings.
                    match claim.anchor.state {
                        crate::model::AnchorState::Changed => warnings.push(format!(
                            "its passage changed after it was decided on version {}: accept or fix the new span",
                            claim.anchor.version
                        )),
                        crate::model::AnchorState::Orphaned => warnings.push(format!(
                            "its passage is gone from the article since version {}",
                            claim.anchor.version
                        )),
                        _ => {}
                    }
                    warnings.extend(contest);
                    totals.attention.push(Attention {
                        article_id: id,
                        claim_id: claim.id,
                        quote: claim.quote,
                        status: claim.status,
                        warnings,
                    });
                }
            }
        }
    }
    Ok(totals)
}

/// Runs `write` on a temporary file beside `path`, then renames it onto `path`; on any
/// error the temporary file is removed and `path` is left as it was.
pub(crate) fn save_atomically<T>(path: &Path, write: impl FnOnce(&mut dyn Write) -> Result<T>) -> Result<T> {
    let file_name =
        path.file_name().ok_or_else(|| Error::invalid("output", format!("{} is not a file name", path.display())))?;
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    let temp = dir.join(format!(".{}.{}.part", file_name.to_string_lossy(), std::process::id()));
    let result = (|| {
        let file = std::fs::OpenOptions::new().write(true).create_new(true).open(&temp)?;
        let mut out = io::BufWriter::new(file);
        let value = write(&mut out)?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&temp, path)?;
        Ok(value)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.map_err(|e| match e {
        Error::ReportOutput(io) => Error::ReportOutput(io::Error::new(io.kind(), format!("{}: {io}", path.display()))),
        other => other,
    })
}

/// The time a report says it was generated; parsed from RFC 3339 (`--now`), so tests
/// and reproducible builds of a report can fix it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GeneratedAt(pub DateTime<Utc>);

impl GeneratedAt {
    pub fn now() -> GeneratedAt {
        GeneratedAt(Utc::now())
    }
}

impl FromStr for GeneratedAt {
    type Err = Error;
    fn from_str(text: &str) -> Result<Self> {
        DateTime::parse_from_rfc3339(text.trim()).map(|t| GeneratedAt(t.with_timezone(&Utc))).map_err(|e| {
            Error::invalid("now", format!("{text:?} is not an RFC 3339 time such as 2026-11-25T16:00:00Z ({e})"))
        })
    }
}
