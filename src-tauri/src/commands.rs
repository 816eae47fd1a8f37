//! The commands the webview may call. Each deserializes its input, makes one core call
//! and maps the error; nothing else happens here. Arguments and results are snake_case
//! on the wire, both ways; the list of commands is `command_list.rs`. File paths never come from the
//! webview: imports go through a native dialog or a drop that Rust receives itself.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use factdesk_capture::FetchOptions;
use factdesk_core::assist::{Finding, Suggestion};
use factdesk_core::reanchor::DiffPiece;
use factdesk_core::report::GeneratedAt;
use factdesk_core::{
    AnchorFix, Article, ArticleDetail, ArticleVersion, Attachment, BoardClaim, ChainHead, Claim, ClaimEdit,
    ClaimTarget, Credibility, Evidence, Format, HistoryEvent, ImportOutcome, Library, NewClaim, NewEvidence, Page,
    Reliability, ReportFormat, ReportRequest, ReportScope, SearchResults, SnapshotInfo, Source, SourceChoice,
    SourceKind, Stance, Status, TeamList, Vocabulary,
};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, State};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;

use crate::error::{IpcError, IpcResult};

/// The library the app opened (at start, or after a restore), or why it could not.
pub struct LibraryState {
    library: RwLock<Result<Arc<Library>, IpcError>>,
    pub path: PathBuf,
}

impl LibraryState {
    pub fn new(library: Result<Library, IpcError>, path: PathBuf) -> LibraryState {
        LibraryState { library: RwLock::new(library.map(Arc::new)), path }
    }

    /// The open library; a call in progress keeps it alive even if a restore replaces it.
    pub fn get(&self) -> IpcResult<Arc<Library>> {
        self.library.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    fn replace(&self, library: Result<Library, IpcError>) {
        *self.library.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = library.map(Arc::new);
    }
}

/// The bundled sample article (our own text, in the wire shape), for the first run.
/// The most rows one call of a paged list returns, whatever the window asks for.
const MAX_PAGE: usize = 500;

const SAMPLE_ARTICLE: &[u8] = include_bytes!("../assets/sample-article.txt");

#[derive(Debug, Serialize)]
pub struct LibraryStatus {
    pub path: String,
    pub actor: Option<String>,
    pub error: Option<IpcError>,
}

#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn library_status(state: State<'_, LibraryState>) -> LibraryStatus {
    let library = state.get();
    LibraryStatus {
        path: state.path.display().to_string(),
        actor: library.as_ref().ok().map(|l| l.actor().to_owned()),
        error: library.err(),
    }
}

/// One of the app's automatic backups, as the Backups dialog lists it.
#[derive(Debug, Serialize)]
pub struct BackupEntry {
    /// The file name, `library-YYYY-MM-DD.sqlite`: what `restore_backup` takes.
    pub name: String,
    pub bytes: u64,
}

fn backups_folder() -> IpcResult<PathBuf> {
    factdesk_core::app_data_folder()
        .map(|folder| folder.join("backups"))
        .ok_or_else(|| IpcError::Unavailable { message: "no data folder is known for this user".to_owned() })
}

/// The automatic backups, newest first.
#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn list_backups() -> IpcResult<Vec<BackupEntry>> {
    let Ok(entries) = std::fs::read_dir(backups_folder()?) else { return Ok(Vec::new()) };
    let mut backups: Vec<BackupEntry> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().to_str()?.to_owned();
            is_backup_name(&name).then(|| BackupEntry { bytes: entry.metadata().map_or(0, |m| m.len()), name })
        })
        .collect();
    backups.sort_by(|a, b| b.name.cmp(&a.name));
    Ok(backups)
}

/// `library-YYYY-MM-DD.sqlite` and nothing else: the webview names a backup, never a path.
fn is_backup_name(name: &str) -> bool {
    name.strip_prefix("library-")
        .and_then(|rest| rest.strip_suffix(".sqlite"))
        .is_some_and(|date| chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok() && date.len() == 10)
}

