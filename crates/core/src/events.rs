//! The history's vocabulary: one [`Event`] variant per kind of change, one struct per
//! payload. `Library` writes history only as an `Event`, the store reads rows back into
//! one, and [`Event::describe`] is the one wording of each kind for people (the CLI's
//! `history` and the app's history panel both show it).
//!
//! The serialized payloads are hashed into the chain, so their key names and values are
//! a stored format: a field may be added to a new kind, never renamed or re-typed in an
//! existing one (the fixture library in `tests/fixtures/libraries/` keeps us honest).
//! A new kind is one variant here, one payload struct, one arm in `describe`, and one
//! word in [`EventKind`].

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::{Credibility, Reliability, ReviewDecision, SourceRef, Stance, Status};
use crate::text::clip;

/// A change recorded in the history, as `{"kind": …, "payload": {…}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
pub enum Event {
    ArticleImported(ArticleImported),
    ClaimFlagged(ClaimFlagged),
    ClaimStatusChanged(ClaimStatusChanged),
    ClaimEdited(ClaimEdited),
    ClaimRemoved(ClaimRemoved),
    EvidenceAdded(EvidenceAdded),
    EvidenceRemoved(EvidenceRemoved),
    SourceGraded(SourceGraded),
    SuggestionDismissed(SuggestionDismissed),
    SnapshotCaptured(SnapshotCaptured),
    FileAttached(FileAttached),
    ArticleVersionAdded(ArticleVersionAdded),
    ClaimReanchored(ClaimReanchored),
    ClaimAnchorSet(ClaimAnchorSet),
    SuggestionRestored(SuggestionRestored),
    ClaimReviewed(ClaimReviewed),
    Assigned(Assigned),
    ReviewRequired(ReviewRequired),
}

crate::terms::word_enum!(
    /// The kinds of [`Event`], as stored in `history.kind`.
    EventKind, "event kind" {
        ArticleImported => "article_imported", "Article imported", "An article's bytes were added to the library",
        ClaimFlagged => "claim_flagged", "Claim flagged", "A passage of an article was flagged as a claim",
        ClaimStatusChanged => "claim_status_changed", "Status changed", "A claim's verification status or rationale was set",
        ClaimEdited => "claim_edited", "Claim edited", "A claim's claimant or rationale was changed",
        ClaimRemoved => "claim_removed", "Claim removed", "A claim was hidden from lists and reports",
        EvidenceAdded => "evidence_added", "Evidence added", "A source was linked to a claim",
        EvidenceRemoved => "evidence_removed", "Evidence removed", "An evidence link was hidden",
        SourceGraded => "source_graded", "Source regraded", "A source's reliability grade was changed",
        SuggestionDismissed => "suggestion_dismissed", "Suggestion dismissed", "An assistant suggestion will not be offered again",
        SnapshotCaptured => "snapshot_captured", "Page captured", "A web page was fetched and kept byte for byte (WARC)",
        FileAttached => "file_attached", "File attached", "A document was kept in the library as evidence",
        ArticleVersionAdded => "article_version_added", "New version", "New bytes of an article became its newest version; its claims were re-anchored",
        ClaimReanchored => "claim_reanchored", "Claim re-anchored", "A claim moved, changed or lost its passage in a new version of its article",
        ClaimAnchorSet => "claim_anchor_set", "Anchor set", "A person accepted a proposed span for a claim, or chose one",
        SuggestionRestored => "suggestion_restored", "Suggestion restored", "A dismissed assistant suggestion is offered again (an undo)",
        ClaimReviewed => "claim_reviewed", "Claim reviewed", "An editor signed off a claim's status, or sent it back",
        Assigned => "assigned", "Assigned", "An article or a claim was given to a member to check (or taken back)",
        ReviewRequired => "review_required", "Sign-off rule", "An editor made an editor's sign-off required (or not) before a claim counts as decided in reports",
    }
);

crate::terms::word_enum!(
    /// What a member of a shared workspace may do; each role may do all the one below it may.
    Role, "role" {
        Reporter => "reporter", "Reporter", "Imports articles and flags claims",
        Checker => "checker", "Checker", "Also adds evidence and sets statuses",
        Editor => "editor", "Editor", "Also reviews and signs off claims, and manages members",
    }
);

