//! The web page for triage, served by the daemon beside the API: server-
//! rendered HTML over the same read path (search, postings, alerts, sources,
//! the outbox), with plain links and form POSTs and no script at all.
//!
//! maud writes the HTML: templates are Rust checked at compile time, and
//! every value put in one is escaped unless marked otherwise (only the
//! description, sanitized again here, is). One stylesheet is compiled into
//! the binary, so the policy can forbid everything else (see
//! [`session::PAGE_CSP`]).
//!
//! One file per page: [`search`] (`/`), [`posting`] (`/postings/{id}`),
//! [`alerts`], [`sources`], [`notifications`], [`login`]; [`session`] keeps
//! the sessions and guards every page.

mod alerts;
mod login;
mod notifications;
mod posting;
mod search;
mod session;
mod sources;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};
use maud::{DOCTYPE, Markup, html};

use crate::api::{Api, ApiError};
use session::Session;
pub(crate) use session::Sessions;

/// The stylesheet, compiled in.
const CSS: &str = include_str!("app.css");

/// The page routes, each behind [`session::gate`]; the stylesheet is public.
pub(crate) fn routes(api: Api) -> Router<Api> {
    let pages = Router::new()
        .route("/", get(search::page))
        .route("/postings/{id}", get(posting::page))
        .route(
            "/postings/{id}/state",
            axum::routing::post(posting::set_state),
        )
        .route("/alerts", get(alerts::page))
        .route("/sources", get(sources::page))
        .route("/notifications", get(notifications::page))
        .route(
            "/notifications/retry",
            axum::routing::post(notifications::retry),
        )
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", axum::routing::post(login::logout))
        .route_layer(middleware::from_fn_with_state(api, session::gate));
    Router::new()
        .route("/static/app.css", get(css))
        .merge(pages)
}

async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        CSS,
    )
        .into_response()
}

/// A page that could not be shown: its status and why, as a small page.
#[derive(Debug)]
pub(crate) struct PageError {
    status: StatusCode,
    message: String,
}

impl PageError {
    fn new(status: StatusCode, message: impl Into<String>) -> PageError {
        PageError {
            status,
            message: message.into(),
        }
    }

    fn internal(message: impl Into<String>) -> PageError {
        PageError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }
}

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> PageError {
        let message = e.to_string();
        // The API decides the status (and logs what failed on our side).
        let status = e.into_response().status();
        PageError::new(status, message)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let body = html! {
            (DOCTYPE)
            html lang="en" {
                head { (head("Error")) }
                body {
                    main {
                        h1 { (self.status.as_u16()) " " (self.status.canonical_reason().unwrap_or("")) }
                        p.error { (self.message) }
                        p { a href="/" { "Back to the search" } }
                    }
                }
            }
        };
        (self.status, body).into_response()
    }
}

fn head(title: &str) -> Markup {
    html! {
        meta charset="utf-8";
        meta name="viewport" content="width=device-width, initial-scale=1";
        title { (title) " · jobhound" }
        link rel="stylesheet" href="/static/app.css";
    }
}

/// A whole page: the navigation, then `body`.
fn layout(title: &str, session: &Session, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head { (head(title)) }
            body {
                header {
                    nav {
                        a href="/" { "Search" }
                        a href="/alerts" { "Alerts" }
                        a href="/sources" { "Sources" }
                        a href="/notifications" { "Notifications" }
                        @if session.login && session.authed {
                            form.inline method="post" action="/logout" {
                                (csrf(session))
                                button type="submit" { "Log out" }
                            }
                        }
                    }
                }
                main { (body) }
            }
        }
    }
}

/// The hidden field every form carries.
fn csrf(session: &Session) -> Markup {
    html! { input type="hidden" name="csrf" value=(session.csrf); }
}

/// A form body's fields.
fn form(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

/// One field of a form body.
fn form_field(body: &[u8], name: &str) -> Option<String> {
    url::form_urlencoded::parse(body)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// A path on this server to return to (never another site: `//host` and
/// `/\host` are other sites to a browser).
fn local_path(s: &str) -> Option<&str> {
    let ok = s.starts_with('/')
        && !s.starts_with("//")
        && !s.starts_with("/\\")
        && !s.chars().any(|c| c.is_control());
    ok.then_some(s)
}

/// A link from a source, only when it is http(s) (no `javascript:`, `data:`).
fn safe_href(s: &str) -> Option<String> {
    let u = url::Url::parse(s.trim()).ok()?;
    matches!(u.scheme(), "http" | "https").then(|| u.to_string())
}

/// An age as people say it: "5m", "3h", "2d", "6w".
fn age(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let s = (now - t).num_seconds();
    match s {
        s if s < 60 => "just now".into(),
        s if s < 3600 => format!("{}m ago", s / 60),
        s if s < 86_400 => format!("{}h ago", s / 3600),
        s if s < 14 * 86_400 => format!("{}d ago", s / 86_400),
        s => format!("{}w ago", s / (7 * 86_400)),
    }
}

/// `k=v`, encoded for a query string.
fn query_pair(k: &str, v: &str) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .append_pair(k, v)
        .finish()
}

/// A name as one path segment.
fn segment(name: &str) -> String {
    url::form_urlencoded::byte_serialize(name.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// A time in UTC, to the minute.
fn when(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_and_web_links_pass() {
        for (s, ok) in [
            ("/", true),
            ("/?q=rust&cursor=1.2", true),
            ("//evil.example/", false),
            ("/\\evil.example", false),
            ("https://evil.example/", false),
            ("/x\ny", false),
        ] {
            assert_eq!(local_path(s).is_some(), ok, "{s:?}");
        }
        for (s, ok) in [
            ("https://jobs.example/1", true),
            ("http://jobs.example/1", true),
            ("javascript:alert(1)", false),
            (" JavaScript:alert(1)", false),
            ("data:text/html,x", false),
            ("/relative", false),
        ] {
            assert_eq!(safe_href(s).is_some(), ok, "{s:?}");
        }
    }

    #[test]
    fn ages_read_like_speech() {
        let now = Utc::now();
        for (secs, want) in [
            (5, "just now"),
            (300, "5m ago"),
            (7200, "2h ago"),
            (3 * 86_400, "3d ago"),
            (30 * 86_400, "4w ago"),
        ] {
            assert_eq!(age(now - chrono::Duration::seconds(secs), now), want);
        }
    }
}
