//! Types more than one query module needs, kept here so that none of them imports
//! another in a loop: the filter over live claims, and how a status is bound in SQL.

use rusqlite::types::{ToSql, ToSqlOutput};

use crate::model::Status;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClaimFilter {
    pub article_id: Option<i64>,
    pub status: Option<Status>,
}

impl ClaimFilter {
    /// The WHERE condition on live claims aliased `alias`. Only the filters in use are
    /// written out: `(?1 IS NULL OR x = ?1)` would stop SQLite from using an index.
    pub(crate) fn condition(&self, alias: &str) -> String {
        let mut sql = format!("{alias}.removed_at IS NULL");
        if self.article_id.is_some() {
            sql.push_str(&format!(" AND {alias}.article_id = :article"));
        }
        if self.status.is_some() {
            sql.push_str(&format!(" AND {alias}.status = :status"));
        }
        sql
    }

    /// The parameters `condition` names.
    pub(crate) fn params(&self) -> Vec<(&'static str, &dyn ToSql)> {
        let mut params: Vec<(&'static str, &dyn ToSql)> = Vec::new();
        if let Some(article_id) = &self.article_id {
            params.push((":article", article_id));
        }
        if let Some(status) = &self.status {
            params.push((":status", status));
        }
        params
    }
}

impl ToSql for Status {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}