impl EventKind {
    /// The least role whose members may record this kind of event in a shared workspace
    /// (the team hub refuses it from anyone below). Re-anchoring follows a new version
    /// and a suggestion's dismissal is a reading aid, so a reporter records both.
    pub fn least_role(self) -> Role {
        match self {
            EventKind::ArticleImported
            | EventKind::ClaimFlagged
            | EventKind::ClaimEdited
            | EventKind::ClaimRemoved
            | EventKind::SuggestionDismissed
            | EventKind::SuggestionRestored
            | EventKind::SnapshotCaptured
            | EventKind::ArticleVersionAdded
            | EventKind::ClaimReanchored => Role::Reporter,
            EventKind::ClaimStatusChanged
            | EventKind::EvidenceAdded
            | EventKind::EvidenceRemoved
            | EventKind::SourceGraded
            | EventKind::FileAttached
            | EventKind::ClaimAnchorSet
            | EventKind::Assigned => Role::Checker,
            EventKind::ClaimReviewed | EventKind::ReviewRequired => Role::Editor,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleImported {
    pub sha256: String,
    pub file_name: String,
    pub format: String,
    pub encoding: String,
    pub bytes: u64,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimFlagged {
    pub quote: String,
    pub start: usize,
    pub end: usize,
    pub claimant: Option<String>,
    pub note: Option<String>,
    /// Present when the claim was an assistant suggestion accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggested: Option<SuggestionOrigin>,
}

/// The assistant's score and reasons for a suggestion that became a claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuggestionOrigin {
    pub score: f64,
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimStatusChanged {
    pub from: Status,
    pub to: Status,
    /// The rationale given with the change.
    pub note: Option<String>,
    /// The event this one takes back (`Library::undo`), when it is an undo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undoes: Option<i64>,
}

/// Only the fields that changed are present.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClaimEdited {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimant: Option<Change<Option<String>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Change<Option<String>>>,
    /// The event this one takes back (`Library::undo`), when it is an undo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undoes: Option<i64>,
}

impl ClaimEdited {
    pub fn is_empty(&self) -> bool {
        self.claimant.is_none() && self.note.is_none()
    }
}

/// A value before and after a change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change<T> {
    pub from: T,
    pub to: T,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimRemoved {
    pub quote: String,
    /// The status the claim had when it was removed.
    pub status: Status,
    pub note: Option<String>,
    /// The event this one takes back (`Library::undo`), when it is an undo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undoes: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceAdded {
    pub evidence_id: i64,
    /// The source as it was when linked (title, URL, kind, grade).
    pub source: SourceRef,
    pub source_created: bool,
    pub stance: Stance,
    pub credibility: Option<Credibility>,
    pub excerpt: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceRemoved {
    pub evidence_id: i64,
    pub source_id: i64,
    pub stance: Stance,
    pub note: Option<String>,
    /// The event this one takes back (`Library::undo`), when it is an undo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undoes: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceGraded {
    pub source_id: i64,
    pub from: Option<Reliability>,
    pub to: Reliability,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuggestionDismissed {
    pub start: usize,
    pub end: usize,
    pub quote: String,
}

/// A page fetched and kept: of an imported article (subject: the article) or of an
/// evidence link (subject: its claim). The hashes let `verify` check the stored bytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotCaptured {
    pub snapshot_id: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence_id: Option<i64>,
    pub url: String,
    pub final_url: String,
    pub status: u16,
    pub content_type: Option<String>,
    pub fetched_at: String,
    /// SHA-256 (hex) of the payload as received.
    pub sha256: String,
    pub bytes: u64,
    /// SHA-256 (hex) of the stored WARC records.
    pub warc_sha256: String,
}

/// A document kept as an evidence link's file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileAttached {
    pub evidence_id: i64,
    pub file_id: i64,
    pub name: String,
    pub media_type: String,
    pub sha256: String,
    pub bytes: u64,
}

impl SnapshotCaptured {
    fn describe(&self) -> String {
        let of = self.evidence_id.map_or("the article's page".to_owned(), |id| format!("the page of evidence {id}"));
        let redirected = if self.final_url == self.url {
            String::new()
        } else {
            format!(" (redirected to {})", clip(&self.final_url, 60))
        };
        format!(
            "captured {of} from {}{redirected}: HTTP {}, {}, SHA-256 {}",
            clip(&self.url, 60),
            self.status,
            bytes(self.bytes),
            crate::text::prefix(&self.sha256, 12)
        )
    }
}

impl FileAttached {
    fn describe(&self) -> String {
        format!(
            "attached the file {} ({}, {}) to evidence {}, SHA-256 {}",
            clip(&self.name, 60),
            self.media_type,
            bytes(self.bytes),
            self.evidence_id,
            crate::text::prefix(&self.sha256, 12)
        )
    }
}

/// New bytes of an article became its newest version; how its claims followed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleVersionAdded {
    pub version: u32,
    pub sha256: String,
    pub file_name: String,
    pub bytes: u64,
    pub words: u64,
    pub exact: u64,
    pub moved: u64,
    pub changed: u64,
    pub orphaned: u64,
}

/// A claim that did not stay exactly in place when its article changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimReanchored {
    pub version: u32,
    pub state: crate::model::AnchorState,
    /// The quote before the new version.
    pub quote: String,
    /// The text at the new (or proposed) span; absent for an orphan.
    pub new_quote: Option<String>,
}

/// An editor's sign-off on a claim's status (`approve`), or sending it back (`reject`).
/// It holds for the status it names: a later status change needs a new review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimReviewed {
    pub decision: ReviewDecision,
    pub status: Status,
    pub note: Option<String>,
}

