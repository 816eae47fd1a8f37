//! `factdesk history` and `verify`: every change is an event; any edit to the table is caught.

use super::support::Library;

/// A small library with one of each kind of change.
fn busy_library() -> Library {
    let library = Library::new();
    let article = library.import(&["wire-harbour.txt"])[0];
    let claim = library.claim(article, "4.2 million tonnes").to_string();
    library.ok(&["claim", "status", &claim, "disputed", "--note", "audit disagrees"]);
    library.ok(&["claim", "edit", &claim, "--claimant", "Harbour authority"]);
    let evidence = library.ok_json(&["evidence", "add", &claim, "--title", "Audit", "--url", "https://example.org/a"]);
    library.ok(&["evidence", "remove", &evidence["id"].to_string()]);
    let other = library.claim(article, "1,200 containers").to_string();
    library.run_as("second editor", &["claim", "remove", &other]);
    library
}

#[test]
fn every_change_is_an_event_with_actor_and_chain() {
    let library = busy_library();
    let events = library.ok_json(&["history"]);
    let events = events.as_array().unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "article_imported",
            "claim_flagged",
            "claim_status_changed",
            "claim_edited",
            "evidence_added",
            "evidence_removed",
            "claim_flagged",
            "claim_removed"
        ]
    );
    assert_eq!(events[2]["payload"]["from"], "unreviewed");
    assert_eq!(events[2]["payload"]["to"], "disputed");
    assert_eq!(events[2]["payload"]["note"], "audit disagrees");
    assert_eq!(events[0]["actor"], "tester");
    assert_eq!(events[7]["actor"], "second editor");
    for pair in events.windows(2) {
        assert_eq!(pair[1]["prev_hash"], pair[0]["hash"]);
        assert!(pair[0]["at"].as_str().unwrap() <= pair[1]["at"].as_str().unwrap());
    }
    assert!(events[0]["at"].as_str().unwrap().ends_with('Z'), "UTC");
    let one_claim = library.ok_json(&["history", "2"]);
    assert_eq!(one_claim.as_array().unwrap().len(), 2, "claim 2 was flagged then removed");
    library.run(&["history", "99"]).fails(1);
    let plain = library.ok(&["--actor", "cli flag", "history"]).stdout;
    assert!(plain.contains("unreviewed → disputed"), "{plain}");
}

#[test]
fn verify_passes_on_an_untouched_library() {
    let library = busy_library();
    let run = library.ok(&["verify"]);
    let head = library.ok_json(&["history"]).as_array().unwrap().last().unwrap()["hash"].as_str().unwrap().to_owned();
    assert_eq!(run.stdout.trim(), format!("history intact: 8 events, head {head}"));
    let empty = Library::new();
    empty.init();
    assert!(empty.ok(&["verify"]).stdout.contains("0 events"));
}

/// A mistyped `--db` with a command that only reads is an error, and creates nothing.
#[test]
fn read_only_commands_never_create_a_library() {
    let library = Library::new();
    let missing = library.path("typo/libary.sqlite");
    for args in [vec!["articles"], vec!["verify"], vec!["claim", "list"], vec!["search", "x"], vec!["history"]] {
        let mut with_db = vec!["--db", missing.to_str().unwrap()];
        with_db.extend(args.iter().copied());
        let line = library.run(&with_db).fails(1).to_owned();
        assert!(line.contains("no library here yet"), "{args:?}: {line}");
    }
    assert!(!library.path("typo").exists(), "no folder or file was created");
}

#[test]
fn verify_names_the_first_event_after_any_direct_edit() {
    let tamperings: &[(&str, i64)] = &[
        ("UPDATE history SET actor = 'someone else' WHERE id = 3", 3),
        ("UPDATE history SET payload = replace(payload, 'disputed', 'confirmed') WHERE id = 3", 3),
        ("UPDATE history SET at = '2020-01-01T00:00:00.000000Z' WHERE id = 5", 5),
        ("UPDATE history SET kind = 'claim_edited' WHERE id = 2", 2),
        ("UPDATE history SET claim_id = 2 WHERE id = 4", 4),
        ("UPDATE history SET hash = 'x' || substr(hash, 2) WHERE id = 6", 6),
        ("UPDATE history SET payload = 'not json' WHERE id = 1", 1),
        ("DELETE FROM history WHERE id = 4", 5),
        ("DELETE FROM history WHERE id = 1", 2),
        ("DELETE FROM history WHERE id = 8", 7),
        ("UPDATE history SET id = 100 WHERE id = 3", 4),
    ];
    for (sql, event) in tamperings {
        let library = busy_library();
        library.sql().execute_batch(sql).unwrap();
        let run = library.run(&["verify"]);
        let line = run.fails(1);
        assert!(line.contains(&format!("history event {event} ")), "{sql}: {line}");
        let json = library.run(&["verify", "--json"]);
        assert_eq!(json.code, 1);
        assert_eq!(json.json()["event_id"], *event, "{sql}");
    }
}

