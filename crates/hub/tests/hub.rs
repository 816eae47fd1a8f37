//! The hub against a real PostgreSQL (a throwaway cluster, `support/postgres.rs`) and over
//! real HTTP on loopback: joining, pushing, pulling, and every refusal leaving the
//! database as it was.

mod support;

use std::sync::Arc;

use factdesk_core::events::{EventKind, Role};
use factdesk_hub::client::HubClient;
use factdesk_hub::envelope::{DeviceKey, Envelope, Unsealed};
use factdesk_hub::store::{self, hub_hash, Hub, JoinRequest, MAX_EVENT_BYTES};
use factdesk_hub::HubError;
use serde_json::json;
use support::postgres::cluster;

/// A hub on a fresh database, served on a free loopback port by a runtime of its own.
struct TestHub {
    database: String,
    base: String,
}

impl TestHub {
    fn start() -> TestHub {
        let database = cluster().new_database();
        let (sent, received) = std::sync::mpsc::channel();
        let url = database.clone();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Runtime::new().unwrap();
            runtime.block_on(async move {
                assert_eq!(store::init(&url).await.unwrap(), 2);
                // A second init finds the schema current and changes nothing.
                assert_eq!(store::init(&url).await.unwrap(), 2);
                let hub = Arc::new(Hub::open(&url, 4).await.unwrap());
                let listener = factdesk_hub::server::bind("127.0.0.1:0".parse().unwrap()).await.unwrap();
                sent.send(listener.local_addr().unwrap()).unwrap();
                factdesk_hub::server::serve(hub, listener, std::future::pending()).await.unwrap();
            });
        });
        let address = received.recv().unwrap();
        TestHub { database, base: format!("http://{address}") }
    }

    fn invite(&self, workspace: &str, member: &str, role: Role) -> String {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(store::invite(&self.database, workspace, member, role)).unwrap()
    }

    fn count(&self, table: &str) -> i64 {
        cluster().psql(&self.database, &format!("SELECT count(*) FROM {table}")).parse().unwrap()
    }
}

/// A desktop: its key, its token, its own chain and running number.
struct Desk {
    key: DeviceKey,
    token: String,
    member: String,
    next: u64,
    prev: Option<String>,
    client: HubClient,
}

impl Desk {
    fn join(hub: &TestHub, invitation: &str, member: &str) -> Desk {
        let key = DeviceKey::generate().unwrap();
        let client = HubClient::new(&hub.base);
        let membership = client
            .join(&JoinRequest { token: invitation.into(), public_key: key.public_hex(), device_name: "laptop".into() })
            .unwrap();
        assert_eq!(membership.member, member);
        Desk { key, token: membership.device_token, member: member.into(), next: 1, prev: None, client }
    }

    /// The next event of this desk, sealed and chained.
    fn event(&mut self, kind: EventKind, payload: serde_json::Value) -> Envelope {
        let envelope = self.key.seal(Unsealed {
            id: format!("{}-{}", self.key.short_id(), self.next),
            author: self.member.clone(),
            at: "2026-12-03T01:00:00Z".into(),
            kind,
            subject: json!({"article": "a1", "claim": format!("{}-c{}", self.key.short_id(), self.next)}),
            payload,
            prev: self.prev.clone(),
        });
        self.next += 1;
        self.prev = Some(envelope.hash.clone());
        envelope
    }

    fn events(&mut self, n: usize) -> Vec<Envelope> {
        (0..n).map(|i| self.event(EventKind::ClaimFlagged, json!({"quote": format!("claim {i}")}))).collect()
    }
}

