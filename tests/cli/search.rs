//! `factdesk search`: articles by title and text, claims by quote, user input is not syntax.

use super::support::Library;

#[test]
fn finds_articles_and_claims_and_forgets_removed_claims() {
    let library = Library::new();
    let ids = library.import(&["wire-harbour.txt", "council-tram.txt", "latin1-budget.txt"]);
    let claim = library.claim(ids[1], "8,000 people signed a petition");

    let hits = library.ok_json(&["search", "tram"]);
    assert_eq!(hits[0]["kind"], "article");
    assert_eq!(hits[0]["article_id"], ids[1]);

    let zurich = library.ok_json(&["search", "zurich", "budget"]);
    assert_eq!(zurich.as_array().unwrap().len(), 1, "accents do not matter: {zurich}");
    assert_eq!(zurich[0]["article_id"], ids[2]);

    let petition = library.ok_json(&["search", "petition"]);
    let kinds: Vec<&str> = petition.as_array().unwrap().iter().map(|h| h["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["article", "claim"]);
    assert_eq!(petition[1]["claim_id"], claim);
    assert!(petition[1]["snippet"].as_str().unwrap().contains("[petition]"));

    let prefix = library.ok_json(&["search", "contain"]);
    assert_eq!(prefix[0]["article_id"], ids[0], "the last word matches as a prefix");

    library.ok(&["claim", "remove", &claim.to_string()]);
    assert_eq!(library.ok_json(&["search", "petition"]).as_array().unwrap().len(), 1);
}

#[test]
fn search_syntax_in_the_query_is_plain_text() {
    let library = Library::new();
    library.import(&["wire-harbour.txt"]);
    for query in ["\"unbalanced", "NEAR(", "*", "title:audit", "-audit", "audit OR", "a AND", "()", "'"] {
        let run = library.run(&["search", "--json", "--", query]);
        assert_eq!(run.code, 0, "{query}: {}", run.stderr);
        let hits = run.json();
        let hits = hits.as_array().unwrap_or_else(|| panic!("{query}: not a list: {hits}"));
        // The words around the syntax are still searched, as plain words ("title:audit" is
        // the phrase "title audit", which the article does not hold).
        if query == "-audit" {
            assert!(hits.iter().any(|h| h["article_id"] == 1), "{query}: the article was not found: {hits:?}");
        }
    }
    assert!(library.ok(&["search", "zzzz"]).stdout.contains("Nothing found"));
}
