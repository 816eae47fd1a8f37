//! Team sync, the library's side (issue 17): the link to a hub workspace; this library's
//! own events made ready to travel (local ids replaced by ids every desktop shares); and
//! other members' events replayed into this file, each as one local history event under
//! its author's name, in the hub's order, with the hub's chain kept and checked. The
//! network and the signatures are the hub crate's; nothing here opens a socket.
//!
//! Status changes two members made from the same earlier state make the claim contested:
//! both decisions are kept until an editor sets its status.

use rusqlite::Transaction;
use serde_json::{json, Map, Value};

use crate::anchor::{anchor_quote, anchor_span};
use crate::events::{
    ArticleImported, ClaimEdited, ClaimFlagged, ClaimRemoved, ClaimReviewed, ClaimStatusChanged, Event, EventKind,
    EvidenceAdded, EvidenceRemoved, FileAttached, SnapshotCaptured, SourceGraded, Subject,
};
use crate::fields;
use crate::history::hub_hash;
use crate::import::{self, Format};
use crate::library::{live_claim_row, ClaimEdit, Library, Replaying, SharedIds};
use crate::model::{Applied, BoardClaim, ContestDecision, Page, TeamLink, TeamList, TeamStatus};
use crate::snapshot::{readable_text, Capture};
use crate::store::batch::Batch;
use crate::store::captures::{NewSnapshot, SnapshotOwner};
use crate::store::team::{self as rows, PulledRow};
use crate::store::{articles, claims, sources};
use crate::url::{normalize_url, validate_url};
use crate::{Error, Result};

/// Payload keys that hold a local id, and the kind of row each names.
const ID_KEYS: &[(&str, &str, char)] = &[
    ("evidence_id", "evidence", 'e'),
    ("source_id", "source", 's'),
    ("snapshot_id", "snapshot", 'p'),
    ("file_id", "file", 'f'),
];

/// A local event ready to travel: ids replaced by the ones every desktop shares.
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    pub history_id: i64,
    /// Unique across devices: the device's short id and the local event id.
    pub event_id: String,
    pub at: String,
    pub kind: EventKind,
    pub subject: Value,
    pub payload: Value,
    /// The bytes the event carries to other desktops, by SHA-256 ([`carried_bytes`]).
    pub bytes_sha256: Option<String>,
}

/// A page of this library's own events, ready to travel.
#[derive(Debug, Clone, PartialEq)]
pub struct OutgoingPage {
    pub events: Vec<Outgoing>,
    /// The newest local history event the page looked at (`after` when there were none):
    /// once the hub has the page, the library is pushed through it.
    pub through: i64,
}

/// An event pulled from the hub, its seal already checked by the caller.
#[derive(Debug, Clone, PartialEq)]
pub struct Pulled {
    pub seq: i64,
    pub hub_hash: String,
    pub event_id: String,
    pub hash: String,
    /// Made by this device (already in the local history).
    pub mine: bool,
    pub author: String,
    pub author_role: String,
    pub at: String,
    pub kind: EventKind,
    pub subject: Value,
    pub payload: Value,
    /// The envelope as the hub sent it, kept as it is.
    pub envelope: String,
    /// The article bytes an import needs.
    pub bytes: Option<Vec<u8>>,
}

impl Library {
    pub fn team_link(&self) -> Result<Option<TeamLink>> {
        self.store.read(rows::link)
    }

    /// Links this library to a workspace; a library joins one workspace, once.
    pub fn link_team(&self, link: &TeamLink) -> Result<()> {
        self.store.write(|tx| {
            if let Some(existing) = rows::link(tx)? {
                return Err(Error::invalid(
                    "join",
                    format!(
                        "this library already belongs to the workspace {:?} at {}",
                        existing.workspace, existing.hub_url
                    ),
                ));
            }
            rows::insert_link(tx, link)
        })
    }

    pub fn team_status(&self) -> Result<TeamStatus> {
        self.store.read(|conn| {
            let link = rows::link(conn)?;
            let waiting = match &link {
                Some(link) => rows::count_unpushed(conn, link.pushed_through, &link.role)?,
                None => 0,
            };
            Ok(TeamStatus {
                link,
                waiting,
                not_replayed: rows::not_replayed(conn)?,
                contested: rows::contested_count(conn)?,
            })
        })
    }

    /// Up to `limit` of this library's own events after local history event `after`,
    /// oldest first, with shared ids (given now to rows that had none); `device` is the
    /// device's short id. Events made before joining that the member's role does not share
    /// stay here (a page may hold none of them, yet move `through` on). Nothing is marked
    /// pushed: the caller marks each page ([`Library::team_pushed`]) in order, once the hub
    /// has it, so pages can be read ahead of the one in flight.
    pub fn team_outgoing(&self, device: &str, after: i64, limit: usize) -> Result<OutgoingPage> {
        self.store.write(|tx| {
            let link = rows::link(tx)?.ok_or_else(not_linked)?;
            let pushable = rows::pushable_kinds(&link.role)?;
            let scanned = rows::unpushed(tx, after, limit)?;
            let through = scanned.last().map_or(after, |row| row.id);
            let mut events = Vec::new();
            for row in scanned {
                if !pushable.contains(&row.kind.as_str()) {
                    continue;
                }
                let kind: EventKind = row.kind.parse()?;
                let mut payload: Value = serde_json::from_str(&row.payload)
                    .map_err(|e| Error::Corrupt(format!("history event {}: {e}", row.id)))?;
                let bytes_sha256 = carried_bytes(kind, &payload).map(str::to_owned);
                let article = match row.article_id {
                    Some(id) if kind == EventKind::ArticleImported => {
                        let uid = format!("a-{}", bytes_sha256.as_deref().unwrap_or_default());
                        rows::map(tx, &uid, "article", id)?;
                        Some(uid)
                    }
                    Some(id) => Some(shared_id(tx, device, "article", 'a', id)?),
                    None => None,
                };
                let claim = row.claim_id.map(|id| shared_id(tx, device, "claim", 'c', id)).transpose()?;
                outgoing_payload(tx, device, &mut payload)?;
                events.push(Outgoing {
                    history_id: row.id,
                    event_id: format!("{device}-{}", row.id),
                    at: row.at,
                    kind,
                    subject: json!({ "article": article, "claim": claim, "actor": row.actor }),
                    payload,
                    bytes_sha256,
                });
            }
            Ok(OutgoingPage { events, through })
        })
    }

