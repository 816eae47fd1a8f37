//! Full-text search over article titles and text and over live claim quotes (FTS5).

use rusqlite::{params, Connection};

use crate::model::SearchHit;
use crate::Result;

/// Turns what a user typed into an FTS5 query: every word must appear (any order),
/// the last one as a prefix so results follow typing. FTS5 syntax in the input
/// (quotes, `NEAR`, `-`, `*`, column filters) is treated as plain text.
pub(crate) fn fts_query(input: &str) -> Option<String> {
    let words: Vec<String> =
        input.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(|w| format!("\"{w}\"")).collect();
    let last = words.len().checked_sub(1)?;
    Some(
        words
            .iter()
            .enumerate()
            .map(|(i, w)| if i == last { format!("{w}*") } else { w.clone() })
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// Articles then claims, each ranked by BM25, at most `limit` of each.
pub(crate) fn search(conn: &Connection, input: &str, limit: usize) -> Result<Vec<SearchHit>> {
    let Some(query) = fts_query(input) else {
        return Ok(Vec::new());
    };
    let mut hits = Vec::new();
    let mut articles = conn.prepare_cached(
        "SELECT a.id, a.title, snippet(articles_fts, -1, '[', ']', '…', 12)
         FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
         WHERE articles_fts MATCH ?1 ORDER BY rank LIMIT ?2",
    )?;
    let rows = articles.query_map(params![query, limit as i64], |r| {
        Ok(SearchHit { kind: "article", article_id: r.get(0)?, claim_id: None, title: r.get(1)?, snippet: r.get(2)? })
    })?;
    for hit in rows {
        hits.push(hit?);
    }
    let mut claims = conn.prepare_cached(
        "SELECT c.article_id, c.id, a.title, snippet(claims_fts, 0, '[', ']', '…', 12)
         FROM claims_fts JOIN claims c ON c.id = claims_fts.rowid JOIN articles a ON a.id = c.article_id
         WHERE claims_fts MATCH ?1 AND c.removed_at IS NULL ORDER BY rank LIMIT ?2",
    )?;
    let rows = claims.query_map(params![query, limit as i64], |r| {
        Ok(SearchHit {
            kind: "claim",
            article_id: r.get(0)?,
            claim_id: Some(r.get(1)?),
            title: r.get(2)?,
            snippet: r.get(3)?,
        })
    })?;
    for hit in rows {
        hits.push(hit?);
    }
    Ok(hits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_input_never_reaches_fts_as_syntax() {
        assert_eq!(fts_query("tram vote").as_deref(), Some("\"tram\" \"vote\"*"));
        assert_eq!(
            fts_query("\"NEAR(a b)\" -x title:y").as_deref(),
            Some("\"NEAR\" \"a\" \"b\" \"x\" \"title\" \"y\"*")
        );
        assert_eq!(fts_query("  ** ").as_deref(), None);
        assert_eq!(fts_query("Zürich").as_deref(), Some("\"Zürich\"*"));
    }
}
