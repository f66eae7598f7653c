//! The HTTP API `jobhound run` serves beside the scheduler (`[server]`): thin
//! handlers over the same read path as the CLI ([`crate::search`] and the
//! store's reads, on read-only connections off the async threads), the
//! user's triage state, an Atom feed per alert, Prometheus metrics and a
//! health check. With a token configured every endpoint but `/healthz`
//! requires it; every response carries headers that keep a browser from
//! sniffing or running what it returns.
//!
//! One file per group: [`postings`], [`catalog`] (sources, alerts,
//! notifications), [`feed`] (Atom), [`status`] (metrics and health).

mod catalog;
mod feed;
mod postings;
mod status;

pub(crate) use postings::{cursor, parse_cursor};

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::pipeline::SharedStore;
use crate::store::{Store, StoreError};
use crate::telemetry::Telemetry;

/// Everything the handlers share.
#[derive(Clone)]
pub struct Api {
    inner: Arc<Inner>,
}

struct Inner {
    /// The running config: a reload (SIGHUP) sends the new one here.
    config: tokio::sync::watch::Receiver<Arc<Config>>,
    /// Read-only connections kept for reuse (opening one parses the schema).
    readers: Mutex<Vec<Store>>,
    /// The daemon's read-write connection, for the few writes (triage state).
    store: SharedStore,
    telemetry: Arc<Telemetry>,
    /// SHA-256 of the configured token: compared digest to digest, so neither
    /// the token's bytes nor its length shape how long a comparison takes.
    token: Option<[u8; 32]>,
    /// One scrape at a time fills the store-backed gauges and encodes them.
    scrape: Mutex<()>,
    /// The web page's sessions (its login, and the CSRF token of its forms).
    sessions: crate::web::Sessions,
    /// Wakes the delivery loop (after a retry from the web page).
    wake: OnceLock<Arc<Notify>>,
}

/// Read-only connections kept idle at most.
const IDLE_READERS: usize = 8;

impl Api {
    /// The API over `config`'s database; `store` is the daemon's connection.
    pub fn new(
        config: tokio::sync::watch::Receiver<Arc<Config>>,
        store: SharedStore,
        telemetry: Arc<Telemetry>,
    ) -> Api {
        // The token is the one the server started with: [server] changes need a restart.
        let token = config
            .borrow()
            .server
            .as_ref()
            .and_then(|s| s.token.as_ref())
            .map(|t| digest(t.expose().as_bytes()));
        Api {
            inner: Arc::new(Inner {
                config,
                readers: Mutex::new(Vec::new()),
                store,
                telemetry,
                token,
                scrape: Mutex::new(()),
                sessions: crate::web::Sessions::default(),
                wake: OnceLock::new(),
            }),
        }
    }

    /// Lets the web page wake the delivery loop through `wake` (after a retry).
    pub fn waking(self, wake: Arc<Notify>) -> Api {
        let _ = self.inner.wake.set(wake);
        self
    }

    /// Wakes the delivery loop, when one was given.
    pub(crate) fn wake_deliverer(&self) {
        if let Some(w) = self.inner.wake.get() {
            w.notify_one();
        }
    }

    pub(crate) fn config(&self) -> Arc<Config> {
        self.inner.config.borrow().clone()
    }

    /// The daemon's read-write connection.
    pub(crate) fn store(&self) -> &SharedStore {
        &self.inner.store
    }

    /// The web page's sessions.
    pub(crate) fn sessions(&self) -> &crate::web::Sessions {
        &self.inner.sessions
    }

    /// Whether a token is configured (the web page then needs a login).
    pub(crate) fn token_required(&self) -> bool {
        self.inner.token.is_some()
    }

    /// Whether `given` is the configured token, compared in constant time
    /// (false when none is configured).
    pub(crate) fn token_matches(&self, given: &str) -> bool {
        self.inner
            .token
            .is_some_and(|want| same(&digest(given.as_bytes()), &want))
    }

    fn db_path(&self) -> PathBuf {
        self.config().database.path.clone()
    }

    /// Runs `f` on a read-only connection on a blocking thread.
    pub(crate) async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let api = self.clone();
        tokio::task::spawn_blocking(move || {
            let idle = api
                .inner
                .readers
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .pop();
            let store = match idle {
                Some(s) => s,
                None => Store::open_read_only(&api.db_path())?,
            };
            let out = f(&store)?;
            let mut idle = api.inner.readers.lock().unwrap_or_else(|p| p.into_inner());
            if idle.len() < IDLE_READERS {
                idle.push(store);
            }
            Ok(out)
        })
        .await
        .map_err(|e| ApiError::Internal(format!("the read task failed: {e}")))?
    }
}

