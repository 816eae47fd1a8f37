//! Web addresses: the one rule for what counts as one (`is_web_url`), the check a
//! source URL passes (`validate_url`), and the key that makes one page one source
//! (`normalize_url`). A leaf module: everything that handles a URL asks here.

use crate::{Error, Result};

/// Checks a source URL and returns it trimmed. Only web addresses are links.
pub fn validate_url(url: &str) -> Result<String> {
    let url = url.trim();
    if is_web_url(url) {
        Ok(url.to_owned())
    } else {
        Err(Error::invalid("url", format!("{url:?} is not an http:// or https:// address")))
    }
}

/// The one rule for "this is a web address": `http://` or `https://` (any case), then a
/// host (not a path), and no whitespace or control characters anywhere. Sources, article
/// metadata from every importer, report links and the app's "open in browser" all ask
/// this; surrounding whitespace is the caller's to trim.
pub fn is_web_url(url: &str) -> bool {
    let scheme_length = if starts_with_ignoring_case(url, "https://") {
        8
    } else if starts_with_ignoring_case(url, "http://") {
        7
    } else {
        return false;
    };
    let rest = &url[scheme_length..];
    !rest.is_empty()
        && !rest.starts_with(['/', '?', '#'])
        && !url.contains(|c: char| c.is_whitespace() || c.is_control())
}

fn starts_with_ignoring_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

/// The key under which two URLs count as the same source: scheme (http/https), `www.`,
/// default ports, fragments, `utm_*` tracking parameters and a trailing slash do not
/// matter; host case does not matter; path and other parameters do.
pub fn normalize_url(url: &str) -> String {
    let url = url.trim();
    let without_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let without_fragment = without_scheme.split('#').next().unwrap_or("");
    let (authority, path_and_query) = match without_fragment.find(['/', '?']) {
        Some(i) => without_fragment.split_at(i),
        None => (without_fragment, ""),
    };
    let host = authority.rsplit('@').next().unwrap_or("").to_ascii_lowercase();
    let host = host.strip_suffix(":80").or_else(|| host.strip_suffix(":443")).unwrap_or(&host);
    let host = host.strip_prefix("www.").unwrap_or(host);
    let (path, query) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
    let path = path.trim_end_matches('/');
    let kept: Vec<&str> =
        query.split('&').filter(|pair| !pair.is_empty() && !pair.to_ascii_lowercase().starts_with("utm_")).collect();
    if kept.is_empty() {
        format!("{host}{path}")
    } else {
        format!("{host}{path}?{}", kept.join("&"))
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
        ] {
            assert!(!is_web_url(bad), "{bad:?}");
        }
    }
}
