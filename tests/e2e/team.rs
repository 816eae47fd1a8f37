//! A shared workspace in the real window: the app syncs in the background, and a claim
//! another member flags (a real `factdesk` process on another library) appears in the
//! open article, with the indicator saying the desk is synced.

use std::process::Command;

use serde_json::{json, Value};

use super::Window;
use crate::cli::hub::{hub, Served};
use crate::postgres::cluster;

/// Runs the CLI on the library at `db` as `member`.
fn factdesk(db: &std::path::Path, member: &str, args: &[&str]) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_factdesk"))
        .args(args)
        .arg("--json")
        .env("FACTDESK_DB", db)
        .env("FACTDESK_ACTOR", member)
        .output()
        .unwrap();
    assert!(output.status.success(), "{member} {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn a_claim_another_member_flags_appears_in_the_window() {
    let database = cluster().new_database();
    hub(&["init", "--database", &database]);
    let served = Served::start(&database);
    let invite = |member: &str| {
        hub(&["invite", "--database", &database, "--workspace", "metro", "--member", member, "--role", "checker"])
            .stdout
            .trim()
            .to_owned()
    };

    // The window's library: an article, linked to the workspace.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("library.sqlite");
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/wire-harbour.txt");
    factdesk(&db, "ana", &["import", fixture]);
    factdesk(&db, "ana", &["join", &served.base, "--token", &invite("ana")]);
    // Another member's library, on the same workspace.
    let other = tempfile::tempdir().unwrap();
    let ben = other.path().join("library.sqlite");
    factdesk(&ben, "ben", &["join", &served.base, "--token", &invite("ben")]);

    let mut window = Window::open_with(dir, &[("FACTDESK_SYNC_SECONDS", "0.5")]);
    let s = &mut window.session;
    s.wait_for(
        "the article",
        "return document.body.dataset.ready === 'true' && document.querySelector('#article-text p');",
        json!([]),
    );
    let indicator = s.wait_for(
        "the sync indicator",
        "const i = document.getElementById('sync-indicator'); return !i.hidden && i.dataset.state === 'synced' ? i.textContent : null;",
        json!([]),
    );
    assert!(indicator.as_str().unwrap().contains("Synced"), "{indicator}");
    assert_eq!(s.run("return document.querySelectorAll('#article-text mark[data-claim-id]').length;", json!([])), 0);

    // Ben flags a claim on his desk and syncs; the window shows it without being touched.
    let article = factdesk(&ben, "ben", &["articles"])[0]["id"].to_string();
    factdesk(&ben, "ben", &["claim", "add", &article, "--quote", "1,200 containers counted twice"]);
    assert_eq!(factdesk(&ben, "ben", &["sync"])["pushed"], 1);
    let quote = s.wait_for(
        "ben's claim in the open article",
        "const m = document.querySelector('#article-text mark[data-claim-id]'); return m ? m.textContent : null;",
        json!([]),
    );
    assert_eq!(quote, "1,200 containers counted twice");
    window.screenshot("team-sync-another-members-claim");

    // Both decide it from "unreviewed": Ben on his desk (not synced yet), Ana in the window.
    let ben_claim = factdesk(&ben, "ben", &["claim", "list"])[0]["id"].to_string();
    factdesk(&ben, "ben", &["claim", "status", &ben_claim, "false"]);
    let s = &mut window.session;
    s.click("#article-text mark[data-claim-id]");
    s.wait_for("the claim in the inspector", "return document.querySelector('#inspector .status-buttons');", json!([]));
    s.press("2");
    s.wait_for(
        "ana's decision pushed",
        "return document.querySelector('#article-text mark[data-claim-id]').dataset.status === 'confirmed';",
        json!([]),
    );
    // Ben's sync finds Ana's decision; the window's next sync finds Ben's: contested on both.
    let synced = loop {
        let synced = factdesk(&ben, "ben", &["sync"]);
        if synced["contested"] == 1 {
            break synced;
        }
        // Ana's change had not reached the hub yet: the window syncs every half second.
        assert!(synced["pushed"].as_u64() <= Some(1), "{synced}");
        std::thread::park_timeout(std::time::Duration::from_millis(100));
    };
    assert_eq!(synced["contested"], 1);
    let s = &mut window.session;
    let indicator = s.wait_for(
        "the contest in the window",
        "const i = document.getElementById('sync-indicator'); return i.dataset.state === 'contested' && document.querySelector('#inspector .contest-section') ? i.textContent : null;",
        json!([]),
    );
    assert!(indicator.as_str().unwrap().contains("1 contested"), "{indicator}");
    let decisions = s.run(
        "return [...document.querySelectorAll('#inspector .contest-decision')].map((d) => d.textContent);",
        json!([]),
    );
    let decisions = decisions.to_string();
    assert!(decisions.contains("ben") && decisions.contains("ana"), "{decisions}");
    window.screenshot("team-sync-contested-claim");

    // Ben gives the article to Ana: her board's "Assigned to me" lists its claim.
    factdesk(&ben, "ben", &["assign", &article, "--to", "ana"]);
    factdesk(&ben, "ben", &["sync"]);
    let s = &mut window.session;
    let assigned = s.wait_for(
        "the assignment in the inspector",
        "return document.querySelector('#inspector .assigned')?.textContent ?? null;",
        json!([]),
    );
    assert_eq!(assigned, "Assigned to ana");
    s.click("#tab-board");
    let summary = show_board_list(s, "team:mine", "assigned to me");
    assert!(summary.starts_with("1 claim"), "{summary}");
    // Still contested: its card says so in place of the status this desk holds.
    let card = s.wait_for(
        "the contested card on the board",
        "const b = document.querySelector('[data-board-claim-id] .contested-badge'); return b ? [b.textContent, b.title] : null;",
        json!([]),
    );
    assert_eq!(card[0], "● contested", "{card}");
    assert!(
        card[1].as_str().unwrap().contains("ana: Confirmed") && card[1].as_str().unwrap().contains("ben: False"),
        "{card}"
    );
    window.screenshot("team-sync-assigned-to-me");

    // The board's "Contested" list finds it too, for whoever will settle it: the sync
    // indicator's "Show" opens it.
    let s = &mut window.session;
    s.click("#tab-articles");
    s.click("#sync-indicator button");
    let summary = board_list_shown(s, "contested");
    assert!(summary.starts_with("1 claim"), "{summary}");
    window.session.wait_for(
        "the contested card in the contested list",
        "return document.querySelector('[data-board-claim-id] .contested-badge') !== null;",
        json!([]),
    );
    window.screenshot("team-sync-contested-list");
}

/// Picks one of the board's lists (`value` of its filter) and waits for it: its summary.
fn show_board_list(s: &mut super::webdriver::Session, value: &str, label: &str) -> String {
    s.run(
        "const f = document.getElementById('board-filter'); f.value = arguments[0]; f.dispatchEvent(new Event('change'));",
        json!([value]),
    );
    board_list_shown(s, label)
}

/// Waits until the board says it shows the list `label` (`(label)` in its summary, once
/// its first page is drawn): the summary.
fn board_list_shown(s: &mut super::webdriver::Session, label: &str) -> String {
    let summary = s.wait_for(
        &format!("the board's {label:?} list"),
        "const t = document.getElementById('list-summary').textContent; return t.includes('(' + arguments[0] + ')') ? t : null;",
        json!([label]),
    );
    summary.as_str().unwrap().to_owned()
}
