//! `GET /alerts/{name}.atom`: an Atom 1.0 feed (RFC 4287) of an alert's
//! latest matches, newest first, for feed readers. They cannot send headers,
//! so the token may come as `?token=` (see `authorize`); it never appears in
//! the feed itself.

use std::collections::HashMap;
use std::fmt::Write as _;

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, SecondsFormat, Utc};

use super::catalog::{alert_matches, limit};
use super::{Api, ApiError};
use crate::store::StoredPosting;

/// `GET /alerts/{name}.atom?limit=N`
pub(super) async fn atom(
    State(api): State<Api>,
    Path(file): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let Some(name) = file.strip_suffix(".atom") else {
        return Err(ApiError::NotFound(format!(
            "no feed `{file}` (feeds are /alerts/NAME.atom)"
        )));
    };
    let limit = limit(&params, 50)?;
    let rows = alert_matches(&api, name, limit).await?;
    let query = api
        .config()
        .alerts
        .iter()
        .find(|a| a.name == name)
        .map(|a| a.query.as_str().to_string())
        .unwrap_or_default();
    let body = render(name, &query, &rows, Utc::now());
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        body,
    )
        .into_response())
}

/// The feed document.
fn render(
    alert: &str,
    query: &str,
    rows: &[(StoredPosting, DateTime<Utc>, bool)],
    now: DateTime<Utc>,
) -> String {
    let updated = rows.iter().map(|(_, at, _)| *at).max().unwrap_or(now);
    let mut out = String::with_capacity(1024 + rows.len() * 2048);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    // `fmt::Write` for a String never fails.
    let _ = writeln!(out, "  <id>urn:jobhound:alert:{}</id>", xml(alert));
    let _ = writeln!(out, "  <title>jobhound: {}</title>", xml(alert));
    let _ = writeln!(out, "  <subtitle>{}</subtitle>", xml(query));
    let _ = writeln!(out, "  <updated>{}</updated>", time(updated));
    let _ = writeln!(
        out,
        "  <generator version=\"{}\">jobhound</generator>",
        env!("CARGO_PKG_VERSION")
    );
    for (p, matched_at, _) in rows {
        entry(&mut out, p, *matched_at);
    }
    out.push_str("</feed>\n");
    out
}

fn entry(out: &mut String, p: &StoredPosting, matched_at: DateTime<Utc>) {
    let post = &p.posting;
    let author = post
        .company
        .as_deref()
        .filter(|c| !c.trim().is_empty())
        .unwrap_or(post.source.as_str());
    out.push_str("  <entry>\n");
    let _ = writeln!(out, "    <id>urn:jobhound:posting:{}</id>", p.id.0);
    let _ = writeln!(out, "    <title type=\"text\">{}</title>", xml(&post.title));
    // A job re-matched after it changed is news again.
    let _ = writeln!(
        out,
        "    <updated>{}</updated>",
        time(p.changed_at.max(matched_at))
    );
    let _ = writeln!(
        out,
        "    <published>{}</published>",
        time(post.posted_at.unwrap_or(p.first_seen))
    );
    if let Some(url) = post.url.as_deref().or(post.apply_url.as_deref()) {
        let _ = writeln!(
            out,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            xml(url)
        );
    }
    let _ = writeln!(out, "    <author><name>{}</name></author>", xml(author));
    for s in &p.sources {
        let _ = writeln!(out, "    <category term=\"{}\"/>", xml(s));
    }
    let mut summary = vec![author.to_string()];
    if !post.locations.is_empty() {
        summary.push(post.locations.join("; "));
    }
    if let Some(s) = &post.salary
        && let Some(t) = s.text.as_deref().filter(|t| !t.is_empty())
    {
        summary.push(t.to_string());
    }
    let _ = writeln!(
        out,
        "    <summary type=\"text\">{}</summary>",
        xml(&summary.join(" · "))
    );
    // Already sanitized when stored (normalize::html); escaped once more as
    // the text of an `html` content element.
    let _ = writeln!(
        out,
        "    <content type=\"html\">{}</content>",
        xml(&post.description_html)
    );
    out.push_str("  </entry>\n");
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Escapes text for XML content and attributes, dropping the characters XML
/// 1.0 cannot carry at all (control characters a source may send).
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_stripped_of_what_xml_cannot_hold() {
        assert_eq!(
            xml("a<b>&\"c'\u{1}\u{b}d\n"),
            "a&lt;b&gt;&amp;&quot;c&apos;d\n"
        );
    }

    #[test]
    fn the_feed_parses_with_every_entry_newest_first() {
        let now = Utc::now();
        let mut a = crate::notify::render::tests::job(1, "Rust <Engineer>", Some("Acme & Co"));
        a.posting.description_html = "<p>Build <b>things</b></p>".into();
        let b = crate::notify::render::tests::job(2, "Go Engineer", None);
        let doc = render(
            "rust",
            "rust -senior",
            &[(a, now, true), (b, now - chrono::Duration::hours(1), true)],
            now,
        );
        let feed = feed_rs::parser::parse(doc.as_bytes()).expect("parses");
        assert_eq!(feed.entries.len(), 2);
        let e = &feed.entries[0];
        assert_eq!(
            e.title.as_ref().map(|t| t.content.as_str()),
            Some("Rust <Engineer>")
        );
        assert_eq!(e.authors[0].name.as_deref(), Some("Acme & Co"));
        let body = e
            .content
            .as_ref()
            .and_then(|c| c.body.as_deref())
            .expect("content");
        assert_eq!(body, "<p>Build <b>things</b></p>");
        assert_eq!(
            feed.entries[1].authors[0].name.as_deref(),
            Some("wwr"),
            "no company: the source"
        );
    }
}
