//! `GET /metrics` (Prometheus/OpenMetrics text: the daemon's counters and
//! histograms, plus gauges read from the store at scrape time) and
//! `GET /healthz` (the database takes writes; the scheduler and delivery
//! loops are alive).

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

use super::{Api, ApiError};
use crate::store::{OutboxCounts, SourceState, Store};
use crate::telemetry::Labels;

/// How long the health probe waits for the write lock: the writer's group
/// commits are short, so a lock held longer than this is a stuck database.
const PROBE_BUSY: Duration = Duration::from_secs(3);

/// What the scrape reads from the store.
struct Stored {
    postings: u64,
    open: u64,
    matches: Vec<(String, u64, u64)>,
    outbox: OutboxCounts,
    sources: Vec<SourceState>,
}

/// `GET /metrics`
pub(super) async fn metrics(State(api): State<Api>) -> Result<Response, ApiError> {
    let stored = api
        .read(|s| {
            Ok(Stored {
                postings: s.count_postings()?,
                open: s.count_open_postings()?,
                matches: s.match_counts()?,
                outbox: s.outbox_counts(None)?,
                sources: s.source_states()?,
            })
        })
        .await?;
    let body = {
        let _one = api.inner.scrape.lock().unwrap_or_else(|p| p.into_inner());
        let mut gauges = Registry::with_prefix("jobhound");
        gauge_families(&mut gauges, &stored);
        let mut out = String::new();
        encode(&mut out, &api.inner.telemetry.registry)
            .and_then(|()| {
                // Both encodings end the exposition with `# EOF`; only the last may.
                if out.ends_with("# EOF\n") {
                    out.truncate(out.len() - "# EOF\n".len());
                }
                encode(&mut out, &gauges)
            })
            .map_err(|e| ApiError::Internal(format!("cannot encode metrics: {e}")))?;
        out
    };
    Ok((
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        body,
    )
        .into_response())
}

fn gauge_families(r: &mut Registry, s: &Stored) {
    let single = |r: &mut Registry, name: &str, help: &str, v: u64| {
        let g = Gauge::<i64>::default();
        g.set(i64::try_from(v).unwrap_or(i64::MAX));
        r.register(name, help, g);
    };
    single(
        r,
        "postings_stored",
        "Jobs stored (deduplicated across sources)",
        s.postings,
    );
    single(
        r,
        "postings_open",
        "Stored jobs still listed somewhere",
        s.open,
    );
    let matches = Family::<Labels, Gauge>::default();
    let notified = Family::<Labels, Gauge>::default();
    for (alert, total, sent) in &s.matches {
        let l = vec![("alert".to_string(), alert.clone())];
        matches
            .get_or_create(&l)
            .set(i64::try_from(*total).unwrap_or(i64::MAX));
        notified
            .get_or_create(&l)
            .set(i64::try_from(*sent).unwrap_or(i64::MAX));
    }
    r.register("alert_matches", "Matches recorded per alert", matches);
    r.register(
        "alert_matches_notified",
        "Matches per alert that were queued for delivery",
        notified,
    );
    let outbox = Family::<Labels, Gauge>::default();
    for (status, n) in [
        ("pending", s.outbox.pending),
        ("sent", s.outbox.sent),
        ("failed", s.outbox.failed),
    ] {
        outbox
            .get_or_create(&vec![("status".to_string(), status.to_string())])
            .set(i64::try_from(n).unwrap_or(i64::MAX));
    }
    r.register(
        "outbox_deliveries",
        "Deliveries in the outbox by status",
        outbox,
    );
    let last = Family::<Labels, Gauge>::default();
    let fails = Family::<Labels, Gauge>::default();
    for st in &s.sources {
        let l = vec![("source".to_string(), st.name.clone())];
        if let Some(t) = st.last_success_at {
            last.get_or_create(&l).set(t.timestamp());
        }
        fails.get_or_create(&l).set(i64::from(st.fail_count));
    }
    r.register(
        "source_last_success_timestamp_seconds",
        "When each source was last fetched successfully (unix seconds)",
        last,
    );
    r.register(
        "source_consecutive_failures",
        "Failed fetches in a row per source",
        fails,
    );
}

/// `GET /healthz`: 200 `{"status": "ok", ...}`, or 503 with the reasons.
pub(super) async fn healthz(State(api): State<Api>) -> Response {
    let path = api.db_path();
    let now = Utc::now();
    let written = tokio::task::spawn_blocking(move || {
        Store::open_existing(&path, PROBE_BUSY)?.probe_write(now)
    })
    .await;
    let mut problems = Vec::new();
    match written {
        Ok(Ok(())) => {}
        Ok(Err(e)) => problems.push(format!(
            "the database {} does not take writes: {e}",
            api.db_path().display()
        )),
        Err(e) => problems.push(format!("the database probe failed: {e}")),
    }
    let t = &api.inner.telemetry;
    for (name, beat) in [("scheduler", &t.scheduler), ("delivery loop", &t.deliverer)] {
        if let Some(late) = beat.overdue(Utc::now()) {
            problems.push(format!(
                "the {name} is {}s overdue (stuck or dead)",
                late.as_secs()
            ));
        }
    }
    if problems.is_empty() {
        let body = serde_json::json!({
            "status": "ok",
            "database": "writable",
            "scheduler": "alive",
            "deliverer": "alive",
            "version": env!("CARGO_PKG_VERSION"),
        });
        (StatusCode::OK, Json(body)).into_response()
    } else {
        tracing::warn!(reason = %problems.join("; "), "health check failed");
        let body = serde_json::json!({
            "status": "unavailable",
            "reason": problems.join("; "),
            "problems": problems,
        });
        (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response()
    }
}
