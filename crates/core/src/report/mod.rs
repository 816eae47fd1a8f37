//! Verification reports. One walk over the ledger (inside one read transaction, so the
//! report is a consistent snapshot) feeds a renderer per format: HTML, Markdown, JSON,
//! CSV, schema.org ClaimReview. Renderers write article by article to any `io::Write`,
//! so a library-wide report never holds the whole document in memory.

mod claimreview;
mod csv;
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
use crate::model::{empty_counts, Article, ChainHead, Claim, ClaimCounts, Status};
use crate::store::history::Stamp;
use crate::store::shared::ClaimFilter;
use crate::store::{articles, claims, history};
use crate::{Error, Result};

use crate::text::{ArticleText, QuoteContext};
pub use html::stylesheet_csp_source;

/// The version of Factdesk that writes the report.
pub const FACTDESK_VERSION: &str = env!("CARGO_PKG_VERSION");
/// The JSON report's schema id; bump the number on any incompatible change.
pub const JSON_SCHEMA_ID: &str = "factdesk.report/1";
/// How many claims needing attention the summary lists by name (the count is always full).
pub const ATTENTION_LISTED: usize = 100;

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

/// The state of the history chain when the report was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ChainState {
    Intact { events: u64, head: String },
    Broken { event_id: i64, reason: String },
}

/// What the report's first lines say: who, when, what, and the summary over all claims.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportHeader {
    /// RFC 3339, seconds, UTC.
    pub generated_at: String,
    pub generated_by: String,
    pub version: &'static str,
    pub status_filter: Option<Status>,
    pub publisher: Option<String>,
    pub chain: ChainState,
    pub totals: Totals,
}

/// Counts over the claims in the report. Only filled for formats that print a summary
/// before the claims (HTML, Markdown, JSON); that needs a first pass over the data.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Totals {
    pub articles: u64,
    pub claims: u64,
    pub evidence: u64,
    pub claim_counts: ClaimCounts,
    /// Claims with warnings or still unreviewed.
    pub needs_attention: u64,
    /// The first [`ATTENTION_LISTED`] of them.
    #[serde(skip)]
    pub attention: Vec<Attention>,
}

/// A claim the summary points at.
#[derive(Debug, Clone, PartialEq)]
pub struct Attention {
    pub article_id: i64,
    pub claim_id: i64,
    pub quote: String,
    pub status: Status,
    pub warnings: Vec<String>,
}

impl Attention {
    /// `unreviewed`, or the status and its warnings: `confirmed: only 1 supporting source…`.
    pub fn reason(&self) -> String {
        let status = status_label(self.status).1.to_lowercase();
        if self.warnings.is_empty() {
            status
        } else {
            format!("{status}: {}", self.warnings.join("; "))
        }
    }
}

/// One article as a report shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportArticle {
    pub article: Article,
    pub claims: Vec<ReportClaim>,
    /// The assistant's findings: names spelled two ways, figures that disagree.
    pub checks: Vec<String>,
}

/// One claim with where it sits and who decided it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportClaim {
    pub claim: Claim,
    pub context: QuoteContext,
    pub flagged: Option<Stamp>,
    /// The last status change; `None` while the claim has never left `unreviewed`.
    pub decided: Option<Stamp>,
}

/// Whether the summary lists a claim: it carries warnings or is still unreviewed.
fn needs_attention(claim: &Claim) -> bool {
    !claim.warnings.is_empty() || claim.status == Status::Unreviewed
}

/// A format's writer. `begin` and `end` frame the document; `article` is called once
/// per article in order and must not keep the article after it returns.
trait Render {
    fn begin(&mut self, out: &mut dyn Write, header: &ReportHeader) -> io::Result<()>;
    fn article(&mut self, out: &mut dyn Write, header: &ReportHeader, article: &ReportArticle) -> io::Result<()>;
    fn end(&mut self, out: &mut dyn Write, header: &ReportHeader) -> io::Result<()>;
    /// Whether `begin` prints totals, which costs a first pass over the data.
    fn needs_totals(&self) -> bool {
        true
    }
    /// Whether `article` shows the assistant's checks, which reads every article's text.
    fn shows_checks(&self) -> bool {
        true
    }
    /// Claims this format leaves out.
    fn left_out(&self) -> u64 {
        0
    }
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