/// `--verbose` logs what happened, with context, to stderr; without it stderr holds only
/// the one-line error. Even the verbose log's info lines name kinds and ids, not text.
#[test]
fn verbose_logs_with_context_and_default_runs_stay_quiet() {
    let library = Library::new();
    let article = library.import(&["wire-harbour.txt"])[0].to_string();
    library.run(&["claim", "add", &article, "--quote", "no such words here"]).fails(1);

    let flagged = library.run(&["--verbose", "claim", "add", &article, "--quote", "4.2 million tonnes"]);
    assert_eq!(flagged.code, 0, "{}", flagged.stderr);
    for expected in ["library opened", "history event appended", "kind=claim_flagged", "claim=Some("] {
        assert!(flagged.stderr.contains(expected), "{expected:?} not in:\n{}", flagged.stderr);
    }
    for line in flagged.stderr.lines().filter(|line| line.contains(" INFO ")) {
        assert!(!line.contains("4.2 million"), "article text in an info line: {line}");
    }

    let failed = library.run(&["--verbose", "claim", "add", &article, "--quote", "no such words here"]);
    assert_eq!(failed.code, 1);
    assert!(
        failed.stderr.contains("command failed") && failed.stderr.contains("quote not anchored"),
        "{}",
        failed.stderr
    );
    assert!(failed.stderr.trim_end().lines().last().unwrap().starts_with("error: "), "{}", failed.stderr);
}

