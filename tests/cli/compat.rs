//! Libraries made by earlier releases keep working: `tests/fixtures/libraries/` holds
//! files written by a release, with every history event kind; they must verify with the
//! same chain head, read back as typed events, and be worded without raw JSON.

use std::collections::BTreeSet;

use factdesk_core::events::{Event, EventKind};
use factdesk_core::history::canonical_json;

use super::support::{fixture, Library};

/// Made by commit 5580d1d (the release before typed events) with a fixed clock: two
/// imports, claims flagged by quote, by span and from a suggestion, statuses, edits,
/// evidence added (one regrading its source) and removed, a dismissed suggestion, a
/// removed claim. The head is what that release's `factdesk verify` printed.
const BEFORE_TYPED_EVENTS: &str = "libraries/before-typed-events.sqlite";
const BEFORE_TYPED_EVENTS_HEAD: &str = "7382d46eb12534e3c807bae56cf6dcd17435ac14a6b62b85d324dbef17636bbf";

fn library_from(name: &str) -> Library {
    let library = Library::new();
    std::fs::copy(fixture(name), &library.db).unwrap();
    library
}

#[test]
fn a_library_made_before_typed_events_verifies_with_its_head_unchanged() {
    let library = library_from(BEFORE_TYPED_EVENTS);
    let run = library.ok(&["verify"]);
    assert_eq!(run.stdout.trim(), format!("history intact: 17 events, head {BEFORE_TYPED_EVENTS_HEAD}"));

    // A change made now extends the old chain, and the whole still verifies.
    library.ok(&["claim", "status", "1", "unconfirmed", "--note", "re-checked"]);
    let run = library.ok(&["verify"]);
    assert!(run.stdout.starts_with("history intact: 18 events"), "{}", run.stdout);
    let events = library.ok_json(&["history"]);
    assert_eq!(events[16]["hash"], BEFORE_TYPED_EVENTS_HEAD);
    assert_eq!(events[17]["prev_hash"], BEFORE_TYPED_EVENTS_HEAD);
}

/// Every stored payload reads back as a typed `Event` whose serialized form is the stored
/// text byte for byte: the typed writer writes what the hand-built `json!` wrote.
#[test]
fn every_stored_event_reads_back_as_the_same_bytes() {
    let library = library_from(BEFORE_TYPED_EVENTS);
    let conn = library.sql();
    let mut stmt = conn.prepare("SELECT kind, payload FROM history ORDER BY id").unwrap();
    let rows: Vec<(String, String)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<Result<_, _>>().unwrap();
    let mut kinds = BTreeSet::new();
    for (kind, stored) in &rows {
        let event = Event::from_stored(kind, &serde_json::from_str(stored).unwrap())
            .unwrap_or_else(|| panic!("{kind} does not read as an Event: {stored}"));
        assert_eq!(&canonical_json(&event.payload()), stored, "{kind}");
        kinds.insert(event.kind());
    }
    // Kinds born after the fixture was made are covered by the core's round-trip test.
    let added_since = [
        EventKind::SnapshotCaptured,
        EventKind::FileAttached,
        EventKind::ArticleVersionAdded,
        EventKind::ClaimReanchored,
        EventKind::ClaimAnchorSet,
        EventKind::SuggestionRestored,
        EventKind::ClaimReviewed,
        EventKind::Assigned,
        EventKind::ReviewRequired,
    ];
    let every: BTreeSet<EventKind> = EventKind::ALL.iter().copied().filter(|k| !added_since.contains(k)).collect();
    assert_eq!(kinds, every, "the fixture should hold every kind of event that existed when it was made");
}

/// `factdesk history` words every kind with the core's one wording; the app's history
/// panel shows the same `summary` field (checked in the end-to-end tests).
#[test]
fn history_words_every_event_kind_in_plain_language() {
    let library = library_from(BEFORE_TYPED_EVENTS);
    let events = library.ok_json(&["history"]);
    let plain = library.ok(&["history"]).stdout;
    let lines: Vec<&str> = plain.lines().collect();
    assert_eq!(lines.len(), 17, "{plain}");
    for (event, line) in events.as_array().unwrap().iter().zip(&lines) {
        let summary = event["summary"].as_str().unwrap();
        let typed = Event::from_stored(event["kind"].as_str().unwrap(), &event["payload"]).unwrap();
        assert_eq!(summary, typed.describe());
        assert!(line.ends_with(summary), "{line}");
        assert!(!summary.contains('{') && !summary.contains('_'), "raw data in {summary:?}");
    }
    for wording in [
        "imported “Harbour authority says",
        "changed the status: unreviewed → confirmed, “audit report”",
        "changed the claimant from “Marta Vella-Grech” to “Port director” and changed the rationale",
        "cleared the rationale",
        "regraded source 1: reliability B → A",
        "accepting the assistant's suggestion (score",
        "dismissed the suggestion “",
        "removed evidence 1 (source 1, which supports the claim), “wrong claim”",
        "removed the claim “Port fees:” (it was unreviewed), “flagged by mistake”",
    ] {
        assert!(plain.contains(wording), "{wording:?} not in:\n{plain}");
    }
}

/// An older library's articles get their URL keys when it is first opened, so an import
/// with the same address (here with a tracking parameter) becomes a new version of one.
#[test]
fn an_older_librarys_articles_are_found_by_url_for_new_versions() {
    let library = library_from(BEFORE_TYPED_EVENTS);
    let original = std::fs::read_to_string(fixture("port-fees.md")).unwrap();
    let updated = library.path("port-fees-updated.md");
    std::fs::write(
        &updated,
        original
            .replace(
                "url: https://example.org/analysis/port-fees",
                "url: https://example.org/analysis/port-fees?utm_source=x",
            )
            .replace("12%", "13%"),
    )
    .unwrap();
    let run = library.ok(&["import", updated.to_str().unwrap()]);
    assert!(run.stderr.contains("same URL as article 2: now its version 2"), "{}", run.stderr);
    assert_eq!(library.counts()[0], 2, "no third article");
    library.ok(&["verify"]);
}
