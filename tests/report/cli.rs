//! `factdesk report` as a real process: formats, files written all or nothing, the chain
//! head matching `verify`, and one-line errors.

use crate::cli::support::Library;

fn decided_library() -> (Library, i64) {
    let lib = Library::new();
    let article = lib.import(&["wire-harbour.txt"])[0];
    let confirmed = lib.claim(article, "1,200 containers counted twice");
    lib.claim(article, "the error dated from a software change in 2023");
    lib.ok(&[
        "evidence",
        "add",
        &confirmed.to_string(),
        "--title",
        "Audit summary",
        "--url",
        "https://audit.example.mt/s",
    ]);
    lib.ok(&["claim", "status", &confirmed.to_string(), "confirmed", "--note", "Audit page 3"]);
    (lib, article)
}

#[test]
fn each_format_is_written_to_stdout_or_a_file() {
    let (lib, article) = decided_library();
    let a = article.to_string();
    let html = lib.ok(&["report", &a, "--now", "2026-02-01T12:00:00Z"]).stdout;
    assert!(
        html.starts_with("<!DOCTYPE html>") && html.contains("Generated 2026-02-01 12:00 UTC by tester"),
        "{html:.300}"
    );
    let md = lib.ok(&["report", &a, "--format", "md"]).stdout;
    assert!(md.starts_with("# Verification report"));
    let csv = lib.ok(&["report", &a, "--format", "csv"]).stdout;
    assert_eq!(super::hostile::parse_csv(&csv).len(), 3, "header + two claims");
    let json: serde_json::Value =
        serde_json::from_str(&lib.ok(&["report", "--all", "--format", "json"]).stdout).unwrap();
    assert_eq!(json["summary"]["claims"], 2);

    let out = lib.path("review.jsonld");
    let run = lib.ok(&[
        "report",
        &a,
        "--format",
        "claimreview",
        "--output",
        out.to_str().unwrap(),
        "--organization",
        "Fact Desk",
    ]);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("1 unreviewed claim(s) left out"), "{}", run.stderr);
    let reviews: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(reviews[0]["author"]["name"], "Fact Desk");
    assert_eq!(reviews[0]["reviewRating"]["alternateName"], "Confirmed");
}

#[test]
fn the_report_chain_head_is_what_verify_prints() {
    let (lib, article) = decided_library();
    let verify = lib.ok_json(&["verify"]);
    let report: serde_json::Value =
        serde_json::from_str(&lib.ok(&["report", &article.to_string(), "--format", "json"]).stdout).unwrap();
    assert_eq!(report["history"]["head"], verify["head"]);
    assert_eq!(report["history"]["events"], verify["events"]);
    let html = lib.ok(&["report", &article.to_string()]).stdout;
    assert!(html.contains(verify["head"].as_str().unwrap()));
}

#[test]
fn a_failed_report_writes_nothing_and_says_why_in_one_line() {
    let (lib, article) = decided_library();
    let before = lib.counts();
    assert!(lib.run(&["report", "99"]).fails(1).contains("article 99 does not exist"));
    assert!(lib.run(&["report", &article.to_string(), "--format", "pdf"]).fails(2).contains("pdf"));
    assert!(lib.run(&["report"]).fails(2).contains("ARTICLE"));
    assert!(lib.run(&["report", "1", "--now", "yesterday"]).fails(2).contains("RFC 3339"));

    // An existing report is not clobbered by a failing one, and no temporary file is left.
    let out = lib.path("report.html");
    std::fs::write(&out, "previous report").unwrap();
    lib.run(&["report", &article.to_string(), "99", "--output", out.to_str().unwrap()]).fails(1);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous report");
    let missing_dir = lib.path("no/such/dir/report.html");
    assert!(lib
        .run(&["report", "1", "--output", missing_dir.to_str().unwrap()])
        .fails(1)
        .contains("cannot write the report"));
    let leftovers: Vec<_> = std::fs::read_dir(lib.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".part"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    assert_eq!(lib.counts(), before, "a report never writes to the library");
}

#[test]
fn status_filter_keeps_only_matching_claims() {
    let (lib, article) = decided_library();
    let json: serde_json::Value = serde_json::from_str(
        &lib.ok(&["report", &article.to_string(), "--format", "json", "--status", "unreviewed"]).stdout,
    )
    .unwrap();
    let claims = json["articles"][0]["claims"].as_array().unwrap();
    assert_eq!(claims.len(), 1);
    assert_eq!(claims[0]["status"], "unreviewed");
    assert_eq!(json["status_filter"], "unreviewed");
    assert_eq!(json["articles"][0]["claim_counts"]["confirmed"], 1, "article counts still cover every claim");
}