    /// Records that the hub has this library's events up to `through` (those it was not
    /// to have included); `device_head` is the hash of the newest envelope sent, if any.
    pub fn team_pushed(&self, through: i64, device_head: Option<&str>) -> Result<()> {
        self.store.write(|tx| match device_head {
            Some(head) => rows::set_pushed(tx, through, head),
            None => rows::set_pushed_through(tx, through),
        })
    }

    /// The bytes an event of `kind` carries, by their SHA-256 ([`carried_bytes`]): an
    /// article's original bytes (the current or an older version's), an evidence file's,
    /// or a captured page's records.
    pub fn carried_bytes(&self, kind: EventKind, sha256: &str) -> Result<Option<Vec<u8>>> {
        self.store.read(|conn| match kind {
            EventKind::ArticleImported => rows::article_bytes(conn, sha256),
            EventKind::FileAttached => crate::store::captures::file_bytes(conn, sha256),
            EventKind::SnapshotCaptured => crate::store::captures::warc_by_sha256(conn, sha256),
            _ => Ok(None),
        })
    }

    /// A page of one of a shared desk's board lists, newest flagged first, and how many it
    /// has. Found from the history's assignments and reviews and from the contests
    /// (`store::board`), not by reading every claim.
    pub fn team_board(&self, list: TeamList<'_>, offset: u64, limit: usize) -> Result<Page<BoardClaim>> {
        self.store.read(|conn| {
            let (total, ids) = match list {
                TeamList::AssignedTo(member) => {
                    page_of(crate::store::board::assigned_ids(conn, member)?, offset, limit)
                }
                TeamList::Contested => page_of(crate::store::board::contested_ids(conn)?, offset, limit),
                TeamList::WaitingForReview => crate::store::board::waiting_for_review(conn, offset, limit)?,
            };
            Ok(Page { total, offset, rows: claims::board_rows(conn, ids)? })
        })
    }

    /// A claim's contest: the decisions that disagree, until an editor settles it.
    pub fn contest(&self, claim_id: i64) -> Result<Option<Vec<ContestDecision>>> {
        self.store.read(|conn| rows::contest(conn, claim_id))
    }

    /// Applies pulled events in the hub's order, all in one transaction: each must
    /// continue the hub chain from where this library stopped, or nothing is written.
    /// Others' events are replayed; this device's own are noted in the hub's order.
    pub fn team_apply(&self, pulled: &[Pulled]) -> Result<Applied> {
        // The shared ids earlier pages found, out of the lock while the page applies (the
        // store serializes writes); this page's join them once it is kept.
        let (mut known_through, mut known) =
            std::mem::take(&mut *self.shared_ids.lock().unwrap_or_else(|p| p.into_inner()));
        let no_ids = SharedIds::new();
        let kept = self.store.write(|tx| {
            let link = rows::link(tx)?.ok_or_else(not_linked)?;
            // The file is not where the remembered ids left it (a backup put back under an
            // open library, say): they are read again.
            let stale = link.pulled_seq != known_through;
            let known = if stale { &no_ids } else { &known };
            let (mut seq, mut head) = (link.pulled_seq, link.hub_head.clone());
            for event in pulled {
                if event.seq != seq + 1 || hub_hash(&head, event.seq, &event.hash) != event.hub_hash {
                    return Err(Error::Team(format!(
                        "the hub's event {} does not continue the hub chain this library holds (at {seq}); nothing was applied",
                        event.seq
                    )));
                }
                (seq, head) = (event.seq, event.hub_hash.clone());
            }
            // The page under one savepoint first; an event that cannot apply here sends it
            // back to be replayed event by event, each in a savepoint of its own. (A
            // savepoint per event makes SQLite's full-text index flush each time: most of
            // a long replay's cost.) Under the page's savepoint, the history's head and the
            // lists' lengths are held in memory and written once at its end.
            tx.execute_batch("SAVEPOINT page")?;
            let batch = Batch::begin();
            let kept = match self.apply_events(tx, pulled, Isolation::Page, known)? {
                Some(kept) => {
                    keep(tx, batch)?;
                    tx.execute_batch("RELEASE page")?;
                    kept
                }
                None => {
                    drop(batch);
                    tx.execute_batch("ROLLBACK TO page; RELEASE page")?;
                    self.apply_events(tx, pulled, Isolation::Event, known)?
                        .ok_or_else(|| Error::Corrupt("a pulled event failed in its own savepoint".into()))?
                }
            };
            rows::set_pulled(tx, seq, &head)?;
            Ok((kept, stale, seq))
        });
        let applied = kept.map(|((applied, new_ids), stale, through)| {
            // A bound on the memory a very long history takes: past it, ids are read again.
            if stale || known.len() + new_ids.len() > MAX_KNOWN_IDS {
                known.clear();
            }
            known.extend(new_ids);
            known_through = through;
            applied
        });
        *self.shared_ids.lock().unwrap_or_else(|p| p.into_inner()) = (known_through, known);
        applied
    }

