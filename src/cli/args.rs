//! The command line as `PRODUCT.md` specifies it, declared with clap. Values are parsed
//! with the core's own parsers, so a bad status or grade is a usage error (exit 2).

use std::path::PathBuf;
use std::str::FromStr;

use clap::{Args, Parser, Subcommand};
use factdesk_core::report::GeneratedAt;
use factdesk_core::{Credibility, Format, Reliability, ReportFormat, SourceKind, Stance, Status};

#[derive(Debug, Parser)]
#[command(
    name = "factdesk",
    version,
    about = "Read articles, flag their claims, attach evidence, and keep a verifiable record",
    after_help = "The library is one SQLite file, shared with the Factdesk app. Exit status: 0 success, 1 failure, 2 bad usage."
)]
pub struct Cli {
    /// Library file [default: library.sqlite in the platform data folder]
    #[arg(long, global = true, env = "FACTDESK_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Who makes the changes, as recorded in the history [default: the OS user name]
    #[arg(long, global = true, env = "FACTDESK_ACTOR", value_name = "NAME")]
    pub actor: Option<String>,

    /// Log what happens, with its context, to stderr (attach it to a bug report)
    #[arg(long, global = true)]
    pub verbose: bool,

    #[command(flatten)]
    pub fetch: FetchArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// How far fetching a web page may go (`import URL`, `evidence add --capture`).
#[derive(Debug, Args)]
pub struct FetchArgs {
    /// Let fetches reach loopback, private and link-local addresses (an intranet)
    #[arg(long, global = true, env = "FACTDESK_ALLOW_PRIVATE_NETWORK")]
    pub allow_private_network: bool,

    /// Let fetches reach this one private address and port (HOST:PORT), and no other
    #[arg(
        long = "allow-address",
        global = true,
        env = "FACTDESK_ALLOW_ADDRESSES",
        value_delimiter = ',',
        value_name = "IP:PORT"
    )]
    pub allow_addresses: Vec<std::net::SocketAddr>,

    /// Give up on a page after this many seconds, redirects and body included
    #[arg(long, global = true, default_value_t = 60, env = "FACTDESK_FETCH_TIMEOUT", value_parser = clap::value_parser!(u64).range(1..=600), value_name = "SECONDS")]
    pub timeout: u64,
}

