//! The web page's sessions: a random 128-bit id in a cookie, kept in memory
//! (a restart logs everyone out, which costs one login), each with the CSRF
//! token its forms carry. Every visitor gets a session on the first page; with
//! `server.token` set it is logged in only after the login form, which starts
//! a new session (so an id set before the login is worth nothing after it).
//!
//! [`gate`] runs before every page: it finds or starts the session, checks
//! the CSRF token of every POST (403 when missing or wrong), sends visitors
//! who are not logged in to the login form, and sets the page's headers.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use ring::rand::{SecureRandom, SystemRandom};

use super::{PageError, form_field};
use crate::api::Api;

/// The cookie's name.
pub(super) const COOKIE: &str = "jobhound_session";

/// How long a session lasts from its start.
const LIFETIME: Duration = Duration::from_secs(7 * 24 * 3600);

/// Sessions kept at most: any client can start one, so the oldest go first.
const MAX_SESSIONS: usize = 4096;

/// The largest form body a page accepts.
const MAX_FORM: usize = 64 * 1024;

/// The policy of every page: its own stylesheet and forms, nothing else; no
/// script at all.
pub(super) const PAGE_CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
    form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// One visitor's session.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    /// The id as the cookie carries it (hex).
    pub id: String,
    /// The token every form of this session carries.
    pub csrf: String,
    /// Logged in (always, when no token is configured).
    pub authed: bool,
    /// Whether the page offers a logout (a token is configured).
    pub login: bool,
    started: Instant,
    /// Order of start (the oldest is dropped first when there are too many).
    seq: u64,
}

/// The sessions, by the SHA-256 of their id (so a lookup's timing says
/// nothing about the ids kept).
pub(crate) struct Sessions {
    table: Mutex<Table>,
    rng: SystemRandom,
}

impl Default for Sessions {
    fn default() -> Sessions {
        Sessions {
            table: Mutex::default(),
            rng: SystemRandom::new(),
        }
    }
}

#[derive(Default)]
struct Table {
    started: u64,
    map: HashMap<[u8; 32], Session>,
}

impl Sessions {
    /// Starts a session.
    pub(super) fn start(&self, authed: bool, login: bool) -> Result<Session, PageError> {
        let (id, csrf) = (self.random()?, self.random()?);
        let mut t = self.table.lock().unwrap_or_else(|p| p.into_inner());
        t.started = t.started.wrapping_add(1);
        let session = Session {
            id,
            csrf,
            authed,
            login,
            started: Instant::now(),
            seq: t.started,
        };
        t.map.retain(|_, s| s.started.elapsed() < LIFETIME);
        if t.map.len() >= MAX_SESSIONS
            && let Some(oldest) = t.map.iter().min_by_key(|(_, s)| s.seq).map(|(k, _)| *k)
        {
            t.map.remove(&oldest);
        }
        t.map.insert(key(&session.id), session.clone());
        Ok(session)
    }

    /// The session the request's cookie names, if it is live.
    pub(super) fn find(&self, headers: &HeaderMap) -> Option<Session> {
        let id = cookie(headers)?;
        let t = self.table.lock().unwrap_or_else(|p| p.into_inner());
        t.map
            .get(&key(&id))
            .filter(|s| s.started.elapsed() < LIFETIME)
            .cloned()
    }

    /// Ends a session.
    pub(super) fn end(&self, id: &str) {
        self.table
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .map
            .remove(&key(id));
    }

    /// Whether the request carries a logged-in session's cookie.
    pub(crate) fn logged_in(&self, headers: &HeaderMap) -> bool {
        self.find(headers).is_some_and(|s| s.authed)
    }

    /// 128 random bits, as hex.
    fn random(&self) -> Result<String, PageError> {
        let mut bytes = [0u8; 16];
        self.rng
            .fill(&mut bytes)
            .map_err(|_| PageError::internal("the system's random source failed"))?;
        Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
    }
}

fn key(id: &str) -> [u8; 32] {
    let d = ring::digest::digest(&ring::digest::SHA256, id.as_bytes());
    let mut out = [0u8; 32];
    out.copy_from_slice(d.as_ref());
    out
}

/// Compares two strings in time independent of where they differ.
pub(super) fn same(a: &str, b: &str) -> bool {
    let (a, b) = (key(a), key(b));
    let diff = a.iter().zip(&b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

/// The session id in the request's `Cookie` header.
fn cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.trim().to_string())
}