/// An article or a claim given to a member to check; `to: None` takes it back. A claim's
/// member is its own assignment, else its article's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assigned {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// The desk's rule: with `required`, a decided claim counts as decided in reports only
/// once an editor signed its status off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewRequired {
    pub required: bool,
}

impl ReviewRequired {
    fn describe(&self) -> String {
        match self.required {
            true => "made an editor's sign-off required before a claim counts as decided".to_owned(),
            false => "made an editor's sign-off optional".to_owned(),
        }
    }
}

impl ClaimReviewed {
    fn describe(&self) -> String {
        let what = match self.decision {
            ReviewDecision::Approve => "signed off",
            ReviewDecision::Reject => "sent back",
        };
        format!("{what} the status {}{}", self.status, rationale(&self.note))
    }
}

impl Assigned {
    fn describe(&self) -> String {
        match (&self.from, &self.to) {
            (_, Some(to)) => format!("assigned it to {}", clip(to, 60)),
            (Some(from), None) => format!("took it back from {}", clip(from, 60)),
            (None, None) => "left it unassigned".to_owned(),
        }
    }
}

/// A dismissal taken back: the assistant offers the suggestion again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuggestionRestored {
    pub start: usize,
    pub end: usize,
    pub quote: String,
    /// The event this one takes back (`Library::undo`), when it is an undo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undoes: Option<i64>,
}

/// A person placed a claim: accepted the proposed span, or chose a quote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimAnchorSet {
    pub version: u32,
    pub quote: String,
    pub start: usize,
    pub end: usize,
    /// The words the claim was decided on before.
    pub previous_quote: Option<String>,
    /// `accepted` (the proposed span) or `chosen` (a quote given by hand).
    pub how: String,
}

impl ArticleVersionAdded {
    fn describe(&self) -> String {
        format!(
            "added version {} from {} ({}, {} words): claims {} exact, {} moved, {} changed, {} orphaned",
            self.version,
            clip(&self.file_name, 60),
            bytes(self.bytes),
            self.words,
            self.exact,
            self.moved,
            self.changed,
            self.orphaned
        )
    }
}

impl ClaimReanchored {
    fn describe(&self) -> String {
        use crate::model::AnchorState;
        match (self.state, &self.new_quote) {
            (AnchorState::Changed, Some(new)) => format!(
                "saw the passage change in version {}: “{}” is now “{}” (to accept or fix)",
                self.version,
                clip(&self.quote, 50),
                clip(new, 50)
            ),
            (AnchorState::Orphaned, _) => {
                format!("lost the passage “{}” in version {} (orphaned)", clip(&self.quote, 60), self.version)
            }
            (state, _) => format!("followed “{}” into version {} ({state})", clip(&self.quote, 60), self.version),
        }
    }
}

