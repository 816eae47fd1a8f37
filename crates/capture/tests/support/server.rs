//! A real HTTP/1.1 server on loopback, started by the tests (the capture crate's and the
//! CLI's): raw bytes over a TCP socket, one thread per connection, so each misbehaviour a
//! fetch must survive (a redirect loop, a slow drip, an endless body, a gzip bomb) is what
//! a real server would send. Stopped when dropped.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::thread::JoinHandle;
use std::time::Duration;

pub const ARTICLE_TITLE: &str = "Harbour tonnage figure was revised";
pub const ARTICLE_SENTENCE: &str =
    "The port handled 4.2 million tonnes of cargo last year, the harbour authority said.";
pub const RUSSIAN_SENTENCE: &str = "Росстат сообщил, что цены выросли на 7,4 процента за год.";
/// Bytes of the gzip bomb once unpacked.
pub const BOMB_UNPACKED: usize = 64 * 1024 * 1024;

pub struct TestServer {
    pub address: SocketAddr,
    stop: Arc<AtomicBool>,
    accept_loop: Option<JoinHandle<()>>,
}

impl TestServer {
    pub fn start() -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let address = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let accept_loop = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let stopping = stopping.clone();
                std::thread::spawn(move || serve(stream, address, &stopping));
            }
        });
        TestServer { address, stop, accept_loop: Some(accept_loop) }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.address);
        if let Some(handle) = self.accept_loop.take() {
            let _ = handle.join();
        }
    }
}

pub fn article_page() -> String {
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{ARTICLE_TITLE}</title></head><body>\
         <nav>Home | World | Business</nav><article><h1>{ARTICLE_TITLE}</h1>\
         <p>{ARTICLE_SENTENCE}</p><p>Officials later said 1,200 containers had been counted twice in the March tally.</p>\
         </article><footer>Contact us</footer></body></html>"
    )
}

/// About 200 KB: a headline and 1,000 paragraphs, numbered `n` so each is new.
pub fn large_page(n: u64) -> String {
    let paragraph = "The harbour authority said the port handled 4.2 million tonnes of cargo last year, \
                     while the audit office put the figure at 3.9 million after removing double counts.";
    let body: String = (0..1000).map(|i| format!("<p>{paragraph} (Paragraph {i} of page {n}.)</p>\n")).collect();
    format!("<!doctype html><html><head><meta charset=\"utf-8\"><title>Page {n}</title></head><body><article><h1>Page {n}</h1>{body}</article></body></html>")
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn bomb() -> &'static [u8] {
    static BOMB: OnceLock<Vec<u8>> = OnceLock::new();
    BOMB.get_or_init(|| gzip(&vec![b' '; BOMB_UNPACKED]))
}

pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00";

