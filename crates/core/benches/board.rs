//! The team board's lists (issue 17) on a library of 10,000 articles and 300,000 claims
//! (`scale::generate_library`, the workspace the hub bench replays), with 100 articles
//! and 500 single claims assigned to one member and 2,000 claims reviewed: the first page
//! (50 rows) and a page at offset 100,000 of "assigned to me" and "waiting for review",
//! beside the way a developer would otherwise write them (every claim read whole, then
//! filtered: what `Library::team_board` did before schema v8), in the same run.
//!
//! Run: `cargo bench -p factdesk-core --bench board`

#[path = "support/board_reference.rs"]
mod board_reference;
#[path = "support/timing.rs"]
mod timing;

use std::time::Instant;

use board_reference::read_whole;
use timing::time;

use factdesk_core::model::ReviewDecision;
use factdesk_core::scale::{generate_library, ScaleSpec};
use factdesk_core::{Library, Status, TeamList};

const RUNS: usize = 20;
const PAGE: usize = 50;

fn list(member: Option<&str>) -> TeamList<'_> {
    member.map_or(TeamList::WaitingForReview, TeamList::AssignedTo)
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open(&dir.path().join("board.sqlite"), "ed").unwrap();
    let spec = ScaleSpec { articles: 10_000, words_per_article: 1_000, claims_per_article: 30, events: 1_000_000 };
    let started = Instant::now();
    generate_library(&library, &spec, |_| {}).unwrap();
    let claims = library.claims(None, None).unwrap();
    let articles: Vec<i64> = library.articles().unwrap().iter().map(|a| a.id).collect();
    for &article_id in articles.iter().step_by(100) {
        library.assign(article_id, None, Some("ana".into())).unwrap();
    }
    for claim in claims.iter().step_by(600) {
        library.assign(claim.article_id, Some(claim.id), Some("ana".into())).unwrap();
    }
    let decided: Vec<&factdesk_core::Claim> = claims.iter().filter(|c| c.status != Status::Unreviewed).collect();
    for claim in decided.iter().step_by(decided.len() / 2_000) {
        library.review_claim(claim.id, ReviewDecision::Approve, None).unwrap();
    }
    println!(
        "library: {} articles, {} claims ({} decided), made in {:.1} s",
        articles.len(),
        claims.len(),
        decided.len(),
        started.elapsed().as_secs_f64()
    );
    println!("\n| list ({RUNS} runs, warm) | rows | Factdesk median / p95 | every claim read whole median / p95 |");
    println!("|---|---|---|---|");
    for (name, member) in [("assigned to ana", Some("ana")), ("waiting for review", None)] {
        let whole = read_whole(&library, member);
        for offset in [0u64, 100_000] {
            let page = library.team_board(list(member), offset, PAGE).unwrap();
            let ids: Vec<i64> = page.rows.iter().map(|r| r.claim.id).collect();
            let expected: Vec<i64> = whole.iter().skip(offset as usize).take(PAGE).copied().collect();
            assert_eq!((page.total, ids), (whole.len() as u64, expected), "{name} at {offset}");
            if offset > 0 && whole.len() <= offset as usize {
                continue;
            }
            let ours = time(RUNS, || library.team_board(list(member), offset, PAGE).unwrap());
            let baseline = time(3, || read_whole(&library, member));
            println!(
                "| {name}, {PAGE} at {offset} | of {} | {:.2} / {:.2} ms | {:.0} / {:.0} ms (3 runs) |",
                whole.len(),
                ours.0,
                ours.1,
                baseline.0,
                baseline.1
            );
        }
    }
}
