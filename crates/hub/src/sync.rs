//! A desktop's side of sharing a library: `join` (link the library to a workspace with a
//! new device key, then upload its history) and `sync` (push this library's new events,
//! sealed and chained, with the article bytes they need uploaded first; then pull the
//! workspace's events in the hub's order, check every envelope's hash and each device's
//! signed chain, and hand them to the library to replay, fetching the next page while the
//! library applies the last). Blocking; the CLI and the app's sync thread call it.

use std::collections::HashMap;

use factdesk_core::model::{Applied, TeamLink};
use factdesk_core::Pulled;
use factdesk_core::{carried_bytes, Error, Library};
use serde::Serialize;

use crate::client::HubClient;
use crate::envelope::{DeviceKey, Envelope, Unsealed};
use crate::store::{needed_blob, JoinRequest, MAX_BLOB_BYTES};
use crate::HubError;

/// Events sent in one push, and asked for in one pull: the first page of a sync, then (a
/// long pull) the rest, each applied in one transaction (the hub sends at most 5,000).
const PUSH_BATCH: usize = 500;
const PULL_BATCH: i64 = 2_000;
const BULK_PULL_BATCH: i64 = 5_000;

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SyncReport {
    /// This library's events the hub took (new to it).
    pub pushed: u64,
    /// The workspace's events pulled, this device's own included.
    pub pulled: u64,
    pub applied: Applied,
    /// Claims contested after this sync.
    pub contested: u64,
    /// Local events still waiting to be pushed (0 after a sync that reached the hub).
    pub waiting: u64,
}

fn team(error: HubError) -> Error {
    Error::Team(error.to_string())
}

/// Links `library` to the workspace an invitation is for, with a new device key, and
/// uploads its existing history (then pulls what the workspace already has).
pub fn join(library: &Library, hub_url: &str, token: &str, device_name: &str) -> Result<SyncReport, Error> {
    if let Some(link) = library.team_link()? {
        return Err(Error::InvalidInput {
            field: "join",
            message: format!("this library already belongs to the workspace {:?} at {}", link.workspace, link.hub_url),
        });
    }
    let key = DeviceKey::generate().map_err(team)?;
    let client = HubClient::new(hub_url);
    let membership = client
        .join(&JoinRequest {
            token: token.trim().to_owned(),
            public_key: key.public_hex(),
            device_name: device_name.into(),
        })
        .map_err(team)?;
    library.link_team(&TeamLink {
        hub_url: hub_url.trim_end_matches('/').to_owned(),
        workspace: membership.workspace,
        member: membership.member,
        role: membership.role.as_str().to_owned(),
        device_key: key.secret_hex(),
        device_token: membership.device_token,
        joined_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        pushed_through: 0,
        device_head: None,
        pulled_seq: 0,
        hub_head: String::new(),
    })?;
    sync(library)
}

/// Pushes, then pulls. Safe to repeat at any point: an event the hub already has is not
/// stored twice, and pulled events apply only in order.
pub fn sync(library: &Library) -> Result<SyncReport, Error> {
    let link = library.team_link()?.ok_or_else(|| Error::InvalidInput {
        field: "sync",
        message: "this library is not linked to a team hub: run `factdesk join HUB_URL --token TOKEN` first".into(),
    })?;
    let key = DeviceKey::from_hex(&link.device_key).map_err(team)?;
    let client = HubClient::new(&link.hub_url);
    let mut report = SyncReport { pushed: push(library, &client, &link, &key)?, ..SyncReport::default() };
    pull(library, &client, &link.device_token, &key, &mut report)?;
    let status = library.team_status()?;
    report.contested = status.contested;
    report.waiting = status.waiting;
    Ok(report)
}

/// Pushes this library's events not on the hub yet, a page at a time, each marked pushed
/// once the hub has it. The next page is read, its bytes uploaded and its envelopes
/// sealed on a second thread while the hub takes the one before (at most one waits).
fn push(library: &Library, client: &HubClient, link: &TeamLink, key: &DeviceKey) -> Result<u64, Error> {
    std::thread::scope(|scope| {
        let (ready, pages) = std::sync::mpsc::sync_channel(1);
        scope.spawn(move || seal_pages(library, client, link, key, &ready));
        let mut pushed = 0;
        // A failed push drops `pages`, and the sealing thread stops at its next send.
        for page in pages {
            let page: Sealed = page?;
            if !page.envelopes.is_empty() {
                pushed += client.push(&link.device_token, &page.envelopes).map_err(team)?.accepted as u64;
            }
            library.team_pushed(page.through, page.head.as_deref())?;
        }
        Ok(pushed)
    })
}

