//! Full-text search over article titles and text and over live claim quotes (FTS5).

use rusqlite::{params, Connection, OptionalExtension};

use crate::model::{SearchHit, SearchResults};
use crate::Result;

/// Turns what a user typed into an FTS5 query: every word must appear (any order),
/// the last one as a prefix when `last_is_prefix`, so results follow typing. FTS5
/// syntax in the input (quotes, `NEAR`, `-`, `*`, column filters) is treated as plain text.
pub(crate) fn fts_query(input: &str, last_is_prefix: bool) -> Option<String> {
    let words = words_of(input);
    let last = words.len().checked_sub(1)?;
    Some(
        words
            .iter()
            .enumerate()
            .map(|(i, w)| if i == last && last_is_prefix { format!("\"{w}\"*") } else { format!("\"{w}\"") })
            .collect::<Vec<_>>()
            .join(" "),
    )
}

fn words_of(input: &str) -> Vec<&str> {
    input.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect()
}

/// The FTS5 query for what a user typed. The last word matches longer words (`minis`
/// finds "minister" and "ministry") until it is a word of the library itself: then it
/// matches that word only. A prefix makes FTS5 merge the lists of every word it
/// begins, which for a common prefix in a large library costs tens of milliseconds
/// on every keystroke; a whole word is read from its own list.
fn typed_query(conn: &Connection, input: &str) -> Result<Option<String>> {
    let Some(last) = words_of(input).last().map(|w| format!("\"{w}\"")) else { return Ok(None) };
    let is_word = |table: &str| -> Result<bool> {
        let found = conn
            .prepare_cached(&format!("SELECT 1 FROM {table} WHERE {table} MATCH ?1 LIMIT 1"))?
            .query_row([&last], |_| Ok(()))
            .optional()?;
        Ok(found.is_some())
    };
    let whole_word = is_word("articles_fts")? || is_word("claims_fts")?;
    Ok(fts_query(input, !whole_word))
}

/// Articles then claims, each ranked by BM25, at most `limit` of each.
pub(crate) fn search(conn: &Connection, input: &str, limit: usize) -> Result<Vec<SearchHit>> {
    let Some(query) = typed_query(conn, input)? else {
        return Ok(Vec::new());
    };
    let everything = Order::Relevance { from_rowid: i64::MIN };
    let mut hits = article_hits(conn, &query, everything, 0, limit)?;
    hits.extend(claim_hits(conn, &query, everything, 0, limit)?);
    Ok(hits)
}

/// Matches ranked by relevance: the newest this many of each kind. Ranking every match
/// of a word found in most of 100,000 articles takes a tenth of a second; past this many
/// matches the rest follow newest first.
pub(crate) const RANKED_MATCHES: usize = 500;

/// Matches counted of each kind; more are reported as "more than this".
pub(crate) const COUNTED_MATCHES: u64 = 10_000;

/// One kind's matches: how many (up to [`COUNTED_MATCHES`]), whether there are more, and
/// the rowid of the oldest match ranked by relevance.
struct Matches {
    count: u64,
    more: bool,
    /// How many of the newest are ranked, and the rowid of the oldest of them.
    ranked: u64,
    oldest_ranked: i64,
}

impl Matches {
    /// One pass over the newest matches' rowids (FTS5 walks its doclist backwards); the
    /// newest `ranked` are ranked by relevance.
    fn find(conn: &Connection, table: &str, query: &str, ranked: usize) -> Result<Matches> {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT rowid FROM {table} WHERE {table} MATCH ?1 ORDER BY rowid DESC LIMIT ?2"
        ))?;
        let mut rows = stmt.query(params![query, COUNTED_MATCHES as i64 + 1])?;
        let (mut count, mut oldest_ranked) = (0u64, i64::MAX);
        while let Some(row) = rows.next()? {
            count += 1;
            if count <= ranked as u64 {
                oldest_ranked = row.get(0)?;
            }
        }
        let more = count > COUNTED_MATCHES;
        let count = count.min(COUNTED_MATCHES);
        Ok(Matches { count, more, oldest_ranked, ranked: count.min(ranked as u64) })
    }
}

