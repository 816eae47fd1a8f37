//! `Library`: every operation the app and the CLI offer, as one call each. Each change
//! is one transaction that writes the rows, keeps the search index in step and appends
//! its history event; a failing call writes nothing.

use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::Transaction;

use crate::anchor::{anchor_quote, anchor_span};
use crate::assist::{self, ArticleChecks, ArticleFindings, Suggestion};
use crate::checks::IndexCache;
use crate::events::{
    ArticleImported, Change, ClaimEdited, ClaimFlagged, ClaimRemoved, ClaimStatusChanged, Event, EvidenceAdded,
    EvidenceRemoved, SourceGraded, Subject, SuggestionDismissed, SuggestionOrigin,
};
use crate::fields;
use crate::history::Verification;
use crate::import::{self, Format, PreparedArticle};
use crate::model::{
    Article, ArticleDetail, BoardClaim, ChainHead, Claim, Credibility, Evidence, HistoryEvent, Page, Reliability,
    ReviewDecision, SearchHit, SearchResults, Source, SourceKind, SourceRef, Stance, Status,
};
use crate::report::{ReportRequest, ReportSummary};
use crate::snapshot::Attachment;
use crate::store::history::NewEvent;
use crate::store::integrity::FileCheck;
use crate::store::shared::ClaimFilter;
use crate::store::suggestions as dismissed_suggestions;
use crate::store::{articles, claims, history, integrity, search, sources, versions, Store};
use crate::url::{normalize_url, validate_url};
use crate::{Error, Result};

/// The application id; the default library lives in the platform data dir under it.
pub const APP_ID: &str = "org.factdesk.desktop";
/// File name of the default library.
pub const LIBRARY_FILE: &str = "library.sqlite";
/// How many files `import_files` writes in one transaction.
pub const IMPORT_BATCH: usize = 100;
/// Longest search query accepted.
pub const MAX_QUERY_CHARS: usize = 1_000;
/// Most results of each kind a search returns.
pub const SEARCH_LIMIT: usize = 50;

/// `FACTDESK_DB` if set, else `library.sqlite` in the platform data dir for [`APP_ID`]
/// (on Linux `~/.local/share/org.factdesk.desktop/library.sqlite`).
pub fn default_library_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("FACTDESK_DB").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    app_data_folder().map(|folder| folder.join(LIBRARY_FILE))
}

/// The app's folder in the platform data dir (on Linux `~/.local/share/org.factdesk.desktop`):
/// the default library and the app's logs live there.
pub fn app_data_folder() -> Option<PathBuf> {
    dirs::data_dir().map(|dir| dir.join(APP_ID))
}

/// `FACTDESK_ACTOR` if set, else the OS user name, else `unknown`.
pub fn default_actor() -> String {
    ["FACTDESK_ACTOR", "USER", "USERNAME", "LOGNAME"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .map(|value| value.trim().to_owned())
        .find(|value| !value.is_empty())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// What happened to one imported file.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportOutcome {
    Imported(Article),
    /// The same bytes (or the same text) were imported before; this is that article, unchanged.
    Duplicate(Article),
    /// It has the URL of an article already here: it became that article's newest version.
    Updated {
        article: Article,
        counts: crate::model::AnchorCounts,
    },
}

impl ImportOutcome {
    pub fn article(&self) -> &Article {
        match self {
            ImportOutcome::Imported(a) | ImportOutcome::Duplicate(a) | ImportOutcome::Updated { article: a, .. } => a,
        }
    }
}

/// Where a new claim sits in the article text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimTarget {
    /// An exact quote; `occurrence` (1-based) picks among repeats.
    Quote { quote: String, occurrence: Option<usize> },
    /// A code-point span `start..end`, as a selection in the reader gives it.
    Span { start: usize, end: usize },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewClaim {
    pub article_id: i64,
    pub target: ClaimTarget,
    pub claimant: Option<String>,
    pub note: Option<String>,
}

/// Fields to change on a claim; `None` leaves a field as it is, an empty string clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClaimEdit {
    pub claimant: Option<String>,
    pub note: Option<String>,
}

/// Which source an evidence link points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceChoice {
    /// A source already in the library.
    Existing(i64),
    /// A source described here; reused if its URL matches one in the library.
    Described { title: String, url: Option<String>, kind: Option<SourceKind> },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvidence {
    pub claim_id: i64,
    pub source: SourceChoice,
    /// Grades the source; an existing source's grade is updated (and the change recorded).
    pub reliability: Option<Reliability>,
    pub stance: Stance,
    pub credibility: Option<Credibility>,
    pub excerpt: Option<String>,
}

/// Where a library reads the time it stamps on changes. Tests fix it so that history
/// hashes, and the reports that print them, are byte-for-byte reproducible.
pub type Clock = Box<dyn Fn() -> DateTime<Utc> + Send + Sync>;

