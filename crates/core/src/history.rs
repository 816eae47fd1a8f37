//! The hash chain over the append-only history: canonical JSON of an event, its hash,
//! and the check that recomputes the whole chain. Storage lives in `store::history`.

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::model::{ChainHead, HistoryEvent};

/// The `prev_hash` of the first event.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// JSON with object keys sorted and no insignificant whitespace, independent of how
/// serde_json was compiled (the `preserve_order` feature would otherwise change it).
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            // Already in order unless serde_json keeps insertion order (`preserve_order`).
            if !entries.is_sorted_by(|a, b| a.0 <= b.0) {
                entries.sort_by(|a, b| a.0.cmp(b.0));
            }
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_string(key, out);
                out.push(':');
                write_canonical(item, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Value::String(text) => write_json_string(text, out),
        // Integers print as serde_json writes them; floats take its own formatting.
        Value::Number(number) if !number.is_f64() => {
            use std::fmt::Write;
            write!(out, "{number}").expect("writing to a String");
        }
        Value::Number(number) => out.push_str(&serde_json::to_string(number).expect("a number always serializes")),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Null => out.push_str("null"),
    }
}

/// A JSON string as serde_json writes it: most need no escape and are copied as they are.
fn write_json_string(value: &str, out: &mut String) {
    if value.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push('"');
        out.push_str(value);
        out.push('"');
    } else {
        out.push_str(&serde_json::to_string(value).expect("a string always serializes"));
    }
}

/// The fields of an event that its hash covers (everything but the hashes), beside its
/// payload, which is passed as canonical JSON text (the text the history row stores).
pub(crate) struct EventBody<'a> {
    pub id: i64,
    pub at: &'a str,
    pub actor: &'a str,
    pub kind: &'a str,
    pub article_id: Option<i64>,
    pub claim_id: Option<i64>,
}

/// SHA-256 of `prev_hash` then the canonical event; `payload` is canonical JSON text.
pub(crate) fn event_hash(prev_hash: &str, body: &EventBody<'_>, payload: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(canonical_body_with(body, payload).as_bytes());
    hex(&hasher.finalize())
}

/// `canonical_json` of `{id, at, actor, kind, article_id, claim_id, payload}`, written
/// directly in sorted key order instead of building and sorting a `Value` (verification
/// hashes every event, so this is the hot path of `verify` and of every report).
#[cfg(test)]
fn canonical_body(body: &EventBody<'_>, payload: &Value) -> String {
    canonical_body_with(body, &canonical_json(payload))
}

/// The canonical body around a payload that is already canonical JSON text. The
/// history table stores exactly that text, so `verify` hashes it as stored: no parse,
/// and a payload rewritten even into equivalent JSON no longer matches its hash.
pub(crate) fn canonical_body_with(body: &EventBody<'_>, payload: &str) -> String {
    let mut out = String::with_capacity(160 + payload.len());
    canonical_body_into(&mut out, body, payload);
    out
}

/// [`canonical_body_with`] written into `out` (cleared first): `verify` reuses one buffer
/// for every event.
pub(crate) fn canonical_body_into(out: &mut String, body: &EventBody<'_>, payload: &str) {
    use std::fmt::Write;
    let string = |out: &mut String, value: &str| write_json_string(value, out);
    fn id(out: &mut String, value: Option<i64>) {
        match value {
            Some(v) => write!(out, "{v}").expect("writing to a String"),
            None => out.push_str("null"),
        }
    }
    out.clear();
    out.push_str("{\"actor\":");
    string(out, body.actor);
    out.push_str(",\"article_id\":");
    id(out, body.article_id);
    out.push_str(",\"at\":");
    string(out, body.at);
    out.push_str(",\"claim_id\":");
    id(out, body.claim_id);
    out.push_str(",\"id\":");
    id(out, Some(body.id));
    out.push_str(",\"kind\":");
    string(out, body.kind);
    out.push_str(",\"payload\":");
    out.push_str(payload);
    out.push('}');
}

