//! The HTML report: one self-contained file (inline CSS, no script, no external fetch)
//! that reads well on screen, on a phone and on paper. Every piece of article or user
//! text goes through `escape`; only http(s) URLs become links.

use std::io::{self, Write};

use sha2::{Digest, Sha256};

use super::document::{
    anchor_line, article_facts, contest_line, evidence_grades, generated_line, kept_copies, present_counts, short_time,
    status_label, totals_sentence, ChainState, Render, ReportArticle, ReportClaim, ReportHeader,
};
use crate::model::Status;
use crate::url::is_web_url;

/// The report's stylesheet, inlined in `<style>`.
pub const STYLESHEET: &str = include_str!("report.css");

/// The CSP source that allows exactly [`STYLESHEET`] (`'sha256-…'`). The app's CSP lists
/// it too, so the in-app preview can show the report without `unsafe-inline`.
pub fn stylesheet_csp_source() -> String {
    format!("'sha256-{}'", base64(&Sha256::digest(STYLESHEET.as_bytes())))
}

/// `&lt;U+202E&gt;`: a character shown as its code point, escaped for HTML.
fn escape_code(c: char) -> String {
    format!("&lt;U+{:04X}&gt;", c as u32)
}

/// Text from an article or a person, escaped and isolated (`<bdi>`): right-to-left text in
/// a title or a name never reorders the words around it.
fn bdi(text: &str) -> String {
    format!("<bdi>{}</bdi>", escape(text))
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab and newline have no business in a report.
            c if crate::text::is_unsafe_control(c) => out.push('\u{FFFD}'),
            // "Invoice \u{202E}fdp.exe" would read "Invoice exe.pdf": the override is shown.
            c if crate::text::is_bidi_override(c) => out.push_str(&escape_code(c)),
            c => out.push(c),
        }
    }
    out
}

fn link(url: &str) -> String {
    if is_web_url(url) {
        format!("<a href=\"{0}\" rel=\"noopener noreferrer\">{0}</a>", escape(url))
    } else {
        // Shown, never followed: a `javascript:` or `data:` URL stays inert text.
        format!("<span class=\"url\">{}</span>", escape(url))
    }
}

#[derive(Default)]
pub(super) struct Html {
    articles: usize,
}

