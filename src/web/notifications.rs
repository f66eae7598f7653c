//! `/notifications`: the outbox (counts, then the latest deliveries with
//! their reasons, by status), with a retry button on each failed delivery and
//! one for all: CSRF-checked POSTs to `/notifications/retry` that make the
//! failed message due again (as `jobhound notifications retry`) and wake the
//! delivery loop.

use std::collections::HashMap;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use maud::{Markup, html};

use super::session::Session;
use super::{PageError, csrf, form_field, layout, query_pair, when};
use crate::api::{Api, ApiError};
use crate::pipeline::blocking;
use crate::store::DeliveryStatus;

/// Deliveries listed.
const LIMIT: usize = 100;

/// `GET /notifications?status=pending|sent|failed`
pub(super) async fn page(
    State(api): State<Api>,
    Extension(session): Extension<Session>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Markup, PageError> {
    let status = match params.get("status").map(|s| s.trim()).unwrap_or("") {
        "" => None,
        "pending" => Some(DeliveryStatus::Pending),
        "sent" => Some(DeliveryStatus::Sent),
        "failed" => Some(DeliveryStatus::Failed),
        s => {
            return Err(PageError::new(
                StatusCode::BAD_REQUEST,
                format!("status: `{s}` is not one of pending, sent, failed"),
            ));
        }
    };
    let (counts, rows) = api
        .read(move |s| Ok((s.outbox_counts(None)?, s.deliveries(status, None, LIMIT)?)))
        .await?;
    let here = match status {
        None => "/notifications".to_string(),
        Some(s) => format!("/notifications?{}", query_pair("status", s.as_str())),
    };
    let body = html! {
        h1 { "Notifications" }
        p.actions {
            a href="/notifications" { "all" }
            a href="/notifications?status=pending" { (counts.pending) " pending" }
            a href="/notifications?status=sent" { (counts.sent) " sent" }
            a href="/notifications?status=failed" { (counts.failed) " failed" }
            @if counts.failed > 0 {
                form.inline method="post" action="/notifications/retry" {
                    (csrf(&session))
                    input type="hidden" name="back" value=(here);
                    button type="submit" { "Retry all failed" }
                }
            }
        }
        @if rows.is_empty() { p.muted { "No deliveries." } }
        @else {
            div.table { table {
                thead { tr { th { "job" } th { "alert → notifier" } th { "status" } th { "when" } th {} } }
                tbody {
                    @for (d, title) in &rows {
                        tr {
                            td { a href={ "/postings/" (d.posting_id) } { @if title.is_empty() { "(job " (d.posting_id) ")" } @else { (title) } } }
                            td { (d.alert) " → " (d.notifier) }
                            td {
                                span class={ "tag " @if d.status == DeliveryStatus::Failed { "failed" } } { (d.status.as_str()) }
                                " " (d.attempts) " attempt" @if d.attempts != 1 { "s" }
                                @if let Some(e) = &d.last_error { br; span.muted { (e) } }
                            }
                            td {
                                "queued " (when(d.created_at))
                                @match (d.status, d.sent_at) {
                                    (DeliveryStatus::Sent, Some(t)) => { br; "sent " (when(t)) },
                                    (DeliveryStatus::Pending, _) => { br; "next try " (when(d.next_attempt_at)) },
                                    _ => {},
                                }
                            }
                            td {
                                @if d.status == DeliveryStatus::Failed {
                                    form.inline method="post" action="/notifications/retry" {
                                        (csrf(&session))
                                        input type="hidden" name="delivery" value=(d.id);
                                        input type="hidden" name="back" value=(here);
                                        button type="submit" { "Retry" }
                                    }
                                }
                            }
                        }
                    }
                }
            } }
        }
    };
    Ok(layout("Notifications", &session, body))
}

/// `POST /notifications/retry` (form: `delivery` = an id, or absent for all
/// failed ones; `back`): puts them back in the queue, then 303 back.
pub(super) async fn retry(State(api): State<Api>, body: Bytes) -> Result<Response, PageError> {
    let delivery = match form_field(&body, "delivery").filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => Some(v.parse::<i64>().map_err(|_| {
            PageError::new(
                StatusCode::BAD_REQUEST,
                format!("delivery: `{v}` is not a delivery id"),
            )
        })?),
    };
    let now = Utc::now();
    let n = blocking(api.store(), move |s| match delivery {
        Some(id) => s.retry_delivery(id, now),
        None => s.retry_failed(None, now),
    })
    .await
    .map_err(|e| PageError::from(ApiError::from(e)))?;
    if n > 0 {
        tracing::info!(
            deliveries = n,
            "failed deliveries queued again from the web page"
        );
        api.wake_deliverer();
    }
    let back = form_field(&body, "back");
    let to = back
        .as_deref()
        .and_then(super::local_path)
        .unwrap_or("/notifications");
    Ok(Redirect::to(to).into_response())
}
