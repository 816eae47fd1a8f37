//! The working loop in the real window: open, flag, decide, attach evidence; a CLI-made
//! library shown at the right spans; hostile text kept inert.

use std::process::Command;

use factdesk_core::{Library, Status, Verification};
use serde_json::{json, Value};

use super::Window;

/// Selects the first occurrence of `quote` in the article text, as a user dragging would.
const SELECT_QUOTE: &str = r#"
    const quote = arguments[0];
    const root = document.getElementById('article-text');
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.data.indexOf(quote);
        if (at >= 0) {
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + quote.length);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            return selection.toString();
        }
    }
    return null;
"#;

/// Every claim in the reader: id → { status, text of all its fragments }.
const CLAIMS_IN_READER: &str = r#"
    const claims = {};
    for (const mark of document.querySelectorAll('#article-text mark[data-claim-id]')) {
        const id = mark.dataset.claimId;
        claims[id] = claims[id] || { status: mark.dataset.status, text: '' };
        let own = '';
        for (const child of mark.childNodes) {
            if (child.nodeType === Node.TEXT_NODE) own += child.data;
            else if (child.dataset && child.dataset.claimId !== id) own += child.textContent;
        }
        claims[id].text += own;
    }
    return claims;
"#;

fn inspector_claim(window: &mut Window) -> Value {
    window.session.run("return document.getElementById('inspector').dataset.claimId || null;", json!([]))
}

#[test]
fn flag_decide_and_corroborate_a_claim_in_the_window() {
    let mut window = Window::open_on(tempfile::tempdir().unwrap());
    let s = &mut window.session;
    s.wait_for("the welcome screen", "return document.getElementById('open-sample') !== null;", json!([]));
    s.click("#open-sample");
    s.wait_for(
        "the sample in the library",
        "return document.querySelector('#left-list [data-article-id]') !== null;",
        json!([]),
    );
    s.wait_for(
        "the sample in the reader",
        "return document.getElementById('reader').dataset.articleId || null;",
        json!([]),
    );

    let quote = "42 million cubic metres of water";
    assert_eq!(s.run(SELECT_QUOTE, json!([quote])), json!(quote));
    s.press("f");
    let claim_id = s.wait_for(
        "the new highlight",
        "const m = document.querySelector('#article-text mark[data-claim-id]'); return m && m.dataset.claimId;",
        json!([]),
    );
    assert_eq!(inspector_claim(&mut window), claim_id);
    let s = &mut window.session;
    let highlighted = s.run(CLAIMS_IN_READER, json!([]));
    assert_eq!(highlighted[claim_id.as_str().unwrap()], json!({ "status": "unreviewed", "text": quote }));

    s.press("2");
    s.wait_for(
        "the confirmed highlight",
        "return document.querySelector('#article-text mark[data-status=\"confirmed\"]') !== null;",
        json!([]),
    );
    let warning = s.wait_for(
        "the corroboration warning",
        "const w = document.querySelector('#inspector .warning'); return w && w.textContent;",
        json!([]),
    );
    assert!(warning.as_str().unwrap().contains("0 supporting sources"), "{warning}");

    for (title, url) in [
        ("Ministry briefing notes", "https://example.org/briefing"),
        ("Water authority statement", "https://example.net/authority"),
    ] {
        let before = s.run("return document.querySelectorAll('#inspector .evidence').length;", json!([]));
        s.type_into("#ev-title", title);
        s.type_into("#ev-url", url);
        // A link only: these addresses are not fetched (the capture test keeps a page).
        s.click("#ev-capture");
        s.click("#ev-add");
        s.wait_for(
            "the evidence in the list",
            "return document.querySelectorAll('#inspector .evidence').length === arguments[0] + 1;",
            json!([before]),
        );
    }
    s.wait_for("the warning to clear", "return document.querySelector('#inspector .warning') === null && document.querySelectorAll('#inspector .evidence').length === 2;", json!([]));
    let history =
        s.run("return [...document.querySelectorAll('#inspector .history li')].map(li => li.textContent);", json!([]));
    let history_shown: Vec<String> = serde_json::from_value(history).unwrap();
    assert_eq!(history_shown.len(), 4, "flagged, confirmed, two pieces of evidence: {history_shown:?}");
    let badges = s.run("return document.querySelector('#left-list [data-article-id] .badges').textContent;", json!([]));
    assert!(badges.as_str().unwrap().contains("✓ 1"), "library counts follow: {badges}");

    // The history head to keep elsewhere is shown, and follows the last change.
    let recorded = Library::open(&window.db(), "check").unwrap().recorded_head().unwrap();
    let s = &mut window.session;
    s.wait_for(
        "the history head",
        "const c = document.querySelector('#history-head code'); return c !== null && c.textContent === arguments[0];",
        json!([recorded.head]),
    );
    s.run("document.querySelector('#inspector .history-section').scrollIntoView(); return null;", json!([]));
    window.screenshot("claim-history");
    let s = &mut window.session;
    s.press("\u{E00C}"); // Escape
    s.wait_for("the inspector to clear", "return !document.getElementById('inspector').dataset.claimId;", json!([]));
    window.screenshot("flag-decide-corroborate");

    // The report preview: the HTML report in a frame that can run nothing, styled under
    // the app's CSP (its stylesheet is allowed by hash), closed with Esc.
    let s = &mut window.session;
    s.press("r");
    let marked = s.wait_for(
        "the report preview",
        "const f = document.getElementById('report-preview'); const d = document.getElementById('report-dialog'); \
         const m = d.open && f.contentDocument && f.contentDocument.querySelector('mark'); return m && m.textContent;",
        json!([]),
    );
    assert_eq!(marked, json!(quote));
    let preview = s.run(
        "const doc = document.getElementById('report-preview').contentDocument; \
         return { width: getComputedStyle(doc.body).maxWidth, scripts: doc.scripts.length, \
                  sandbox: document.getElementById('report-preview').getAttribute('sandbox'), \
                  status: doc.querySelector('.claim .status').textContent, \
                  warnings: doc.querySelectorAll('.claim .warnings').length,                   checks: [...doc.querySelectorAll('.checks li')].map(li => li.textContent) };",
        json!([]),
    );
    let checks = preview["checks"].to_string();
    assert!(
        checks.contains("“Helena Marques” (1 mention) and “Marquês” (1 mention)"),
        "the sample's name variant: {checks}"
    );
    assert_eq!(
        json!({ "width": preview["width"], "scripts": preview["scripts"], "sandbox": preview["sandbox"], "status": preview["status"], "warnings": preview["warnings"] }),
        json!({ "width": "736px", "scripts": 0, "sandbox": "allow-same-origin", "status": "✓ Confirmed", "warnings": 0 })
    );
    window.screenshot("report-preview");
    let s = &mut window.session;
    s.press("\u{E00C}");
    s.wait_for("the report dialog to close", "return !document.getElementById('report-dialog').open;", json!([]));
    window.session.wait_for("today's automatic backup", BACKUP_MADE, json!([]));
    // Close the window but keep its folder: the library is checked through the core.
    let db = window.db();
    let Window { session, dir, .. } = window;
    drop(session);

    let library = Library::open(&db, "check").unwrap();
    let confirmed = library.claims(None, Some(Status::Confirmed)).unwrap();
    assert_eq!(confirmed.len(), 1);
    assert_eq!(confirmed[0].quote, quote);
    assert_eq!(confirmed[0].evidence.len(), 2);
    assert!(confirmed[0].warnings.is_empty());
    let text = library.article_detail(confirmed[0].article_id).unwrap().text;
    let at: String = text.chars().skip(confirmed[0].start).take(confirmed[0].end - confirmed[0].start).collect();
    assert_eq!(at, quote);
    let events = library.history(Some(confirmed[0].id)).unwrap();
    assert!(events.iter().all(|e| e.actor == "e2e tester"), "{events:?}");
    // The history panel words each event exactly as the core does (Event::describe).
    for (shown, event) in history_shown.iter().zip(&events) {
        assert!(shown.ends_with(&format!("e2e tester {}", event.summary)), "{shown:?} vs {:?}", event.summary);
    }
    assert!(matches!(library.verify().unwrap(), Verification::Intact(_)));

    // Today's automatic backup (made in the background at start, waited for above) is in
    // the data folder and verifies.
    let backup = dir.path().join(format!(
        "xdg-data/org.factdesk.desktop/backups/library-{}.sqlite",
        chrono::Utc::now().format("%Y-%m-%d")
    ));
    factdesk_core::check_library_file(&backup).unwrap_or_else(|e| panic!("automatic backup: {e}"));

    // The app's log, in its data folder: what happened by command, kind and id, no text.
    let log = std::fs::read_to_string(dir.path().join("xdg-data/org.factdesk.desktop/logs/factdesk.log")).unwrap();
    for expected in ["Factdesk started", "library opened", "set_status", "kind=claim_status_changed", "add_evidence"] {
        assert!(log.contains(expected), "{expected:?} not in the log:\n{log}");
    }
    assert!(
        !log.contains(quote) && !log.contains("Ministry briefing notes"),
        "article or evidence text in the log:\n{log}"
    );
    drop(dir);
}

