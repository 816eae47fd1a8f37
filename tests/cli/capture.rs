//! Capture from the command line, against a real HTTP server on loopback (the capture
//! crate's test server): import by URL, evidence pages and files, the snapshot list, the
//! WARC archive, and every page that must be refused with one line and nothing written.

use std::io::{BufRead, BufReader, Read};

use factdesk_core::warc::{check_digests, http_payload, read_records};
use serde_json::Value;

use super::support::{fixture, sha256_hex, Library, Run};

use crate::http_server::{self as server, TestServer};

/// The library and the server it may reach (that address only: every other private
/// address stays refused).
struct Desk {
    library: Library,
    server: TestServer,
}

impl Desk {
    fn new() -> Desk {
        Desk { library: Library::new(), server: TestServer::start() }
    }

    fn url(&self, path: &str) -> String {
        self.server.url(path)
    }

    fn run(&self, args: &[&str]) -> Run {
        let address = self.server.address.to_string();
        self.library.run_with("tester", &[("FACTDESK_ALLOW_ADDRESSES", &address)], args)
    }

    #[track_caller]
    fn ok_json(&self, args: &[&str]) -> Value {
        let mut args = args.to_vec();
        args.push("--json");
        let run = self.run(&args);
        assert_eq!(run.code, 0, "factdesk {args:?} failed: {}", run.stderr);
        run.json()
    }
}

#[test]
fn a_url_is_imported_with_its_snapshot_in_the_order_given_with_files() {
    let desk = Desk::new();
    let wire = fixture("wire-harbour.txt").display().to_string();
    let imported = desk.ok_json(&["import", &desk.url("/redirect/2"), &wire, &desk.url("/canonical")]);
    let imported = imported.as_array().unwrap();
    assert_eq!(imported.len(), 3);
    assert_eq!(imported[0]["title"], server::ARTICLE_TITLE);
    assert_eq!(imported[0]["url"], desk.url("/article"), "the final URL after redirects");
    assert_eq!(imported[1]["file_name"], "wire-harbour.txt");
    assert_eq!(imported[2]["url"], "https://news.example/harbour-tonnage", "the canonical link");
    let article = imported[0]["id"].as_i64().unwrap().to_string();
    let shown = desk.ok_json(&["show", &article]);
    assert!(shown["text"].as_str().unwrap().contains(server::ARTICLE_SENTENCE));
    assert!(!shown["text"].as_str().unwrap().contains("Contact us"), "the page around the article is left out");

    let snapshots = desk.ok_json(&["snapshots"]);
    let snapshots = snapshots.as_array().unwrap();
    assert_eq!(snapshots.len(), 2, "one per fetched page, none for the file");
    let first = &snapshots[0];
    assert_eq!(
        (first["url"].as_str(), first["final_url"].as_str()),
        (Some(desk.url("/redirect/2").as_str()), Some(desk.url("/article").as_str()))
    );
    assert_eq!(first["status"], 200);
    assert_eq!(first["content_type"], "text/html; charset=utf-8");
    assert_eq!(first["sha256"], sha256_hex(server::article_page().as_bytes()));
    assert_eq!(first["bytes"], server::article_page().len());
    assert!(first["fetched_at"].as_str().unwrap().ends_with('Z'));
    let listed = desk.run(&["snapshots"]);
    assert!(listed.stdout.contains(&desk.url("/article")), "{}", listed.stdout);
    let history = desk.ok_json(&["history"]);
    let kinds: Vec<&str> = history.as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        ["article_imported", "snapshot_captured", "article_imported", "article_imported", "snapshot_captured"]
    );
    desk.library.ok(&["verify"]);
}

#[test]
fn pages_in_other_encodings_and_on_the_wire_compressed_or_chunked_import_as_text() {
    let desk = Desk::new();
    for (path, expected) in [
        ("/cp1251", server::RUSSIAN_SENTENCE),
        ("/gzip-article", server::ARTICLE_SENTENCE),
        ("/chunked-article", server::ARTICLE_SENTENCE),
    ] {
        let imported = desk.ok_json(&["import", &desk.url(path)]);
        let id = imported[0]["id"].as_i64().unwrap().to_string();
        let text = desk.ok_json(&["show", &id])["text"].as_str().unwrap().to_owned();
        assert!(text.contains(expected), "{path}: {text}");
    }
    let snapshots = desk.ok_json(&["snapshots"]);
    let gzipped = &snapshots.as_array().unwrap()[1];
    assert_eq!(gzipped["sha256"], sha256_hex(&server::gzip(server::article_page().as_bytes())), "the bytes as sent");
}