impl Render for Html {
    fn begin(&mut self, out: &mut dyn Write, header: &ReportHeader) -> io::Result<()> {
        let title = "Verification report";
        writeln!(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">")?;
        writeln!(out, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")?;
        writeln!(
            out,
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src {}; img-src data:; base-uri 'none'; form-action 'none'\">",
            stylesheet_csp_source()
        )?;
        writeln!(out, "<meta name=\"referrer\" content=\"no-referrer\">")?;
        writeln!(out, "<meta name=\"generator\" content=\"Factdesk {}\">", escape(header.version))?;
        writeln!(out, "<title>{title} · Factdesk</title>\n<style>{STYLESHEET}</style>\n</head>\n<body>")?;
        writeln!(out, "<header>\n<p class=\"kicker\">Factdesk</p>\n<h1>{title}</h1>")?;
        writeln!(out, "<p class=\"meta\">{}</p>\n</header>", escape(&generated_line(header)))?;
        summary(out, header)?;
        writeln!(out, "<main>")
    }

    fn article(&mut self, out: &mut dyn Write, _header: &ReportHeader, article: &ReportArticle) -> io::Result<()> {
        self.articles += 1;
        let a = &article.article;
        writeln!(out, "<article class=\"article\" id=\"article-{}\">", a.id)?;
        writeln!(out, "<h2>{}</h2>\n<dl class=\"facts\">", bdi(&a.title))?;
        for (label, value) in article_facts(a) {
            writeln!(out, "<dt>{label}</dt><dd>{}</dd>", bdi(value))?;
        }
        if let Some(url) = &a.url {
            writeln!(out, "<dt>URL</dt><dd>{}</dd>", link(url))?;
        }
        writeln!(out, "<dt>Article id</dt><dd>{}</dd>", a.id)?;
        writeln!(out, "<dt>SHA-256</dt><dd><code>{}</code></dd>\n</dl>", escape(&a.sha256))?;
        let counts: Vec<String> = present_counts(&a.claim_counts)
            .into_iter()
            .map(|(s, n)| {
                let (symbol, word) = status_label(s);
                format!(
                    "<span class=\"s-{s}\"><span class=\"status\">{symbol}</span> {n} {}</span>",
                    word.to_lowercase()
                )
            })
            .collect();
        if counts.is_empty() {
            writeln!(out, "<p class=\"counts none\">No claims flagged in this article.</p>")?;
        } else {
            writeln!(out, "<p class=\"counts\">{}</p>", counts.join(" · "))?;
        }
        if !article.checks.is_empty() {
            writeln!(out, "<ul class=\"warnings checks\">")?;
            for check in &article.checks {
                writeln!(out, "<li>⚠ Check: {}</li>", escape(check))?;
            }
            writeln!(out, "</ul>")?;
        }
        if article.claims.is_empty() {
            if !counts.is_empty() {
                writeln!(out, "<p class=\"none\">No claims match this report's filter.</p>")?;
            }
        } else {
            writeln!(out, "<ol class=\"claims\">")?;
            for claim in &article.claims {
                write_claim(out, claim)?;
            }
            writeln!(out, "</ol>")?;
        }
        writeln!(out, "</article>")
    }

    fn end(&mut self, out: &mut dyn Write, header: &ReportHeader) -> io::Result<()> {
        if self.articles == 0 {
            writeln!(out, "<p class=\"none\">The library holds no articles yet.</p>")?;
        }
        writeln!(out, "</main>\n<footer class=\"integrity\">\n<h2>Integrity</h2>")?;
        match &header.chain {
            ChainState::Intact { events, head } => writeln!(
                out,
                "<p>History: {events} events, chain head <code>{}</code>. Run <code>factdesk verify</code> on the same library: \
                 while nothing has changed since this report, it prints the same head and count.</p>",
                escape(head)
            )?,
            ChainState::Broken { event_id, reason } => writeln!(
                out,
                "<p class=\"broken\">⚠ The history chain is broken at event {event_id}: {}. The record may have been altered; \
                 do not rely on this report before that is explained.</p>",
                escape(reason)
            )?,
        }
        writeln!(out, "</footer>\n</body>\n</html>")
    }
}

fn summary(out: &mut dyn Write, header: &ReportHeader) -> io::Result<()> {
    let t = &header.totals;
    writeln!(
        out,
        "<section class=\"summary\" aria-labelledby=\"summary-title\">\n<h2 id=\"summary-title\">Summary</h2>"
    )?;
    writeln!(out, "<p>{}</p>", escape(&totals_sentence(t)))?;
    if t.claims > 0 {
        let described: Vec<String> = Status::ALL
            .iter()
            .map(|s| format!("{} {}", t.claim_counts[s], status_label(*s).1.to_lowercase()))
            .collect();
        writeln!(
            out,
            "<svg class=\"bar\" viewBox=\"0 0 1000 10\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"{}\">",
            described.join(", ")
        )?;
        let mut x = 0u64;
        for s in Status::ALL {
            let width = (t.claim_counts[s] * 1000).checked_div(t.claims).unwrap_or(0);
            if width > 0 {
                writeln!(out, "<rect class=\"s-{s}\" x=\"{x}\" y=\"0\" width=\"{width}\" height=\"10\"/>")?;
            }
            x += width;
        }
        writeln!(out, "</svg>")?;
    }
    writeln!(out, "<ul class=\"legend\">")?;
    for s in Status::ALL {
        let (symbol, word) = status_label(*s);
        writeln!(
            out,
            "<li class=\"s-{s}\"><span class=\"sym\">{symbol}</span> {word} <strong>{}</strong></li>",
            t.claim_counts[s]
        )?;
    }
    writeln!(out, "</ul>")?;
    if t.needs_attention == 0 {
        if t.claims > 0 {
            writeln!(out, "<p>Nothing needs attention: every claim is decided and none carries a warning.</p>")?;
        }
    } else {
        writeln!(out, "<h3>Needs attention ({})</h3>\n<ul class=\"attention\">", t.needs_attention)?;
        for item in &t.attention {
            writeln!(
                out,
                "<li><a href=\"#claim-{}\">“{}”</a> <span class=\"meta\">({})</span></li>",
                item.claim_id,
                bdi(&shorten(&item.quote, 90)),
                escape(&item.reason())
            )?;
        }
        let unlisted = t.needs_attention - t.attention.len() as u64;
        if unlisted > 0 {
            writeln!(out, "<li>and {unlisted} more</li>")?;
        }
        writeln!(out, "</ul>")?;
    }
    writeln!(out, "</section>")
}

fn write_claim(out: &mut dyn Write, rc: &ReportClaim) -> io::Result<()> {
    let c = &rc.claim;
    let (symbol, word) = status_label(c.status);
    writeln!(out, "<li class=\"claim s-{}\" id=\"claim-{}\">", c.status, c.id)?;
    writeln!(
        out,
        "<p class=\"claim-head\"><span class=\"status\">{symbol} {word}</span> <span class=\"loc\">Claim {} · paragraph {} · characters {}–{}</span></p>",
        c.id, rc.context.paragraph, c.start, c.end
    )?;
    writeln!(
        out,
        "<blockquote class=\"context\"><p>{}<mark>{}</mark>{}</p></blockquote>",
        escape(&rc.context.before),
        bdi(&c.quote),
        escape(&rc.context.after)
    )?;
    if let Some(claimant) = &c.claimant {
        writeln!(out, "<p class=\"claimant\">Claimant: {}</p>", bdi(claimant))?;
    }
    if let Some(note) = &c.note {
        writeln!(out, "<p class=\"note\"><strong>Rationale:</strong> {}</p>", bdi(note))?;
    }
    if !c.warnings.is_empty() {
        writeln!(out, "<ul class=\"warnings\">")?;
        for warning in &c.warnings {
            writeln!(out, "<li>⚠ {}</li>", escape(warning))?;
        }
        writeln!(out, "</ul>")?;
    }
    if let Some(line) = anchor_line(rc) {
        writeln!(out, "<p class=\"anchor\">{}</p>", bdi(&line))?;
    }
    writeln!(out, "<h4>Evidence ({})</h4>", c.evidence.len())?;
    if c.evidence.is_empty() {
        writeln!(out, "<p class=\"none\">No evidence attached.</p>")?;
    } else {
        writeln!(out, "<ol class=\"evidence\">")?;
        for e in &c.evidence {
            write!(
                out,
                "<li><strong>{}</strong>: <cite>{}</cite> · {}",
                e.stance,
                bdi(&e.source.title),
                evidence_grades(e)
            )?;
            if let Some(url) = &e.source.url {
                write!(out, "<br>{}", link(url))?;
            }
            if let Some(excerpt) = &e.excerpt {
                write!(out, "<blockquote class=\"excerpt\">{}</blockquote>", escape(excerpt))?;
            }
            for kept in kept_copies(e) {
                write!(out, "<p class=\"kept\">{}</p>", bdi(&kept))?;
            }
            writeln!(out, "</li>")?;
        }
        writeln!(out, "</ol>")?;
    }
    writeln!(out, "<p class=\"stamps\">{}.</p>\n</li>", stamps(rc).join("; "))
}

/// Who flagged, decided and signed off a claim, and what keeps it from counting as decided.
fn stamps(rc: &ReportClaim) -> Vec<String> {
    let mut stamps = Vec::new();
    if let Some(f) = &rc.flagged {
        stamps.push(format!("Flagged by {} on {}", bdi(&f.by), escape(&short_time(&f.at))));
    }
    match &rc.decided {
        Some(d) => stamps.push(format!("status set by {} on {}", bdi(&d.by), escape(&short_time(&d.at)))),
        None => stamps.push("not reviewed yet".to_owned()),
    }
    if let Some(review) = &rc.claim.review {
        let what = match review.decision {
            crate::model::ReviewDecision::Approve => "signed off",
            crate::model::ReviewDecision::Reject => "sent back",
        };
        stamps.push(format!("{what} by {} on {}", bdi(&review.by), escape(&short_time(&review.at))));
    }
    if rc.awaiting_sign_off {
        stamps.push("awaiting an editor's sign-off: not decided yet".to_owned());
    }
    if let Some(line) = contest_line(&rc.claim, bdi, escape) {
        stamps.push(format!("<strong class=\"contested\">{line}</strong>"));
    }
    stamps
}

/// At most `max` code points, cut at a word boundary with `…`.
pub(super) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end())
}

