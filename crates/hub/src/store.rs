//! The hub's PostgreSQL side: the schema and its migrations, invitations, joining,
//! revoking, and the one transaction per pushed batch that checks each event, gives it the
//! workspace's next sequence number and extends the hub chain. Everything here is one
//! statement or one transaction; the order of a workspace's events is decided by
//! PostgreSQL's row lock on the workspace, so several hub processes may share a database.

use std::sync::atomic::{AtomicUsize, Ordering};

use factdesk_core::events::Role;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::sync::Mutex;
use tokio_postgres::{Client, NoTls};

use crate::envelope::{hex, Envelope};
use crate::HubError;

/// Schema steps, applied in order; a shipped one is never edited.
const MIGRATIONS: &[&str] = &[include_str!("schema_v1.sql"), include_str!("schema_v2.sql")];

/// The largest blob (an article's original bytes) the hub keeps: the import limit.
pub const MAX_BLOB_BYTES: usize = factdesk_core::MAX_IMPORT_BYTES as usize;

/// An envelope larger than this (its JSON) is refused. Article bytes do not travel inside
/// events.
pub const MAX_EVENT_BYTES: usize = 64 * 1024;
/// A push carries at most this many events.
pub const MAX_BATCH_EVENTS: usize = 1_000;
/// A one-time invitation is good for this long.
const INVITATION_DAYS: i32 = 7;

pub(crate) async fn connect(url: &str) -> Result<Client, HubError> {
    let (client, connection) = tokio_postgres::connect(url, NoTls)
        .await
        .map_err(|e| HubError::Database(format!("cannot connect to the hub's database: {e}")))?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::warn!("hub database connection ended: {e}");
        }
    });
    Ok(client)
}

fn db(e: tokio_postgres::Error) -> HubError {
    HubError::Database(e.to_string())
}

/// Creates the hub's tables, or brings an older hub schema up to date, in one transaction.
/// Returns the schema version.
pub async fn init(url: &str) -> Result<usize, HubError> {
    let mut client = connect(url).await?;
    let tx = client.transaction().await.map_err(db)?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS hub_schema (version integer NOT NULL); LOCK TABLE hub_schema;")
        .await
        .map_err(db)?;
    let current: Option<i32> =
        tx.query_opt("SELECT version FROM hub_schema", &[]).await.map_err(db)?.map(|row| row.get(0));
    let current = current.unwrap_or(0) as usize;
    if current > MIGRATIONS.len() {
        return Err(HubError::Refused(format!(
            "the hub's database has schema version {current}, newer than this release knows ({})",
            MIGRATIONS.len()
        )));
    }
    for step in &MIGRATIONS[current..] {
        tx.batch_execute(step).await.map_err(db)?;
    }
    tx.execute("DELETE FROM hub_schema", &[]).await.map_err(db)?;
    tx.execute("INSERT INTO hub_schema (version) VALUES ($1)", &[&(MIGRATIONS.len() as i32)]).await.map_err(db)?;
    tx.commit().await.map_err(db)?;
    Ok(MIGRATIONS.len())
}