/// Waits, through the app's own `list_backups` command, until today's automatic backup
/// (made by a background thread of the app at start) is there.
const BACKUP_MADE: &str = "
    if (window.__backups === undefined) window.__backups = null;
    window.__TAURI__.core.invoke('list_backups').then((list) => { window.__backups = list.length; });
    return window.__backups > 0 ? window.__backups : null;";

/// Runs the real CLI on the window's library before the app opens it.
fn cli(dir: &std::path::Path, args: &[&str]) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_factdesk"))
        .args(args)
        .arg("--json")
        .env("FACTDESK_DB", dir.join("library.sqlite"))
        .env("FACTDESK_ACTOR", "cli")
        .output()
        .unwrap();
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn a_library_made_with_the_cli_shows_every_claim_at_its_span() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wire-harbour.txt");
    let article = cli(dir.path(), &["import", fixture.to_str().unwrap()])[0]["id"].to_string();
    let quotes = [
        ("“regrettable but not material”", "confirmed"),
        ("called the error “regrettable but not material”", "disputed"),
        ("4.2 million tonnes had been overstated", "false"),
        ("“record” cargo figure of 4.2 million", "unconfirmed"),
        ("1,200 containers counted twice", "unreviewed"),
    ];
    let mut expected = serde_json::Map::new();
    for (quote, status) in quotes {
        let claim = cli(dir.path(), &["claim", "add", &article, "--quote", quote]);
        let id = claim["id"].to_string();
        cli(dir.path(), &["claim", "status", &id, status]);
        expected.insert(id, json!({ "status": status, "text": quote }));
    }

    let mut window = Window::open_on(dir);
    let s = &mut window.session;
    s.wait_for("five claims in the reader", "return new Set([...document.querySelectorAll('#article-text mark[data-claim-id]')].map(m => m.dataset.claimId)).size === 5;", json!([]));
    assert_eq!(s.run(CLAIMS_IN_READER, json!([])), Value::Object(expected));

    // j walks the claims in reading order; the inspector follows.
    s.press("j");
    s.wait_for(
        "the first claim selected",
        "return document.getElementById('inspector').dataset.claimId === '4';",
        json!([]),
    );
    s.press("j");
    s.wait_for(
        "the second claim selected",
        "return document.getElementById('inspector').dataset.claimId === '3';",
        json!([]),
    );
    s.press("k");
    s.wait_for("back to the first", "return document.getElementById('inspector').dataset.claimId === '4';", json!([]));
    window.screenshot("cli-library-overlaps");
}

