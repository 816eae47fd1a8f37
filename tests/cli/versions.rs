//! Article versions from the command line: an import with an article's URL becomes its
//! new version, claims follow the text (exact, moved, changed, orphaned), `versions`,
//! `diff`, `claim anchor`, `import --update`, `--new`, `refresh`, and `verify` over old
//! versions.

use serde_json::Value;

use super::support::Library;
use crate::http_server::TestServer;

const FIRST: &str = "Harbour figures revised\n\
https://news.example/harbour-figures\n\n\
The port handled 4.2 million tonnes of cargo last year, the harbour authority said.\n\n\
Officials said 1,200 containers had been counted twice in the March tally.\n\n\
The minister will visit the port on Monday to meet the dock workers.\n\n\
A new terminal is planned for 2027, according to the council.\n";

/// The corrected story: a figure changed, a paragraph cut, one moved, one added.
const SECOND: &str = "Harbour figures revised\n\
https://news.example/harbour-figures?utm_source=feed\n\n\
A new terminal is planned for 2027, according to the council.\n\n\
The port handled 3.9 million tonnes of cargo last year, the harbour authority said.\n\n\
The minister will visit the port on Monday to meet the dock workers.\n\n\
Correction: an earlier version of this story gave the tonnage as 4.2 million.\n";

fn claim_by_id(claims: &Value, id: i64) -> Value {
    claims.as_array().unwrap().iter().find(|c| c["id"] == id).cloned().unwrap()
}

#[test]
fn an_import_with_the_same_url_is_a_new_version_and_claims_follow_it() {
    let library = Library::new();
    let first = library.path("harbour.txt");
    std::fs::write(&first, FIRST).unwrap();
    let article = library.ok_json(&["import", first.to_str().unwrap()])[0]["id"].as_i64().unwrap();
    let a = article.to_string();
    let figure = library.claim(article, "4.2 million tonnes of cargo");
    let containers = library.claim(article, "1,200 containers had been counted twice");
    let minister = library.claim(article, "The minister will visit the port on Monday");
    let terminal = library.claim(article, "A new terminal is planned for 2027");
    library.ok(&["claim", "status", &figure.to_string(), "confirmed", "--note", "port statistics"]);

    let second = library.path("harbour-corrected.txt");
    std::fs::write(&second, SECOND).unwrap();
    let run = library.ok(&["import", second.to_str().unwrap()]);
    assert!(run.stderr.contains(&format!("same URL as article {article}: now its version 2")), "{}", run.stderr);
    assert!(run.stderr.contains("1 changed, 1 orphaned"), "{}", run.stderr);
    assert_eq!(library.counts()[0], 1, "no second article");

    let claims = library.ok_json(&["claim", "list", "--article", &a]);
    let state = |id: i64| claim_by_id(&claims, id)["anchor"]["state"].as_str().unwrap().to_owned();
    let changed = claim_by_id(&claims, figure);
    assert_eq!(state(figure), "changed", "a changed figure is never exact: {changed}");
    assert_eq!(changed["quote"], "3.9 million tonnes of cargo", "the proposed span");
    assert_eq!(changed["anchor"]["previous_quote"], "4.2 million tonnes of cargo");
    assert_eq!(changed["anchor"]["version"], 1, "decided on version 1");
    assert_eq!(changed["status"], "confirmed", "the status is kept");
    assert_eq!(state(containers), "orphaned");
    assert!(matches!(state(minister).as_str(), "exact" | "moved"));
    assert!(matches!(state(terminal).as_str(), "exact" | "moved"), "a moved paragraph");
    let shown = library.ok_json(&["show", &a]);
    let text = shown["text"].as_str().unwrap();
    let at = |c: &Value| -> String {
        text.chars()
            .skip(c["start"].as_u64().unwrap() as usize)
            .take((c["end"].as_u64().unwrap() - c["start"].as_u64().unwrap()) as usize)
            .collect()
    };
    assert_eq!(at(&claim_by_id(&claims, terminal)), "A new terminal is planned for 2027");
    assert_eq!(at(&changed), "3.9 million tonnes of cargo");

    let report = library.ok(&["report", &a, "--format", "md"]).stdout;
    assert!(report.contains("its passage changed after it was decided on version 1"), "needs attention: {report}");
    assert!(report.contains("its passage is gone from the article since version 1"), "{report}");
    assert!(report.contains("- **Version:** Changed: decided on version 1"), "{report}");
    let json = library.ok(&["report", &a, "--format", "json"]).json();
    let reported = &json["articles"][0]["claims"];
    let orphan = reported.as_array().unwrap().iter().find(|c| c["id"] == containers).unwrap();
    assert_eq!(orphan["anchor"]["state"], "orphaned");
    assert_eq!(
        orphan["context"]["before"].as_str().map(|b| b.contains("Officials said")),
        Some(true),
        "context from version 1: {orphan}"
    );

    let versions = library.ok_json(&["versions", &a]);
    assert_eq!(versions.as_array().unwrap().len(), 2);
    assert_eq!(versions[1]["version"], 2);
    let diff = library.ok(&["diff", &a]).stdout;
    assert!(diff.contains("handled [-4.2-]{+3.9+} million"), "{diff}");
    let pieces = library.ok_json(&["diff", &a, "1", "2"]);
    assert!(pieces["pieces"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["kind"] == "delete" && p["text"].as_str().unwrap().contains("1,200")));

    // A person accepts the proposed span; the orphan is placed by hand.
    let accepted = library.ok_json(&["claim", "anchor", &figure.to_string(), "--accept"]);
    assert_eq!(
        (accepted["anchor"]["state"].as_str(), accepted["anchor"]["version"].as_u64()),
        (Some("exact"), Some(2))
    );
    let placed =
        library.ok_json(&["claim", "anchor", &containers.to_string(), "--quote", "gave the tonnage as 4.2 million"]);
    assert_eq!(placed["anchor"]["state"], "exact");
    let nothing = library.run(&["claim", "anchor", &minister.to_string(), "--accept"]);
    assert!(nothing.fails(2).contains("no proposed span to accept"));
    let history = library.ok_json(&["history", &figure.to_string()]);
    let kinds: Vec<&str> = history.as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["claim_flagged", "claim_status_changed", "claim_reanchored", "claim_anchor_set"]);

    // The same bytes again: nothing new. Verify covers the kept version.
    library.ok(&["import", first.to_str().unwrap()]);
    assert_eq!(library.ok_json(&["versions", &a]).as_array().unwrap().len(), 2);
    library.ok(&["verify"]);
    library.sql().execute("UPDATE article_versions SET original = CAST('edited' AS BLOB)", []).unwrap();
    let run = library.run(&["verify"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(&format!("article {article} version 1: its stored bytes no longer match")),
        "{}",
        run.stderr
    );
}

