//! Glue between the command line and the core: open the library, call one `Library`
//! method per command, print the result as text or JSON.

mod args;
mod capture;
mod hub;
mod render;
pub mod terminal;
mod versions;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use factdesk_capture::FetchOptions;
use factdesk_core::report::GeneratedAt;
use factdesk_core::{
    default_actor, default_library_path, AnchorFix, ChainHead, ClaimEdit, ClaimTarget, Error, Format, ImportOutcome,
    Library, NewClaim, NewEvidence, ReportRequest, ReportScope, SourceChoice, Verification,
};
use serde::Serialize;

pub use args::Cli;
use args::{ClaimCommand, Command, EvidenceCommand};

/// What a command produced: text for stdout and the exit status.
pub struct Outcome {
    pub stdout: String,
    pub exit: ExitCode,
}

impl Outcome {
    fn ok(stdout: String) -> Outcome {
        Outcome { stdout, exit: ExitCode::SUCCESS }
    }
}

/// Pretty JSON whose strings hold no raw control or bidi character: serde escapes C0
/// controls, and C1 and bidi controls are written as `\uXXXX` here, the same data in a
/// form no terminal acts on.
fn json<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::Corrupt(e.to_string()))?;
    let mut out = factdesk_core::text::json_inert(&text).into_owned();
    out.push('\n');
    Ok(out)
}

/// Prints text or JSON, as the command's `--json` flag asks.
fn show<T: Serialize + ?Sized>(as_json: bool, value: &T, text: impl FnOnce(&T) -> String) -> Result<Outcome, Error> {
    Ok(Outcome::ok(if as_json { json(value)? } else { text(value) }))
}

fn library_path(cli_db: Option<PathBuf>) -> Result<PathBuf, Error> {
    cli_db.filter(|p| !p.as_os_str().is_empty()).or_else(default_library_path).ok_or_else(|| Error::InvalidInput {
        field: "db",
        message: "no data folder is known for this user; pass --db PATH or set FACTDESK_DB".to_owned(),
    })
}