/// What a restore did: what it brought back, and where the replaced library was kept.
#[derive(Debug, Serialize)]
pub struct RestoreDone {
    pub articles: u64,
    pub events: u64,
    pub kept: Option<String>,
}

/// Replaces the library with one of the automatic backups, if it verifies; the current
/// library is kept beside it. The window reloads afterwards.
#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn restore_backup(state: State<'_, LibraryState>, name: String) -> IpcResult<RestoreDone> {
    if !is_backup_name(&name) {
        return Err(IpcError::InvalidInput {
            field: "backup".to_owned(),
            message: format!("{name:?} is not a backup"),
        });
    }
    let backup = backups_folder()?.join(&name);
    let actor = state.get()?.actor().to_owned();
    // Close the library first: the restore moves its file aside.
    state.replace(Err(IpcError::Unavailable { message: "the library is being restored".to_owned() }));
    let restored = factdesk_core::restore(&backup, &state.path);
    state.replace(Library::open(&state.path, actor).map_err(IpcError::from));
    let (check, kept) = restored?;
    tracing::info!(events = check.history.events, "library restored from a backup");
    Ok(RestoreDone {
        articles: check.articles,
        events: check.history.events,
        kept: kept.map(|path| path.display().to_string()),
    })
}

/// The head the history recorded with its last change, for the user to keep elsewhere
/// (`factdesk verify --expect HEAD` later tells whether the history was rewritten).
#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn history_head(state: State<'_, LibraryState>) -> IpcResult<ChainHead> {
    Ok(state.get()?.recorded_head()?)
}

/// Labels and descriptions of statuses, stances, source kinds, grades and history
/// events: the UI asks once at start and keeps no copy of its own.
#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn vocabulary() -> Vocabulary {
    factdesk_core::vocabulary()
}

#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn list_articles(state: State<'_, LibraryState>, offset: u64, limit: usize) -> IpcResult<Page<Article>> {
    Ok(state.get()?.article_page(offset, limit.min(MAX_PAGE))?)
}

#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn open_article(state: State<'_, LibraryState>, article_id: i64) -> IpcResult<ArticleDetail> {
    Ok(state.get()?.article_detail(article_id)?)
}

#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn search(state: State<'_, LibraryState>, query: String, offset: u64, limit: usize) -> IpcResult<SearchResults> {
    Ok(state.get()?.search_page(&query, offset, limit.min(MAX_PAGE))?)
}

#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn list_claims(
    state: State<'_, LibraryState>,
    status: Option<Status>,
    offset: u64,
    limit: usize,
) -> IpcResult<Page<BoardClaim>> {
    Ok(state.get()?.claim_page(status, offset, limit.min(MAX_PAGE))?)
}

#[derive(Debug, Deserialize)]
pub struct FlagInput {
    pub article_id: i64,
    /// Code points into the article's canonical text, end exclusive.
    pub start: usize,
    pub end: usize,
    pub claimant: Option<String>,
}

#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn flag_claim(state: State<'_, LibraryState>, input: FlagInput) -> IpcResult<Claim> {
    let target = ClaimTarget::Span { start: input.start, end: input.end };
    Ok(state.get()?.add_claim(NewClaim {
        article_id: input.article_id,
        target,
        claimant: input.claimant,
        note: None,
    })?)
}

#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn set_status(
    state: State<'_, LibraryState>,
    claim_id: i64,
    status: Status,
    note: Option<String>,
) -> IpcResult<Claim> {
    Ok(state.get()?.set_status(claim_id, status, note)?)
}

/// Takes back the user's last change with a compensating event; the event, or `None`
/// when there is nothing to undo.
#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn undo(state: State<'_, LibraryState>) -> IpcResult<Option<HistoryEvent>> {
    Ok(state.get()?.undo()?)
}

