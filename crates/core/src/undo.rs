//! Undo: the last change a person made is taken back by a new, compensating event (the
//! history keeps both; nothing is erased). What can be undone: a claim flagged (it is
//! removed), a status change (the status goes back), an edit of claimant or rationale (the
//! old values come back), evidence added (it is removed), a suggestion dismissed (it is
//! offered again). A change someone made on top since is not overwritten: the undo is
//! refused and says so.

use crate::events::{Event, EventKind, Subject, SuggestionRestored};
use crate::library::{ClaimEdit, Library};
use crate::model::HistoryEvent;
use crate::store::{claims, history, suggestions};
use crate::{Error, Result};

/// The kinds `undo` can take back.
const UNDOABLE: [EventKind; 5] = [
    EventKind::ClaimFlagged,
    EventKind::ClaimStatusChanged,
    EventKind::ClaimEdited,
    EventKind::EvidenceAdded,
    EventKind::SuggestionDismissed,
];

impl Library {
    /// Takes back this actor's last change that can be undone and is not undone yet, in one
    /// transaction; returns the compensating event, or `None` when there is nothing to undo.
    pub fn undo(&self) -> Result<Option<HistoryEvent>> {
        let now = self.now();
        let kinds = UNDOABLE.map(EventKind::as_str);
        let undone = self.store.write(|tx| {
            let Some((id, kind, payload)) = history::last_undoable(tx, self.actor(), &kinds)? else {
                return Ok(None);
            };
            let event = Event::from_stored(&kind, &payload)
                .ok_or_else(|| Error::Corrupt(format!("history event {id} cannot be read to undo it")))?;
            let changed_since = |claim_id: i64| {
                Error::invalid(
                    "undo",
                    format!("claim {claim_id} was changed since event {id}; undo that first, or change it by hand"),
                )
            };
            let claim_id = || -> Result<i64> {
                tx.query_row("SELECT claim_id FROM history WHERE id = ?1", [id], |r| r.get::<_, Option<i64>>(0))?
                    .ok_or_else(|| Error::Corrupt(format!("history event {id} names no claim")))
            };
            match event {
                Event::ClaimFlagged(_) => self.remove_claim_in(tx, &now, claim_id()?, None, Some(id))?,
                Event::ClaimStatusChanged(change) => {
                    let claim = claim_id()?;
                    if claims::get_row(tx, claim)?.claim.status != change.to {
                        return Err(changed_since(claim));
                    }
                    self.set_status_in(tx, &now, claim, change.from, None, Some(id))?;
                }
                Event::ClaimEdited(edit) => {
                    let claim = claim_id()?;
                    let current = claims::get_row(tx, claim)?.claim;
                    let back = |change: &Option<crate::events::Change<Option<String>>>, now: &Option<String>| {
                        change.as_ref().map(|c| (c.to == *now, c.from.clone().unwrap_or_default()))
                    };
                    let claimant = back(&edit.claimant, &current.claimant);
                    let note = back(&edit.note, &current.note);
                    if [&claimant, &note].iter().any(|b| b.as_ref().is_some_and(|(unchanged, _)| !unchanged)) {
                        return Err(changed_since(claim));
                    }
                    let edit = ClaimEdit { claimant: claimant.map(|(_, from)| from), note: note.map(|(_, from)| from) };
                    self.edit_claim_in(tx, &now, claim, edit, Some(id))?;
                }
                Event::EvidenceAdded(added) => self.remove_evidence_in(tx, &now, added.evidence_id, None, Some(id))?,
                Event::SuggestionDismissed(dismissed) => {
                    let article_id: i64 = tx
                        .query_row("SELECT article_id FROM history WHERE id = ?1", [id], |r| {
                            r.get::<_, Option<i64>>(0)
                        })?
                        .ok_or_else(|| Error::Corrupt(format!("history event {id} names no article")))?;
                    if !suggestions::restore(tx, article_id, dismissed.start, dismissed.end)? {
                        return Err(Error::invalid(
                            "undo",
                            format!("the suggestion dismissed by event {id} is offered already"),
                        ));
                    }
                    let restored = SuggestionRestored {
                        start: dismissed.start,
                        end: dismissed.end,
                        quote: dismissed.quote,
                        undoes: Some(id),
                    };
                    self.record(tx, &now, Subject::Article(article_id), Event::SuggestionRestored(restored))?;
                }
                _ => return Err(Error::Corrupt(format!("history event {id} is not one undo takes back"))),
            }
            history::last(tx)
        })?;
        Ok(undone)
    }
}

