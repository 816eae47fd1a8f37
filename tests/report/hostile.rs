//! Hostile input in every field a report prints: nothing becomes live markup, no link
//! leads anywhere but the web, no cell runs as a spreadsheet formula.

use factdesk_core::{
    ClaimTarget, Format, Library, NewClaim, NewEvidence, ReportFormat, ReportScope, SourceChoice, Stance, Status,
};

use super::fixture;

const SCRIPT: &str = "<script>window.pwned=1</script>";
const BREAKOUT: &str = "\"><img src=x onerror=alert(1)>";

/// A library whose article, claims, notes and sources are all attacks, and whose stored
/// URLs were edited (as an old or tampered file might hold) to `javascript:` and `data:`.
fn hostile_library(dir: &std::path::Path) -> Library {
    let db = dir.join("library.sqlite");
    let article = dir.join("hostile.txt");
    std::fs::write(
        &article,
        format!(
            "{SCRIPT} Headline {BREAKOUT}\n\nBy <b onmouseover=alert(1)>Mallory</b>\n\n\
             The mayor said =HYPERLINK(\"http://evil.example\",\"pay\") costs rose {SCRIPT}.\n\n\
             Officials said -2+3 was **bold** [a link](javascript:alert(1)) <iframe src=javascript:alert(1)></iframe>.\n\n\
             Minister Elena Vasquez said the figure was right.\n"
        ),
    )
    .unwrap();
    // A second article, hostile title, naming the minister another way: the first
    // article's checks quote this title.
    let second_article = dir.join("hostile-2.txt");
    std::fs::write(&second_article, format!("{SCRIPT}{BREAKOUT} part two\n\nMinister Elena Vazquez said so.\n"))
        .unwrap();
    let library = fixture::open(&db).reporter;
    let id = library.import_file(&article, Format::Text).unwrap().article().id;
    library.import_file(&second_article, Format::Text).unwrap();
    let flag = |quote: &str, claimant: &str| {
        let target = ClaimTarget::Quote { quote: quote.to_owned(), occurrence: None };
        let claim = NewClaim {
            article_id: id,
            target,
            claimant: Some(claimant.to_owned()),
            note: Some(format!("{SCRIPT}{BREAKOUT}")),
        };
        library.add_claim(claim).unwrap().id
    };
    let first = flag("=HYPERLINK(\"http://evil.example\",\"pay\") costs rose", "@SUM(1+1)");
    let second = flag("**bold** [a link](javascript:alert(1)) <iframe src=javascript:alert(1)></iframe>", BREAKOUT);
    for (claim, title, url) in [
        (first, format!("+1 {SCRIPT}"), "https://evil.example/a?x=\"><script>"),
        (second, "<a href=\"javascript:alert(1)\">click</a>".to_owned(), "https://evil.example/b"),
        (second, "-IMPORTXML(A1)".to_owned(), "https://evil.example/c"),
    ] {
        let source = SourceChoice::Described { title, url: Some(url.to_owned()), kind: None };
        library
            .add_evidence(NewEvidence {
                claim_id: claim,
                source,
                reliability: None,
                stance: Stance::Supports,
                credibility: None,
                excerpt: Some(format!("\t=cmd|' /C calc'!A0 {SCRIPT}")),
            })
            .unwrap();
    }
    library.set_status(first, Status::False, Some("\r=1+1".into())).unwrap();
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute("UPDATE articles SET url = 'javascript:alert(document.cookie)'", []).unwrap();
    conn.execute("UPDATE sources SET url = ' JaVaScRiPt:alert(1)' WHERE id = 2", []).unwrap();
    conn.execute("UPDATE sources SET url = 'data:text/html,<script>alert(1)</script>' WHERE id = 3", []).unwrap();
    library
}

fn report(library: &Library, format: ReportFormat) -> String {
    fixture::render(library, &fixture::request(format, ReportScope::All, None))
}

/// The elements and attributes our HTML report is made of; anything else is injected.
const TAGS: &[&str] = &[
    "!doctype",
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "header",
    "main",
    "footer",
    "section",
    "article",
    "h1",
    "h2",
    "h3",
    "h4",
    "p",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "a",
    "span",
    "strong",
    "code",
    "blockquote",
    "mark",
    "bdi",
    "cite",
    "br",
    "svg",
    "rect",
];
const ATTRIBUTES: &[&str] = &[
    "lang",
    "charset",
    "name",
    "content",
    "http-equiv",
    "class",
    "id",
    "href",
    "rel",
    "role",
    "aria-label",
    "aria-labelledby",
    "viewbox",
    "preserveaspectratio",
    "x",
    "y",
    "width",
    "height",
    "html",
];