/// A library made by the release before typed events: every claim's history panel shows
/// each event exactly as the core words it (flagged, flagged from a suggestion, status
/// changes, edits, evidence added and removed).
#[test]
fn the_history_panel_words_every_claim_event_as_the_core_does() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("library.sqlite");
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/libraries/before-typed-events.sqlite");
    std::fs::copy(fixture, &db).unwrap();
    let library = Library::open(&db, "check").unwrap();
    let claims = library.claims(Some(1), None).unwrap();
    assert_eq!(claims.len(), 3);

    let mut window = Window::open_on(dir);
    let s = &mut window.session;
    s.wait_for(
        "article 1 listed",
        "return document.querySelector('#left-list [data-article-id=\"1\"]') !== null;",
        json!([]),
    );
    s.click("#left-list [data-article-id=\"1\"]");
    s.wait_for("article 1 open", "return document.getElementById('reader').dataset.articleId === '1';", json!([]));
    let mut kinds = std::collections::BTreeSet::new();
    for claim in &claims {
        let events = library.history(Some(claim.id)).unwrap();
        s.run(
            "document.querySelector(`#article-text mark[data-claim-id=\"${arguments[0]}\"]`).click(); return null;",
            json!([claim.id]),
        );
        s.wait_for(
            "the claim's history",
            "return document.getElementById('inspector').dataset.claimId === String(arguments[0]) && document.querySelectorAll('#inspector .history li').length === arguments[1];",
            json!([claim.id, events.len()]),
        );
        let shown = s.run(
            "return [...document.querySelectorAll('#inspector .history li')].map(li => li.textContent);",
            json!([]),
        );
        let shown: Vec<String> = serde_json::from_value(shown).unwrap();
        for (line, event) in shown.iter().zip(&events) {
            assert!(line.ends_with(&format!("{} {}", event.actor, event.summary)), "{line:?} vs {:?}", event.summary);
            kinds.insert(event.kind.clone());
        }
    }
    let expected = ["claim_edited", "claim_flagged", "claim_status_changed", "evidence_added", "evidence_removed"];
    assert_eq!(kinds.into_iter().collect::<Vec<_>>(), expected, "every kind a claim's history can hold");
}

/// A library (made with the CLI) of the wire-harbour fixture with one claim; its id.
fn library_with_one_claim() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wire-harbour.txt");
    let article = cli(dir.path(), &["import", fixture.to_str().unwrap()])[0]["id"].to_string();
    let claim =
        cli(dir.path(), &["claim", "add", &article, "--quote", "1,200 containers counted twice"])["id"].to_string();
    (dir, claim)
}

/// Waits for the open article's claim, then selects it with J, as a reader would.
fn select_the_claim(window: &mut Window, claim: &str) {
    let s = &mut window.session;
    s.wait_for(
        "the claim in the reader",
        "return document.querySelector('#article-text mark[data-claim-id]') !== null;",
        json!([]),
    );
    s.press("j");
    s.wait_for(
        "the claim selected",
        "return document.getElementById('inspector').dataset.claimId === arguments[0];",
        json!([claim]),
    );
}

/// Ctrl+Z takes back the last status change with a new event: the highlight and the
/// inspector follow, and the history shows both the change and its undo.
#[test]
fn ctrl_z_undoes_the_last_change_in_the_window() {
    let (dir, claim) = library_with_one_claim();
    let mut window = Window::open_on(dir);
    select_the_claim(&mut window, &claim);
    let s = &mut window.session;
    s.press("4");
    s.wait_for(
        "disputed",
        "return document.querySelector('#article-text mark[data-status=\"disputed\"]') !== null;",
        json!([]),
    );
    s.press_with_control('z');
    s.wait_for(
        "back to unreviewed",
        "return document.querySelector('#article-text mark[data-status=\"disputed\"]') === null && document.querySelector('#article-text mark[data-status=\"unreviewed\"]') !== null;",
        json!([]),
    );
    let history = s.wait_for(
        "the undo in the history",
        "const items = [...document.querySelectorAll('#inspector .history li')].map(li => li.textContent); return items.length === 3 ? items : null;",
        json!([]),
    );
    let history: Vec<String> = serde_json::from_value(history).unwrap();
    assert!(history[1].contains("unreviewed → disputed"), "{history:?}");
    assert!(history[2].contains("disputed → unreviewed") && history[2].contains("undoing event 3"), "{history:?}");
    // Nothing more of this person's to undo: the window says so.
    s.press_with_control('z');
    s.wait_for(
        "the notice",
        "return document.getElementById('notice').textContent.includes('Nothing of yours to undo');",
        json!([]),
    );
    window.screenshot("undo");
}

/// The daily backup made at start is listed in the Backups dialog; restoring it (after a
/// second click) brings the library back to that morning, keeps the replaced library
/// beside it, and the window reloads onto the restored one.
#[test]
fn a_daily_backup_is_restored_from_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wire-harbour.txt");
    cli(dir.path(), &["import", fixture.to_str().unwrap()]);
    let library_path = dir.path().join("library.sqlite");

    let mut window = Window::open_on(dir);
    let s = &mut window.session;
    s.wait_for("today's automatic backup", BACKUP_MADE, json!([]));
    s.wait_for("the article", "return document.getElementById('reader').dataset.articleId === '1';", json!([]));
    let quote = "1,200 containers counted twice";
    assert_eq!(s.run(SELECT_QUOTE, json!([quote])), json!(quote));
    s.press("f");
    s.wait_for(
        "the new claim",
        "return document.querySelector('#article-text mark[data-claim-id]') !== null;",
        json!([]),
    );

    s.click("#backups");
    s.wait_for(
        "the backups listed",
        "return document.querySelectorAll('#backups-list button.restore').length === 1;",
        json!([]),
    );
    window.screenshot("backups-dialog");
    let s = &mut window.session;
    s.click("#backups-list button.restore");
    s.wait_for(
        "asked once more",
        "return document.querySelector('#backups-list button.restore').dataset.armed === 'true';",
        json!([]),
    );
    s.click("#backups-list button.restore");
    s.wait_for(
        "the restored library, reloaded",
        "return document.body.dataset.ready === 'true' && document.getElementById('notice').textContent.startsWith('Restored 1 article(s)');",
        json!([]),
    );
    s.wait_for("no claim any more", "return document.getElementById('reader').dataset.articleId === '1' && document.querySelector('#article-text mark[data-claim-id]') === null;", json!([]));
    window.screenshot("backup-restored");
    let Window { session, dir, .. } = window;
    drop(session);

    let restored = Library::open(&library_path, "check").unwrap();
    assert!(restored.claims(None, None).unwrap().is_empty());
    let kept: Vec<std::path::PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().unwrap().to_str().unwrap().starts_with("library.before-restore-"))
        .collect();
    assert_eq!(kept.len(), 1, "the replaced library is kept");
    assert_eq!(Library::open(&kept[0], "check").unwrap().claims(None, None).unwrap().len(), 1, "with its claim");
}

