//! The CSV report: one row per claim × evidence item (a claim without evidence is still
//! one row), UTF-8, header first, RFC 4180 quoting, CRLF line ends. Text cells that a
//! spreadsheet would read as a formula are neutralized as OWASP's CSV-injection guidance
//! says: a leading `=`, `+`, `-`, `@`, tab or carriage return gets a `'` in front.

use std::io::{self, Write};

use super::document::{contest_line, Render, ReportArticle, ReportHeader};
use crate::model::Evidence;

#[rustfmt::skip]
pub const COLUMNS: &[&str] = &[
    "article_id", "article_title", "article_url", "article_sha256", "claim_id", "paragraph", "start", "end",
    "quote", "claimant", "status", "note", "warnings", "flagged_by", "flagged_at", "decided_by", "decided_at",
    "evidence_id", "source_id", "source_title", "source_url", "source_kind", "reliability", "stance", "credibility",
    "excerpt", "kept_copy",
];

/// One cell, quoted when needed and safe to open in a spreadsheet.
pub fn cell(text: &str) -> String {
    // No terminal escape or other control character survives into a cell (a spreadsheet or
    // `cat` of the file would act on it); newlines stay, inside quotes.
    let mut shown = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            c if c != '\r' && crate::text::is_unsafe_control(c) => shown.push('\u{FFFD}'),
            c if crate::text::is_bidi_override(c) => shown.push_str(&crate::text::shown_as_code(c)),
            c => shown.push(c),
        }
    }
    let text = shown;
    let neutralized =
        if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.clone() };
    if neutralized.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", neutralized.replace('"', "\"\""))
    } else {
        neutralized
    }
}

pub(super) struct Csv;

fn row(out: &mut dyn Write, cells: &[String]) -> io::Result<()> {
    let line: Vec<String> = cells.iter().map(|c| cell(c)).collect();
    write!(out, "{}\r\n", line.join(","))
}

impl Render for Csv {
    fn begin(&mut self, out: &mut dyn Write, _header: &ReportHeader) -> io::Result<()> {
        write!(out, "{}\r\n", COLUMNS.join(","))
    }

    fn article(&mut self, out: &mut dyn Write, _header: &ReportHeader, article: &ReportArticle) -> io::Result<()> {
        let a = &article.article;
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        for rc in &article.claims {
            let c = &rc.claim;
            let claim_cells = vec![
                a.id.to_string(),
                a.title.clone(),
                text(&a.url),
                a.sha256.clone(),
                c.id.to_string(),
                rc.context.paragraph.to_string(),
                c.start.to_string(),
                c.end.to_string(),
                c.quote.clone(),
                text(&c.claimant),
                c.status.to_string(),
                text(&c.note),
                // A contest has no column of its own: it is what the reader must not miss.
                c.warnings
                    .iter()
                    .cloned()
                    .chain(contest_line(c, str::to_owned, str::to_owned))
                    .collect::<Vec<_>>()
                    .join(" | "),
                rc.flagged.as_ref().map(|s| s.by.clone()).unwrap_or_default(),
                rc.flagged.as_ref().map(|s| s.at.clone()).unwrap_or_default(),
                rc.decided.as_ref().map(|s| s.by.clone()).unwrap_or_default(),
                rc.decided.as_ref().map(|s| s.at.clone()).unwrap_or_default(),
            ];
            if c.evidence.is_empty() {
                let mut cells = claim_cells.clone();
                cells.resize(COLUMNS.len(), String::new());
                row(out, &cells)?;
            }
            for e in &c.evidence {
                let mut cells = claim_cells.clone();
                cells.extend(evidence_cells(e));
                row(out, &cells)?;
            }
        }
        Ok(())
    }

    fn end(&mut self, _out: &mut dyn Write, _header: &ReportHeader) -> io::Result<()> {
        Ok(())
    }

    fn needs_totals(&self) -> bool {
        false
    }

    fn shows_checks(&self) -> bool {
        false
    }
}

fn evidence_cells(e: &Evidence) -> Vec<String> {
    vec![
        e.id.to_string(),
        e.source.id.to_string(),
        e.source.title.clone(),
        e.source.url.clone().unwrap_or_default(),
        e.source.kind.to_string(),
        e.source.reliability.map(|r| r.to_string()).unwrap_or_default(),
        e.stance.to_string(),
        e.credibility.map(|c| c.to_string()).unwrap_or_default(),
        e.excerpt.clone().unwrap_or_default(),
        super::document::kept_copies(e).join("; "),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralized_and_quoting_follows_rfc_4180() {
        let cases = [
            ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "\"'\r=1\""),
            ("plain text", "plain text"),
            ("a, b", "\"a, b\""),
            ("line\nbreak", "\"line\nbreak\""),
            ("say \"x\"", "\"say \"\"x\"\"\""),
            ("", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(cell(input), expected, "{input:?}");
        }
    }

    #[test]
    fn every_row_has_every_column() {
        assert_eq!(evidence_cells_len(), COLUMNS.len() - COLUMNS.iter().position(|c| *c == "evidence_id").unwrap());
    }

    fn evidence_cells_len() -> usize {
        use crate::model::{SourceKind, SourceRef, Stance};
        let e = Evidence {
            id: 1,
            claim_id: 1,
            source: SourceRef { id: 1, title: "t".into(), url: None, kind: SourceKind::Document, reliability: None },
            stance: Stance::Supports,
            credibility: None,
            excerpt: None,
            added_at: String::new(),
            file: None,
            snapshot: None,
        };
        evidence_cells(&e).len()
    }
}
