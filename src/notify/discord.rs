//! `kind = "discord"`: a webhook message with the subject and heading as
//! content (and, per alert, how to see the jobs a digest leaves out), and one
//! embed per job: the card of [`super::card`] (title as a link; company and
//! place, pay, contract, age, boards, snippet with the alert's words in bold;
//! the alert in the footer). Discord's limits are kept: at most 10 embeds per message, a title
//! of 256 characters, a description of 4096, and 6000 characters over all
//! embeds of a message; `content` at most 2000. A 429's `retry_after` (JSON
//! body, seconds) is honoured by the caller. Mentions in job text never ping.

use serde_json::{Value, json};

use super::NotifyError;
use super::card::Card;
use super::render::{Batch, truncate};
use crate::config::ChatHook;
use crate::http::Http;

/// Embeds per message.
pub const MAX_EMBEDS: usize = 10;
/// Characters over all embeds of a message.
pub const MAX_EMBED_TOTAL: usize = 6000;
/// Characters in an embed title.
pub const MAX_TITLE: usize = 256;
/// Characters in an embed description.
pub const MAX_DESCRIPTION: usize = 4096;
/// Characters in `content`.
pub const MAX_CONTENT: usize = 2000;

// Each of 10 embeds gets a tenth of the 6000-character budget, less a margin.
const TITLE_BUDGET: usize = 200;
const FOOTER_BUDGET: usize = 50;
const DESCRIPTION_BUDGET: usize = 340;

/// The stripe beside each embed: the mail's link colour.
const ACCENT: u32 = 0x1a56c4;

/// The message posted for a batch.
pub fn message(b: &Batch) -> Value {
    let mut embeds = Vec::new();
    let mut content = format!("**{}**\n{}", escape(&b.subject()), escape(&b.heading()));
    if b.items.is_empty() {
        content.push_str("\nNo new jobs matched since the last digest.");
    }
    for g in b.groups() {
        if let Some(m) = b.more(&g) {
            content.push_str(&format!(
                "\n{}: {}",
                escape(&g.title()),
                escape(&m.sentence())
            ));
        }
        for item in &g.items {
            embeds.push(embed(g.alert, &b.card(item)));
        }
    }
    embeds.truncate(MAX_EMBEDS);
    json!({
        "content": truncate(&content, MAX_CONTENT),
        "embeds": embeds,
        "allowed_mentions": { "parse": [] },
    })
}

fn embed(alert: &str, c: &Card) -> Value {
    let mut lines = Vec::new();
    for line in [c.who(), c.facts()] {
        if !line.is_empty() {
            lines.push(escape(&truncate(&line, 120)));
        }
    }
    if let Some(s) = &c.snippet {
        lines.push(s.render(escape, |m| format!("**{}**", escape(m))));
    }
    let mut e = json!({
        "title": truncate(&c.title.text, TITLE_BUDGET),
        "description": truncate(&lines.join("\n"), DESCRIPTION_BUDGET),
        "footer": { "text": truncate(&format!("alert: {alert}"), FOOTER_BUDGET) },
        "color": ACCENT,
    });
    // Discord refuses an embed whose url is not http(s); the card has only those.
    if let Some(url) = &c.link {
        e["url"] = json!(url);
    }
    e
}

/// Backslash-escapes Discord's markdown characters so job text cannot format the message.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '*' | '_' | '~' | '`' | '|' | '>' | '#' | '[' | ']' | '\\'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The characters Discord counts against [`MAX_EMBED_TOTAL`] for one embed.
pub fn embed_chars(e: &Value) -> usize {
    let n = |v: &Value| v.as_str().map_or(0, |s| s.chars().count());
    n(&e["title"]) + n(&e["description"]) + n(&e["footer"]["text"]) + n(&e["author"]["name"])
}

/// POSTs the batch to the Discord webhook.
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
    fn a_full_message_of_huge_jobs_stays_within_discords_limits() {
        let hook = NotifierKind::Discord(ChatHook {
            url: Secret::new(url::Url::parse("https://h/x").expect("url")),
        });
        let n = capacity(&hook, &Mode::Immediate);
        let huge = "y".repeat(10_000);
        let items: Vec<(&str, _)> = (0..n)
            .map(|i| {
                (
                    "a-very-long-alert-name-that-goes-on",
                    job(i as i64, &huge, Some(&huge)),
                )
            })
            .collect();
        let m = message(&batch(&items, false));
        let embeds = m["embeds"].as_array().expect("embeds");
        assert_eq!(embeds.len(), n);
        assert!(embeds.len() <= MAX_EMBEDS);
        let total: usize = embeds.iter().map(embed_chars).sum();
        assert!(total <= MAX_EMBED_TOTAL, "{total}");
        for e in embeds {
            assert!(e["title"].as_str().map_or(0, |t| t.chars().count()) <= MAX_TITLE);
            assert!(e["description"].as_str().map_or(0, |t| t.chars().count()) <= MAX_DESCRIPTION);
        }
        assert!(m["content"].as_str().map_or(0, |t| t.chars().count()) <= MAX_CONTENT);
        assert_eq!(m["allowed_mentions"]["parse"], json!([]));
    }

    #[test]
    fn an_embed_links_the_title_and_escapes_markdown() {
        let m = message(&batch(
            &[("ml", job(1, "ML Engineer", Some("**Bold** @everyone")))],
            false,
        ));
        let e = &m["embeds"][0];
        assert_eq!(e["title"], "ML Engineer");
        assert_eq!(e["url"], "https://jobs.example/1");
        assert_eq!(e["footer"]["text"], "alert: ml");
        let d = e["description"].as_str().expect("description");
        assert_eq!(
            d,
            "\\*\\*Bold\\*\\* @everyone · Berlin, Germany · Remote\n\
             €70k–€90k / year · 9 days ago\nBuild models."
        );
    }
}