#[test]
fn every_bad_page_is_one_line_naming_the_url_and_nothing_is_written() {
    let desk = Desk::new();
    desk.library.init();
    let cases: &[(&str, &[&str], &str)] = &[
        ("/not-found", &[], "the server answered HTTP 404 Not Found"),
        ("/server-error", &[], "HTTP 500"),
        ("/loop/a", &[], "redirect loop"),
        ("/redirect/6", &[], "more than 5 redirects"),
        ("/to-private", &[], "127.0.0.1 is a loopback address"),
        ("/to-metadata", &[], "169.254.169.254 is a link-local address"),
        ("/to-localhost", &[], "localhost resolves to 127.0.0.1, a loopback address"),
        ("/endless", &[], "larger than 20971520 bytes"),
        ("/bomb", &[], "unpacks to more than 20971520 bytes"),
        ("/slow", &["--timeout", "1"], "timed out"),
        ("/report.pdf", &[], "is application/pdf, not a web page"),
        ("/chart.png", &[], "is image/png, not a web page"),
    ];
    for (path, flags, reason) in cases {
        let url = desk.url(path);
        let mut args = vec!["import", url.as_str()];
        args.extend_from_slice(flags);
        let run = desk.run(&args);
        let line = run.fails(1);
        assert!(line.starts_with(&format!("error: {url}")), "{path}: {line}");
        assert!(line.contains(reason), "{path}: {line}");
        assert_eq!(desk.library.counts(), [0, 0, 0, 0, 0], "{path}: nothing written");
    }
    let tls = desk.run(&["import", &desk.url("/article").replace("http://", "https://")]);
    assert!(
        tls.fails(1).contains("secure connection failed") || tls.stderr.contains("cannot connect"),
        "{}",
        tls.stderr
    );
    // No exception for the test server: loopback is refused outright.
    let refused = desk.library.run(&["import", &desk.url("/article")]);
    assert!(refused.fails(1).contains("is a loopback address; Factdesk does not fetch from private networks"));
    // Asked for: the intranet flag reaches it.
    desk.library.ok(&["import", "--allow-private-network", &desk.url("/article")]);
    assert_eq!(desk.library.counts()[0], 1);
}