/// A tag: its name and `(attribute, value)` pairs, read the way an HTML parser would
/// (quoted values may hold `>`).
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let closing = rest.starts_with('/');
        let body = rest.trim_start_matches('/');
        let name_len = body.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(body.len());
        let name = body[..name_len].to_ascii_lowercase();
        let mut attrs = Vec::new();
        let mut cursor = &body[name_len..];
        loop {
            cursor = cursor.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
            if cursor.is_empty() || cursor.starts_with('>') {
                break;
            }
            let key_len = cursor.find(|c: char| c.is_whitespace() || c == '=' || c == '>').unwrap_or(cursor.len());
            let key = cursor[..key_len].to_ascii_lowercase();
            cursor = &cursor[key_len..];
            let mut value = String::new();
            if let Some(after) = cursor.strip_prefix('=') {
                let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'');
                match quote {
                    Some(q) => {
                        let end = after[1..].find(q).expect("closed attribute quote");
                        value = after[1..1 + end].to_owned();
                        cursor = &after[end + 2..];
                    }
                    None => {
                        let end = after.find(|c: char| c.is_whitespace() || c == '>').unwrap_or(after.len());
                        value = after[..end].to_owned();
                        cursor = &after[end..];
                    }
                }
            }
            attrs.push((key, value));
        }
        if !closing {
            found.push((name.clone(), attrs));
        }
        rest = cursor;
        if name == "style" && !closing {
            // CSS holds no markup; skip to the end of the block.
            rest = &rest[rest.find("</style>").expect("style closes")..];
        }
    }
    found
}

#[test]
fn html_report_has_no_live_markup_from_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let library = hostile_library(dir.path());
    let html = report(&library, ReportFormat::Html);
    let tags = tags(&html);
    assert!(tags.len() > 40, "the scanner found too few tags to be right: {}", tags.len());
    for (name, attrs) in &tags {
        assert!(TAGS.contains(&name.as_str()), "injected element <{name}> in the report");
        for (key, value) in attrs {
            assert!(ATTRIBUTES.contains(&key.as_str()), "injected attribute {key}={value:?} on <{name}>");
            if key == "href" {
                assert!(
                    value.starts_with("https://") || value.starts_with("http://") || value.starts_with('#'),
                    "href {value:?}"
                );
            }
        }
    }
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script") && !lower.contains("href=\"javascript") && !lower.contains("href=\"data:"));
    // The attacks are shown, as text: a reader can see what the article held.
    assert!(html.contains("&lt;script&gt;window.pwned=1&lt;/script&gt;"));
    assert!(html.contains("javascript:alert(document.cookie)"), "the bad article URL is still shown as text");
    assert!(
        html.contains(
            "is spelled “Elena Vazquez” in article 2 (&lt;script&gt;window.pwned=1&lt;/script&gt;&quot;&gt;&lt;img"
        ),
        "the checks quote the other article's hostile title, escaped"
    );
}

#[test]
fn markdown_report_escapes_markup_and_links_only_to_the_web() {
    let dir = tempfile::tempdir().unwrap();
    let library = hostile_library(dir.path());
    let md = report(&library, ReportFormat::Markdown);
    for (i, line) in md.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find('<') {
            rest = &rest[at..];
            let allowed = rest.starts_with("<https://")
                || rest.starts_with("<http://")
                || rest.starts_with("<a id=\"claim-")
                || rest.starts_with("</a>");
            assert!(allowed, "line {}: raw `<` in {line:?}", i + 1);
            rest = &rest[1..];
        }
        for target in ["](javascript", "](data:"] {
            for (at, _) in line.match_indices(target) {
                assert!(line[..at].ends_with('\\'), "line {}: live link in {line:?}", i + 1);
            }
        }
    }
    assert!(
        md.contains("\\*\\*bold\\*\\* \\[a link\\](javascript:alert(1))"),
        "markdown syntax in the article is escaped"
    );
}

/// Reads RFC 4180 CSV (quoted cells may hold commas, quotes and line breaks).
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = vec![];
    let mut row = vec![];
    let mut cell = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') if cell.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    assert!(!quoted && cell.is_empty() && row.is_empty(), "CSV ends mid-row");
    rows
}

