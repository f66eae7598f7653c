//! `kind = "slack"`: an incoming-webhook message with Block Kit blocks: a
//! header, then per alert a context line and per job a section (title as a
//! link; company, location, salary and source). Slack's limits are kept: at
//! most 50 blocks per message ([`super::plan::capacity`] caps the jobs so
//! the headings fit), 3000 characters per section text, 150 per header.

use serde_json::{Value, json};

use super::NotifyError;
use super::render::{Batch, Facts, truncate};
use crate::config::ChatHook;
use crate::http::Http;

/// Slack's limits on a message.
pub const MAX_BLOCKS: usize = 50;
/// Characters in a section's text.
pub const MAX_SECTION: usize = 3000;
/// Characters in a header's text.
pub const MAX_HEADER: usize = 150;

/// The message posted for a batch.
pub fn message(b: &Batch) -> Value {
    let heading = b.heading();
    let mut blocks = vec![json!({
        "type": "header",
        "text": { "type": "plain_text", "text": truncate(&heading, MAX_HEADER) },
    })];
    if b.items.is_empty() {
        blocks.push(section("No new jobs matched since the last digest."));
    }
    for (alert, items) in b.groups() {
        blocks.push(json!({
            "type": "context",
            "elements": [{ "type": "mrkdwn", "text": format!("*Alert:* {} ({})", escape(alert), items.len()) }],
        }));
        for item in items {
            blocks.push(section(&job(&Facts::of(&item.posting))));
        }
    }
    blocks.truncate(MAX_BLOCKS);
    json!({ "text": truncate(&heading, MAX_SECTION), "blocks": blocks })
}

fn section(text: &str) -> Value {
    json!({ "type": "section", "text": { "type": "mrkdwn", "text": truncate(text, MAX_SECTION) } })
}

/// One job as mrkdwn: the title as a link, then its facts.
fn job(f: &Facts) -> String {
    let title = escape(&truncate(&f.title, 300));
    let mut out = match &f.link {
        Some(url) => format!("*<{}|{title}>*", link_target(url)),
        None => format!("*{title}*"),
    };
    let mut facts = Vec::new();
    if let Some(c) = &f.company {
        facts.push(format!("*Company:* {}", escape(&truncate(c, 200))));
    }
    let place = f.place();
    if !place.is_empty() {
        facts.push(format!("*Location:* {}", escape(&truncate(&place, 500))));
    }
    if let Some(s) = &f.salary {
        facts.push(format!("*Salary:* {}", escape(&truncate(s, 200))));
    }
    facts.push(format!("*Posted:* {}", f.posted));
    if !f.sources.is_empty() {
        facts.push(format!("*Source:* {}", escape(&truncate(&f.sources, 300))));
    }
    out.push('\n');
    out.push_str(&facts.join("  ·  "));
    out
}

/// Slack's mrkdwn control characters: `&`, `<` and `>` must be escaped.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A URL inside `<url|text>`: `|` and `>` would end it early.
fn link_target(url: &str) -> String {
    url.replace('|', "%7C")
        .replace('>', "%3E")
        .replace('<', "%3C")
}

/// POSTs the batch to the Slack webhook.
pub async fn send(http: &Http, hook: &ChatHook, b: &Batch) -> Result<(), NotifyError> {
    super::post::chat(http, hook, &b.key, &message(b)).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ChatHook, Mode, NotifierKind, Secret};
    use crate::notify::plan::capacity;
    use crate::notify::render::tests::{batch, job};

    #[test]
    fn a_job_is_a_linked_title_with_its_facts_escaped() {
        let m = message(&batch(
            &[(
                "ml",
                job(1, "<script>alert(1)</script> & ML", Some("A|B <Co>")),
            )],
            false,
        ));
        let text = m["blocks"][2]["text"]["text"].as_str().expect("section");
        assert_eq!(
            text,
            "*<https://jobs.example/1|&lt;script&gt;alert(1)&lt;/script&gt; &amp; ML>*\n\
             *Company:* A|B &lt;Co&gt;  ·  *Location:* Berlin, Germany, remote  ·  \
             *Salary:* EUR 70000–90000 per year  ·  *Posted:* 2026-11-20  ·  *Source:* wwr"
        );
        assert_eq!(m["blocks"][1]["elements"][0]["text"], "*Alert:* ml (1)");
    }

    #[test]
    fn a_full_message_stays_within_slacks_limits() {
        let hook = NotifierKind::Slack(ChatHook {
            url: Secret::new(url::Url::parse("https://h/x").expect("url")),
        });
        let n = capacity(&hook, &Mode::Immediate);
        let huge = "x".repeat(10_000);
        // Every job under its own alert: the most headings a message can need.
        let alerts: Vec<String> = (0..n).map(|i| format!("alert-{i}")).collect();
        let items: Vec<(&str, _)> = alerts
            .iter()
            .enumerate()
            .map(|(i, a)| (a.as_str(), job(i as i64, &huge, Some(&huge))))
            .collect();
        let m = message(&batch(&items, true));
        let blocks = m["blocks"].as_array().expect("blocks");
        assert_eq!(blocks.len(), 1 + 2 * n, "nothing dropped");
        assert!(blocks.len() <= MAX_BLOCKS);
        for b in blocks {
            let text = b["text"]["text"].as_str().unwrap_or_default();
            assert!(text.chars().count() <= MAX_SECTION, "{}", text.len());
        }
        assert!(
            blocks[0]["text"]["text"]
                .as_str()
                .map(|t| t.chars().count())
                <= Some(MAX_HEADER)
        );
    }
}
