//! The one integration-test binary: the `factdesk` CLI run as a real process against
//! temporary library files.

mod anchoring;
mod cli;
mod e2e;
#[path = "../crates/capture/tests/support/server.rs"]
mod http_server;
mod layers;
#[path = "../crates/hub/tests/support/postgres.rs"]
mod postgres;
mod registry;
mod report;
mod unwritable;