    /// Applies `pulled` (its hub chain already checked); `None` when, under one savepoint
    /// for the page, an event could not apply and the page must be applied event by event.
    fn apply_events(
        &self,
        tx: &Transaction,
        pulled: &[Pulled],
        isolation: Isolation,
        known: &SharedIds,
    ) -> Result<Option<(Applied, SharedIds)>> {
        let mut applied = Applied::default();
        let mut page = PageState { known, article_text: None, new_ids: SharedIds::new(), event_ids: SharedIds::new() };
        for event in pulled {
            let history_id = if event.mine {
                applied.own += 1;
                own_history_id(&event.event_id)
            } else {
                let Replay::Done(replayed) = self.replay(tx, event, isolation, &mut applied, &mut page)? else {
                    return Ok(None);
                };
                match replayed {
                    Some(_) => applied.replayed += 1,
                    None => applied.not_replayed += 1,
                }
                replayed
            };
            rows::insert_pulled(
                tx,
                &PulledRow {
                    seq: event.seq,
                    id: &event.event_id,
                    hash: &event.hash,
                    hub_hash: &event.hub_hash,
                    author: &event.author,
                    kind: event.kind.as_str(),
                    history_id,
                    envelope: &event.envelope,
                },
            )?;
        }
        Ok(Some((applied, page.new_ids)))
    }

    /// Replays one event of another member under their name: the local history event it
    /// became, or `None` when this release does not replay its kind (or it cannot apply
    /// here: the article's bytes did not come). The event is kept either way.
    fn replay(
        &self,
        tx: &Transaction,
        event: &Pulled,
        isolation: Isolation,
        applied: &mut Applied,
        page: &mut PageState,
    ) -> Result<Replay> {
        let writes_before = tx.total_changes();
        // Event by event, each replay in a savepoint: an event that cannot apply here (its
        // quote is not in our text, a field breaks our limits) leaves nothing behind and is
        // kept unreplayed, instead of stopping every later event. A database failure still
        // stops the page.
        if isolation == Isolation::Event {
            tx.execute_batch("SAVEPOINT replay")?;
        }
        *self.replaying.lock().unwrap_or_else(|p| p.into_inner()) =
            Some(Replaying { author: event.author.clone(), recorded: None });
        let mut contested = 0;
        let outcome = self.replay_kind(tx, event, &mut contested, page);
        let recorded = self.replaying.lock().unwrap_or_else(|p| p.into_inner()).take().and_then(|r| r.recorded);
        let done = match outcome {
            Ok(done) => done,
            Err(error @ (Error::Sqlite(_) | Error::Corrupt(_))) => {
                if isolation == Isolation::Event {
                    tx.execute_batch("ROLLBACK TO replay; RELEASE replay")?;
                }
                return Err(error);
            }
            Err(_) if isolation == Isolation::Page => return Ok(Replay::AgainAlone),
            Err(error) => {
                tracing::warn!(
                    category = error.category(),
                    seq = event.seq,
                    "a pulled event could not be replayed here"
                );
                false
            }
        };
        // The ids an event that is not kept found or mapped may name rows rolled back.
        page.end_event(done);
        if !done {
            return match isolation {
                // Not replayed, but something was written first: only a savepoint undoes it.
                Isolation::Page if tx.total_changes() != writes_before => Ok(Replay::AgainAlone),
                Isolation::Page => Ok(Replay::Done(None)),
                Isolation::Event => {
                    tx.execute_batch("ROLLBACK TO replay; RELEASE replay")?;
                    Ok(Replay::Done(None))
                }
            };
        }
        if isolation == Isolation::Event {
            tx.execute_batch("RELEASE replay")?;
        }
        applied.contested += contested;
        Ok(Replay::Done(recorded))
    }