/// A page of envelopes ready for the hub, the bytes they need already there.
struct Sealed {
    envelopes: Vec<Envelope>,
    /// The local history event the library is pushed through once the hub has the page.
    through: i64,
    /// The hash of the page's newest envelope (the device's chain head after it).
    head: Option<String>,
}

fn seal_pages(
    library: &Library,
    client: &HubClient,
    link: &TeamLink,
    key: &DeviceKey,
    ready: &std::sync::mpsc::SyncSender<Result<Sealed, Error>>,
) {
    let device = key.short_id();
    let (mut after, mut prev) = (link.pushed_through, link.device_head.clone());
    loop {
        match seal_page(library, client, link, key, &device, after, &mut prev) {
            Ok(page) if page.through == after => return,
            Ok(page) => {
                after = page.through;
                if ready.send(Ok(page)).is_err() {
                    return;
                }
            }
            Err(error) => {
                let _ = ready.send(Err(error));
                return;
            }
        }
    }
}

fn seal_page(
    library: &Library,
    client: &HubClient,
    link: &TeamLink,
    key: &DeviceKey,
    device: &str,
    after: i64,
    prev: &mut Option<String>,
) -> Result<Sealed, Error> {
    let page = library.team_outgoing(device, after, PUSH_BATCH)?;
    let mut envelopes = Vec::with_capacity(page.events.len());
    for event in page.events {
        if let Some(sha256) = &event.bytes_sha256 {
            let bytes = library
                .carried_bytes(event.kind, sha256)?
                .ok_or_else(|| Error::Corrupt(format!("the bytes {sha256} are not in the library")))?;
            // An evidence file or page over the hub's limit stays on this desk; its event
            // travels, and other desks keep it unreplayed. (Imports fit: same limit.)
            if bytes.len() <= MAX_BLOB_BYTES {
                client.put_blob(&link.device_token, sha256, &bytes).map_err(team)?;
            } else {
                tracing::info!(bytes = bytes.len(), "bytes over the hub's limit were not uploaded");
            }
        }
        let envelope = key.seal(Unsealed {
            id: event.event_id,
            author: link.member.clone(),
            at: event.at,
            kind: event.kind,
            subject: event.subject,
            payload: event.payload,
            prev: prev.clone(),
        });
        *prev = Some(envelope.hash.clone());
        envelopes.push(envelope);
    }
    Ok(Sealed { envelopes, through: page.through, head: prev.clone() })
}

/// Pulls the workspace's events after those this library holds, and applies them. A
/// short pull (the usual sync: under a page) is one transaction, synced at its commit. A
/// long one runs in the library's bulk mode, synced once at its end, with a second thread
/// fetching, checking and readying the next page while this one applies the last
/// (network and hashing beside SQLite's writes) and a third copying the log back.
fn pull(
    library: &Library,
    client: &HubClient,
    token: &str,
    key: &DeviceKey,
    report: &mut SyncReport,
) -> Result<(), Error> {
    let me = key.public_hex();
    let after = library.team_link()?.map_or(0, |l| l.pulled_seq);
    let mut heads = DeviceHeads::new();
    let first = fetch_page(client, token, &me, after, PULL_BATCH, &mut heads)?;
    let Some(last) = first.last().map(|p| p.seq) else { return Ok(()) };
    if (first.len() as i64) < PULL_BATCH {
        return apply_page(library, &first, report);
    }
    library.bulk(|library| {
        std::thread::scope(|scope| {
            // One page waits ready while another is applied.
            let (ready, pages) = std::sync::mpsc::sync_channel(1);
            scope.spawn(move || fetch_pages(client, token, &me, last, heads, &ready));
            // Each applied page goes to a third thread, which frees it (thousands of small
            // allocations) and copies the log back to the file.
            let (applied_page, applied_pages) = std::sync::mpsc::channel::<Vec<Pulled>>();
            scope.spawn(move || {
                while applied_pages.recv().is_ok() {
                    while applied_pages.try_recv().is_ok() {}
                    if let Err(error) = library.checkpoint_aside() {
                        tracing::warn!(category = error.category(), "a checkpoint beside the pull failed");
                    }
                }
            });
            // A failed page drops `pages`, and the fetcher stops at its next send.
            for page in std::iter::once(Ok(first)).chain(pages) {
                let page = page?;
                apply_page(library, &page, report)?;
                let _ = applied_page.send(page);
            }
            Ok(())
        })
    })
}