/// Rewrites event `id`'s payload and recomputes every hash and the stored head, as someone
/// holding the file could: `verify` alone cannot tell.
fn rewrite_history(library: &Library, id: i64, from: &str, to: &str) {
    use sha2::{Digest, Sha256};
    let conn = library.sql();
    conn.execute(
        "UPDATE history SET payload = replace(payload, ?2, ?3) WHERE id = ?1",
        rusqlite::params![id, from, to],
    )
    .unwrap();
    let mut stmt =
        conn.prepare("SELECT id, at, actor, kind, article_id, claim_id, payload FROM history ORDER BY id").unwrap();
    // Each event's id and the body its hash covers.
    let rows: Vec<(i64, serde_json::Value)> = stmt
        .query_map([], |r| {
            let payload: String = r.get(6)?;
            let body = serde_json::json!({
                "id": r.get::<_, i64>(0)?, "at": r.get::<_, String>(1)?, "actor": r.get::<_, String>(2)?,
                "kind": r.get::<_, String>(3)?, "article_id": r.get::<_, Option<i64>>(4)?,
                "claim_id": r.get::<_, Option<i64>>(5)?,
                "payload": serde_json::from_str::<serde_json::Value>(&payload).unwrap(),
            });
            Ok((r.get(0)?, body))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut prev = factdesk_core::history::GENESIS_HASH.to_owned();
    for (id, body) in &rows {
        let mut hasher = Sha256::new();
        hasher.update(prev.as_bytes());
        hasher.update(factdesk_core::history::canonical_json(body).as_bytes());
        let hash: String = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
        conn.execute("UPDATE history SET prev_hash = ?2, hash = ?3 WHERE id = ?1", rusqlite::params![id, prev, hash])
            .unwrap();
        prev = hash;
    }
    conn.execute("UPDATE history_head SET hash = ?1", [&prev]).unwrap();
}

/// A head kept elsewhere catches what the chain alone cannot: a history rewritten and
/// re-hashed by someone holding the file.
#[test]
fn verify_expect_catches_a_rewritten_and_rehashed_history() {
    let library = busy_library();
    let kept = library.ok_json(&["verify"])["head"].as_str().unwrap().to_owned();
    let intact = library.ok(&["verify", "--expect", &kept]);
    assert!(intact.stdout.contains("the expected head is event 8's"), "{}", intact.stdout);
    // An older head is still in a history that only grew since.
    let older = library.ok_json(&["history"])[3]["hash"].as_str().unwrap().to_owned();
    library.ok(&["claim", "status", "1", "confirmed"]);
    assert_eq!(library.ok_json(&["verify", "--expect", &older])["expected_at_event"], 4);

    rewrite_history(&library, 3, "disputed", "confirmed");
    // The limit of a chain kept in the same file: the rewrite verifies.
    assert!(library.ok(&["verify"]).stdout.starts_with("history intact"));
    let line = library.run(&["verify", "--expect", &kept]).fails(1).to_owned();
    assert!(line.contains("is not in this history"), "{line}");
    assert_eq!(library.run(&["verify", "--expect", &kept, "--json"]).json()["intact"], false);
    library.run(&["verify", "--expect", "not-a-head"]).fails(2);
}

/// `verify` checks the file as well as the chain: a damaged page, a search index out of
/// step, an article whose bytes were edited. One line per problem, exit 1.
#[test]
fn verify_checks_the_file_the_search_index_and_the_article_bytes() {
    // An article's bytes edited after import.
    let library = busy_library();
    library.sql().execute("UPDATE articles SET original = CAST('edited' AS BLOB) WHERE id = 1", []).unwrap();
    let run = library.run(&["verify"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("article 1: its stored bytes no longer match"), "{}", run.stderr);
    assert!(run.stderr.contains("the history chain itself is intact"), "{}", run.stderr);
    assert_eq!(library.run(&["verify", "--json"]).json()["problems"].as_array().unwrap().len(), 1);

    // The search index emptied behind the rows' back.
    let library = busy_library();
    library.sql().execute("INSERT INTO articles_fts(articles_fts) VALUES ('delete-all')", []).unwrap();
    let run = library.run(&["verify"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("the search index of articles does not match"), "{}", run.stderr);

    // A list's kept length edited (the window's paged lists would show the wrong size).
    let library = busy_library();
    library.sql().execute("UPDATE list_counts SET rows = rows + 3 WHERE list = 'claims'", []).unwrap();
    let run = library.run(&["verify"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("the count of claims kept for the window is"), "{}", run.stderr);

    // 8 KiB overwritten in the middle of the file.
    let library = busy_library();
    let path = library.db.clone();
    // Padding so that the middle of the file is a page of data, checkpointed into the file.
    let big = "x".repeat(400_000);
    library
        .sql()
        .execute_batch(&format!(
            "CREATE TABLE padding(x); INSERT INTO padding VALUES ('{big}'); PRAGMA wal_checkpoint(TRUNCATE);"
        ))
        .unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle..middle + 8192].fill(0x5a);
    std::fs::write(&path, bytes).unwrap();
    let run = library.run(&["verify"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("database file damaged"), "{}", run.stderr);

    // A sound library has no problems.
    let library = busy_library();
    assert_eq!(library.run(&["verify", "--json"]).json()["problems"], serde_json::json!([]));
}

/// `factdesk undo` takes back the actor's own last change with a new event, and never
/// another person's.
#[test]
fn undo_takes_back_your_last_change_and_keeps_both_events() {
    let library = Library::new();
    let article = library.import(&["wire-harbour.txt"])[0];
    let claim = library.claim(article, "4.2 million tonnes").to_string();
    library.ok(&["claim", "status", &claim, "false", "--note", "the audit says otherwise"]);
    let undone = library.ok(&["undo"]).stdout;
    assert!(
        undone.contains("changed the status: false → unreviewed") && undone.contains("undoing event 3"),
        "{undone}"
    );
    assert_eq!(library.ok_json(&["claim", "list"])[0]["status"], "unreviewed");
    assert_eq!(library.run_as("someone else", &["undo"]).stdout, "nothing of yours to undo\n");
    let json = library.ok_json(&["undo"]);
    assert_eq!(json["kind"], "claim_removed", "then the flag: {json}");
    assert_eq!(library.ok_json(&["claim", "list"]), serde_json::json!([]));
    assert_eq!(library.ok_json(&["history"]).as_array().unwrap().len(), 5, "nothing erased");
    assert!(library.ok(&["verify"]).stdout.starts_with("history intact"));
}
