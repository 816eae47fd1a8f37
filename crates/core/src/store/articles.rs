//! Article rows and their full-text index entry.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use crate::import::PreparedArticle;
use crate::model::{empty_counts, Article, ClaimCounts, Page, Status};
use crate::store::shared::{self, ClaimFilter};
use crate::url::normalize_url;
use crate::{Error, Result};

pub(crate) fn insert(tx: &Transaction, article: &PreparedArticle, imported_at: &str) -> Result<i64> {
    let p = &article.parsed;
    tx.prepare_cached(
        "INSERT INTO articles (sha256, original, file_name, format, encoding, title, outlet, author,
                               dateline, published, url, text, word_count, imported_at, url_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        article.sha256,
        article.original,
        article.file_name,
        article.format.as_str(),
        article.encoding,
        p.title,
        p.outlet,
        p.author,
        p.dateline,
        p.published,
        p.url,
        p.text,
        article.word_count as i64,
        imported_at,
        p.url.as_deref().map(normalize_url),
    ])?;
    let id = tx.last_insert_rowid();
    tx.prepare_cached("INSERT INTO articles_fts (rowid, title, text) VALUES (?1, ?2, ?3)")?
        .execute(params![id, p.title, p.text])?;
    shared::count_change(tx, "articles", 1)?;
    Ok(id)
}

/// The article `insert` just wrote as `id`, built from what was inserted instead of read
/// back (a batch import returns every article it stores): no claims yet, version 1.
pub(crate) fn inserted(id: i64, article: &PreparedArticle, imported_at: &str) -> Article {
    let p = &article.parsed;
    Article {
        id,
        title: p.title.clone(),
        outlet: p.outlet.clone(),
        author: p.author.clone(),
        dateline: p.dateline.clone(),
        published: p.published.clone(),
        url: p.url.clone(),
        word_count: article.word_count,
        claim_counts: empty_counts(),
        sha256: article.sha256.clone(),
        format: article.format.as_str().to_owned(),
        encoding: article.encoding.to_owned(),
        file_name: article.file_name.clone(),
        imported_at: imported_at.to_owned(),
        version: 1,
        to_recheck: 0,
    }
}

pub(crate) fn find_by_sha256(conn: &Connection, sha256: &str) -> Result<Option<i64>> {
    Ok(conn.query_row("SELECT id FROM articles WHERE sha256 = ?1", [sha256], |r| r.get(0)).optional()?)
}

const COLUMNS: &str = "id, title, outlet, author, dateline, published, url, word_count, sha256, format, encoding,
     file_name, imported_at, version";

fn from_row(row: &Row, (claim_counts, to_recheck): (ClaimCounts, u64)) -> rusqlite::Result<Article> {
    Ok(Article {
        id: row.get(0)?,
        title: row.get(1)?,
        outlet: row.get(2)?,
        author: row.get(3)?,
        dateline: row.get(4)?,
        published: row.get(5)?,
        url: row.get(6)?,
        word_count: row.get::<_, i64>(7)? as u64,
        claim_counts,
        sha256: row.get(8)?,
        format: row.get(9)?,
        encoding: row.get(10)?,
        file_name: row.get(11)?,
        imported_at: row.get(12)?,
        version: row.get(13)?,
        to_recheck,
    })
}