    fn replay_kind(&self, tx: &Transaction, event: &Pulled, contested: &mut u64, page: &mut PageState) -> Result<bool> {
        let at = event.at.as_str();
        let payload = &event.payload;
        match event.kind {
            EventKind::ArticleImported => self.replay_import(tx, event, page),
            EventKind::ClaimFlagged => self.replay_flag(tx, event, page),
            EventKind::ClaimStatusChanged => {
                let Some(claim_id) = page.local(tx, "claim", &event.subject["claim"])? else { return Ok(false) };
                self.replay_status(tx, event, claim_id, contested)?;
                Ok(true)
            }
            EventKind::ClaimEdited => {
                let Some(claim_id) = page.local(tx, "claim", &event.subject["claim"])? else { return Ok(false) };
                let edited: ClaimEdited = from_payload(payload)?;
                let edit = ClaimEdit {
                    claimant: edited.claimant.map(|c| c.to.unwrap_or_default()),
                    note: edited.note.map(|n| n.to.unwrap_or_default()),
                };
                self.edit_claim_in(tx, at, claim_id, edit, undone(tx, payload)?)?;
                Ok(true)
            }
            EventKind::ClaimRemoved => {
                let Some(claim_id) = page.local(tx, "claim", &event.subject["claim"])? else { return Ok(false) };
                let removed: ClaimRemoved = from_payload(payload)?;
                if live_claim_row(tx, claim_id).is_err() {
                    return Ok(false);
                }
                self.remove_claim_in(tx, at, claim_id, removed.note, undone(tx, payload)?)?;
                Ok(true)
            }
            EventKind::EvidenceAdded => {
                let Some(claim_id) = page.local(tx, "claim", &event.subject["claim"])? else { return Ok(false) };
                self.replay_evidence(tx, event, claim_id, page)
            }
            EventKind::Assigned => self.replay_assignment(tx, event, page),
            EventKind::FileAttached => self.replay_file(tx, event, page),
            EventKind::SnapshotCaptured => self.replay_snapshot(tx, event, page),
            EventKind::ReviewRequired => {
                let rule: crate::events::ReviewRequired = from_payload(payload)?;
                self.record(tx, at, Subject::Library, Event::ReviewRequired(rule))?;
                Ok(true)
            }
            EventKind::ClaimReviewed => {
                let Some(claim_id) = page.local(tx, "claim", &event.subject["claim"])? else { return Ok(false) };
                let reviewed: ClaimReviewed = from_payload(payload)?;
                let reviewed = ClaimReviewed { note: fields::NOTE.check(reviewed.note)?, ..reviewed };
                let claim = live_claim_row(tx, claim_id)?;
                self.record(tx, at, crate::library::subject_of(&claim), Event::ClaimReviewed(reviewed))?;
                Ok(true)
            }
            EventKind::EvidenceRemoved => {
                let Some(evidence_id) = page.local(tx, "evidence", &payload["evidence_id"])? else { return Ok(false) };
                let removed: EvidenceRemoved = from_payload(payload)?;
                self.remove_evidence_in(tx, at, evidence_id, removed.note, undone(tx, payload)?)?;
                Ok(true)
            }
            EventKind::SourceGraded => {
                let Some(source_id) = page.local(tx, "source", &payload["source_id"])? else { return Ok(false) };
                let graded: SourceGraded = from_payload(payload)?;
                let source = sources::get(tx, source_id)?;
                if source.reliability == Some(graded.to) {
                    return Ok(true);
                }
                sources::set_reliability(tx, source_id, graded.to)?;
                let graded = SourceGraded { source_id, from: source.reliability, to: graded.to };
                self.record(tx, at, Subject::Library, Event::SourceGraded(graded))?;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// A flag: anchored at its span when our text has the same words there, else by its
    /// quote (another release may have extracted the text a little differently).
    fn replay_flag(&self, tx: &Transaction, event: &Pulled, page: &mut PageState) -> Result<bool> {
        let (at, payload) = (event.at.as_str(), &event.payload);
        let Some(article_id) = page.local(tx, "article", &event.subject["article"])? else { return Ok(false) };
        let flagged: ClaimFlagged = from_payload(payload)?;
        // Another member's typed fields meet the same limits as ours (else: kept, not replayed).
        let flagged = ClaimFlagged {
            claimant: fields::CLAIMANT.check(flagged.claimant)?,
            note: fields::NOTE.check(flagged.note)?,
            ..flagged
        };
        let text = match &page.article_text {
            Some((id, text)) if *id == article_id => text,
            _ => &page.article_text.insert((article_id, articles::text(tx, article_id)?)).1,
        };
        let anchor = anchor_span(text, flagged.start, flagged.end)
            .ok()
            .filter(|a| a.quote == flagged.quote)
            .map_or_else(|| anchor_quote(text, &flagged.quote, None), Ok)
            .map_err(|problem| Error::Anchor { article_id, problem })?;
        let id = claims::insert(tx, article_id, &anchor, flagged.claimant.as_deref(), flagged.note.as_deref(), at)?;
        let flagged = ClaimFlagged { start: anchor.start, end: anchor.end, ..flagged };
        self.record(tx, at, Subject::Claim { article_id, claim_id: id }, Event::ClaimFlagged(flagged))?;
        page.map(tx, event.subject["claim"].as_str().unwrap_or_default(), "claim", id)?;
        Ok(true)
    }

    /// An assignment of a claim, or of an article (no claim in its subject).
    fn replay_assignment(&self, tx: &Transaction, event: &Pulled, page: &mut PageState) -> Result<bool> {
        let (at, payload) = (event.at.as_str(), &event.payload);
        let assigned: crate::events::Assigned = from_payload(payload)?;
        let assigned = crate::events::Assigned { to: fields::ACTOR.check(assigned.to)?, ..assigned };
        let subject = match page.local(tx, "claim", &event.subject["claim"])? {
            Some(claim_id) => crate::library::subject_of(&live_claim_row(tx, claim_id)?),
            None => match page.local(tx, "article", &event.subject["article"])? {
                Some(article_id) if event.subject["claim"].is_null() => Subject::Article(article_id),
                _ => return Ok(false),
            },
        };
        self.record(tx, at, subject, Event::Assigned(assigned))?;
        Ok(true)
    }

    /// Evidence another member linked: its source is the one the workspace already shares,
    /// else the one here with the same web address, else a new one; the link is new.
    fn replay_evidence(&self, tx: &Transaction, event: &Pulled, claim_id: i64, page: &mut PageState) -> Result<bool> {
        let (at, payload) = (event.at.as_str(), &event.payload);
        let added: EvidenceAdded = from_payload(payload)?;
        let excerpt = fields::EXCERPT.check(added.excerpt)?;
        let source_uid = payload["source"]["id"].as_str().unwrap_or_default();
        let (source, source_created) = match page.local(tx, "source", &payload["source"]["id"])? {
            Some(id) => (sources::get(tx, id)?, false),
            None => {
                let url = added.source.url.as_deref().and_then(|u| validate_url(u).ok());
                let key = url.as_deref().map(normalize_url);
                match key.as_deref().map(|k| sources::find_by_url_key(tx, k)).transpose()?.flatten() {
                    Some(existing) => (existing, false),
                    None => {
                        let Some(title) = fields::SOURCE_TITLE.check(Some(added.source.title.clone()))? else {
                            return Ok(false);
                        };
                        let url_and_key = url.as_deref().zip(key.as_deref());
                        (
                            sources::insert(tx, &title, url_and_key, added.source.kind, added.source.reliability, at)?,
                            true,
                        )
                    }
                }
            }
        };
        page.map(tx, source_uid, "source", source.id)?;
        let id =
            sources::insert_evidence(tx, claim_id, source.id, added.stance, added.credibility, excerpt.as_deref(), at)?;
        page.map(tx, payload["evidence_id"].as_str().unwrap_or_default(), "evidence", id)?;
        let claim = live_claim_row(tx, claim_id)?;
        let added = EvidenceAdded { evidence_id: id, source, source_created, excerpt, ..added };
        self.record(tx, at, crate::library::subject_of(&claim), Event::EvidenceAdded(added))?;
        Ok(true)
    }

    /// An import: the article's bytes came with the event; the same bytes already here are
    /// the same article.
    /// A file another member attached to evidence. Its bytes came with it (kept here only
    /// if they have the SHA-256 the event names); its media type is read from them here,
    /// never taken from the wire. Without the bytes (over the hub's limit) it is kept
    /// unreplayed.
    fn replay_file(&self, tx: &Transaction, event: &Pulled, page: &mut PageState) -> Result<bool> {
        let (at, payload) = (event.at.as_str(), &event.payload);
        let Some((evidence_id, claim)) = evidence_of_claim(tx, event, page)? else { return Ok(false) };
        let Some(bytes) = event.bytes.as_deref() else { return Ok(false) };
        let sent: FileAttached = from_payload(payload)?;
        if import::sha256_hex(bytes) != sent.sha256 || bytes.is_empty() {
            return Err(Error::Team("a file from the hub does not have the SHA-256 its event names".into()));
        }
        let name = crate::text::replace_unsafe_controls(sent.name.trim()).into_owned();
        let Some(name) = fields::FILE_NAME.check(Some(name))? else { return Ok(false) };
        let media_type = crate::snapshot::media_type_of(&name, bytes);
        let file_id = crate::store::captures::file_id(tx, &sent.sha256, media_type, bytes)?;
        crate::store::captures::attach_file(tx, evidence_id, file_id, &name)?;
        page.map(tx, payload["file_id"].as_str().unwrap_or_default(), "file", file_id)?;
        let attached = FileAttached {
            evidence_id,
            file_id,
            name,
            media_type: media_type.to_owned(),
            sha256: sent.sha256,
            bytes: bytes.len() as u64,
        };
        self.record(tx, at, crate::library::subject_of(&claim), Event::FileAttached(attached))?;
        Ok(true)
    }

    /// A page another member captured, of an article or for evidence. Its records came
    /// with it and are kept byte for byte if they hash as the event says; they are read
    /// here (the body unpacked again) for the page's text. Without them (over the hub's
    /// limit) the event is kept unreplayed.
    fn replay_snapshot(&self, tx: &Transaction, event: &Pulled, page: &mut PageState) -> Result<bool> {
        let (at, payload) = (event.at.as_str(), &event.payload);
        let (owner, subject) = match payload.get("evidence_id") {
            Some(evidence) if !evidence.is_null() => {
                let Some((evidence_id, claim)) = evidence_of_claim(tx, event, page)? else { return Ok(false) };
                (SnapshotOwner::Evidence(evidence_id), crate::library::subject_of(&claim))
            }
            _ => {
                let Some(article_id) = page.local(tx, "article", &event.subject["article"])? else { return Ok(false) };
                (SnapshotOwner::Article(article_id), Subject::Article(article_id))
            }
        };
        let Some(warc) = event.bytes.as_deref() else { return Ok(false) };
        let sent: SnapshotCaptured = from_payload(payload)?;
        // Pages are fetched from the web only; another scheme would open something else.
        validate_url(&sent.url)?;
        validate_url(&sent.final_url)?;
        let differs = || Error::Team("a captured page from the hub does not match its event".into());
        if import::sha256_hex(warc) != sent.warc_sha256 {
            return Err(differs());
        }
        let capture = Capture::from_warc(&sent.url, warc, import::MAX_IMPORT_BYTES)
            .map_err(|e| Error::Team(format!("a captured page from the hub cannot be read: {e}")))?;
        let sha256 = import::sha256_hex(&capture.payload);
        if (sha256.as_str(), capture.final_url.as_str(), capture.status) != (&sent.sha256, &sent.final_url, sent.status)
        {
            return Err(differs());
        }
        // An article's page is kept only beside the bytes it gave: a later version's page
        // waits, unreplayed, with that version (versions are not replayed yet). The same
        // page kept here already (this desk imported it too) is that page.
        if let SnapshotOwner::Article(article_id) = owner {
            if articles::get(tx, article_id)?.sha256 != import::sha256_hex(&capture.content) {
                return Ok(false);
            }
            if let Some(kept) = crate::store::captures::of_article(tx, article_id)?.filter(|k| k.sha256 == sha256) {
                page.map(tx, payload["snapshot_id"].as_str().unwrap_or_default(), "snapshot", kept.id)?;
                return Ok(true);
            }
        }
        let text = readable_text(&capture);
        let new = NewSnapshot {
            owner,
            capture: &capture,
            sha256: &sha256,
            warc,
            warc_sha256: &sent.warc_sha256,
            text: text.as_deref(),
        };
        let snapshot_id = crate::store::captures::insert_snapshot(tx, &new)?;
        page.map(tx, payload["snapshot_id"].as_str().unwrap_or_default(), "snapshot", snapshot_id)?;
        let evidence_id = match owner {
            SnapshotOwner::Evidence(id) => Some(id),
            SnapshotOwner::Article(_) => None,
        };
        let captured = SnapshotCaptured { snapshot_id, evidence_id, ..sent };
        self.record(tx, at, subject, Event::SnapshotCaptured(captured))?;
        Ok(true)
    }

    fn replay_import(&self, tx: &Transaction, event: &Pulled, page: &mut PageState) -> Result<bool> {
        let (at, payload) = (event.at.as_str(), &event.payload);
        let Some(bytes) = event.bytes.clone() else { return Ok(false) };
        let imported: ArticleImported = from_payload(payload)?;
        let format: Format = imported.format.parse()?;
        let prepared = import::prepare(&imported.file_name, bytes, format)
            .map_err(|reason| Error::Team(format!("an article from the hub was refused here: {reason}")))?;
        let uid = event.subject["article"].as_str().unwrap_or_default().to_owned();
        let id = match articles::find_by_sha256(tx, &prepared.sha256)? {
            Some(existing) => existing,
            None => {
                let id = articles::insert(tx, &prepared, at)?;
                self.record(tx, at, Subject::Article(id), Event::ArticleImported(imported))?;
                id
            }
        };
        page.map(tx, &uid, "article", id)?;
        Ok(true)
    }

    /// A status change; one made from a state the claim no longer has here starts a
    /// contest, and an editor's ends one.
    fn replay_status(&self, tx: &Transaction, event: &Pulled, claim_id: i64, contested: &mut u64) -> Result<()> {
        let (at, payload) = (event.at.as_str(), &event.payload);
        let change: ClaimStatusChanged = from_payload(payload)?;
        let change = ClaimStatusChanged { note: fields::NOTE.check(change.note)?, ..change };
        let current = live_claim_row(tx, claim_id)?;
        let decision = ContestDecision {
            author: event.author.clone(),
            at: event.at.clone(),
            from: change.from,
            to: change.to,
            note: change.note.clone(),
        };
        match rows::contest(tx, claim_id)? {
            Some(_) if event.author_role == "editor" => rows::settle(tx, claim_id)?,
            Some(mut decisions) => {
                decisions.push(decision);
                rows::set_contest(tx, claim_id, &decisions)?;
            }
            None if current.status != change.from => {
                let mine = last_decision(tx, claim_id, current.status)?;
                rows::set_contest(tx, claim_id, &[mine, decision])?;
                *contested += 1;
            }
            None => {}
        }
        let undoes = undone(tx, payload)?;
        self.set_status_of(tx, at, current, change.to, change.note, undoes)?;
        Ok(())
    }
}

/// How replayed events are kept apart: a page under one savepoint, or each event alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Isolation {
    Page,
    Event,
}

/// One replay's outcome: done (the history event it became, if any), or it failed under
/// the page's savepoint and must be tried again alone.
enum Replay {
    Done(Option<i64>),
    AgainAlone,
}

/// The SHA-256 of the bytes an event of `kind` carries to other desktops, beside it
/// (an event is small; these may not be): an import's article bytes, which the hub
/// requires with it, and an evidence file's or a captured page's records, which travel
/// when they fit the hub's limit.
pub fn carried_bytes(kind: EventKind, payload: &Value) -> Option<&str> {
    match kind {
        EventKind::ArticleImported | EventKind::FileAttached => payload["sha256"].as_str(),
        EventKind::SnapshotCaptured => payload["warc_sha256"].as_str(),
        _ => None,
    }
}

/// The evidence link a pulled event names and the claim it is about, here: `None` when
/// either is unknown, or the link is another claim's (the event contradicts itself).
fn evidence_of_claim(
    tx: &Transaction,
    event: &Pulled,
    page: &mut PageState,
) -> Result<Option<(i64, crate::model::Claim)>> {
    let Some(evidence_id) = page.local(tx, "evidence", &event.payload["evidence_id"])? else { return Ok(None) };
    let Some(claim_id) = page.local(tx, "claim", &event.subject["claim"])? else { return Ok(None) };
    if sources::get_evidence(tx, evidence_id)?.0.claim_id != claim_id {
        return Ok(None);
    }
    Ok(Some((evidence_id, live_claim_row(tx, claim_id)?)))
}

/// A whole list's length and its ids from `offset`.
fn page_of(ids: Vec<i64>, offset: u64, limit: usize) -> (u64, Vec<i64>) {
    (ids.len() as u64, ids.into_iter().skip(offset as usize).take(limit).collect())
}

/// Writes what a page's batch held: the history's head and the lists' lengths.
fn keep(tx: &Transaction, batch: Batch) -> Result<()> {
    let held = batch.finish();
    if let Some(head) = held.changed_head() {
        crate::store::history::write_head(tx, head)?;
    }
    for (list, delta) in held.count_changes() {
        crate::store::shared::write_count_change(tx, list, delta)?;
    }
    Ok(())
}

fn not_linked() -> Error {
    Error::invalid("sync", "this library is not linked to a team hub: run `factdesk join HUB_URL --token TOKEN` first")
}

/// The payload as its event type; `undoes` (a shared event id on the wire) is read
/// separately by [`undone`].
fn from_payload<T: serde::de::DeserializeOwned>(payload: &Value) -> Result<T> {
    let understood = |e: serde_json::Error| Error::Team(format!("an event from the hub is not understood: {e}"));
    let shared_ids = |object: &Map<String, Value>| {
        object.contains_key("undoes")
            || object.contains_key("source")
            || ID_KEYS.iter().any(|(key, _, _)| object.get(*key).is_some_and(Value::is_string))
    };
    // Most events (status changes, flags) name no shared id: read them where they are.
    if payload.as_object().is_some_and(|object| !shared_ids(object)) {
        return T::deserialize(payload).map_err(understood);
    }
    let mut payload = payload.clone();
    if let Some(object) = payload.as_object_mut() {
        object.remove("undoes");
        // Shared ids (strings on the wire) stand in for local ones: read separately.
        for (key, _, _) in ID_KEYS {
            if object.get(*key).is_some_and(Value::is_string) {
                object.insert((*key).to_owned(), json!(0));
            }
        }
        if let Some(Value::Object(source)) = object.get_mut("source") {
            source.insert("id".into(), json!(0));
        }
    }
    serde_json::from_value(payload).map_err(understood)
}

/// `device-123` → 123: the local history id inside one of our own event ids.
fn own_history_id(event_id: &str) -> Option<i64> {
    event_id.rsplit_once('-').and_then(|(_, id)| id.parse().ok())
}

/// What the replay of one page carries from event to event: the text of the last flag's
/// article (flags come article by article), and the shared ids it found or mapped.
struct PageState<'a> {
    /// Shared ids found or mapped by the pages of this library kept before this one: a
    /// fresh desk's status changes name claims its earlier pages flagged.
    known: &'a SharedIds,
    article_text: Option<(i64, String)>,
    /// Ids found or mapped in this page, known to later pages once it is kept.
    new_ids: SharedIds,
    /// Ids found or mapped by the event being replayed, kept with it.
    event_ids: SharedIds,
}

/// Shared ids a library keeps in memory between pulled pages (about 100 bytes each).
const MAX_KNOWN_IDS: usize = 1_000_000;

impl PageState<'_> {
    /// The local row a shared id names, if it is here.
    fn local(&mut self, tx: &Transaction, kind: &'static str, uid: &Value) -> Result<Option<i64>> {
        let Some(uid) = uid.as_str() else { return Ok(None) };
        if let Some(&(known_kind, id)) = self.find(uid) {
            return Ok((known_kind == kind).then_some(id));
        }
        let id = rows::local_of(tx, kind, uid)?;
        if let Some(id) = id {
            self.event_ids.insert(uid.to_owned(), (kind, id));
        }
        Ok(id)
    }

