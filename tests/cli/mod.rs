//! CLI tests, a module per area; `support` runs the binary and peeks into the database.

mod backup;
mod capture;
mod claims;
mod compat;
mod evidence;
mod history;
pub(crate) mod hub;
mod import;
mod search;
pub mod support;
mod team;
mod untrusted;
mod versions;