    let shows_checks = render.shows_checks();
    let mut write_articles = |index: Option<&LibraryIndex>| -> Result<ReportSummary> {
        let mut summary = ReportSummary::default();
        render.begin(out, &header)?;
        for &id in &ids {
            let article = load_article(&tx, id, request.status, index)?;
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

fn load_article(
    conn: &Connection,
    id: i64,
    status: Option<Status>,
    index: Option<&LibraryIndex>,
) -> Result<ReportArticle> {
    let article = articles::get(conn, id)?;
    let text = articles::text(conn, id)?;
    let findings = index.map(|index| index.checks(id, &text).findings()).unwrap_or_default();
    let mut stamps = history::claim_stamps(conn, id)?;
    let text = ArticleText::new(&text);
    let checks = findings.iter().map(|finding| finding.located(&text)).collect();
    let claims = claims::list(conn, ClaimFilter { article_id: Some(id), status })?
        .into_iter()
        .map(|claim| {
            let stamps = stamps.remove(&claim.id).unwrap_or_default();
            let context = text.context(claim.start, claim.end);
            ReportClaim { claim, context, flagged: stamps.flagged, decided: stamps.decided }
        })
        .collect();
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
                    totals.attention.push(Attention {
                        article_id: id,
                        claim_id: claim.id,
                        quote: claim.quote,
                        status: claim.status,
                        warnings: claim.warnings,
                    });
                }
            }
        }
    }
    Ok(totals)
}

// ----- wording shared by the human-readable formats (HTML, Markdown) ----------------------
// Plain text; each format escapes it its own way.

/// `Generated 2026-02-01 12:00 UTC by Ana · Factdesk 0.1.0[ · only claims marked false]`.
pub(crate) fn generated_line(header: &ReportHeader) -> String {
    let mut line = format!(
        "Generated {} by {} · Factdesk {}",
        short_time(&header.generated_at),
        header.generated_by,
        header.version
    );
    if let Some(status) = header.status_filter {
        line.push_str(&format!(" · only claims marked {}", status_label(status).1.to_lowercase()));
    }
    line
}

/// `7 claims in 3 articles, with 7 evidence items.`
pub(crate) fn totals_sentence(t: &Totals) -> String {
    format!(
        "{} in {}, with {}.",
        plural(t.claims, "claim", "claims"),
        plural(t.articles, "article", "articles"),
        plural(t.evidence, "evidence item", "evidence items")
    )
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// An article's known facts as (label, value), in report order; missing ones left out.
pub(crate) fn article_facts(a: &Article) -> Vec<(&'static str, &str)> {
    [("Outlet", &a.outlet), ("Author", &a.author), ("Dateline", &a.dateline), ("Published", &a.published)]
        .into_iter()
        .filter_map(|(label, value)| value.as_deref().map(|v| (label, v)))
        .collect()
}

/// The statuses an article has claims in, with their counts, in status order.
pub(crate) fn present_counts(counts: &ClaimCounts) -> Vec<(Status, u64)> {
    Status::ALL.iter().filter(|s| counts[s] > 0).map(|s| (*s, counts[s])).collect()
}

/// `official statement · reliability B · credibility 2`.
pub(crate) fn evidence_grades(e: &crate::model::Evidence) -> String {
    let mut grades = vec![e.source.kind.label().to_lowercase()];
    if let Some(r) = e.source.reliability {
        grades.push(format!("reliability {r}"));
    }
    if let Some(c) = e.credibility {
        grades.push(format!("credibility {c}"));
    }
    grades.join(" · ")
}

/// A status as a reader sees it: a symbol (so colour is never the only cue) and a word.
pub(crate) fn status_label(status: Status) -> (&'static str, &'static str) {
    (status.symbol(), status.label())
}

/// `2026-11-25T16:40:00.123456Z` → `2026-11-25 16:40 UTC`; anything else as it is.
pub(crate) fn short_time(rfc3339: &str) -> String {
    match DateTime::parse_from_rfc3339(rfc3339) {
        Ok(t) => t.with_timezone(&Utc).format("%Y-%m-%d %H:%M UTC").to_string(),
        Err(_) => rfc3339.to_owned(),
    }
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