pub fn run(cli: Cli) -> Result<Outcome, Error> {
    let path = library_path(cli.db)?;
    let actor = cli.actor.unwrap_or_else(default_actor);
    if let Command::Hub(command) = cli.command {
        // The hub has no library file: its store is PostgreSQL.
        return hub::run(command);
    }
    if let Command::Restore { path: backup, json } = &cli.command {
        // Before the library is opened: it is about to be moved aside.
        return restore(backup, &path, json.json);
    }
    if cli.command.only_reads() && !path.exists() {
        return Err(Error::Open {
            path,
            message: "no library here yet: add an article with `factdesk import FILE`, or check --db / FACTDESK_DB"
                .to_owned(),
        });
    }
    let mut library = Library::open(&path, actor)?;
    let fetching = cli.fetch.options();
    if let Command::Import { new: true, .. } = &cli.command {
        library = library.keeping_imports_separate();
    }
    match cli.command {
        Command::Import { files, format, update: Some(article), json, .. } => {
            versions::update(&library, article, &files, format, &fetching, json.json)
        }
        // A batch is synced once at the end, not at every file (each file still all or nothing).
        Command::Import { files, format, json, .. } if files.len() > 1 => {
            library.bulk(|library| import(library, &files, format, &fetching, json.json))
        }
        Command::Import { files, format, json, .. } => import(&library, &files, format, &fetching, json.json),
        Command::Refresh { articles, json } => versions::refresh(&library, &articles, &fetching, json.json),
        Command::Versions { article, json } => {
            show(json.json, &library.versions(article)?, |v| render::versions(article, v))
        }
        Command::Diff { article, from, to, json } => versions::diff(&library, article, from.zip(to), json.json),
        Command::Backup { path, json } => {
            let check = library.backup(&path)?;
            show(json.json, &check, |c| {
                format!(
                    "backed up {} article(s) and {} history events to {}; the copy verifies (head {})\n",
                    c.articles,
                    c.history.events,
                    c.path.display(),
                    c.history.head
                )
            })
        }
        Command::Restore { .. } | Command::Hub(_) => unreachable!("handled before the library is opened"),
        Command::Join { hub, token, device_name, json } => {
            let device_name = device_name.unwrap_or_else(|| library.path().display().to_string());
            let report = factdesk_hub::sync::join(&library, &hub, &token, &device_name)?;
            show(json.json, &report, hub::sync_text)
        }
        Command::Assign { article, claim, to, json, .. } => {
            let article = match (article, claim) {
                (Some(article), _) => article,
                (None, Some(claim)) => library.claim(claim)?.article_id,
                (None, None) => unreachable!("clap requires one"),
            };
            let assigned = library.assign(article, claim, to)?;
            let what = claim.map_or(format!("article {article}"), |c| format!("claim {c}"));
            let value = serde_json::json!({ "article": article, "claim": claim, "assigned_to": assigned });
            show(json.json, &value, |_| match &assigned {
                Some(member) => format!("{what} assigned to {member}\n"),
                None => format!("{what} assigned to nobody\n"),
            })
        }
        Command::RequireReview { rule } => {
            library.require_review(rule == "on")?;
            Ok(Outcome::ok(if rule == "on" {
                "an editor's sign-off is now required before a claim counts as decided in reports\n".to_owned()
            } else {
                "an editor's sign-off is now optional\n".to_owned()
            }))
        }
        Command::Sync { status: true, json } => show(json.json, &library.team_status()?, hub::status_text),
        Command::Sync { json, .. } => show(json.json, &factdesk_hub::sync::sync(&library)?, hub::sync_text),
        Command::Undo { json } => {
            let undone = library.undo()?;
            show(json.json, &undone, |undone| match undone {
                Some(event) => format!("undone: {} {}\n", event.actor, event.summary),
                None => "nothing of yours to undo\n".to_owned(),
            })
        }
        Command::Articles { json } => show(json.json, &library.articles()?, |a| render::articles(a)),
        Command::Show { article, json } => show(json.json, &library.article_detail(article)?, render::article_detail),
        Command::Claim(command) => claim(&library, command),
        Command::Evidence(command) => evidence(&library, command, &fetching),
        Command::Snapshots { json } => capture::snapshots(&library, json.json),
        Command::Archive { articles, all, output } => {
            capture::archive(&library, (!all).then_some(articles.as_slice()), &output)
        }
        Command::Sources { json } => show(json.json, &library.sources()?, |s| render::sources(s)),
        Command::History { claim, json } => show(json.json, &library.history(claim)?, |h| render::history(h)),
        Command::Verify { expect, json } => verify(&library, expect.as_deref(), json.json),
        Command::Report { articles, all, format, status, output, now, organization } => {
            let scope = if all { ReportScope::All } else { ReportScope::Articles(articles) };
            let request = ReportRequest {
                scope,
                format,
                status,
                generated_at: now.unwrap_or_else(GeneratedAt::now).0,
                generated_by: library.actor().to_owned(),
                publisher: organization,
            };
            report(&library, &request, output.as_deref())
        }
        Command::Suggest { article, min_score, json } => {
            let min_score = min_score.unwrap_or_else(factdesk_core::assist::default_min_score);
            show(json.json, &library.suggestions(article, min_score)?, |s| render::suggestions(s))
        }
        Command::Checks { article: Some(article), json, .. } => {
            let checks = library.article_checks(article)?;
            let text = factdesk_core::text::ArticleText::new(&library.article_detail(article)?.text);
            show(json.json, &checks, |c| render::checks(c, &text))
        }
        Command::Checks { article: None, json, .. } => {
            show(json.json, &library.all_checks()?, |a| render::all_checks(a))
        }
        Command::Search { query, json } => show(json.json, &library.search(&query.join(" "))?, |h| render::search(h)),
    }
}

