//! The commands about article versions: `import --update`, `refresh`, `diff`. Versions
//! and re-anchoring are the core's; this module reads files or fetches pages and prints.

use std::path::Path;
use std::process::ExitCode;

use factdesk_capture::{fetch, FetchOptions};
use factdesk_core::{Error, Format, Library, VersionOutcome};

use super::{capture, json, render, show, terminal, Outcome};

/// `import FILE|URL --update ARTICLE`: one file or page becomes the article's newest version.
pub fn update(
    library: &Library,
    article: i64,
    items: &[String],
    format: Format,
    options: &FetchOptions,
    as_json: bool,
) -> Result<Outcome, Error> {
    let [item] = items else {
        return Err(Error::InvalidInput {
            field: "update",
            message: format!("--update takes one file or URL (the article's new version), not {}", items.len()),
        });
    };
    let outcome = if capture::is_url(item) {
        match fetch(item, options) {
            Ok(page) => library.update_from_capture(article, &page, format)?,
            Err(error) => {
                terminal::eprint_line(&format!("error: {error}"));
                return Ok(Outcome { stdout: String::new(), exit: ExitCode::FAILURE });
            }
        }
    } else {
        library.update_from_file(article, Path::new(item), format)?
    };
    show(as_json, &outcome_json(&outcome), |_| render::version_outcome(&outcome))
}

/// `refresh ARTICLE...`: each web-imported article fetched again from the address it was
/// imported from; a new version only where the text changed.
pub fn refresh(library: &Library, articles: &[i64], options: &FetchOptions, as_json: bool) -> Result<Outcome, Error> {
    let mut results = Vec::new();
    let mut text = String::new();
    let mut failed = false;
    for &article in articles {
        let Some(snapshot) = library.article_snapshot(article)? else {
            terminal::eprint_line(&format!(
                "error: article {article} was not imported from the web: nothing to refresh"
            ));
            failed = true;
            continue;
        };
        let page = match fetch(&snapshot.url, options) {
            Ok(page) => page,
            Err(error) => {
                terminal::eprint_line(&format!("error: article {article}: {error}"));
                failed = true;
                continue;
            }
        };
        let outcome = library.update_from_capture(article, &page, Format::Auto)?;
        text.push_str(&render::version_outcome(&outcome));
        results.push(outcome_json(&outcome));
    }
    let stdout = if as_json { json(&results)? } else { text };
    Ok(Outcome { stdout, exit: if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS } })
}

fn outcome_json(outcome: &VersionOutcome) -> serde_json::Value {
    match outcome {
        VersionOutcome::Added { article, counts } => {
            serde_json::json!({ "changed": true, "article": article, "claims": counts })
        }
        VersionOutcome::Unchanged(article) => serde_json::json!({ "changed": false, "article": article }),
    }
}

/// `diff ARTICLE [FROM TO]`: the last two versions by default.
pub fn diff(library: &Library, article: i64, versions: Option<(u32, u32)>, as_json: bool) -> Result<Outcome, Error> {
    let (from, to) = match versions {
        Some(pair) => pair,
        None => {
            let newest = library.versions(article)?.last().map_or(1, |v| v.version);
            if newest < 2 {
                return Err(Error::InvalidInput {
                    field: "diff",
                    message: format!("article {article} has one version: nothing to compare"),
                });
            }
            (newest - 1, newest)
        }
    };
    let pieces = library.diff(article, from, to)?;
    show(as_json, &serde_json::json!({ "article": article, "from": from, "to": to, "pieces": pieces }), |_| {
        render::diff(&pieces)
    })
}