pub struct Library {
    pub(crate) store: Store,
    actor: String,
    clock: Clock,
    /// Every article's people and figures, read once and topped up with new imports.
    index: IndexCache,
    /// `import --new`: an import with an article's URL is a new article, not a version.
    separate_imports: bool,
    /// While another member's event is replayed (team sync): the author its history event
    /// is recorded under, and the event recorded. Writes are serialized by the store, so
    /// one replay at a time.
    pub(crate) replaying: std::sync::Mutex<Option<Replaying>>,
    /// Team sync: shared ids and the local rows they name, as pulls found or mapped them
    /// (rows of `team_ids` are never changed or taken back once committed), with the hub
    /// sequence number the library had pulled through when they were last added to.
    pub(crate) shared_ids: std::sync::Mutex<(i64, SharedIds)>,
}

impl Library {
    /// Opens the library at `path`; `actor` names whoever makes changes through it.
    pub fn open(path: &Path, actor: impl Into<String>) -> Result<Library> {
        let Some(actor) = fields::ACTOR.check(Some(actor.into()))? else {
            return Err(Error::invalid("actor", "the actor name is empty"));
        };
        let store = Store::open(path).inspect_err(|e| tracing::warn!(category = e.category(), "library not opened"))?;
        tracing::info!(path = %path.display(), "library opened");
        Ok(Library {
            store,
            actor,
            clock: Box::new(Utc::now),
            index: IndexCache::default(),
            separate_imports: false,
            replaying: std::sync::Mutex::new(None),
            shared_ids: std::sync::Mutex::default(),
        })
    }