/// Standard base64 with padding (RFC 4648), for the CSP hash.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        let vectors = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (input, expected) in vectors {
            assert_eq!(base64(input.as_bytes()), expected, "{input:?}");
        }
    }

    #[test]
    fn escape_leaves_no_markup_and_no_attribute_breakout() {
        let escaped = escape(r#"<script>alert(1)</script> "><img src=x onerror=alert(1)> 'x' & \u{0}"#);
        assert!(!escaped.contains(['<', '>', '"', '\'']), "{escaped}");
        assert!(escaped.contains("&lt;script&gt;") && escaped.contains("&amp;"));
    }

    #[test]
    fn only_web_urls_become_links() {
        assert!(link("https://example.org/a?b=1&c=2").starts_with("<a href=\"https://example.org/a?b=1&amp;c=2\""));
        for hostile in
            ["javascript:alert(1)", " JAVASCRIPT:alert(1)", "data:text/html,<b>", "https://x\u{0}.org", "vbscript:x"]
        {
            let shown = link(hostile);
            assert!(!shown.contains("href"), "{hostile:?} became a link: {shown}");
        }
    }

    #[test]
    fn shorten_cuts_at_a_word() {
        assert_eq!(shorten("short", 10), "short");
        assert_eq!(shorten("the harbour toll rose sharply", 20), "the harbour toll…");
    }
}