#[test]
fn evidence_keeps_its_page_or_its_file_and_verify_notices_an_edited_byte() {
    let desk = Desk::new();
    let article = desk.ok_json(&["import", &desk.url("/article")])[0]["id"].as_i64().unwrap().to_string();
    let claim =
        desk.ok_json(&["claim", "add", &article, "--quote", "4.2 million tonnes"])["id"].as_i64().unwrap().to_string();
    let pdf = desk.library.path("audit 2024.pdf");
    std::fs::write(&pdf, server::PDF).unwrap();

    let captured = desk.ok_json(&[
        "evidence",
        "add",
        &claim,
        "--title",
        "Port statistics",
        "--url",
        &desk.url("/redirect/1"),
        "--capture",
        "--stance",
        "refutes",
    ]);
    let snapshot = &captured["snapshot"];
    assert_eq!(snapshot["final_url"], desk.url("/article"));
    assert_eq!(snapshot["sha256"], sha256_hex(server::article_page().as_bytes()));
    let filed = desk.ok_json(&["evidence", "add", &claim, "--title", "Audit", "--file", pdf.to_str().unwrap()]);
    assert_eq!(filed["file"]["name"], "audit 2024.pdf");
    assert_eq!(filed["file"]["media_type"], "application/pdf");
    assert_eq!(filed["file"]["sha256"], sha256_hex(server::PDF));
    let again = desk.ok_json(&["evidence", "capture", &captured["id"].to_string()]);
    assert_eq!(again["evidence_id"], captured["id"]);
    assert_ne!(again["id"], snapshot["id"], "a new snapshot");
    let claims = desk.ok_json(&["claim", "list"]);
    assert_eq!(claims[0]["evidence"][0]["snapshot"]["id"], again["id"], "the newest snapshot is shown");
    let text = desk.run(&["claim", "status", &claim, "unconfirmed"]).stdout;
    assert!(text.contains("captured: snapshot") && text.contains("file 1: audit 2024.pdf"), "{text}");

    // A failed capture, or a file that is not one, adds no evidence.
    let before = desk.library.counts();
    let folder = desk.library.path("");
    let not_a_file = desk.run(&["evidence", "add", &claim, "--title", "Folder", "--file", folder.to_str().unwrap()]);
    assert!(not_a_file.fails(2).contains("is not a regular file"));
    let empty = desk.library.path("empty.pdf");
    std::fs::write(&empty, b"").unwrap();
    assert!(desk
        .run(&["evidence", "add", &claim, "--title", "Empty", "--file", empty.to_str().unwrap()])
        .fails(2)
        .contains("is empty"));
    let failed =
        desk.run(&["evidence", "add", &claim, "--title", "Gone", "--url", &desk.url("/not-found"), "--capture"]);
    assert!(failed.fails(1).contains("HTTP 404"));
    assert_eq!(desk.library.counts(), before);

    desk.library.ok(&["verify"]);
    // One byte of the kept page changed in the file: verify names the snapshot.
    let conn = desk.library.sql();
    let id: i64 = snapshot["id"].as_i64().unwrap();
    conn.execute("UPDATE snapshots SET warc = CAST(replace(CAST(warc AS TEXT), '4.2 million', '4.3 million') AS BLOB) WHERE id = ?1", [id]).unwrap();
    let run = desk.library.run(&["verify"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains(&format!("snapshot {id}: its stored bytes no longer match")), "{}", run.stderr);
}

/// Splits a `.warc.gz` into its gzip members, each decompressed.
fn gzip_members(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut reader = BufReader::new(bytes);
    let mut members = Vec::new();
    while !reader.fill_buf().unwrap().is_empty() {
        let mut member = Vec::new();
        flate2::bufread::GzDecoder::new(&mut reader).read_to_end(&mut member).unwrap();
        members.push(member);
    }
    members
}

#[test]
fn the_archive_is_a_standard_warc_a_member_per_record_with_matching_digests() {
    let desk = Desk::new();
    let article = desk.ok_json(&["import", &desk.url("/article")])[0]["id"].as_i64().unwrap().to_string();
    let claim =
        desk.ok_json(&["claim", "add", &article, "--quote", "4.2 million tonnes"])["id"].as_i64().unwrap().to_string();
    desk.ok_json(&["evidence", "add", &claim, "--title", "Chart", "--url", &desk.url("/chart.png"), "--capture"]);
    let other = desk.ok_json(&["import", &desk.url("/cp1251")])[0]["id"].as_i64().unwrap().to_string();

    let output = desk.library.path("harbour.warc.gz");
    let run = desk.run(&["archive", &article, "--output", output.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let members = gzip_members(&std::fs::read(&output).unwrap());
    assert_eq!(members.len(), 5, "warcinfo, then a response and a request per snapshot");
    let mut payloads = Vec::new();
    let mut ids = std::collections::BTreeSet::new();
    for member in &members {
        let records = read_records(member).unwrap();
        assert_eq!(records.len(), 1, "one record per gzip member");
        check_digests(&records[0]).unwrap();
        assert!(ids.insert(records[0].field("WARC-Record-ID").unwrap().to_owned()), "record ids are unique");
        if records[0].field("WARC-Type") == Some("response") {
            payloads.push(sha256_hex(http_payload(records[0].block).unwrap()));
        }
    }
    assert_eq!(read_records(&members[0]).unwrap()[0].field("WARC-Type"), Some("warcinfo"));
    let snapshots = desk.ok_json(&["snapshots"]);
    let behind: Vec<String> =
        snapshots.as_array().unwrap()[..2].iter().map(|s| s["sha256"].as_str().unwrap().to_owned()).collect();
    assert_eq!(payloads, behind, "the article's page and its evidence's page, not the other article's");

    let all = desk.library.path("all.warc.gz");
    desk.run(&["archive", "--all", "--output", all.to_str().unwrap()]);
    assert_eq!(gzip_members(&std::fs::read(&all).unwrap()).len(), 7);
    let _ = other;
    let missing = desk.run(&["archive", "99", "--output", all.to_str().unwrap()]);
    assert!(missing.fails(1).contains("article 99 does not exist"));
}
