//! The ledger's vocabulary: statuses, stances, grades, and the records the core hands
//! out. These types are also the JSON contract of `factdesk --json` (field names in
//! snake_case, as `PRODUCT.md` lists them), so renaming a field is a breaking change.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Declares a closed set of words stored as TEXT in SQLite and shown to users.
macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident, $field:literal { $($variant:ident => $word:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name { $(#[serde(rename = $word)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = crate::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let wanted = s.trim();
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str().eq_ignore_ascii_case(wanted))
                    .ok_or_else(|| {
                        let words: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                        crate::Error::invalid($field, format!("{s:?} is not one of {}", words.join(", ")))
                    })
            }
        }
    };
}

word_enum!(
    /// A claim's verification status.
    Status, "status" {
        Unreviewed => "unreviewed",
        Confirmed => "confirmed",
        Unconfirmed => "unconfirmed",
        Disputed => "disputed",
        False => "false",
    }
);

word_enum!(
    /// How a piece of evidence bears on a claim.
    Stance, "stance" {
        Supports => "supports",
        Refutes => "refutes",
        Context => "context",
    }
);

word_enum!(
    /// What a source is.
    SourceKind, "kind" {
        WebPage => "web_page",
        Document => "document",
        Person => "person",
        OfficialStatement => "official_statement",
        MediaReport => "media_report",
        Dataset => "dataset",
    }
);

word_enum!(
    /// Admiralty scale, source reliability: A completely reliable … E unreliable,
    /// F reliability cannot be judged.
    Reliability, "reliability" {
        A => "A", B => "B", C => "C", D => "D", E => "E", F => "F",
    }
);

impl Reliability {
    /// A–C: the grades the conflicting-evidence rule treats as credible.
    pub fn is_credible(self) -> bool {
        matches!(self, Reliability::A | Reliability::B | Reliability::C)
    }
}

/// Admiralty scale, information credibility: 1 confirmed by other sources … 5 improbable,
/// 6 truth cannot be judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "u8", try_from = "u8")]
pub struct Credibility(u8);

impl From<Credibility> for u8 {
    fn from(value: Credibility) -> u8 {
        value.0
    }
}

impl TryFrom<u8> for Credibility {
    type Error = crate::Error;
    fn try_from(value: u8) -> crate::Result<Self> {
        Credibility::new(value)
    }
}

impl Credibility {
    pub fn new(value: u8) -> crate::Result<Self> {
        if (1..=6).contains(&value) {
            Ok(Credibility(value))
        } else {
            Err(crate::Error::invalid("credibility", format!("{value} is not a grade from 1 to 6")))
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl FromStr for Credibility {
    type Err = crate::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let value: u8 = s
            .trim()
            .parse()
            .map_err(|_| crate::Error::invalid("credibility", format!("{s:?} is not a grade from 1 to 6")))?;
        Credibility::new(value)
    }
}

impl fmt::Display for Credibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Counts of live claims by status; every status is present, zero or not.
pub type ClaimCounts = BTreeMap<Status, u64>;

pub(crate) fn empty_counts() -> ClaimCounts {
    Status::ALL.iter().map(|s| (*s, 0)).collect()
}

/// An article as listed in the library.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Article {
    pub id: i64,
    pub title: String,
    pub outlet: Option<String>,
    pub author: Option<String>,
    pub dateline: Option<String>,
    /// `YYYY-MM-DD`.
    pub published: Option<String>,
    pub url: Option<String>,
    pub word_count: u64,
    pub claim_counts: ClaimCounts,
    /// Lower-case hex SHA-256 of the bytes as imported.
    pub sha256: String,
    pub format: String,
    pub encoding: String,
    pub file_name: String,
    pub imported_at: String,
}

/// An article with its canonical text and its live claims.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleDetail {
    #[serde(flatten)]
    pub article: Article,
    /// The canonical text that claim offsets index (code points, end exclusive).
    pub text: String,
    pub claims: Vec<Claim>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Claim {
    pub id: i64,
    pub article_id: i64,
    pub quote: String,
    /// Code-point offset of the first character of the quote in the canonical text.
    pub start: usize,
    /// Code-point offset just past the quote.
    pub end: usize,
    /// Up to 32 code points before the quote (TextQuoteSelector prefix).
    pub prefix: String,
    /// Up to 32 code points after the quote (TextQuoteSelector suffix).
    pub suffix: String,
    pub claimant: Option<String>,
    pub status: Status,
    pub note: Option<String>,
    pub evidence: Vec<Evidence>,
    /// Computed from status and evidence on every read; never stored.
    pub warnings: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// A source as shown inside an evidence item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceRef {
    pub id: i64,
    pub title: String,
    pub url: Option<String>,
    pub kind: SourceKind,
    pub reliability: Option<Reliability>,
}

/// A link between a claim and a source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub id: i64,
    pub claim_id: i64,
    pub source: SourceRef,
    pub stance: Stance,
    pub credibility: Option<Credibility>,
    pub excerpt: Option<String>,
    pub added_at: String,
}

/// A source in the reusable library, with how many live evidence links use it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    #[serde(flatten)]
    pub source: SourceRef,
    pub used_by: u64,
    pub created_at: String,
}

/// One entry of the append-only, hash-chained history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryEvent {
    pub id: i64,
    /// UTC, RFC 3339 with microseconds.
    pub at: String,
    pub actor: String,
    pub kind: String,
    pub article_id: Option<i64>,
    pub claim_id: Option<i64>,
    pub payload: serde_json::Value,
    pub prev_hash: String,
    pub hash: String,
}

/// What `verify` found when the chain is intact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainHead {
    pub events: u64,
    /// Hash of the last event, or the genesis hash for an empty history.
    pub head: String,
}

/// One full-text search result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    /// `article` or `claim`.
    pub kind: &'static str,
    pub article_id: i64,
    pub claim_id: Option<i64>,
    pub title: String,
    /// A short excerpt around the match; the matched words are wrapped in `[` `]`.
    pub snippet: String,
}