/// The `Set-Cookie` value for `session`. `HttpOnly` (no script reads it) and
/// `SameSite=Strict` (no other site's page sends it). `Secure` only when the
/// browser reached us over HTTPS, through a proxy that says so: the daemon
/// itself speaks plain HTTP, and a browser drops a `Secure` cookie set over it.
pub(super) fn set_cookie(id: &str, headers: &HeaderMap) -> HeaderValue {
    let secure = if https(headers) { "; Secure" } else { "" };
    let v = format!(
        "{COOKIE}={id}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        LIFETIME.as_secs()
    );
    HeaderValue::from_str(&v).unwrap_or(HeaderValue::from_static(""))
}

/// A `Set-Cookie` value that removes the cookie.
pub(super) fn clear_cookie() -> HeaderValue {
    HeaderValue::from_static("jobhound_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")
}

/// Whether a reverse proxy says the browser used HTTPS.
fn https(headers: &HeaderMap) -> bool {
    let proto = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"));
    let forwarded = headers
        .get(header::FORWARDED)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("proto=https"));
    proto || forwarded
}

/// Runs before every page: the session, the CSRF check of POSTs, the login,
/// and the page's headers.
pub(super) async fn gate(State(api): State<Api>, req: Request, next: Next) -> Response {
    let mut response = match admit(&api, req, next).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    };
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(PAGE_CSP),
    );
    // Pages show private data and carry the session's CSRF token.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn admit(api: &Api, req: Request, next: Next) -> Result<Response, PageError> {
    let login = api.token_required();
    let (session, fresh) = match api.sessions().find(req.headers()) {
        Some(s) => (s, false),
        None => (api.sessions().start(!login, login)?, true),
    };
    let mut req = req;
    if req.method() == Method::POST {
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, MAX_FORM)
            .await
            .map_err(|_| PageError::new(StatusCode::PAYLOAD_TOO_LARGE, "the form is too large"))?;
        let given = form_field(&bytes, "csrf");
        // A fresh session has never shown a form: nothing it posts is trusted.
        if fresh || !given.as_deref().is_some_and(|t| same(t, &session.csrf)) {
            return Err(PageError::new(
                StatusCode::FORBIDDEN,
                "the form's security token is missing or out of date: reload the page and send it again",
            ));
        }
        req = Request::from_parts(parts, Body::from(bytes));
    }
    let path = req.uri().path().to_string();
    if !session.authed && path != "/login" {
        if req.method() != Method::GET {
            return Err(PageError::new(StatusCode::FORBIDDEN, "log in first"));
        }
        let back = req
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_default();
        let to = format!(
            "/login?{}",
            url::form_urlencoded::Serializer::new(String::new())
                .append_pair("next", &back)
                .finish()
        );
        let mut r = Redirect::to(&to).into_response();
        if fresh {
            r.headers_mut()
                .append(header::SET_COOKIE, set_cookie(&session.id, req.headers()));
        }
        return Ok(r);
    }
    let cookie = fresh.then(|| set_cookie(&session.id, req.headers()));
    req.extensions_mut().insert(session);
    let mut r = next.run(req).await;
    if let Some(c) = cookie {
        r.headers_mut().append(header::SET_COOKIE, c);
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; jobhound_session=abc ; b=2"),
        );
        assert_eq!(cookie(&h).as_deref(), Some("abc"));
        let s = Sessions::default();
        let started = s.start(true, false).expect("session");
        assert_eq!(started.id.len(), 32, "128 bits as hex");
        assert_ne!(started.id, started.csrf);
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("{COOKIE}={}", started.id)).expect("header"),
        );
        assert!(s.logged_in(&h));
        s.end(&started.id);
        assert!(!s.logged_in(&h), "an ended session is gone");
    }

    #[test]
    fn the_cookie_is_secure_only_behind_https() {
        let plain = set_cookie("x", &HeaderMap::new());
        let plain = plain.to_str().expect("ascii");
        assert!(plain.contains("HttpOnly") && plain.contains("SameSite=Strict"));
        assert!(!plain.contains("Secure"), "{plain}");
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        assert!(
            set_cookie("x", &h)
                .to_str()
                .expect("ascii")
                .ends_with("; Secure")
        );
    }

    #[test]
    fn sessions_are_bounded() {
        let s = Sessions::default();
        let first = s.start(false, true).expect("session");
        for _ in 0..MAX_SESSIONS {
            s.start(false, true).expect("session");
        }
        let t = s.table.lock().expect("lock");
        assert_eq!(t.map.len(), MAX_SESSIONS);
        assert!(
            !t.map.contains_key(&key(&first.id)),
            "the oldest went first"
        );
    }
}
