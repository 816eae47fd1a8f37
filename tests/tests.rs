//! The one integration-test binary: the `factdesk` CLI run as a real process against
//! temporary library files.

mod cli;
mod e2e;
mod layers;
mod registry;
mod report;