fn claim(library: &Library, command: ClaimCommand) -> Result<Outcome, Error> {
    match command {
        ClaimCommand::Add { article, quote, occurrence, claimant, note, json } => {
            let target = ClaimTarget::Quote { quote, occurrence: occurrence.map(|n| n as usize) };
            let claim = library.add_claim(NewClaim { article_id: article, target, claimant, note })?;
            show(json.json, &claim, render::claim)
        }
        ClaimCommand::Status { claim, status, note, json } => {
            show(json.json, &library.set_status(claim, status, note)?, render::claim)
        }
        ClaimCommand::Review { claim, decision, note, json } => {
            show(json.json, &library.review_claim(claim, decision, note)?, render::claim)
        }
        ClaimCommand::Edit { claim, claimant, note, json } => {
            show(json.json, &library.edit_claim(claim, ClaimEdit { claimant, note })?, render::claim)
        }
        ClaimCommand::Remove { claim, note } => {
            library.remove_claim(claim, note)?;
            Ok(Outcome::ok(format!("claim {claim} removed (its history is kept)\n")))
        }
        ClaimCommand::Anchor { claim, accept, quote, occurrence, json } => {
            let fix = match (accept, quote) {
                (_, Some(quote)) => AnchorFix::Quote { quote, occurrence: occurrence.map(|n| n as usize) },
                _ => AnchorFix::Accept,
            };
            show(json.json, &library.set_claim_anchor(claim, fix)?, render::claim)
        }
        ClaimCommand::List { article, status, assigned_to, contested, json } => {
            let mut claims = library.claims(article, status)?;
            if let Some(member) = assigned_to {
                claims.retain(|c| c.assigned_to.as_deref() == Some(member.as_str()));
            }
            if contested {
                claims.retain(|c| c.contested.is_some());
            }
            show(json.json, &claims, |c| render::claims(c))
        }
    }
}

fn evidence(library: &Library, command: EvidenceCommand, fetching: &FetchOptions) -> Result<Outcome, Error> {
    match command {
        EvidenceCommand::Add {
            claim,
            title,
            url,
            kind,
            source,
            stance,
            reliability,
            credibility,
            excerpt,
            capture,
            file,
            json,
        } => {
            let capture_url = if capture { url.clone() } else { None };
            let source = match source {
                Some(id) => SourceChoice::Existing(id),
                None => SourceChoice::Described { title: title.unwrap_or_default(), url, kind },
            };
            let new = NewEvidence { claim_id: claim, source, reliability, stance, credibility, excerpt };
            let evidence = match capture::add_evidence(library, new, capture_url.as_deref(), file.as_deref(), fetching)?
            {
                Ok(evidence) => evidence,
                Err(failed) => return Ok(failed),
            };
            if json.json {
                return Ok(Outcome::ok(self::json(&evidence)?));
            }
            let claim = library.claim(claim)?;
            Ok(Outcome::ok(format!("{}\n\n{}", render::evidence(&evidence), render::claim(&claim))))
        }
        EvidenceCommand::Capture { evidence, json } => {
            capture::capture_evidence(library, evidence, fetching, json.json)
        }
        EvidenceCommand::Remove { evidence, note } => {
            library.remove_evidence(evidence, note)?;
            Ok(Outcome::ok(format!("evidence {evidence} removed (its history is kept)\n")))
        }
    }
}

/// Checks everything that can be checked: the file (SQLite's integrity, the search index,
/// every article's bytes), then the hash chain (and a head kept elsewhere). One line per
/// problem; exit 1 if any.
fn verify(library: &Library, expect: Option<&str>, as_json: bool) -> Result<Outcome, Error> {
    let check = library.file_problems().unwrap_or_else(|error| factdesk_core::FileCheck {
        problems: vec![format!("the database file cannot be checked: {}", error.one_line())],
        not_checked: Vec::new(),
    });
    for skipped in &check.not_checked {
        terminal::eprint_line(&format!("note: not checked: {skipped}"));
    }
    let problems = check.problems;
    // A damaged file may not even read: that is a finding too, not the end of the check.
    let verification = library.verify().unwrap_or_else(|error| Verification::Broken {
        event_id: 0,
        reason: format!("the history cannot be read: {}", error.one_line()),
    });
    if let (Some(expected), Verification::Intact(head), true) = (expect, &verification, problems.is_empty()) {
        return verify_expected(library, head, expected, as_json);
    }
    let intact = problems.is_empty() && matches!(verification, Verification::Intact(_));
    let report = match &verification {
        Verification::Intact(head) => {
            serde_json::json!({ "intact": intact, "events": head.events, "head": head.head, "problems": problems })
        }
        Verification::Broken { event_id, reason } => {
            serde_json::json!({ "intact": false, "event_id": event_id, "reason": reason, "problems": problems })
        }
    };
    let exit = if intact { ExitCode::SUCCESS } else { ExitCode::FAILURE };
    if as_json {
        return Ok(Outcome { stdout: json(&report)?, exit });
    }
    for problem in &problems {
        terminal::eprint_line(&format!("error: {problem}"));
    }
    let stdout = match verification {
        Verification::Intact(head) if problems.is_empty() => {
            format!("history intact: {} events, head {}\n", head.events, head.head)
        }
        Verification::Intact(head) => {
            terminal::eprint_line(&format!("note: the history chain itself is intact ({} events)", head.events));
            String::new()
        }
        Verification::Broken { event_id, reason } => {
            terminal::eprint_line(&format!("error: history event {event_id} does not verify: {reason}"));
            String::new()
        }
    };
    Ok(Outcome { stdout, exit })
}

