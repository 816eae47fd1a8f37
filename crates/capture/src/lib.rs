//! Factdesk's network code, and the only place it lives (the core stays offline): fetch
//! a page the way a careful browser would, and no further. http and https only; a
//! connect timeout and a total deadline; at most five redirects, each checked again; the
//! body cut at a cap, counted after decompression too; public addresses only (see
//! [`guard`]). What comes back is a [`Capture`]: the exchange byte for byte, ready for
//! the library to keep as WARC records. [`archive`] writes those records as a `.warc.gz`.

pub mod archive;
pub mod guard;

use std::fmt;
use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use factdesk_core::snapshot::charset_of;
use factdesk_core::url::parse_web_url;
use factdesk_core::Capture;
use ureq::http::{HeaderMap, Response, StatusCode};
use ureq::unversioned::transport::DefaultConnector;
use ureq::{Agent, Body};

pub use guard::Reach;

/// The user agent every request carries: who is asking, and which version.
pub const USER_AGENT: &str = concat!("Factdesk/", env!("CARGO_PKG_VERSION"), " (fact-checking desk)");

/// How far a fetch may go.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    pub connect_timeout: Duration,
    /// For the whole fetch, redirects and body included.
    pub total_timeout: Duration,
    pub max_redirects: usize,
    /// Largest body kept, as received and after decompression.
    pub max_bytes: u64,
    pub reach: Reach,
    /// Set to give up: checked between reads of the body.
    pub cancel: Option<Arc<AtomicBool>>,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            connect_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(60),
            max_redirects: 5,
            max_bytes: factdesk_core::MAX_IMPORT_BYTES,
            reach: Reach::default(),
            cancel: None,
        }
    }
}

impl FetchOptions {
    /// The defaults, widened by the environment the CLI also reads:
    /// `FACTDESK_ALLOW_PRIVATE_NETWORK=1`, `FACTDESK_ALLOW_ADDRESSES=IP:PORT,…` and
    /// `FACTDESK_FETCH_TIMEOUT=SECONDS` (1 to 600). For the app, which has no flags.
    pub fn from_env() -> FetchOptions {
        let var = |name: &str| std::env::var(name).ok().map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let private_network = var("FACTDESK_ALLOW_PRIVATE_NETWORK")
            .is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "on"));
        let allowed = var("FACTDESK_ALLOW_ADDRESSES")
            .map(|list| list.split(',').filter_map(|a| a.trim().parse().ok()).collect())
            .unwrap_or_default();
        let defaults = FetchOptions::default();
        let total_timeout = var("FACTDESK_FETCH_TIMEOUT")
            .and_then(|v| v.parse::<u64>().ok())
            .filter(|s| (1..=600).contains(s))
            .map_or(defaults.total_timeout, Duration::from_secs);
        FetchOptions { total_timeout, reach: Reach { private_network, allowed }, ..defaults }
    }

    /// Whether whoever started the fetch has since cancelled it.
    pub fn cancelled(&self) -> bool {
        self.cancel.as_ref().is_some_and(|c| c.load(Ordering::Relaxed))
    }
}

/// Why a fetch failed, as one line naming the URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchError {
    pub url: String,
    pub reason: Reason,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    BadUrl(String),
    Refused(guard::Refused),
    HttpStatus(u16),
    Timeout(Duration),
    TooManyRedirects(usize),
    RedirectLoop(String),
    RedirectWithoutLocation,
    TooLarge(u64),
    DecompressesTooLarge(u64),
    UnsupportedEncoding(String),
    BadCompression(String),
    Tls(String),
    HostNotFound,
    Connection(String),
    Cancelled,
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = factdesk_core::text::clip(&self.url, 200);
        match &self.reason {
            Reason::BadUrl(why) => write!(f, "{url}: not a web address Factdesk can fetch ({why})"),
            Reason::Refused(refused) => write!(f, "{url}: refused: {refused}"),
            Reason::HttpStatus(code) => {
                let reason = StatusCode::from_u16(*code).ok().and_then(|s| s.canonical_reason()).unwrap_or("");
                write!(f, "{url}: the server answered HTTP {code} {reason}; nothing was kept")
            }
            Reason::Timeout(limit) => {
                write!(f, "{url}: no complete answer within {} s (timed out)", limit.as_secs_f32())
            }
            Reason::TooManyRedirects(n) => write!(f, "{url}: more than {n} redirects"),
            Reason::RedirectLoop(at) => {
                write!(f, "{url}: redirect loop (back to {})", factdesk_core::text::clip(at, 120))
            }
            Reason::RedirectWithoutLocation => write!(f, "{url}: a redirect that says not where to"),
            Reason::TooLarge(cap) => {
                write!(f, "{url}: the page is larger than {cap} bytes (the limit); nothing was kept")
            }
            Reason::DecompressesTooLarge(cap) => write!(
                f,
                "{url}: the compressed page unpacks to more than {cap} bytes (a compression bomb?); nothing was kept"
            ),
            Reason::UnsupportedEncoding(coding) => {
                write!(f, "{url}: the page is sent in an unsupported encoding ({coding})")
            }
            Reason::BadCompression(why) => write!(f, "{url}: the compressed page is damaged ({why})"),
            Reason::Tls(why) => write!(f, "{url}: secure connection failed ({why})"),
            Reason::HostNotFound => write!(f, "{url}: no such host (the name does not resolve)"),
            Reason::Connection(why) => write!(f, "{url}: cannot connect ({why})"),
            Reason::Cancelled => write!(f, "{url}: cancelled"),
        }
    }
}

