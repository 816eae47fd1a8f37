//! Every vocabulary the UI shows, in one document: served to the app once at start, so
//! statuses, stances, source kinds, grades and history event kinds are worded in the
//! core only.

use serde::Serialize;

use crate::events::EventKind;
use crate::model::{Credibility, Reliability, SourceKind, Stance, Status};
use crate::terms::Term;

/// Every vocabulary the UI shows, with labels and descriptions: served to the app once
/// at start, so statuses, stances, kinds and grades are worded in one place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Vocabulary {
    pub statuses: Vec<Term>,
    pub stances: Vec<Term>,
    pub source_kinds: Vec<Term>,
    pub reliability: Vec<Term>,
    pub credibility: Vec<Term>,
    pub event_kinds: Vec<Term>,
    pub anchor_states: Vec<Term>,
    /// An editor's review of a claim's status: signed off, sent back.
    pub reviews: Vec<Term>,
    /// Members' roles in a shared workspace.
    pub roles: Vec<Term>,
}

pub fn vocabulary() -> Vocabulary {
    Vocabulary {
        statuses: Status::ALL
            .iter()
            .zip(Status::terms())
            .map(|(status, term)| Term { symbol: Some(status.symbol()), ..term })
            .collect(),
        stances: Stance::terms(),
        source_kinds: SourceKind::terms(),
        reliability: Reliability::terms(),
        credibility: Credibility::terms(),
        event_kinds: EventKind::terms(),
        anchor_states: crate::model::AnchorState::terms(),
        reviews: crate::model::ReviewDecision::terms(),
        roles: crate::events::Role::terms(),
    }
}
