//! The Markdown report: the HTML report's content for GitHub and common editors. Article
//! and user text is escaped twice over: Markdown syntax gets a backslash, and `<`, `>`,
//! `&` become entities, since most renderers pass raw HTML through.

use std::io::{self, Write};

use super::document::{
    anchor_line, article_facts, contest_line, evidence_grades, generated_line, kept_copies, present_counts, short_time,
    status_label, totals_sentence, ChainState, Render, ReportArticle, ReportClaim, ReportHeader,
};
use super::html::shorten;
use crate::model::Status;
use crate::url::is_web_url;

/// Escapes text for inline Markdown: no emphasis, links, code, headings, lists or HTML.
/// Newlines become spaces, so text cannot break out of its line or block.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // Enough for inline text: newlines are gone, so line-start syntax (`#`, `-`,
            // `1.`) cannot occur, and without `[` no link or image can open.
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() || ('\u{80}'..='\u{9f}').contains(&c) => out.push('\u{FFFD}'),
            c if crate::text::is_bidi_override(c) => out.push_str(&crate::text::shown_as_code(c)),
            c => out.push(c),
        }
    }
    out
}

/// A URL as an autolink when it is a web address (escaped so it cannot close the link),
/// else as escaped text.
fn link(url: &str) -> String {
    if is_web_url(url) && !url.contains(['<', '>', ' ']) {
        format!("<{url}>")
    } else {
        escape(url)
    }
}

pub(super) struct Markdown;

impl Render for Markdown {
    fn begin(&mut self, out: &mut dyn Write, header: &ReportHeader) -> io::Result<()> {
        writeln!(out, "# Verification report\n")?;
        write!(out, "{}", escape(&generated_line(header)))?;
        writeln!(out, "\n\n## Summary\n")?;
        let t = &header.totals;
        writeln!(out, "{}\n", escape(&totals_sentence(t)))?;
        writeln!(out, "| Status | Claims |\n| :-- | --: |")?;
        for s in Status::ALL {
            let (symbol, word) = status_label(*s);
            writeln!(out, "| {symbol} {word} | {} |", t.claim_counts[s])?;
        }
        writeln!(out)?;
        if t.needs_attention > 0 {
            writeln!(out, "### Needs attention ({})\n", t.needs_attention)?;
            for item in &t.attention {
                writeln!(
                    out,
                    "- [“{}”](#claim-{}) ({})",
                    escape(&shorten(&item.quote, 90)),
                    item.claim_id,
                    escape(&item.reason())
                )?;
            }
            let unlisted = t.needs_attention - t.attention.len() as u64;
            if unlisted > 0 {
                writeln!(out, "- and {unlisted} more")?;
            }
            writeln!(out)?;
        } else if t.claims > 0 {
            writeln!(out, "Nothing needs attention: every claim is decided and none carries a warning.\n")?;
        }
        Ok(())
    }

    fn article(&mut self, out: &mut dyn Write, _header: &ReportHeader, article: &ReportArticle) -> io::Result<()> {
        let a = &article.article;
        writeln!(out, "---\n\n## {}\n", escape(&a.title))?;
        for (label, value) in article_facts(a) {
            writeln!(out, "- **{label}:** {}", escape(value))?;
        }
        if let Some(url) = &a.url {
            writeln!(out, "- **URL:** {}", link(url))?;
        }
        writeln!(out, "- **Article id:** {}", a.id)?;
        writeln!(out, "- **SHA-256:** `{}`", a.sha256.replace('`', ""))?;
        let counts: Vec<String> = present_counts(&a.claim_counts)
            .into_iter()
            .map(|(s, n)| {
                let (symbol, word) = status_label(s);
                format!("{symbol} {n} {}", word.to_lowercase())
            })
            .collect();
        if counts.is_empty() {
            writeln!(out, "- **Claims:** none flagged\n")?;
        } else {
            writeln!(out, "- **Claims:** {}\n", counts.join(" · "))?;
        }
        for check in &article.checks {
            writeln!(out, "- **⚠ Check:** {}", escape(check))?;
        }
        if !article.checks.is_empty() {
            writeln!(out)?;
        }
        for claim in &article.claims {
            write_claim(out, claim)?;
        }
        Ok(())
    }