impl ClaimAnchorSet {
    fn describe(&self) -> String {
        let how = if self.how == "accepted" { "accepted the proposed span" } else { "placed the claim by hand" };
        format!("{how} in version {}: “{}”", self.version, clip(&self.quote, 70))
    }
}

/// What an event is about: the `article_id` and `claim_id` columns of its row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// The library as a whole (a source's grade).
    Library,
    Article(i64),
    Claim {
        article_id: i64,
        claim_id: i64,
    },
}

impl Subject {
    pub fn article_id(self) -> Option<i64> {
        match self {
            Subject::Library => None,
            Subject::Article(id) | Subject::Claim { article_id: id, .. } => Some(id),
        }
    }

    pub fn claim_id(self) -> Option<i64> {
        match self {
            Subject::Claim { claim_id, .. } => Some(claim_id),
            _ => None,
        }
    }
}

impl Event {
    pub fn kind(&self) -> EventKind {
        match self {
            Event::ArticleImported(_) => EventKind::ArticleImported,
            Event::ClaimFlagged(_) => EventKind::ClaimFlagged,
            Event::ClaimStatusChanged(_) => EventKind::ClaimStatusChanged,
            Event::ClaimEdited(_) => EventKind::ClaimEdited,
            Event::ClaimRemoved(_) => EventKind::ClaimRemoved,
            Event::EvidenceAdded(_) => EventKind::EvidenceAdded,
            Event::EvidenceRemoved(_) => EventKind::EvidenceRemoved,
            Event::SourceGraded(_) => EventKind::SourceGraded,
            Event::SuggestionDismissed(_) => EventKind::SuggestionDismissed,
            Event::SnapshotCaptured(_) => EventKind::SnapshotCaptured,
            Event::FileAttached(_) => EventKind::FileAttached,
            Event::ArticleVersionAdded(_) => EventKind::ArticleVersionAdded,
            Event::ClaimReanchored(_) => EventKind::ClaimReanchored,
            Event::ClaimAnchorSet(_) => EventKind::ClaimAnchorSet,
            Event::SuggestionRestored(_) => EventKind::SuggestionRestored,
            Event::ClaimReviewed(_) => EventKind::ClaimReviewed,
            Event::Assigned(_) => EventKind::Assigned,
            Event::ReviewRequired(_) => EventKind::ReviewRequired,
        }
    }

    /// The payload as the JSON value whose canonical form is stored and hashed.
    pub fn payload(&self) -> Value {
        match serde_json::to_value(self) {
            Ok(Value::Object(mut tagged)) => tagged.remove("payload").unwrap_or(Value::Null),
            _ => unreachable!("an adjacently tagged enum of structs serializes as an object"),
        }
    }

    /// Reads a stored row's kind and payload back; `None` when the row was written by
    /// something else (a newer Factdesk, or a hand edit that `verify` will report).
    pub fn from_stored(kind: &str, payload: &Value) -> Option<Event> {
        let tagged = serde_json::json!({ "kind": kind, "payload": payload });
        serde_json::from_value(tagged).ok()
    }

    /// The event this one takes back, when it is an undo.
    pub fn undoes(&self) -> Option<i64> {
        match self {
            Event::ClaimStatusChanged(e) => e.undoes,
            Event::ClaimEdited(e) => e.undoes,
            Event::ClaimRemoved(e) => e.undoes,
            Event::EvidenceRemoved(e) => e.undoes,
            Event::SuggestionRestored(e) => e.undoes,
            _ => None,
        }
    }

    /// What happened, in plain language, as a phrase that follows the actor's name:
    /// "Ana changed the status: unreviewed → disputed, “the audit disagrees”".
    pub fn describe(&self) -> String {
        match self.undoes() {
            Some(event) => format!("{} (undoing event {event})", self.describe_change()),
            None => self.describe_change(),
        }
    }

