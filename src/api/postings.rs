//! `/api/postings`: search (the same request and results as `jobhound
//! search --format json`, a page at a time), one posting (as `jobhound show
//! --format json`), and the user's triage state of a posting.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::Utc;
use serde::Deserialize;

use super::{Api, ApiError};
use crate::model::PostingId;
use crate::pipeline::blocking;
use crate::search::{Request, page};
use crate::store::{Position, UserState};
use crate::units;

/// Results per page when `limit` is not given, and the most a page holds.
const DEFAULT_LIMIT: usize = 20;
const MAX_LIMIT: usize = 500;

/// `GET /api/postings?q=&since=&source=&state=&limit=&cursor=&all=`
pub(super) async fn list(
    State(api): State<Api>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let req = request(&params)?;
    let now = Utc::now();
    let found = api.read(move |s| page(s, &req, now)).await?;
    Ok(Json(serde_json::json!({
        "postings": found.postings,
        "next_cursor": found.next.map(cursor),
    })))
}

/// Reads the search parameters; every unknown or malformed one is an error.
fn request(params: &HashMap<String, String>) -> Result<Request, ApiError> {
    const KNOWN: &[&str] = &["q", "since", "source", "state", "limit", "cursor", "all"];
    if let Some(k) = params.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        return Err(ApiError::BadRequest(format!(
            "unknown parameter `{k}` (known: {})",
            KNOWN.join(", ")
        )));
    }
    let get = |k: &str| params.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let query = get("q").map(crate::alerts::Query::parse).transpose()?;
    let since = get("since")
        .map(units::parse_age)
        .transpose()
        .map_err(|e| ApiError::BadRequest(format!("since: {e}")))?;
    let limit = match get("limit") {
        None => DEFAULT_LIMIT,
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => {
                return Err(ApiError::BadRequest(format!(
                    "limit: `{v}` is not a number from 1 to {MAX_LIMIT}"
                )));
            }
        },
    };
    let user_state = get("state")
        .map(|v| {
            UserState::parse(v).ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "state: `{v}` is not one of saved, applied, dismissed"
                ))
            })
        })
        .transpose()?;
    let include_closed = match get("all") {
        None | Some("false" | "0") => false,
        Some("true" | "1") => true,
        Some(v) => {
            return Err(ApiError::BadRequest(format!(
                "all: `{v}` is not true or false"
            )));
        }
    };
    let before = get("cursor").map(parse_cursor).transpose()?;
    Ok(Request {
        query,
        since,
        source: get("source").map(String::from),
        limit,
        include_closed,
        before,
        user_state,
        exclude_state: None,
    })
}

/// A cursor as the client sees it: `DAY.ID` (opaque to clients).
pub(crate) fn cursor(p: Position) -> String {
    format!("{}.{}", p.day, p.id)
}

pub(crate) fn parse_cursor(s: &str) -> Result<Position, ApiError> {
    let bad = || ApiError::BadRequest(format!("cursor: `{s}` is not a cursor this server gave"));
    let (day, id) = s.split_once('.').ok_or_else(bad)?;
    Ok(Position {
        day: day.parse().map_err(|_| bad())?,
        id: id.parse().map_err(|_| bad())?,
    })
}

/// `GET /api/postings/{id}`: `{"posting", "sightings", "matches"}`.
pub(super) async fn show(
    State(api): State<Api>,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let id = posting_id(&id)?;
    let found = api
        .read(move |s| {
            let Some(p) = s.posting(id)? else {
                return Ok(None);
            };
            Ok(Some((p, s.sightings(id)?, s.matches_of(id)?)))
        })
        .await?;
    let (p, sightings, matches) =
        found.ok_or_else(|| ApiError::NotFound(format!("no posting with id {id}")))?;
    Ok(Json(
        serde_json::json!({ "posting": p, "sightings": sightings, "matches": matches }),
    ))
}

fn posting_id(s: &str) -> Result<PostingId, ApiError> {
    s.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .map(PostingId)
        .ok_or_else(|| ApiError::NotFound(format!("no posting with id {s}")))
}

/// The body of `POST /api/postings/{id}/state`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SetState {
    /// `saved`, `applied`, `dismissed`, or `null` to clear.
    state: Option<UserState>,
}

/// `POST /api/postings/{id}/state` with `{"state": "saved" | "applied" | "dismissed" | null}`.
pub(super) async fn set_state(
    State(api): State<Api>,
    Path(id): Path<String>,
    body: Result<Json<SetState>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let id = posting_id(&id)?;
    let Json(SetState { state }) = body.map_err(|e| {
        ApiError::BadRequest(format!(
            "expected {{\"state\": \"saved\" | \"applied\" | \"dismissed\" | null}}: {}",
            e.body_text()
        ))
    })?;
    let now = Utc::now();
    let found = blocking(&api.inner.store, move |s| s.set_user_state(id, state, now)).await?;
    if !found {
        return Err(ApiError::NotFound(format!("no posting with id {id}")));
    }
    Ok((
        StatusCode::OK,
        Json(serde_json::json!({ "id": id, "user_state": state })),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn search_parameters_are_checked() {
        let r = request(&params(&[
            ("q", "rust"),
            ("limit", "5"),
            ("state", "saved"),
            ("cursor", "20000.7"),
            ("all", "true"),
        ]))
        .expect("valid");
        assert_eq!(r.limit, 5);
        assert_eq!(r.user_state, Some(UserState::Saved));
        assert_eq!(r.before, Some(Position { day: 20000, id: 7 }));
        assert!(r.include_closed);
        for (bad, want) in [
            (("limit", "0"), "limit: `0`"),
            (("limit", "501"), "limit: `501`"),
            (("state", "maybe"), "state: `maybe`"),
            (("cursor", "x"), "cursor: `x`"),
            (("all", "yes"), "all: `yes`"),
            (("since", "soon"), "since:"),
            (("sort", "x"), "unknown parameter `sort`"),
        ] {
            let err = request(&params(&[bad])).expect_err(want).to_string();
            assert!(err.contains(want), "{err}");
        }
        let err = request(&params(&[("q", "title:(")])).expect_err("query");
        assert!(matches!(err, ApiError::Query(_)), "{err}");
    }
}