#[test]
fn csv_cells_cannot_run_as_formulas() {
    let dir = tempfile::tempdir().unwrap();
    let library = hostile_library(dir.path());
    let csv = report(&library, ReportFormat::Csv);
    let rows = parse_csv(&csv);
    let width = rows[0].len();
    assert_eq!(rows.len(), 1 + 3, "header + one row per claim × evidence item");
    let mut neutralized = 0;
    for row in &rows {
        assert_eq!(row.len(), width, "ragged row {row:?}");
        for cell in row {
            assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "formula cell {cell:?}");
            if cell.starts_with("'=")
                || cell.starts_with("'+")
                || cell.starts_with("'-")
                || cell.starts_with("'@")
                || cell.starts_with("'\t")
                || cell.starts_with("'\r")
            {
                neutralized += 1;
            }
        }
    }
    // Row 1: quote, claimant, note (trimmed to `=1+1`), source title `+1…`, excerpt;
    // rows 2 and 3: one source title `-IMPORTXML…` and two excerpts.
    assert_eq!(neutralized, 8, "cells neutralized");
    let column = |name: &str| rows[0].iter().position(|c| c == name).unwrap();
    assert_eq!(rows[1][column("claimant")], "'@SUM(1+1)");
    assert_eq!(rows[1][column("note")], "'=1+1");
    assert_eq!(rows[1][column("excerpt")], format!("'=cmd|' /C calc'!A0 {SCRIPT}"), "trimmed, then neutralized");
}

#[test]
fn json_and_claimreview_keep_hostile_text_as_data() {
    let dir = tempfile::tempdir().unwrap();
    let library = hostile_library(dir.path());
    let json: serde_json::Value = serde_json::from_str(&report(&library, ReportFormat::Json)).unwrap();
    let claim = &json["articles"][0]["claims"][1];
    assert_eq!(claim["note"], format!("{SCRIPT}{BREAKOUT}"), "JSON carries the text exactly");
    let reviews: serde_json::Value = serde_json::from_str(&report(&library, ReportFormat::ClaimReview)).unwrap();
    assert_eq!(reviews.as_array().unwrap().len(), 1, "one decided claim, one unreviewed left out");
    assert_eq!(reviews[0]["reviewRating"]["alternateName"], "False");
}

/// The published JSON-LD can be pasted into a page as it is: nothing in the data closes
/// the script element or starts markup, only web addresses are published, and a browser's
/// parser hands the script's JSON back unchanged.
#[test]
fn claimreview_is_safe_to_embed_in_a_page() {
    let dir = tempfile::tempdir().unwrap();
    let library = hostile_library(dir.path());
    let jsonld = report(&library, ReportFormat::ClaimReview);
    assert!(!jsonld.contains(['<', '>', '&', '\u{2028}', '\u{2029}']), "{jsonld}");
    assert!(!jsonld.to_ascii_lowercase().contains("javascript:"), "a non-web URL is published: {jsonld}");
    let published: serde_json::Value = serde_json::from_str(&jsonld).unwrap();
    assert!(
        published.to_string().contains("\\\"><img src=x onerror=alert(1)>"),
        "the claimant's text is kept, escaped: {published}"
    );

    let page = format!("<!doctype html><html><head><script type=\"application/ld+json\">{jsonld}</script></head><body><p id=after>after</p></body></html>");
    let document = dom_query::Document::from(page.as_str());
    let scripts = document.select("script");
    assert_eq!(scripts.length(), 1, "the data opened no other script");
    let embedded: serde_json::Value = serde_json::from_str(&scripts.text()).unwrap();
    assert_eq!(embedded, published);
    assert_eq!(document.select("#after").text().as_ref(), "after", "the page after the script is intact");
    assert_eq!(document.select("img").length(), 0);
}

/// JSON and ClaimReview sent to a terminal carry no control or bidi character as itself,
/// even from a library that stored some before they were refused.
#[test]
fn json_reports_write_control_and_bidi_characters_as_escapes() {
    let dir = tempfile::tempdir().unwrap();
    let library = hostile_library(dir.path());
    let conn = rusqlite::Connection::open(dir.path().join("library.sqlite")).unwrap();
    conn.execute("UPDATE claims SET claimant = 'Port \u{9b}31m \u{202E}gepj.exe \u{1b}[2J'", []).unwrap();
    for format in [ReportFormat::Json, ReportFormat::ClaimReview] {
        let text = report(&library, format);
        let bad = text.chars().find(|&c| {
            (c.is_control() && c != '\n')
                || ('\u{80}'..='\u{9f}').contains(&c)
                || ('\u{202A}'..='\u{202E}').contains(&c)
        });
        assert_eq!(bad, None, "{format:?}");
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert!(value.to_string().contains("\u{202E}gepj.exe"), "{format:?}: the data is kept");
    }
}
