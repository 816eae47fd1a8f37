//! The desktop app's targets (issue 4), measured in the real release window under Xvfb
//! through tauri-driver, the same way the E2E tests drive it:
//! - process start → library painted (`library-shown` mark; process start from /proc),
//! - opening an article with 500 claims → painted (`open-article:500` measure),
//! - a status key → highlight repainted (`set-status` measure),
//! - PSS of the app and its WebKit processes with that article open.
//!
//! The UI records the marks with the User Timing API (`measureToPaint` in `ui/main.js`):
//! from the start of the action to the frame after the DOM change.
//!
//! Run: `cargo build --release -p factdesk-app && xvfb-run cargo bench --bench app`
//!
//! With `FACTDESK_SCALE_LIBRARY=PATH` (a library `generate-library` wrote), it measures
//! the window on that library instead: start-up, the claims board and search.

#[path = "../tests/e2e/webdriver.rs"]
#[allow(dead_code)]
mod webdriver;

use std::path::{Path, PathBuf};

use factdesk_core::{ClaimTarget, Format, Library, NewClaim, Status};
use serde_json::{json, Value};
use webdriver::Session;

const LAUNCHES: usize = 5;
const OPENS: usize = 10;
const STATUS_CHANGES: usize = 20;

fn app() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("release/factdesk-app")
}

/// A 550-claim article (500 sentences with a claim each, and 50 claims overlapping
/// them) and a small one.
fn build_library(db: &Path) -> (i64, i64) {
    let library = Library::open(db, "bench").unwrap();
    let mut text = String::from(" date 2025-03-14 Five hundred claims in one long briefing\nValletta • Bench Wire\n");
    for n in 0..500 {
        text.push_str(&format!(
            "Officials said figure {n} rose by {}.{} per cent to {} tonnes, “the largest since 2019”.",
            n % 9 + 1,
            n % 10,
            1000 + n * 7
        ));
        text.push(if n % 5 == 4 { '\n' } else { ' ' });
    }
    let big = library.import_bytes("big.txt", text.into_bytes(), Format::Text).unwrap().article().id;
    let statuses = [Status::Unreviewed, Status::Confirmed, Status::Unconfirmed, Status::Disputed, Status::False];
    for n in 0..500 {
        let quote =
            if n % 10 == 9 { format!("figure {n} rose by") } else { format!("Officials said figure {n} rose by") };
        let target = ClaimTarget::Quote { quote, occurrence: None };
        let claim = library.add_claim(NewClaim { article_id: big, target, claimant: None, note: None }).unwrap();
        if statuses[n % 5] != Status::Unreviewed {
            library.set_status(claim.id, statuses[n % 5], None).unwrap();
        }
    }
    // Every tenth claim sits inside its sentence's longer claim: overlapping highlights.
    for n in (9..500).step_by(10) {
        let target = ClaimTarget::Quote { quote: format!("Officials said figure {n} rose"), occurrence: None };
        library.add_claim(NewClaim { article_id: big, target, claimant: None, note: None }).unwrap();
    }
    let small_text =
        " date 2025-03-15 A short note\nValletta • Bench Wire\nThe port said one thing. The ministry said another.\n";
    let small = library.import_bytes("small.txt", small_text.as_bytes().to_vec(), Format::Text).unwrap().article().id;
    (big, small)
}

fn open_window(dir: &Path) -> Session {
    Session::start(
        &app(),
        &[
            ("FACTDESK_DB", &dir.join("library.sqlite")),
            ("FACTDESK_ACTOR", Path::new("bench")),
            ("XDG_DATA_HOME", &dir.join("xdg")),
        ],
    )
}

/// Seconds since `pid` started, from /proc (10 ms resolution).
fn seconds_since_start(pid: u32) -> f64 {
    let ticks_per_second = 100.0; // CLK_TCK on Linux
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let after_name = &stat[stat.rfind(')').unwrap() + 2..];
    let start_ticks: f64 = after_name.split(' ').nth(19).unwrap().parse().unwrap();
    let uptime: f64 = std::fs::read_to_string("/proc/uptime").unwrap().split(' ').next().unwrap().parse().unwrap();
    uptime - start_ticks / ticks_per_second
}

fn newest_pid(name: &str) -> u32 {
    let out = std::process::Command::new("pgrep").args(["-n", "-x", name]).output().unwrap();
    String::from_utf8(out.stdout).unwrap().trim().parse().unwrap_or_else(|_| panic!("no {name} process"))
}

/// `pid` and all its descendants.
fn process_tree(pid: u32) -> Vec<u32> {
    let mut tree = vec![pid];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(child) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{child}/stat")) else { continue };
            let ppid: u32 = stat[stat.rfind(')').unwrap() + 2..].split(' ').nth(1).unwrap().parse().unwrap();
            if ppid == parent && !tree.contains(&child) {
                tree.push(child);
            }
        }
        i += 1;
    }
    tree
}

