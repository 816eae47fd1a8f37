//! The core's one error type. Every variant carries enough context (file, field,
//! id) to be printed as a single line that tells a journalist what went wrong.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file given to `import` was refused; nothing was written.
    #[error("{path}: {reason}")]
    Import { path: PathBuf, reason: ImportRefusal },

    #[error("article {0} does not exist")]
    ArticleNotFound(i64),

    #[error("claim {0} does not exist")]
    ClaimNotFound(i64),

    #[error("claim {0} was removed")]
    ClaimRemoved(i64),

    #[error("evidence {0} does not exist")]
    EvidenceNotFound(i64),

    #[error("evidence {0} was already removed")]
    EvidenceRemoved(i64),

    #[error("source {0} does not exist")]
    SourceNotFound(i64),

    #[error("snapshot {0} does not exist")]
    SnapshotNotFound(i64),

    /// A quote could not be anchored in an article's canonical text.
    #[error("article {article_id}: {problem}")]
    Anchor { article_id: i64, problem: AnchorProblem },

    /// A value given by the user does not fit its field.
    #[error("{field}: {message}")]
    InvalidInput { field: &'static str, message: String },

    #[error("database {path}: schema version {found} is newer than this Factdesk understands (up to {supported}); update Factdesk, the file was left untouched")]
    DatabaseTooNew { path: PathBuf, found: i64, supported: i64 },

    #[error("database {path}: {message}")]
    Open { path: PathBuf, message: String },

    #[error("database migration to version {version} failed, the file was left at version {from}: {source}")]
    Migration { version: i64, from: i64, source: rusqlite::Error },

    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),

    /// Writing a report (to a file or a pipe) failed part way.
    #[error("cannot write the report: {0}")]
    ReportOutput(#[from] std::io::Error),

    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),

    /// The team hub refused, failed or could not be reached; nothing was changed here.
    #[error("team hub: {0}")]
    Team(String),
}

impl Error {
    /// Whether the error comes from a value the user typed (the CLI exits 2 for these).
    pub fn is_invalid_input(&self) -> bool {
        matches!(self, Error::InvalidInput { .. })
    }

    /// What kind of failure this is, without any of the text involved: safe to write to a
    /// log at the default level (the message may quote an article or a file name).
    pub fn category(&self) -> &'static str {
        match self {
            Error::Import { .. } => "import refused",
            Error::ArticleNotFound(_) => "article not found",
            Error::ClaimNotFound(_) => "claim not found",
            Error::ClaimRemoved(_) => "claim removed",
            Error::EvidenceNotFound(_) => "evidence not found",
            Error::EvidenceRemoved(_) => "evidence removed",
            Error::SourceNotFound(_) => "source not found",
            Error::SnapshotNotFound(_) => "snapshot not found",
            Error::Anchor { .. } => "quote not anchored",
            Error::InvalidInput { .. } => "invalid input",
            Error::DatabaseTooNew { .. } => "database too new",
            Error::Open { .. } => "database cannot be opened",
            Error::Migration { .. } => "migration failed",
            Error::Sqlite(_) => "database error",
            Error::ReportOutput(_) => "report output failed",
            Error::Corrupt(_) => "stored data inconsistent",
            Error::Team(_) => "team hub",
        }
    }

    /// The message on one line, whatever the quoted input held (newlines, tabs).
    pub fn one_line(&self) -> String {
        if let Error::Sqlite(rusqlite::Error::SqliteFailure(failure, _)) = self {
            if failure.code == rusqlite::ErrorCode::ReadOnly {
                return "database: the library file cannot be written (it, or its folder, is read-only); nothing was changed"
                    .to_owned();
            }
            if matches!(failure.code, rusqlite::ErrorCode::DiskFull | rusqlite::ErrorCode::SystemIoFailure) {
                return format!(
                    "database: cannot write to the disk ({}): it may be full, or a limit on file size was reached; the change was not written",
                    failure
                );
            }
        }
        self.to_string().split_whitespace().collect::<Vec<_>>().join(" ")
    }

    pub(crate) fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Error::InvalidInput { field, message: message.into() }
    }
}

/// Why an import was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportRefusal {
    #[error("no such file")]
    Missing,
    #[error("is a directory, not a file")]
    Directory,
    /// A FIFO, socket or device: reading one could block forever or never end.
    #[error("is not a regular file (a pipe, socket or device)")]
    NotRegularFile,
    #[error("cannot be read: {0}")]
    Unreadable(String),
    #[error("file is empty")]
    Empty,
    #[error("file holds only whitespace")]
    WhitespaceOnly,
    #[error("file is {size} bytes, over the import limit of {limit} bytes")]
    TooLarge { size: u64, limit: u64 },
    #[error("looks like a binary file ({0}), not an article")]
    Binary(&'static str),
    #[error("not valid {encoding}: {detail}")]
    BadEncoding { encoding: &'static str, detail: String },
    #[error("holds no readable text after {0}")]
    NoText(&'static str),
    #[error("HTML nested {depth} levels deep (over {limit}); refused rather than parsed for minutes")]
    TooDeep { depth: usize, limit: usize },
    /// A fetched response that is not a web page or plain text (a PDF, an image, JSON).
    #[error("is {0}, not a web page or plain text (attach it to a claim as an evidence file instead)")]
    NotAPage(String),
    #[error("format {0} is not supported yet")]
    UnsupportedFormat(&'static str),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnchorProblem {
    #[error("the quote is empty")]
    EmptyQuote,
    #[error("the quote does not occur in the article text")]
    NotFound,
    #[error("the quote occurs {count} times; pick one with --occurrence 1..{count}")]
    Ambiguous { count: usize },
    #[error("occurrence {wanted} asked for, but the quote occurs {count} time(s)")]
    NoSuchOccurrence { wanted: usize, count: usize },
    #[error("span {start}..{end} is not inside the text (0..{len} code points)")]
    OutOfRange { start: usize, end: usize, len: usize },
}
