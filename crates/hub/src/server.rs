//! The hub's HTTP interface (axum on tokio): `POST /v1/join` trades an invitation for a
//! device token; `POST /v1/events` pushes a batch of signed events; `GET /v1/events?after=N`
//! pulls the workspace's events in order; `GET /v1/health` answers 200 while the database
//! does, 503 when it does not (for load balancers and monitors). Every route but join and
//! health needs the device's bearer token. Errors are `{"error": "..."}` with a status that
//! says whose fault it was.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::envelope::Envelope;
use crate::store::{Device, Hub, JoinRequest, MAX_BATCH_EVENTS, MAX_BLOB_BYTES, MAX_EVENT_BYTES};
use crate::HubError;

impl IntoResponse for HubError {
    fn into_response(self) -> Response {
        let status = match &self {
            HubError::BadRequest(_) => StatusCode::BAD_REQUEST,
            HubError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            HubError::Forbidden(_) => StatusCode::FORBIDDEN,
            HubError::NotFound(_) => StatusCode::NOT_FOUND,
            HubError::Refused(_) => StatusCode::CONFLICT,
            HubError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            HubError::Database(_) | HubError::Internal(_) | HubError::Unreachable(_) => {
                tracing::error!("{self}");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        (status, Json(json!({ "error": self.to_string() }))).into_response()
    }
}

/// The routes, over an open [`Hub`].
pub fn router(hub: Arc<Hub>) -> Router {
    Router::new()
        .route("/v1/join", post(join))
        .route("/v1/events", post(push).get(pull))
        .route("/v1/status", get(status))
        .route("/v1/health", get(health))
        .route("/v1/blobs/{sha256}", axum::routing::put(put_blob).get(get_blob))
        // A full batch of the largest events, with room for the JSON around them.
        // (and an article's bytes).
        .layer(DefaultBodyLimit::max((MAX_BATCH_EVENTS * MAX_EVENT_BYTES / 8).max(MAX_BLOB_BYTES) + 64 * 1024))
        .with_state(hub)
}

/// Serves on `listener` (a loopback [`bind`], or a [`TlsListener`]) until `stop`
/// completes, then stops taking connections and returns once the requests in flight are
/// answered (a push's transaction ends either way: committed, or rolled back if the
/// process is killed). Prints nothing; the caller says where it listens.
pub async fn serve<L>(
    hub: Arc<Hub>,
    listener: L,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), HubError>
where
    L: axum::serve::Listener,
    L::Addr: std::fmt::Debug,
{
    axum::serve(listener, router(hub))
        .with_graceful_shutdown(stop)
        .await
        .map_err(|e| HubError::Internal(format!("the server stopped: {e}")))
}

/// Completes when the process is asked to stop: SIGTERM (a supervisor, `systemctl stop`)
/// or Ctrl-C.
pub async fn stop_requested() {
    #[cfg(unix)]
    {
        let mut terminate = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(terminate) => terminate,
            Err(error) => {
                tracing::warn!("cannot listen for SIGTERM: {error}");
                let _ = tokio::signal::ctrl_c().await;
                return;
            }
        };
        tokio::select! {
            _ = terminate.recv() => {}
            _ = tokio::signal::ctrl_c() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}

/// Binds `addr`; without TLS, only a loopback address.
pub async fn bind(addr: SocketAddr) -> Result<tokio::net::TcpListener, HubError> {
    if !addr.ip().is_loopback() {
        return Err(HubError::BadRequest(format!(
            "{addr} is not a loopback address: serving the hub beyond this machine needs TLS (--tls-cert and --tls-key)"
        )));
    }
    bind_any(addr).await
}

async fn bind_any(addr: SocketAddr) -> Result<tokio::net::TcpListener, HubError> {
    tokio::net::TcpListener::bind(addr).await.map_err(|e| HubError::Internal(format!("cannot listen on {addr}: {e}")))
}

/// A TCP listener whose connections are TLS (rustls, ring). Each accepted connection's
/// handshake runs in a task of its own and must finish within [`HANDSHAKE_TIME`]; one that
/// fails is dropped, not served. A client that stalls its handshake holds up no other
/// (handshakes in `accept`, one at a time, would let it delay every desk's sync); at most
/// [`MAX_HANDSHAKES`] run at once, so a flood of them waits at the TCP accept.
pub struct TlsListener {
    local: SocketAddr,
    handshaken: tokio::sync::mpsc::Receiver<(tokio_rustls::server::TlsStream<tokio::net::TcpStream>, SocketAddr)>,
    accepting: tokio::task::JoinHandle<()>,
}

/// How long a client has to finish its TLS handshake.
const HANDSHAKE_TIME: std::time::Duration = std::time::Duration::from_secs(10);
/// Handshakes in progress at once.
const MAX_HANDSHAKES: usize = 256;

impl TlsListener {
    /// Binds `addr` (any address) with the certificate chain and private key in PEM files.
    pub async fn bind(addr: SocketAddr, cert: &Path, key: &Path) -> Result<TlsListener, HubError> {
        use rustls_pki_types::pem::PemObject;
        use rustls_pki_types::{CertificateDer, PrivateKeyDer};
        let unreadable = |what: &str, path: &Path, e: &dyn std::fmt::Display| {
            HubError::BadRequest(format!("{}: not a readable PEM {what}: {e}", path.display()))
        };
        let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
            .map_err(|e| unreadable("certificate chain", cert, &e))?
            .collect::<Result<_, _>>()
            .map_err(|e| unreadable("certificate chain", cert, &e))?;
        if chain.is_empty() {
            return Err(HubError::BadRequest(format!("{}: no certificate in it", cert.display())));
        }
        let key = PrivateKeyDer::from_pem_file(key).map_err(|e| unreadable("private key", key, &e))?;
        let config =
            tokio_rustls::rustls::ServerConfig::builder().with_no_client_auth().with_single_cert(chain, key).map_err(
                |e| HubError::BadRequest(format!("the certificate and key do not make a TLS configuration: {e}")),
            )?;
        let tcp = bind_any(addr).await?;
        let local = tcp.local_addr().map_err(|e| HubError::Internal(format!("cannot listen on {addr}: {e}")))?;
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let (ready, handshaken) = tokio::sync::mpsc::channel(MAX_HANDSHAKES);
        let accepting = tokio::spawn(handshakes(tcp, acceptor, ready));
        Ok(TlsListener { local, handshaken, accepting })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        Ok(self.local)
    }
}

impl Drop for TlsListener {
    fn drop(&mut self) {
        self.accepting.abort();
    }
}

/// Accepts TCP connections and shakes hands with each in a task of its own, handing the
/// connections that finish to `ready`, until the listener is gone.
async fn handshakes(
    tcp: tokio::net::TcpListener,
    acceptor: tokio_rustls::TlsAcceptor,
    ready: tokio::sync::mpsc::Sender<(tokio_rustls::server::TlsStream<tokio::net::TcpStream>, SocketAddr)>,
) {
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_HANDSHAKES));
    while !ready.is_closed() {
        let Ok(slot) = slots.clone().acquire_owned().await else { return };
        let (stream, peer) = match tcp.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of file descriptors, say: back off instead of spinning (as axum does).
                tracing::warn!("accepting a connection failed: {e}");
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                continue;
            }
        };
        let (acceptor, ready) = (acceptor.clone(), ready.clone());
        tokio::spawn(async move {
            let handshake = tokio::time::timeout(HANDSHAKE_TIME, acceptor.accept(stream)).await;
            drop(slot);
            match handshake {
                Ok(Ok(tls)) => {
                    let _ = ready.send((tls, peer)).await;
                }
                Ok(Err(e)) => tracing::info!("a TLS handshake failed: {e}"),
                Err(_) => tracing::info!("a TLS handshake timed out"),
            }
        });
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = tokio_rustls::server::TlsStream<tokio::net::TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.handshaken.recv().await {
            Some(connection) => connection,
            // The accepting task ended only if this listener was dropped.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(self.local)
    }
}