/// (name, PSS in KiB) of each process.
fn pss(pids: &[u32]) -> Vec<(String, u64)> {
    pids.iter()
        .filter_map(|pid| {
            let name = std::fs::read_to_string(format!("/proc/{pid}/comm")).ok()?.trim().to_owned();
            let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
            let kib = rollup.lines().find(|l| l.starts_with("Pss:"))?.split_whitespace().nth(1)?.parse().ok()?;
            Some((name, kib))
        })
        .collect()
}

fn measures(session: &mut Session, name: &str) -> Vec<f64> {
    let value = session
        .run("return performance.getEntriesByName(arguments[0], 'measure').map(m => m.duration);", json!([name]));
    value.as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect()
}

fn summary(label: &str, mut samples: Vec<f64>, target: &str) -> String {
    samples.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let mean = samples.iter().sum::<f64>() / samples.len() as f64;
    format!(
        "| {label} | {} | {:.0} ms | {:.0} ms | {:.0} ms | {target} |",
        samples.len(),
        samples[samples.len() / 2],
        mean,
        samples[samples.len() - 1]
    )
}

/// Runs `script` and waits until the UI has recorded one more `measure`.
fn measure_once(session: &mut Session, measure: &str, script: &str, args: Value) {
    let before = measures(session, measure).len();
    session.run(script, args);
    session.wait_for(
        measure,
        "return performance.getEntriesByName(arguments[0], 'measure').length > arguments[1];",
        json!([measure, before]),
    );
}