#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn edit_claim(
    state: State<'_, LibraryState>,
    claim_id: i64,
    claimant: Option<String>,
    note: Option<String>,
) -> IpcResult<Claim> {
    Ok(state.get()?.edit_claim(claim_id, ClaimEdit { claimant, note })?)
}

#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn remove_claim(state: State<'_, LibraryState>, claim_id: i64) -> IpcResult<()> {
    Ok(state.get()?.remove_claim(claim_id, None)?)
}

#[derive(Debug, Deserialize)]
pub struct EvidenceInput {
    pub claim_id: i64,
    /// Reuse this library source; otherwise `title` (and `url`, `kind`) describe one.
    pub source_id: Option<i64>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub kind: Option<SourceKind>,
    pub reliability: Option<Reliability>,
    pub stance: Stance,
    pub credibility: Option<Credibility>,
    pub excerpt: Option<String>,
    /// Fetch `url` now and keep the page with the evidence.
    #[serde(default)]
    pub capture: bool,
}

impl EvidenceInput {
    fn into_new(self) -> (NewEvidence, Option<String>) {
        let capture_url = if self.capture { self.url.clone().filter(|u| !u.trim().is_empty()) } else { None };
        let source = match self.source_id {
            Some(id) => SourceChoice::Existing(id),
            None => SourceChoice::Described { title: self.title.unwrap_or_default(), url: self.url, kind: self.kind },
        };
        let new = NewEvidence {
            claim_id: self.claim_id,
            source,
            reliability: self.reliability,
            stance: self.stance,
            credibility: self.credibility,
            excerpt: self.excerpt,
        };
        (new, capture_url)
    }
}

/// Adds evidence; with `capture`, the page is fetched first (in the background: this
/// command runs off the window's thread) and kept with it, or nothing is written.
#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn add_evidence(
    state: State<'_, LibraryState>,
    fetching: State<'_, Fetching>,
    input: EvidenceInput,
) -> IpcResult<Evidence> {
    let library = state.get()?;
    let (new, capture_url) = input.into_new();
    let attachment = match capture_url {
        Some(url) => Some(Attachment::Snapshot(Box::new(fetching.fetch(&url)?))),
        None => None,
    };
    Ok(library.add_evidence_with(new, attachment)?)
}

/// Adds evidence with a document the user picks in the native file dialog (the webview
/// never names a path); `None` when the dialog is cancelled.
#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn attach_evidence_file(
    app: AppHandle,
    state: State<'_, LibraryState>,
    input: EvidenceInput,
) -> IpcResult<Option<Evidence>> {
    let library = state.get()?;
    let picked = app.dialog().file().set_title("Attach a document to the evidence").blocking_pick_file();
    let Some(path) = picked.and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    let file = Attachment::from_file(&path)?;
    let (new, _) = EvidenceInput { capture: false, ..input }.into_new();
    Ok(Some(library.add_evidence_with(new, Some(file))?))
}

/// The fetch in progress (one at a time from the window), so that Cancel can stop it.
#[derive(Default)]
pub struct Fetching {
    cancel: Mutex<Option<Arc<AtomicBool>>>,
}

impl Fetching {
    /// Fetches `url` with the options the environment allows; a cancel while it runs (or
    /// right after) means nothing comes back to be written.
    fn fetch(&self, url: &str) -> IpcResult<factdesk_core::Capture> {
        let cancel = Arc::new(AtomicBool::new(false));
        *self.cancel.lock().unwrap_or_else(|p| p.into_inner()) = Some(cancel.clone());
        let options = FetchOptions { cancel: Some(cancel), ..FetchOptions::from_env() };
        let fetched = factdesk_capture::fetch(url, &options);
        if options.cancelled() {
            return Err(IpcError::Refused { message: format!("{url}: cancelled; nothing was kept") });
        }
        fetched.map_err(|error| IpcError::Refused { message: error.to_string() })
    }

