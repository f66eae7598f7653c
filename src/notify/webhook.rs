//! `kind = "webhook"`: one JSON POST per match. The receiver must answer 2xx;
//! anything else is a failure (a 404 is not a delivery).

use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde_json::json;

use super::NotifyError;
use crate::config::Webhook;
use crate::http::{FetchError, Fetched, Http};
use crate::store::{Delivery, StoredPosting};

/// The header carrying the delivery's idempotency key: the same on every retry.
pub const IDEMPOTENCY_HEADER: &str = "idempotency-key";

/// The stable key of a delivery, sent with every attempt of it.
pub fn idempotency_key(d: &Delivery) -> String {
    format!("jobhound-{}-{}", d.id, d.created_at.timestamp())
}

/// The JSON document posted for a match.
pub fn payload(d: &Delivery, p: &StoredPosting) -> serde_json::Value {
    let post = &p.posting;
    json!({
        "event": "match",
        "alert": d.alert,
        "delivery_id": idempotency_key(d),
        "url": post.url.as_deref().or(post.apply_url.as_deref()),
        "posting": {
            "id": p.id,
            "title": post.title,
            "company": post.company,
            "locations": post.locations,
            "workplace": post.workplace,
            "employment_type": post.employment_type,
            "salary": post.salary,
            "posted_at": post.posted_at,
            "first_seen": p.first_seen,
            "url": post.url,
            "apply_url": post.apply_url,
            "sources": p.sources,
            "summary": summary(&post.text, 500),
        },
    })
}

/// POSTs the match to the webhook.
pub async fn send(
    http: &Http,
    w: &Webhook,
    d: &Delivery,
    p: &StoredPosting,
) -> Result<(), NotifyError> {
    let mut headers = HeaderMap::new();
    for (k, v) in &w.headers {
        headers.insert(k.clone(), v.expose().clone());
    }
    if let Ok(key) = HeaderValue::from_str(&idempotency_key(d)) {
        headers.insert(HeaderName::from_static(IDEMPOTENCY_HEADER), key);
    }
    match http
        .request(Method::POST, w.url.expose(), headers, Some(&payload(d, p)))
        .await
    {
        Ok(Fetched::Body(_)) => Ok(()),
        // Only a 2xx confirms a delivery.
        Ok(Fetched::NotModified) => Err(NotifyError::Http(FetchError::Status {
            url: "<hidden url>".into(),
            status: 304,
            retry_after: None,
        })),
        Err(e) => Err(NotifyError::Http(e.redacted())),
    }
}

/// The first `max` characters of `text`, cut at a word boundary.
fn summary(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let end = cut.rfind(char::is_whitespace).unwrap_or(cut.len());
    format!("{}…", cut[..end].trim_end())
}
