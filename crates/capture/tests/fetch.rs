//! `fetch` against a real HTTP server on loopback: every page a careful fetch must handle,
//! and every one it must refuse.

mod support;

use std::time::Duration;

use factdesk_capture::{fetch, FetchOptions, Reach, Reason};
use factdesk_core::warc::{check_digests, http_payload, read_records};
use support::server::{self, TestServer};

/// Options that reach the test server (and only it: any other private address is refused).
fn reaching(server: &TestServer) -> FetchOptions {
    FetchOptions { reach: Reach { private_network: false, allowed: vec![server.address] }, ..FetchOptions::default() }
}

#[test]
fn a_page_is_fetched_whole_and_kept_byte_for_byte() {
    let server = TestServer::start();
    let capture = fetch(&server.url("/article"), &reaching(&server)).unwrap();
    assert_eq!(capture.status, 200);
    assert_eq!(capture.payload, server::article_page().as_bytes());
    assert_eq!(capture.content, capture.payload);
    assert_eq!(capture.content_type.as_deref(), Some("text/html; charset=utf-8"));
    assert_eq!(capture.charset.as_deref(), Some("utf-8"));
    let head = String::from_utf8(capture.response_head.clone()).unwrap();
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n") && head.ends_with("\r\n\r\n"), "{head}");
    let records = capture.to_warc();
    let records = read_records(&records).unwrap();
    assert_eq!(http_payload(records[0].block), Some(capture.payload.as_slice()));
    records.iter().for_each(|r| check_digests(r).unwrap());
}

#[test]
fn the_request_record_is_the_request_sent_and_names_factdesk() {
    let server = TestServer::start();
    let capture = fetch(&server.url("/echo-request?q=1"), &reaching(&server)).unwrap();
    let received = String::from_utf8(capture.content).unwrap();
    assert_eq!(String::from_utf8(capture.request_head).unwrap(), received, "the request record is what the server got");
    let agent = format!("user-agent: Factdesk/{} (", env!("CARGO_PKG_VERSION"));
    assert!(received.to_ascii_lowercase().contains(&agent.to_ascii_lowercase()), "{received}");
}

#[test]
fn redirects_are_followed_up_to_five_and_each_is_checked() {
    let server = TestServer::start();
    let options = reaching(&server);
    let capture = fetch(&server.url("/redirect/4"), &options).unwrap();
    assert_eq!(capture.url, server.url("/redirect/4"));
    assert_eq!(capture.final_url, server.url("/article"));

    let too_many = fetch(&server.url("/redirect/5"), &options).unwrap_err();
    assert_eq!(too_many.reason, Reason::TooManyRedirects(5), "{too_many}");
    let looping = fetch(&server.url("/loop/a"), &options).unwrap_err();
    assert!(matches!(looping.reason, Reason::RedirectLoop(_)), "{looping}");
    assert!(looping.to_string().contains("redirect loop"));
    let to_file = fetch(&server.url("/to-file"), &options).unwrap_err();
    assert!(matches!(to_file.reason, Reason::BadUrl(_)), "{to_file}");
    let nowhere = fetch(&server.url("/no-location"), &options).unwrap_err();
    assert_eq!(nowhere.reason, Reason::RedirectWithoutLocation);
}

#[test]
fn private_addresses_are_refused_by_name_by_number_and_after_a_redirect() {
    let server = TestServer::start();
    let options = reaching(&server);
    for path in ["/to-private", "/to-metadata", "/to-localhost"] {
        let error = fetch(&server.url(path), &options).unwrap_err();
        assert!(matches!(error.reason, Reason::Refused(_)), "{path}: {error}");
        assert!(error.to_string().contains("--allow-private-network"), "{error}");
    }
    let by_name = fetch("http://localhost:1/admin", &FetchOptions::default()).unwrap_err();
    assert!(by_name.to_string().contains("localhost resolves to 127.0.0.1, a loopback address"), "{by_name}");
    // Without the exception, the test server itself is out of reach.
    let server_itself = fetch(&server.url("/article"), &FetchOptions::default()).unwrap_err();
    assert!(matches!(server_itself.reason, Reason::Refused(_)), "{server_itself}");
    // With the flag, a private address is fetched.
    let allowed = FetchOptions { reach: Reach { private_network: true, allowed: vec![] }, ..FetchOptions::default() };
    assert_eq!(fetch(&server.url("/article"), &allowed).unwrap().status, 200);
}