fn serve(mut stream: TcpStream, address: SocketAddr, stop: &AtomicBool) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut request = Vec::new();
    let mut buffer = [0u8; 1024];
    // A TLS handshake (a client that asked for https): answer in plain HTTP, as a
    // misconfigured server would, so the client's handshake fails at once.
    if stream.peek(&mut buffer[..1]).is_ok_and(|n| n == 1) && buffer[0] == 0x16 {
        respond(&mut stream, 400, "text/plain", &[], b"plain HTTP here");
        return;
    }
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buffer[..n]),
        }
    }
    let request = String::from_utf8_lossy(&request).into_owned();
    let target = request.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let path = target.split('?').next().unwrap_or("/").to_owned();
    let html = "text/html; charset=utf-8";
    match path.as_str() {
        "/article" => respond(&mut stream, 200, html, &[], article_page().as_bytes()),
        "/echo-request" => respond(&mut stream, 200, "text/plain", &[], request.as_bytes()),
        "/canonical" => {
            let page = article_page().replace(
                "<meta charset=\"utf-8\">",
                "<meta charset=\"utf-8\"><link rel=\"canonical\" href=\"https://news.example/harbour-tonnage\">",
            );
            respond(&mut stream, 200, html, &[], page.as_bytes())
        }
        "/canonical-revised" => {
            // The same story (same canonical link), corrected: a figure changed.
            let page = article_page()
                .replace(
                    "<meta charset=\"utf-8\">",
                    "<meta charset=\"utf-8\"><link rel=\"canonical\" href=\"https://news.example/harbour-tonnage\">",
                )
                .replace("4.2 million", "3.9 million");
            respond(&mut stream, 200, html, &[], page.as_bytes())
        }
        "/gzip-article" => {
            respond(&mut stream, 200, html, &[("Content-Encoding", "gzip")], &gzip(article_page().as_bytes()))
        }
        "/chunked-article" => {
            let page = article_page();
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {html}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            );
            let _ = stream.write_all(head.as_bytes());
            for part in page.as_bytes().chunks(100) {
                let _ = stream.write_all(format!("{:x}\r\n", part.len()).as_bytes());
                let _ = stream.write_all(part);
                let _ = stream.write_all(b"\r\n");
            }
            let _ = stream.write_all(b"0\r\n\r\n");
        }
        "/cp1251" => {
            let page = format!("<html><head><title>Цены</title></head><body><article><p>{RUSSIAN_SENTENCE}</p></article></body></html>");
            let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&page);
            respond(&mut stream, 200, "text/html; charset=windows-1251", &[], &bytes)
        }
        "/large" => {
            // ~200 KB of article, different at every request (a fresh page, not a duplicate).
            static SERVED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
            let n = SERVED.fetch_add(1, Ordering::SeqCst);
            respond(&mut stream, 200, html, &[], large_page(n).as_bytes())
        }
        "/report.pdf" => respond(&mut stream, 200, "application/pdf", &[], PDF),
        "/chart.png" => respond(&mut stream, 200, "image/png", &[], PNG),
        "/not-found" => respond(&mut stream, 404, html, &[], b"<p>No such page</p>"),
        "/server-error" => respond(&mut stream, 500, html, &[], b"<p>Oops</p>"),
        "/loop/a" => redirect(&mut stream, "/loop/b"),
        "/loop/b" => redirect(&mut stream, "/loop/a"),
        "/to-private" => redirect(&mut stream, "http://127.0.0.1:1/secret"),
        "/to-metadata" => redirect(&mut stream, "http://169.254.169.254/latest/meta-data/"),
        "/to-localhost" => redirect(&mut stream, "http://localhost:1/admin"),
        "/to-file" => redirect(&mut stream, "file:///etc/passwd"),
        "/no-location" => {
            let _ = stream.write_all(b"HTTP/1.1 302 Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
        "/bomb" => respond(&mut stream, 200, html, &[("Content-Encoding", "gzip")], bomb()),
        "/endless" => {
            let head = format!("HTTP/1.1 200 OK\r\nContent-Type: {html}\r\nConnection: close\r\n\r\n<html><body><p>");
            let _ = stream.write_all(head.as_bytes());
            let chunk = vec![b'a'; 64 * 1024];
            while !stop.load(Ordering::SeqCst) && stream.write_all(&chunk).is_ok() {}
        }
        "/slow" => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {html}\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n"
            );
            let _ = stream.write_all(head.as_bytes());
            for _ in 0..100_000 {
                if stop.load(Ordering::SeqCst) || stream.write_all(b"a").is_err() {
                    break;
                }
                // A drip: one byte now and then, each read succeeding, the whole never done.
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        other => {
            if let Some(n) = other.strip_prefix("/redirect/").and_then(|n| n.parse::<u32>().ok()) {
                let next = if n == 0 { "/article".to_owned() } else { format!("/redirect/{}", n - 1) };
                redirect(&mut stream, &next)
            } else {
                let _ = address;
                respond(&mut stream, 404, "text/plain", &[], b"unknown test path")
            }
        }
    }
}

fn respond(stream: &mut TcpStream, status: u16, content_type: &str, extra: &[(&str, &str)], body: &[u8]) {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        500 => "Internal Server Error",
        _ => "Status",
    };
    let mut head =
        format!("HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n", body.len());
    for (name, value) in extra {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("Connection: close\r\n\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
}

fn redirect(stream: &mut TcpStream, location: &str) {
    let head = format!("HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    let _ = stream.write_all(head.as_bytes());
}