#[cfg(test)]
mod tests {
    use crate::{ClaimEdit, ClaimTarget, Format, Library, NewClaim, NewEvidence, SourceChoice, Stance, Status};

    #[test]
    fn undo_takes_back_the_last_change_of_each_kind_with_a_new_event() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(&dir.path().join("l.sqlite"), "ana").unwrap();
        let text = "Port figures\n\nThe harbour authority said 1,200 containers were counted twice.";
        let article = library.import_bytes("a.txt", text.as_bytes().to_vec(), Format::Text).unwrap().article().id;
        let target = ClaimTarget::Quote { quote: "1,200 containers".into(), occurrence: None };
        let claim = library.add_claim(NewClaim { article_id: article, target, claimant: None, note: None }).unwrap().id;
        library.set_status(claim, Status::Disputed, Some("audit".into())).unwrap();
        library.edit_claim(claim, ClaimEdit { claimant: Some("Port director".into()), note: None }).unwrap();
        let source = SourceChoice::Described { title: "Audit".into(), url: None, kind: None };
        let evidence = NewEvidence {
            claim_id: claim,
            source,
            reliability: None,
            stance: Stance::Supports,
            credibility: None,
            excerpt: None,
        };
        library.add_evidence(evidence).unwrap();

        // Newest first: the evidence, the edit, the status, the flag.
        let undone = library.undo().unwrap().unwrap();
        assert_eq!((undone.kind.as_str(), undone.payload["undoes"].as_i64()), ("evidence_removed", Some(5)));
        assert!(library.claim(claim).unwrap().evidence.is_empty());
        assert!(library.undo().unwrap().unwrap().summary.contains("undoing event 4"));
        assert_eq!(library.claim(claim).unwrap().claimant, None);
        library.undo().unwrap();
        assert_eq!(library.claim(claim).unwrap().status, Status::Unreviewed);
        // Another person's change is not this actor's to undo.
        let ben = Library::open(library.path(), "ben").unwrap();
        assert_eq!(ben.undo().unwrap(), None, "ben made no change");
        library.undo().unwrap();
        assert!(library.claim(claim).is_err(), "the flag was taken back: the claim is removed");
        assert_eq!(library.undo().unwrap(), None, "nothing left to undo");
        assert_eq!(library.history(None).unwrap().len(), 9, "five changes and four undos, nothing erased");
        assert!(matches!(library.verify().unwrap(), crate::Verification::Intact(_)));
    }

    #[test]
    fn a_dismissed_suggestion_comes_back_with_an_undo() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(&dir.path().join("l.sqlite"), "ana").unwrap();
        let text = "Port figures\n\nThe harbour authority said 1,200 containers were counted twice in March, up 14% on last year.";
        let article = library.import_bytes("a.txt", text.as_bytes().to_vec(), Format::Text).unwrap().article().id;
        let before = library.suggestions(article, 0.0).unwrap();
        let first = before.first().expect("a suggestion").clone();
        library.dismiss_suggestion(article, first.start, first.end).unwrap();
        assert_eq!(library.suggestions(article, 0.0).unwrap().len(), before.len() - 1);
        let undone = library.undo().unwrap().unwrap();
        assert_eq!(undone.kind, "suggestion_restored");
        assert!(undone.summary.contains("brought back the suggestion"), "{}", undone.summary);
        assert_eq!(library.suggestions(article, 0.0).unwrap(), before, "offered again");
        assert_eq!(library.undo().unwrap(), None, "the dismissal was the only change to undo");
    }

    #[test]
    fn an_undo_never_overwrites_a_change_made_since() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.sqlite");
        let ana = Library::open(&path, "ana").unwrap();
        let text = "Port figures\n\nThe harbour authority said 1,200 containers were counted twice.";
        let article = ana.import_bytes("a.txt", text.as_bytes().to_vec(), Format::Text).unwrap().article().id;
        let target = ClaimTarget::Quote { quote: "1,200 containers".into(), occurrence: None };
        let claim = ana.add_claim(NewClaim { article_id: article, target, claimant: None, note: None }).unwrap().id;
        ana.set_status(claim, Status::Disputed, None).unwrap();
        Library::open(&path, "ben").unwrap().set_status(claim, Status::Confirmed, None).unwrap();
        let err = ana.undo().unwrap_err();
        assert!(err.to_string().contains("was changed since"), "{err}");
        assert_eq!(ana.claim(claim).unwrap().status, Status::Confirmed);
    }
}
