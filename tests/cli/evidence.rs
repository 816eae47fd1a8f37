//! `factdesk evidence` and `sources`: reuse by normalized URL, grades, warnings.

use serde_json::Value;

use super::support::Library;

fn warnings(claim: &Value) -> Vec<String> {
    claim["warnings"].as_array().unwrap().iter().map(|w| w.as_str().unwrap().to_owned()).collect()
}

#[test]
fn the_same_url_is_one_source_in_the_library() {
    let library = Library::new();
    let article = library.import(&["wire-harbour.txt"])[0];
    let a = library.claim(article, "4.2 million tonnes").to_string();
    let b = library.claim(article, "1,200 containers counted twice").to_string();
    let first = library.ok_json(&[
        "evidence",
        "add",
        &a,
        "--title",
        "Audit report 2024",
        "--url",
        "https://www.example.gov/audit/2024/",
        "--kind",
        "document",
        "--reliability",
        "A",
        "--credibility",
        "2",
        "--excerpt",
        "counted twice",
    ]);
    let second = library.ok_json(&[
        "evidence",
        "add",
        &b,
        "--title",
        "Another title",
        "--url",
        "http://example.gov/audit/2024#p3",
        "--stance",
        "context",
    ]);
    assert_eq!(first["source"]["id"], second["source"]["id"]);
    assert_eq!(second["source"]["title"], "Audit report 2024", "a reused source keeps its title");
    assert_eq!(first["source"]["kind"], "document");
    assert_eq!(first["source"]["reliability"], "A");
    assert_eq!(first["credibility"], 2);
    assert_eq!(first["excerpt"], "counted twice");
    assert_eq!(first["stance"], "supports");
    assert_eq!(second["stance"], "context");

    let reused = library.ok_json(&[
        "evidence",
        "add",
        &b,
        "--source",
        &first["source"]["id"].to_string(),
        "--stance",
        "refutes",
    ]);
    assert_eq!(reused["source"]["id"], first["source"]["id"]);
    let sources = library.ok_json(&["sources"]);
    assert_eq!(sources.as_array().unwrap().len(), 1);
    assert_eq!(sources[0]["used_by"], 3);
    library.run(&["evidence", "add", &b, "--source", "77"]).fails(1);
}

#[test]
fn bad_grades_and_urls_are_usage_errors_that_write_nothing() {
    let library = Library::new();
    let article = library.import(&["wire-harbour.txt"])[0];
    let claim = library.claim(article, "4.2 million tonnes").to_string();
    let before = library.counts();
    for args in [
        vec!["--title", "x", "--reliability", "G"],
        vec!["--title", "x", "--credibility", "7"],
        vec!["--title", "x", "--credibility", "two"],
        vec!["--title", "x", "--stance", "agrees"],
        vec!["--title", "x", "--kind", "rumour"],
        vec!["--title", "x", "--url", "javascript:alert(1)"],
        vec!["--url", "https://example.org/no-title"],
        vec!["--title", "   "],
    ] {
        let mut full = vec!["evidence", "add", &claim];
        full.extend(args.iter().copied());
        library.run(&full).fails(2);
    }
    library.run(&["evidence", "add", "12345", "--title", "x"]).fails(1);
    assert_eq!(library.counts(), before);
}