/// The routes.
pub fn router(api: Api) -> Router {
    let guarded = Router::new()
        .route("/api/postings", get(postings::list))
        .route("/api/postings/{id}", get(postings::show))
        .route("/api/postings/{id}/state", post(postings::set_state))
        .route("/api/sources", get(catalog::sources))
        .route("/api/alerts", get(catalog::alerts))
        .route("/api/alerts/{name}/matches", get(catalog::matches))
        .route("/api/notifications", get(catalog::notifications))
        .route("/alerts/{feed}", get(feed::atom))
        .route("/metrics", get(status::metrics))
        .route_layer(middleware::from_fn_with_state(api.clone(), authorize));
    Router::new()
        .route("/healthz", get(status::healthz))
        .merge(guarded)
        // The web page guards its own routes (login session, CSRF).
        .merge(crate::web::routes(api.clone()))
        .fallback(|| async { ApiError::NotFound("no such endpoint".into()) })
        .layer(middleware::from_fn(secure_headers))
        .with_state(api)
}

/// Serves `router(api)` on `listener` until `cancel` fires; requests in
/// flight then finish (the daemon bounds the wait).
pub async fn serve(
    listener: tokio::net::TcpListener,
    api: Api,
    cancel: CancellationToken,
) -> std::io::Result<()> {
    axum::serve(listener, router(api))
        .with_graceful_shutdown(cancel.cancelled_owned())
        .await
}

/// Requires the token, when one is configured: `Authorization: Bearer T`,
/// or `?token=T` on feeds (feed readers cannot send headers).
async fn authorize(State(api): State<Api>, req: Request, next: Next) -> Response {
    let Some(want) = api.inner.token else {
        return next.run(req).await;
    };
    // The web page's login authorizes the API too (its cookie is SameSite=Strict).
    if api.sessions().logged_in(req.headers()) {
        return next.run(req).await;
    }
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        // The scheme is case-insensitive (RFC 9110 §11.1).
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| t.trim());
    let query = if req.uri().path().starts_with("/alerts/") {
        req.uri().query().and_then(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == "token")
                .map(|(_, v)| v.into_owned())
        })
    } else {
        None
    };
    let given = bearer.map(str::to_owned).or(query);
    match given {
        Some(t) if same(&digest(t.as_bytes()), &want) => next.run(req).await,
        _ => {
            let mut r = ApiError::Unauthorized.into_response();
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"jobhound\""),
            );
            r
        }
    }
}

fn digest(bytes: &[u8]) -> [u8; 32] {
    let d = ring::digest::digest(&ring::digest::SHA256, bytes);
    let mut out = [0u8; 32];
    out.copy_from_slice(d.as_ref());
    out
}

/// Compares two digests in time independent of where they differ.
fn same(a: &[u8; 32], b: &[u8; 32]) -> bool {
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

/// Adds the security headers to every response: no MIME sniffing, and a
/// policy under which a browser loads and runs nothing from a response.
async fn secure_headers(req: Request, next: Next) -> Response {
    let mut r = next.run(req).await;
    let h = r.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // The web page sets a policy of its own (it loads its stylesheet).
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(
            "default-src 'none'; frame-ancestors 'none'",
        ));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    r
}

/// Why a request failed; answered as JSON `{"error": ...}`.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is malformed (a parameter, the body).
    #[error("{0}")]
    BadRequest(String),
    /// The query does not parse.
    #[error("bad query {0}")]
    Query(#[from] crate::alerts::QueryError),
    /// No such posting, alert…
    #[error("{0}")]
    NotFound(String),
    /// The token is missing or wrong.
    #[error("a valid token is required (Authorization: Bearer TOKEN)")]
    Unauthorized,
    /// The database failed.
    #[error("{0}")]
    Store(#[from] StoreError),
    /// Anything else.
    #[error("internal error: {0}")]
    Internal(String),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = match &self {
            ApiError::BadRequest(_) | ApiError::Query(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Store(StoreError::Missing { .. }) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Store(_) | ApiError::Internal(_) => {
                tracing::error!(error = %self, "API request failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let mut body = serde_json::json!({ "error": self.to_string() });
        if let ApiError::Query(e) = &self {
            body["position"] = e.position.into();
            body["message"] = e.message.clone().into();
            body["caret"] = e.caret().into();
        }
        (status, axum::Json(body)).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_by_digest() {
        assert!(same(&digest(b"abc"), &digest(b"abc")));
        assert!(!same(&digest(b"abc"), &digest(b"abd")));
        assert!(!same(&digest(b"abc"), &digest(b"abcd")));
    }
}