fn sha256_hex(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

fn random_token() -> Result<String, HubError> {
    let mut bytes = [0_u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| HubError::Internal(format!("no random bytes: {e}")))?;
    Ok(hex(&bytes))
}

/// Adds the member to the workspace (creating either if new; an existing member takes the
/// role given) and returns a one-time join token. Only its SHA-256 is stored.
pub async fn invite(url: &str, workspace: &str, member: &str, role: Role) -> Result<String, HubError> {
    let name_ok = |s: &str| !s.trim().is_empty() && s.len() <= 100 && !s.chars().any(char::is_control);
    if !name_ok(workspace) || !name_ok(member) {
        return Err(HubError::BadRequest(
            "a workspace or member name is 1 to 100 characters, no control characters".into(),
        ));
    }
    let mut client = connect(url).await?;
    let token = random_token()?;
    let tx = client.transaction().await.map_err(db)?;
    let workspace_id: i64 = tx
        .query_one(
            "INSERT INTO workspaces (name) VALUES ($1) ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id",
            &[&workspace.trim()],
        )
        .await
        .map_err(db)?
        .get(0);
    let member_id: i64 = tx
        .query_one(
            "INSERT INTO members (workspace_id, name, role) VALUES ($1, $2, $3)
             ON CONFLICT (workspace_id, name) DO UPDATE SET role = EXCLUDED.role RETURNING id",
            &[&workspace_id, &member.trim(), &role.as_str()],
        )
        .await
        .map_err(db)?
        .get(0);
    tx.execute(
        "INSERT INTO invitations (token_sha256, member_id, expires_at) VALUES ($1, $2, now() + make_interval(days => $3))",
        &[&sha256_hex(&token), &member_id, &INVITATION_DAYS],
    )
    .await
    .map_err(db)?;
    tx.commit().await.map_err(db)?;
    Ok(token)
}

/// Revokes every device of the member: their tokens stop working at once. Returns how
/// many devices were revoked.
pub async fn revoke(url: &str, workspace: &str, member: &str) -> Result<u64, HubError> {
    let client = connect(url).await?;
    client
        .execute(
            "UPDATE devices SET revoked_at = now() WHERE revoked_at IS NULL AND member_id IN
               (SELECT m.id FROM members m JOIN workspaces w ON w.id = m.workspace_id WHERE w.name = $1 AND m.name = $2)",
            &[&workspace, &member],
        )
        .await
        .map_err(db)
}

/// What a device asks with when it joins.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JoinRequest {
    pub token: String,
    pub public_key: String,
    pub device_name: String,
}

/// What a device is given when it joins: its bearer token and who it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Membership {
    pub device_token: String,
    pub workspace: String,
    pub member: String,
    pub role: Role,
}

/// A device known by its bearer token.
#[derive(Debug, Clone)]
pub struct Device {
    pub id: i64,
    pub workspace_id: i64,
    pub member: String,
    pub role: Role,
    pub public_key: String,
}

/// An event in the workspace's order, as pulled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ordered {
    pub seq: i64,
    pub hub_hash: String,
    /// The author's role now (an editor's status change settles a contest).
    pub author_role: Role,
    pub envelope: Envelope,
}

/// What a push did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pushed {
    /// Events new to the hub, now in the workspace's order.
    pub accepted: usize,
    /// Events the hub already had (the same batch pushed again).
    pub duplicates: usize,
    /// The workspace's newest sequence number.
    pub head_seq: i64,
}

pub use factdesk_core::history::hub_hash;

/// A few connections to the hub's database, handed out in turn; a connection found
/// closed is opened again.
pub struct Hub {
    url: String,
    connections: Vec<Mutex<Option<Client>>>,
    next: AtomicUsize,
}

impl Hub {
    pub async fn open(url: &str, connections: usize) -> Result<Hub, HubError> {
        let mut pool = Vec::new();
        for _ in 0..connections.max(1) {
            pool.push(Mutex::new(Some(connect(url).await?)));
        }
        Ok(Hub { url: url.to_owned(), connections: pool, next: AtomicUsize::new(0) })
    }