/// The window on a newsroom-sized library (`generate-library`, issue 14): start-up to
/// painted, the claims board's first page by status, and search's first page, each from
/// the action to the frame after the rows are in the DOM (`left-pane:*` measures).
fn newsroom(library: &Path) {
    let dir = tempfile::tempdir().unwrap();
    // Today's automatic backup "exists", so the app does not copy 4 GB in the background
    // of every measured start (a first start of the day would, on its own connection).
    let backups = dir.path().join("xdg/org.factdesk.desktop/backups");
    std::fs::create_dir_all(&backups).unwrap();
    let today = chrono::Utc::now().date_naive().format("%Y-%m-%d");
    std::fs::write(backups.join(format!("library-{today}.sqlite")), b"").unwrap();
    let start = |dir: &Path| {
        Session::start(
            &app(),
            &[("FACTDESK_DB", library), ("FACTDESK_ACTOR", Path::new("bench")), ("XDG_DATA_HOME", &dir.join("xdg"))],
        )
    };
    let mut starts = Vec::new();
    for launch in 0..=LAUNCHES {
        let mut session = start(dir.path());
        let ago = session.wait_for(
            "the library to be painted",
            "const m = performance.getEntriesByName('library-shown')[0]; return m ? performance.now() - m.startTime : null;",
            json!([]),
        );
        let since_start = seconds_since_start(newest_pid("factdesk-app")) * 1e3;
        if launch > 0 {
            starts.push(since_start - ago.as_f64().unwrap());
        }
    }
    println!("{}", summary("100,000 articles: process start → library painted", starts, "< 1 s"));

    let mut session = start(dir.path());
    session.wait_for("the library", "return document.body.dataset.ready === 'true';", json!([]));
    let rows = session.run("return document.querySelectorAll('#left-list li').length;", json!([]));
    let summary_line = session.run("return document.getElementById('list-summary').textContent;", json!([]));
    println!("(the list: {summary_line}, {rows} rows in the DOM)");
    let shots = app().with_file_name("scale-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    session.run("document.getElementById('left-scroll').scrollTop = 4_000_000; return null;", json!([]));
    session.wait_for(
        "rows deep in the list",
        "return [...document.querySelectorAll('#left-list li.article-row')].some(li => li.getBoundingClientRect().top > 0);",
        json!([]),
    );
    session.screenshot(&shots.join("articles-deep.png"));
    session.click("#tab-board");
    let statuses = ["confirmed", "unreviewed", "disputed", "false", "unconfirmed", ""];
    let set_status = "const f = document.getElementById('board-filter'); f.value = arguments[0]; \
                      f.dispatchEvent(new Event('change')); return null;";
    for status in statuses.iter().chain(&statuses) {
        measure_once(&mut session, "left-pane:board", set_status, json!([status]));
    }
    println!(
        "{}",
        summary(
            "100,000 articles: board status chosen → first page painted",
            measures(&mut session, "left-pane:board"),
            "< 20 ms (core)"
        )
    );
    let type_query = "const s = document.getElementById('search'); s.value = arguments[0]; \
                      s.dispatchEvent(new Event('input')); return null;";
    for query in ["minister", "envosenbu", "report 4711", "ensar", "budget minister", "port", "minis"] {
        measure_once(&mut session, "left-pane:search", type_query, json!([query]));
    }
    println!(
        "{}",
        summary(
            "100,000 articles: search → first page painted",
            measures(&mut session, "left-pane:search"),
            "< 20 ms (core)"
        )
    );
    session.screenshot(&shots.join("search.png"));
    session.click("#tab-board");
    session.run("document.getElementById('search').value = ''; document.getElementById('search').dispatchEvent(new Event('input')); return null;", json!([]));
    session.wait_for("the board", "return document.querySelector('#left-list .board-row') !== null;", json!([]));
    // The end of a million rows (taller than WebKit can lay out: the scroll maps in proportion).
    session
        .run("const v = document.getElementById('left-scroll'); v.scrollTop = v.scrollHeight; return null;", json!([]));
    session.wait_for(
        "the board's last rows",
        "return document.querySelector('#left-list [data-board-claim-id=\"1\"]') !== null;",
        json!([]),
    );
    session.screenshot(&shots.join("board.png"));
}

fn main() {
    assert!(app().exists(), "build the release app first: cargo build --release -p factdesk-app");
    if let Some(library) = std::env::var_os("FACTDESK_SCALE_LIBRARY") {
        newsroom(Path::new(&library));
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (big, small) = build_library(&dir.path().join("library.sqlite"));
    println!("| what | runs | median | mean | max | target |\n| :-- | --: | --: | --: | --: | :-- |");

    // Start to library: one launch to warm the disk cache, then LAUNCHES measured ones.
    let (mut starts, mut navigations, mut modules) = (Vec::new(), Vec::new(), Vec::new());
    for launch in 0..=LAUNCHES {
        let mut session = open_window(dir.path());
        // How long ago (ms) the library was painted, and the page's navigation began.
        let ago = session.wait_for(
            "the library to be painted",
            "const m = performance.getEntriesByName('library-shown')[0]; \
             const ui = performance.getEntriesByName('ui-start')[0]; \
             return m ? [performance.now() - m.startTime, performance.now(), ui.startTime] : null;",
            json!([]),
        );
        let since_start = seconds_since_start(newest_pid("factdesk-app")) * 1e3;
        if launch > 0 {
            starts.push(since_start - ago[0].as_f64().unwrap());
            navigations.push(since_start - ago[1].as_f64().unwrap());
            modules.push(ago[2].as_f64().unwrap());
        }
    }
    println!("{}", summary("process start → library painted", starts, "< 1 s"));
    println!("{}", summary("(of which: process start → page navigation starts)", navigations, ""));
    println!("{}", summary("(of which: navigation → UI modules loaded and running)", modules, ""));

    let mut session = open_window(dir.path());
    let row = |id: i64| format!("#left-list [data-article-id=\"{id}\"] button");
    session.wait_for("the library", "return document.body.dataset.ready === 'true';", json!([]));
    for _ in 0..OPENS {
        for id in [small, big] {
            let before =
                measures(&mut session, "open-article:550").len() + measures(&mut session, "open-article:0").len();
            session.click(&row(id));
            session.wait_for(
                "the article to be painted",
                "return performance.getEntriesByName('open-article:550').length + performance.getEntriesByName('open-article:0').length > arguments[0];",
                json!([before]),
            );
        }
    }
    println!(
        "{}",
        summary("open the 550-claim article → painted", measures(&mut session, "open-article:550"), "< 200 ms")
    );

    session.click("#article-text mark[data-claim-id]");
    session.wait_for(
        "a selected claim",
        "return document.getElementById('inspector').dataset.claimId || null;",
        json!([]),
    );
    for n in 0..STATUS_CHANGES {
        let key = ["2", "4"][n % 2];
        let before = measures(&mut session, "set-status").len();
        session.press(key);
        session.wait_for(
            "the highlight to repaint",
            "return performance.getEntriesByName('set-status').length > arguments[0];",
            json!([before]),
        );
    }
    println!("{}", summary("status key → highlight repainted", measures(&mut session, "set-status"), "< 50 ms"));

    let processes = pss(&process_tree(newest_pid("factdesk-app")));
    let total: u64 = processes.iter().map(|p| p.1).sum();
    let parts: Vec<String> = processes.iter().map(|(n, k)| format!("{n} {:.0}", *k as f64 / 1024.0)).collect();
    println!(
        "\nPSS with the 550-claim article open: {:.0} MiB ({}) — aim < 300 MiB",
        total as f64 / 1024.0,
        parts.join(", ")
    );
    let _: Value = session.run("return null;", json!([]));
}
