//! Report tests: golden files for every format on a library built here with a fixed
//! clock, hostile input in every field, the JSON Schema, CSV injection, and the CLI.

mod cli;
mod fixture;
mod golden;
mod hostile;
mod schema;
