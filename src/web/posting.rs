//! `/postings/{id}`: one job with every field, its description, where it is
//! listed and which alerts matched it, and the triage buttons (save, applied,
//! dismiss, clear): form POSTs to `/postings/{id}/state` that answer with a
//! redirect back (303), so they work without JavaScript.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use maud::{Markup, PreEscaped, html};

use super::session::Session;
use super::{PageError, age, csrf, form, layout, local_path, safe_href, when};
use crate::api::Api;
use crate::model::{PostingId, pay};
use crate::pipeline::blocking;
use crate::store::{JobState, UserState};

fn posting_id(s: &str) -> Result<PostingId, PageError> {
    s.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .map(PostingId)
        .ok_or_else(|| PageError::new(StatusCode::NOT_FOUND, format!("no posting with id {s}")))
}

/// `GET /postings/{id}`
pub(super) async fn page(
    State(api): State<Api>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
) -> Result<Markup, PageError> {
    let id = posting_id(&id)?;
    let found = api
        .read(move |s| {
            let Some(p) = s.posting(id)? else {
                return Ok(None);
            };
            Ok(Some((p, s.matches_of(id)?)))
        })
        .await?;
    let (p, matches) = found
        .ok_or_else(|| PageError::new(StatusCode::NOT_FOUND, format!("no posting with id {id}")))?;
    let post = &p.posting;
    let now = Utc::now();
    // Stored descriptions are sanitized when written; rows written by older
    // versions may not be, so the allow-list runs again before the page trusts it.
    let description = crate::normalize::render_html(&post.description_html).html;
    let here = format!("/postings/{id}");
    let field = |k: &str, v: Option<String>| -> Markup {
        html! {
            @if let Some(v) = v.filter(|v| !v.is_empty()) { dt { (k) } dd { (v) } }
        }
    };
    let link = |k: &str, v: &Option<String>| -> Markup {
        html! {
            @if let Some(v) = v {
                dt { (k) }
                dd {
                    @match safe_href(v) {
                        Some(h) => a href=(h) rel="noopener noreferrer nofollow" { (v) },
                        None => (v),
                    }
                }
            }
        }
    };
    let body = html! {
        h1 { (post.title) }
        @if let Some(u) = p.user_state { p { span class={ "tag " (u.as_str()) } { (u.as_str()) } } }
        div.actions {
            @if let Some(h) = post.apply_url.as_deref().or(post.url.as_deref()).and_then(safe_href) {
                a href=(h) rel="noopener noreferrer nofollow" { "Apply →" }
            }
            @for (state, label) in [("saved", "Save"), ("applied", "Mark applied"), ("dismissed", "Dismiss"), ("", "Clear")] {
                @if p.user_state.map(UserState::as_str).unwrap_or("") != state {
                    form.inline method="post" action={ "/postings/" (id) "/state" } {
                        (csrf(&session))
                        input type="hidden" name="state" value=(state);
                        input type="hidden" name="back" value=(here);
                        button type="submit" { (label) }
                    }
                }
            }
        }
        dl.fields {
            (field("id", Some(id.to_string())))
            @if post.raw_title != post.title { (field("raw title", Some(post.raw_title.clone()))) }
            (field("company", post.company.clone()))
            (field("department", post.department.clone()))
            (field("location", Some(post.locations.join("; "))))
            (field("workplace", Some(post.workplace.as_str().to_string())))
            (field("employment", post.employment_type.map(|e| e.as_str().to_string())))
            (field("salary", post.salary.as_ref().and_then(pay::salary)))
            @if let Some(s) = post.salary.as_ref().and_then(|s| s.text.clone()) {
                (field("salary as written", Some(s)))
            }
            (field("posted", post.posted_at.map(|t| format!("{} ({})", when(t), age(t, now)))))
            (field("updated", post.updated_at.map(when)))
            (link("url", &post.url))
            (link("apply", &post.apply_url))
            (field("author", post.author.clone()))
            (field("tags", Some(post.tags.join(", "))))
            (field("sources", Some(p.sources.join(", "))))
            (field("first seen", Some(when(p.first_seen))))
            (field("last seen", Some(when(p.last_seen))))
            (field("changed", Some(when(p.changed_at))))
            (field("state", Some(match (p.state, p.closed_at, p.reopened_at) {
                (JobState::Closed, Some(t), _) => format!("closed since {}", when(t)),
                (JobState::Reopened, _, Some(t)) => format!("reopened {}", when(t)),
                (s, _, _) => s.as_str().to_string(),
            })))
            (field("triage", p.user_state.map(|u| u.as_str().to_string())))
        }
        h2 { "Description" }
        div.description { (PreEscaped(description)) }
        h2 { "Listed on" }
        div.table { table {
            thead { tr { th { "source" } th { "id" } th { "link" } th { "seen" } th { "joined because" } } }
            tbody {
                @for s in &p.sightings {
                    tr {
                        td { (s.source) }
                        td { (s.external_id) }
                        td { @if let Some(u) = &s.url {
                            @match safe_href(u) {
                                Some(h) => a href=(h) rel="noopener noreferrer nofollow" { "open" },
                                None => (u),
                            }
                        } }
                        td {
                            (when(s.first_seen)) " – " (when(s.last_seen))
                            @if let Some(t) = s.closed_at { br; "gone since " (when(t)) }
                        }
                        td { (s.reason) @if let Some(d) = &s.detail { ": " (d) } }
                    }
                }
            }
        } }
        @if !matches.is_empty() {
            h2 { "Alerts that matched" }
            ul {
                @for m in &matches {
                    li { (m.alert) " — " (when(m.matched_at)) @if m.notified { " (notified)" } @else { " (recorded silently)" } }
                }
            }
        }
    };
    Ok(layout(&post.title, &session, body))
}

/// `POST /postings/{id}/state` (form: `state` = saved | applied | dismissed |
/// empty to clear, `back` = where to return): stores it, then 303 back.
pub(super) async fn set_state(
    State(api): State<Api>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let id = posting_id(&id)?;
    let fields = form(&body);
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let state = match get("state").unwrap_or("") {
        "" => None,
        s => Some(UserState::parse(s).ok_or_else(|| {
            PageError::new(
                StatusCode::BAD_REQUEST,
                format!("state: `{s}` is not one of saved, applied, dismissed"),
            )
        })?),
    };
    let now = Utc::now();
    let found = blocking(api.store(), move |s| s.set_user_state(id, state, now))
        .await
        .map_err(|e| PageError::from(crate::api::ApiError::from(e)))?;
    if !found {
        return Err(PageError::new(
            StatusCode::NOT_FOUND,
            format!("no posting with id {id}"),
        ));
    }
    let here = format!("/postings/{id}");
    let back = get("back").and_then(local_path).unwrap_or(&here);
    Ok(Redirect::to(back).into_response())
}