    fn cancel(&self) {
        if let Some(cancel) = self.cancel.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            cancel.store(true, Ordering::Relaxed);
        }
    }
}

/// Fetches a web page and imports it as an article, kept with its snapshot.
#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn import_url(
    state: State<'_, LibraryState>,
    fetching: State<'_, Fetching>,
    url: String,
) -> IpcResult<ImportReport> {
    let library = state.get()?;
    let capture = fetching.fetch(url.trim())?;
    let mut report = ImportReport::default();
    report.add(library.import_capture(&capture, Format::Auto))?;
    Ok(report)
}

/// Stops the fetch in progress, if any (it ends at its next read; nothing is written).
#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn cancel_fetch(fetching: State<'_, Fetching>) {
    fetching.cancel();
}

/// An article's versions, oldest first.
#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn article_versions(state: State<'_, LibraryState>, article_id: i64) -> IpcResult<Vec<ArticleVersion>> {
    Ok(state.get()?.versions(article_id)?)
}

/// One version's canonical text (to read an older version).
#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn version_text(state: State<'_, LibraryState>, article_id: i64, version: u32) -> IpcResult<String> {
    Ok(state.get()?.version_text(article_id, version)?)
}

/// What changed between two versions, word by word.
#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn version_diff(state: State<'_, LibraryState>, article_id: i64, from: u32, to: u32) -> IpcResult<Vec<DiffPiece>> {
    Ok(state.get()?.diff(article_id, from, to)?)
}

/// Places a changed or orphaned claim: the proposed span (`accept`), or a selection.
#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn set_claim_anchor(
    state: State<'_, LibraryState>,
    claim_id: i64,
    accept: bool,
    start: Option<usize>,
    end: Option<usize>,
) -> IpcResult<Claim> {
    let fix = match (accept, start, end) {
        (true, _, _) => AnchorFix::Accept,
        (false, Some(start), Some(end)) => AnchorFix::Span { start, end },
        _ => {
            return Err(IpcError::InvalidInput {
                field: "anchor".to_owned(),
                message: "select the passage in the article first".to_owned(),
            })
        }
    };
    Ok(state.get()?.set_claim_anchor(claim_id, fix)?)
}

/// A snapshot as the snapshot panel shows it: what, when, from where, its hash, and its
/// readable text (never the page's markup).
#[derive(Debug, Serialize)]
pub struct SnapshotDetail {
    #[serde(flatten)]
    pub snapshot: SnapshotInfo,
    pub text: Option<String>,
}

#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn snapshot_detail(state: State<'_, LibraryState>, snapshot_id: i64) -> IpcResult<SnapshotDetail> {
    let library = state.get()?;
    Ok(SnapshotDetail { snapshot: library.snapshot(snapshot_id)?, text: library.snapshot_text(snapshot_id)? })
}

/// Opens the page a snapshot was captured from, in the system browser.
#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn open_snapshot_original(app: AppHandle, state: State<'_, LibraryState>, snapshot_id: i64) -> IpcResult<()> {
    let snapshot = state.get()?.snapshot(snapshot_id)?;
    let url = factdesk_core::url::validate_url(&snapshot.final_url)?;
    app.opener().open_url(url, None::<&str>).map_err(|e| IpcError::Internal { message: e.to_string() })
}