    fn find(&self, uid: &str) -> Option<&(&'static str, i64)> {
        self.known.get(uid).or_else(|| self.new_ids.get(uid)).or_else(|| self.event_ids.get(uid))
    }

    /// The replayed event is kept (`true`) or rolled back, and the ids it met with it.
    fn end_event(&mut self, kept: bool) {
        if kept {
            self.new_ids.extend(self.event_ids.drain());
        } else {
            self.event_ids.clear();
        }
    }

    /// Names a local row by a shared id (a row that has one keeps it).
    fn map(&mut self, tx: &Transaction, uid: &str, kind: &'static str, local_id: i64) -> Result<()> {
        if self.find(uid).is_some() {
            return Ok(());
        }
        let id = match rows::map(tx, uid, kind, local_id)? {
            true => Some(local_id),
            // The id named a row already: the file's is the one to remember.
            false => rows::local_of(tx, kind, uid)?,
        };
        if let Some(id) = id {
            self.event_ids.insert(uid.to_owned(), (kind, id));
        }
        Ok(())
    }
}

/// The shared id of a local row, made from the device's short id when it has none yet.
fn shared_id(tx: &Transaction, device: &str, kind: &str, letter: char, local_id: i64) -> Result<String> {
    if let Some(uid) = rows::uid_of(tx, kind, local_id)? {
        return Ok(uid);
    }
    let uid = format!("{device}-{letter}{local_id}");
    rows::map(tx, &uid, kind, local_id)?;
    Ok(uid)
}

