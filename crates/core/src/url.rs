//! Web addresses: the one rule for what counts as one (`is_web_url`), the check a
//! source URL passes (`validate_url`), and the key that makes one page one source
//! (`normalize_url`). A leaf module: everything that handles a URL asks here.

use url::Url;

use crate::text::{is_bidi_control, is_unsafe_control};
use crate::{Error, Result};

/// Parses a web address by the WHATWG URL rules, as a browser would, and refuses what a
/// browser would read differently from a person: anything but `http`/`https`, no host,
/// user-info (`https://evil.example@audit.gov/` goes to audit.gov, `https://audit.gov\@evil`
/// to evil), a backslash (which browsers read as `/`), whitespace, control and bidi
/// characters. Surrounding whitespace is the caller's to trim. The error says why.
/// Longest web address accepted (what browsers and servers reliably handle).
pub const MAX_URL_BYTES: usize = 2_048;

pub fn parse_web_url(input: &str) -> std::result::Result<Url, &'static str> {
    if input.len() > MAX_URL_BYTES {
        return Err("is longer than 2,048 bytes");
    }
    if let Some(c) = input.chars().find(|&c| c.is_whitespace() || is_unsafe_control(c) || is_bidi_control(c)) {
        return Err(if c.is_whitespace() { "contains a space" } else { "contains a control character" });
    }
    if input.contains('\\') {
        return Err("contains a backslash, which browsers read as a slash");
    }
    // Written out as a person reads it: `http://` or `https://` and then the host (the
    // URL standard would also take `https:host` and `http:///host`).
    let after_scheme = ["https://", "http://"].iter().find_map(|scheme| {
        input.get(..scheme.len()).filter(|head| head.eq_ignore_ascii_case(scheme)).map(|_| &input[scheme.len()..])
    });
    if after_scheme.is_none_or(|rest| rest.is_empty() || rest.starts_with(['/', '?', '#'])) {
        return Err("is not an http:// or https:// address");
    }
    let url = Url::parse(input).map_err(|_| "is not a web address")?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("is not an http:// or https:// address");
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("has no host");
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("holds a user name before the host (user@host), which hides where it leads");
    }
    Ok(url)
}

/// Checks a source URL and returns it as a browser would read it (the parsed form:
/// host in lower case, default port dropped).
pub fn validate_url(url: &str) -> Result<String> {
    let url = url.trim();
    parse_web_url(url).map(String::from).map_err(|why| Error::invalid("url", format!("{url:?} {why}")))
}

/// The one rule for "this is a web address" ([`parse_web_url`] accepts it). Sources,
/// article metadata from every importer, report links and the app's "open in browser"
/// all ask this.
pub fn is_web_url(url: &str) -> bool {
    parse_web_url(url).is_ok()
}

/// The key under which two URLs count as the same source: scheme (http/https), `www.`,
/// default ports, fragments, `utm_*` tracking parameters and a trailing slash do not
/// matter; host case does not matter; path and other parameters do. Built from the
/// parsed URL, so two strings that lead to different hosts never share a key.
pub fn normalize_url(url: &str) -> String {
    let Ok(parsed) = parse_web_url(url.trim()) else {
        // Not a web address (a library written before URLs were parsed): the text itself.
        return url.trim().to_lowercase();
    };
    let host = parsed.host_str().unwrap_or("");
    let host = host.strip_prefix("www.").unwrap_or(host);
    let port = match parsed.port() {
        Some(port) if port != 80 && port != 443 => format!(":{port}"),
        _ => String::new(),
    };
    let path = parsed.path().trim_end_matches('/');
    let kept: Vec<&str> = parsed
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|pair| !pair.is_empty() && !pair.to_ascii_lowercase().starts_with("utm_"))
        .collect();
    if kept.is_empty() {
        format!("{host}{port}{path}")
    } else {
        format!("{host}{port}{path}?{}", kept.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_keys_ignore_what_does_not_change_the_page() {
        let same = [
            "https://www.Example.org/report/",
            "http://example.org/report",
            "https://example.org:443/report#section-2",
            "https://example.org/report?utm_source=x&utm_medium=y",
        ];
        for url in same {
            assert_eq!(normalize_url(url), "example.org/report", "{url}");
        }
        assert_eq!(normalize_url("https://example.org/report?id=2&utm_campaign=z"), "example.org/report?id=2");
        assert_ne!(normalize_url("https://example.org/Report"), normalize_url("https://example.org/report"));
        assert_eq!(normalize_url("https://example.org:8080/a/"), "example.org:8080/a");
    }

    #[test]
    fn only_web_urls_are_accepted() {
        assert!(validate_url(" https://example.org/a ").is_ok());
        for bad in
            ["javascript:alert(1)", "file:///etc/passwd", "example.org", "https://", "https:// x", "data:text/html,hi"]
        {
            assert!(validate_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn one_rule_for_every_web_address() {
        for good in ["https://example.org/a", "HTTP://Example.org", "https://example.org?q=1"] {
            assert!(is_web_url(good), "{good}");
        }
        for bad in [
            "https://",
            "http:///path",
            "https://?x",
            "https://a b",
            "https://a\u{7}b",
            " https://a",
            "ftp://a",
            "mailto:x@y",
            "https:a",
            "javascript:alert(1)",
            "https://evil.example\\@audit.gov/report",
            "https://user@audit.gov/",
            "https://user:pw@audit.gov/",
            "https://audit.gov/\u{202E}fdp.exe",
        ] {
            assert!(!is_web_url(bad), "{bad:?}");
        }
    }
}
