//! The JSON report, schema `factdesk.report/2` (documented in `docs/report.schema.json`).
//! Written field by field and article by article, pretty-printed, so a library-wide
//! report streams.

use std::io::{self, Write};

use serde::Serialize;

use super::document::{Render, ReportArticle, ReportClaim, ReportHeader, JSON_SCHEMA_ID};
use crate::model::{ClaimCounts, FileInfo, SnapshotInfo, SourceRef, Stance, Status};
use crate::store::history::Stamp;
use crate::text::json_inert;

#[derive(Default)]
pub(super) struct Json {
    articles: usize,
}

#[derive(Serialize)]
struct JsonArticle<'a> {
    id: i64,
    title: &'a str,
    outlet: Option<&'a str>,
    author: Option<&'a str>,
    dateline: Option<&'a str>,
    published: Option<&'a str>,
    url: Option<&'a str>,
    sha256: &'a str,
    word_count: u64,
    claim_counts: &'a ClaimCounts,
    checks: &'a [String],
    claims: Vec<JsonClaim<'a>>,
}

#[derive(Serialize)]
struct JsonClaim<'a> {
    id: i64,
    quote: &'a str,
    location: Location,
    context: Context<'a>,
    claimant: Option<&'a str>,
    status: Status,
    note: Option<&'a str>,
    warnings: &'a [String],
    flagged: Option<&'a Stamp>,
    decided: Option<&'a Stamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    review: Option<&'a crate::model::ClaimReview>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    awaiting_sign_off: bool,
    /// Two members' decisions that disagree, until an editor settles the claim.
    #[serde(skip_serializing_if = "Option::is_none")]
    contested: Option<&'a [crate::model::ContestDecision]>,
    anchor: JsonAnchor<'a>,
    evidence: Vec<JsonEvidence<'a>>,
}

#[derive(Serialize)]
struct JsonAnchor<'a> {
    state: crate::model::AnchorState,
    version: u32,
    version_sha256: &'a str,
    previous_quote: Option<&'a str>,
}

#[derive(Serialize)]
struct Location {
    paragraph: usize,
    start: usize,
    end: usize,
}

#[derive(Serialize)]
struct Context<'a> {
    before: &'a str,
    after: &'a str,
}

#[derive(Serialize)]
struct JsonEvidence<'a> {
    id: i64,
    source: &'a SourceRef,
    stance: Stance,
    credibility: Option<u8>,
    excerpt: Option<&'a str>,
    added_at: &'a str,
    snapshot: Option<&'a SnapshotInfo>,
    file: Option<&'a FileInfo>,
}

fn claim(rc: &ReportClaim) -> JsonClaim<'_> {
    let c = &rc.claim;
    JsonClaim {
        id: c.id,
        quote: &c.quote,
        location: Location { paragraph: rc.context.paragraph, start: c.start, end: c.end },
        context: Context { before: &rc.context.before, after: &rc.context.after },
        claimant: c.claimant.as_deref(),
        status: c.status,
        note: c.note.as_deref(),
        warnings: &c.warnings,
        flagged: rc.flagged.as_ref(),
        decided: rc.decided.as_ref(),
        review: c.review.as_ref(),
        awaiting_sign_off: rc.awaiting_sign_off,
        contested: c.contested.as_deref().filter(|d| !d.is_empty()),
        anchor: JsonAnchor {
            state: c.anchor.state,
            version: c.anchor.version,
            version_sha256: &rc.version_sha256,
            previous_quote: c.anchor.previous_quote.as_deref(),
        },
        evidence: c
            .evidence
            .iter()
            .map(|e| JsonEvidence {
                id: e.id,
                source: &e.source,
                stance: e.stance,
                credibility: e.credibility.map(|c| c.get()),
                excerpt: e.excerpt.as_deref(),
                added_at: &e.added_at,
                snapshot: e.snapshot.as_ref(),
                file: e.file.as_ref(),
            })
            .collect(),
    }
}

/// `value` pretty-printed with every line after the first indented by `indent` spaces.
pub(super) fn pretty_indented(value: &impl Serialize, indent: usize) -> io::Result<String> {
    let text = json_inert(&serde_json::to_string_pretty(value)?).into_owned();
    // JSON strings never hold a raw newline, so splitting lines cannot cut a string.
    Ok(text.replace('\n', &format!("\n{}", " ".repeat(indent))))
}

/// One JSON string (or other scalar), made inert.
fn scalar<T: Serialize + ?Sized>(value: &T) -> io::Result<String> {
    Ok(json_inert(&serde_json::to_string(value)?).into_owned())
}

impl Render for Json {
    fn begin(&mut self, out: &mut dyn Write, header: &ReportHeader) -> io::Result<()> {
        writeln!(out, "{{")?;
        writeln!(out, "  \"schema\": {},", scalar(JSON_SCHEMA_ID)?)?;
        writeln!(out, "  \"generated_at\": {},", scalar(&header.generated_at)?)?;
        writeln!(out, "  \"generated_by\": {},", scalar(&header.generated_by)?)?;
        writeln!(out, "  \"factdesk_version\": {},", scalar(header.version)?)?;
        writeln!(out, "  \"status_filter\": {},", scalar(&header.status_filter)?)?;
        writeln!(out, "  \"history\": {},", pretty_indented(&header.chain, 2)?)?;
        writeln!(out, "  \"summary\": {},", pretty_indented(&header.totals, 2)?)?;
        write!(out, "  \"articles\": [")
    }

    fn article(&mut self, out: &mut dyn Write, _header: &ReportHeader, article: &ReportArticle) -> io::Result<()> {
        let a = &article.article;
        let value = JsonArticle {
            id: a.id,
            title: &a.title,
            outlet: a.outlet.as_deref(),
            author: a.author.as_deref(),
            dateline: a.dateline.as_deref(),
            published: a.published.as_deref(),
            url: a.url.as_deref(),
            sha256: &a.sha256,
            word_count: a.word_count,
            claim_counts: &a.claim_counts,
            checks: &article.checks,
            claims: article.claims.iter().map(claim).collect(),
        };
        let separator = if self.articles == 0 { "" } else { "," };
        self.articles += 1;
        write!(out, "{separator}\n    {}", pretty_indented(&value, 4)?)
    }

    fn end(&mut self, out: &mut dyn Write, _header: &ReportHeader) -> io::Result<()> {
        if self.articles > 0 {
            write!(out, "\n  ")?;
        }
        writeln!(out, "]\n}}")
    }
}