#[derive(Debug, Args)]
pub struct Json {
    /// Print one JSON document instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import articles from files (text, Markdown, HTML) or web pages (http/https URLs,
    /// fetched and kept as snapshots); the same bytes twice are one article
    Import {
        #[arg(required = true, value_name = "FILE|URL")]
        files: Vec<String>,
        /// How to read the files
        #[arg(long, default_value = "auto", value_parser = core_value::<Format>, value_name = "auto|text|markdown|html")]
        format: Format,
        /// Make the (one) file or page the newest version of this article; its claims follow
        #[arg(long, value_name = "ARTICLE", conflicts_with = "new")]
        update: Option<i64>,
        /// A separate article even if one with the same URL is in the library (by default
        /// an import with an article's URL becomes its newest version)
        #[arg(long)]
        new: bool,
        #[command(flatten)]
        json: Json,
    },
    /// Fetch web-imported articles again; a changed text becomes a new version
    Refresh {
        #[arg(value_name = "ARTICLE", required = true)]
        articles: Vec<i64>,
        #[command(flatten)]
        json: Json,
    },
    /// List an article's versions
    Versions {
        #[arg(value_name = "ARTICLE")]
        article: i64,
        #[command(flatten)]
        json: Json,
    },
    /// What changed between two versions of an article, word by word [default: the last two]
    Diff {
        #[arg(value_name = "ARTICLE")]
        article: i64,
        #[arg(value_name = "FROM", requires = "to")]
        from: Option<u32>,
        #[arg(value_name = "TO")]
        to: Option<u32>,
        #[command(flatten)]
        json: Json,
    },
    /// Write a consistent copy of the library to PATH (a new file), taken while others may
    /// be writing, and check it
    Backup {
        #[arg(value_name = "PATH")]
        path: PathBuf,
        #[command(flatten)]
        json: Json,
    },
    /// Replace the library with the backup at PATH, if it verifies; the current library is
    /// kept beside it (close the app first)
    Restore {
        #[arg(value_name = "PATH")]
        path: PathBuf,
        #[command(flatten)]
        json: Json,
    },
    /// Take back your last change (a flag, a status, an edit, evidence added, a dismissal) with a new
    /// event; the history keeps both
    Undo {
        #[command(flatten)]
        json: Json,
    },
    /// List the articles in the library
    Articles {
        #[command(flatten)]
        json: Json,
    },
    /// Show an article's metadata, text and claims
    Show {
        #[arg(value_name = "ARTICLE")]
        article: i64,
        #[command(flatten)]
        json: Json,
    },
    /// Flag, decide, edit, remove and list claims
    #[command(subcommand)]
    Claim(ClaimCommand),
    /// Attach evidence to claims, or remove it
    #[command(subcommand)]
    Evidence(EvidenceCommand),
    /// List the source library
    Sources {
        #[command(flatten)]
        json: Json,
    },
    /// Show the history of every change, or of one claim
    History {
        #[arg(value_name = "CLAIM")]
        claim: Option<i64>,
        #[command(flatten)]
        json: Json,
    },
    /// Link this library to a team hub's workspace with a one-time token (from `factdesk
    /// hub invite`), then upload its history and pull the workspace's
    Join {
        #[arg(value_name = "HUB_URL")]
        hub: String,
        #[arg(long, value_name = "TOKEN")]
        token: String,
        /// What the hub calls this device [default: the library file's name]
        #[arg(long, value_name = "NAME")]
        device_name: Option<String>,
        #[command(flatten)]
        json: Json,
    },
    /// Push this library's new events to its hub, then pull and replay the other members'
    Sync {
        /// Only say where sync stands (nothing is sent)
        #[arg(long)]
        status: bool,
        #[command(flatten)]
        json: Json,
    },
    /// The desk's sign-off rule: with `on`, reports count a decided claim as decided only
    /// once an editor signed it off (`claim review CLAIM approve`); an editor's setting
    RequireReview {
        #[arg(value_parser = ["on", "off"], value_name = "on|off")]
        rule: String,
    },
    /// Give an article (its claims not assigned one by one) or a claim to a member to check
    Assign {
        #[arg(value_name = "ARTICLE", required_unless_present = "claim", conflicts_with = "claim")]
        article: Option<i64>,
        #[arg(long, value_name = "CLAIM")]
        claim: Option<i64>,
        #[arg(long, value_name = "MEMBER", required_unless_present = "nobody")]
        to: Option<String>,
        /// Take it back: assigned to nobody
        #[arg(long, conflicts_with = "to")]
        nobody: bool,
        #[command(flatten)]
        json: Json,
    },
    /// Run a team hub: one workspace's history shared through PostgreSQL
    #[command(subcommand)]
    Hub(HubCommand),
    /// Recompute the history's hash chain; exits 1 naming the first event that does not match
    Verify {
        /// A head kept elsewhere (from a report, an email, the app): fail unless this
        /// history still contains it
        #[arg(long, value_name = "HEAD")]
        expect: Option<String>,
        #[command(flatten)]
        json: Json,
    },
    /// Write a verification report for articles (or the whole library)
    Report {
        #[arg(value_name = "ARTICLE", required_unless_present = "all", conflicts_with = "all")]
        articles: Vec<i64>,
        /// Report on every article in the library
        #[arg(long)]
        all: bool,
        #[arg(long, default_value = "html", value_parser = core_value::<ReportFormat>, value_name = "html|md|json|csv|claimreview")]
        format: ReportFormat,
        /// Only claims with this status
        #[arg(long, value_parser = core_value::<Status>, value_name = "STATUS")]
        status: Option<Status>,
        /// Write to this file (all or nothing) instead of stdout
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
        /// The generation time the report states, RFC 3339 [default: now]
        #[arg(long, env = "FACTDESK_NOW", value_parser = core_value::<GeneratedAt>, value_name = "TIME")]
        now: Option<GeneratedAt>,
        /// The organization named as author of ClaimReview [default: the actor, as a person]
        #[arg(long, env = "FACTDESK_ORGANIZATION", value_name = "NAME")]
        organization: Option<String>,
    },
    /// List the captured pages: of imported articles and of evidence
    Snapshots {
        #[command(flatten)]
        json: Json,
    },
    /// Write every snapshot behind some articles (their pages and their evidence's pages)
    /// as one standard WARC file, a gzip member per record
    Archive {
        #[arg(value_name = "ARTICLE", required_unless_present = "all", conflicts_with = "all")]
        articles: Vec<i64>,
        /// Every snapshot of every article
        #[arg(long)]
        all: bool,
        /// The file to write (all or nothing), conventionally NAME.warc.gz
        #[arg(long, short = 'o', value_name = "FILE")]
        output: PathBuf,
    },
    /// Suggest the sentences of an article most worth checking, with the reasons
    Suggest {
        #[arg(value_name = "ARTICLE")]
        article: i64,
        /// Lowest check-worthiness score to list, 0 to 1 [default: the trained threshold]
        #[arg(long, value_name = "X")]
        min_score: Option<f64>,
        #[command(flatten)]
        json: Json,
    },
    /// Names spelled two ways and figures that disagree, in an article and across the library
    Checks {
        #[arg(value_name = "ARTICLE", required_unless_present = "all", conflicts_with = "all")]
        article: Option<i64>,
        /// Every article that has something to check
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        json: Json,
    },
    /// Full-text search over article titles, text and claim quotes
    Search {
        #[arg(value_name = "QUERY", required = true, num_args = 1..)]
        query: Vec<String>,
        #[command(flatten)]
        json: Json,
    },
}

