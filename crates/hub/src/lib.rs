//! `factdesk-hub`: the team hub. Desktops push their history's events, each in a signed
//! [`envelope::Envelope`]; the hub checks them, puts each workspace's events in one order in
//! PostgreSQL ([`store`]) and hands them to every member ([`server`]; [`client`] is the
//! desktop's side). The hub never opens a SQLite file.

pub mod client;
pub mod envelope;
pub mod server;
pub mod store;
pub mod sync;

/// Why the hub refused or failed; the HTTP status follows the variant.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum HubError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("refused: {0}")]
    Refused(String),
    #[error("too large: {0}")]
    TooLarge(String),
    #[error("hub database: {0}")]
    Database(String),
    #[error("cannot reach the hub: {0}")]
    Unreachable(String),
    #[error("{0}")]
    Internal(String),
}