fn restore(backup: &Path, library_path: &Path, as_json: bool) -> Result<Outcome, Error> {
    let (check, kept) = factdesk_core::restore(backup, library_path)?;
    if as_json {
        return show(true, &serde_json::json!({ "restored": check, "kept": kept }), |_| String::new());
    }
    let mut text = format!(
        "restored {} article(s) and {} history events from {} (head {})\n",
        check.articles,
        check.history.events,
        backup.display(),
        check.history.head
    );
    if let Some(kept) = kept {
        text.push_str(&format!("the library it replaced is kept as {}\n", kept.display()));
    }
    Ok(Outcome::ok(text))
}

/// An intact chain that must also contain a head kept elsewhere: without it, the history
/// was rewritten since that head was copied (or the head belongs to another library).
fn verify_expected(library: &Library, head: &ChainHead, expected: &str, as_json: bool) -> Result<Outcome, Error> {
    let found = library.find_head(expected)?;
    let report = serde_json::json!({
        "intact": found.is_some(),
        "events": head.events,
        "head": head.head,
        "expected": expected.trim(),
        "expected_at_event": found,
    });
    let exit = if found.is_some() { ExitCode::SUCCESS } else { ExitCode::FAILURE };
    let stdout = match (as_json, found) {
        (true, _) => json(&report)?,
        (false, Some(event)) => format!(
            "history intact: {} events, head {}; the expected head is event {event}'s, so nothing before it was rewritten\n",
            head.events, head.head
        ),
        (false, None) => {
            terminal::eprint_line(&format!(
                "error: the expected head {} is not in this history: events were rewritten since it was copied, or it is another library's",
                expected.trim()
            ));
            String::new()
        }
    };
    Ok(Outcome { stdout, exit })
}

