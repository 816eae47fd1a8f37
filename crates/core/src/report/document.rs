//! What a report holds, between the walk over the ledger (`report/mod.rs`) and the
//! renderers (`html.rs`, `markdown.rs`, `json.rs`, `csv.rs`, `claimreview.rs`): the
//! header, one article at a time with its claims, the `Render` trait each format
//! implements, and the wording the human-readable formats share. The renderers import
//! only this module (and each other's escaping helpers), never the walk above them.

use std::io::{self, Write};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::model::{Article, Claim, ClaimCounts, Evidence, Status};
use crate::store::history::Stamp;
use crate::text::QuoteContext;

/// The JSON report's schema id; bump the number on any incompatible change.
pub const JSON_SCHEMA_ID: &str = "factdesk.report/2";
/// How many claims needing attention the summary lists by name (the count is always full).
pub const ATTENTION_LISTED: usize = 100;

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
    /// SHA-256 of the article version the claim was decided on (`claim.anchor.version`).
    pub version_sha256: String,
    /// The desk requires an editor's sign-off and this decided claim does not have one yet:
    /// it does not count as decided.
    pub awaiting_sign_off: bool,
}

/// What a contested claim's report says: the decisions that disagree, each by its member
/// (`name` shows a name, `text` any other text, in the renderer's escaping). `None` for a
/// claim no two members decided differently.
pub(crate) fn contest_line(
    claim: &Claim,
    name: impl Fn(&str) -> String,
    text: impl Fn(&str) -> String,
) -> Option<String> {
    let decisions = claim.contested.as_ref().filter(|d| !d.is_empty())?;
    let each: Vec<String> = decisions
        .iter()
        .map(|d| {
            // The decision this desk held before the contest may predate any member's name.
            let by = if d.author.is_empty() { text("this desk") } else { name(&d.author) };
            let when = if d.at.is_empty() { String::new() } else { text(&format!(" on {}", short_time(&d.at))) };
            let note = d.note.as_deref().map(|n| text(&format!(" (“{n}”)"))).unwrap_or_default();
            format!("{by}{}{when}{note}", text(&format!(" set it {}", d.to)))
        })
        .collect();
    Some(format!(
        "{}{}{}",
        text("contested: "),
        each.join(&text("; ")),
        text("; not decided until an editor settles it")
    ))
}

/// A line about a claim that did not simply stay in place when its article changed, or
/// that was decided on an older version; `None` for a claim exactly where it was flagged.
pub(crate) fn anchor_line(rc: &ReportClaim) -> Option<String> {
    use crate::model::AnchorState;
    let anchor = &rc.claim.anchor;
    let sha = crate::text::prefix(&rc.version_sha256, 16);
    match anchor.state {
        AnchorState::Exact if anchor.version == 1 => None,
        AnchorState::Exact | AnchorState::Moved => {
            Some(format!("On version {} (SHA-256 {sha}…), {} since the article changed", anchor.version, anchor.state))
        }
        AnchorState::Changed => Some(format!(
            "Changed: decided on version {} (SHA-256 {sha}…) as “{}”; the passage was edited since and needs a person to accept or fix the new span",
            anchor.version,
            anchor.previous_quote.as_deref().unwrap_or("")
        )),
        AnchorState::Orphaned => Some(format!(
            "Orphaned: decided on version {} (SHA-256 {sha}…); the passage is no longer in the article",
            anchor.version
        )),
    }
}

/// A format's writer. `begin` and `end` frame the document; `article` is called once
/// per article in order and must not keep the article after it returns.
pub(crate) trait Render {
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
pub(crate) fn evidence_grades(e: &Evidence) -> String {
    let mut grades = vec![e.source.kind.label().to_lowercase()];
    if let Some(r) = e.source.reliability {
        grades.push(format!("reliability {r}"));
    }
    if let Some(c) = e.credibility {
        grades.push(format!("credibility {c}"));
    }
    grades.join(" · ")
}

/// What of the evidence is kept in the library, for an editor checking it months later:
/// the capture (when, from which final URL, its hash) and the file (name, hash).
pub(crate) fn kept_copies(e: &Evidence) -> Vec<String> {
    let mut kept = Vec::new();
    if let Some(s) = &e.snapshot {
        kept.push(format!(
            "Page captured {} from {} (HTTP {}, {} bytes), SHA-256 {}",
            short_time(&s.fetched_at),
            s.final_url,
            s.status,
            s.bytes,
            s.sha256
        ));
    }
    if let Some(f) = &e.file {
        kept.push(format!("File {} ({}, {} bytes), SHA-256 {}", f.name, f.media_type, f.bytes, f.sha256));
    }
    kept
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