/// One page of the list of every match: the articles (the newest [`RANKED_MATCHES`]
/// ranked by BM25, then the older ones newest first), then the claims in the same way.
pub(crate) fn page(conn: &Connection, input: &str, offset: u64, limit: usize) -> Result<SearchResults> {
    page_ranking(conn, input, offset, limit, RANKED_MATCHES)
}

/// [`page`] with the newest `ranked` matches of each kind ranked by relevance.
fn page_ranking(conn: &Connection, input: &str, offset: u64, limit: usize, ranked: usize) -> Result<SearchResults> {
    let Some(query) = typed_query(conn, input)? else {
        return Ok(SearchResults {
            articles: 0,
            claims: 0,
            more_articles: false,
            more_claims: false,
            offset,
            hits: Vec::new(),
        });
    };
    let articles = Matches::find(conn, "articles_fts", &query, ranked)?;
    let claims = Matches::find(conn, "claims_fts", &query, ranked)?;
    let mut hits = Vec::with_capacity(limit);
    if offset < articles.count {
        hits = ranked_page(conn, &query, &articles, offset, limit, article_hits)?;
    }
    if hits.len() < limit && claims.count > 0 {
        let claim_offset = offset.saturating_sub(articles.count);
        hits.extend(ranked_page(conn, &query, &claims, claim_offset, limit - hits.len(), claim_hits)?);
    }
    Ok(SearchResults {
        articles: articles.count,
        claims: claims.count,
        more_articles: articles.more,
        more_claims: claims.more,
        offset,
        hits,
    })
}

type HitQuery = fn(&Connection, &str, Order, u64, usize) -> Result<Vec<SearchHit>>;

/// Which matches, in which order: the ranked newest ones, or the older ones newest first.
#[derive(Clone, Copy)]
enum Order {
    Relevance { from_rowid: i64 },
    Newest { before_rowid: i64 },
}

impl Order {
    fn sql(self) -> &'static str {
        match self {
            Order::Relevance { .. } => "AND f.rowid >= ?4 ORDER BY rank",
            Order::Newest { .. } => "AND f.rowid < ?4 ORDER BY f.rowid DESC",
        }
    }
    fn rowid(self) -> i64 {
        match self {
            Order::Relevance { from_rowid } => from_rowid,
            Order::Newest { before_rowid } => before_rowid,
        }
    }
}

/// `limit` matches from position `offset` of one kind's list: ranked first, then newest.
fn ranked_page(
    conn: &Connection,
    query: &str,
    matches: &Matches,
    offset: u64,
    limit: usize,
    hits_of: HitQuery,
) -> Result<Vec<SearchHit>> {
    let ranked = matches.ranked;
    let mut hits = Vec::new();
    if offset < ranked {
        let from_rowid = matches.oldest_ranked;
        hits = hits_of(conn, query, Order::Relevance { from_rowid }, offset, limit.min((ranked - offset) as usize))?;
    }
    let still = limit - hits.len();
    if still > 0 && offset + (hits.len() as u64) < matches.count {
        let newest_offset = (offset + hits.len() as u64).saturating_sub(ranked);
        let room = (matches.count - ranked - newest_offset) as usize;
        let before_rowid = matches.oldest_ranked;
        hits.extend(hits_of(conn, query, Order::Newest { before_rowid }, newest_offset, still.min(room))?);
    }
    Ok(hits)
}

