//! Factdesk's core: the ledger of articles, claims, evidence and history in one SQLite
//! file, and everything that reads or changes it. The app and the CLI are thin layers
//! over [`Library`]; this crate knows nothing of Tauri or of command lines.

pub mod anchor;
pub mod assist;
mod backup;
mod captures;
mod checks;
mod error;
pub mod events;
mod fields;
pub mod history;
pub mod import;
mod library;
pub mod model;
pub mod reanchor;
#[doc(hidden)]
pub mod reanchor_eval;
pub mod report;
pub mod rules;
#[doc(hidden)]
pub mod scale;
pub mod snapshot;
mod store;
mod team;
mod terms;
pub mod text;
mod undo;
pub mod url;
mod versions;
mod vocabulary;
pub mod warc;

pub use backup::{backups_to_prune, check_library_file, restore, rolling_backup, BackupCheck};
pub use error::{AnchorProblem, Error, ImportRefusal, Result};
pub use history::Verification;
pub use import::{Format, MAX_IMPORT_BYTES};
pub use library::{
    app_data_folder, default_actor, default_library_path, ClaimEdit, ClaimTarget, ImportOutcome, Library, NewClaim,
    NewEvidence, SourceChoice, APP_ID, LIBRARY_FILE, SEARCH_LIMIT,
};
pub use model::*;
pub use report::{ReportFormat, ReportRequest, ReportScope, ReportSummary};
pub use snapshot::{Attachment, Capture, MAX_FILE_BYTES};
pub use store::integrity::FileCheck;
pub use store::SCHEMA_VERSION;
pub use team::{carried_bytes, Outgoing, OutgoingPage, Pulled};
pub use terms::Term;
pub use vocabulary::{vocabulary, Vocabulary};
