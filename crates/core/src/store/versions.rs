//! Article versions: the newest lives in `articles`, the ones it replaced in
//! `article_versions`, each with its bytes, text and SHA-256.

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::import::PreparedArticle;
use crate::model::ArticleVersion;
use crate::url::normalize_url;
use crate::{Error, Result};

/// The version number of an article's newest text.
pub(crate) fn newest(conn: &Connection, article_id: i64) -> Result<u32> {
    conn.query_row("SELECT version FROM articles WHERE id = ?1", [article_id], |r| r.get(0))
        .optional()?
        .ok_or(Error::ArticleNotFound(article_id))
}

/// Keeps the article's newest version among the old ones, before it is replaced.
pub(crate) fn keep_newest(tx: &Transaction, article_id: i64) -> Result<()> {
    tx.execute(
        "INSERT INTO article_versions (article_id, version, sha256, original, file_name, format, encoding, title,
                                       text, word_count, imported_at)
         SELECT id, version, sha256, original, file_name, format, encoding, title, text, word_count, imported_at
         FROM articles WHERE id = ?1",
        [article_id],
    )?;
    Ok(())
}

/// Makes `article` the newest version of `article_id` (its search entry too); the URL
/// and metadata the new bytes lack are kept.
pub(crate) fn replace_newest(tx: &Transaction, article_id: i64, article: &PreparedArticle, now: &str) -> Result<u32> {
    let (old_title, old_text): (String, String) =
        tx.query_row("SELECT title, text FROM articles WHERE id = ?1", [article_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let p = &article.parsed;
    tx.execute(
        "UPDATE articles SET sha256 = ?2, original = ?3, file_name = ?4, format = ?5, encoding = ?6, title = ?7,
                outlet = coalesce(?8, outlet), author = coalesce(?9, author), dateline = coalesce(?10, dateline),
                published = coalesce(?11, published), url = coalesce(url, ?12), text = ?13, word_count = ?14,
                imported_at = ?15, version = version + 1, url_key = coalesce(url_key, ?16)
         WHERE id = ?1",
        params![
            article_id,
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
            now,
            p.url.as_deref().map(normalize_url),
        ],
    )?;
    tx.execute(
        "INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', ?1, ?2, ?3)",
        params![article_id, old_title, old_text],
    )?;
    tx.execute(
        "INSERT INTO articles_fts (rowid, title, text) VALUES (?1, ?2, ?3)",
        params![article_id, p.title, p.text],
    )?;
    newest(tx, article_id)
}

/// Every version of an article, oldest first.
pub(crate) fn list(conn: &Connection, article_id: i64) -> Result<Vec<ArticleVersion>> {
    newest(conn, article_id)?;
    let mut stmt = conn.prepare(
        "SELECT version, sha256, imported_at, word_count, file_name, length(original) FROM article_versions
         WHERE article_id = ?1
         UNION ALL
         SELECT version, sha256, imported_at, word_count, file_name, length(original) FROM articles WHERE id = ?1
         ORDER BY 1",
    )?;
    let versions = stmt
        .query_map([article_id], |r| {
            Ok(ArticleVersion {
                version: r.get(0)?,
                sha256: r.get(1)?,
                imported_at: r.get(2)?,
                words: r.get::<_, i64>(3)? as u64,
                source: r.get(4)?,
                bytes: r.get::<_, i64>(5)? as u64,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(versions)
}

/// The canonical text of one version.
pub(crate) fn text(conn: &Connection, article_id: i64, version: u32) -> Result<String> {
    let newest = newest(conn, article_id)?;
    if version == newest {
        return crate::store::articles::text(conn, article_id);
    }
    conn.query_row(
        "SELECT text FROM article_versions WHERE article_id = ?1 AND version = ?2",
        params![article_id, version],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| Error::invalid("version", format!("article {article_id} has versions 1 to {newest}, not {version}")))
}

/// The article and version whose (old) bytes hash to `sha256`.
pub(crate) fn find_old_sha256(conn: &Connection, sha256: &str) -> Result<Option<(i64, u32)>> {
    Ok(conn
        .query_row("SELECT article_id, version FROM article_versions WHERE sha256 = ?1", [sha256], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?)
}

/// The (first) article whose normalized URL is `url_key`.
pub(crate) fn with_url_key(conn: &Connection, url_key: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM articles WHERE url_key = ?1 ORDER BY id LIMIT 1")?
        .query_row([url_key], |r| r.get(0))
        .optional()?)
}

/// Whether some article has a URL but no key yet (a library from before keys).
pub(crate) fn url_keys_missing(conn: &Connection) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM articles WHERE url IS NOT NULL AND url_key IS NULL LIMIT 1", [], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Gives every article with a URL its key.
pub(crate) fn fill_url_keys(tx: &Transaction) -> Result<()> {
    let missing: Vec<(i64, String)> = tx
        .prepare("SELECT id, url FROM articles WHERE url IS NOT NULL AND url_key IS NULL")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update = tx.prepare("UPDATE articles SET url_key = ?2 WHERE id = ?1")?;
    for (id, url) in missing {
        update.execute(params![id, normalize_url(&url)])?;
    }
    Ok(())
}

/// How many old versions the library holds (the assistant's index starts over when it
/// changes: an article's text was replaced).
pub(crate) fn count(conn: &Connection) -> Result<u64> {
    Ok(conn.query_row("SELECT count(*) FROM article_versions", [], |r| r.get::<_, i64>(0))? as u64)
}
