//! What a source-health report says on each channel: the webhook gets the
//! event as JSON (`"event": "source_failing"` or `"source_recovered"`, with
//! `source`, `error` and `since` in RFC 3339); Slack, Discord and email get a
//! sentence a person reads. The reports themselves are counted and queued by
//! the store (`store::health`); they travel as messages like any other.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::json;

use super::NotifyError;
use crate::config::{Notifier, NotifierKind};
use crate::http::Http;
use crate::store::{HealthEvent, HealthKind};

/// The one-line subject: "jobhound: source `acme` is failing".
pub fn subject(e: &HealthEvent) -> String {
    match e.event {
        HealthKind::SourceFailing => format!("jobhound: source `{}` is failing", e.source),
        HealthKind::SourceRecovered => format!("jobhound: source `{}` works again", e.source),
    }
}

/// The plain-text report.
pub fn text(e: &HealthEvent) -> String {
    let since = e.since.format("%Y-%m-%d %H:%M UTC");
    match e.event {
        HealthKind::SourceFailing => format!(
            "Source `{}` is not working since {since}: {}\n\
             jobhound keeps trying on its schedule; you will hear once more when it works again.",
            e.source, e.error
        ),
        HealthKind::SourceRecovered => format!(
            "Source `{}` works again (not working since {since}: {}).",
            e.source, e.error
        ),
    }
}

/// The webhook's JSON: the event, with the message's idempotency key.
pub fn payload(e: &HealthEvent, key: &str) -> serde_json::Value {
    json!({
        "event": e.event,
        "delivery_id": key,
        "source": e.source,
        "error": e.error,
        "since": e.since.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "at": e.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    })
}

/// The Slack message: the subject in bold, then the report, escaped.
pub fn slack(e: &HealthEvent) -> serde_json::Value {
    let text = format!(
        "*{}*\n{}",
        super::slack::escape(&subject(e)),
        super::slack::escape(&text(e))
    );
    let text = super::render::truncate(&text, super::slack::MAX_SECTION);
    json!({
        "text": text,
        "blocks": [{ "type": "section", "text": { "type": "mrkdwn", "text": text } }],
    })
}

/// The Discord message: the report as `content`, escaped, pinging no one.
pub fn discord(e: &HealthEvent) -> serde_json::Value {
    let content = super::discord::escape(&format!("{}\n{}", subject(e), text(e)));
    json!({
        "content": super::render::truncate(&content, super::discord::MAX_CONTENT),
        "allowed_mentions": { "parse": [] },
    })
}

/// Sends the report stored as `json` through `n`, under idempotency `key`.
pub async fn send(
    http: &Http,
    n: &Notifier,
    json: &str,
    key: &str,
    now: DateTime<Utc>,
    smtp_timeout: Duration,
) -> Result<(), NotifyError> {
    let e: HealthEvent = serde_json::from_str(json)
        .map_err(|err| NotifyError::Build(format!("unreadable health report: {err}")))?;
    match &n.kind {
        NotifierKind::Webhook(w) => {
            super::webhook::post_json(http, w, key, &payload(&e, key), now).await
        }
        NotifierKind::Slack(h) => super::post::chat(http, h, key, &slack(&e)).await,
        NotifierKind::Discord(h) => super::post::chat(http, h, key, &discord(&e)).await,
        NotifierKind::Email(m) => {
            let mut b = lettre::Message::builder()
                .from(m.from.clone())
                .subject(subject(&e))
                .message_id(Some(format!("<{key}@{}>", m.from.email.domain())));
            for to in &m.to {
                b = b.to(to.clone());
            }
            let mail = b
                .header(lettre::message::header::ContentType::TEXT_PLAIN)
                .body(text(&e))
                .map_err(|err| NotifyError::Build(err.to_string()))?;
            super::email::deliver(m, mail, smtp_timeout).await
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn event(kind: HealthKind) -> HealthEvent {
        HealthEvent {
            event: kind,
            source: "acme".into(),
            error: "HTTP 500".into(),
            since: Utc
                .with_ymd_and_hms(2026, 11, 30, 10, 1, 0)
                .single()
                .expect("valid"),
            at: Utc
                .with_ymd_and_hms(2026, 11, 30, 10, 3, 0)
                .single()
                .expect("valid"),
        }
    }

    #[test]
    fn the_webhook_gets_the_event_and_people_get_a_sentence() {
        let p = payload(&event(HealthKind::SourceFailing), "jobhound-m3-1");
        assert_eq!(p["event"], "source_failing");
        assert_eq!(p["source"], "acme");
        assert_eq!(p["error"], "HTTP 500");
        assert_eq!(p["since"], "2026-11-30T10:01:00Z");
        let r = payload(&event(HealthKind::SourceRecovered), "k");
        assert_eq!(r["event"], "source_recovered");
        assert_eq!(
            text(&event(HealthKind::SourceFailing)).lines().next(),
            Some("Source `acme` is not working since 2026-11-30 10:01 UTC: HTTP 500")
        );
        assert_eq!(
            subject(&event(HealthKind::SourceRecovered)),
            "jobhound: source `acme` works again"
        );
    }

    #[test]
    fn chat_messages_escape_what_a_server_said() {
        let mut e = event(HealthKind::SourceFailing);
        e.error = "HTTP 502 <html>@everyone</html> & *bold*".into();
        let s = slack(&e);
        let text = s["blocks"][0]["text"]["text"].as_str().expect("section");
        assert!(text.starts_with("*jobhound: source `acme` is failing*\nSource `acme` is not working since 2026-11-30 10:01 UTC"), "{text}");
        assert!(
            text.contains("&lt;html&gt;@everyone&lt;/html&gt; &amp;"),
            "{text}"
        );
        assert_eq!(s["text"], s["blocks"][0]["text"]["text"]);
        let d = discord(&e);
        let content = d["content"].as_str().expect("content");
        assert!(
            content.starts_with(
                "jobhound: source \\`acme\\` is failing\nSource \\`acme\\` is not working"
            ),
            "{content}"
        );
        assert!(content.contains("\\*bold\\*"), "{content}");
        assert_eq!(
            d["allowed_mentions"]["parse"].as_array().map(Vec::len),
            Some(0)
        );
    }
}
