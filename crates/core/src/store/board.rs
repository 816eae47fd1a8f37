//! The team board's lists (issue 17): the claims assigned to a member, the decided claims
//! waiting for an editor's review, and the contested claims. Assignments and reviews are history
//! events, few beside a library's claims; both lists start from them, through the
//! history's partial indexes of those two kinds (schema v8), and never read every claim.
//! They follow the rules of `history::ClaimMarks`, which reads one article's marks.

use std::collections::{HashMap, HashSet};

use rusqlite::Connection;
use serde_json::Value;

use crate::events::Event;
use crate::model::Status;
use crate::store::shared;
use crate::{Error, Result};

/// The live claims assigned to `member`, newest flagged first: by their own newest
/// assignment, else by their article's. A claim's own assignment taken back leaves it
/// with no one, whatever its article's.
pub(crate) fn assigned_ids(conn: &Connection, member: &str) -> Result<Vec<i64>> {
    let (own, articles) = assignments(conn)?;
    let mut ids: HashSet<i64> = own.iter().filter(|(_, to)| to.as_deref() == Some(member)).map(|(&id, _)| id).collect();
    let mut claims_of = conn.prepare_cached("SELECT id FROM claims WHERE article_id = ?1 AND removed_at IS NULL")?;
    for (article_id, _) in articles.iter().filter(|(_, to)| to.as_deref() == Some(member)) {
        for id in claims_of.query_map([article_id], |r| r.get::<_, i64>(0))? {
            let id = id?;
            if !own.contains_key(&id) {
                ids.insert(id);
            }
        }
    }
    // A claim assigned on its own may have been removed since.
    let mut live = conn.prepare_cached("SELECT 1 FROM claims WHERE id = ?1 AND removed_at IS NULL")?;
    let mut kept = Vec::with_capacity(ids.len());
    for id in ids {
        if live.exists([id])? {
            kept.push(id);
        }
    }
    kept.sort_unstable_by(|a, b| b.cmp(a));
    Ok(kept)
}

/// The live claims in contest, newest flagged first (few: a contest lasts until an
/// editor settles it).
pub(crate) fn contested_ids(conn: &Connection) -> Result<Vec<i64>> {
    let mut statement = conn.prepare_cached(
        "SELECT k.claim_id FROM claim_contests k JOIN claims c ON c.id = k.claim_id
          WHERE c.removed_at IS NULL ORDER BY k.claim_id DESC",
    )?;
    let ids = statement.query_map([], |r| r.get(0))?;
    Ok(ids.collect::<rusqlite::Result<_>>()?)
}

/// Every claim's own newest assignment and every article's (`None`: taken back).
type Assignments = (HashMap<i64, Option<String>>, HashMap<i64, Option<String>>);

fn assignments(conn: &Connection) -> Result<Assignments> {
    let mut statement = conn.prepare_cached(
        "SELECT article_id, claim_id, payload FROM history INDEXED BY history_assignments
          WHERE kind = 'assigned' ORDER BY id",
    )?;
    let mut rows = statement.query([])?;
    let (mut own, mut articles) = (HashMap::new(), HashMap::new());
    while let Some(row) = rows.next()? {
        let (article_id, claim_id): (Option<i64>, Option<i64>) = (row.get(0)?, row.get(1)?);
        let Some(Event::Assigned(assigned)) = Event::from_stored("assigned", &payload(row.get_ref(2)?)?) else {
            continue;
        };
        match (claim_id, article_id) {
            (Some(claim_id), _) => own.insert(claim_id, assigned.to),
            (None, Some(article_id)) => articles.insert(article_id, assigned.to),
            (None, None) => None,
        };
    }
    Ok((own, articles))
}

