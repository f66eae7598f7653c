//! `/alerts`: each alert with its query, notifiers and latest matches, and a
//! dry-run box (`?test=QUERY&since=AGE`, or `?alert=NAME` for a saved
//! alert's query) that searches what is stored through the same path as
//! `jobhound alerts test`, sending nothing.

use std::collections::HashMap;

use axum::Extension;
use axum::extract::{Query, State};
use chrono::Utc;
use maud::{Markup, html};

use super::session::Session;
use super::{PageError, age, layout, query_pair, segment};
use crate::api::Api;
use crate::search::{Request, search};
use crate::store::StoredPosting;
use crate::units;

/// Latest matches shown per alert.
const RECENT: usize = 10;
/// Results of a dry run.
const DRY_RUN: usize = 20;

/// `GET /alerts?test=&since=&alert=`
pub(super) async fn page(
    State(api): State<Api>,
    Extension(session): Extension<Session>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Markup, PageError> {
    let get = |k: &str| {
        params
            .get(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let since = get("since").unwrap_or_default();
    let named = get("alert");
    let test = match (&named, get("test")) {
        (Some(n), _) => api
            .config()
            .alerts
            .iter()
            .find(|a| &a.name == n)
            .map(|a| a.query.as_str().to_string()),
        (None, t) => t,
    };
    let names: Vec<String> = api.config().alerts.iter().map(|a| a.name.clone()).collect();
    let (counts, recent) = api
        .read(move |s| {
            let counts = s.match_counts()?;
            let mut recent = Vec::new();
            for name in names {
                let mut rows = Vec::new();
                for (id, at, _) in s.alert_matches(&name, RECENT)? {
                    if let Some(p) = s.posting(id)? {
                        rows.push((p, at));
                    }
                }
                recent.push(rows);
            }
            Ok((counts, recent))
        })
        .await?;
    let counts: HashMap<String, (u64, u64)> =
        counts.into_iter().map(|(a, t, n)| (a, (t, n))).collect();
    let dry = match &test {
        None => None,
        Some(q) => Some(dry_run(&api, q, &since).await?),
    };
    let now = Utc::now();
    let body = html! {
        h1 { "Alerts" }
        h2 { "Dry run" }
        form method="get" action="/alerts" {
            div.search {
                input type="search" name="test" value=(test.as_deref().unwrap_or("")) placeholder="a query to try" aria-label="query";
                input name="since" value=(since) size="4" placeholder="7d" aria-label="posted within";
                button.primary type="submit" { "Try" }
            }
        }
        @if let Some(named) = &named {
            @if test.is_none() { div.error { "no alert named " (named) } }
        }
        @if let Some(d) = &dry {
            @match d {
                Err(m) => div.error { (m.0) @if let Some(c) = &m.1 { pre { (c) } } },
                Ok(found) => {
                    p { (found.len()) " posting" @if found.len() != 1 { "s" } " match (dry run: nothing is sent)" }
                    (list(found, None, now))
                },
            }
        }
        @if api.config().alerts.is_empty() { p.muted { "No alerts configured." } }
        @for (a, rows) in api.config().alerts.iter().zip(&recent) {
            @let (total, notified) = counts.get(&a.name).copied().unwrap_or((0, 0));
            h2 { (a.name) @if !a.enabled { " (disabled)" } }
            dl.fields {
                dt { "query" } dd { code { (a.query.as_str()) } " " a href={ "/alerts?" (query_pair("alert", &a.name)) } { "dry run" } }
                dt { "notifiers" } dd { @if a.notifiers.is_empty() { "-" } @else { (a.notifiers.join(", ")) } }
                dt { "matches" } dd { (total) " (" (notified) " notified)" }
                dt { "feed" } dd { a href={ "/alerts/" (segment(&a.name)) ".atom" } { "Atom" } }
            }
            @if !rows.is_empty() {
                @let found: Vec<StoredPosting> = rows.iter().map(|(p, _)| p.clone()).collect();
                @let at: Vec<_> = rows.iter().map(|(_, t)| *t).collect();
                (list(&found, Some(&at), now))
            }
        }
    };
    Ok(layout("Alerts", &session, body))
}

/// Why a dry run did not run: the message, and the caret line for a query.
struct DryError(String, Option<String>);

async fn dry_run(
    api: &Api,
    q: &str,
    since: &str,
) -> Result<Result<Vec<StoredPosting>, DryError>, PageError> {
    let query = match crate::alerts::Query::parse(q) {
        Ok(query) => query,
        Err(e) => return Ok(Err(DryError(format!("bad query {e}"), Some(e.caret())))),
    };
    let since = match (!since.is_empty())
        .then(|| units::parse_age(since))
        .transpose()
    {
        Ok(s) => s,
        Err(e) => return Ok(Err(DryError(format!("since: {e}"), None))),
    };
    let req = Request {
        query: Some(query),
        since,
        limit: DRY_RUN,
        ..Request::default()
    };
    let now = Utc::now();
    Ok(Ok(api.read(move |s| search(s, &req, now)).await?))
}

fn list(
    found: &[StoredPosting],
    matched: Option<&[chrono::DateTime<Utc>]>,
    now: chrono::DateTime<Utc>,
) -> Markup {
    html! {
        ol.results {
            @for (i, p) in found.iter().enumerate() {
                li {
                    a.title href={ "/postings/" (p.id) } { (p.posting.title) }
                    div.meta {
                        span { (p.posting.company.as_deref().unwrap_or("company unknown")) }
                        @if !p.posting.locations.is_empty() { span { (p.posting.locations.join("; ")) } }
                        @if let Some(t) = matched.and_then(|m| m.get(i)) { span { "matched " (age(*t, now)) } }
                        span { (p.sources.join(", ")) }
                    }
                }
            }
        }
    }
}