/// Local ids in an outgoing payload become shared ids; `undoes` names the event id.
fn outgoing_payload(tx: &Transaction, device: &str, payload: &mut Value) -> Result<()> {
    let Some(object) = payload.as_object_mut() else { return Ok(()) };
    for (key, kind, letter) in ID_KEYS {
        if let Some(id) = object.get(*key).and_then(Value::as_i64) {
            object.insert((*key).to_owned(), Value::String(shared_id(tx, device, kind, *letter, id)?));
        }
    }
    if let Some(Value::Object(source)) = object.get_mut("source") {
        if let Some(id) = source.get("id").and_then(Value::as_i64) {
            source.insert("id".into(), Value::String(shared_id(tx, device, "source", 's', id)?));
        }
    }
    if let Some(id) = object.get("undoes").and_then(Value::as_i64) {
        let event = rows::event_of_history(tx, id)?.unwrap_or_else(|| format!("{device}-{id}"));
        object.insert("undoes".into(), Value::String(event));
    }
    Ok(())
}

/// The local history event an incoming `undoes` names.
fn undone(tx: &Transaction, payload: &Value) -> Result<Option<i64>> {
    match payload.get("undoes").and_then(Value::as_str) {
        Some(event) => rows::history_of_event(tx, event),
        None => Ok(None),
    }
}