#[test]
fn members_push_and_pull_one_ordered_chained_history() {
    let hub = TestHub::start();
    let mut ana = Desk::join(&hub, &hub.invite("city desk", "ana", Role::Checker), "ana");
    let mut ben = Desk::join(&hub, &hub.invite("city desk", "ben", Role::Reporter), "ben");

    let first = ana.events(3);
    assert_eq!(ana.client.push(&ana.token, &first).unwrap().accepted, 3);
    let second = ben.events(2);
    let pushed = ben.client.push(&ben.token, &second).unwrap();
    assert_eq!((pushed.accepted, pushed.duplicates, pushed.head_seq), (2, 0, 5));
    let status = ana.event(EventKind::ClaimStatusChanged, json!({"status": "confirmed"}));
    assert_eq!(ana.client.push(&ana.token, std::slice::from_ref(&status)).unwrap().head_seq, 6);

    // Everyone pulls the same order, and the hub chain links it.
    let pulled = ben.client.pull(&ben.token, 0, 100).unwrap();
    assert_eq!(pulled, ana.client.pull(&ana.token, 0, 100).unwrap());
    let ids: Vec<&str> = pulled.iter().map(|o| o.envelope.id.as_str()).collect();
    let expected: Vec<&str> = first.iter().chain(&second).chain([&status]).map(|e| e.id.as_str()).collect();
    assert_eq!(ids, expected);
    let mut head = String::new();
    for (i, ordered) in pulled.iter().enumerate() {
        assert_eq!(ordered.seq, i as i64 + 1);
        ordered.envelope.check_seal().unwrap();
        head = hub_hash(&head, ordered.seq, &ordered.envelope.hash);
        assert_eq!(ordered.hub_hash, head);
    }
    // Paging from a sequence number.
    let tail = ana.client.pull(&ana.token, 4, 100).unwrap();
    assert_eq!(tail.iter().map(|o| o.seq).collect::<Vec<_>>(), vec![5, 6]);
}

#[test]
fn the_same_push_twice_is_harmless() {
    let hub = TestHub::start();
    let mut ana = Desk::join(&hub, &hub.invite("desk", "ana", Role::Editor), "ana");
    let batch = ana.events(5);
    assert_eq!(ana.client.push(&ana.token, &batch).unwrap().accepted, 5);
    let again = ana.client.push(&ana.token, &batch).unwrap();
    assert_eq!((again.accepted, again.duplicates, again.head_seq), (0, 5, 5));
    // A retry that overlaps new events: the known ones are skipped, the new ones follow.
    let mut overlap = batch[3..].to_vec();
    overlap.extend(ana.events(2));
    let pushed = ana.client.push(&ana.token, &overlap).unwrap();
    assert_eq!((pushed.accepted, pushed.duplicates, pushed.head_seq), (2, 2, 7));
    assert_eq!(hub.count("events"), 7);
}