/// Saves one snapshot as a `.warc.gz` where the user chooses; `None` if cancelled.
#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn save_snapshot_warc(
    app: AppHandle,
    state: State<'_, LibraryState>,
    snapshot_id: i64,
) -> IpcResult<Option<String>> {
    let library = state.get()?;
    let records = library.snapshot_records(snapshot_id)?;
    let picked = app
        .dialog()
        .file()
        .set_title("Save the snapshot as WARC")
        .set_file_name(format!("snapshot-{snapshot_id}.warc.gz"))
        .add_filter("WARC", &["gz", "warc"])
        .blocking_save_file();
    let Some(path) = picked.and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    let name = path.file_name().map_or_else(|| "snapshot.warc.gz".to_owned(), |n| n.to_string_lossy().into_owned());
    let write = || -> std::io::Result<()> {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
        factdesk_capture::archive::write_warc_gz(&mut out, &name, [Ok(records)])?;
        out.into_inner().map_err(|e| e.into_error())?.sync_all()
    };
    write().map_err(|e| IpcError::Internal { message: format!("cannot write {}: {e}", path.display()) })?;
    Ok(Some(path.display().to_string()))
}

/// Opens an evidence file with the system's viewer for its kind (a file of no known kind
/// is shown in its folder): written to the app's cache folder under its hash, then handed
/// to the desktop. The webview never sees a path.
#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn open_evidence_file(app: AppHandle, state: State<'_, LibraryState>, evidence_id: i64) -> IpcResult<()> {
    let (_name, media_type, content) = state.get()?.evidence_file(evidence_id)?;
    let internal = |e: std::io::Error| IpcError::Internal { message: format!("cannot open the file: {e}") };
    let folder = app.path().app_cache_dir().map_err(IpcError::from)?.join("evidence-files");
    let hash = factdesk_core::import::sha256_hex(&content);
    // The viewer is chosen by what the bytes are (files arrive from other desks too),
    // never by the extension a name claims; a file of no known kind is shown in its
    // folder instead of being opened.
    let extension = factdesk_core::snapshot::viewer_extension(&media_type);
    let path = folder.join(match extension {
        Some(extension) => format!("{hash}.{extension}"),
        None => hash,
    });
    if !path.exists() {
        std::fs::create_dir_all(&folder).map_err(internal)?;
        std::fs::write(&path, &content).map_err(internal)?;
    }
    let opened = match extension {
        Some(_) => app.opener().open_path(path.display().to_string(), None::<&str>),
        None => app.opener().reveal_item_in_dir(&path),
    };
    opened.map_err(|e| IpcError::Internal { message: e.to_string() })
}

#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn remove_evidence(state: State<'_, LibraryState>, evidence_id: i64) -> IpcResult<()> {
    Ok(state.get()?.remove_evidence(evidence_id, None)?)
}

#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn list_sources(state: State<'_, LibraryState>) -> IpcResult<Vec<Source>> {
    Ok(state.get()?.sources()?)
}

#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn claim_history(state: State<'_, LibraryState>, claim_id: i64) -> IpcResult<Vec<HistoryEvent>> {
    Ok(state.get()?.history(Some(claim_id))?)
}

/// What importing a set of files did, file by file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    pub imported: Vec<Article>,
    /// Articles that got a new version (an import with their URL).
    pub updated: Vec<Article>,
    pub duplicates: Vec<Article>,
    /// One line per refused file, naming it and the reason.
    pub refused: Vec<String>,
}

impl ImportReport {
    /// Files one outcome; a refusal is a line, a database failure ends the import.
    fn add(&mut self, outcome: factdesk_core::Result<ImportOutcome>) -> IpcResult<()> {
        match outcome {
            Ok(ImportOutcome::Imported(article)) => self.imported.push(article),
            Ok(ImportOutcome::Updated { article, .. }) => self.updated.push(article),
            Ok(ImportOutcome::Duplicate(article)) => self.duplicates.push(article),
            Err(error @ factdesk_core::Error::Import { .. }) => self.refused.push(error.one_line()),
            Err(other) => return Err(other.into()),
        }
        Ok(())
    }
}

/// The file types the import dialog offers and a drop accepts.
pub const ARTICLE_EXTENSIONS: &[&str] = &["txt", "text", "md", "markdown", "html", "htm"];

/// Whether a dropped file's name says it is an article Factdesk reads.
fn is_article_file(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ARTICLE_EXTENSIONS.iter().any(|known| e.eq_ignore_ascii_case(known)))
}