/// The decision that gave a claim its current status: its newest status change here.
fn last_decision(tx: &Transaction, claim_id: i64, status: crate::model::Status) -> Result<ContestDecision> {
    // The author as the workspace knows them: a replayed event's author, else this
    // library's member (the local history may name the desktop's user instead).
    let row: Option<(String, String, String)> = tx
        .query_row(
            &format!(
                "SELECT {}, h.at, h.payload FROM history h
                  WHERE h.claim_id = ?1 AND h.kind = 'claim_status_changed' ORDER BY h.id DESC LIMIT 1",
                crate::store::history::WORKSPACE_AUTHOR
            ),
            [claim_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .map(Some)
        .or_else(|e| if e == rusqlite::Error::QueryReturnedNoRows { Ok(None) } else { Err(e) })?;
    let Some((author, at, payload)) = row else {
        return Ok(ContestDecision { author: String::new(), at: String::new(), from: status, to: status, note: None });
    };
    let change: ClaimStatusChanged = serde_json::from_str::<Map<String, Value>>(&payload)
        .ok()
        .and_then(|p| serde_json::from_value(Value::Object(p)).ok())
        .ok_or_else(|| Error::Corrupt(format!("claim {claim_id}'s status change")))?;
    Ok(ContestDecision { author, at, from: change.from, to: change.to, note: change.note })
}

#[cfg(test)]
mod tests {
    use crate::{ClaimTarget, Format, Library, NewClaim, Status, TeamLink};

    /// A reporter's library with work from before joining (an import, three flags, two
    /// status changes a reporter does not share), then linked.
    fn reporter_desk(folder: &std::path::Path) -> Library {
        let library = Library::open(&folder.join("desk.sqlite"), "rita").unwrap();
        let text =
            "The port handled 4.2 million tonnes. Officials counted 1,200 containers twice. The minister disagreed.";
        let article_id = library.import_bytes("a.txt", text.into(), Format::Text).unwrap().article().id;
        let flag = |quote: &str| {
            let target = ClaimTarget::Quote { quote: quote.into(), occurrence: None };
            library.add_claim(NewClaim { article_id, target, claimant: None, note: None }).unwrap().id
        };
        let (first, second) = (flag("4.2 million tonnes"), flag("1,200 containers"));
        flag("The minister disagreed");
        library.set_status(first, Status::Confirmed, None).unwrap();
        library.set_status(second, Status::False, None).unwrap();
        let link = TeamLink {
            hub_url: "http://127.0.0.1:1".into(),
            workspace: "metro".into(),
            member: "rita".into(),
            role: "reporter".into(),
            device_key: String::new(),
            device_token: String::new(),
            joined_at: "2026-12-03T00:00:00Z".into(),
            pushed_through: 0,
            device_head: None,
            pulled_seq: 0,
            hub_head: String::new(),
        };
        library.link_team(&link).unwrap();
        library
    }

    /// Pages are read ahead of the one on its way to the hub, so reading one marks nothing
    /// pushed: only the caller does, page by page. A page of events the member's role does
    /// not share moves on without events.
    #[test]
    fn outgoing_pages_are_read_ahead_and_marked_pushed_only_when_told() {
        let folder = tempfile::tempdir().unwrap();
        let library = reporter_desk(folder.path());
        let pushed = || library.team_link().unwrap().map(|l| (l.pushed_through, l.device_head)).unwrap();

        let first = library.team_outgoing("d1", 0, 2).unwrap();
        let second = library.team_outgoing("d1", first.through, 2).unwrap();
        let third = library.team_outgoing("d1", second.through, 2).unwrap();
        let end = library.team_outgoing("d1", third.through, 2).unwrap();
        let kinds = |page: &super::OutgoingPage| page.events.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>();
        assert_eq!(kinds(&first), ["article_imported", "claim_flagged"]);
        assert_eq!(kinds(&second), ["claim_flagged", "claim_flagged"]);
        assert!(third.events.is_empty() && third.through > second.through, "two status changes a reporter keeps");
        assert!(end.events.is_empty() && end.through == third.through, "nothing after");
        assert_eq!(pushed(), (0, None), "reading marks nothing");
        assert_eq!(library.team_status().unwrap().waiting, 4);

        library.team_pushed(first.through, Some("h1")).unwrap();
        assert_eq!(pushed(), (first.through, Some("h1".into())));
        library.team_pushed(second.through, Some("h2")).unwrap();
        library.team_pushed(third.through, None).unwrap();
        assert_eq!(pushed(), (third.through, Some("h2".into())), "a page without events keeps the chain's head");
        assert_eq!(library.team_status().unwrap().waiting, 0);
    }
}
