//! `/api/sources`, `/api/alerts`, `/api/alerts/{name}/matches` and
//! `/api/notifications`: what `jobhound sources`, `jobhound alerts` and
//! `jobhound notifications` print, as JSON.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use chrono::Utc;
use serde_json::{Value, json};

use super::{Api, ApiError};
use crate::search::sources::{self as report, Snapshot};
use crate::store::{DeliveryStatus, StoredPosting};

/// `GET /api/sources`: each configured source as `jobhound sources --format
/// json` reports it (fetch state, mailbox, host waits; the same code builds
/// both), with the counts of its last fetch; then sources no longer
/// configured whose postings are kept.
pub(super) async fn sources(State(api): State<Api>) -> Result<Json<Value>, ApiError> {
    let snap = api.read(Snapshot::read).await?;
    let config = api.config();
    let now = Utc::now();
    let mut out = Vec::new();
    for s in &config.sources {
        let mut entry = report::entry(&config, s, &snap, now);
        let state = snap.state(s.name.as_str());
        if let Value::Object(m) = &mut entry {
            m.insert("configured".into(), Value::Bool(true));
            m.insert("last_new".into(), state.map_or(0, |st| st.last_new).into());
            m.insert(
                "last_updated".into(),
                state.map_or(0, |st| st.last_updated).into(),
            );
            m.insert(
                "last_unchanged".into(),
                state.map_or(0, |st| st.last_unchanged).into(),
            );
        }
        out.push(entry);
    }
    for name in snap.gone(&config) {
        out.push(json!({
            "name": name,
            "configured": false,
            "postings": snap.postings(name),
        }));
    }
    Ok(Json(json!({ "sources": out })))
}

/// `GET /api/alerts`: each alert with its query, notifiers and match counts.
pub(super) async fn alerts(State(api): State<Api>) -> Result<Json<Value>, ApiError> {
    let counts: HashMap<String, (u64, u64)> = api
        .read(|s| s.match_counts())
        .await?
        .into_iter()
        .map(|(a, t, n)| (a, (t, n)))
        .collect();
    let out: Vec<Value> = api
        .config()
        .alerts
        .iter()
        .map(|a| {
            let (total, notified) = counts.get(&a.name).copied().unwrap_or((0, 0));
            json!({
                "name": a.name,
                "query": a.query.as_str(),
                "notifiers": a.notifiers,
                "enabled": a.enabled,
                "matches": total,
                "notified": notified,
            })
        })
        .collect();
    Ok(Json(json!({ "alerts": out })))
}

/// An alert's latest matches with their postings, newest first.
pub(super) async fn alert_matches(
    api: &Api,
    name: &str,
    limit: usize,
) -> Result<Vec<(StoredPosting, chrono::DateTime<Utc>, bool)>, ApiError> {
    if !api.config().alerts.iter().any(|a| a.name == name) {
        let config = api.config();
        let known: Vec<&str> = config.alerts.iter().map(|a| a.name.as_str()).collect();
        return Err(ApiError::NotFound(format!(
            "no alert named `{name}` (alerts: {})",
            known.join(", ")
        )));
    }
    let name = name.to_string();
    api.read(move |s| {
        let rows = s.alert_matches(&name, limit)?;
        let mut out = Vec::with_capacity(rows.len());
        for (id, at, notified) in rows {
            if let Some(p) = s.posting(id)? {
                out.push((p, at, notified));
            }
        }
        Ok(out)
    })
    .await
}

/// `GET /api/alerts/{name}/matches?limit=N`
pub(super) async fn matches(
    State(api): State<Api>,
    Path(name): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let limit = limit(&params, 50)?;
    let rows = alert_matches(&api, &name, limit).await?;
    let out: Vec<Value> = rows
        .into_iter()
        .map(|(p, at, notified)| json!({ "matched_at": at, "notified": notified, "posting": p }))
        .collect();
    Ok(Json(json!({ "alert": name, "matches": out })))
}

/// `GET /api/notifications?status=&notifier=&limit=`: outbox counts and the
/// latest deliveries, each with its job's title.
pub(super) async fn notifications(
    State(api): State<Api>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let limit = limit(&params, 50)?;
    let status = match params.get("status").map(String::as_str) {
        None | Some("") => None,
        Some("pending") => Some(DeliveryStatus::Pending),
        Some("sent") => Some(DeliveryStatus::Sent),
        Some("failed") => Some(DeliveryStatus::Failed),
        Some(v) => {
            return Err(ApiError::BadRequest(format!(
                "status: `{v}` is not one of pending, sent, failed"
            )));
        }
    };
    let notifier = params.get("notifier").filter(|n| !n.is_empty()).cloned();
    if let Some(n) = &notifier
        && api.config().notifier(n).is_none()
    {
        return Err(ApiError::NotFound(format!("no notifier named `{n}`")));
    }
    let (counts, rows) = api
        .read(move |s| {
            let n = notifier.as_deref();
            Ok((s.outbox_counts(n)?, s.deliveries(status, n, limit)?))
        })
        .await?;
    let deliveries: Vec<Value> = rows
        .into_iter()
        .map(|(d, title)| {
            let mut v = serde_json::to_value(&d).unwrap_or_default();
            v["title"] = Value::String(title);
            v
        })
        .collect();
    Ok(Json(json!({ "counts": counts, "deliveries": deliveries })))
}

/// The `limit` parameter: 1 to 500, `default` when absent.
pub(super) fn limit(params: &HashMap<String, String>, default: usize) -> Result<usize, ApiError> {
    match params.get("limit").map(|v| v.trim()) {
        None | Some("") => Ok(default),
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=500).contains(n))
            .ok_or_else(|| {
                ApiError::BadRequest(format!("limit: `{v}` is not a number from 1 to 500"))
            }),
    }
}