/// Imports dropped files: only article types (anything else is refused by name, unread).
pub fn import_dropped(library: &Library, paths: &[PathBuf]) -> IpcResult<ImportReport> {
    let (articles, others): (Vec<PathBuf>, Vec<PathBuf>) = paths.iter().cloned().partition(|p| is_article_file(p));
    let mut report = import_paths(library, &articles)?;
    for path in others {
        report.refused.push(format!("{}: not an article file (.txt, .md or .html)", path.display()));
    }
    Ok(report)
}

pub fn import_paths(library: &Library, paths: &[PathBuf]) -> IpcResult<ImportReport> {
    let mut report = ImportReport::default();
    for path in paths {
        report.add(library.import_file(path, Format::Auto))?;
    }
    Ok(report)
}

/// Opens the native file dialog and imports what the user picks (nothing if cancelled).
#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn import_with_dialog(app: AppHandle, state: State<'_, LibraryState>) -> IpcResult<ImportReport> {
    let library = state.get()?;
    let picked = app
        .dialog()
        .file()
        .set_title("Import articles")
        .add_filter("Articles", ARTICLE_EXTENSIONS)
        .blocking_pick_files()
        .unwrap_or_default();
    let paths: Vec<PathBuf> = picked.into_iter().filter_map(|p| p.into_path().ok()).collect();
    import_paths(&library, &paths)
}

#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn import_sample(state: State<'_, LibraryState>) -> IpcResult<Article> {
    let outcome = state.get()?.import_bytes("sample-article.txt", SAMPLE_ARTICLE.to_vec(), Format::Text)?;
    Ok(outcome.article().clone())
}

/// Opens an evidence link's source in the system browser, never inside the app window.
/// The webview names the evidence; the URL is looked up and checked here.
#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn open_link(app: AppHandle, state: State<'_, LibraryState>, evidence_id: i64) -> IpcResult<()> {
    let url = state.get()?.evidence_link(evidence_id)?;
    app.opener().open_url(url, None::<&str>).map_err(|e| IpcError::Internal { message: e.to_string() })
}

fn report_request(library: &Library, article_ids: Vec<i64>, format: ReportFormat) -> ReportRequest {
    let scope = if article_ids.is_empty() { ReportScope::All } else { ReportScope::Articles(article_ids) };
    ReportRequest {
        scope,
        format,
        status: None,
        generated_at: GeneratedAt::now().0,
        generated_by: library.actor().to_owned(),
        publisher: std::env::var("FACTDESK_ORGANIZATION").ok().filter(|o| !o.trim().is_empty()),
    }
}

/// The claim assistant's suggestions for an article, at the trained threshold, without
/// the ones dismissed.
#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn article_suggestions(state: State<'_, LibraryState>, article_id: i64) -> IpcResult<Vec<Suggestion>> {
    Ok(state.get()?.suggestions(article_id, factdesk_core::assist::default_min_score())?)
}

/// The suggestion at `start..end` becomes a claim, claimant prefilled; the history says
/// it was suggested.
#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn accept_suggestion(
    state: State<'_, LibraryState>,
    article_id: i64,
    start: usize,
    end: usize,
) -> IpcResult<Claim> {
    Ok(state.get()?.accept_suggestion(article_id, start, end)?)
}

#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn dismiss_suggestion(state: State<'_, LibraryState>, article_id: i64, start: usize, end: usize) -> IpcResult<()> {
    Ok(state.get()?.dismiss_suggestion(article_id, start, end)?)
}

/// Names spelled two ways and figures that disagree, in the article and across the library.
#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn article_checks(state: State<'_, LibraryState>, article_id: i64) -> IpcResult<Vec<Finding>> {
    Ok(state.get()?.article_checks(article_id)?.findings())
}

