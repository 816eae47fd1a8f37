//! The large-library targets (issue 14) on a generated library of 100,000 articles,
//! 1,000,000 claims and 3,000,000 history events (`scale::generate_library`, the same
//! library `generate-library` writes): opening it, the first page of the article list,
//! of the claims board by status and of search, and pages deep in each list; each beside
//! plain rusqlite running the one SQL statement that yields the same page's rows, in the
//! same run on the same file.
//!
//! Run: `FACTDESK_SCALE_LIBRARY=/var/tmp/factdesk-scale/newsroom.sqlite cargo bench -p factdesk-core --bench scale`
//! (the library is generated there first if it does not exist: about 6 minutes, 4.4 GB).

use std::path::PathBuf;
#[path = "support/timing.rs"]
mod timing;

use timing::time;

use factdesk_core::scale::{generate_library, ScaleSpec};
use factdesk_core::{Library, Status};

const RUNS: usize = 30;
/// Rows a page, as the app asks for them (`ui/desk.js`).
const PAGE: usize = 50;
const SEARCH_PAGE: usize = 25;

fn baseline(conn: &rusqlite::Connection, sql: &str, params: &[&dyn rusqlite::ToSql]) -> usize {
    let mut stmt = conn.prepare_cached(sql).unwrap();
    let mut rows = stmt.query(params).unwrap();
    let mut n = 0;
    while let Some(row) = rows.next().unwrap() {
        std::hint::black_box(row.get_ref(0).unwrap());
        n += 1;
    }
    n
}

fn row(measure: &str, ours: (f64, f64), base: Option<(f64, f64)>, target: &str) {
    let base = base.map_or("—".to_owned(), |(m, p)| format!("{m:.2} / {p:.2} ms"));
    println!("| {measure} | {:.2} / {:.2} ms | {base} | {target} |", ours.0, ours.1);
}

fn main() {
    let path = std::env::var_os("FACTDESK_SCALE_LIBRARY")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/tmp/factdesk-scale/newsroom.sqlite"));
    if !path.exists() {
        eprintln!("generating {} (100,000 articles)…", path.display());
        let library = Library::open(&path, "generator").unwrap();
        generate_library(&library, &ScaleSpec::NEWSROOM, |_| {}).unwrap();
    }
    let bytes = std::fs::metadata(&path).unwrap().len();

    // Opening: what the app does before it can ask for the first page (once before, so a
    // migration of an older generated library is not timed).
    drop(Library::open(&path, "bench").unwrap());
    let opened = time(5, || Library::open(&path, "bench").unwrap());
    let library = Library::open(&path, "bench").unwrap();
    let first = library.article_page(0, PAGE).unwrap();
    let board = library.claim_page(None, 0, 1).unwrap();
    println!(
        "Library: {} articles, {} live claims, {:.2} GB ({})",
        first.total,
        board.total,
        bytes as f64 / 1e9,
        path.display()
    );
    println!();
    println!("| measure ({RUNS} runs, warm) | Factdesk median / p95 | plain rusqlite median / p95 | target |");
    println!("|---|---|---|---|");
    row("open the library (schema check, migrations none)", opened, None, "part of < 1 s start");

    let conn = rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let articles_sql = "SELECT a.id, a.title, a.outlet, a.published, a.version,
            (SELECT count(*) FROM claims c WHERE c.article_id = a.id AND c.removed_at IS NULL)
         FROM articles a ORDER BY a.id DESC LIMIT ?1 OFFSET ?2";
    for offset in [0u64, 50_000, 99_950] {
        let ours = time(RUNS, || library.article_page(offset, PAGE).unwrap());
        let base = time(RUNS, || baseline(&conn, articles_sql, &[&(PAGE as i64), &(offset as i64)]));
        let target = if offset == 0 { "(start < 1 s)" } else { "" };
        row(&format!("article list, {PAGE} rows at {offset}"), ours, Some(base), target);
    }

    let board_sql = "SELECT c.id, c.quote, c.status, a.title FROM claims c JOIN articles a ON a.id = c.article_id
         WHERE c.removed_at IS NULL AND c.status = ?1 ORDER BY c.id DESC LIMIT ?2 OFFSET ?3";
    for status in [Status::Confirmed, Status::Unreviewed, Status::False] {
        for offset in [0u64, 150_000] {
            let ours = time(RUNS, || library.claim_page(Some(status), offset, PAGE).unwrap());
            let base = time(RUNS, || baseline(&conn, board_sql, &[&status.as_str(), &(PAGE as i64), &(offset as i64)]));
            let target = if offset == 0 { "< 20 ms" } else { "" };
            row(&format!("claims board `{}`, {PAGE} rows at {offset}", status.as_str()), ours, Some(base), target);
        }
    }
    let ours = time(RUNS, || library.claim_page(None, 0, PAGE).unwrap());
    row(&format!("claims board, all statuses, first {PAGE}"), ours, None, "< 20 ms");

    let search_sql = "SELECT a.id, a.title, snippet(articles_fts, -1, '[', ']', '…', 12)
         FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
         WHERE articles_fts MATCH ?1 ORDER BY rank LIMIT ?2";
    // Words in every article, in half of them, in 15% of them; one article's number; and
    // a word being typed (a prefix of words in every article). The baseline runs the same
    // FTS5 query ranking every match.
    for (query, fts) in [
        ("minister", "\"minister\""),
        ("minister budget", "\"minister\" \"budget\""),
        ("ensar", "\"ensar\""),
        ("envosenbu", "\"envosenbu\""),
        ("report 4711", "\"report\" \"4711\""),
        ("minis", "\"minis\"*"),
        ("ens", "\"ens\"*"),
    ] {
        let hits = library.search_page(query, 0, SEARCH_PAGE).unwrap();
        let ours = time(RUNS, || library.search_page(query, 0, SEARCH_PAGE).unwrap());
        let base = time(RUNS, || baseline(&conn, search_sql, &[&fts, &(SEARCH_PAGE as i64)]));
        row(
            &format!(
                "search “{query}” first {SEARCH_PAGE} ({}{} articles, {}{} claims match)",
                hits.articles,
                if hits.more_articles { "+" } else { "" },
                hits.claims,
                if hits.more_claims { "+" } else { "" }
            ),
            ours,
            Some(base),
            "< 20 ms",
        );
    }
}