#[test]
fn hostile_text_is_shown_as_text_and_never_runs() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = dir.path().join("hostile.md");
    std::fs::write(
        &hostile,
        "---\ntitle: \"<img src=x onerror=window.__pwned=1> Breaking\"\noutlet: \"<script>window.__pwned=2</script>\"\n---\n\nA line with <b>bold</b> text and `<script>window.__pwned=3</script>` in code.\n\nAnother with \"><svg onload=window.__pwned=4> and [a link](javascript:window.__pwned=5).\n",
    )
    .unwrap();
    let plain = dir.path().join("hostile.txt");
    std::fs::write(&plain, "<script>window.__pwned=6</script> Invoice \u{202E}fdp.exe\nBody <iframe src=\"https://example.org\"></iframe> <img src=x onerror=\"window.__pwned=7\">\n").unwrap();
    let article = cli(dir.path(), &["import", hostile.to_str().unwrap(), plain.to_str().unwrap()]);
    let first = article[0]["id"].to_string();
    cli(
        dir.path(),
        &[
            "claim",
            "add",
            &first,
            "--quote",
            "<script>window.__pwned=3</script>",
            "--claimant",
            "<img src=x onerror=window.__pwned=8>",
        ],
    );

    let mut window = Window::open_on(dir);
    let s = &mut window.session;
    s.wait_for("an article in the reader", "return document.querySelector('#article-text mark[data-claim-id]') !== null || document.querySelector('#article-text p') !== null;", json!([]));
    // Article 1 last: it holds the hostile claim the inspector is checked on.
    for id in [2, 1] {
        s.run(
            "document.querySelector(`#left-list [data-article-id=\"${arguments[0]}\"] button`).click(); return true;",
            json!([id]),
        );
        s.wait_for(
            "the article open",
            "return document.getElementById('reader').dataset.articleId === String(arguments[0]);",
            json!([id]),
        );
        let inert = s.run(
            "return { pwned: window.__pwned === undefined ? null : window.__pwned,
                      elements: document.querySelectorAll('#article-text img, #article-text script, #article-text svg, #article-text iframe, #article-text b, #article-header img, #left-list img, #left-list script, #left-list iframe').length,
                      text: document.getElementById('article-text').textContent + document.getElementById('article-header').textContent };",
            json!([]),
        );
        assert_eq!(inert["pwned"], Value::Null, "article {id}: {inert}");
        assert_eq!(inert["elements"], 0, "article {id}: {inert}");
        assert!(inert["text"].as_str().unwrap().contains("<"), "markup shown as text: {inert}");
    }
    // A bidi override in a title is shown, not obeyed, in the library list and the header.
    let listed = s.run("return document.getElementById('left-list').textContent + document.getElementById('article-header').textContent;", json!([]));
    let listed = listed.as_str().unwrap();
    assert!(listed.contains("Invoice <U+202E>fdp.exe") && !listed.contains('\u{202E}'), "{listed}");
    s.press("j");
    s.wait_for(
        "the hostile claim inspected",
        "return document.getElementById('inspector').dataset.claimId === '1';",
        json!([]),
    );
    let inspector = s.run("return { pwned: window.__pwned || null, images: document.querySelectorAll('#inspector img, #inspector script').length, claimant: document.getElementById('claimant').value };", json!([]));
    assert_eq!(inspector, json!({ "pwned": null, "images": 0, "claimant": "<img src=x onerror=window.__pwned=8>" }));
    window.screenshot("hostile-text");
}