/// Every article, newest import first.
pub(crate) fn list(conn: &Connection) -> Result<Vec<Article>> {
    let mut counts = claim_counts(conn, None)?;
    let mut recheck = to_recheck(conn, None)?;
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM articles ORDER BY id DESC"))?;
    let articles = stmt
        .query_map([], |row| {
            let id: i64 = row.get(0)?;
            from_row(row, (counts.remove(&id).unwrap_or_else(empty_counts), recheck.remove(&id).unwrap_or(0)))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(articles)
}

/// `limit` articles from position `offset`, newest import first, and how many there are.
pub(crate) fn page(conn: &Connection, offset: u64, limit: usize) -> Result<Page<Article>> {
    let total = shared::list_count(conn, "articles")?;
    // `articles_newest` holds only ids: a page deep in the list skips index entries, not rows.
    let ids: Vec<i64> = conn
        .prepare_cached("SELECT id FROM articles INDEXED BY articles_newest ORDER BY id DESC LIMIT ?1 OFFSET ?2")?
        .query_map([limit as i64, offset as i64], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let rows = ids.into_iter().map(|id| get(conn, id)).collect::<Result<_>>()?;
    Ok(Page { total, offset, rows })
}

pub(crate) fn get(conn: &Connection, id: i64) -> Result<Article> {
    let counts = claim_counts(conn, Some(id))?.remove(&id).unwrap_or_else(empty_counts);
    let recheck = to_recheck(conn, Some(id))?.remove(&id).unwrap_or(0);
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM articles WHERE id = ?1"))?
        .query_row([id], |row| from_row(row, (counts, recheck)))
        .optional()?
        .ok_or(Error::ArticleNotFound(id))
}

pub(crate) fn text(conn: &Connection, id: i64) -> Result<String> {
    conn.prepare_cached("SELECT text FROM articles WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .ok_or(Error::ArticleNotFound(id))
}

/// Live claims whose passage changed or vanished, by article.
fn to_recheck(conn: &Connection, article_id: Option<i64>) -> Result<HashMap<i64, u64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT article_id, count(*) FROM claims
         WHERE removed_at IS NULL AND anchor_state IN ('changed', 'orphaned') AND (?1 IS NULL OR article_id = ?1)
         GROUP BY article_id",
    )?;
    let counts = stmt
        .query_map([article_id], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(counts)
}

fn claim_counts(conn: &Connection, article_id: Option<i64>) -> Result<HashMap<i64, ClaimCounts>> {
    let filter = ClaimFilter { article_id, status: None };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.article_id, c.status, count(*) FROM claims c WHERE {} GROUP BY c.article_id, c.status",
        filter.condition("c")
    ))?;
    let mut rows = stmt.query(&*filter.params())?;
    let mut counts: HashMap<i64, ClaimCounts> = HashMap::new();
    while let Some(row) = rows.next()? {
        let status: String = row.get(1)?;
        let status: Status = status.parse().map_err(|_| Error::Corrupt(format!("unknown claim status {status:?}")))?;
        let entry = counts.entry(row.get(0)?).or_insert_with(empty_counts);
        entry.insert(status, row.get::<_, i64>(2)? as u64);
    }
    Ok(counts)
}

/// Calls `f` with the id, title and canonical text of every article with an id above
/// `after`, in import order, one row at a time.
pub(crate) fn for_each_text_after(conn: &Connection, after: i64, mut f: impl FnMut(i64, &str, &str)) -> Result<()> {
    let mut stmt = conn.prepare_cached("SELECT id, title, text FROM articles WHERE id > ?1 ORDER BY id")?;
    let mut rows = stmt.query([after])?;
    while let Some(row) = rows.next()? {
        let title = row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
        let text = row.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?;
        f(row.get(0)?, title, text);
    }
    Ok(())
}

/// How many articles have an id up to `id`.
pub(crate) fn count_up_to(conn: &Connection, id: i64) -> Result<u64> {
    Ok(conn.prepare_cached("SELECT count(*) FROM articles WHERE id <= ?1")?.query_row([id], |r| r.get::<_, i64>(0))?
        as u64)
}

/// Every article id in import order.
pub(crate) fn ids(conn: &Connection) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare("SELECT id FROM articles ORDER BY id")?;
    let ids = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

pub(crate) fn exists(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn.query_row("SELECT 1 FROM articles WHERE id = ?1", [id], |_| Ok(())).optional()?.is_some())
}

#[cfg(test)]
mod tests {
    use crate::{Format, Library};

    /// What an import returns without reading the row back is the row as read.
    #[test]
    fn an_imported_article_is_returned_as_it_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(&dir.path().join("l.sqlite"), "test").unwrap();
        let html = "<html><head><title>Port fees rise</title><link rel=canonical href='https://example.org/a'>\
                    <meta name=author content='A. Writer'><meta property='article:published_time' content='2025-03-14'>\
                    </head><body><article><p>The port said fees rose by 4.2 per cent this year.</p></article></body></html>";
        for (name, bytes, format) in [
            ("a.txt", b" date 2025-03-14 A title\nValletta \xe2\x80\xa2 Wire\nText of it.\n".to_vec(), Format::Text),
            ("b.html", html.as_bytes().to_vec(), Format::Html),
            ("c.md", b"# Heading\n\nSome *text* here.\n".to_vec(), Format::Markdown),
        ] {
            let imported = library.import_bytes(name, bytes, format).unwrap();
            let article = imported.article();
            assert_eq!(article, &library.article(article.id).unwrap(), "{name}");
        }
    }
}
