//! A desktop's side of sharing a library: `join` (link the library to a workspace with a
//! new device key, then upload its history) and `sync` (push this library's new events,
//! sealed and chained, with the article bytes they need uploaded first; then pull the
//! workspace's events in the hub's order, check every seal, and hand them to the library
//! to replay). Blocking; the CLI and the app's sync thread call it.

use factdesk_core::model::{Applied, TeamLink};
use factdesk_core::Pulled;
use factdesk_core::{Error, Library};
use serde::Serialize;

use crate::client::HubClient;
use crate::envelope::{DeviceKey, Unsealed};
use crate::store::{needed_blob, JoinRequest};
use crate::HubError;

/// Events sent in one push, and asked for in one pull.
const PUSH_BATCH: usize = 500;
const PULL_BATCH: i64 = 1_000;

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

fn push(library: &Library, client: &HubClient, link: &TeamLink, key: &DeviceKey) -> Result<u64, Error> {
    let device = key.short_id();
    let mut prev = link.device_head.clone();
    let mut pushed = 0;
    loop {
        let outgoing = library.team_outgoing(&device, PUSH_BATCH)?;
        let Some(last) = outgoing.last().map(|o| o.history_id) else { break };
        let mut batch = Vec::with_capacity(outgoing.len());
        for event in outgoing {
            if let Some(sha256) = &event.bytes_sha256 {
                let bytes = library
                    .article_bytes(sha256)?
                    .ok_or_else(|| Error::Corrupt(format!("the bytes of article {sha256} are not in the library")))?;
                client.put_blob(&link.device_token, sha256, &bytes).map_err(team)?;
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
            prev = Some(envelope.hash.clone());
            batch.push(envelope);
        }
        pushed += client.push(&link.device_token, &batch).map_err(team)?.accepted as u64;
        library.team_pushed(last, prev.as_deref().unwrap_or_default())?;
    }
    Ok(pushed)
}

fn pull(
    library: &Library,
    client: &HubClient,
    token: &str,
    key: &DeviceKey,
    report: &mut SyncReport,
) -> Result<(), Error> {
    let me = key.public_hex();
    loop {
        let after = library.team_link()?.map_or(0, |l| l.pulled_seq);
        let ordered = client.pull(token, after, PULL_BATCH).map_err(team)?;
        if ordered.is_empty() {
            return Ok(());
        }
        check_seals(&ordered).map_err(team)?;
        let mut pulled = Vec::with_capacity(ordered.len());
        for item in ordered {
            let mine = item.envelope.device == me;
            let bytes = match needed_blob(&item.envelope) {
                Some(sha256) if !mine => Some(client.get_blob(token, &sha256).map_err(team)?),
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
        report.pulled += pulled.len() as u64;
        let applied = library.team_apply(&pulled)?;
        report.applied.replayed += applied.replayed;
        report.applied.own += applied.own;
        report.applied.not_replayed += applied.not_replayed;
        report.applied.contested += applied.contested;
    }
}

/// Every envelope's hash and signature, on all cores (a signature check is the largest
/// cost of pulling a long history).
fn check_seals(ordered: &[crate::store::Ordered]) -> Result<(), HubError> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    let chunk = ordered.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let checks: Vec<_> = ordered
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().try_for_each(|item| item.envelope.check_seal())))
            .collect();
        checks.into_iter().try_for_each(|check| {
            check.join().unwrap_or_else(|_| Err(HubError::Internal("a seal check failed".into())))
        })
    })
}
