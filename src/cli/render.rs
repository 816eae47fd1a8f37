//! Plain-text output: aligned tables and short descriptions a person can scan.

use factdesk_core::{Article, ArticleDetail, Claim, Evidence, HistoryEvent, SearchHit, SnapshotInfo, Source, Status};

/// A table whose columns are as wide as their widest cell; the last column is not padded.
pub struct Table {
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&str]) -> Table {
        Table { rows: vec![header.iter().map(|h| h.to_string()).collect()] }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn render(&self) -> String {
        let columns = self.rows[0].len();
        let widths: Vec<usize> =
            (0..columns).map(|i| self.rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0)).collect();
        let mut out = String::new();
        for row in &self.rows {
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate() {
                line.push_str(cell);
                if i + 1 < columns {
                    line.push_str(&" ".repeat(widths[i] - cell.chars().count() + 2));
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

pub use factdesk_core::text::clip;

fn or_dash(value: &Option<String>) -> String {
    value.clone().unwrap_or_else(|| "—".to_owned())
}

/// `3 (1 confirmed, 2 unreviewed)`, or `0`.
pub fn claim_summary(article: &Article) -> String {
    let total: u64 = article.claim_counts.values().sum();
    let parts: Vec<String> = Status::ALL
        .iter()
        .filter_map(|s| article.claim_counts.get(s).filter(|n| **n > 0).map(|n| format!("{n} {s}")))
        .collect();
    if parts.is_empty() {
        total.to_string()
    } else {
        format!("{total} ({})", parts.join(", "))
    }
}

pub fn articles(articles: &[Article]) -> String {
    if articles.is_empty() {
        return "The library is empty. Add an article with: factdesk import FILE\n".to_owned();
    }
    let mut table = Table::new(&["ID", "PUBLISHED", "OUTLET", "WORDS", "CLAIMS", "TITLE"]);
    for a in articles {
        table.row(vec![
            a.id.to_string(),
            or_dash(&a.published),
            clip(&or_dash(&a.outlet), 24),
            a.word_count.to_string(),
            claim_summary(a),
            clip(&a.title, 70),
        ]);
    }
    table.render()
}

pub fn article_line(article: &Article) -> String {
    format!("article {}  {} ({} words)", article.id, clip(&article.title, 80), article.word_count)
}

pub fn article_detail(detail: &ArticleDetail) -> String {
    let a = &detail.article;
    let mut out = format!("{}\n{}\n", a.title, "=".repeat(a.title.chars().count().min(80)));
    let fields = [
        ("Article", Some(a.id.to_string())),
        ("Outlet", a.outlet.clone()),
        ("Author", a.author.clone()),
        ("Dateline", a.dateline.clone()),
        ("Published", a.published.clone()),
        ("URL", a.url.clone()),
        ("Words", Some(a.word_count.to_string())),
        ("Claims", Some(claim_summary(a))),
        ("SHA-256", Some(a.sha256.clone())),
    ];
    for (label, value) in fields {
        if let Some(value) = value {
            out.push_str(&format!("{label:<10} {value}\n"));
        }
    }
    out.push('\n');
    out.push_str(&detail.text);
    out.push_str("\n\n");
    if detail.claims.is_empty() {
        out.push_str(&format!("No claims flagged yet. Flag one with: factdesk claim add {} --quote \"…\"\n", a.id));
    } else {
        out.push_str("Claims\n------\n");
        out.push_str(&claims(&detail.claims));
    }
    out
}

pub fn claims(claims: &[Claim]) -> String {
    if claims.is_empty() {
        return "No claims match.\n".to_owned();
    }
    let mut table = Table::new(&["ID", "ARTICLE", "STATUS", "EVIDENCE", "CLAIMANT", "QUOTE"]);
    for c in claims {
        let mut status = if c.warnings.is_empty() { c.status.to_string() } else { format!("{} (!)", c.status) };
        if matches!(c.anchor.state, factdesk_core::AnchorState::Changed | factdesk_core::AnchorState::Orphaned) {
            status.push_str(&format!(" [{}]", c.anchor.state));
        }
        table.row(vec![
            c.id.to_string(),
            c.article_id.to_string(),
            status,
            c.evidence.len().to_string(),
            clip(&or_dash(&c.claimant), 24),
            format!("“{}”", clip(&c.quote, 60)),
        ]);
    }
    let mut out = table.render();
    let warned = claims.iter().filter(|c| !c.warnings.is_empty()).count();
    if warned > 0 {
        out.push_str(&format!("(!) {warned} claim(s) carry warnings; see them with --json or in the app.\n"));
    }
    out
}

/// A claim and everything attached to it, for commands that change one claim.
pub fn claim(claim: &Claim) -> String {
    let mut out = format!(
        "claim {}  [{}]  article {}, characters {}–{}\n  “{}”\n",
        claim.id,
        claim.status,
        claim.article_id,
        claim.start,
        claim.end,
        clip(&claim.quote, 200)
    );
    if let Some(claimant) = &claim.claimant {
        out.push_str(&format!("  claimant: {claimant}\n"));
    }
    if let Some(member) = &claim.assigned_to {
        out.push_str(&format!("  assigned to: {member}\n"));
    }
    if let Some(review) = &claim.review {
        out.push_str(&format!("  review: {} by {} on {}\n", review.decision.label(), review.by, review.at));
    }
    for decision in claim.contested.iter().flatten() {
        out.push_str(&format!("  contested: {} set {} → {}\n", decision.author, decision.from, decision.to));
    }
    let anchor = &claim.anchor;
    match anchor.state {
        factdesk_core::AnchorState::Exact | factdesk_core::AnchorState::Moved if anchor.version > 1 => {
            out.push_str(&format!("  anchor: {} in version {}\n", anchor.state, anchor.version));
        }
        factdesk_core::AnchorState::Changed => out.push_str(&format!(
            "  anchor: changed since version {}, decided as “{}”; accept the span above with: factdesk claim anchor {} --accept\n",
            anchor.version,
            clip(anchor.previous_quote.as_deref().unwrap_or(""), 120),
            claim.id
        )),
        factdesk_core::AnchorState::Orphaned => out.push_str(&format!(
            "  anchor: orphaned (its passage is gone since version {}); place it with: factdesk claim anchor {} --quote \"…\"\n",
            anchor.version, claim.id
        )),
        _ => {}
    }
    if let Some(note) = &claim.note {
        out.push_str(&format!("  note: {}\n", clip(note, 200)));
    }
    for e in &claim.evidence {
        out.push_str(&format!("  {}\n", evidence(e)));
    }
    for w in &claim.warnings {
        out.push_str(&format!("  warning: {w}\n"));
    }
    out
}

pub fn evidence(e: &Evidence) -> String {
    let grade = format!(
        "{}{}",
        e.source.reliability.map_or("–".to_owned(), |r| r.to_string()),
        e.credibility.map_or("–".to_owned(), |c| c.to_string())
    );
    let url = e.source.url.as_ref().map(|u| format!(" <{u}>")).unwrap_or_default();
    let mut line = format!(
        "evidence {}: {} — source {} “{}”{} [{}, {}]",
        e.id,
        e.stance,
        e.source.id,
        clip(&e.source.title, 60),
        url,
        e.source.kind,
        grade
    );
    if let Some(snapshot) = &e.snapshot {
        line.push_str(&format!("\n    captured: {}", snapshot_line(snapshot)));
    }
    if let Some(file) = &e.file {
        line.push_str(&format!(
            "\n    file {}: {} ({}, {} bytes, SHA-256 {})",
            file.id,
            clip(&file.name, 60),
            file.media_type,
            file.bytes,
            file.sha256
        ));
    }
    line
}

/// What a new version did to an article's claims, for a note on stderr.
pub fn version_note(article: &Article, counts: &factdesk_core::AnchorCounts) -> String {
    let mut line = format!(
        "same URL as article {}: now its version {} (claims: {} exact, {} moved, {} changed, {} orphaned)",
        article.id, article.version, counts.exact, counts.moved, counts.changed, counts.orphaned
    );
    if counts.changed + counts.orphaned > 0 {
        line.push_str(&format!("; see them with: factdesk claim list --article {}", article.id));
    }
    line.push_str("; use --new to import it as a separate article");
    line
}

/// One snapshot: what, when, from where, and its hash.
pub fn snapshot_line(s: &SnapshotInfo) -> String {
    let redirected = if s.final_url == s.url { String::new() } else { format!(" → {}", s.final_url) };
    format!(
        "snapshot {} of {}{redirected}, HTTP {}, {}, {} bytes, fetched {}, SHA-256 {}",
        s.id,
        s.url,
        s.status,
        s.content_type.as_deref().unwrap_or("no content type"),
        s.bytes,
        s.fetched_at,
        s.sha256
    )
}

pub fn snapshots(snapshots: &[SnapshotInfo]) -> String {
    if snapshots.is_empty() {
        return "No captured pages yet. Import a URL with: factdesk import https://…, or capture evidence with --capture\n"
            .to_owned();
    }
    let mut table = Table::new(&["ID", "OF", "STATUS", "BYTES", "FETCHED", "SHA-256", "FINAL URL"]);
    for s in snapshots {
        let of = match (s.article_id, s.evidence_id) {
            (Some(article), _) => format!("article {article}"),
            (_, Some(evidence)) => format!("evidence {evidence}"),
            _ => "–".to_owned(),
        };
        table.row(vec![
            s.id.to_string(),
            of,
            s.status.to_string(),
            s.bytes.to_string(),
            s.fetched_at.clone(),
            factdesk_core::text::prefix(&s.sha256, 16).to_owned(),
            s.final_url.clone(),
        ]);
    }
    table.render()
}

pub fn sources(sources: &[Source]) -> String {
    if sources.is_empty() {
        return "No sources yet. Attach one with: factdesk evidence add CLAIM --title \"…\" --url …\n".to_owned();
    }
    let mut table = Table::new(&["ID", "KIND", "RELIABILITY", "USED", "TITLE", "URL"]);
    for s in sources {
        let s_ref = &s.source;
        table.row(vec![
            s_ref.id.to_string(),
            s_ref.kind.to_string(),
            s_ref.reliability.map_or("—".to_owned(), |r| r.to_string()),
            s.used_by.to_string(),
            clip(&s_ref.title, 50),
            or_dash(&s_ref.url),
        ]);
    }
    table.render()
}

pub fn history(events: &[HistoryEvent]) -> String {
    if events.is_empty() {
        return "No history yet.\n".to_owned();
    }
    let mut out = String::new();
    for e in events {
        let subject = match (e.claim_id, e.article_id) {
            (Some(claim), _) => format!("claim {claim}"),
            (None, Some(article)) => format!("article {article}"),
            (None, None) => "library".to_owned(),
        };
        // The summary is the core's one wording of the event (`Event::describe`).
        out.push_str(&format!("#{:<5} {}  {:<10} {} {}\n", e.id, e.at, subject, clip(&e.actor, 24), e.summary));
    }
    out
}

pub fn search(hits: &[SearchHit]) -> String {
    if hits.is_empty() {
        return "Nothing found.\n".to_owned();
    }
    let mut out = String::new();
    for hit in hits {
        match hit.claim_id {
            Some(claim) => {
                out.push_str(&format!("claim {claim} in article {}  {}\n", hit.article_id, clip(&hit.title, 60)))
            }
            None => out.push_str(&format!("article {}  {}\n", hit.article_id, clip(&hit.title, 70))),
        }
        out.push_str(&format!("    {}\n", clip(&hit.snippet, 120)));
    }
    out
}

/// Suggestions as `score  start..end  sentence` lines, with the reasons under each.
pub fn suggestions(suggestions: &[factdesk_core::assist::Suggestion]) -> String {
    if suggestions.is_empty() {
        return "no sentence scores above the threshold\n".to_owned();
    }
    let mut out = String::new();
    for s in suggestions {
        out.push_str(&format!("{:.2}  {}..{}  {}\n", s.score, s.start, s.end, s.text));
        if let Some(claimant) = &s.claimant {
            out.push_str(&format!("      claimant: {claimant}\n"));
        }
        if !s.reasons.is_empty() {
            out.push_str(&format!("      because: {}\n", s.reasons.join("; ")));
        }
    }
    out
}

/// Every article with findings: its id and title, then one finding a line.
pub fn all_checks(articles: &[factdesk_core::assist::ArticleFindings]) -> String {
    if articles.is_empty() {
        return "no article has a name spelled two ways or figures that disagree\n".to_owned();
    }
    let mut out = String::new();
    for a in articles {
        out.push_str(&format!("article {}  {}\n", a.article_id, clip(&a.title, 70)));
        for f in &a.findings {
            out.push_str(&format!("    {}\n", f.message));
        }
    }
    out
}

/// The assistant's checks, one finding a line, with the paragraphs each points at.
pub fn checks(checks: &factdesk_core::assist::ArticleChecks, text: &factdesk_core::text::ArticleText) -> String {
    if checks.is_empty() {
        return "no name spelled two ways, no figures that disagree\n".to_owned();
    }
    checks.findings().iter().map(|f| f.located(text) + "\n").collect()
}

pub fn versions(article: i64, versions: &[factdesk_core::ArticleVersion]) -> String {
    let mut table = Table::new(&["VERSION", "IMPORTED", "WORDS", "BYTES", "SHA-256", "SOURCE"]);
    for v in versions {
        table.row(vec![
            v.version.to_string(),
            v.imported_at.clone(),
            v.words.to_string(),
            v.bytes.to_string(),
            factdesk_core::text::prefix(&v.sha256, 16).to_owned(),
            clip(&v.source, 40),
        ]);
    }
    format!("Article {article}\n{}", table.render())
}

pub fn version_outcome(outcome: &factdesk_core::VersionOutcome) -> String {
    match outcome {
        factdesk_core::VersionOutcome::Added { article, counts } => format!(
            "article {} is now at version {}: claims {} exact, {} moved, {} changed, {} orphaned\n",
            article.id, article.version, counts.exact, counts.moved, counts.changed, counts.orphaned
        ),
        factdesk_core::VersionOutcome::Unchanged(article) => {
            format!("article {}: the text is the same as version {}; no new version\n", article.id, article.version)
        }
    }
}

/// A word diff for a terminal: deletions as `[-…-]`, insertions as `{+…+}` (the form
/// `git diff --word-diff` uses), so it reads without colour too.
pub fn diff(pieces: &[factdesk_core::reanchor::DiffPiece]) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece.kind {
            "delete" => out.push_str(&format!("[-{}-]", piece.text)),
            "insert" => out.push_str(&format!("{{+{}+}}", piece.text)),
            _ => out.push_str(&piece.text),
        }
    }
    out.push('\n');
    out
}