/// The exact bytes an event's hash is taken over (`prev_hash` then the canonical body),
/// from a stored row: for the benchmark that compares `verify` with SHA-256 alone.
#[doc(hidden)]
#[allow(clippy::too_many_arguments)]
pub fn hash_input_of_row(
    id: i64,
    at: &str,
    actor: &str,
    kind: &str,
    article_id: Option<i64>,
    claim_id: Option<i64>,
    payload: &str,
    prev_hash: &str,
) -> String {
    let body = EventBody { id, at, actor, kind, article_id, claim_id };
    let mut input = String::with_capacity(64 + 160 + payload.len());
    input.push_str(prev_hash);
    input.push_str(&canonical_body_with(&body, payload));
    input
}

/// The hub chain's next link (team sync): SHA-256 of the previous link, the hub's sequence
/// number and the event's hash. The hub computes the same when it orders an event.
pub fn hub_hash(previous: &str, seq: i64, event_hash: &str) -> String {
    // SHA-256 of "{previous}\n{seq}\n{event_hash}", fed in parts (once per pulled event).
    let mut hasher = Sha256::new();
    for part in [previous.as_bytes(), b"\n", seq.to_string().as_bytes(), b"\n", event_hash.as_bytes()] {
        hasher.update(part);
    }
    hex(&hasher.finalize())
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 0xf) as usize] as char);
    }
    out
}

/// The result of recomputing the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    Intact(ChainHead),
    /// The first event (by id) whose stored hashes do not match, and why.
    Broken {
        event_id: i64,
        reason: String,
    },
}

/// What chain verification needs of an event: its ids, stored hashes and the exact bytes
/// its hash covers.
pub(crate) trait ChainLink {
    fn id(&self) -> i64;
    fn prev_hash(&self) -> &str;
    fn hash(&self) -> &str;
    /// Writes the canonical JSON of the event body, as hashed, into `out`.
    fn canonical_body_into(&self, out: &mut String);
}

impl ChainLink for HistoryEvent {
    fn id(&self) -> i64 {
        self.id
    }
    fn prev_hash(&self) -> &str {
        &self.prev_hash
    }
    fn hash(&self) -> &str {
        &self.hash
    }
    fn canonical_body_into(&self, out: &mut String) {
        let body = EventBody {
            id: self.id,
            at: &self.at,
            actor: &self.actor,
            kind: &self.kind,
            article_id: self.article_id,
            claim_id: self.claim_id,
        };
        canonical_body_into(out, &body, &canonical_json(&self.payload));
    }
}

/// Walks a history in id order, one event at a time, without allocating per event (a
/// library's `verify` may read millions): the hash each event should have, the link to
/// the one before, and at the end the count and head the library recorded.
pub(crate) struct ChainCheck {
    prev: [u8; 64],
    count: u64,
    last_id: i64,
    body: String,
}

impl ChainCheck {
    pub(crate) fn new() -> ChainCheck {
        let mut prev = [0u8; 64];
        prev.copy_from_slice(GENESIS_HASH.as_bytes());
        ChainCheck { prev, count: 0, last_id: 0, body: String::with_capacity(512) }
    }

    /// Checks the next event; the first that does not hold ends the walk with its reason.
    pub(crate) fn check(&mut self, event: &impl ChainLink) -> Result<(), Verification> {
        self.count += 1;
        if event.prev_hash().as_bytes() != self.prev {
            let reason = if self.count == 1 {
                "it should be the first event, but its previous hash is not the genesis hash (an earlier event was deleted or the order changed)".to_owned()
            } else {
                format!("its previous hash does not match event {} (an event between them was deleted, or one was altered or reordered)", self.last_id)
            };
            return Err(Verification::Broken { event_id: event.id(), reason });
        }
        event.canonical_body_into(&mut self.body);
        let mut hasher = Sha256::new();
        hasher.update(self.prev);
        hasher.update(self.body.as_bytes());
        let hash = hex_array(&hasher.finalize());
        if hash != event.hash().as_bytes() {
            return Err(Verification::Broken {
                event_id: event.id(),
                reason: "its content does not match its hash (the row was edited)".to_owned(),
            });
        }
        self.prev = hash;
        self.last_id = event.id();
        Ok(())
    }

