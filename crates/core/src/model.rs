//! The ledger's vocabulary: statuses, stances, grades, and the records the core hands
//! out. These types are also the JSON contract of `factdesk --json` (field names in
//! snake_case, as `PRODUCT.md` lists them), so renaming a field is a breaking change.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::terms::{word_enum, Term};

word_enum!(
    /// A claim's verification status.
    Status, "status" {
        Unreviewed => "unreviewed", "Unreviewed", "Flagged, nothing decided yet",
        Confirmed => "confirmed", "Confirmed", "Independently corroborated",
        Unconfirmed => "unconfirmed", "Unconfirmed", "Checked, and could not be corroborated (yet)",
        Disputed => "disputed", "Disputed", "Credible evidence conflicts",
        False => "false", "False", "Refuted by credible evidence",
    }
);

word_enum!(
    /// Where a claim stands after its article changed.
    AnchorState, "anchor state" {
        Exact => "exact", "Exact", "The same quote, where the changes put it",
        Moved => "moved", "Moved", "The same quote, found once elsewhere with its context",
        Changed => "changed", "Changed", "The passage was edited: a new span is proposed for a person to accept or fix",
        Orphaned => "orphaned", "Orphaned", "The passage is gone: the claim keeps its old quote and version",
    }
);

word_enum!(
    /// How a piece of evidence bears on a claim.
    Stance, "stance" {
        Supports => "supports", "Supports", "The source backs the claim",
        Refutes => "refutes", "Refutes", "The source contradicts the claim",
        Context => "context", "Context", "The source bears on the claim without deciding it",
    }
);

word_enum!(
    /// What a source is.
    SourceKind, "kind" {
        WebPage => "web_page", "Web page", "A page on the web",
        Document => "document", "Document", "A report, filing, letter or other document",
        Person => "person", "Person", "Someone spoken to: an interview or a call",
        OfficialStatement => "official_statement", "Official statement", "A statement by an authority or organisation",
        MediaReport => "media_report", "Media report", "Another outlet's reporting",
        Dataset => "dataset", "Dataset", "Published data or statistics",
    }
);

word_enum!(
    /// Admiralty scale, source reliability: A completely reliable … E unreliable,
    /// F reliability cannot be judged.
    Reliability, "reliability" {
        A => "A", "Completely reliable", "No doubt of authenticity, trustworthiness or competence; a history of complete reliability",
        B => "B", "Usually reliable", "Minor doubt; a history of mostly valid information",
        C => "C", "Fairly reliable", "Doubt; has provided valid information in the past",
        D => "D", "Not usually reliable", "Significant doubt; has provided valid information in the past",
        E => "E", "Unreliable", "Lacking authenticity, trustworthiness and competence; a history of invalid information",
        F => "F", "Reliability cannot be judged", "No basis for evaluating the source",
    }
);

impl Status {
    /// The symbol shown with the status wherever it is coloured (the app, HTML and
    /// Markdown reports), so colour is never the only cue.
    pub fn symbol(self) -> &'static str {
        match self {
            Status::Unreviewed => "○",
            Status::Confirmed => "✓",
            Status::Unconfirmed => "?",
            Status::Disputed => "≠",
            Status::False => "✗",
        }
    }
}

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

    pub const ALL: [u8; 6] = [1, 2, 3, 4, 5, 6];

    /// What people call the grade: "Probably true".
    pub fn label(self) -> &'static str {
        CREDIBILITY_TERMS[usize::from(self.0) - 1].0
    }

    pub fn description(self) -> &'static str {
        CREDIBILITY_TERMS[usize::from(self.0) - 1].1
    }

    pub fn terms() -> Vec<Term> {
        Credibility::ALL
            .iter()
            .map(|&n| Credibility(n))
            .map(|c| Term { id: c.to_string(), label: c.label(), description: c.description(), symbol: None })
            .collect()
    }
}

const CREDIBILITY_TERMS: [(&str, &str); 6] = [
    ("Confirmed by other sources", "Confirmed by other independent sources; logical and consistent"),
    ("Probably true", "Not confirmed; logical and consistent with other information"),
    ("Possibly true", "Not confirmed; reasonably logical, agrees with some other information"),
    ("Doubtful", "Not confirmed; possible but not logical, no other information on it"),
    ("Improbable", "Not confirmed; not logical, contradicted by other information"),
    ("Truth cannot be judged", "No basis for evaluating the information"),
];

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
    /// The number of the newest version (1 until the article is updated).
    pub version: u32,
    /// Live claims whose passage changed or vanished in a new version: a person must look.
    pub to_recheck: u64,
}

/// One version of an article, as `versions` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleVersion {
    pub version: u32,
    pub sha256: String,
    pub imported_at: String,
    pub words: u64,
    /// The file name (or the page's name) the bytes came from.
    pub source: String,
    pub bytes: u64,
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
    /// Where the claim stands since its article last changed.
    pub anchor: ClaimAnchor,
    pub evidence: Vec<Evidence>,
    /// Computed from status and evidence on every read; never stored.
    pub warnings: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
    /// In a shared workspace: the decisions that disagree, until an editor settles them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contested: Option<Vec<ContestDecision>>,
    /// An editor's review of the current status (none once the status changes again).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<ClaimReview>,
    /// The member checking it: the claim's own assignment, else its article's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assigned_to: Option<String>,
}

word_enum!(
    /// What an editor's review of a claim's status decided.
    ReviewDecision, "review" {
        Approve => "approve", "Signed off", "An editor approved the claim's status",
        Reject => "reject", "Sent back", "An editor sent the claim's status back for more work",
    }
);