/// Every payload of the shared XSS list (6,613), put in a saved web page as title, meta
/// tags, JSON-LD, attributes, raw markup and escaped text, imported with the CLI and
/// read in the window: none runs (no dialog, no changed title), none reaches the DOM as
/// an element, and the escaped ones are shown as the text they are.
#[test]
fn the_xss_payload_corpus_imported_from_html_stays_inert() {
    let payloads: Vec<String> = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/xss/xss-payload-list.txt"),
    )
    .expect("the shared XSS corpus")
    .lines()
    .filter(|l| !l.trim().is_empty())
    .map(str::to_owned)
    .collect();
    assert!(payloads.len() > 6_000, "{} payloads", payloads.len());
    let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    let mut page = String::from("<!doctype html><html><head><meta charset=utf-8>");
    page.push_str(&format!("<title>XSS corpus {}</title>", escape(&payloads[..20].join(" "))));
    page.push_str(&format!("<meta property=\"og:site_name\" content=\"{}\">", escape(&payloads[20])));
    page.push_str(&format!("<meta name=\"author\" content=\"{}\">", escape(&payloads[21])));
    let json_ld = serde_json::json!({ "@type": "NewsArticle", "headline": format!("XSS corpus {}", payloads[22]), "author": { "name": payloads[23] } });
    page.push_str(&format!(
        "<script type=\"application/ld+json\">{}</script>",
        json_ld.to_string().replace("</", "<\\/")
    ));
    page.push_str("</head><body><article><h1>XSS corpus</h1>");
    // Escaped: each payload is a paragraph's text.
    for (i, payload) in payloads.iter().enumerate() {
        page.push_str(&format!("<p>Payload {i}, shown as text: {}</p>", escape(payload)));
    }
    // Raw: each payload is markup, which the import must drop or keep only as text. These
    // come last: a `<plaintext>` or unclosed `<textarea>` swallows the rest of the page,
    // as it does in a browser.
    for (i, payload) in payloads.iter().enumerate() {
        page.push_str(&format!("<p title=\"{}\">Payload {i}, as markup: {payload}</p>", escape(payload)));
    }
    page.push_str("</article></body></html>");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("xss-corpus.html");
    std::fs::write(&file, &page).unwrap();
    let article = cli(dir.path(), &["import", file.to_str().unwrap()]);
    assert!(article[0]["title"].as_str().unwrap().starts_with("XSS corpus"), "{}", article[0]["title"]);

    let mut window = Window::open_on(dir);
    let s = &mut window.session;
    s.wait_for(
        "the page in the reader",
        "return document.querySelectorAll('#article-text p').length > 6000;",
        json!([]),
    );
    // Trap the ways a payload shows it ran, then render the article again.
    s.run(
        "window.__ran = 0; for (const f of ['alert', 'prompt', 'confirm', 'print', 'open']) window[f] = () => { window.__ran++; }; return true;",
        json!([]),
    );
    s.click("#left-list [data-article-id] button");
    s.wait_for(
        "the page rendered again",
        "return document.querySelectorAll('#article-text p').length > 6000;",
        json!([]),
    );
    let outcome = s.run(
        "const allowed = new Set(['DIV', 'P', 'MARK']);
         const foreign = [...document.querySelectorAll('#article-text *, #article-header *, #left-list .row-title *')]
             .filter(e => !allowed.has(e.tagName) && !e.closest('#article-header')).map(e => e.tagName);
         const headerForeign = [...document.querySelectorAll('#article-header *')]
             .filter(e => ['SCRIPT', 'IMG', 'IFRAME', 'SVG', 'OBJECT', 'EMBED', 'A', 'FORM', 'INPUT', 'VIDEO', 'AUDIO', 'BODY', 'STYLE', 'LINK', 'META', 'BASE'].includes(e.tagName)).map(e => e.tagName);
         const text = document.getElementById('article-text').textContent;
         return { ran: window.__ran, title: document.title, foreign: foreign.slice(0, 10), headerForeign,
                  scripts: document.scripts.length, shown: text.includes('<script>alert(1)</script>') || text.includes('<script>alert') };",
        json!([]),
    );
    assert_eq!(outcome["ran"], 0, "{outcome}");
    assert_eq!(outcome["title"], "Factdesk", "{outcome}");
    assert_eq!(outcome["foreign"], json!([]), "{outcome}");
    assert_eq!(outcome["headerForeign"], json!([]), "{outcome}");
    assert_eq!(outcome["shown"], true, "escaped payloads are shown as text: {outcome}");
    let scripts = s.run("return [...document.scripts].map(s => s.src || 'inline');", json!([]));
    let scripts: Vec<String> = serde_json::from_value(scripts).unwrap();
    assert!(scripts.len() == 1 && scripts[0].ends_with("/main.js"), "only the app's own module script: {scripts:?}");
    window.screenshot("xss-corpus");
}

