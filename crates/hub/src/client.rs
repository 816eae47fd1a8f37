//! A desktop's side of the hub's HTTP interface: join, push and pull, blocking (the CLI
//! and the app's sync thread call it outside any async runtime). A hub's refusal comes
//! back as the same [`HubError`] the hub raised, with its message.

use std::path::Path;
use std::time::Duration;

use crate::envelope::Envelope;
use crate::store::{JoinRequest, Membership, Ordered, Pushed};
use crate::HubError;

pub struct HubClient {
    base: String,
    agent: ureq::Agent,
}

impl HubClient {
    /// A client of the hub at `base` (`http://` on loopback, else `https://`). With
    /// `FACTDESK_HUB_CA` naming a PEM file, the hub's certificate is checked against those
    /// certificates instead of the public roots (a newsroom's own certificate authority).
    pub fn new(base: &str) -> HubClient {
        let mut config =
            ureq::Agent::config_builder().timeout_global(Some(Duration::from_secs(30))).http_status_as_error(false);
        if let Some(roots) = std::env::var_os("FACTDESK_HUB_CA").and_then(|path| own_roots(Path::new(&path))) {
            config = config.tls_config(ureq::tls::TlsConfig::builder().root_certs(roots).build());
        }
        HubClient { base: base.trim_end_matches('/').to_owned(), agent: config.build().into() }
    }

    pub fn join(&self, request: &JoinRequest) -> Result<Membership, HubError> {
        let response = self.agent.post(format!("{}/v1/join", self.base)).send_json(request);
        read(response)
    }

    pub fn push(&self, device_token: &str, batch: &[Envelope]) -> Result<Pushed, HubError> {
        let response = self
            .agent
            .post(format!("{}/v1/events", self.base))
            .header("authorization", format!("Bearer {device_token}"))
            .send_json(batch);
        read(response)
    }

    pub fn put_blob(&self, device_token: &str, sha256: &str, bytes: &[u8]) -> Result<(), HubError> {
        let response = self
            .agent
            .put(format!("{}/v1/blobs/{sha256}", self.base))
            .header("authorization", format!("Bearer {device_token}"))
            .send(bytes);
        read::<serde_json::Value>(response).map(|_| ())
    }

    pub fn get_blob(&self, device_token: &str, sha256: &str) -> Result<Vec<u8>, HubError> {
        let mut response = self
            .agent
            .get(format!("{}/v1/blobs/{sha256}", self.base))
            .header("authorization", format!("Bearer {device_token}"))
            .call()
            .map_err(|e| HubError::Unreachable(e.to_string()))?;
        if response.status().as_u16() != 200 {
            return Err(HubError::NotFound(format!("the hub has no bytes {sha256}")));
        }
        response
            .body_mut()
            .with_config()
            .limit(crate::store::MAX_BLOB_BYTES as u64 + 1)
            .read_to_vec()
            .map_err(|e| HubError::Unreachable(e.to_string()))
    }

    pub fn pull(&self, device_token: &str, after: i64, limit: i64) -> Result<Vec<Ordered>, HubError> {
        let response = self
            .agent
            .get(format!("{}/v1/events?after={after}&limit={limit}", self.base))
            .header("authorization", format!("Bearer {device_token}"))
            .call();
        read(response)
    }
}

/// The certificates of a PEM file as the only roots to trust; `None` (the public roots)
/// when it holds none.
fn own_roots(path: &Path) -> Option<ureq::tls::RootCerts> {
    use rustls_pki_types::pem::PemObject;
    let certificates: Vec<ureq::tls::Certificate<'static>> = rustls_pki_types::CertificateDer::pem_file_iter(path)
        .ok()?
        .filter_map(Result::ok)
        .map(|der| ureq::tls::Certificate::from_der(der.as_ref()).to_owned())
        .collect();
    (!certificates.is_empty()).then(|| ureq::tls::RootCerts::new_with_certs(&certificates))
}

fn read<T: serde::de::DeserializeOwned>(
    response: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
) -> Result<T, HubError> {
    let mut response = response.map_err(|e| HubError::Unreachable(e.to_string()))?;
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .with_config()
        .limit(256 * 1024 * 1024)
        .read_to_string()
        .map_err(|e| HubError::Unreachable(e.to_string()))?;
    if status == 200 {
        return serde_json::from_str(&body)
            .map_err(|e| HubError::Internal(format!("the hub's answer is not understood: {e}")));
    }
    // Not the hub's JSON (a proxy's error page, say): its start, on one line.
    let message = serde_json::from_str::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v["error"].as_str().map(str::to_owned))
        .unwrap_or_else(|| body.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(200).collect());
    Err(match status {
        400 | 422 => HubError::BadRequest(message),
        401 => HubError::Unauthorized(message),
        403 => HubError::Forbidden(message),
        404 => HubError::NotFound(message),
        409 => HubError::Refused(message),
        413 => HubError::TooLarge(message),
        _ => HubError::Internal(format!("the hub answered {status}: {message}")),
    })
}