fn article_hits(conn: &Connection, query: &str, order: Order, offset: u64, limit: usize) -> Result<Vec<SearchHit>> {
    let mut articles = conn.prepare_cached(&format!(
        "SELECT a.id, a.title, snippet(articles_fts, -1, '[', ']', '…', 12)
         FROM articles_fts f JOIN articles a ON a.id = f.rowid
         WHERE articles_fts MATCH ?1 {} LIMIT ?2 OFFSET ?3",
        order.sql()
    ))?;
    let rows = articles.query_map(params![query, limit as i64, offset as i64, order.rowid()], |r| {
        Ok(SearchHit { kind: "article", article_id: r.get(0)?, claim_id: None, title: r.get(1)?, snippet: r.get(2)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn claim_hits(conn: &Connection, query: &str, order: Order, offset: u64, limit: usize) -> Result<Vec<SearchHit>> {
    // A removed claim leaves the index (`mark_removed`): every match is a live claim.
    let mut claims = conn.prepare_cached(&format!(
        "SELECT c.article_id, c.id, a.title, snippet(claims_fts, 0, '[', ']', '…', 12)
         FROM claims_fts f JOIN claims c ON c.id = f.rowid JOIN articles a ON a.id = c.article_id
         WHERE claims_fts MATCH ?1 {} LIMIT ?2 OFFSET ?3",
        order.sql()
    ))?;
    let rows = claims.query_map(params![query, limit as i64, offset as i64, order.rowid()], |r| {
        Ok(SearchHit {
            kind: "claim",
            article_id: r.get(0)?,
            claim_id: Some(r.get(1)?),
            title: r.get(2)?,
            snippet: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scale::{generate_library, ScaleSpec};
    use crate::Library;

    /// Paging through every match gives each match once, ranked ones first; a word of
    /// the library matches only itself, a part of a word matches the words it begins.
    #[test]
    fn pages_of_matches_join_into_the_whole_list() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(&dir.path().join("l.sqlite"), "test").unwrap();
        let spec = ScaleSpec { articles: 40, words_per_article: 60, claims_per_article: 3, events: 400 };
        generate_library(&library, &spec, |_| {}).unwrap();
        library
            .store
            .read(|conn| {
                let whole = page_ranking(conn, "minister", 0, 1_000, 7)?;
                assert!(whole.articles > 10 && whole.claims > 10, "{} {}", whole.articles, whole.claims);
                assert_eq!(whole.hits.len() as u64, whole.articles + whole.claims);
                let mut paged = Vec::new();
                for offset in (0..whole.hits.len() as u64).step_by(5) {
                    paged.extend(page_ranking(conn, "minister", offset, 5, 7)?.hits);
                }
                assert_eq!(paged, whole.hits, "pages of 5 differ from one page of all");
                let mut seen: Vec<_> = whole.hits.iter().map(|h| (h.kind, h.article_id, h.claim_id)).collect();
                seen.sort();
                seen.dedup();
                assert_eq!(seen.len(), whole.hits.len(), "a match listed twice");
                // After the 7 ranked articles, the rest newest first.
                let older: Vec<i64> = whole.hits[7..whole.articles as usize].iter().map(|h| h.article_id).collect();
                assert!(older.windows(2).all(|w| w[0] > w[1]), "{older:?}");
                assert!(whole.hits[..7].iter().all(|h| h.article_id > older[0]), "ranked ones are the newest");

                assert_eq!(typed_query(conn, "the minister")?.as_deref(), Some("\"the\" \"minister\""));
                assert_eq!(typed_query(conn, "minis")?.as_deref(), Some("\"minis\"*"));
                assert!(page(conn, "minis", 0, 10)?.articles > 0);
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn user_input_never_reaches_fts_as_syntax() {
        assert_eq!(fts_query("tram vote", true).as_deref(), Some("\"tram\" \"vote\"*"));
        assert_eq!(fts_query("tram vote", false).as_deref(), Some("\"tram\" \"vote\""));
        assert_eq!(
            fts_query("\"NEAR(a b)\" -x title:y", true).as_deref(),
            Some("\"NEAR\" \"a\" \"b\" \"x\" \"title\" \"y\"*")
        );
        assert_eq!(fts_query("  ** ", true).as_deref(), None);
        assert_eq!(fts_query("Zürich", true).as_deref(), Some("\"Zürich\"*"));
    }
}
