//! Golden files: every format's full output on the fixture library, byte for byte, so
//! any change to a report shows in review. `FACTDESK_UPDATE_GOLDEN=1 scripts/test`
//! rewrites them; read the diff before committing.

use std::path::PathBuf;

use factdesk_core::{ReportFormat, ReportScope, Status};

use super::fixture;

fn golden_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name)
}

#[track_caller]
fn assert_golden(name: &str, actual: &str) {
    let path = golden_path(name);
    if std::env::var_os("FACTDESK_UPDATE_GOLDEN").is_some() {
        let changed = std::fs::read_to_string(&path).ok().as_deref() != Some(actual);
        if changed {
            std::fs::write(&path, actual).unwrap();
            // Never green on a rewrite: the new file needs a review and a run without the flag.
            panic!("{} rewritten: review the diff, then run again without FACTDESK_UPDATE_GOLDEN", path.display());
        }
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run with FACTDESK_UPDATE_GOLDEN=1 to create it", path.display()));
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from the golden file at line {}:\n  golden: {:?}\n  actual: {:?}\n(FACTDESK_UPDATE_GOLDEN=1 rewrites it)",
            line + 1,
            expected.lines().nth(line),
            actual.lines().nth(line)
        );
    }
}

#[test]
fn every_format_matches_its_golden_file() {
    let dir = tempfile::tempdir().unwrap();
    let desks = fixture::build(&dir.path().join("library.sqlite"));
    for format in ReportFormat::ALL {
        let request = fixture::request(*format, ReportScope::All, None);
        let first = fixture::render(&desks.reporter, &request);
        // Deterministic: a second run gives the same bytes.
        assert_eq!(first, fixture::render(&desks.reporter, &request), "{format} output varies between runs");
        assert_golden(&format!("library.{}", format.extension()), &first);
    }
    let one_article = fixture::request(ReportFormat::Html, ReportScope::Articles(vec![2]), Some(Status::False));
    assert_golden("tram-false-only.html", &fixture::render(&desks.reporter, &one_article));
}

/// The golden files must describe a library that is really like that: the chain head a
/// report prints is the one `verify` computes, and removed items stay out.
#[test]
fn reports_state_the_verified_chain_head_and_leave_removed_items_out() {
    let dir = tempfile::tempdir().unwrap();
    let desks = fixture::build(&dir.path().join("library.sqlite"));
    let factdesk_core::Verification::Intact(head) = desks.reporter.verify().unwrap() else { panic!("chain broken") };
    for format in [ReportFormat::Html, ReportFormat::Markdown, ReportFormat::Json] {
        let report = fixture::render(&desks.reporter, &fixture::request(format, ReportScope::All, None));
        assert!(report.contains(&head.head), "{format} lacks the chain head");
        assert!(
            report.contains(&format!("{} events", head.events))
                || report.contains(&format!("\"events\": {}", head.events)),
            "{format}"
        );
        assert!(!report.contains("second-highest on record"), "{format} shows a removed claim");
        assert!(!report.contains("Forum post"), "{format} shows removed evidence");
    }
}

/// The app previews the HTML report in a frame under the app's CSP, which allows inline
/// style only by hash: the hash listed there must be the report stylesheet's.
#[test]
fn the_app_csp_allows_exactly_the_report_stylesheet() {
    let conf: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tauri.conf.json")).unwrap(),
    )
    .unwrap();
    let csp = conf["app"]["security"]["csp"].as_str().unwrap();
    let style_src = csp.split(';').map(str::trim).find(|d| d.starts_with("style-src")).unwrap();
    assert_eq!(style_src, format!("style-src 'self' {}", factdesk_core::report::stylesheet_csp_source()));
    assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "{csp}");
}