    fn describe_change(&self) -> String {
        match self {
            Event::ArticleImported(e) => {
                format!("imported “{}” from {} ({}, {})", clip(&e.title, 70), e.file_name, e.format, bytes(e.bytes))
            }
            Event::ClaimFlagged(e) => {
                let mut out = format!("flagged “{}”", clip(&e.quote, 70));
                if let Some(claimant) = &e.claimant {
                    out.push_str(&format!(", said by {claimant}"));
                }
                if let Some(origin) = &e.suggested {
                    out.push_str(&format!(", accepting the assistant's suggestion (score {:.2})", origin.score));
                }
                out + &rationale(&e.note)
            }
            Event::ClaimStatusChanged(e) if e.from == e.to => {
                format!("kept the status {} with a new rationale{}", e.to, rationale(&e.note))
            }
            Event::ClaimStatusChanged(e) => {
                format!("changed the status: {} → {}{}", e.from, e.to, rationale(&e.note))
            }
            Event::ClaimEdited(e) => {
                let parts: Vec<String> = [("claimant", &e.claimant), ("rationale", &e.note)]
                    .into_iter()
                    .filter_map(|(field, change)| change.as_ref().map(|c| edited(field, c)))
                    .collect();
                if parts.is_empty() {
                    "edited the claim (nothing changed)".to_owned()
                } else {
                    parts.join(" and ")
                }
            }
            Event::ClaimRemoved(e) => {
                format!("removed the claim “{}” (it was {}){}", clip(&e.quote, 70), e.status, rationale(&e.note))
            }
            Event::EvidenceAdded(e) => {
                let grade = match (e.source.reliability, e.credibility) {
                    (None, None) => String::new(),
                    (r, c) => format!(
                        ", graded {}{}",
                        r.map_or("–".to_owned(), |r| r.to_string()),
                        c.map_or("–".to_owned(), |c| c.to_string())
                    ),
                };
                let new = if e.source_created { "new source" } else { "source" };
                format!(
                    "added evidence {} that {} the claim: {new} {} “{}”{grade}",
                    e.evidence_id,
                    stance_verb(e.stance),
                    e.source.id,
                    clip(&e.source.title, 60)
                )
            }
            Event::EvidenceRemoved(e) => format!(
                "removed evidence {} (source {}, which {} the claim){}",
                e.evidence_id,
                e.source_id,
                stance_verb(e.stance),
                rationale(&e.note)
            ),
            Event::SourceGraded(e) => format!(
                "regraded source {}: reliability {} → {}",
                e.source_id,
                e.from.map_or("ungraded".to_owned(), |r| r.to_string()),
                e.to
            ),
            Event::SuggestionDismissed(e) => format!("dismissed the suggestion “{}”", clip(&e.quote, 70)),
            Event::SnapshotCaptured(e) => e.describe(),
            Event::FileAttached(e) => e.describe(),
            Event::ArticleVersionAdded(e) => e.describe(),
            Event::ClaimReanchored(e) => e.describe(),
            Event::ClaimAnchorSet(e) => e.describe(),
            Event::SuggestionRestored(e) => format!("brought back the suggestion “{}”", clip(&e.quote, 70)),
            Event::ClaimReviewed(e) => e.describe(),
            Event::Assigned(e) => e.describe(),
            Event::ReviewRequired(e) => e.describe(),
        }
    }
}

/// The wording of a stored row: its event's, or a plain sentence when the row cannot be
/// read as any event (never the raw JSON).
pub fn describe_stored(kind: &str, payload: &Value) -> String {
    match Event::from_stored(kind, payload) {
        Some(event) => event.describe(),
        None if kind.parse::<EventKind>().is_ok() => {
            format!("recorded a {kind} event whose details cannot be read (run factdesk verify)")
        }
        None => format!("recorded an event of a kind this version does not know ({})", clip(kind, 40)),
    }
}

fn stance_verb(stance: Stance) -> &'static str {
    match stance {
        Stance::Supports => "supports",
        Stance::Refutes => "refutes",
        Stance::Context => "gives context to",
    }
}

fn rationale(note: &Option<String>) -> String {
    note.as_deref().map(|n| format!(", “{}”", clip(n, 80))).unwrap_or_default()
}