fn apply_page(library: &Library, pulled: &[Pulled], report: &mut SyncReport) -> Result<(), Error> {
    report.pulled += pulled.len() as u64;
    let applied = library.team_apply(pulled)?;
    report.applied.replayed += applied.replayed;
    report.applied.own += applied.own;
    report.applied.not_replayed += applied.not_replayed;
    report.applied.contested += applied.contested;
    Ok(())
}

/// Sends the pages after `after`, checked and with the article bytes they need, until the
/// hub has no more, the first failure, or the receiver is gone.
fn fetch_pages(
    client: &HubClient,
    token: &str,
    me: &str,
    mut after: i64,
    mut heads: DeviceHeads,
    ready: &std::sync::mpsc::SyncSender<Result<Vec<Pulled>, Error>>,
) {
    loop {
        let page = fetch_page(client, token, me, after, BULK_PULL_BATCH, &mut heads);
        let next = match &page {
            Ok(pulled) if pulled.is_empty() => return,
            Ok(pulled) => pulled.last().map(|p| p.seq),
            Err(_) => None,
        };
        if ready.send(page).is_err() {
            return;
        }
        match next {
            Some(seq) => after = seq,
            None => return,
        }
    }
}

/// One page of the hub's order after `after` (empty at the end), every seal checked.
fn fetch_page(
    client: &HubClient,
    token: &str,
    me: &str,
    after: i64,
    limit: i64,
    heads: &mut DeviceHeads,
) -> Result<Vec<Pulled>, Error> {
    let ordered = client.pull(token, after, limit).map_err(team)?;
    check_seals(&ordered, heads).map_err(team)?;
    let mut pulled = Vec::with_capacity(ordered.len());
    for item in ordered {
        let mine = item.envelope.device == me;
        let bytes = match carried_bytes(item.envelope.kind, &item.envelope.payload) {
            Some(sha256) if !mine => match client.get_blob(token, sha256) {
                Ok(bytes) => Some(bytes),
                // Only an import's bytes must be there (the hub checks on push); a file's
                // may have been too large to send.
                Err(HubError::NotFound(_)) if needed_blob(&item.envelope).is_none() => None,
                Err(error) => return Err(team(error)),
            },
            _ => None,
        };
        let envelope = serde_json::to_string(&item.envelope).map_err(|e| Error::Corrupt(e.to_string()))?;
        pulled.push(Pulled {
            seq: item.seq,
            hub_hash: item.hub_hash,
            event_id: item.envelope.id,
            hash: item.envelope.hash,
            mine,
            author: item.envelope.author,
            author_role: item.author_role.as_str().to_owned(),
            at: item.envelope.at,
            kind: item.envelope.kind,
            subject: item.envelope.subject,
            payload: item.envelope.payload,
            envelope,
            bytes,
        });
    }
    Ok(pulled)
}