async fn device(hub: &Hub, headers: &HeaderMap) -> Result<Device, HubError> {
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| HubError::Unauthorized("a device token is needed (Authorization: Bearer ...)".into()))?;
    hub.authenticate(token.trim()).await
}

async fn join(State(hub): State<Arc<Hub>>, Json(request): Json<JoinRequest>) -> Result<Response, HubError> {
    Ok(Json(hub.join(&request).await?).into_response())
}

async fn push(
    State(hub): State<Arc<Hub>>,
    headers: HeaderMap,
    Json(batch): Json<Vec<Envelope>>,
) -> Result<Response, HubError> {
    let device = device(&hub, &headers).await?;
    Ok(Json(hub.push(&device, &batch).await?).into_response())
}

#[derive(Deserialize)]
struct PullQuery {
    #[serde(default)]
    after: i64,
    limit: Option<i64>,
}

async fn pull(
    State(hub): State<Arc<Hub>>,
    headers: HeaderMap,
    Query(query): Query<PullQuery>,
) -> Result<Response, HubError> {
    let device = device(&hub, &headers).await?;
    let json = hub.pull(&device, query.after, query.limit.unwrap_or(1_000)).await?;
    Ok(([(axum::http::header::CONTENT_TYPE, "application/json")], json).into_response())
}

/// Unauthenticated, so it says nothing about the database but whether it answers (the
/// reason goes to the hub's log).
async fn health(State(hub): State<Arc<Hub>>) -> Response {
    match hub.healthy(std::time::Duration::from_secs(5)).await {
        Ok(()) => Json(json!({ "status": "ok" })).into_response(),
        Err(error) => {
            tracing::warn!("health check failed: {error}");
            (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "status": "unavailable" }))).into_response()
        }
    }
}

async fn status(State(hub): State<Arc<Hub>>, headers: HeaderMap) -> Result<Response, HubError> {
    let device = device(&hub, &headers).await?;
    Ok(Json(json!({ "member": device.member, "role": device.role })).into_response())
}

async fn put_blob(
    State(hub): State<Arc<Hub>>,
    headers: HeaderMap,
    axum::extract::Path(sha256): axum::extract::Path<String>,
    bytes: axum::body::Bytes,
) -> Result<Response, HubError> {
    let device = device(&hub, &headers).await?;
    hub.put_blob(&device, &sha256, &bytes).await?;
    Ok(Json(json!({ "stored": sha256 })).into_response())
}

async fn get_blob(
    State(hub): State<Arc<Hub>>,
    headers: HeaderMap,
    axum::extract::Path(sha256): axum::extract::Path<String>,
) -> Result<Response, HubError> {
    let device = device(&hub, &headers).await?;
    Ok(hub.get_blob(&device, &sha256).await?.into_response())
}