#[derive(Debug, Subcommand)]
pub enum ClaimCommand {
    /// Flag a claim: an exact quote from the article's text
    Add {
        #[arg(value_name = "ARTICLE")]
        article: i64,
        /// The exact words, as they appear in the article
        #[arg(long)]
        quote: String,
        /// Which occurrence to flag when the quote appears more than once (1-based)
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        occurrence: Option<u32>,
        /// Who made the claim
        #[arg(long, value_name = "NAME")]
        claimant: Option<String>,
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        #[command(flatten)]
        json: Json,
    },
    /// Set a claim's status: unreviewed, confirmed, unconfirmed, disputed or false
    Status {
        #[arg(value_name = "CLAIM")]
        claim: i64,
        #[arg(value_parser = core_value::<Status>, value_name = "STATUS")]
        status: Status,
        /// The rationale for the decision
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        #[command(flatten)]
        json: Json,
    },
    /// Sign off a claim's current status (approve) or send it back (reject); an editor's
    /// part in a shared workspace
    Review {
        #[arg(value_name = "CLAIM")]
        claim: i64,
        #[arg(value_parser = core_value::<factdesk_core::ReviewDecision>, value_name = "approve|reject")]
        decision: factdesk_core::ReviewDecision,
        /// Why
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        #[command(flatten)]
        json: Json,
    },
    /// Change a claim's claimant or note (an empty value clears it)
    Edit {
        #[arg(value_name = "CLAIM")]
        claim: i64,
        #[arg(long, value_name = "NAME")]
        claimant: Option<String>,
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        #[command(flatten)]
        json: Json,
    },
    /// Remove a claim from lists and reports (its history stays)
    Remove {
        #[arg(value_name = "CLAIM")]
        claim: i64,
        /// Why it was removed
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
    },
    /// Place a claim that changed or lost its passage in a new version: accept the
    /// proposed span, or give the quote
    Anchor {
        #[arg(value_name = "CLAIM")]
        claim: i64,
        /// Take the span proposed when the article changed
        #[arg(long, required_unless_present = "quote", conflicts_with = "quote")]
        accept: bool,
        /// The exact words in the newest version of the article
        #[arg(long)]
        quote: Option<String>,
        /// Which occurrence, when the quote appears more than once (1-based)
        #[arg(long, value_name = "N", requires = "quote", value_parser = clap::value_parser!(u32).range(1..))]
        occurrence: Option<u32>,
        #[command(flatten)]
        json: Json,
    },
    /// List claims, across the library or in one article
    List {
        #[arg(long, value_name = "ARTICLE")]
        article: Option<i64>,
        #[arg(long, value_parser = core_value::<Status>, value_name = "STATUS")]
        status: Option<Status>,
        /// Only the claims assigned to this member (their own assignment, or their article's)
        #[arg(long, value_name = "MEMBER")]
        assigned_to: Option<String>,
        /// Only the claims members decided differently, until an editor settles them
        #[arg(long)]
        contested: bool,
        #[command(flatten)]
        json: Json,
    },
}