    /// The verdict once every event was checked.
    pub(crate) fn finish(self, recorded: &ChainHead) -> Verification {
        let head = String::from_utf8(self.prev.to_vec()).expect("hex digits");
        if self.count != recorded.events || head != recorded.head {
            return Verification::Broken {
                event_id: self.last_id,
                reason: format!(
                    "the chain ends here after {} events, but the library recorded {} events ending in {} (events after it were deleted, or the head was altered)",
                    self.count, recorded.events, recorded.head
                ),
            };
        }
        Verification::Intact(ChainHead { events: self.count, head })
    }
}

/// Lower-case hex of a SHA-256 digest, on the stack.
fn hex_array(bytes: &[u8]) -> [u8; 64] {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0u8; 64];
    for (i, b) in bytes.iter().take(32).enumerate() {
        out[2 * i] = DIGITS[(b >> 4) as usize];
        out[2 * i + 1] = DIGITS[(b & 0xf) as usize];
    }
    out
}

/// Checks a history read in id order against the recorded head (count and hash).
#[cfg(test)]
pub(crate) fn verify_chain<E: ChainLink>(events: impl IntoIterator<Item = E>, recorded: &ChainHead) -> Verification {
    let mut check = ChainCheck::new();
    for event in events {
        if let Err(broken) = check.check(&event) {
            return broken;
        }
    }
    check.finish(recorded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_json_sorts_keys_at_every_depth() {
        let value: Value = serde_json::from_str(r#"{"b":1,"a":{"z":[{"y":2,"x":"é\n"}],"c":null}}"#).unwrap();
        assert_eq!(canonical_json(&value), r#"{"a":{"c":null,"z":[{"x":"é\n","y":2}]},"b":1}"#);
    }

    /// The direct writer must give exactly the bytes of the general canonical form, or
    /// every library written before it would stop verifying.
    #[test]
    fn canonical_body_equals_canonical_json_of_the_event() {
        let payloads = [
            serde_json::json!({"quote": "“4.2 million” \\ \"x\" \u{1}\n", "start": 3, "end": 9, "nested": {"b": [1, null], "a": true}}),
            serde_json::json!(null),
            serde_json::json!("plain"),
        ];
        for (i, payload) in payloads.iter().enumerate() {
            for (article_id, claim_id) in [(Some(7), Some(-3)), (None, None)] {
                let body = EventBody {
                    id: i as i64 + 1,
                    at: "2026-01-05T09:00:00.000000Z",
                    actor: "Ana \"Reyes\" ✓",
                    kind: "claim_flagged",
                    article_id,
                    claim_id,
                };
                let general = serde_json::json!({
                    "id": body.id, "at": body.at, "actor": body.actor, "kind": body.kind,
                    "article_id": body.article_id, "claim_id": body.claim_id, "payload": payload,
                });
                assert_eq!(canonical_body(&body, payload), canonical_json(&general));
            }
        }
    }

    /// The hand-written canonical form is serde_json's own output with keys sorted: the
    /// hashes of every library already written depend on it.
    #[test]
    fn canonical_json_is_serde_json_with_sorted_keys() {
        let value = serde_json::json!({
            "z": [1, -2, 3.5, 1e20, 0.1, u64::MAX, i64::MIN, null, true, false],
            "a": {"y": "tab\there", "b": "quote \" and \\ and \u{7f} and \u{1}", "é": "ünï ✓"},
            "m": "", "k": {}, "l": []
        });
        let sorted: std::collections::BTreeMap<String, Value> =
            value.as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        let nested_sorted = |v: &Value| serde_json::to_string(v).unwrap();
        let expected = format!(
            "{{{}}}",
            sorted
                .iter()
                .map(|(k, v)| {
                    let v = match v.as_object() {
                        Some(o) => {
                            let inner: std::collections::BTreeMap<_, _> = o.iter().collect();
                            serde_json::to_string(&inner).unwrap()
                        }
                        None => nested_sorted(v),
                    };
                    format!("{}:{}", serde_json::to_string(k).unwrap(), v)
                })
                .collect::<Vec<_>>()
                .join(",")
        );
        assert_eq!(canonical_json(&value), expected);
    }

    #[test]
    fn a_hub_link_is_sha256_of_the_previous_link_the_sequence_and_the_event_hash() {
        assert_eq!(hub_hash("ab", -17, "cd"), hex(&Sha256::digest(b"ab\n-17\ncd")));
        assert_eq!(hub_hash("", 0, ""), hex(&Sha256::digest(b"\n0\n")));
    }

    #[test]
    fn hash_is_sha256_of_prev_hash_and_canonical_event() {
        let payload = serde_json::json!({"to": "confirmed", "from": "unreviewed"});
        let body = EventBody {
            id: 1,
            at: "2026-01-02T03:04:05.000000Z",
            actor: "ana",
            kind: "claim_status_changed",
            article_id: Some(7),
            claim_id: Some(9),
        };
        let canonical = r#"{"actor":"ana","article_id":7,"at":"2026-01-02T03:04:05.000000Z","claim_id":9,"id":1,"kind":"claim_status_changed","payload":{"from":"unreviewed","to":"confirmed"}}"#;
        let mut hasher = Sha256::new();
        hasher.update(GENESIS_HASH.as_bytes());
        hasher.update(canonical.as_bytes());
        assert_eq!(event_hash(GENESIS_HASH, &body, &canonical_json(&payload)), hex(&hasher.finalize()));
    }

    fn chain(n: i64) -> Vec<HistoryEvent> {
        let mut prev = GENESIS_HASH.to_owned();
        (1..=n)
            .map(|id| {
                let payload = serde_json::json!({ "n": id });
                let at = format!("2026-01-01T00:00:{id:02}.000000Z");
                let body = EventBody { id, at: &at, actor: "a", kind: "k", article_id: None, claim_id: None };
                let hash = event_hash(&prev, &body, &canonical_json(&payload));
                let event = HistoryEvent {
                    id,
                    at: at.clone(),
                    actor: "a".into(),
                    kind: "k".into(),
                    article_id: None,
                    claim_id: None,
                    payload,
                    summary: String::new(),
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                event
            })
            .collect()
    }

    fn head_of(events: &[HistoryEvent]) -> ChainHead {
        ChainHead { events: events.len() as u64, head: events.last().map_or(GENESIS_HASH.into(), |e| e.hash.clone()) }
    }

    #[test]
    fn an_untouched_chain_verifies() {
        let events = chain(5);
        let head = head_of(&events);
        assert_eq!(verify_chain(events, &head), Verification::Intact(head));
    }

    #[test]
    fn edits_deletions_and_reorders_name_the_first_bad_event() {
        let events = chain(5);
        let head = head_of(&events);

        let mut edited = events.clone();
        edited[2].actor = "mallory".into();
        assert!(matches!(verify_chain(edited, &head), Verification::Broken { event_id: 3, .. }));

        let mut deleted = events.clone();
        deleted.remove(1);
        assert!(matches!(verify_chain(deleted, &head), Verification::Broken { event_id: 3, .. }));

        let mut swapped = events.clone();
        swapped.swap(1, 2);
        assert!(matches!(verify_chain(swapped, &head), Verification::Broken { event_id: 3, .. }));

        let mut truncated = events.clone();
        truncated.pop();
        assert!(matches!(verify_chain(truncated, &head), Verification::Broken { event_id: 4, .. }));
    }
}