/// `limit` of the decided live claims that wait for an editor (no review of their
/// current status since it was set) from position `offset`, newest flagged first, and
/// how many there are.
pub(crate) fn waiting_for_review(conn: &Connection, offset: u64, limit: usize) -> Result<(u64, Vec<i64>)> {
    let reviewed = reviewed_as_they_stand(conn)?;
    let decided = shared::list_count(conn, "claims")?
        .saturating_sub(shared::list_count(conn, shared::status_list(Status::Unreviewed))?);
    let total = decided.saturating_sub(reviewed.len() as u64);
    let mut statement = conn.prepare_cached(
        "SELECT id FROM claims INDEXED BY claims_live WHERE removed_at IS NULL AND status != ?1 ORDER BY id DESC",
    )?;
    let mut rows = statement.query([Status::Unreviewed])?;
    let (mut skipped, mut ids) = (0, Vec::with_capacity(limit));
    while ids.len() < limit {
        let Some(row) = rows.next()? else { break };
        let id: i64 = row.get(0)?;
        if reviewed.contains(&id) {
            continue;
        }
        if skipped < offset {
            skipped += 1;
            continue;
        }
        ids.push(id);
    }
    Ok((total, ids))
}

/// The decided live claims whose newest review came after their last status change and
/// reviewed the status they have.
fn reviewed_as_they_stand(conn: &Connection) -> Result<HashSet<i64>> {
    let mut statement = conn.prepare_cached(
        "SELECT h.claim_id, h.payload, c.status FROM history h INDEXED BY history_reviews
           JOIN claims c ON c.id = h.claim_id
          WHERE h.kind = 'claim_reviewed' AND c.removed_at IS NULL AND c.status != ?1
            AND h.id = (SELECT max(r.id) FROM history r INDEXED BY history_reviews
                         WHERE r.kind = 'claim_reviewed' AND r.claim_id = h.claim_id)
            AND h.id > ifnull((SELECT max(s.id) FROM history s
                                WHERE s.claim_id = h.claim_id AND s.kind = 'claim_status_changed'), 0)",
    )?;
    let mut rows = statement.query([Status::Unreviewed])?;
    let mut reviewed = HashSet::new();
    while let Some(row) = rows.next()? {
        let status: Status = row.get::<_, String>(2)?.parse()?;
        if let Some(Event::ClaimReviewed(review)) = Event::from_stored("claim_reviewed", &payload(row.get_ref(1)?)?) {
            if review.status == status {
                reviewed.insert(row.get(0)?);
            }
        }
    }
    Ok(reviewed)
}

fn payload(stored: rusqlite::types::ValueRef<'_>) -> Result<Value> {
    let text = stored.as_str().map_err(rusqlite::Error::from)?;
    serde_json::from_str(text).map_err(|e| Error::Corrupt(format!("a history payload: {e}")))
}

// The same reference the board bench measures against: every claim read whole.
#[cfg(test)]
#[path = "../../benches/support/board_reference.rs"]
mod board_reference;

#[cfg(test)]
mod tests {
    use super::board_reference::read_whole;

    use crate::events::{ClaimReviewed, Event};
    use crate::library::{live_claim_row, subject_of};
    use crate::model::ReviewDecision;
    use crate::{ClaimTarget, ContestDecision, Format, Library, NewClaim, Status, TeamList};

    fn board(library: &Library, member: Option<&str>, offset: u64, limit: usize) -> (u64, Vec<i64>) {
        let list = member.map_or(TeamList::WaitingForReview, TeamList::AssignedTo);
        let page = library.team_board(list, offset, limit).unwrap();
        (page.total, page.rows.iter().map(|r| r.claim.id).collect())
    }

    /// An editor's sign-off of the status a claim had before another member's change,
    /// replayed after that change (the hub's order): newer than the change, yet not of
    /// the status the claim has. Only a replay writes this; the desk's own review always
    /// names the status it sees.
    fn review_of_a_status_it_no_longer_has(library: &Library, claim_id: i64) {
        let stale = ClaimReviewed { decision: ReviewDecision::Approve, status: Status::Unconfirmed, note: None };
        library
            .store
            .write(|tx| {
                let subject = subject_of(&live_claim_row(tx, claim_id)?);
                library.record(tx, &library.now(), subject, Event::ClaimReviewed(stale))
            })
            .unwrap();
    }

