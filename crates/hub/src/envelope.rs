//! The signed envelope one history event travels in between a desktop and the hub:
//! what it says (id, device, author, time, kind, subject, payload, the device's previous
//! envelope), the SHA-256 of that in canonical JSON, and the device's ed25519 signature of
//! the hash. A device's envelopes form its own chain through `prev`; the hub checks the
//! seal and that chain and never looks inside the payload.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use factdesk_core::events::EventKind;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::HubError;

/// An envelope as pushed, pulled and stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    /// Unique across devices: the device's short id and its own running number.
    pub id: String,
    /// The device's ed25519 public key, hex.
    pub device: String,
    /// The member the device belongs to.
    pub author: String,
    pub at: String,
    pub kind: EventKind,
    /// The article and claim the event is about, by ids that mean the same on every desktop.
    pub subject: Value,
    pub payload: Value,
    /// The hash of this device's previous envelope; `None` for its first.
    pub prev: Option<String>,
    pub hash: String,
    pub signature: String,
}

/// What a desktop fills in before sealing.
#[derive(Debug, Clone)]
pub struct Unsealed {
    pub id: String,
    pub author: String,
    pub at: String,
    pub kind: EventKind,
    pub subject: Value,
    pub payload: Value,
    pub prev: Option<String>,
}

/// A desktop's signing key.
pub struct DeviceKey(SigningKey);

impl DeviceKey {
    /// A new random key (from the operating system's generator).
    pub fn generate() -> Result<DeviceKey, HubError> {
        let mut secret = [0_u8; 32];
        getrandom::fill(&mut secret).map_err(|e| HubError::Internal(format!("no random bytes: {e}")))?;
        Ok(DeviceKey(SigningKey::from_bytes(&secret)))
    }

    pub fn from_hex(secret: &str) -> Result<DeviceKey, HubError> {
        let bytes: [u8; 32] = unhex(secret)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| HubError::Internal("a device key is 32 bytes of hex".into()))?;
        Ok(DeviceKey(SigningKey::from_bytes(&bytes)))
    }

    pub fn secret_hex(&self) -> String {
        hex(&self.0.to_bytes())
    }

    pub fn public_hex(&self) -> String {
        hex(self.0.verifying_key().as_bytes())
    }

    /// The device's short id: the first 16 hex digits of its public key.
    pub fn short_id(&self) -> String {
        self.public_hex()[..16].to_owned()
    }

    pub fn seal(&self, unsealed: Unsealed) -> Envelope {
        let mut envelope = Envelope {
            id: unsealed.id,
            device: self.public_hex(),
            author: unsealed.author,
            at: unsealed.at,
            kind: unsealed.kind,
            subject: unsealed.subject,
            payload: unsealed.payload,
            prev: unsealed.prev,
            hash: String::new(),
            signature: String::new(),
        };
        envelope.hash = envelope.content_hash();
        envelope.signature = hex(&self.0.sign(envelope.hash.as_bytes()).to_bytes());
        envelope
    }
}

impl Envelope {
    /// SHA-256 (hex) of the canonical JSON of everything but the hash and signature.
    pub fn content_hash(&self) -> String {
        let body = json!({
            "id": self.id,
            "device": self.device,
            "author": self.author,
            "at": self.at,
            "kind": self.kind.as_str(),
            "subject": self.subject,
            "payload": self.payload,
            "prev": self.prev,
        });
        hex(&Sha256::digest(factdesk_core::history::canonical_json(&body).as_bytes()))
    }

    /// The hash matches the content and the signature is the device's.
    pub fn check_seal(&self) -> Result<(), HubError> {
        self.check_hash()?;
        self.check_signature()
    }

    /// The hash matches the content.
    pub fn check_hash(&self) -> Result<(), HubError> {
        if self.content_hash() != self.hash {
            return Err(self.refused("its hash does not match its content"));
        }
        Ok(())
    }

    /// The signature of the hash is the device's.
    pub fn check_signature(&self) -> Result<(), HubError> {
        let key: [u8; 32] =
            unhex(&self.device).and_then(|b| b.try_into().ok()).ok_or_else(|| self.refused("bad device key"))?;
        let key = VerifyingKey::from_bytes(&key).map_err(|_| self.refused("bad device key"))?;
        let signature: [u8; 64] =
            unhex(&self.signature).and_then(|b| b.try_into().ok()).ok_or_else(|| self.refused("bad signature"))?;
        key.verify(self.hash.as_bytes(), &Signature::from_bytes(&signature))
            .map_err(|_| self.refused("the signature is not the device's"))
    }

    fn refused(&self, why: &str) -> HubError {
        HubError::Refused(format!("event {}: {why}", self.id))
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(key: &DeviceKey) -> Envelope {
        key.seal(Unsealed {
            id: format!("{}-1", key.short_id()),
            author: "ana".into(),
            at: "2026-12-03T01:00:00Z".into(),
            kind: EventKind::ClaimFlagged,
            subject: json!({"article": "ab", "claim": "x-1"}),
            payload: json!({"quote": "Unemployment fell to 4.2%"}),
            prev: None,
        })
    }

    #[test]
    fn a_sealed_envelope_checks_and_any_change_breaks_it() {
        let key = DeviceKey::generate().unwrap();
        let envelope = sample(&key);
        envelope.check_seal().unwrap();
        assert_eq!(DeviceKey::from_hex(&key.secret_hex()).unwrap().public_hex(), key.public_hex());

        let mut changed = envelope.clone();
        changed.payload = json!({"quote": "Unemployment fell to 4.3%"});
        assert!(changed.check_seal().unwrap_err().to_string().contains("hash does not match"));
        // Re-hashed by someone without the key: the signature gives it away.
        changed.hash = changed.content_hash();
        assert!(changed.check_seal().unwrap_err().to_string().contains("not the device's"));
        // Signed by another device, claiming to be this one.
        let other = DeviceKey::generate().unwrap();
        let mut forged = sample(&other);
        forged.device = key.public_hex();
        forged.hash = forged.content_hash();
        assert!(forged.check_seal().is_err());
    }
}
