//! `kind = "slack"`: an incoming-webhook message with Block Kit blocks: the
//! subject as header, then per alert a context line (with how to see the jobs
//! a digest leaves out) and per job a section (the card of [`super::card`]:
//! title as a link, company and place, pay, contract, age, boards, snippet). Slack's limits are kept: at
//! most 50 blocks per message ([`super::plan::capacity`] caps the jobs so
//! the headings fit), 3000 characters per section text, 150 per header.

use serde_json::{Value, json};

use super::NotifyError;
use super::card::Card;
use super::render::{Batch, truncate};
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
    let subject = b.subject();
    let mut blocks = vec![
        json!({
            "type": "header",
            "text": { "type": "plain_text", "text": truncate(&subject, MAX_HEADER) },
        }),
        json!({
            "type": "context",
            "elements": [{ "type": "plain_text", "text": truncate(&b.heading(), MAX_SECTION) }],
        }),
    ];
    if b.items.is_empty() {
        blocks.push(section("No new jobs matched since the last digest."));
    }
    for g in b.groups() {
        let mut heading = format!("*{}*", escape(&g.title()));
        if let Some(m) = b.more(&g) {
            heading.push('\n');
            heading.push_str(&escape(&m.sentence()));
        }
        blocks.push(json!({
            "type": "context",
            "elements": [{ "type": "mrkdwn", "text": truncate(&heading, MAX_SECTION) }],
        }));
        for item in &g.items {
            blocks.push(section(&job(&b.card(item))));
        }
    }
    blocks.truncate(MAX_BLOCKS);
    // `text` is mrkdwn too (the notification's line): a title's `<!channel>` must not ping.
    json!({ "text": truncate(&escape(&subject), MAX_SECTION), "blocks": blocks })
}

fn section(text: &str) -> Value {
    json!({ "type": "section", "text": { "type": "mrkdwn", "text": truncate(text, MAX_SECTION) } })
}

/// One job as mrkdwn: the title as a link, who and where, pay and age, and
/// the snippet as a quote with the alert's words in bold.
fn job(c: &Card) -> String {
    let title = escape(&truncate(&c.title.text, 300));
    let mut out = match &c.link {
        Some(url) => format!("*<{}|{title}>*", link_target(url)),
        None => format!("*{title}*"),
    };
    for line in [c.who(), c.facts()] {
        if !line.is_empty() {
            out.push('\n');
            out.push_str(&escape(&truncate(&line, 500)));
        }
    }
    if let Some(s) = &c.snippet {
        out.push_str("\n>");
        out.push_str(&s.render(escape, |m| format!("*{}*", escape(m))));
    }
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
    use crate::notify::render::tests::{batch, job, viewed};

    #[test]
    fn a_job_is_a_linked_title_with_its_facts_escaped_and_its_match_in_bold() {
        let mut p = job(1, "<script>alert(1)</script> & ML", Some("A|B <Co>"));
        p.posting.text = "Train ML models & <b>ship</b> them.".into();
        let b = viewed(batch(&[("ml", p)], false), &[("ml", "ml")], None);
        let m = message(&b);
        let text = m["blocks"][3]["text"]["text"].as_str().expect("section");
        assert_eq!(
            text,
            "*<https://jobs.example/1|&lt;script&gt;alert(1)&lt;/script&gt; &amp; ML>*\n\
             A|B &lt;Co&gt; · Berlin, Germany · Remote\n\
             €70k–€90k / year · 9 days ago\n\
             >Train *ML* models &amp; &lt;b&gt;ship&lt;/b&gt; them."
        );
        assert_eq!(m["blocks"][2]["elements"][0]["text"], "*ml · 1 new job*");
        assert_eq!(
            m["text"],
            "New ML job: &lt;script&gt;alert(1)&lt;/script&gt; &amp; ML at A|B &lt;Co&gt;"
        );
    }

    #[test]
    fn a_capped_alert_says_how_to_see_the_rest() {
        let items: Vec<(&str, _)> = (0..4).map(|i| ("ml", job(i, "ML", None))).collect();
        let m = message(&viewed(batch(&items, true), &[("ml", "ml")], Some(3)));
        assert_eq!(
            m["blocks"][2]["elements"][0]["text"],
            "*ml · newest 3 of 4*\n…and 1 more: run `jobhound search 'ml'` or open http://127.0.0.1:8080/?q=ml"
        );
        assert_eq!(m["blocks"].as_array().map(Vec::len), Some(3 + 3));
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
        assert_eq!(blocks.len(), 2 + 2 * n, "nothing dropped");
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