impl std::error::Error for FetchError {}

/// Fetches `url` within `options` and returns the final response as a [`Capture`].
/// Any status but 2xx (after redirects) is an error: an error page is not evidence.
pub fn fetch(url: &str, options: &FetchOptions) -> Result<Capture, FetchError> {
    let fail = |reason| FetchError { url: url.to_owned(), reason };
    let started = Instant::now();
    let agent = agent(options);
    let mut current = parse_web_url(url).map_err(|e| fail(Reason::BadUrl(e.to_string())))?;
    let mut visited = vec![current.to_string()];
    loop {
        let remaining = options.total_timeout.saturating_sub(started.elapsed());
        if remaining.is_zero() {
            return Err(fail(Reason::Timeout(options.total_timeout)));
        }
        let request_head = request_head(&current);
        let response = agent
            .get(current.as_str())
            .header("User-Agent", USER_AGENT)
            .header("Accept", ACCEPT)
            .header("Accept-Encoding", "gzip")
            .config()
            .timeout_global(Some(remaining))
            .build()
            .call()
            .map_err(|e| fail(reason_of(e, options)))?;
        let status = response.status().as_u16();
        if response.status().is_redirection() && status != 304 {
            let location = response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .ok_or_else(|| fail(Reason::RedirectWithoutLocation))?;
            let next =
                current.join(location).map_err(|e| fail(Reason::BadUrl(format!("redirect to {location}: {e}"))))?;
            let next = parse_web_url(next.as_str()).map_err(|e| {
                fail(Reason::BadUrl(format!("redirect to {}: {e}", factdesk_core::text::clip(location, 120))))
            })?;
            if visited.contains(&next.to_string()) {
                return Err(fail(Reason::RedirectLoop(next.to_string())));
            }
            if visited.len() > options.max_redirects {
                return Err(fail(Reason::TooManyRedirects(options.max_redirects)));
            }
            visited.push(next.to_string());
            current = next;
            continue;
        }
        if !response.status().is_success() {
            return Err(fail(Reason::HttpStatus(status)));
        }
        return read_capture(url, current.as_str(), request_head, response, options).map_err(fail);
    }
}

const ACCEPT: &str = "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.8";

fn agent(options: &FetchOptions) -> Agent {
    let config = Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .proxy(None)
        .timeout_connect(Some(options.connect_timeout))
        .build();
    Agent::with_parts(config, DefaultConnector::default(), guard::GuardedResolver { reach: options.reach.clone() })
}

/// The request as sent: method, target, and the fields Factdesk sets, in ureq's order and
/// lower case (the test server compares this with the bytes it received).
fn request_head(url: &url::Url) -> Vec<u8> {
    let mut target = url.path().to_owned();
    if let Some(query) = url.query() {
        target.push('?');
        target.push_str(query);
    }
    let host = match url.port() {
        Some(port) => format!("{}:{port}", url.host_str().unwrap_or("")),
        None => url.host_str().unwrap_or("").to_owned(),
    };
    format!(
        "GET {target} HTTP/1.1\r\nhost: {host}\r\nuser-agent: {USER_AGENT}\r\naccept: {ACCEPT}\r\naccept-encoding: gzip\r\n\r\n"
    )
    .into_bytes()
}

/// The status line and fields as received. ureq removes the chunked transfer coding from
/// the body it hands over, so that field is kept under another name: a WARC reader must
/// not try to de-chunk a body that is no longer chunked.
fn response_head(status: StatusCode, headers: &HeaderMap) -> Vec<u8> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", status.as_u16(), status.canonical_reason().unwrap_or("")).into_bytes();
    for (name, value) in headers {
        let name = if name.as_str().eq_ignore_ascii_case("transfer-encoding") {
            "X-Factdesk-Original-Transfer-Encoding"
        } else {
            name.as_str()
        };
        head.extend_from_slice(name.as_bytes());
        head.extend_from_slice(b": ");
        head.extend_from_slice(value.as_bytes());
        head.extend_from_slice(b"\r\n");
    }
    head.extend_from_slice(b"\r\n");
    head
}

