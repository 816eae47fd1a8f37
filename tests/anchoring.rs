//! Re-anchoring claims into revised articles, scored on generated revisions with known
//! truth (`factdesk_core::reanchor_eval`): a run small enough for every test, on our own
//! articles (what the rules were written against) and on held-out text (Mozilla
//! Readability's expected article texts, never looked at while writing the rules). The
//! full run, with the fuzzy baseline beside it, is `cargo bench -p factdesk-core --bench reanchor`.

use factdesk_core::reanchor_eval::{cases, factdesk, score, total};
use factdesk_core::Format;

use crate::cli::support::{fixture, shared};

/// Our own articles' canonical texts.
pub fn own_articles() -> Vec<String> {
    ["wire-harbour.txt", "council-tram.txt", "port-fees.md"]
        .iter()
        .map(|name| canonical(name, std::fs::read(fixture(name)).unwrap(), Format::Auto))
        .chain(std::iter::once(canonical(
            "sample-article.txt",
            std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/assets/sample-article.txt"))
                .unwrap(),
            Format::Text,
        )))
        .collect()
}

/// The first `limit` held-out texts of five paragraphs or more.
pub fn held_out_articles(limit: usize) -> Vec<String> {
    let folder = shared("corpora/readability");
    let mut pages: Vec<_> = std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().path()).collect();
    pages.sort();
    pages
        .iter()
        .filter_map(|page| std::fs::read(page.join("expected.html")).ok())
        // A page whose expected text holds no article (a listing) has nothing to revise.
        .filter_map(|bytes| factdesk_core::import::prepare("expected.html", bytes, Format::Html).ok())
        .map(|prepared| prepared.parsed.text)
        .filter(|text| text.split("\n\n").count() >= 5)
        .take(limit)
        .collect()
}

fn canonical(name: &str, bytes: Vec<u8>, format: Format) -> String {
    factdesk_core::import::prepare(name, bytes, format).unwrap().parsed.text
}

#[track_caller]
fn assert_sound(label: &str, articles: &[String]) {
    let generated = cases(articles, 280, 7);
    assert!(generated.len() >= 250, "{label}: only {} cases generated", generated.len());
    let scores = score(&generated, factdesk);
    let all = total(&scores);
    let wrong: Vec<_> = scores.iter().filter(|(_, s)| s.wrong_place > 0).collect();
    assert!(wrong.is_empty(), "{label}: claims placed on the wrong text: {wrong:?}");
    // Not placing a surviving quote sends it to a person (the full run: 5 of ~1,600); a
    // wrong place is never acceptable, a false alarm now and then is the price.
    assert!(all.false_alarm * 100 <= all.survives, "{label}: over 1% of surviving quotes flagged: {scores:?}");
    assert_eq!(all.kept + all.false_alarm, all.survives, "{label}: {scores:?}");
    assert_eq!(all.flagged, all.cases - all.survives, "{label}: every edited or removed passage flagged: {scores:?}");
}

#[test]
fn claims_follow_revisions_of_our_own_articles_and_never_land_on_the_wrong_text() {
    assert_sound("own articles", &own_articles());
}

#[test]
fn claims_follow_revisions_of_held_out_articles_and_never_land_on_the_wrong_text() {
    assert_sound("held-out articles", &held_out_articles(20));
}