/// The claim assistant in the window: faint suggestions at the spans `factdesk suggest`
/// prints, the article's checks in the inspector, `s` to pick one, `a` to accept it as a
/// claim with its claimant prefilled, `x` to dismiss one for good.
#[test]
fn suggestions_are_accepted_and_dismissed_with_one_key() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    // The council story names Ana Petrova; the ferry story (imported last, so opened
    // first) spells her Petrowa.
    let tram =
        cli(dir.path(), &["import", fixtures.join("council-tram.txt").to_str().unwrap()])[0]["id"].as_i64().unwrap();
    let article =
        cli(dir.path(), &["import", fixtures.join("ferry-strike.txt").to_str().unwrap()])[0]["id"].as_i64().unwrap();
    let suggested = cli(dir.path(), &["suggest", &article.to_string()]);
    let suggested = suggested.as_array().unwrap();
    assert!(suggested.len() >= 3, "{suggested:?}");

    let mut window = Window::open_on(dir);
    let s = &mut window.session;
    let shown = s.wait_for(
        "the suggestions in the reader",
        "const marks = [...document.querySelectorAll('#article-text mark.suggestion')]; \
         if (!marks.length) return null; \
         const byStart = {}; \
         for (const m of marks) byStart[m.dataset.suggestionStart] = (byStart[m.dataset.suggestionStart] || '') + m.textContent; \
         return byStart;",
        json!([]),
    );
    let expected: serde_json::Map<String, Value> =
        suggested.iter().map(|x| (x["start"].to_string(), x["text"].clone())).collect();
    assert_eq!(shown, Value::Object(expected), "the same sentences at the same spans as the CLI");
    let checks = s.wait_for(
        "the article's checks",
        "const w = [...document.querySelectorAll('#inspector .check')].map(li => li.textContent); return w.length ? w : null;",
        json!([]),
    );
    let checks = checks.to_string();
    assert!(checks.contains("“Tomasz Kaczmarek” (1 mention) and “Kaczmarec” (1 mention)"), "{checks}");
    assert!(checks.contains("“2,400 passengers” and “2,300 passengers”"), "{checks}");
    assert!(checks.contains(&format!("“Ana Petrowa” here is spelled “Ana Petrova” in article {tram}")), "{checks}");

    // s picks the first suggestion; a makes it a claim with the claimant prefilled.
    let first = &suggested[0];
    s.press("s");
    s.wait_for(
        "the first suggestion in the inspector",
        "return document.getElementById('inspector').dataset.suggestionStart === String(arguments[0]);",
        json!([first["start"]]),
    );
    s.press("a");
    let claim_id = s.wait_for(
        "the accepted claim",
        "return document.getElementById('inspector').dataset.claimId || null;",
        json!([]),
    );
    let claimant = s.run("return document.getElementById('claimant').value;", json!([]));
    assert_eq!(claimant, first["claimant"]);
    let highlighted = s.run(CLAIMS_IN_READER, json!([]));
    assert_eq!(highlighted[claim_id.as_str().unwrap()], json!({ "status": "unreviewed", "text": first["text"] }));
    let left = s.run("return document.querySelectorAll('#article-text mark.suggestion[data-suggestion-start=\"' + arguments[0] + '\"]').length;", json!([first["start"]]));
    assert_eq!(left, json!(0), "an accepted suggestion is a claim now, not a suggestion");

    // s moves on from the new claim; x dismisses that suggestion and selects the next.
    let second = &suggested[1];
    let third = &suggested[2];
    s.press("s");
    s.wait_for(
        "the second suggestion",
        "return document.getElementById('inspector').dataset.suggestionStart === String(arguments[0]);",
        json!([second["start"]]),
    );
    window.screenshot("suggestion-selected");
    let s = &mut window.session;
    s.press("x");
    s.wait_for(
        "the third suggestion selected after the dismissal",
        "return document.getElementById('inspector').dataset.suggestionStart === String(arguments[0]);",
        json!([third["start"]]),
    );
    let gone = s.run("return document.querySelectorAll('#article-text mark.suggestion[data-suggestion-start=\"' + arguments[0] + '\"]').length;", json!([second["start"]]));
    assert_eq!(gone, json!(0));
    let text = s.run("return document.getElementById('article-text').textContent;", json!([]));
    assert!(text.as_str().unwrap().contains(second["text"].as_str().unwrap()), "dismissing leaves the text as it was");

    // A check's mention selects that passage in the article; f flags it.
    s.press("\u{E00C}"); // Escape: the article's checks again
    s.wait_for(
        "the mention buttons",
        "return [...document.querySelectorAll('#inspector button.mention')].some(b => b.textContent === 'Kaczmarec');",
        json!([]),
    );
    window.screenshot("article-checks");
    let s = &mut window.session;
    let second_spelling = "#inspector .check:first-child button.mention:nth-of-type(2)";
    assert_eq!(
        s.run("return document.querySelector(arguments[0]).textContent;", json!([second_spelling])),
        json!("Kaczmarec")
    );
    s.click(second_spelling);
    let selected =
        s.wait_for("the mention selected", "const t = window.getSelection().toString(); return t || null;", json!([]));
    assert_eq!(selected, json!("Kaczmarec"));
    s.press("f");
    s.wait_for("the mention flagged", "const m = [...document.querySelectorAll('#article-text mark[data-claim-id]')]; return m.some(x => x.textContent === 'Kaczmarec');", json!([]));

    // The toolbar hides the suggestions and shows them again.
    let s = &mut window.session;
    let count = "return document.querySelectorAll('#article-text mark.suggestion').length;";
    let before = s.run(count, json!([]));
    assert!(before.as_u64().unwrap() > 0);
    s.click("#suggestions-toggle");
    s.wait_for("the suggestions hidden", "return document.querySelectorAll('#article-text mark.suggestion').length === 0 && document.getElementById('suggestions-toggle').getAttribute('aria-pressed') === 'false';", json!([]));
    s.click("#suggestions-toggle");
    s.wait_for(
        "the suggestions back",
        "return document.querySelectorAll('#article-text mark.suggestion').length === arguments[0];",
        json!([before]),
    );

    // A check about another article opens it.
    s.press("\u{E00C}");
    s.click("#inspector button.open-article");
    s.wait_for(
        "the other article in the reader",
        "return document.getElementById('reader').dataset.articleId === String(arguments[0]);",
        json!([tram]),
    );

    let db = window.db();
    let Window { session, dir, .. } = window;
    drop(session);
    let library = Library::open(&db, "check").unwrap();
    let claims = library.claims(Some(article), None).unwrap();
    assert_eq!(claims.len(), 2);
    let accepted = claims.iter().find(|c| json!(c.quote) == first["text"]).expect("the accepted suggestion");
    assert_eq!(json!(accepted.claimant), first["claimant"]);
    assert!(claims.iter().any(|c| c.quote == "Kaczmarec"), "the mention flagged from the checks");
    let still = library.suggestions(article, factdesk_core::assist::default_min_score()).unwrap();
    assert!(still.iter().all(|x| json!(x.start) != second["start"]), "the dismissal is kept in the library");
    assert_eq!(
        still.len(),
        suggested.len() - 1,
        "only the dismissed one is gone (claims do not hide suggestions in the library)"
    );
    let dismissed: Vec<_> =
        library.history(None).unwrap().into_iter().filter(|e| e.kind == "suggestion_dismissed").collect();
    assert_eq!(dismissed.len(), 1);
    assert_eq!(dismissed[0].actor, "e2e tester");
    assert_eq!(dismissed[0].payload["quote"], second["text"]);
    let flagged = library.history(Some(accepted.id)).unwrap();
    assert_eq!(flagged[0].kind, "claim_flagged");
    assert_eq!(flagged[0].payload["suggested"]["score"], first["score"], "the history says the claim was suggested");
    let by_hand = claims.iter().find(|c| c.quote == "Kaczmarec").unwrap();
    assert!(library.history(Some(by_hand.id)).unwrap()[0].payload.get("suggested").is_none());
    drop(dir);
}

