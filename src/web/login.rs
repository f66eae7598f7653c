//! `/login` and `/logout`: with `server.token` set, the page asks for the
//! token once (compared in constant time, as the API's bearer token) and
//! keeps a session cookie instead. Without a token there is no login (the
//! server then only listens on loopback).

use std::collections::HashMap;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};

use super::session::{Session, clear_cookie, set_cookie};
use super::{PageError, csrf, form_field, layout, local_path};
use crate::api::Api;

/// `GET /login?next=PATH`
pub(super) async fn form(
    State(api): State<Api>,
    Extension(session): Extension<Session>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let next = params
        .get("next")
        .and_then(|n| local_path(n))
        .unwrap_or("/");
    if !api.token_required() || session.authed {
        return Redirect::to(next).into_response();
    }
    page(&session, next, None).into_response()
}

fn page(session: &Session, next: &str, error: Option<&str>) -> Markup {
    let body = html! {
        h1 { "Log in" }
        @if let Some(e) = error { p.error { (e) } }
        form method="post" action="/login" {
            (csrf(session))
            input type="hidden" name="next" value=(next);
            div.search {
                input type="password" name="token" autocomplete="current-password" placeholder="token" aria-label="token" required;
                button.primary type="submit" { "Log in" }
            }
        }
        p.muted { "The token is the server's " code { "token" } " in the configuration." }
    };
    layout("Log in", session, body)
}

/// `POST /login` (form: `token`, `next`): a new logged-in session, then 303
/// to `next`; 401 and the form again for a wrong token.
pub(super) async fn submit(
    State(api): State<Api>,
    Extension(session): Extension<Session>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PageError> {
    let next = form_field(&body, "next");
    let next = next.as_deref().and_then(local_path).unwrap_or("/");
    if !api.token_required() {
        return Ok(Redirect::to(next).into_response());
    }
    let given = form_field(&body, "token").unwrap_or_default();
    if !api.token_matches(given.trim()) {
        tracing::warn!("web login with a wrong token");
        let form = page(&session, next, Some("That is not the token."));
        return Ok((StatusCode::UNAUTHORIZED, form).into_response());
    }
    // A new id at login: an id someone planted before it is worth nothing.
    api.sessions().end(&session.id);
    let fresh = api.sessions().start(true, true)?;
    let mut r = Redirect::to(next).into_response();
    r.headers_mut()
        .append(header::SET_COOKIE, set_cookie(&fresh.id, &headers));
    Ok(r)
}

/// `POST /logout`: ends the session, then 303 to the login form.
pub(super) async fn logout(
    State(api): State<Api>,
    Extension(session): Extension<Session>,
) -> Response {
    api.sessions().end(&session.id);
    let to = if api.token_required() { "/login" } else { "/" };
    let mut r = Redirect::to(to).into_response();
    r.headers_mut().append(header::SET_COOKIE, clear_cookie());
    r
}