    async fn client(&self) -> Result<tokio::sync::MutexGuard<'_, Option<Client>>, HubError> {
        let slot = &self.connections[self.next.fetch_add(1, Ordering::Relaxed) % self.connections.len()];
        let mut guard = slot.lock().await;
        if guard.as_ref().is_none_or(Client::is_closed) {
            *guard = Some(connect(&self.url).await?);
        }
        Ok(guard)
    }

    /// Whether the database answers a trivial query within `patience`: what a load
    /// balancer or a monitor asks before sending desks here. A pool whose connections are
    /// all busy longer than that counts as not answering too.
    pub async fn healthy(&self, patience: std::time::Duration) -> Result<(), HubError> {
        let asked = async {
            let guard = self.client().await?;
            guard.as_ref().expect("connected").simple_query("SELECT 1").await.map_err(db)?;
            Ok(())
        };
        tokio::time::timeout(patience, asked)
            .await
            .map_err(|_| HubError::Database(format!("the database did not answer within {patience:?}")))?
    }

    /// Trades a one-time invitation for a device token.
    pub async fn join(&self, request: &JoinRequest) -> Result<Membership, HubError> {
        if request.public_key.len() != 64 || !request.public_key.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(HubError::BadRequest("a device's public key is 32 bytes of hex".into()));
        }
        let device_name: String = request.device_name.chars().filter(|c| !c.is_control()).take(100).collect();
        let mut guard = self.client().await?;
        let client = guard.as_mut().expect("connected");
        let tx = client.transaction().await.map_err(db)?;
        let invitation = tx
            .query_opt(
                "SELECT i.member_id, m.name, m.role, w.name FROM invitations i
                   JOIN members m ON m.id = i.member_id JOIN workspaces w ON w.id = m.workspace_id
                  WHERE i.token_sha256 = $1 AND i.used_at IS NULL AND i.expires_at > now() FOR UPDATE OF i",
                &[&sha256_hex(&request.token)],
            )
            .await
            .map_err(db)?
            .ok_or_else(|| HubError::Unauthorized("this invitation is unknown, used or expired".into()))?;
        let (member_id, member, role, workspace): (i64, String, String, String) =
            (invitation.get(0), invitation.get(1), invitation.get(2), invitation.get(3));
        let device_token = random_token()?;
        tx.execute("UPDATE invitations SET used_at = now() WHERE token_sha256 = $1", &[&sha256_hex(&request.token)])
            .await
            .map_err(db)?;
        tx.execute(
            "INSERT INTO devices (member_id, public_key, name, token_sha256) VALUES ($1, $2, $3, $4)",
            &[&member_id, &request.public_key.to_ascii_lowercase(), &device_name, &sha256_hex(&device_token)],
        )
        .await
        .map_err(|e| match e.code() {
            Some(&tokio_postgres::error::SqlState::UNIQUE_VIOLATION) => {
                HubError::Refused("this device has already joined".into())
            }
            _ => db(e),
        })?;
        tx.commit().await.map_err(db)?;
        let role = role.parse().map_err(|_| HubError::Internal(format!("unknown role {role} in the database")))?;
        Ok(Membership { device_token, workspace, member, role })
    }

    /// The device a bearer token belongs to, unless it was revoked.
    pub async fn authenticate(&self, token: &str) -> Result<Device, HubError> {
        let guard = self.client().await?;
        let client = guard.as_ref().expect("connected");
        let row = client
            .query_opt(
                "SELECT d.id, m.workspace_id, m.name, m.role, d.public_key, d.revoked_at IS NOT NULL
                   FROM devices d JOIN members m ON m.id = d.member_id WHERE d.token_sha256 = $1",
                &[&sha256_hex(token)],
            )
            .await
            .map_err(db)?
            .ok_or_else(|| HubError::Unauthorized("unknown device token".into()))?;
        if row.get::<_, bool>(5) {
            return Err(HubError::Unauthorized("this device's token was revoked".into()));
        }
        let role: String = row.get(3);
        Ok(Device {
            id: row.get(0),
            workspace_id: row.get(1),
            member: row.get(2),
            role: role.parse().map_err(|_| HubError::Internal(format!("unknown role {role} in the database")))?,
            public_key: row.get(4),
        })
    }

    /// Checks every event of the batch and appends the new ones to the workspace's order,
    /// all in one transaction: one refused event refuses the batch and nothing is written.
    /// An event the hub already has (same id, same hash) is counted, not stored again.
    pub async fn push(&self, device: &Device, batch: &[Envelope]) -> Result<Pushed, HubError> {
        if batch.len() > MAX_BATCH_EVENTS {
            return Err(HubError::TooLarge(format!("a push carries at most {MAX_BATCH_EVENTS} events")));
        }
        let mut serialized = Vec::with_capacity(batch.len());
        for envelope in batch {
            let json = serde_json::to_string(envelope).map_err(|e| HubError::Internal(e.to_string()))?;
            if json.len() > MAX_EVENT_BYTES {
                return Err(HubError::TooLarge(format!(
                    "event {} is {} bytes; the limit is {MAX_EVENT_BYTES}",
                    envelope.id,
                    json.len()
                )));
            }
            check_envelope(device, envelope)?;
            serialized.push(json);
        }
        let mut guard = self.client().await?;
        let client = guard.as_mut().expect("connected");
        let tx = client.transaction().await.map_err(db)?;
        let workspace = tx
            .query_one("SELECT next_seq, head_hash FROM workspaces WHERE id = $1 FOR UPDATE", &[&device.workspace_id])
            .await
            .map_err(db)?;
        let (mut next_seq, mut head): (i64, String) = (workspace.get(0), workspace.get(1));
        let mut chain: Option<String> = tx
            .query_one("SELECT last_hash FROM devices WHERE id = $1 FOR UPDATE", &[&device.id])
            .await
            .map_err(db)?
            .get(0);
        let ids: Vec<&str> = batch.iter().map(|e| e.id.as_str()).collect();
        let known: std::collections::HashMap<String, String> = tx
            .query(
                "SELECT id, hash FROM events WHERE workspace_id = $1 AND id = ANY($2)",
                &[&device.workspace_id, &ids],
            )
            .await
            .map_err(db)?
            .into_iter()
            .map(|row| (row.get(0), row.get(1)))
            .collect();
        // The new events, column by column, written by one statement: the workspace's row
        // lock is held for one round trip, not one per event.
        let (mut seqs, mut ids, mut kinds, mut envelopes, mut hashes, mut links) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let (mut accepted, mut duplicates) = (0, 0);
        for (envelope, json) in batch.iter().zip(&serialized) {
            if let Some(hash) = known.get(&envelope.id) {
                if *hash != envelope.hash {
                    return Err(HubError::Refused(format!(
                        "event {} was pushed before with other content",
                        envelope.id
                    )));
                }
                duplicates += 1;
                continue;
            }
            if let Some(sha256) = needed_blob(envelope) {
                let stored = tx
                    .query_opt(
                        "SELECT 1 FROM blobs WHERE workspace_id = $1 AND sha256 = $2",
                        &[&device.workspace_id, &sha256],
                    )
                    .await
                    .map_err(db)?;
                if stored.is_none() {
                    return Err(HubError::Refused(format!(
                        "event {} needs the article bytes {sha256}, which were not uploaded",
                        envelope.id
                    )));
                }
            }
            if envelope.prev != chain {
                return Err(HubError::Refused(format!(
                    "event {} does not follow this device's last event (its chain is broken or an event is missing)",
                    envelope.id
                )));
            }
            let link = hub_hash(&head, next_seq, &envelope.hash);
            seqs.push(next_seq);
            ids.push(envelope.id.as_str());
            kinds.push(envelope.kind.as_str());
            envelopes.push(json.as_str());
            hashes.push(envelope.hash.as_str());
            links.push(link.clone());
            chain = Some(envelope.hash.clone());
            head = link;
            next_seq += 1;
            accepted += 1;
        }
        if accepted > 0 {
            tx.execute(
                "INSERT INTO events (workspace_id, seq, id, device_id, kind, envelope, hash, hub_hash)
                 SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[])",
                &[
                    &device.workspace_id,
                    &seqs,
                    &ids,
                    &vec![device.id; seqs.len()],
                    &kinds,
                    &envelopes,
                    &hashes,
                    &links,
                ],
            )
            .await
            .map_err(db)?;
        }
        if accepted > 0 {
            tx.execute(
                "UPDATE workspaces SET next_seq = $1, head_hash = $2 WHERE id = $3",
                &[&next_seq, &head, &device.workspace_id],
            )
            .await
            .map_err(db)?;
            tx.execute("UPDATE devices SET last_hash = $1 WHERE id = $2", &[&chain, &device.id]).await.map_err(db)?;
        }
        tx.commit().await.map_err(db)?;
        Ok(Pushed { accepted, duplicates, head_seq: next_seq - 1 })
    }

    /// Keeps bytes an event will need, after checking they are what their SHA-256 says.
    pub async fn put_blob(&self, device: &Device, sha256: &str, bytes: &[u8]) -> Result<(), HubError> {
        if bytes.len() > MAX_BLOB_BYTES {
            return Err(HubError::TooLarge(format!("{} bytes; the limit is {MAX_BLOB_BYTES}", bytes.len())));
        }
        if hex(&Sha256::digest(bytes)) != sha256 {
            return Err(HubError::BadRequest("the bytes do not have the SHA-256 they were sent under".into()));
        }
        let guard = self.client().await?;
        let client = guard.as_ref().expect("connected");
        client
            .execute(
                "INSERT INTO blobs (workspace_id, sha256, bytes) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                &[&device.workspace_id, &sha256, &bytes],
            )
            .await
            .map_err(db)?;
        Ok(())
    }

    pub async fn get_blob(&self, device: &Device, sha256: &str) -> Result<Vec<u8>, HubError> {
        let guard = self.client().await?;
        let client = guard.as_ref().expect("connected");
        let row = client
            .query_opt(
                "SELECT bytes FROM blobs WHERE workspace_id = $1 AND sha256 = $2",
                &[&device.workspace_id, &sha256],
            )
            .await
            .map_err(db)?
            .ok_or_else(|| HubError::NotFound(format!("no bytes {sha256} in this workspace")))?;
        Ok(row.get(0))
    }

    /// The workspace's events after `after`, in order, at most `limit`.
    /// The workspace's events after `after`, in order, at most `limit`, as the JSON of a
    /// list of [`Ordered`]: each envelope is written as it was stored (it was checked when
    /// pushed), not parsed and written again.
    pub async fn pull(&self, device: &Device, after: i64, limit: i64) -> Result<String, HubError> {
        let guard = self.client().await?;
        let client = guard.as_ref().expect("connected");
        let rows = client
            .query(
                // The page first, by the primary key in order; then the authors' roles.
                // Sequence numbers have no gaps (taken under the workspace's row lock), so
                // the page is a closed range: open-ended (`seq > $2 … LIMIT`), the planner
                // may read and sort every later event for each page.
                "SELECT e.seq, e.hub_hash, e.envelope, m.role
                   FROM (SELECT seq, hub_hash, envelope, device_id FROM events
                          WHERE workspace_id = $1 AND seq > $2 AND seq <= $2 + $3 ORDER BY seq) e
                   JOIN devices d ON d.id = e.device_id JOIN members m ON m.id = d.member_id
                  ORDER BY e.seq",
                &[&device.workspace_id, &after, &limit.clamp(1, 5_000)],
            )
            .await
            .map_err(db)?;
        let mut json = String::from("[");
        for (i, row) in rows.iter().enumerate() {
            let (seq, hub_hash, envelope, role): (i64, &str, &str, &str) =
                (row.get(0), row.get(1), row.get(2), row.get(3));
            if i > 0 {
                json.push(',');
            }
            // hub_hash is hex and role one of three words: nothing in them needs escaping.
            json.push_str(&format!(
                r#"{{"seq":{seq},"hub_hash":"{hub_hash}","author_role":"{role}","envelope":{envelope}}}"#
            ));
        }
        json.push(']');
        Ok(json)
    }
}