/// The HTML report on one article, for the in-app preview (shown in a sandboxed frame).
#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn report_preview(state: State<'_, LibraryState>, article_id: i64) -> IpcResult<String> {
    let library = state.get()?;
    let mut html = Vec::new();
    library.write_report(&report_request(&library, vec![article_id], ReportFormat::Html), &mut html)?;
    String::from_utf8(html).map_err(|e| IpcError::Internal { message: e.to_string() })
}

/// Where an export went and what it held; `None` from the command when cancelled.
#[derive(Debug, Serialize)]
pub struct ExportDone {
    pub path: String,
    pub summary: factdesk_core::ReportSummary,
}

/// Asks where to save (native dialog), then writes the report there all or nothing.
/// An empty `article_ids` means the whole library.
#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn export_report(
    app: AppHandle,
    state: State<'_, LibraryState>,
    article_ids: Vec<i64>,
    format: String,
) -> IpcResult<Option<ExportDone>> {
    let library = state.get()?;
    let format: ReportFormat = format.parse()?;
    let picked = app
        .dialog()
        .file()
        .set_title("Export verification report")
        .set_file_name(format!("verification-report.{}", format.extension()))
        .add_filter(format.as_str(), &[format.extension()])
        .blocking_save_file();
    let Some(path) = picked.and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    let summary = library.save_report(&report_request(&library, article_ids, format), &path)?;
    Ok(Some(ExportDone { path: path.display().to_string(), summary }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drop_imports_articles_and_refuses_other_types_unread() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::open(&dir.path().join("library.sqlite"), "tester").unwrap();
        let article = dir.path().join("story.TXT");
        std::fs::write(
            &article,
            "Council delays the vote\n\nThe council postponed the tram vote again, officials said.\n",
        )
        .unwrap();
        let binary = dir.path().join("photo.jpg");
        std::fs::write(&binary, [0xFF, 0xD8, 0xFF, 0xE0]).unwrap();
        let no_extension = dir.path().join("fifo-or-anything");
        let report = import_dropped(&library, &[article, binary, no_extension]).unwrap();
        assert_eq!(report.imported.len(), 1);
        assert_eq!(report.refused.len(), 2, "{:?}", report.refused);
        assert!(report.refused.iter().all(|r| r.contains("not an article file")), "{:?}", report.refused);
    }
}

/// Where team sync stands, for the indicator: the last background sync's outcome with the
/// library's current counts (a change made since shows as waiting at once).
#[tauri::command(async, rename_all = "snake_case")]
pub fn sync_status(
    state: State<'_, LibraryState>,
    sync: State<'_, crate::sync::SyncState>,
) -> IpcResult<crate::sync::SyncView> {
    let library = state.get()?;
    let last = sync.0.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let outcome = last.message.map(Err);
    Ok(crate::sync::view(&library, outcome))
}

/// A shared desk's board lists: `mine` (the claims assigned to this library's member),
/// `review` (decided, not reviewed yet: what waits for an editor) or `contested`. Empty
/// for a library not linked to a hub.
#[tauri::command(async, rename_all = "snake_case")]
#[tracing::instrument(level = "info", skip_all)]
pub fn list_team_claims(
    state: State<'_, LibraryState>,
    filter: String,
    offset: u64,
    limit: usize,
) -> IpcResult<Page<BoardClaim>> {
    let library = state.get()?;
    let member = match library.team_link()? {
        Some(link) => link.member,
        None => return Ok(Page { total: 0, offset, rows: Vec::new() }),
    };
    let list = match filter.as_str() {
        "mine" => TeamList::AssignedTo(&member),
        "review" => TeamList::WaitingForReview,
        "contested" => TeamList::Contested,
        _ => {
            return Err(IpcError::InvalidInput {
                field: "filter".into(),
                message: format!("{filter:?} is not mine, review or contested"),
            })
        }
    };
    Ok(library.team_board(list, offset, limit.min(MAX_PAGE))?)
}
