//! `kind = "webhook"`: a JSON POST per match (or one per digest), with an
//! `Idempotency-Key` header that is the same on every attempt, and, when a
//! `secret` is configured, an HMAC-SHA256 signature of the body:
//!
//! `X-Jobhound-Signature: t=<unix seconds>,v1=<hex of HMAC-SHA256(secret, "<t>.<body>")>`
//!
//! The timestamp is signed with the body, so a receiver that rejects old `t`
//! values (say, older than five minutes) cannot be fed a replayed request.

use chrono::{DateTime, Utc};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde_json::json;

use super::NotifyError;
use super::card::{Card, Marked};
use super::render::{Batch, Item};
use crate::config::Webhook;
use crate::http::Http;

/// The header carrying the message's idempotency key: the same on every retry.
pub const IDEMPOTENCY_HEADER: &str = "idempotency-key";

/// The header carrying the body's signature, when a `secret` is configured.
pub const SIGNATURE_HEADER: &str = "x-jobhound-signature";

/// The JSON document posted for a batch: a `match` event for a single match
/// sent as it comes, a `digest` (or `matches`) event listing several (all of
/// them: a receiver gets every match, not the cap a person reads). Beside
/// the raw fields, `subject` and each posting's `formatted` object carry the
/// words the other channels show.
pub fn payload(b: &Batch) -> serde_json::Value {
    let mut out = match (&b.digest, b.items.as_slice()) {
        (None, [one]) => {
            let mut m = item(b, one);
            m["event"] = json!("match");
            m["delivery_id"] = json!(b.key);
            m
        }
        (digest, items) => json!({
            "event": if digest.is_some() { "digest" } else { "matches" },
            "delivery_id": b.key,
            "digest_at": digest.map(|d| d.at),
            "timezone": digest.map(|d| d.timezone.name()),
            "matches": items.iter().map(|i| item(b, i)).collect::<Vec<_>>(),
        }),
    };
    out["subject"] = json!(b.subject());
    out
}

/// A job's facts as the messages word them, with the byte ranges of the
/// alert's words in `title` and `snippet`.
fn formatted(c: &Card) -> serde_json::Value {
    let marks = |m: &Marked| m.marks.iter().map(|r| [r.start, r.end]).collect::<Vec<_>>();
    json!({
        "title": c.title.text,
        "title_highlights": marks(&c.title),
        "link": c.link,
        "company": c.company,
        "location": c.location,
        "workplace": c.workplace,
        "salary": c.salary,
        "employment_type": c.employment,
        "posted_age": c.age,
        "boards": c.boards,
        "snippet": c.snippet.as_ref().map(|s| &s.text),
        "snippet_highlights": c.snippet.as_ref().map(marks),
    })
}

fn item(b: &Batch, i: &Item) -> serde_json::Value {
    let p = &i.posting;
    let post = &p.posting;
    json!({
        "alert": i.alert,
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
            "state": p.state,
            "sightings": p.sightings.iter().map(|s| json!({
                "source": s.source,
                "url": s.url,
                "first_seen": s.first_seen,
                "last_seen": s.last_seen,
            })).collect::<Vec<_>>(),
            "summary": summary(&post.text, 500),
            "formatted": formatted(&b.card(i)),
        },
    })
}

/// `t=<unix>,v1=<hex HMAC-SHA256 of "<unix>.<body>">`.
pub fn signature(secret: &[u8], t: i64, body: &[u8]) -> String {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret);
    let mut ctx = ring::hmac::Context::with_key(&key);
    ctx.update(t.to_string().as_bytes());
    ctx.update(b".");
    ctx.update(body);
    let mac = ctx.sign();
    let mut hex = String::with_capacity(64);
    for b in mac.as_ref() {
        hex.push_str(&format!("{b:02x}"));
    }
    format!("t={t},v1={hex}")
}

/// POSTs the batch to the webhook, signed when a secret is set.
pub async fn send(
    http: &Http,
    w: &Webhook,
    b: &Batch,
    now: DateTime<Utc>,
) -> Result<(), NotifyError> {
    post_json(http, w, &b.key, &payload(b), now).await
}

/// POSTs `value` to the webhook with its headers, the idempotency `key` and,
/// with a secret, the signature dated `now`.
pub async fn post_json(
    http: &Http,
    w: &Webhook,
    key: &str,
    value: &serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), NotifyError> {
    let body = super::post::json(value)?;
    let mut headers = HeaderMap::new();
    for (k, v) in &w.headers {
        headers.insert(k.clone(), v.expose().clone());
    }
    super::post::set_key(&mut headers, key);
    if let Some(secret) = &w.secret {
        let sig = signature(secret.expose().as_bytes(), now.timestamp(), &body);
        if let Ok(v) = HeaderValue::from_str(&sig) {
            headers.insert(HeaderName::from_static(SIGNATURE_HEADER), v);
        }
    }
    super::post::post(http, w.url.expose(), headers, body).await
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::render::tests::{batch, job};

    #[test]
    fn the_signature_is_hmac_sha256_over_timestamp_dot_body() {
        // Computed independently: Python's hmac.new(b"whsec_test", b"1795600800." + body, sha256).
        let sig = signature(b"whsec_test", 1_795_600_800, br#"{"event":"match"}"#);
        assert_eq!(
            sig,
            "t=1795600800,v1=92508d89e812b07b5c7a9a925ce9c3e18240db9b7a5ffae70d0a683488cb5030"
        );
    }

    #[test]
    fn a_single_match_keeps_the_match_payload_and_a_digest_lists_matches() {
        let one = payload(&batch(
            &[("ml", job(1, "ML Engineer", Some("Acme")))],
            false,
        ));
        assert_eq!(one["event"], "match");
        assert_eq!(one["alert"], "ml");
        assert_eq!(one["delivery_id"], "jobhound-m7-1795600800");
        assert_eq!(one["posting"]["title"], "ML Engineer");
        assert_eq!(one["url"], "https://jobs.example/1");
        let digest = payload(&batch(
            &[("ml", job(1, "A", None)), ("data", job(2, "B", None))],
            true,
        ));
        assert_eq!(digest["event"], "digest");
        assert_eq!(digest["timezone"], "Europe/Berlin");
        assert_eq!(digest["matches"].as_array().map(Vec::len), Some(2));
        assert_eq!(digest["matches"][1]["alert"], "data");
    }
}