#[test]
fn forged_unauthorized_revoked_and_oversized_pushes_are_refused_and_write_nothing() {
    let hub = TestHub::start();
    let mut ana = Desk::join(&hub, &hub.invite("desk", "ana", Role::Checker), "ana");
    let mut ben = Desk::join(&hub, &hub.invite("desk", "ben", Role::Reporter), "ben");
    let ok = ana.events(1);
    ana.client.push(&ana.token, &ok).unwrap();
    let before = hub.count("events");
    let refused = |desk: &Desk, batch: &[Envelope]| desk.client.push(&desk.token, batch).unwrap_err();

    // A forged signature: content changed after sealing, hash recomputed.
    let mut batch = ana.events(2);
    batch[1].payload = json!({"quote": "changed in transit"});
    batch[1].hash = batch[1].content_hash();
    let error = refused(&ana, &batch);
    assert!(matches!(&error, HubError::Refused(m) if m.contains("not the device's")), "{error}");

    // Ana's event pushed with Ben's token.
    let mut ana_again =
        Desk { prev: ana.prev.clone(), ..Desk::join(&hub, &hub.invite("desk", "ana", Role::Checker), "ana") };
    let theirs = ana_again.events(1);
    assert!(matches!(refused(&ben, &theirs), HubError::Refused(m) if m.contains("not made by this device")));

    // A reporter setting a status.
    let status = ben.event(EventKind::ClaimStatusChanged, json!({"status": "false"}));
    let error = refused(&ben, &[status]);
    assert!(matches!(&error, HubError::Forbidden(m) if m.contains("reporter may not")), "{error}");

    // A reporter approving a claim (an editor's event), and a checker setting the rule.
    let approval = ben.event(EventKind::ClaimReviewed, json!({"decision": "approve", "status": "false", "note": null}));
    assert!(matches!(refused(&ben, &[approval]), HubError::Forbidden(m) if m.contains("reporter may not")));
    let rule = ana.event(EventKind::ReviewRequired, json!({"required": true}));
    assert!(matches!(refused(&ana, &[rule]), HubError::Forbidden(m) if m.contains("checker may not")));

    // An event over the size limit.
    let mut carol = Desk::join(&hub, &hub.invite("desk", "carol", Role::Editor), "carol");
    let huge = carol.event(EventKind::ClaimFlagged, json!({"quote": "x".repeat(MAX_EVENT_BYTES)}));
    assert!(matches!(refused(&carol, &[huge]), HubError::TooLarge(_)));

    // A broken chain: an event skipped.
    let mut skipped = carol.events(2);
    skipped.remove(0);
    assert!(matches!(refused(&carol, &skipped), HubError::Refused(m) if m.contains("chain")));

    // A revoked device.
    let revoked =
        tokio::runtime::Runtime::new().unwrap().block_on(store::revoke(&hub.database, "desk", "ben")).unwrap();
    assert_eq!(revoked, 1);
    let next = ben.events(1);
    assert!(matches!(refused(&ben, &next), HubError::Unauthorized(m) if m.contains("revoked")));
    assert!(matches!(ben.client.pull(&ben.token, 0, 10), Err(HubError::Unauthorized(_))));

    // An unknown token, and an invitation used twice.
    assert!(matches!(ana.client.pull("not-a-token", 0, 10), Err(HubError::Unauthorized(_))));
    let invitation = hub.invite("desk", "dan", Role::Reporter);
    Desk::join(&hub, &invitation, "dan");
    let key = DeviceKey::generate().unwrap();
    let error = ana
        .client
        .join(&JoinRequest { token: invitation, public_key: key.public_hex(), device_name: "x".into() })
        .unwrap_err();
    assert!(matches!(error, HubError::Unauthorized(_)));

    assert_eq!(hub.count("events"), before, "no refused push wrote anything");
}

/// A long history (more than two pulls' pages) reaches a fresh desk whole: the pipelined
/// pull in bulk mode replays every event, the desks agree on every claim's status, and
/// the fresh library verifies, hub chain included.
#[test]
fn a_fresh_desk_pulls_a_history_of_several_pages_whole() {
    use factdesk_core::scale::{generate_library, ScaleSpec};
    use factdesk_core::{Library, Verification};
    use factdesk_hub::sync;

    let hub = TestHub::start();
    let dir = tempfile::tempdir().unwrap();
    let writer = Library::open(&dir.path().join("writer.sqlite"), "writer").unwrap();
    let spec = ScaleSpec { articles: 150, words_per_article: 200, claims_per_article: 8, events: 4_500 };
    let generated = generate_library(&writer, &spec, |_| {}).unwrap();
    assert_eq!(generated.events, 4_500);
    let pushed = sync::join(&writer, &hub.base, &hub.invite("long", "writer", Role::Checker), "writer").unwrap();
    assert_eq!(pushed.pushed, 4_500);

    let fresh = Library::open(&dir.path().join("fresh.sqlite"), "fresh").unwrap();
    let pulled = sync::join(&fresh, &hub.base, &hub.invite("long", "fresh", Role::Reporter), "fresh").unwrap();
    assert_eq!((pulled.pulled, pulled.applied.replayed, pulled.applied.not_replayed), (4_500, 4_500, 0));
    let statuses = |library: &Library| -> Vec<(String, factdesk_core::Status)> {
        let mut claims: Vec<_> = library.claims(None, None).unwrap().into_iter().map(|c| (c.quote, c.status)).collect();
        claims.sort();
        claims
    };
    assert_eq!(statuses(&fresh).len(), 1_200);
    assert_eq!(statuses(&fresh), statuses(&writer));
    assert!(matches!(fresh.verify().unwrap(), Verification::Intact(head) if head.events == 4_500));
    // Nothing more to pull: a second sync is a short one.
    assert_eq!(sync::sync(&fresh).unwrap().pulled, 0);
}
