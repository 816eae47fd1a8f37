//! Rules over claims and sources that are computed, never stored: the corroboration
//! warnings, and the normalized URL that makes one web page one source.

use std::collections::BTreeSet;

use crate::model::{Evidence, Stance, Status};
use crate::{Error, Result};

/// Checks a source URL and returns it trimmed. Only web addresses are links.
pub fn validate_url(url: &str) -> Result<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
    match rest {
        Some(rest) if !rest.is_empty() && !rest.starts_with('/') && !url.contains(char::is_whitespace) => {
            Ok(url.to_owned())
        }
        _ => Err(Error::invalid("url", format!("{url:?} is not an http:// or https:// address"))),
    }
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

/// The warnings a claim carries given its status and live evidence.
pub fn warnings(status: Status, evidence: &[Evidence]) -> Vec<String> {
    let distinct = |stance: Stance| -> BTreeSet<i64> {
        evidence.iter().filter(|e| e.stance == stance).map(|e| e.source.id).collect()
    };
    let credible = |stance: Stance| {
        evidence.iter().any(|e| e.stance == stance && e.source.reliability.is_some_and(|r| r.is_credible()))
    };
    let mut warnings = Vec::new();
    match status {
        Status::Confirmed => {
            let supporting = distinct(Stance::Supports).len();
            if supporting < 2 {
                warnings.push(format!(
                    "confirmed with {supporting} supporting source{}: the corroboration rule asks for at least two independent sources",
                    if supporting == 1 { "" } else { "s" }
                ));
            }
            if credible(Stance::Supports) && credible(Stance::Refutes) {
                warnings.push("conflicting evidence: sources graded A–C both support and refute this claim".to_owned());
            }
        }
        Status::False if distinct(Stance::Refutes).is_empty() => {
            warnings.push("marked false, but no refuting source is attached".to_owned());
        }
        _ => {}
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Reliability, SourceKind, SourceRef};

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

    fn evidence(source_id: i64, stance: Stance, reliability: Option<Reliability>) -> Evidence {
        Evidence {
            id: source_id * 10,
            claim_id: 1,
            source: SourceRef { id: source_id, title: "s".into(), url: None, kind: SourceKind::Document, reliability },
            stance,
            credibility: None,
            excerpt: None,
            added_at: String::new(),
        }
    }

    #[test]
    fn corroboration_rules() {
        use Reliability::*;
        use Stance::*;
        // Two links to one source are still one source.
        let one_source = [evidence(1, Supports, Some(A)), evidence(1, Supports, Some(A))];
        assert_eq!(warnings(Status::Confirmed, &one_source).len(), 1);
        let two_sources = [evidence(1, Supports, Some(A)), evidence(2, Supports, Some(D))];
        assert!(warnings(Status::Confirmed, &two_sources).is_empty());
        let conflicting = [evidence(1, Supports, Some(B)), evidence(2, Supports, None), evidence(3, Refutes, Some(C))];
        let found = warnings(Status::Confirmed, &conflicting);
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("conflicting evidence"));
        let weak_refutation =
            [evidence(1, Supports, Some(B)), evidence(2, Supports, None), evidence(3, Refutes, Some(E))];
        assert!(warnings(Status::Confirmed, &weak_refutation).is_empty());
        assert_eq!(warnings(Status::False, &[evidence(1, Supports, Some(A))]).len(), 1);
        assert!(warnings(Status::False, &[evidence(1, Refutes, None)]).is_empty());
        assert!(warnings(Status::Disputed, &[]).is_empty());
        assert!(warnings(Status::Unreviewed, &[]).is_empty());
    }
}