    fn end(&mut self, out: &mut dyn Write, header: &ReportHeader) -> io::Result<()> {
        writeln!(out, "---\n\n## Integrity\n")?;
        match &header.chain {
            ChainState::Intact { events, head } => writeln!(
                out,
                "History: {events} events, chain head `{head}`. Run `factdesk verify` on the same library: \
                 while nothing has changed since this report, it prints the same head and count."
            ),
            ChainState::Broken { event_id, reason } => writeln!(
                out,
                "**⚠ The history chain is broken at event {event_id}: {}.** The record may have been altered; \
                 do not rely on this report before that is explained.",
                escape(reason)
            ),
        }
    }
}

fn write_claim(out: &mut dyn Write, rc: &ReportClaim) -> io::Result<()> {
    let c = &rc.claim;
    let (symbol, word) = status_label(c.status);
    writeln!(out, "<a id=\"claim-{}\"></a>\n", c.id)?;
    writeln!(out, "### {symbol} {word}: claim {}\n", c.id)?;
    writeln!(out, "> {}**{}**{}\n", escape(&rc.context.before), escape(&c.quote), escape(&rc.context.after))?;
    writeln!(out, "- **Where:** paragraph {}, characters {}–{}", rc.context.paragraph, c.start, c.end)?;
    if let Some(claimant) = &c.claimant {
        writeln!(out, "- **Claimant:** {}", escape(claimant))?;
    }
    if let Some(note) = &c.note {
        writeln!(out, "- **Rationale:** {}", escape(note))?;
    }
    for warning in &c.warnings {
        writeln!(out, "- **⚠ Warning:** {}", escape(warning))?;
    }
    if let Some(f) = &rc.flagged {
        writeln!(out, "- **Flagged:** by {} on {}", escape(&f.by), escape(&short_time(&f.at)))?;
    }
    match &rc.decided {
        Some(d) => writeln!(out, "- **Status set:** by {} on {}", escape(&d.by), escape(&short_time(&d.at)))?,
        None => writeln!(out, "- **Status set:** not reviewed yet")?,
    }
    if let Some(review) = &rc.claim.review {
        let what = match review.decision {
            crate::model::ReviewDecision::Approve => "Signed off",
            crate::model::ReviewDecision::Reject => "Sent back",
        };
        writeln!(out, "- **{what}:** by {} on {}", escape(&review.by), escape(&short_time(&review.at)))?;
    }
    if rc.awaiting_sign_off {
        writeln!(out, "- **Sign-off:** awaiting an editor's; not decided yet")?;
    }
    if let Some(line) = contest_line(c, escape, escape) {
        let line = line.strip_prefix("contested: ").unwrap_or(&line);
        writeln!(out, "- **Contested:** {line}")?;
    }
    if let Some(line) = anchor_line(rc) {
        writeln!(out, "- **Version:** {}", escape(&line))?;
    }
    if c.evidence.is_empty() {
        writeln!(out, "- **Evidence:** none attached")?;
    } else {
        writeln!(out, "- **Evidence ({}):**", c.evidence.len())?;
        for e in &c.evidence {
            write!(out, "  - *{}*: {} · {}", e.stance, escape(&e.source.title), evidence_grades(e))?;
            if let Some(url) = &e.source.url {
                write!(out, " · {}", link(url))?;
            }
            writeln!(out)?;
            if let Some(excerpt) = &e.excerpt {
                writeln!(out, "    > {}", escape(excerpt))?;
            }
            for kept in kept_copies(e) {
                writeln!(out, "    - {}", escape(&kept))?;
            }
        }
    }
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_neutralizes_markdown_and_html() {
        let escaped = escape("**bold** [x](javascript:alert(1)) <img src=x onerror=y>\n# heading `code`");
        assert!(!escaped.contains('<') && !escaped.contains('\n'));
        assert!(escaped.contains("\\*\\*bold\\*\\*") && escaped.contains("\\[x\\](javascript:alert(1))"), "{escaped}");
        assert!(escaped.contains(" # heading \\`code\\`"), "{escaped}");
    }

    #[test]
    fn only_web_urls_become_autolinks() {
        assert_eq!(link("https://example.org/x_y"), "<https://example.org/x_y>");
        assert_eq!(link("javascript:alert(1)"), "javascript:alert(1)");
        assert_eq!(link("https://example.org/<b>"), "https://example.org/&lt;b&gt;");
    }
}