/// What can be checked of one envelope without the database: its seal, that it comes from
/// the pushing device in its member's name, and that the member's role allows its kind.
fn check_envelope(device: &Device, envelope: &Envelope) -> Result<(), HubError> {
    if !envelope.device.eq_ignore_ascii_case(&device.public_key) {
        return Err(HubError::Refused(format!("event {} was not made by this device", envelope.id)));
    }
    if envelope.author != device.member {
        return Err(HubError::Refused(format!(
            "event {} names {:?} as its author, but this device is {:?}'s",
            envelope.id, envelope.author, device.member
        )));
    }
    if envelope.kind.least_role() > device.role {
        return Err(HubError::Forbidden(format!(
            "a {} may not record \"{}\" (event {})",
            device.role.as_str(),
            envelope.kind.label(),
            envelope.id
        )));
    }
    if !envelope.id.starts_with(&device.public_key[..16]) {
        return Err(HubError::Refused(format!("event {} does not carry this device's id", envelope.id)));
    }
    envelope.check_seal()
}

/// The bytes the hub requires on its side before it takes an event: an import's original
/// file (of what events carry, `factdesk_core::carried_bytes`, the rest may stay behind
/// when over the blob limit).
pub fn needed_blob(envelope: &Envelope) -> Option<String> {
    (envelope.kind == factdesk_core::events::EventKind::ArticleImported)
        .then(|| factdesk_core::carried_bytes(envelope.kind, &envelope.payload).map(str::to_owned))
        .flatten()
}