fn read_capture(
    url: &str,
    final_url: &str,
    request_head: Vec<u8>,
    response: Response<Body>,
    options: &FetchOptions,
) -> Result<Capture, Reason> {
    let (parts, body) = response.into_parts();
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let content_type = header("content-type");
    let charset = content_type.as_deref().and_then(charset_of);
    let coding = header("content-encoding").map(|c| c.trim().to_ascii_lowercase());
    let payload = read_capped(body.into_reader(), options)?;
    let content = match coding.as_deref() {
        None | Some("" | "identity") => payload.clone(),
        Some("gzip" | "x-gzip") => {
            decompress(flate2::read::MultiGzDecoder::new(payload.as_slice()), options.max_bytes)?
        }
        Some("deflate") => decompress(flate2::read::ZlibDecoder::new(payload.as_slice()), options.max_bytes)?,
        Some(other) => return Err(Reason::UnsupportedEncoding(other.to_owned())),
    };
    Ok(Capture {
        url: url.to_owned(),
        final_url: final_url.to_owned(),
        status: parts.status.as_u16(),
        request_head,
        response_head: response_head(parts.status, &parts.headers),
        payload,
        content,
        content_type,
        charset,
        fetched_at: chrono::Utc::now(),
        ip_address: None,
    })
}

/// Reads at most `max_bytes`; one byte more means the body is over the cap.
fn read_capped(mut reader: impl Read, options: &FetchOptions) -> Result<Vec<u8>, Reason> {
    let mut body = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        if options.cancelled() {
            return Err(Reason::Cancelled);
        }
        let n = match reader.read(&mut chunk) {
            Ok(0) => return Ok(body),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(reason_of_io(e, options)),
        };
        if (body.len() + n) as u64 > options.max_bytes {
            return Err(Reason::TooLarge(options.max_bytes));
        }
        body.extend_from_slice(&chunk[..n]);
    }
}

fn decompress(decoder: impl Read, cap: u64) -> Result<Vec<u8>, Reason> {
    let mut content = Vec::new();
    decoder.take(cap + 1).read_to_end(&mut content).map_err(|e| Reason::BadCompression(e.to_string()))?;
    if content.len() as u64 > cap {
        return Err(Reason::DecompressesTooLarge(cap));
    }
    Ok(content)
}

fn reason_of(error: ureq::Error, options: &FetchOptions) -> Reason {
    match error {
        ureq::Error::Other(inner) => match inner.downcast::<guard::Refused>() {
            Ok(refused) => Reason::Refused(*refused),
            Err(other) => Reason::Connection(one_line(&other.to_string())),
        },
        ureq::Error::Timeout(ureq::Timeout::Connect) => Reason::Timeout(options.connect_timeout),
        ureq::Error::Timeout(_) => Reason::Timeout(options.total_timeout),
        ureq::Error::HostNotFound => Reason::HostNotFound,
        ureq::Error::Tls(why) => Reason::Tls(why.to_owned()),
        ureq::Error::Rustls(e) => Reason::Tls(one_line(&e.to_string())),
        ureq::Error::BadUri(why) => Reason::BadUrl(one_line(&why)),
        ureq::Error::Io(e) => reason_of_io(e, options),
        other => Reason::Connection(one_line(&other.to_string())),
    }
}

fn reason_of_io(error: std::io::Error, options: &FetchOptions) -> Reason {
    if matches!(error.kind(), std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock) {
        return Reason::Timeout(options.total_timeout);
    }
    // ureq reports a deadline passed while reading the body as an I/O error around its own.
    if let Some(inner) = error.get_ref().and_then(|e| e.downcast_ref::<ureq::Error>()) {
        if matches!(inner, ureq::Error::Timeout(_)) {
            return Reason::Timeout(options.total_timeout);
        }
    }
    Reason::Connection(one_line(&error.to_string()))
}

fn one_line(text: &str) -> String {
    factdesk_core::text::clip(&text.split_whitespace().collect::<Vec<_>>().join(" "), 200)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charsets_are_read_from_the_content_type() {
        assert_eq!(charset_of("text/html; charset=windows-1251").as_deref(), Some("windows-1251"));
        assert_eq!(charset_of("text/html;Charset=\"UTF-8\"").as_deref(), Some("UTF-8"));
        assert_eq!(charset_of("text/html"), None);
    }

    #[test]
    fn only_web_addresses_are_fetched() {
        for url in ["file:///etc/passwd", "ftp://example.org/x", "javascript:alert(1)", "not a url"] {
            let error = fetch(url, &FetchOptions::default()).unwrap_err();
            assert!(matches!(error.reason, Reason::BadUrl(_)), "{url}: {error}");
        }
    }
}