fn edited(field: &str, change: &Change<Option<String>>) -> String {
    match (&change.from, &change.to) {
        (None, Some(to)) => format!("set the {field} to “{}”", clip(to, 60)),
        (Some(_), None) => format!("cleared the {field}"),
        (from, to) => format!(
            "changed the {field} from “{}” to “{}”",
            clip(from.as_deref().unwrap_or(""), 40),
            clip(to.as_deref().unwrap_or(""), 60)
        ),
    }
}

fn bytes(n: u64) -> String {
    match n {
        0..=9_999 => format!("{n} bytes"),
        10_000..=9_999_999 => format!("{} KB", n / 1000),
        _ => format!("{:.1} MB", n as f64 / 1e6),
    }
}

/// One event of every kind, for tests that must cover them all. Long because it is one
/// example per kind, in one place.
#[doc(hidden)]
pub fn example(kind: EventKind) -> Event {
    let source = SourceRef {
        id: 4,
        title: "Audit report 2024".into(),
        url: Some("https://audit.example.gov/report".into()),
        kind: crate::model::SourceKind::Document,
        reliability: Some(Reliability::B),
    };
    let note = Some("the audit disagrees".to_owned());
    match kind {
        EventKind::ArticleImported => Event::ArticleImported(ArticleImported {
            sha256: "ab".repeat(32),
            file_name: "harbour.txt".into(),
            format: "text".into(),
            encoding: "utf-8".into(),
            bytes: 2048,
            title: "Harbour figure was overstated".into(),
        }),
        EventKind::ClaimFlagged => Event::ClaimFlagged(ClaimFlagged {
            quote: "4.2 million tonnes".into(),
            start: 10,
            end: 28,
            claimant: Some("Port director".into()),
            note: None,
            suggested: Some(SuggestionOrigin { score: 0.81, reasons: vec!["a figure".into()] }),
        }),
        EventKind::ClaimStatusChanged => Event::ClaimStatusChanged(ClaimStatusChanged {
            from: Status::Unreviewed,
            to: Status::Disputed,
            note,
            undoes: None,
        }),
        EventKind::ClaimEdited => Event::ClaimEdited(ClaimEdited {
            claimant: Some(Change { from: None, to: Some("Harbour authority".into()) }),
            note: Some(Change { from: note, to: None }),
            undoes: None,
        }),
        EventKind::ClaimRemoved => Event::ClaimRemoved(ClaimRemoved {
            quote: "1,200 containers".into(),
            status: Status::Confirmed,
            note: Some("duplicate".into()),
            undoes: None,
        }),
        EventKind::EvidenceAdded => Event::EvidenceAdded(EvidenceAdded {
            evidence_id: 3,
            source,
            source_created: true,
            stance: Stance::Refutes,
            credibility: Some(Credibility::new(2).expect("2 is a grade")),
            excerpt: Some("entered twice".into()),
        }),
        EventKind::EvidenceRemoved => Event::EvidenceRemoved(EvidenceRemoved {
            evidence_id: 3,
            source_id: 4,
            stance: Stance::Context,
            note: None,
            undoes: Some(41),
        }),
        EventKind::SourceGraded => {
            Event::SourceGraded(SourceGraded { source_id: 4, from: Some(Reliability::B), to: Reliability::A })
        }
        EventKind::SuggestionDismissed => Event::SuggestionDismissed(SuggestionDismissed {
            start: 40,
            end: 90,
            quote: "The number was wrong.".into(),
        }),
        EventKind::SnapshotCaptured => Event::SnapshotCaptured(SnapshotCaptured {
            snapshot_id: 2,
            evidence_id: Some(3),
            url: "http://audit.example.gov/report".into(),
            final_url: "https://audit.example.gov/report".into(),
            status: 200,
            content_type: Some("text/html; charset=utf-8".into()),
            fetched_at: "2026-03-01T10:00:00Z".into(),
            sha256: "cd".repeat(32),
            bytes: 48_213,
            warc_sha256: "ef".repeat(32),
        }),
        EventKind::FileAttached => Event::FileAttached(FileAttached {
            evidence_id: 3,
            file_id: 1,
            name: "audit-2024.pdf".into(),
            media_type: "application/pdf".into(),
            sha256: "12".repeat(32),
            bytes: 1_200_000,
        }),
        EventKind::ArticleVersionAdded => Event::ArticleVersionAdded(ArticleVersionAdded {
            version: 2,
            sha256: "34".repeat(32),
            file_name: "harbour-corrected.html".into(),
            bytes: 48_000,
            words: 812,
            exact: 5,
            moved: 1,
            changed: 1,
            orphaned: 0,
        }),
        EventKind::ClaimReanchored => Event::ClaimReanchored(ClaimReanchored {
            version: 2,
            state: crate::model::AnchorState::Changed,
            quote: "4.2 million tonnes".into(),
            new_quote: Some("3.9 million tonnes".into()),
        }),
        EventKind::SuggestionRestored => Event::SuggestionRestored(SuggestionRestored {
            start: 40,
            end: 90,
            quote: "The number was wrong.".into(),
            undoes: Some(12),
        }),
        EventKind::ClaimReviewed => Event::ClaimReviewed(ClaimReviewed {
            decision: ReviewDecision::Approve,
            status: Status::Disputed,
            note: Some("two readings of the audit; both sourced".into()),
        }),
        EventKind::Assigned => Event::Assigned(Assigned { from: None, to: Some("ana".into()) }),
        EventKind::ReviewRequired => Event::ReviewRequired(ReviewRequired { required: true }),
        EventKind::ClaimAnchorSet => Event::ClaimAnchorSet(ClaimAnchorSet {
            version: 2,
            quote: "3.9 million tonnes".into(),
            start: 10,
            end: 28,
            previous_quote: Some("4.2 million tonnes".into()),
            how: "accepted".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::canonical_json;

    #[test]
    fn every_kind_round_trips_through_its_stored_form_and_is_worded() {
        for &kind in EventKind::ALL {
            let event = example(kind);
            assert_eq!(event.kind(), kind);
            let stored = canonical_json(&event.payload());
            let read = Event::from_stored(kind.as_str(), &serde_json::from_str(&stored).unwrap());
            assert_eq!(read.as_ref(), Some(&event), "{kind}");
            let words = event.describe();
            assert!(!words.is_empty() && !words.contains('{') && !words.contains('_'), "{kind}: {words}");
        }
    }

    /// The payloads keep the key names and null fields the release before typed events
    /// wrote (`json!` by hand); a difference would stop old libraries from verifying.
    #[test]
    fn payloads_keep_the_stored_key_names() {
        let flagged = Event::ClaimFlagged(ClaimFlagged {
            quote: "q".into(),
            start: 1,
            end: 2,
            claimant: None,
            note: None,
            suggested: None,
        });
        assert_eq!(
            canonical_json(&flagged.payload()),
            r#"{"claimant":null,"end":2,"note":null,"quote":"q","start":1}"#
        );
        let edited = Event::ClaimEdited(ClaimEdited {
            claimant: None,
            note: Some(Change { from: Some("a".into()), to: None }),
            undoes: None,
        });
        assert_eq!(canonical_json(&edited.payload()), r#"{"note":{"from":"a","to":null}}"#);
        let graded = example(EventKind::SourceGraded);
        assert_eq!(canonical_json(&graded.payload()), r#"{"from":"B","source_id":4,"to":"A"}"#);
    }

    /// A hand-edited payload may hold anything where a hash was: worded, never a panic.
    #[test]
    fn hashes_of_any_text_are_worded_safely() {
        let Event::SnapshotCaptured(mut captured) = example(EventKind::SnapshotCaptured) else { unreachable!() };
        captured.sha256 = "é".repeat(40);
        assert!(Event::SnapshotCaptured(captured).describe().contains("SHA-256 éééééééééééé"));
    }

    #[test]
    fn unreadable_rows_are_worded_not_dumped() {
        let words = describe_stored("claim_flagged", &serde_json::json!("not json"));
        assert!(words.contains("cannot be read"), "{words}");
        let words = describe_stored("article_merged", &serde_json::json!({"x": 1}));
        assert!(words.contains("does not know") && !words.contains('{'), "{words}");
    }
}