    /// Every rule of assignment and review, against the claims read whole: an article's
    /// assignment and a claim's own, reassigned and taken back; removed claims; reviews
    /// approving and rejecting, voided by a later status change, of another status (one
    /// replayed after the change).
    #[test]
    fn the_board_lists_what_reading_every_claim_finds() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(&dir.path().join("board.sqlite"), "ed").unwrap();
        let words: Vec<String> = (0..12).map(|n| format!("Claim number {n} was made on Friday.")).collect();
        let mut claims = Vec::new();
        let mut articles = Vec::new();
        for a in 0..3 {
            let text = format!("Article {a}. {}", words.join(" "));
            let article = library.import_bytes(&format!("a{a}.txt"), text.into_bytes(), Format::Text).unwrap();
            let article_id = article.article().id;
            articles.push(article_id);
            for word in &words[..4 + a * 4] {
                let target = ClaimTarget::Quote { quote: word.clone(), occurrence: None };
                let claim = library.add_claim(NewClaim { article_id, target, claimant: None, note: None }).unwrap();
                claims.push((article_id, claim.id));
            }
        }
        let who = |n: usize| Some(["ana", "ben"][n % 2].to_owned());
        library.assign(articles[0], None, who(0)).unwrap();
        library.assign(articles[1], None, who(1)).unwrap();
        for (n, &(article_id, claim_id)) in claims.iter().enumerate() {
            match n % 5 {
                0 => {
                    library.assign(article_id, Some(claim_id), who(n)).unwrap();
                }
                1 => {
                    library.assign(article_id, Some(claim_id), None).unwrap();
                }
                _ => {}
            }
            if n % 3 != 0 {
                let status = [Status::Confirmed, Status::Disputed, Status::False][n % 3];
                library.set_status(claim_id, status, None).unwrap();
            }
            match n % 7 {
                0 | 2 => {
                    library.review_claim(claim_id, ReviewDecision::Approve, None).unwrap();
                }
                3 => {
                    library.review_claim(claim_id, ReviewDecision::Reject, None).unwrap();
                }
                4 => {
                    library.review_claim(claim_id, ReviewDecision::Approve, None).unwrap();
                    library.set_status(claim_id, Status::Unconfirmed, None).unwrap();
                }
                5 => review_of_a_status_it_no_longer_has(&library, claim_id),
                _ => {}
            }
        }
        library.assign(articles[0], None, who(1)).unwrap();
        library.remove_claim(claims[2].1, None).unwrap();
        library.remove_claim(claims[5].1, None).unwrap();

        for member in [Some("ana"), Some("ben"), Some("nobody"), None] {
            let expected = read_whole(&library, member);
            assert!(member == Some("nobody") || !expected.is_empty(), "{member:?}: the case is not empty");
            assert_eq!(board(&library, member, 0, 100), (expected.len() as u64, expected.clone()), "{member:?}");
            // Pages: a slice of the same order, and the same total.
            let second = expected.iter().skip(3).take(4).copied().collect::<Vec<_>>();
            assert_eq!(board(&library, member, 3, 4), (expected.len() as u64, second), "{member:?} page 2");
        }

        // Contests: the live ones, newest flagged first.
        let decision = |author: &str, to| ContestDecision {
            author: author.into(),
            at: library.now(),
            from: Status::Unreviewed,
            to,
            note: None,
        };
        let both = [decision("ana", Status::Confirmed), decision("ben", Status::False)];
        for &(_, claim_id) in [claims[1], claims[2], claims[9]].iter() {
            library.store.write(|tx| crate::store::team::set_contest(tx, claim_id, &both)).unwrap();
        }
        let contested = library.team_board(TeamList::Contested, 0, 100).unwrap();
        let ids: Vec<i64> = contested.rows.iter().map(|r| r.claim.id).collect();
        assert_eq!((contested.total, ids), (2, vec![claims[9].1, claims[1].1]), "claims[2] was removed");
        assert_eq!(contested.rows[0].claim.contested.as_deref(), Some(&both[..]));
        assert_eq!(library.team_board(TeamList::Contested, 1, 100).unwrap().rows.len(), 1);
    }
}