#[test]
fn update_names_the_article_and_new_keeps_an_import_separate() {
    let library = Library::new();
    let first = library.path("harbour.txt");
    std::fs::write(&first, FIRST).unwrap();
    let article = library.ok_json(&["import", first.to_str().unwrap()])[0]["id"].as_i64().unwrap();
    let no_url = library.path("rewrite.txt");
    std::fs::write(&no_url, SECOND.replace("https://news.example/harbour-figures?utm_source=feed\n", "")).unwrap();
    let updated = library.ok_json(&["import", no_url.to_str().unwrap(), "--update", &article.to_string()]);
    assert_eq!((updated["changed"].as_bool(), updated["article"]["version"].as_u64()), (Some(true), Some(2)));
    let again = library.ok_json(&["import", no_url.to_str().unwrap(), "--update", &article.to_string()]);
    assert_eq!(again["changed"], false, "the same text is not a new version");
    let two = library.run(&["import", first.to_str().unwrap(), no_url.to_str().unwrap(), "--update", "1"]);
    assert!(two.fails(2).contains("--update takes one file or URL"));

    let separate = library.path("harbour-separate.txt");
    std::fs::write(&separate, FIRST.replace("last year", "in 2024")).unwrap();
    let kept_apart = library.ok_json(&["import", separate.to_str().unwrap(), "--new"]);
    assert_ne!(kept_apart[0]["id"].as_i64(), Some(article));
    assert_eq!(library.counts()[0], 2);
}

#[test]
fn refresh_fetches_web_articles_again_and_adds_a_version_only_when_the_text_changed() {
    let library = Library::new();
    let server = TestServer::start();
    let address = server.address.to_string();
    let env = [("FACTDESK_ALLOW_ADDRESSES", address.as_str())];
    let run = |args: &[&str]| library.run_with("tester", &env, args);
    let stable = run(&["import", &server.url("/article"), "--json"]).json()[0]["id"].as_i64().unwrap();
    // `/large` serves a new page at every request.
    let changing = run(&["import", &server.url("/large"), "--json"]).json()[0]["id"].as_i64().unwrap();
    let refreshed = run(&["refresh", &stable.to_string(), &changing.to_string(), "--json"]);
    assert_eq!(refreshed.code, 0, "{}", refreshed.stderr);
    let results = refreshed.json();
    assert_eq!(results[0]["changed"], false);
    assert_eq!((results[1]["changed"].as_bool(), results[1]["article"]["version"].as_u64()), (Some(true), Some(2)));
    let snapshots = run(&["snapshots", "--json"]).json();
    assert_eq!(
        snapshots.as_array().unwrap().iter().filter(|s| s["article_id"] == changing).count(),
        2,
        "each version's page kept"
    );
    let file = library.path("local.txt");
    std::fs::write(&file, FIRST).unwrap();
    let local = library.ok_json(&["import", file.to_str().unwrap(), "--new"])[0]["id"].as_i64().unwrap();
    let refused = run(&["refresh", &local.to_string()]);
    assert!(refused.fails(1).contains("was not imported from the web"));
}