/// Checks a page of envelopes: every envelope's hash against its content,
/// and each device's envelopes as one chain signed at its end. Envelopes of one device
/// must link by `prev` in the hub's order (the hub checks that too), and the signature of
/// the device's last envelope in the page is checked: that hash covers its `prev`, which
/// covers the one before, so one signature vouches for all of them. (One ed25519 check
/// per envelope was the largest cost of pulling a long history.) A forged or altered
/// envelope breaks a hash, a link or the signature.
fn check_seals(ordered: &[crate::store::Ordered], heads: &mut DeviceHeads) -> Result<(), HubError> {
    // On this thread: a long pull fetches on a thread of its own, beside the one applying
    // pages, and more threads here would only take the applier's core.
    ordered.iter().try_for_each(|item| item.envelope.check_hash())?;
    let mut last_of_device: HashMap<&str, &Envelope> = HashMap::new();
    for item in ordered {
        let envelope = &item.envelope;
        // The device's envelope before this one: in this page, or the last of an earlier
        // page of this sync.
        let previous = match last_of_device.insert(&envelope.device, envelope) {
            Some(previous) => Some((previous.id.as_str(), previous.hash.as_str())),
            None => heads.get(&envelope.device).map(|(id, hash)| (id.as_str(), hash.as_str())),
        };
        if let Some((id, hash)) = previous {
            if envelope.prev.as_deref() != Some(hash) {
                return Err(HubError::Refused(format!(
                    "event {} does not follow its device's event {id} (the hub's order broke the device's chain)",
                    envelope.id
                )));
            }
        }
    }
    for envelope in last_of_device.values() {
        envelope.check_signature()?;
        heads.insert(envelope.device.clone(), (envelope.id.clone(), envelope.hash.clone()));
    }
    Ok(())
}

/// Each device's last envelope (id, hash) among the pages pulled so far in one sync.
type DeviceHeads = HashMap<String, (String, String)>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Ordered;
    use factdesk_core::events::{EventKind, Role};
    use serde_json::json;

    /// `count` flags by one device, chained, in the hub's order from `seq`.
    fn chain(key: &DeviceKey, count: usize) -> Vec<Ordered> {
        let mut prev = None;
        (1..=count)
            .map(|n| {
                let envelope = key.seal(Unsealed {
                    id: format!("{}-{n}", key.short_id()),
                    author: "ana".into(),
                    at: "2026-12-03T04:00:00Z".into(),
                    kind: EventKind::ClaimFlagged,
                    subject: json!({"article": "a-1", "claim": format!("{}-c{n}", key.short_id())}),
                    payload: json!({"quote": format!("claim {n}"), "start": 0, "end": 7}),
                    prev: prev.clone(),
                });
                prev = Some(envelope.hash.clone());
                Ordered { seq: n as i64, hub_hash: String::new(), author_role: Role::Checker, envelope }
            })
            .collect()
    }

    fn check(pages: &[&[Ordered]]) -> Result<(), HubError> {
        let mut heads = DeviceHeads::new();
        pages.iter().try_for_each(|page| check_seals(page, &mut heads))
    }

    #[test]
    fn a_device_chain_signed_at_its_end_checks_and_any_tampering_is_refused() {
        let (ana, ben) = (DeviceKey::generate().unwrap(), DeviceKey::generate().unwrap());
        let mut page = chain(&ana, 4);
        page.splice(2..2, chain(&ben, 2));
        check(&[&page]).unwrap();
        check(&[&page[..3], &page[3..]]).unwrap();

        // A changed envelope, hash recomputed without the key: the next one's `prev` (or,
        // at the end, the signature) no longer vouches for it.
        for at in [1, 5] {
            let mut forged = page.clone();
            forged[at].envelope.payload = json!({"quote": "words nobody flagged", "start": 0, "end": 20});
            forged[at].envelope.hash = forged[at].envelope.content_hash();
            let refused = check(&[&forged]).unwrap_err().to_string();
            assert!(refused.contains("does not follow") || refused.contains("not the device's"), "{refused}");
        }
        // Changed without recomputing the hash.
        let mut altered = page.clone();
        altered[0].envelope.author = "ed".into();
        assert!(check(&[&altered]).unwrap_err().to_string().contains("hash does not match"));
        // One of a device's events left out, within a page or between two pages.
        let mut gap = page.clone();
        gap.remove(1);
        assert!(check(&[&gap]).unwrap_err().to_string().contains("does not follow"));
        assert!(check(&[&page[..1], &page[2..]]).unwrap_err().to_string().contains("does not follow"));
        // Two of a device's events swapped.
        let mut swapped = page.clone();
        swapped.swap(0, 1);
        assert!(check(&[&swapped]).is_err());
        // Another device's key signing in this device's name.
        let mut impostor = chain(&ben, 1);
        impostor[0].envelope.device = ana.public_hex();
        impostor[0].envelope.hash = impostor[0].envelope.content_hash();
        assert!(check(&[&impostor]).unwrap_err().to_string().contains("not the device's"));
    }
}