/// Streams a report to stdout, or saves it to `output` all or nothing.
fn report(library: &Library, request: &ReportRequest, output: Option<&Path>) -> Result<Outcome, Error> {
    let summary = match output {
        Some(path) => library.save_report(request, path)?,
        None => {
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            match library.write_report(request, &mut stdout) {
                // `factdesk report 1 | head` closing the pipe early is not a failure.
                Err(Error::ReportOutput(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                    return Ok(Outcome::ok(String::new()))
                }
                other => other?,
            }
        }
    };
    if let Some(path) = output {
        terminal::eprint_line(&format!(
            "wrote {} report on {} article(s), {} claim(s), {} evidence item(s) to {}",
            request.format,
            summary.articles,
            summary.claims,
            summary.evidence,
            path.display()
        ));
    }
    if summary.left_out_unreviewed > 0 {
        eprintln!(
            "note: {} unreviewed claim(s) left out: ClaimReview publishes decided claims only",
            summary.left_out_unreviewed
        );
    }
    Ok(Outcome::ok(String::new()))
}

/// Imports each file or URL in turn, in the order given; a refused one is reported and
/// the rest continue. Runs of files are imported in batches; each URL is fetched, then
/// imported with its snapshot.
fn import(
    library: &Library,
    items: &[String],
    format: Format,
    fetching: &FetchOptions,
    as_json: bool,
) -> Result<Outcome, Error> {
    let progress = progress_bar(items.len());
    let mut tally = ImportTally::default();
    let mut files: Vec<PathBuf> = Vec::new();
    let mut failure = None;
    let mut import_pending = |files: &mut Vec<PathBuf>, tally: &mut ImportTally| -> Result<(), Error> {
        library.import_files(files, format, |file, outcome| {
            match outcome {
                Err(error @ Error::Import { .. }) => {
                    tally.refused(&file.display().to_string(), &error.one_line(), &progress)
                }
                Err(other) => {
                    failure.get_or_insert(other);
                }
                Ok(outcome) => tally.imported(&file.display().to_string(), outcome, &progress),
            }
            tick(&progress, &file.display().to_string());
        })?;
        files.clear();
        Ok(())
    };
    for item in items {
        if !capture::is_url(item) {
            files.push(PathBuf::from(item));
            continue;
        }
        import_pending(&mut files, &mut tally)?;
        match capture::import_url(library, item, format, fetching)? {
            Ok(outcome) => tally.imported(item, outcome, &progress),
            Err(line) => tally.refused(item, &line, &progress),
        }
        tick(&progress, item);
    }
    import_pending(&mut files, &mut tally)?;
    if let Some(failure) = failure {
        return Err(failure);
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    if items.len() > 1 {
        terminal::eprint_line(&summary(&tally));
    }
    let stdout = if as_json { json(&tally.articles)? } else { tally.text };
    let exit = if tally.refused.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE };
    Ok(Outcome { stdout, exit })
}

/// What an import did so far, item by item.
#[derive(Default)]
struct ImportTally {
    articles: Vec<factdesk_core::Article>,
    text: String,
    imported: usize,
    updated: usize,
    duplicates: usize,
    refused: Vec<String>,
}

impl ImportTally {
    fn imported(&mut self, item: &str, outcome: ImportOutcome, progress: &Option<indicatif::ProgressBar>) {
        match outcome {
            ImportOutcome::Imported(article) => {
                self.imported += 1;
                self.text.push_str(&format!("imported {}\n", render::article_line(&article)));
                self.articles.push(article);
            }
            ImportOutcome::Updated { article, counts } => {
                self.updated += 1;
                self.text.push_str(&format!("updated {}\n", render::article_line(&article)));
                say(progress, format!("note: {item}: {}", render::version_note(&article, &counts)));
                self.articles.push(article);
            }
            ImportOutcome::Duplicate(article) => {
                self.duplicates += 1;
                say(
                    progress,
                    format!(
                        "note: {item}: already in the library as article {} (same SHA-256), not imported again",
                        article.id
                    ),
                );
                self.articles.push(article);
            }
        }
    }

    fn refused(&mut self, item: &str, line: &str, progress: &Option<indicatif::ProgressBar>) {
        say(progress, format!("error: {line}"));
        self.refused.push(item.to_owned());
    }
}

fn say(progress: &Option<indicatif::ProgressBar>, line: String) {
    match progress {
        Some(bar) => bar.println(terminal::visible(&line)),
        None => terminal::eprint_line(&line),
    }
}

fn tick(progress: &Option<indicatif::ProgressBar>, item: &str) {
    if let Some(bar) = progress {
        bar.set_message(item.to_owned());
        bar.inc(1);
    }
}

fn summary(tally: &ImportTally) -> String {
    let mut line = format!("{} imported, ", tally.imported);
    if tally.updated > 0 {
        line.push_str(&format!("{} updated to a new version, ", tally.updated));
    }
    line.push_str(&format!("{} already in the library, {} refused", tally.duplicates, tally.refused.len()));
    if !tally.refused.is_empty() {
        line.push_str(&format!(" ({})", tally.refused.join(", ")));
    }
    line
}

fn progress_bar(files: usize) -> Option<indicatif::ProgressBar> {
    if files < 2 || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::with_draw_target(Some(files as u64), indicatif::ProgressDrawTarget::stderr());
    let style = indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}").ok()?;
    bar.set_style(style);
    Some(bar)
}

/// Writes to stdout, control characters made visible (`terminal::visible`); a closed
/// pipe (`factdesk articles | head`) is not an error.
pub fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_all(terminal::visible(text).as_bytes()).and_then(|()| stdout.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            terminal::eprint_line(&format!("error: cannot write output: {e}"));
        }
    }
}
