//! Text from files, pages and other people never acts on the terminal, and URLs are read
//! the way a browser reads them.

use super::support::Library;

const ESC: char = '\u{1b}';

/// Nothing a terminal would act on: ESC, BEL, a lone CR, C1 controls, bidi controls.
#[track_caller]
fn assert_inert(output: &str) {
    let bad = output.char_indices().find(|&(i, c)| {
        (c.is_control() && c != '\n' && c != '\t' && !(c == '\r' && output[i + 1..].starts_with('\n')))
            || ('\u{202A}'..='\u{202E}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    });
    assert!(bad.is_none(), "a control character reached the terminal: {bad:?} in {output:?}");
}

/// A saved page whose title and author carry escape sequences as entities: decoded at
/// import, they never reach storage or the terminal.
#[test]
fn escape_sequences_in_a_page_never_reach_the_terminal() {
    let library = Library::new();
    let page = library.path("clear-screen.html");
    std::fs::write(
        &page,
        "<!doctype html><html><head><title>Budget &#27;[2J&#27;[H vote</title>\
         <meta name=author content=\"Mallory &#27;]0;pwned&#7;\"></head>\
         <body><article><p>The council approved the budget on Monday after a long debate, \
         officials said, and the vote was 31 to 12.</p><p>Opposition members said the figures \
         were wrong &#155;31m and asked for an audit of the &#8238;fdp.exe spending.</p></article></body></html>",
    )
    .unwrap();
    let imported = library.ok_json(&["import", page.to_str().unwrap()]);
    let title = imported[0]["title"].as_str().unwrap();
    assert!(!title.contains(ESC) && title.contains('\u{FFFD}'), "stored title: {title:?}");
    assert!(!imported[0]["author"].as_str().unwrap_or("").contains(ESC));
    for args in [vec!["articles"], vec!["show", "1"], vec!["search", "budget"], vec!["history"]] {
        let run = library.ok(&args);
        assert_inert(&run.stdout);
        assert_inert(&run.stderr);
    }
    // The bidi override is kept in the text (it may be legitimate) but shown, not obeyed.
    let shown = library.ok(&["show", "1"]).stdout;
    assert!(shown.contains("<U+202E>fdp.exe"), "{shown}");
}

/// Libraries written before these checks (or edited by hand) may hold control characters:
/// every command still prints them inert, and JSON carries them as escapes.
#[test]
fn stored_control_characters_are_shown_not_obeyed() {
    let library = Library::new();
    let article = library.import(&["wire-harbour.txt"])[0].to_string();
    let claim = library.claim(article.parse().unwrap(), "1,200 containers counted twice").to_string();
    library.ok(&["evidence", "add", &claim, "--title", "Audit", "--url", "https://audit.example.gov/r"]);
    let conn = library.sql();
    conn.execute_batch(
        "UPDATE sources SET title = 'Audit \u{1b}[2J\u{1b}]0;x\u{7}';
         UPDATE articles SET title = 'Harbour \u{9b}31m \u{202E}gepj.exe', outlet = 'Wire\r';
         UPDATE claims SET claimant = 'Port \u{1b}[31mdirector';",
    )
    .unwrap();
    for args in [
        vec!["articles"],
        vec!["show", "1"],
        vec!["sources"],
        vec!["claim", "list"],
        vec!["search", "harbour"],
        vec!["report", "1", "--format", "csv"],
        vec!["report", "1", "--format", "md"],
        vec!["articles", "--json"],
        vec!["sources", "--json"],
    ] {
        let run = library.ok(&args);
        assert_inert(&run.stdout);
    }
    let json = library.ok(&["sources", "--json"]).stdout;
    assert!(json.contains("\\u001b[2J"), "JSON keeps the data as an escape: {json}");
}

/// What people type is checked once, in the core: no control characters, no line breaks
/// in one-line fields, and a length limit on every field.
#[test]
fn typed_fields_refuse_control_characters_and_excess() {
    let library = Library::new();
    let article = library.import(&["wire-harbour.txt"])[0].to_string();
    let claim = library.claim(article.parse().unwrap(), "1,200 containers counted twice").to_string();
    let before = library.counts();
    let escape = format!("Port {ESC}[2J director");
    let long = "x".repeat(2_000);
    for (args, field) in [
        (vec!["claim", "edit", &claim, "--claimant", &escape], "claimant"),
        (vec!["claim", "status", &claim, "confirmed", "--note", &escape], "note"),
        (vec!["evidence", "add", &claim, "--title", &escape], "title"),
        (vec!["evidence", "add", &claim, "--title", &long], "title"),
        (vec!["--actor", &escape, "claim", "edit", &claim, "--note", "x"], "actor"),
    ] {
        let line = library.run(&args).fails(2).to_owned();
        assert!(line.starts_with(&format!("error: {field}: ")), "{args:?}: {line}");
        assert_inert(&line);
    }
    assert_eq!(library.counts(), before, "a refused field writes nothing");
}

/// A URL that a person reads as one host and a browser opens as another is refused, and
/// two URLs share a source only when they lead to the same page.
#[test]
fn urls_are_read_as_a_browser_reads_them() {
    let library = Library::new();
    let article = library.import(&["wire-harbour.txt"])[0];
    let first = library.claim(article, "1,200 containers counted twice").to_string();
    let second = library.claim(article, "4.2 million tonnes").to_string();
    for url in [
        "https://evil.example\\@audit.gov/report",
        "https://evil.example@audit.gov/report",
        "https://user:password@audit.gov/report",
        "https://audit.gov/\u{202E}fdp.exe",
        "javascript:alert(1)",
        "https://audit.gov/a\u{1b}[2J",
    ] {
        let line = library.run(&["evidence", "add", &first, "--title", "Report", "--url", url]).fails(2).to_owned();
        assert!(line.starts_with("error: url: "), "{url:?}: {line}");
        assert_inert(&line);
    }
    let a = library.ok_json(&[
        "evidence",
        "add",
        &first,
        "--title",
        "Report",
        "--url",
        "https://evil.example/audit.gov/report",
    ]);
    let b = library.ok_json(&["evidence", "add", &second, "--title", "Report", "--url", "https://audit.gov/report"]);
    assert_ne!(a["source"]["id"], b["source"]["id"], "different hosts are different sources");
    let c = library.ok_json(&[
        "evidence",
        "add",
        &second,
        "--title",
        "Again",
        "--url",
        "HTTPS://WWW.Audit.gov:443/report/#p2",
    ]);
    assert_eq!(c["source"]["id"], b["source"]["id"], "the same page is one source");
    assert_eq!(b["source"]["url"], "https://audit.gov/report");
}

/// Metadata from a file is bounded (a 120 KB title is cut), and so are URLs and queries.
#[test]
fn long_metadata_urls_and_queries_are_bounded() {
    let library = Library::new();
    let page = library.path("long.md");
    std::fs::write(
        &page,
        format!(
            "---\ntitle: {}\nurl: https://example.org/{}\n---\n\nThe council voted on Monday, officials said.\n",
            "T".repeat(120_000),
            "a".repeat(3_000)
        ),
    )
    .unwrap();
    let article = &library.ok_json(&["import", page.to_str().unwrap()])[0];
    let title = article["title"].as_str().unwrap();
    assert_eq!(title.chars().count(), 1_000, "cut to the limit");
    assert!(title.ends_with('…'));
    assert_eq!(article["url"], serde_json::Value::Null, "an over-long URL is dropped");
    let claim = library.claim(article["id"].as_i64().unwrap(), "The council voted").to_string();
    let long_url = format!("https://example.org/{}", "b".repeat(3_000));
    library.run(&["evidence", "add", &claim, "--title", "x", "--url", &long_url]).fails(2);
    library.run(&["search", &"q".repeat(1_001)]).fails(2);
}
