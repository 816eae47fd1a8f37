//! The JSON report against its published JSON Schema (`docs/report.schema.json`).

use factdesk_core::{ReportFormat, ReportScope, Status};
use serde_json::Value;

use super::fixture;

fn validator() -> jsonschema::Validator {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/report.schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::options().should_validate_formats(true).build(&schema).expect("the schema itself is valid")
}

#[track_caller]
fn assert_valid(validator: &jsonschema::Validator, report: &Value) {
    let errors: Vec<String> =
        validator.iter_errors(report).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "report does not match its schema:\n{}", errors.join("\n"));
}

#[test]
fn json_reports_match_the_published_schema() {
    let dir = tempfile::tempdir().unwrap();
    let desks = fixture::build(&dir.path().join("library.sqlite"));
    let validator = validator();
    for (scope, status) in [(ReportScope::All, None), (ReportScope::Articles(vec![2, 1]), Some(Status::Confirmed))] {
        let text = fixture::render(&desks.reporter, &fixture::request(ReportFormat::Json, scope, status));
        let report: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(report["schema"], "factdesk.report/2");
        assert_valid(&validator, &report);
    }
}

/// The schema is strict enough to catch a changed field: this is what makes the test
/// above worth having.
#[test]
fn the_schema_rejects_reports_that_drift() {
    let dir = tempfile::tempdir().unwrap();
    let desks = fixture::build(&dir.path().join("library.sqlite"));
    let validator = validator();
    let text = fixture::render(&desks.reporter, &fixture::request(ReportFormat::Json, ReportScope::All, None));
    let good: Value = serde_json::from_str(&text).unwrap();
    type Drift = (&'static str, fn(&mut Value));
    let drifts: [Drift; 5] = [
        ("renamed field", |r| {
            let claim = r["articles"][0]["claims"][0].as_object_mut().unwrap();
            let quote = claim.remove("quote").unwrap();
            claim.insert("text".into(), quote);
        }),
        ("unknown status", |r| r["articles"][0]["claims"][0]["status"] = "mostly true".into()),
        ("time without zone", |r| r["generated_at"] = "2026-02-01 12:00".into()),
        ("credibility out of range", |r| r["articles"][0]["claims"][1]["evidence"][0]["credibility"] = 7.into()),
        ("short hash", |r| r["history"]["head"] = "abc".into()),
    ];
    for (what, drift) in drifts {
        let mut bad = good.clone();
        drift(&mut bad);
        assert!(!validator.is_valid(&bad), "the schema accepted a report with a {what}");
    }
}