#[derive(Debug, Subcommand)]
pub enum EvidenceCommand {
    /// Link a source to a claim; a source with the same URL is reused
    Add {
        #[arg(value_name = "CLAIM")]
        claim: i64,
        /// The source's title (not needed with --source)
        #[arg(long, required_unless_present = "source", value_name = "TEXT")]
        title: Option<String>,
        #[arg(long, value_name = "URL", conflicts_with = "source")]
        url: Option<String>,
        /// web_page, document, person, official_statement, media_report or dataset
        #[arg(long, value_parser = core_value::<SourceKind>, value_name = "KIND", conflicts_with = "source")]
        kind: Option<SourceKind>,
        /// Reuse a source from the library by its id
        #[arg(long, value_name = "SOURCE")]
        source: Option<i64>,
        /// supports, refutes or context
        #[arg(long, default_value = "supports", value_parser = core_value::<Stance>, value_name = "STANCE")]
        stance: Stance,
        /// Source reliability, A (reliable) to E (unreliable), F (cannot be judged)
        #[arg(long, value_parser = core_value::<Reliability>, value_name = "A-F")]
        reliability: Option<Reliability>,
        /// Information credibility, 1 (confirmed) to 5 (improbable), 6 (cannot be judged)
        #[arg(long, value_parser = core_value::<Credibility>, value_name = "1-6")]
        credibility: Option<Credibility>,
        /// The passage of the source that bears on the claim
        #[arg(long, value_name = "TEXT")]
        excerpt: Option<String>,
        /// Fetch the --url page now and keep it byte for byte with the evidence
        #[arg(long, requires = "url", conflicts_with = "file")]
        capture: bool,
        /// Keep this document (PDF, image, spreadsheet; up to 100 MiB) with the evidence
        #[arg(long, value_name = "PATH")]
        file: Option<PathBuf>,
        #[command(flatten)]
        json: Json,
    },
    /// Fetch an evidence link's page again and keep it as a new snapshot
    Capture {
        #[arg(value_name = "EVIDENCE")]
        evidence: i64,
        #[command(flatten)]
        json: Json,
    },
    /// Remove an evidence link (its history stays)
    Remove {
        #[arg(value_name = "EVIDENCE")]
        evidence: i64,
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
    },
}

/// Parses with the core's `FromStr`, whose message names the accepted values.
fn core_value<T>(s: &str) -> Result<T, String>
where
    T: FromStr<Err = factdesk_core::Error>,
{
    s.parse::<T>().map_err(|e| match e {
        factdesk_core::Error::InvalidInput { message, .. } => message,
        other => other.to_string(),
    })
}

impl Command {
    /// Whether the command only reads: then a missing library file is an error (a
    /// mistyped `--db`), never a new empty library.
    pub fn only_reads(&self) -> bool {
        match self {
            Command::Import { .. }
            | Command::Evidence(_)
            | Command::Restore { .. }
            | Command::Undo { .. }
            | Command::Refresh { .. }
            | Command::Hub(_)
            | Command::Join { .. }
            | Command::Assign { .. }
            | Command::RequireReview { .. }
            | Command::Sync { .. } => false,
            Command::Claim(command) => matches!(command, ClaimCommand::List { .. }),
            _ => true,
        }
    }
}

/// `factdesk hub …`: the server side of a shared workspace. The database is PostgreSQL's,
/// as a URL (`postgres://user@host:port/database`); no library file is opened.
#[derive(Debug, Subcommand)]
pub enum HubCommand {
    /// Create the hub's tables in the database, or bring them up to date
    Init {
        #[arg(long, env = "FACTDESK_HUB_DATABASE", value_name = "URL")]
        database: String,
    },
    /// Serve the hub on ADDR until stopped (prints the address it listens on)
    Serve {
        #[arg(long, env = "FACTDESK_HUB_DATABASE", value_name = "URL")]
        database: String,
        /// Where to listen, e.g. 127.0.0.1:8440 (port 0: any free port)
        #[arg(long, value_name = "ADDR")]
        listen: std::net::SocketAddr,
        /// TLS certificate chain (PEM), for serving beyond loopback
        #[arg(long, value_name = "FILE", requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// TLS private key (PEM)
        #[arg(long, value_name = "FILE", requires = "tls_cert")]
        tls_key: Option<PathBuf>,
    },
    /// Add a member to a workspace (both made if new) and print their one-time join token
    Invite {
        #[arg(long, env = "FACTDESK_HUB_DATABASE", value_name = "URL")]
        database: String,
        #[arg(long, value_name = "NAME")]
        workspace: String,
        #[arg(long, value_name = "NAME")]
        member: String,
        #[arg(long, value_parser = core_value::<factdesk_core::events::Role>, value_name = "reporter|checker|editor")]
        role: factdesk_core::events::Role,
    },
    /// Revoke every device of a member: their tokens stop working at once
    Revoke {
        #[arg(long, env = "FACTDESK_HUB_DATABASE", value_name = "URL")]
        database: String,
        #[arg(long, value_name = "NAME")]
        workspace: String,
        #[arg(long, value_name = "NAME")]
        member: String,
    },
}