/// Runs `xdotool` on the test's display; its `--sync` searches wait for the window.
fn xdotool(args: &[&str]) -> String {
    let output = Command::new("xdotool").args(args).output().expect("xdotool (scripts/test installs it)");
    assert!(output.status.success(), "xdotool {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// Save… in the report dialog opens the native save dialog (driven here with xdotool,
/// as a user would type a path) and writes the report in the chosen format, all of it.
#[test]
fn a_report_is_saved_through_the_native_save_dialog() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wire-harbour.txt");
    let article = cli(dir.path(), &["import", fixture.to_str().unwrap()])[0]["id"].to_string();
    cli(dir.path(), &["claim", "add", &article, "--quote", "1,200 containers counted twice"]);
    let target = dir.path().join("saved report.md");

    let mut window = Window::open_on(dir);
    let s = &mut window.session;
    s.wait_for(
        "the claim in the reader",
        "return document.querySelector('#article-text mark[data-claim-id]') !== null;",
        json!([]),
    );
    s.press("r");
    s.wait_for("the report dialog", "return document.getElementById('report-dialog').open;", json!([]));
    s.run(
        "const f = document.getElementById('report-format'); f.value = 'md'; f.dispatchEvent(new Event('change'));",
        json!([]),
    );
    s.click("#report-save");
    // The GTK dialog: wait until it is mapped (a window that exists but is not yet viewable
    // cannot take the focus: X answers BadMatch), focus its name field, type the path, Enter.
    let dialog = xdotool(&["search", "--sync", "--onlyvisible", "--name", "Export verification report"]);
    let dialog = dialog.lines().next().unwrap().trim().to_owned();
    xdotool(&["windowfocus", "--sync", &dialog]);
    xdotool(&["key", "--clearmodifiers", "ctrl+a"]);
    xdotool(&["type", "--delay", "5", target.to_str().unwrap()]);
    xdotool(&["key", "Return"]);
    let notice = s.wait_for(
        "the saved notice",
        "const n = document.getElementById('notice').textContent; return n.startsWith('Saved') ? n : null;",
        json!([]),
    );
    assert!(notice.as_str().unwrap().contains("saved report.md"), "{notice}");
    let saved = std::fs::read_to_string(&target).unwrap();
    assert!(saved.starts_with("# Verification report"), "{}", &saved[..saved.len().min(200)]);
    assert!(saved.contains("1,200 containers counted twice"));
    assert!(saved.contains("## Integrity"), "the whole report, to its end");
}

/// Waits for the window, then pastes `url` in From URL… and starts the import.
fn import_from_url(s: &mut super::webdriver::Session, url: &str) {
    s.wait_for("the window", "return document.body.dataset.ready === 'true';", json!([]));
    s.click("#import-url");
    s.type_into("#url-input", url);
    s.click("#url-fetch");
}

/// Import from URL… fetches a page from a real server (on loopback, the one address the
/// app is allowed to reach), the evidence form keeps a copy of its source's page, and the
/// snapshot panel shows what was captured as text, with its hash.
#[test]
fn a_page_is_imported_from_a_url_and_evidence_keeps_a_copy_of_its_page() {
    let server = crate::http_server::TestServer::start();
    let address = server.address.to_string();
    let mut window = Window::open_with(tempfile::tempdir().unwrap(), &[("FACTDESK_ALLOW_ADDRESSES", address.as_str())]);
    let s = &mut window.session;
    import_from_url(s, &server.url("/redirect/1"));
    s.wait_for(
        "the fetched article in the reader",
        "return document.getElementById('article-header').textContent.includes(arguments[0]);",
        json!([crate::http_server::ARTICLE_TITLE]),
    );
    let quote = "4.2 million tonnes of cargo";
    assert_eq!(s.run(SELECT_QUOTE, json!([quote])), json!(quote));
    s.press("f");
    s.wait_for("the new claim", "return document.getElementById('inspector').dataset.claimId || null;", json!([]));
    s.type_into("#ev-title", "Harbour authority figures");
    s.type_into("#ev-url", &server.url("/gzip-article"));
    s.click("#ev-add");
    s.wait_for(
        "the kept copy on the evidence",
        "return document.querySelector('#inspector .evidence .snapshot-open') !== null;",
        json!([]),
    );
    s.click("#inspector .evidence .snapshot-open");
    s.wait_for("the snapshot panel", "return document.getElementById('snapshot-dialog').open;", json!([]));
    let shown = s.run(
        "return { text: document.getElementById('snapshot-text').textContent, hash: document.getElementById('snapshot-sha256').textContent, facts: document.getElementById('snapshot-facts').textContent, markup: document.querySelectorAll('#snapshot-text nav, #snapshot-text article, #snapshot-text footer').length };",
        json!([]),
    );
    window.screenshot("snapshot-panel");
    assert!(shown["text"].as_str().unwrap().contains(crate::http_server::ARTICLE_SENTENCE), "{shown}");
    assert_eq!(shown["markup"], 0, "the page's markup is not in the window");
    assert!(shown["facts"].as_str().unwrap().contains(&server.url("/gzip-article")), "{shown}");

    let db = window.db();
    let Window { session, dir, .. } = window;
    drop(session);
    let library = Library::open(&db, "check").unwrap();
    let snapshots = library.snapshots().unwrap();
    assert_eq!(snapshots.len(), 2, "the article's page and the evidence's page");
    assert_eq!(snapshots[0].final_url, server.url("/article"));
    assert_eq!(json!(snapshots[1].sha256), shown["hash"]);
    assert!(library.file_problems().unwrap().problems.is_empty());
    drop(dir);
}

/// A new version of an article, imported from the same address (its canonical link) in
/// the window: the claim whose figure changed is shown as changed, old and new words side
/// by side, and one key accepts the new span.
#[test]
fn a_new_version_shows_the_changed_claim_and_one_key_accepts_it() {
    let server = crate::http_server::TestServer::start();
    let address = server.address.to_string();
    let dir = tempfile::tempdir().unwrap();
    let allow = ["--allow-address", address.as_str()];
    let first = cli(dir.path(), &["import", &server.url("/canonical"), allow[0], allow[1]])[0]["id"].as_i64().unwrap();
    let claim = cli(dir.path(), &["claim", "add", &first.to_string(), "--quote", "4.2 million tonnes of cargo"])["id"]
        .as_i64()
        .unwrap();
    cli(dir.path(), &["claim", "status", &claim.to_string(), "confirmed"]);

    let mut window = Window::open_with(dir, &[("FACTDESK_ALLOW_ADDRESSES", address.as_str())]);
    let s = &mut window.session;
    import_from_url(s, &server.url("/canonical-revised"));
    s.wait_for(
        "the library marking the article to re-check",
        "const b = document.querySelector('#left-list .recheck-badge'); return b && b.textContent;",
        json!([]),
    );
    s.wait_for(
        "the version bar",
        "const bar = document.getElementById('version-bar'); return bar.textContent.includes('Version 2 of 2') || null;",
        json!([]),
    );
    let mark = format!("#article-text mark[data-claim-id=\"{claim}\"]");
    let marked = s.wait_for(
        "the proposed span",
        "const m = document.querySelector(arguments[0]); return m && m.textContent;",
        json!([mark]),
    );
    assert_eq!(marked, json!("3.9 million tonnes of cargo"));
    s.click(&mark);
    let shown = s.wait_for(
        "the changed claim in the inspector",
        "const a = document.querySelector('#inspector .anchor-section'); return a && { old: a.querySelector('.old-quote').textContent, now: a.querySelector('.new-quote').textContent };",
        json!([]),
    );
    assert_eq!(shown, json!({ "old": "4.2 million tonnes of cargo", "now": "3.9 million tonnes of cargo" }));
    window.screenshot("changed-claim");
    let s = &mut window.session;
    s.press("a");
    s.wait_for(
        "the claim placed",
        "return document.querySelector('#inspector .anchor-section') === null && document.querySelector('#left-list .recheck-badge') === null;",
        json!([]),
    );
    s.click("#what-changed");
    let changes = s.wait_for(
        "the word diff",
        "const d = document.getElementById('changes-dialog'); return d.open && [...d.querySelectorAll('del, ins')].map(e => e.tagName + ':' + e.textContent);",
        json!([]),
    );
    assert_eq!(changes, json!(["DEL:4.2", "INS:3.9"]));

    let db = window.db();
    let Window { session, dir, .. } = window;
    drop(session);
    let library = Library::open(&db, "check").unwrap();
    let placed = library.claim(claim).unwrap();
    assert_eq!((placed.anchor.state, placed.anchor.version), (factdesk_core::AnchorState::Exact, 2));
    assert_eq!(placed.quote, "3.9 million tonnes of cargo");
    assert_eq!(placed.status, Status::Confirmed, "the status was kept");
    assert_eq!(library.articles().unwrap().len(), 1, "a version, not a second article");
    drop(dir);
}

/// A library file that cannot be written opens in the window: it is read as usual, and a
/// status key is refused with the one line the CLI prints, the file left as it was.
#[test]
fn a_read_only_library_is_read_and_a_change_is_refused_in_one_line() {
    let (dir, claim) = library_with_one_claim();
    let db = dir.path().join("library.sqlite");
    let before = std::fs::read(&db).unwrap();
    let guard = crate::unwritable::Unwritable::make(&db);

    let mut window = Window::open_on(dir);
    select_the_claim(&mut window, &claim);
    let s = &mut window.session;
    s.press("4");
    let notice = s.wait_for(
        "the refusal",
        "const n = document.getElementById('notice'); return n.classList.contains('error') ? n.textContent : null;",
        json!([]),
    );
    let notice = notice.as_str().unwrap().to_owned();
    assert!(notice.contains("the library file cannot be written"), "{notice}");
    assert!(!notice.contains('\n'), "one line: {notice}");
    let status = s.run("return document.querySelector('#article-text mark[data-claim-id]').dataset.status;", json!([]));
    assert_eq!(status, "unreviewed", "the window did not pretend the change was saved");
    window.screenshot("read-only-library");
    let db = window.db();
    drop(window);
    drop(guard);
    assert_eq!(std::fs::read(&db).unwrap(), before, "the file was not touched");
}

/// A library of thousands of articles: the list holds only the rows in view, scrolling
/// to the end brings the oldest article, and the board and search are paged with the
/// counts the core gives.
#[test]
fn a_large_library_lists_only_the_rows_in_view() {
    use factdesk_core::scale::{generate_library, ScaleSpec};
    let dir = tempfile::tempdir().unwrap();
    // Every claim gets a status change or two, so each status has claims.
    let spec = ScaleSpec { articles: 3_000, words_per_article: 40, claims_per_article: 2, events: 17_000 };
    let library = Library::open(&dir.path().join("library.sqlite"), "generator").unwrap();
    generate_library(&library, &spec, |_| {}).unwrap();
    let oldest = library.article_page(2_999, 1).unwrap().rows[0].id;
    let disputed = library.claim_page(Some(Status::Disputed), 0, 1).unwrap().total;
    assert!(disputed > 100, "{disputed}");
    let minister = library.search_page("minister", 0, 1).unwrap();
    drop(library);

    let mut window = Window::open_on(dir);
    let s = &mut window.session;
    s.wait_for("the library", "return document.body.dataset.ready === 'true';", json!([]));
    let shown = s.run(
        "return [document.getElementById('list-summary').textContent, document.querySelectorAll('#left-list li').length];",
        json!([]),
    );
    assert_eq!(shown[0], "3,000 articles");
    assert!(shown[1].as_u64().unwrap() < 60, "only the rows in view are in the DOM: {shown}");
    s.run("const v = document.getElementById('left-scroll'); v.scrollTop = v.scrollHeight; return null;", json!([]));
    s.wait_for(
        "the oldest article at the end of the list",
        "return document.querySelector(`#left-list [data-article-id=\"${arguments[0]}\"]`) !== null;",
        json!([oldest]),
    );
    s.click(&format!("#left-list [data-article-id=\"{oldest}\"] button"));
    s.wait_for(
        "the oldest article open",
        "return document.getElementById('reader').dataset.articleId === String(arguments[0]);",
        json!([oldest]),
    );
    window.screenshot("large-library-end");

    let s = &mut window.session;
    s.click("#tab-board");
    s.run(
        "const f = document.getElementById('board-filter'); f.value = 'disputed'; f.dispatchEvent(new Event('change')); return null;",
        json!([]),
    );
    s.wait_for(
        "the disputed claims counted",
        "return document.getElementById('list-summary').textContent.startsWith(arguments[0]);",
        json!([format!("{} claims disputed", thousands(disputed))]),
    );
    let rows = s.wait_for(
        "the board's rows",
        "const n = document.querySelectorAll('#left-list .board-row').length; return n > 3 ? n : null;",
        json!([]),
    );
    assert!(rows.as_u64().unwrap() < 60, "only the rows in view: {rows}");
    s.type_into("#search", "minister");
    let expected = format!("{} articles and {} claims match", thousands(minister.articles), thousands(minister.claims));
    s.wait_for(
        "the search counted",
        "return document.getElementById('list-summary').textContent === arguments[0];",
        json!([expected]),
    );
    let hits = s.wait_for(
        "the search's rows",
        "const n = document.querySelectorAll('#left-list .search-hit').length; return n > 3 ? n : null;",
        json!([]),
    );
    assert!(hits.as_u64().unwrap() < 60, "only the rows in view: {hits}");
    window.screenshot("large-library-search");
}

/// 12345 → "12,345", as the window writes counts.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