#[test]
fn corroboration_warnings_follow_status_and_evidence() {
    let library = Library::new();
    let article = library.import(&["wire-harbour.txt"])[0];
    let claim = library.claim(article, "4.2 million tonnes").to_string();
    let status = |s: &str| library.ok_json(&["claim", "status", &claim, s]);
    let add = |title: &str, url: &str, stance: &str, grade: &str| {
        library.ok_json(&[
            "evidence",
            "add",
            &claim,
            "--title",
            title,
            "--url",
            url,
            "--stance",
            stance,
            "--reliability",
            grade,
        ])
    };

    let confirmed = status("confirmed");
    assert_eq!(warnings(&confirmed).len(), 1);
    assert!(warnings(&confirmed)[0].contains("0 supporting sources"));

    add("Port statistics", "https://example.org/stats", "supports", "B");
    let one = library.ok_json(&["claim", "list"])[0].clone();
    assert!(warnings(&one)[0].contains("1 supporting source"), "{:?}", warnings(&one));

    add("Customs data", "https://example.net/customs", "supports", "C");
    assert!(warnings(&library.ok_json(&["claim", "list"])[0]).is_empty());

    let refuting = add("Audit", "https://example.com/audit", "refutes", "A");
    let conflicted = library.ok_json(&["claim", "list"])[0].clone();
    assert_eq!(warnings(&conflicted).len(), 1);
    assert!(warnings(&conflicted)[0].starts_with("conflicting evidence"));
    assert_eq!(conflicted["evidence"].as_array().unwrap().len(), 3);

    let falsified = status("false");
    assert!(warnings(&falsified).is_empty(), "a refuting source is attached");
    library.ok(&["evidence", "remove", &refuting["id"].to_string(), "--note", "wrong document"]);
    let unrefuted = library.ok_json(&["claim", "list"])[0].clone();
    assert_eq!(unrefuted["evidence"].as_array().unwrap().len(), 2);
    assert!(warnings(&unrefuted)[0].contains("no refuting source"), "{:?}", warnings(&unrefuted));
    library.run(&["evidence", "remove", &refuting["id"].to_string()]).fails(1);
}

#[test]
fn a_new_grade_for_a_library_source_is_recorded() {
    let library = Library::new();
    let article = library.import(&["wire-harbour.txt"])[0];
    let claim = library.claim(article, "4.2 million tonnes").to_string();
    // The same page (a trailing slash apart), graded C, then B.
    for (url, grade) in [("https://example.gov/", "C"), ("https://example.gov", "B")] {
        library.ok(&["evidence", "add", &claim, "--title", "Ministry", "--url", url, "--reliability", grade]);
    }
    assert_eq!(library.ok_json(&["sources"])[0]["reliability"], "B");
    let kinds: Vec<String> = library
        .ok_json(&["history"])
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect();
    assert!(kinds.contains(&"source_graded".to_owned()), "{kinds:?}");
}

/// What the app's "open in browser" opens is looked up by evidence id in the core: a web
/// address checked again, never one from a removed link or a source without one.
#[test]
fn the_link_an_evidence_opens_is_looked_up_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("library.sqlite");
    let library = factdesk_core::Library::open(&db, "tester").unwrap();
    let path = super::support::fixture("wire-harbour.txt");
    let article = library.import_file(&path, factdesk_core::Format::Auto).unwrap().article().id;
    let target = factdesk_core::ClaimTarget::Quote { quote: "1,200 containers".into(), occurrence: None };
    let claim = library
        .add_claim(factdesk_core::NewClaim { article_id: article, target, claimant: None, note: None })
        .unwrap()
        .id;
    let add = |title: &str, url: Option<&str>| {
        let source =
            factdesk_core::SourceChoice::Described { title: title.into(), url: url.map(Into::into), kind: None };
        let evidence = factdesk_core::NewEvidence {
            claim_id: claim,
            source,
            reliability: None,
            stance: factdesk_core::Stance::Supports,
            credibility: None,
            excerpt: None,
        };
        library.add_evidence(evidence).unwrap().id
    };
    let web = add("Audit", Some("https://audit.example.gov/report"));
    let call = add("Call with the port", None);
    assert_eq!(library.evidence_link(web).unwrap(), "https://audit.example.gov/report");
    assert!(library.evidence_link(call).unwrap_err().to_string().contains("no web address"));
    // A source URL edited in the file to something else is checked again, and refused.
    rusqlite::Connection::open(&db).unwrap().execute("UPDATE sources SET url = 'javascript:alert(1)'", []).unwrap();
    assert!(library.evidence_link(web).is_err());
    library.remove_evidence(web, None).unwrap();
    assert!(library.evidence_link(web).is_err());
    assert!(library.evidence_link(999).is_err());
}
