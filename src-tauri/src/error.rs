//! The one place where core errors become what the webview sees: a small tagged object
//! `{ kind, message }` with a message a journalist can read.

use factdesk_core::Error;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum IpcError {
    /// An article, claim, evidence link or source that does not exist (or was removed).
    NotFound { message: String },
    /// A value the user typed does not fit its field.
    InvalidInput { field: String, message: String },
    /// A file was not imported; nothing was written.
    Refused { message: String },
    /// A quote or selection could not be anchored in the article text.
    Anchor { message: String },
    /// The library file could not be opened.
    Unavailable { message: String },
    /// Anything else; the message says what.
    Internal { message: String },
}

impl From<Error> for IpcError {
    fn from(error: Error) -> Self {
        let message = error.one_line();
        // Inside the command's span, so the log names the command. The kind only at the
        // default level: the message may quote the article or name a file.
        tracing::warn!(category = error.category(), "command failed");
        tracing::debug!(%message, "command failed");
        match error {
            Error::ArticleNotFound(_)
            | Error::ClaimNotFound(_)
            | Error::ClaimRemoved(_)
            | Error::EvidenceNotFound(_)
            | Error::EvidenceRemoved(_)
            | Error::SourceNotFound(_)
            | Error::SnapshotNotFound(_) => IpcError::NotFound { message },
            Error::InvalidInput { field, .. } => IpcError::InvalidInput { field: field.to_owned(), message },
            Error::Import { .. } => IpcError::Refused { message },
            Error::Anchor { .. } => IpcError::Anchor { message },
            Error::DatabaseTooNew { .. } | Error::Open { .. } | Error::Migration { .. } | Error::Team(_) => {
                IpcError::Unavailable { message }
            }
            Error::Sqlite(_) | Error::Corrupt(_) | Error::ReportOutput(_) => IpcError::Internal { message },
        }
    }
}

impl From<tauri::Error> for IpcError {
    fn from(error: tauri::Error) -> Self {
        IpcError::Internal { message: error.to_string() }
    }
}

pub type IpcResult<T> = Result<T, IpcError>;