/// The newest review of a claim's current status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimReview {
    pub decision: ReviewDecision,
    pub by: String,
    pub at: String,
    pub status: Status,
    pub note: Option<String>,
}

/// A claim's place across versions of its article: `exact` or `moved` (at `start..end`
/// of the newest text, decided on it), `changed` (a span proposed in the newest text;
/// decided on `version` as `previous_quote`), `orphaned` (the passage is gone; `start..end`
/// still index `version`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimAnchor {
    pub state: AnchorState,
    pub version: u32,
    pub previous_quote: Option<String>,
}

impl ClaimAnchor {
    /// A claim flagged on version `version` of its article.
    pub fn exact(version: u32) -> ClaimAnchor {
        ClaimAnchor { state: AnchorState::Exact, version, previous_quote: None }
    }

    /// Whether `start..end` index the article's newest text (not an orphan's old one).
    pub fn in_newest_text(&self) -> bool {
        self.state != AnchorState::Orphaned
    }
}

/// What adding a version did.
#[derive(Debug, Clone, PartialEq)]
pub enum VersionOutcome {
    /// A new newest version; how many claims ended in each state.
    Added { article: Article, counts: AnchorCounts },
    /// The text is the same as the newest version's: nothing was written.
    Unchanged(Article),
}

/// How many claims ended exact, moved, changed and orphaned.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct AnchorCounts {
    pub exact: u64,
    pub moved: u64,
    pub changed: u64,
    pub orphaned: u64,
}

/// How a person places a claim that changed or lost its passage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnchorFix {
    /// Take the span proposed when the article changed.
    Accept,
    /// This exact quote of the newest text (the `occurrence`-th, 1-based, if repeated).
    Quote { quote: String, occurrence: Option<usize> },
    /// This span of the newest text (code points), as a selection in the reader gives it.
    Span { start: usize, end: usize },
}

/// A source as shown inside an evidence item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    /// The document kept with this evidence (`evidence add --file`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<FileInfo>,
    /// The newest capture of the source's page (`--capture`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<SnapshotInfo>,
}

/// What a snapshot is, as listed and put in reports (never its bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SnapshotInfo {
    pub id: i64,
    pub url: String,
    pub final_url: String,
    pub status: u16,
    pub content_type: Option<String>,
    /// UTC, RFC 3339.
    pub fetched_at: String,
    /// SHA-256 (hex) of the payload as received.
    pub sha256: String,
    /// Bytes of the payload as received.
    pub bytes: u64,
    /// The article it is the source of, for an imported page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub article_id: Option<i64>,
    /// The evidence it documents, for a captured evidence page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence_id: Option<i64>,
}

/// An evidence file kept in the library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileInfo {
    pub id: i64,
    pub name: String,
    pub media_type: String,
    pub sha256: String,
    pub bytes: u64,
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
    /// What happened, in plain language (`Event::describe`), after the actor's name.
    pub summary: String,
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

/// A stretch of a long list: `rows` from position `offset` of `total`, so a window can
/// show a library of any size a screenful at a time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page<T> {
    pub total: u64,
    pub offset: u64,
    pub rows: Vec<T>,
}

/// One of a shared desk's own board lists (`Library::team_board`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamList<'a> {
    /// The claims assigned to this member: their own assignment, else their article's.
    AssignedTo(&'a str),
    /// The decided claims no editor has signed off as they stand.
    WaitingForReview,
    /// The claims members decided differently, until an editor settles them.
    Contested,
}

/// A claim on the claims board, with the title of its article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoardClaim {
    #[serde(flatten)]
    pub claim: Claim,
    pub article_title: String,
}

/// A page of search results: matching articles then matching claims, as one list (of
/// each kind, the newest 500 matches ranked by relevance, then the older ones newest
/// first). `articles` and `claims` count the matches up to 10,000 each; `more_articles`
/// and `more_claims` say there are more than that (the list stops there).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    pub articles: u64,
    pub claims: u64,
    pub more_articles: bool,
    pub more_claims: bool,
    pub offset: u64,
    pub hits: Vec<SearchHit>,
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

/// This library's link to a team hub's workspace (`factdesk join`). The device key and
/// token never leave the library file in any output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamLink {
    pub hub_url: String,
    pub workspace: String,
    pub member: String,
    pub role: String,
    #[serde(skip)]
    pub device_key: String,
    #[serde(skip)]
    pub device_token: String,
    pub joined_at: String,
    /// The newest local history event pushed.
    pub pushed_through: i64,
    /// The hash of this device's newest pushed envelope (the next one's `prev`).
    #[serde(skip)]
    pub device_head: Option<String>,
    /// The newest hub sequence number pulled, and the hub chain's head there.
    pub pulled_seq: i64,
    pub hub_head: String,
}

/// One decision in a contest: a status change made from a state the claim no longer had.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContestDecision {
    pub author: String,
    pub at: String,
    pub from: Status,
    pub to: Status,
    pub note: Option<String>,
}

/// What applying pulled events did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Applied {
    /// Other members' events now in this library.
    pub replayed: u64,
    /// This device's own events, now in the hub's order.
    pub own: u64,
    /// Events of kinds this release cannot replay yet: kept, not shown.
    pub not_replayed: u64,
    /// Claims that became contested.
    pub contested: u64,
}

/// Where sync stands (`factdesk sync --status`, the app's indicator).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamStatus {
    pub link: Option<TeamLink>,
    /// Local events not yet pushed.
    pub waiting: u64,
    /// Pulled events kept but not replayed by this release.
    pub not_replayed: u64,
    /// Claims in contest.
    pub contested: u64,
}
