//! The one integration-test binary: the `factdesk` CLI run as a real process against
//! temporary library files.

mod anchoring;
mod cli;
mod e2e;
#[path = "../crates/capture/tests/support/server.rs"]
mod http_server;
mod layers;
mod registry;
mod report;
mod unwritable;
