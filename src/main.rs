//! `factdesk`: the command-line face of the Factdesk ledger. Parsing lives in `cli::args`,
//! the work in `factdesk_core`; this file maps the outcome to an exit status.

mod cli;

use std::process::ExitCode;

use clap::Parser;

/// Exit status for bad usage, as clap uses for its own parse errors.
const USAGE: u8 = 2;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) if !error.use_stderr() => {
            // --help and --version.
            cli::print(&error.render().to_string());
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            cli::terminal::eprint_line(&usage_error_line(&error.render().to_string()));
            return ExitCode::from(USAGE);
        }
    };
    if cli.verbose {
        // Only on request: the log may quote article text and file names.
        tracing_subscriber::fmt().with_writer(std::io::stderr).with_max_level(tracing::Level::DEBUG).init();
        tracing::debug!(version = env!("CARGO_PKG_VERSION"), "factdesk started");
    }
    match cli::run(cli) {
        Ok(outcome) => {
            cli::print(&outcome.stdout);
            outcome.exit
        }
        Err(error) => {
            tracing::error!(category = error.category(), message = %error.one_line(), "command failed");
            cli::terminal::eprint_line(&format!("error: {}", error.one_line()));
            if error.is_invalid_input() {
                ExitCode::from(USAGE)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// clap's message without the usage block and the help hint, on one line.
fn usage_error_line(rendered: &str) -> String {
    rendered
        .lines()
        .take_while(|line| !line.starts_with("Usage:") && !line.starts_with("For more information"))
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ")
}