    /// Replaces the system clock, e.g. with a fixed sequence of times in tests.
    pub fn with_clock(mut self, clock: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> Library {
        self.clock = Box::new(clock);
        self
    }

    pub(crate) fn now(&self) -> String {
        (self.clock)().to_rfc3339_opts(SecondsFormat::Micros, true)
    }

    pub fn path(&self) -> &Path {
        self.store.path()
    }

    pub fn actor(&self) -> &str {
        &self.actor
    }

    // ----- articles -------------------------------------------------------------------

    /// Imports one file. Refusals (missing, empty, binary, too large…) write nothing.
    pub fn import_file(&self, path: &Path, format: Format) -> Result<ImportOutcome> {
        let bytes = import::read_file(path)?;
        let file_name =
            path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        let prepared = import::prepare(&file_name, bytes, format).map_err(|reason| {
            tracing::info!(%reason, "import refused");
            Error::Import { path: path.to_owned(), reason }
        })?;
        self.import_prepared(prepared)
    }

    /// Runs bulk work (a batch import) without syncing at every commit; everything it wrote
    /// is synced once when it returns. Each change inside is still all or nothing.
    pub fn bulk<T>(&self, work: impl FnOnce(&Library) -> Result<T>) -> Result<T> {
        self.store.bulk(|| work(self))
    }

    /// Copies the write-ahead log back into the library file on a connection of its own:
    /// a second thread calls it while a long bulk write goes on, which then spends less
    /// of its own time checkpointing.
    pub fn checkpoint_aside(&self) -> Result<()> {
        self.store.checkpoint_aside()
    }

    /// Imports bytes that did not come from a file path (pasted text, a dropped file).
    pub fn import_bytes(&self, file_name: &str, bytes: Vec<u8>, format: Format) -> Result<ImportOutcome> {
        let prepared = import::prepare(file_name, bytes, format)
            .map_err(|reason| Error::Import { path: PathBuf::from(file_name), reason })?;
        self.import_prepared(prepared)
    }

    fn import_prepared(&self, prepared: PreparedArticle) -> Result<ImportOutcome> {
        let now = self.now();
        self.store.write(|tx| self.import_prepared_in(tx, &now, &prepared, None))
    }

    /// Stores a prepared article in the caller's transaction (with the capture it came
    /// from, if fetched): the same bytes are the article they were; an article with the
    /// same URL gets a new version (unless imports are kept separate); else a new article.
    pub(crate) fn import_prepared_in(
        &self,
        tx: &Transaction,
        now: &str,
        prepared: &PreparedArticle,
        capture: Option<&crate::snapshot::Capture>,
    ) -> Result<ImportOutcome> {
        let same_bytes = match articles::find_by_sha256(tx, &prepared.sha256)? {
            Some(id) => Some(id),
            None => versions::find_old_sha256(tx, &prepared.sha256)?.map(|(id, _)| id),
        };
        if let Some(existing) = same_bytes {
            if let Some(capture) = capture {
                self.keep_article_snapshot(tx, now, existing, capture, &prepared.parsed.text)?;
            }
            return Ok(ImportOutcome::Duplicate(articles::get(tx, existing)?));
        }
        if let Some(existing) = self.same_url_article(tx, prepared)? {
            return Ok(match self.add_version_in(tx, now, existing, prepared, capture)? {
                crate::model::VersionOutcome::Added { article, counts } => ImportOutcome::Updated { article, counts },
                crate::model::VersionOutcome::Unchanged(article) => ImportOutcome::Duplicate(article),
            });
        }
        let id = articles::insert(tx, prepared, now)?;
        let imported = ArticleImported {
            sha256: prepared.sha256.clone(),
            file_name: prepared.file_name.clone(),
            format: prepared.format.as_str().to_owned(),
            encoding: prepared.encoding.to_owned(),
            bytes: prepared.original.len() as u64,
            title: prepared.parsed.title.clone(),
        };
        self.record(tx, now, Subject::Article(id), Event::ArticleImported(imported))?;
        if let Some(capture) = capture {
            self.keep_article_snapshot(tx, now, id, capture, &prepared.parsed.text)?;
        }
        Ok(ImportOutcome::Imported(articles::inserted(id, prepared, now)))
    }

    /// The article with the import's URL (canonical link), when imports follow URLs.
    fn same_url_article(&self, tx: &Transaction, prepared: &PreparedArticle) -> Result<Option<i64>> {
        let Some(url) = prepared.parsed.url.as_deref().filter(|_| !self.separate_imports) else { return Ok(None) };
        versions::with_url_key(tx, &normalize_url(url))
    }

    /// Imports never become versions of an article with the same URL (`import --new`).
    pub fn keeping_imports_separate(mut self) -> Library {
        self.separate_imports = true;
        self
    }

    /// Imports many files, [`IMPORT_BATCH`] to a transaction (the full-text index is much
    /// cheaper to keep in step in batches); each file is all or nothing: a refused file is
    /// refused before anything of it is written, and the batch goes on. `each` hears every file's outcome, in
    /// order, once its batch is committed; an error that is not about one file (the
    /// database) stops the import, and the batch in progress is not written.
    pub fn import_files(
        &self,
        paths: &[PathBuf],
        format: Format,
        mut each: impl FnMut(&Path, Result<ImportOutcome>),
    ) -> Result<()> {
        for batch in paths.chunks(IMPORT_BATCH) {
            let outcomes = self.store.write(|tx| {
                let mut outcomes = Vec::with_capacity(batch.len());
                for path in batch {
                    let now = self.now();
                    let prepared = import::read_file(path).and_then(|bytes| {
                        let file_name = path
                            .file_name()
                            .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
                        import::prepare(&file_name, bytes, format)
                            .map_err(|reason| Error::Import { path: path.to_owned(), reason })
                    });
                    let prepared = match prepared {
                        Ok(prepared) => prepared,
                        Err(refused) => {
                            tracing::info!(category = refused.category(), "import refused");
                            outcomes.push(Err(refused));
                            continue;
                        }
                    };
                    // No savepoint per file: a refusal happens before anything is written,
                    // and FTS5 flushes its pending index at every savepoint, which would undo
                    // the point of batching. A database error ends the batch, unwritten.
                    outcomes.push(Ok(self.import_prepared_in(tx, &now, &prepared, None)?));
                }
                Ok(outcomes)
            })?;
            for (path, outcome) in batch.iter().zip(outcomes) {
                each(path, outcome);
            }
        }
        Ok(())
    }

    /// Every article, newest import first, with claim counts by status.
    pub fn articles(&self) -> Result<Vec<Article>> {
        self.store.read(articles::list)
    }

    /// `limit` articles from position `offset` of the list `articles` gives, and how many
    /// there are: what a window shows of a large library.
    pub fn article_page(&self, offset: u64, limit: usize) -> Result<Page<Article>> {
        self.store.read(|c| articles::page(c, offset, limit))
    }

    pub fn article(&self, id: i64) -> Result<Article> {
        self.store.read(|c| articles::get(c, id))
    }

    /// The article with its canonical text and live claims in reading order.
    pub fn article_detail(&self, id: i64) -> Result<ArticleDetail> {
        self.store.read(|conn| {
            let article = articles::get(conn, id)?;
            let text = articles::text(conn, id)?;
            let claims = claims::list(conn, ClaimFilter { article_id: Some(id), status: None })?;
            Ok(ArticleDetail { article, text, claims })
        })
    }

    /// The assistant's checks of one article: names and figures within it, its people's
    /// names against every other article, and its figures against the articles that name
    /// the same people.
    pub fn article_checks(&self, id: i64) -> Result<ArticleChecks> {
        // The first call reads every article (seconds at 100,000): aside, not in the way.
        self.store.read_aside(|conn| {
            let text = articles::text(conn, id)?;
            // Kept between calls: the app asks on every article it opens.
            self.index.with_fresh(conn, |index| Ok(index.checks(id, &text)))
        })
    }

    /// The checks of every article that has findings, in import order: the editor's view
    /// of which stories have a name or a figure to query.
    pub fn all_checks(&self) -> Result<Vec<ArticleFindings>> {
        self.store.read_aside(|conn| {
            self.index.with_fresh(conn, |index| {
                let mut found = Vec::new();
                articles::for_each_text_after(conn, 0, |id, title, text| {
                    let findings = index.checks(id, text).findings();
                    if !findings.is_empty() {
                        found.push(ArticleFindings { article_id: id, title: title.to_owned(), findings });
                    }
                })?;
                Ok(found)
            })
        })
    }

    /// The assistant's suggestions for an article, in reading order, without the ones a
    /// reporter dismissed.
    pub fn suggestions(&self, article_id: i64, min_score: f64) -> Result<Vec<Suggestion>> {
        if !(0.0..=1.0).contains(&min_score) {
            return Err(Error::invalid("min-score", format!("{min_score} is not between 0 and 1")));
        }
        let (text, dismissed) = self.store.read(|conn| {
            Ok((articles::text(conn, article_id)?, dismissed_suggestions::dismissed(conn, article_id)?))
        })?;
        let mut found = assist::suggest(&text, min_score);
        found.retain(|s| !dismissed.contains(&(s.start, s.end)));
        Ok(found)
    }

    /// Dismisses the suggestion at `start..end` (code points) of an article: it is not
    /// offered again, and the history records who dismissed it. Dismissing twice is
    /// harmless and records nothing the second time.
    pub fn dismiss_suggestion(&self, article_id: i64, start: usize, end: usize) -> Result<()> {
        let now = self.now();
        self.store.write(|tx| {
            let text = articles::text(tx, article_id)?;
            // Only what the assistant suggests (at any score) can be dismissed, as only that
            // can be accepted: not an arbitrary span.
            if !assist::suggest(&text, 0.0).iter().any(|s| s.start == start && s.end == end) {
                return Err(Error::invalid(
                    "suggestion",
                    format!("no suggestion at {start}..{end} in article {article_id}"),
                ));
            }
            let quote = anchor_span(&text, start, end).map_err(|problem| Error::Anchor { article_id, problem })?.quote;
            if dismissed_suggestions::dismiss(tx, article_id, start, end, &now, &self.actor)? {
                let dismissed = SuggestionDismissed { start, end, quote };
                self.record(tx, &now, Subject::Article(article_id), Event::SuggestionDismissed(dismissed))?;
            }
            Ok(())
        })
    }

    // ----- claims ---------------------------------------------------------------------

    pub fn add_claim(&self, new: NewClaim) -> Result<Claim> {
        self.add_claim_from(new, None)
    }

    /// Flags the assistant's suggestion at `start..end` (code points) as a claim, its
    /// claimant prefilled from the attribution, and records in the history that the claim
    /// came from a suggestion, with its score and reasons.
    pub fn accept_suggestion(&self, article_id: i64, start: usize, end: usize) -> Result<Claim> {
        let text = self.store.read(|conn| articles::text(conn, article_id))?;
        let suggestion =
            assist::suggest(&text, 0.0).into_iter().find(|s| s.start == start && s.end == end).ok_or_else(|| {
                Error::invalid("suggestion", format!("no suggestion at {start}..{end} in article {article_id}"))
            })?;
        let reasons = suggestion.reasons.iter().map(|r| r.to_string()).collect();
        let origin = SuggestionOrigin { score: suggestion.score, reasons };
        let target = ClaimTarget::Span { start, end };
        self.add_claim_from(NewClaim { article_id, target, claimant: suggestion.claimant, note: None }, Some(origin))
    }

    /// Adds a claim; `suggested` (score and reasons) when it was a suggestion accepted.
    fn add_claim_from(&self, new: NewClaim, suggested: Option<SuggestionOrigin>) -> Result<Claim> {
        let now = self.now();
        let claimant = fields::CLAIMANT.check(new.claimant)?;
        let note = fields::NOTE.check(new.note)?;
        let id = self.store.write(|tx| {
            let text = articles::text(tx, new.article_id)?;
            let anchor = match &new.target {
                ClaimTarget::Quote { quote, occurrence } => anchor_quote(&text, quote, *occurrence),
                ClaimTarget::Span { start, end } => anchor_span(&text, *start, *end),
            }
            .map_err(|problem| Error::Anchor { article_id: new.article_id, problem })?;
            let id = claims::insert(tx, new.article_id, &anchor, claimant.as_deref(), note.as_deref(), &now)?;
            let flagged = ClaimFlagged {
                quote: anchor.quote,
                start: anchor.start,
                end: anchor.end,
                claimant: claimant.clone(),
                note: note.clone(),
                suggested,
            };
            let subject = Subject::Claim { article_id: new.article_id, claim_id: id };
            self.record(tx, &now, subject, Event::ClaimFlagged(flagged))?;
            Ok(id)
        })?;
        self.claim(id)
    }

    /// A live claim with its evidence and warnings.
    pub fn claim(&self, id: i64) -> Result<Claim> {
        self.store.read(|c| claims::get_live(c, id))
    }

    /// Live claims, optionally of one article and/or one status.
    pub fn claims(&self, article_id: Option<i64>, status: Option<Status>) -> Result<Vec<Claim>> {
        self.store.read(|conn| {
            if let Some(id) = article_id {
                articles::get(conn, id)?;
            }
            claims::list(conn, ClaimFilter { article_id, status })
        })
    }

    /// The claims board: `limit` live claims (of one status, or all) from position
    /// `offset`, newest flagged first, with their articles' titles and how many there are.
    pub fn claim_page(&self, status: Option<Status>, offset: u64, limit: usize) -> Result<Page<BoardClaim>> {
        self.store.read(|c| claims::page(c, status, offset, limit))
    }

    /// Sets a claim's status; `note` (the rationale) replaces the claim's note when given.
    /// Setting the status it already has, with no note, changes nothing.
    pub fn set_status(&self, claim_id: i64, status: Status, note: Option<String>) -> Result<Claim> {
        let now = self.now();
        let note = fields::NOTE.check(note)?;
        self.store.write(|tx| self.set_status_in(tx, &now, claim_id, status, note, None))?;
        self.claim(claim_id)
    }

    /// `set_status` inside a transaction; `undoes` names the event it takes back.
    pub(crate) fn set_status_in(
        &self,
        tx: &Transaction,
        now: &str,
        claim_id: i64,
        status: Status,
        note: Option<String>,
        undoes: Option<i64>,
    ) -> Result<()> {
        let old = live_claim_row(tx, claim_id)?;
        self.set_status_of(tx, now, old, status, note, undoes)
    }

    /// [`Library::set_status_in`] for a claim already read in this transaction.
    pub(crate) fn set_status_of(
        &self,
        tx: &Transaction,
        now: &str,
        old: Claim,
        status: Status,
        note: Option<String>,
        undoes: Option<i64>,
    ) -> Result<()> {
        let claim_id = old.id;
        if old.status == status && note.is_none() {
            return Ok(());
        }
        claims::set_status(tx, claim_id, old.status, status, note.as_deref(), now)?;
        if self.replaying.lock().unwrap_or_else(|p| p.into_inner()).is_none() {
            let decision = crate::model::ContestDecision {
                author: self.actor.clone(),
                at: now.to_owned(),
                from: old.status,
                to: status,
                note: note.clone(),
            };
            crate::store::team::on_local_status(tx, claim_id, decision)?;
        }
        let changed = ClaimStatusChanged { from: old.status, to: status, note, undoes };
        self.record(tx, now, subject_of(&old), Event::ClaimStatusChanged(changed))
    }

    /// An editor signs off a claim's current status (`approve`) or sends it back
    /// (`reject`), with an optional note. In a shared workspace only an editor may.
    pub fn review_claim(&self, claim_id: i64, decision: ReviewDecision, note: Option<String>) -> Result<Claim> {
        let now = self.now();
        let note = fields::NOTE.check(note)?;
        self.store.write(|tx| {
            if let Some(link) = crate::store::team::link(tx)?.filter(|l| l.role != "editor") {
                return Err(Error::invalid(
                    "review",
                    format!("only an editor signs off claims in {:?}; you are a {}", link.workspace, link.role),
                ));
            }
            let claim = live_claim_row(tx, claim_id)?;
            let reviewed = crate::events::ClaimReviewed { decision, status: claim.status, note };
            self.record(tx, &now, subject_of(&claim), Event::ClaimReviewed(reviewed))
        })?;
        self.claim(claim_id)
    }

    /// Gives an article (all its claims not assigned one by one) or one claim to a member
    /// to check; `to: None` takes it back. Assigning to whoever has it already changes nothing.
    pub fn assign(&self, article_id: i64, claim_id: Option<i64>, to: Option<String>) -> Result<Option<String>> {
        let now = self.now();
        let to = fields::ACTOR.check(to)?;
        self.store.write(|tx| {
            let subject = match claim_id {
                Some(claim_id) => subject_of(&live_claim_row(tx, claim_id)?),
                None => Subject::Article(articles::get(tx, article_id)?.id),
            };
            let article_id = subject.article_id().unwrap_or(article_id);
            let from = history::claim_marks(tx, article_id)?.assignee(subject.claim_id());
            if from == to {
                return Ok(());
            }
            self.record(tx, &now, subject, Event::Assigned(crate::events::Assigned { from, to: to.clone() }))
        })?;
        Ok(to)
    }

    /// The desk's sign-off rule: with `required`, reports count a decided claim as decided
    /// only once an editor signed it off. In a shared workspace only an editor sets it.
    pub fn require_review(&self, required: bool) -> Result<()> {
        let now = self.now();
        self.store.write(|tx| {
            if let Some(link) = crate::store::team::link(tx)?.filter(|l| l.role != "editor") {
                return Err(Error::invalid(
                    "review",
                    format!("only an editor sets the sign-off rule of {:?}", link.workspace),
                ));
            }
            if history::review_required(tx)? == required {
                return Ok(());
            }
            self.record(tx, &now, Subject::Library, Event::ReviewRequired(crate::events::ReviewRequired { required }))
        })
    }

    pub fn review_required(&self) -> Result<bool> {
        self.store.read(history::review_required)
    }

    pub fn edit_claim(&self, claim_id: i64, edit: ClaimEdit) -> Result<Claim> {
        let now = self.now();
        self.store.write(|tx| self.edit_claim_in(tx, &now, claim_id, edit, None))?;
        self.claim(claim_id)
    }

    /// `edit_claim` inside a transaction; `undoes` names the event it takes back.
    pub(crate) fn edit_claim_in(
        &self,
        tx: &Transaction,
        now: &str,
        claim_id: i64,
        edit: ClaimEdit,
        undoes: Option<i64>,
    ) -> Result<()> {
        let old = live_claim_row(tx, claim_id)?;
        let claimant = match edit.claimant {
            Some(claimant) => fields::CLAIMANT.check(Some(claimant))?,
            None => old.claimant.clone(),
        };
        let note = match edit.note {
            Some(note) => fields::NOTE.check(Some(note))?,
            None => old.note.clone(),
        };
        let changed = |from: &Option<String>, to: &Option<String>| {
            (from != to).then(|| Change { from: from.clone(), to: to.clone() })
        };
        let edited =
            ClaimEdited { claimant: changed(&old.claimant, &claimant), note: changed(&old.note, &note), undoes };
        if edited.is_empty() {
            return Ok(());
        }
        claims::set_claimant_and_note(tx, claim_id, claimant.as_deref(), note.as_deref(), now)?;
        self.record(tx, now, subject_of(&old), Event::ClaimEdited(edited))
    }

    /// Hides a claim from lists, search and reports; its row and history stay.
    pub fn remove_claim(&self, claim_id: i64, note: Option<String>) -> Result<()> {
        let now = self.now();
        let note = fields::NOTE.check(note)?;
        self.store.write(|tx| self.remove_claim_in(tx, &now, claim_id, note, None))
    }

    /// `remove_claim` inside a transaction; `undoes` names the event it takes back.
    pub(crate) fn remove_claim_in(
        &self,
        tx: &Transaction,
        now: &str,
        claim_id: i64,
        note: Option<String>,
        undoes: Option<i64>,
    ) -> Result<()> {
        let claim = live_claim_row(tx, claim_id)?;
        claims::mark_removed(tx, &claim, now)?;
        let subject = subject_of(&claim);
        let removed = ClaimRemoved { quote: claim.quote, status: claim.status, note, undoes };
        self.record(tx, now, subject, Event::ClaimRemoved(removed))
    }

    // ----- evidence and sources -------------------------------------------------------

    pub fn add_evidence(&self, new: NewEvidence) -> Result<Evidence> {
        self.add_evidence_with(new, None)
    }

    /// Adds evidence with a capture of its page or a file, all in one transaction: a
    /// failure leaves neither the link nor its attachment.
    pub fn add_evidence_with(&self, new: NewEvidence, attachment: Option<Attachment>) -> Result<Evidence> {
        let now = self.now();
        let excerpt = fields::EXCERPT.check(new.excerpt)?;
        let attachment = attachment.map(Attachment::checked).transpose()?;
        let evidence_id = self.store.write(|tx| {
            let claim = live_claim_row(tx, new.claim_id)?;
            let (source, source_created) = self.resolve_source(tx, &new.source, new.reliability, &now)?;
            let source = match new.reliability {
                Some(grade) if !source_created && source.reliability != Some(grade) => {
                    sources::set_reliability(tx, source.id, grade)?;
                    let graded = SourceGraded { source_id: source.id, from: source.reliability, to: grade };
                    self.record(tx, &now, Subject::Library, Event::SourceGraded(graded))?;
                    SourceRef { reliability: Some(grade), ..source }
                }
                _ => source,
            };
            let id = sources::insert_evidence(
                tx,
                claim.id,
                source.id,
                new.stance,
                new.credibility,
                excerpt.as_deref(),
                &now,
            )?;
            let added = EvidenceAdded {
                evidence_id: id,
                source,
                source_created,
                stance: new.stance,
                credibility: new.credibility,
                excerpt: excerpt.clone(),
            };
            self.record(tx, &now, subject_of(&claim), Event::EvidenceAdded(added))?;
            if let Some(attachment) = &attachment {
                self.attach_in(tx, &now, &claim, id, attachment)?;
            }
            Ok(id)
        })?;
        self.store.read(|c| sources::get_evidence(c, evidence_id)).map(|(e, _)| e)
    }

    /// Finds or creates the source an evidence link points at; true when created.
    fn resolve_source(
        &self,
        tx: &Transaction,
        choice: &SourceChoice,
        reliability: Option<Reliability>,
        now: &str,
    ) -> Result<(SourceRef, bool)> {
        match choice {
            SourceChoice::Existing(id) => Ok((sources::get(tx, *id)?, false)),
            SourceChoice::Described { title, url, kind } => {
                let url = url.as_deref().map(str::trim).filter(|u| !u.is_empty()).map(validate_url).transpose()?;
                let key = url.as_deref().map(normalize_url);
                if let Some(existing) = key.as_deref().map(|k| sources::find_by_url_key(tx, k)).transpose()?.flatten() {
                    return Ok((existing, false));
                }
                let Some(title) = fields::SOURCE_TITLE.check(Some(title.clone()))? else {
                    return Err(Error::invalid("title", "a new source needs a title"));
                };
                let kind = kind.unwrap_or(if url.is_some() { SourceKind::WebPage } else { SourceKind::Document });
                let url_and_key = url.as_deref().zip(key.as_deref());
                Ok((sources::insert(tx, &title, url_and_key, kind, reliability, now)?, true))
            }
        }
    }

    /// Hides an evidence link; the row and its history stay.
    pub fn remove_evidence(&self, evidence_id: i64, note: Option<String>) -> Result<()> {
        let now = self.now();
        let note = fields::NOTE.check(note)?;
        self.store.write(|tx| self.remove_evidence_in(tx, &now, evidence_id, note, None))
    }

    /// `remove_evidence` inside a transaction; `undoes` names the event it takes back.
    pub(crate) fn remove_evidence_in(
        &self,
        tx: &Transaction,
        now: &str,
        evidence_id: i64,
        note: Option<String>,
        undoes: Option<i64>,
    ) -> Result<()> {
        let (evidence, removed) = sources::get_evidence(tx, evidence_id)?;
        if removed {
            return Err(Error::EvidenceRemoved(evidence_id));
        }
        let claim = live_claim_row(tx, evidence.claim_id)?;
        sources::mark_evidence_removed(tx, evidence_id, now)?;
        let removed =
            EvidenceRemoved { evidence_id, source_id: evidence.source.id, stance: evidence.stance, note, undoes };
        self.record(tx, now, subject_of(&claim), Event::EvidenceRemoved(removed))
    }

    /// The web address of a live evidence link's source, checked: what "open in the
    /// browser" may open (the app looks it up by id, never takes a URL from the webview).
    pub fn evidence_link(&self, evidence_id: i64) -> Result<String> {
        let (evidence, removed) = self.store.read(|c| sources::get_evidence(c, evidence_id))?;
        if removed {
            return Err(Error::EvidenceRemoved(evidence_id));
        }
        let url = evidence
            .source
            .url
            .ok_or_else(|| Error::invalid("url", format!("evidence {evidence_id}'s source has no web address")))?;
        validate_url(&url)
    }

    pub fn sources(&self) -> Result<Vec<Source>> {
        self.store.read(sources::list)
    }

    // ----- history and search ---------------------------------------------------------

    /// The whole history, or one claim's, oldest first.
    pub fn history(&self, claim_id: Option<i64>) -> Result<Vec<HistoryEvent>> {
        self.store.read(|conn| {
            if let Some(id) = claim_id {
                claims::get_row(conn, id)?;
            }
            history::list(conn, claim_id)
        })
    }

    /// Recomputes the history's hash chain.
    pub fn verify(&self) -> Result<Verification> {
        self.store.read(history::verify)
    }

    /// Problems with the file itself, one line each (empty when sound): SQLite's integrity
    /// check, the search index against the rows, every article's bytes against their
    /// SHA-256. `verify` reports these beside the hash chain. Runs in a write transaction
    /// that changes nothing (FTS5's check is an INSERT command).
    pub fn file_problems(&self) -> Result<FileCheck> {
        // A read-only file cannot take the write lock: check it in a read, which runs
        // everything but FTS5's check (said so in `not_checked`).
        match self.store.write(|tx| Ok(integrity::file_problems(tx))) {
            Err(Error::Sqlite(rusqlite::Error::SqliteFailure(failure, _)))
                if failure.code == rusqlite::ErrorCode::ReadOnly =>
            {
                self.store.read(|conn| Ok(integrity::file_problems(conn)))
            }
            other => other,
        }
    }

    /// The event whose hash is `head` (a head copied from a report or the app earlier), if
    /// this history holds it. With `verify`, this is what tells a rewritten history from
    /// an intact one: whoever rewrites an event must recompute every later hash, so an
    /// old head kept elsewhere is no longer in the chain.
    pub fn find_head(&self, head: &str) -> Result<Option<i64>> {
        let head = head.trim().to_ascii_lowercase();
        if head.len() != 64 || !head.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Error::invalid("expect", "a history head is 64 hexadecimal characters, as `verify` prints it"));
        }
        if head == crate::history::GENESIS_HASH {
            return Ok(Some(0));
        }
        self.store.read(|conn| history::event_with_hash(conn, &head))
    }

    /// The head the library recorded with its last change (not recomputed: `verify` does
    /// that), for the app to show.
    pub fn recorded_head(&self) -> Result<ChainHead> {
        self.store.read(history::head)
    }

    /// Full-text search over articles and claim quotes.
    pub fn search(&self, query: &str) -> Result<Vec<SearchHit>> {
        if query.chars().count() > MAX_QUERY_CHARS {
            return Err(Error::invalid("query", format!("longer than {MAX_QUERY_CHARS} characters")));
        }
        self.store.read(|c| search::search(c, query, SEARCH_LIMIT))
    }

    /// One page of every match of `query`: articles ranked first, then claims, `limit`
    /// from position `offset`, with how many of each match.
    pub fn search_page(&self, query: &str, offset: u64, limit: usize) -> Result<SearchResults> {
        if query.chars().count() > MAX_QUERY_CHARS {
            return Err(Error::invalid("query", format!("longer than {MAX_QUERY_CHARS} characters")));
        }
        self.store.read(|c| search::page(c, query, offset, limit))
    }

    // ----- reports --------------------------------------------------------------------

    /// Writes a verification report to `out`, article by article. Reads one consistent
    /// snapshot; writes nothing to the library.
    pub fn write_report(&self, request: &ReportRequest, out: &mut dyn std::io::Write) -> Result<ReportSummary> {
        self.store.read_aside(|conn| crate::report::write_report(conn, request, out, &self.index))
    }

    /// Writes a report to the file at `path`, all or nothing: it is written beside the
    /// target under a temporary name and renamed into place only when complete, so a
    /// failure never leaves a truncated report (or clobbers an older one).
    pub fn save_report(&self, request: &ReportRequest, path: &Path) -> Result<ReportSummary> {
        crate::report::save_atomically(path, |out| self.write_report(request, out))
    }

    /// Appends `event` to the history, in the caller's transaction, as this library's actor.
    pub(crate) fn record(&self, tx: &Transaction, at: &str, subject: Subject, event: Event) -> Result<()> {
        let kind = event.kind();
        let mut replaying = self.replaying.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if replaying.is_none() {
            // In a shared workspace, this desk does only what its member's role allows
            // (the hub would refuse the rest, and with it every later change).
            crate::store::team::check_role(tx, kind)?;
        }
        let actor = replaying.as_ref().map_or(self.actor.as_str(), |r| r.author.as_str());
        let recorded = history::append(tx, NewEvent { at, actor, subject, event })?;
        if let Some(replaying) = replaying.as_mut() {
            replaying.recorded = Some(recorded);
        }
        // Ids and kinds only: the event's wording may quote the article.
        tracing::info!(event = recorded, %kind, article = ?subject.article_id(), claim = ?subject.claim_id(), "history event appended");
        Ok(())
    }
}

/// Shared ids (team sync) and the kind and local id of the row each names.
pub(crate) type SharedIds = std::collections::HashMap<String, (&'static str, i64)>;

/// Another member's event being replayed: its author, and the history event it became.
pub(crate) struct Replaying {
    pub author: String,
    pub recorded: Option<i64>,
}

pub(crate) fn subject_of(claim: &Claim) -> Subject {
    Subject::Claim { article_id: claim.article_id, claim_id: claim.id }
}

pub(crate) fn live_claim_row(tx: &Transaction, claim_id: i64) -> Result<Claim> {
    let row = claims::get_row(tx, claim_id)?;
    if row.removed {
        return Err(Error::ClaimRemoved(claim_id));
    }
    Ok(row.claim)
}
