//! Dismissed suggestions: the spans of an article the assistant must not offer again.

use rusqlite::{Connection, Transaction};

use crate::Result;

/// Records a dismissal; returns false when the span was already dismissed.
pub(crate) fn dismiss(tx: &Transaction, article_id: i64, start: usize, end: usize, at: &str, by: &str) -> Result<bool> {
    let inserted = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO dismissed_suggestions (article_id, start, end, dismissed_at, dismissed_by)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(rusqlite::params![article_id, start as i64, end as i64, at, by])?;
    Ok(inserted == 1)
}

/// Takes a dismissal back (an undo); returns false when the span was not dismissed.
pub(crate) fn restore(tx: &Transaction, article_id: i64, start: usize, end: usize) -> Result<bool> {
    let deleted = tx
        .prepare_cached("DELETE FROM dismissed_suggestions WHERE article_id = ?1 AND start = ?2 AND end = ?3")?
        .execute(rusqlite::params![article_id, start as i64, end as i64])?;
    Ok(deleted == 1)
}

/// The dismissed spans of an article, as (start, end).
pub(crate) fn dismissed(conn: &Connection, article_id: i64) -> Result<Vec<(usize, usize)>> {
    let mut stmt = conn.prepare_cached("SELECT start, end FROM dismissed_suggestions WHERE article_id = ?1")?;
    let spans = stmt
        .query_map([article_id], |r| Ok((r.get::<_, i64>(0)? as usize, r.get::<_, i64>(1)? as usize)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(spans)
}

#[cfg(test)]
mod tests {
    use crate::assist::default_min_score;
    use crate::{Error, Format, Library};

    #[test]
    fn an_accepted_suggestion_is_a_claim_whose_history_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(&dir.path().join("l.sqlite"), "ana").unwrap();
        let text = "Port figures\n\nDirector Marta Vella-Grech told reporters that tonnage rose by 4% to a record 4.2 million.";
        let id = library.import_bytes("a.txt", text.as_bytes().to_vec(), Format::Text).unwrap().article().id;
        let suggestion = library.suggestions(id, default_min_score()).unwrap().remove(0);
        let claim = library.accept_suggestion(id, suggestion.start, suggestion.end).unwrap();
        assert_eq!((claim.start, claim.end), (suggestion.start, suggestion.end));
        assert_eq!(claim.claimant.as_deref(), Some("Marta Vella-Grech"));
        let flagged = library.history(Some(claim.id)).unwrap().remove(0);
        assert_eq!(flagged.payload["suggested"]["score"], serde_json::json!(suggestion.score));
        assert_eq!(flagged.payload["suggested"]["reasons"], serde_json::json!(suggestion.reasons));
        // A span that is not a suggestion is refused, and nothing is written.
        let events = library.history(None).unwrap().len();
        let err = library.accept_suggestion(id, suggestion.start + 1, suggestion.end).unwrap_err();
        assert!(err.to_string().contains("no suggestion"), "{err}");
        assert_eq!(library.history(None).unwrap().len(), events);
        assert_eq!(library.claims(Some(id), None).unwrap().len(), 1);
    }

    #[test]
    fn a_dismissed_suggestion_stays_dismissed_and_is_recorded_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.sqlite");
        let library = Library::open(&path, "ana").unwrap();
        let text = "Port figures\n\nThe harbour authority said on Friday that 1,200 containers were counted twice in 2024.\n\n\
                    Director Marta Vella-Grech told reporters that tonnage rose by 4% to a record 4.2 million.";
        let id = library.import_bytes("a.txt", text.as_bytes().to_vec(), Format::Text).unwrap().article().id;
        let before = library.suggestions(id, default_min_score()).unwrap();
        assert_eq!(before.len(), 2, "{before:?}");
        let first = &before[0];
        library.dismiss_suggestion(id, first.start, first.end).unwrap();
        library.dismiss_suggestion(id, first.start, first.end).unwrap();
        let events = |library: &Library| {
            library.history(None).unwrap().into_iter().filter(|e| e.kind == "suggestion_dismissed").count()
        };
        assert_eq!(events(&library), 1, "dismissing twice records once");
        drop(library);
        // Another process, later: still dismissed.
        let library = Library::open(&path, "ben").unwrap();
        let after = library.suggestions(id, default_min_score()).unwrap();
        assert_eq!(after, before[1..]);
        // A span outside the text, or inside it but not a suggestion, is refused, and
        // nothing is written.
        let err = library.dismiss_suggestion(id, 10, 100_000).unwrap_err();
        assert!(err.to_string().contains("no suggestion"), "{err}");
        let err = library.dismiss_suggestion(id, before[1].start + 1, before[1].end).unwrap_err();
        assert!(err.to_string().contains("no suggestion"), "{err}");
        assert!(matches!(library.dismiss_suggestion(99, 0, 5).unwrap_err(), Error::ArticleNotFound(99)));
        assert_eq!(events(&library), 1);
        assert!(matches!(library.verify().unwrap(), crate::Verification::Intact(_)));
    }
}