#[test]
fn error_statuses_fail_with_the_status() {
    let server = TestServer::start();
    let not_found = fetch(&server.url("/not-found"), &reaching(&server)).unwrap_err();
    assert_eq!(not_found.reason, Reason::HttpStatus(404));
    assert_eq!(
        not_found.to_string(),
        format!("{}: the server answered HTTP 404 Not Found; nothing was kept", server.url("/not-found"))
    );
    let failed = fetch(&server.url("/server-error"), &reaching(&server)).unwrap_err();
    assert_eq!(failed.reason, Reason::HttpStatus(500));
}

#[test]
fn bodies_are_cut_at_the_cap_and_bombs_are_not_inflated() {
    let server = TestServer::start();
    let small = FetchOptions { max_bytes: 1024 * 1024, ..reaching(&server) };
    let endless = fetch(&server.url("/endless"), &small).unwrap_err();
    assert_eq!(endless.reason, Reason::TooLarge(1024 * 1024), "{endless}");
    let bomb = fetch(&server.url("/bomb"), &reaching(&server)).unwrap_err();
    assert_eq!(bomb.reason, Reason::DecompressesTooLarge(factdesk_core::MAX_IMPORT_BYTES), "{bomb}");
    assert!(server::BOMB_UNPACKED as u64 > factdesk_core::MAX_IMPORT_BYTES);
}

#[test]
fn compressed_and_chunked_pages_keep_the_wire_bytes_and_read_as_text() {
    let server = TestServer::start();
    let gzipped = fetch(&server.url("/gzip-article"), &reaching(&server)).unwrap();
    assert_eq!(gzipped.payload, server::gzip(server::article_page().as_bytes()), "the archive keeps what was sent");
    assert_eq!(gzipped.content, server::article_page().as_bytes());
    let chunked = fetch(&server.url("/chunked-article"), &reaching(&server)).unwrap();
    assert_eq!(chunked.content, server::article_page().as_bytes());
    let head = String::from_utf8(chunked.response_head).unwrap().to_ascii_lowercase();
    assert!(!head.contains("\r\ntransfer-encoding:"), "the stored body is no longer chunked: {head}");
}

#[test]
fn a_slow_drip_ends_at_the_total_timeout() {
    let server = TestServer::start();
    let options = FetchOptions { total_timeout: Duration::from_millis(800), ..reaching(&server) };
    let started = std::time::Instant::now();
    let error = fetch(&server.url("/slow"), &options).unwrap_err();
    assert!(matches!(error.reason, Reason::Timeout(_)), "{error}");
    assert!(started.elapsed() < Duration::from_secs(10), "gave up near the deadline, not at the end of the drip");
}

#[test]
fn tls_and_connection_failures_are_one_line() {
    let server = TestServer::start();
    // The test server speaks plain HTTP: a TLS handshake with it fails.
    let tls = fetch(&server.url("/article").replace("http://", "https://"), &reaching(&server)).unwrap_err();
    assert!(matches!(tls.reason, Reason::Tls(_) | Reason::Connection(_)), "{tls}");
    assert!(!tls.to_string().contains('\n'));
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let options = FetchOptions { reach: Reach { private_network: true, allowed: vec![] }, ..FetchOptions::default() };
    let refused = fetch(&format!("http://{closed}/"), &options).unwrap_err();
    assert!(matches!(refused.reason, Reason::Connection(_)), "{refused}");
}

#[test]
fn a_charset_declared_only_in_the_header_is_read() {
    let server = TestServer::start();
    let capture = fetch(&server.url("/cp1251"), &reaching(&server)).unwrap();
    assert_eq!(capture.charset.as_deref(), Some("windows-1251"));
    let text = factdesk_core::snapshot::readable_text(&capture).unwrap();
    assert!(text.contains(server::RUSSIAN_SENTENCE), "{text}");
}
