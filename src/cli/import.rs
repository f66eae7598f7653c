//! `jobhound import FILE`: turn an OPML subscription list (as feed readers
//! export it) or a plain list of URLs into `[[source]]` blocks, printed for the
//! user to append to their config.

use std::collections::HashSet;
use std::path::Path;

use anyhow::Context;
use quick_xml::events::Event;

use super::{CliError, Exit};
use crate::scheduler::Schedule;

/// One feed found in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The source name to give it (unique, identifier-safe).
    pub name: String,
    /// The feed URL.
    pub url: String,
}

/// Reads `file` and prints a `[[source]]` block per feed.
pub fn run(file: &Path, schedule: Option<&str>) -> Result<Exit, CliError> {
    if let Some(s) = schedule {
        Schedule::parse(s)
            .map_err(|e| CliError::new(Exit::Usage, anyhow::anyhow!("--schedule: {e}")))?;
    }
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let entries = entries(&text)
        .map_err(|e| CliError::new(Exit::Failure, anyhow::anyhow!("{}: {e}", file.display())))?;
    out!("{}", render(&entries, schedule))?;
    note!("{} feeds from {}", entries.len(), file.display());
    Ok(Exit::Ok)
}

/// The feeds of an OPML document, or of a list with one URL per line
/// (blank lines and `#` comments skipped).
pub fn entries(text: &str) -> Result<Vec<Entry>, String> {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let raw = if text.starts_with('<') {
        opml(text)?
    } else {
        lines(text)
    };
    let mut taken = HashSet::new();
    Ok(raw
        .into_iter()
        .map(|(title, url)| {
            let base = slug(title.as_deref().unwrap_or("")).unwrap_or_else(|| slug_from_url(&url));
            let mut name = base.clone();
            let mut n = 2;
            while !taken.insert(name.clone()) {
                name = format!("{base}-{n}");
                n += 1;
            }
            Entry { name, url }
        })
        .collect())
}

fn lines(text: &str) -> Vec<(Option<String>, String)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| (None, l.to_string()))
        .collect()
}

fn opml(text: &str) -> Result<Vec<(Option<String>, String)>, String> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "outline" => {
                let (mut title, mut url) = (None, None);
                for attr in e.attributes().flatten() {
                    let value = attr
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|err| {
                            format!("bad attribute at byte {}: {err}", reader.buffer_position())
                        })?
                        .into_owned();
                    match attr.key.local_name().as_ref() {
                        "xmlUrl" | "xmlurl" => url = Some(value),
                        "text" => title = Some(value),
                        "title" if title.is_none() => title = Some(value),
                        _ => {}
                    }
                }
                if let Some(url) = url.filter(|u| !u.trim().is_empty()) {
                    out.push((title, url.trim().to_string()));
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                return Err(format!(
                    "not valid OPML at byte {}: {e}",
                    reader.buffer_position()
                ));
            }
        }
    }
    Ok(out)
}

/// The `[[source]]` blocks for the entries.
pub fn render(entries: &[Entry], schedule: Option<&str>) -> String {
    let mut out = String::new();
    for e in entries {
        out.push_str("[[source]]\n");
        out.push_str(&format!("name = {}\n", toml_string(&e.name)));
        out.push_str("kind = \"feed\"\n");
        out.push_str(&format!("url = {}\n", toml_string(&e.url)));
        if let Some(s) = schedule {
            out.push_str(&format!("schedule = {}\n", toml_string(s)));
        }
        out.push('\n');
    }
    out
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Lower-case letters and digits joined by single dashes, at most 48 characters.
fn slug(s: &str) -> Option<String> {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 48 {
            break;
        }
    }
    let out = out.trim_end_matches('-').to_string();
    (!out.is_empty()).then_some(out)
}

fn slug_from_url(url: &str) -> String {
    let u = url::Url::parse(url).ok();
    let host = u
        .as_ref()
        .and_then(|u| u.host_str())
        .unwrap_or("feed")
        .trim_start_matches("www.");
    let path = u.as_ref().map(|u| u.path().to_string()).unwrap_or_default();
    slug(&format!("{host} {path}")).unwrap_or_else(|| "feed".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opml_outlines_become_uniquely_named_sources() {
        let opml = r#"<?xml version="1.0"?><opml version="2.0"><body>
            <outline text="Jobs"><outline type="rss" text="WWR: Programming" xmlUrl="https://weworkremotely.com/categories/remote-programming-jobs.rss"/></outline>
            <outline type="rss" title="HN &amp; jobs" xmlUrl="https://hnrss.org/jobs"/>
            <outline type="rss" text="WWR: Programming" xmlUrl="https://example.com/other.rss"/>
            <outline text="folder without url"/>
        </body></opml>"#;
        let got = entries(opml).expect("valid");
        let names: Vec<&str> = got.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["wwr-programming", "hn-jobs", "wwr-programming-2"]);
        assert_eq!(got[1].url, "https://hnrss.org/jobs");
    }

    #[test]
    fn url_lists_are_named_after_host_and_path() {
        let got = entries("# my feeds\nhttps://www.python.org/jobs/feed/rss/\n\nhttp://127.0.0.1:8089/feeds/feed-0001.rss\n")
            .expect("valid");
        let names: Vec<&str> = got.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            ["python-org-jobs-feed-rss", "127-0-0-1-feeds-feed-0001-rss"]
        );
    }

    #[test]
    fn broken_opml_is_an_error_with_a_position() {
        let err =
            entries("<opml><body><outline xmlUrl=\"x\"></body>").expect_err("mismatched tags");
        assert!(err.contains("not valid OPML at byte"), "{err}");
    }

    #[test]
    fn rendered_blocks_parse_as_toml_with_quotes_escaped() {
        let e = [Entry {
            name: "a".into(),
            url: "https://x.example/feed?q=\"ml\"".into(),
        }];
        let text = render(&e, Some("0 * * * *"));
        let v: toml::Table = toml::from_str(&text).expect("valid toml");
        assert_eq!(
            v["source"][0]["url"].as_str(),
            Some("https://x.example/feed?q=\"ml\"")
        );
    }
}
