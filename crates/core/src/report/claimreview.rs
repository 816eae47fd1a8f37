//! schema.org `ClaimReview` JSON-LD, one object per decided claim, for publishing next to
//! a fact-check. Unreviewed claims are left out (and counted). The rating scale is ours,
//! documented in `docs/report.md`: 1 false, 2 disputed, 3 unconfirmed, 4 confirmed.

use std::io::{self, Write};

use serde::Serialize;

use super::document::{status_label, Render, ReportArticle, ReportHeader};
use super::json::pretty_indented;
use crate::model::Status;
use crate::url::is_web_url;

pub const WORST_RATING: u8 = 1;
pub const BEST_RATING: u8 = 4;

/// The numeric rating of a decided status; `None` for unreviewed.
pub fn rating(status: Status) -> Option<u8> {
    match status {
        Status::Unreviewed => None,
        Status::False => Some(1),
        Status::Disputed => Some(2),
        Status::Unconfirmed => Some(3),
        Status::Confirmed => Some(4),
    }
}

#[derive(Default)]
pub(super) struct ClaimReview {
    written: usize,
    left_out: u64,
}

// Structs rather than `serde_json::Map`, so key order is the same whatever features
// serde_json is built with.
#[derive(Serialize)]
struct Review<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "claimReviewed")]
    claim_reviewed: &'a str,
    #[serde(rename = "datePublished")]
    date_published: &'a str,
    author: Named<'a>,
    #[serde(rename = "reviewRating")]
    review_rating: Rating,
    #[serde(rename = "reviewBody", skip_serializing_if = "Option::is_none")]
    review_body: Option<&'a str>,
    #[serde(rename = "itemReviewed")]
    item_reviewed: Item<'a>,
}

#[derive(Serialize, Clone)]
struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
struct Rating {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "ratingValue")]
    rating_value: u8,
    #[serde(rename = "worstRating")]
    worst_rating: u8,
    #[serde(rename = "bestRating")]
    best_rating: u8,
    #[serde(rename = "alternateName")]
    alternate_name: &'static str,
}

#[derive(Serialize)]
struct Item<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Named<'a>>,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<&'a str>,
    appearance: Appearance<'a>,
}

#[derive(Serialize)]
struct Appearance<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    headline: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<Named<'a>>,
}

/// JSON that can be pasted into `<script type="application/ld+json">` as it is: `<`, `>`
/// and `&` (which could close the script element or open a comment) and U+2028/U+2029
/// (line ends to JavaScript) written as `\u` escapes. They can only occur inside strings,
/// so the JSON means the same.
fn embeddable(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

impl Render for ClaimReview {
    fn begin(&mut self, out: &mut dyn Write, _header: &ReportHeader) -> io::Result<()> {
        write!(out, "[")
    }

    fn article(&mut self, out: &mut dyn Write, header: &ReportHeader, article: &ReportArticle) -> io::Result<()> {
        let a = &article.article;
        let reviewer = match &header.publisher {
            Some(name) => Named { kind: "Organization", name },
            None => Named { kind: "Person", name: &header.generated_by },
        };
        for rc in &article.claims {
            let c = &rc.claim;
            // A claim awaiting the sign-off the desk requires, or contested, is not decided yet.
            let undecided = rc.awaiting_sign_off || c.contested.as_ref().is_some_and(|d| !d.is_empty());
            let Some(rating_value) = rating(c.status).filter(|_| !undecided) else {
                self.left_out += 1;
                continue;
            };
            // The review is published on the day the status was decided.
            let decided_at = rc.decided.as_ref().map_or(c.updated_at.as_str(), |d| d.at.as_str());
            let review = Review {
                context: "https://schema.org",
                kind: "ClaimReview",
                claim_reviewed: &c.quote,
                date_published: decided_at.get(..10).unwrap_or(decided_at),
                author: reviewer.clone(),
                review_rating: Rating {
                    kind: "Rating",
                    rating_value,
                    worst_rating: WORST_RATING,
                    best_rating: BEST_RATING,
                    alternate_name: status_label(c.status).1,
                },
                review_body: c.note.as_deref(),
                item_reviewed: Item {
                    kind: "Claim",
                    author: c.claimant.as_deref().map(|name| Named { kind: "Person", name }),
                    date_published: a.published.as_deref(),
                    appearance: Appearance {
                        kind: "CreativeWork",
                        headline: &a.title,
                        // Only a web address is published as where the claim appeared.
                        url: a.url.as_deref().filter(|url| is_web_url(url)),
                        date_published: a.published.as_deref(),
                        publisher: a.outlet.as_deref().map(|name| Named { kind: "Organization", name }),
                    },
                },
            };
            let separator = if self.written == 0 { "" } else { "," };
            self.written += 1;
            write!(out, "{separator}\n  {}", embeddable(&pretty_indented(&review, 2)?))?;
        }
        Ok(())
    }

    fn end(&mut self, out: &mut dyn Write, _header: &ReportHeader) -> io::Result<()> {
        if self.written > 0 {
            writeln!(out)?;
        }
        writeln!(out, "]")
    }

    fn needs_totals(&self) -> bool {
        false
    }

    fn shows_checks(&self) -> bool {
        false
    }

    fn left_out(&self) -> u64 {
        self.left_out
    }
}
