//! `jobhound import FILE`: turn an OPML subscription list (as feed readers
//! export it) or a plain list of URLs into `[[source]]` blocks, printed for the
//! user to append to their config.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use anyhow::Context;
use quick_xml::events::Event;

use super::{CliError, Exit};
use crate::normalize::strip_unsafe;
use crate::scheduler::Schedule;

/// One feed found in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The source name to give it (unique, identifier-safe).
    pub name: String,
    /// The feed URL.
    pub url: String,
}

/// What the input held: the feeds to add, and what was left out and why.
#[derive(Debug, Default)]
pub struct Imported {
    /// New feeds, named.
    pub entries: Vec<Entry>,
    /// `(what, why)` for each entry left out.
    pub skipped: Vec<(String, String)>,
}

/// The sources a config already has, by name and by URL: a second import of
/// the same file adds nothing, and new names never take an existing one.
#[derive(Debug, Default)]
pub struct Existing {
    names: HashSet<String>,
    urls: HashMap<String, String>,
}

impl Existing {
    /// The `[[source]]` names and URLs of config text (read leniently: a
    /// config with problems still says which feeds it has).
    pub fn from_toml(text: &str) -> Existing {
        let mut out = Existing::default();
        let Ok(doc) = text.parse::<toml::Table>() else {
            return out;
        };
        let sources = doc.get("source").and_then(|s| s.as_array());
        for s in sources.into_iter().flatten() {
            let name = s.get("name").and_then(|v| v.as_str()).unwrap_or_default();
            out.names.insert(name.to_string());
            if let Some(url) = s.get("url").and_then(|v| v.as_str()) {
                out.urls.insert(url_key(url), name.to_string());
            }
        }
        out
    }
}

/// Reads `file` and prints a `[[source]]` block per new feed; reports what it skipped.
pub fn run(file: &Path, schedule: Option<&str>, config: Option<&Path>) -> Result<Exit, CliError> {
    if let Some(s) = schedule {
        Schedule::parse(s)
            .map_err(|e| CliError::new(Exit::Usage, anyhow::anyhow!("--schedule: {e}")))?;
    }
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    // The config the blocks are for, if there is one yet.
    let existing = match crate::config::locate(config) {
        Ok(path) if path.is_file() => {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            Existing::from_toml(&text)
        }
        _ => Existing::default(),
    };
    let got = entries(&text, &existing)
        .map_err(|e| CliError::new(Exit::Failure, anyhow::anyhow!("{}: {e}", file.display())))?;
    for (what, why) in &got.skipped {
        note!("skipped {}: {why}", strip_unsafe(what));
    }
    if got.entries.is_empty() && !got.skipped.is_empty() {
        return Err(CliError::new(
            Exit::Usage,
            anyhow::anyhow!(
                "{}: no new feed URLs ({} entries skipped); give an OPML export or a list of http(s) feed URLs",
                file.display(),
                got.skipped.len()
            ),
        ));
    }
    out!("{}", render(&got.entries, schedule))?;
    note!(
        "{} feeds from {} ({} skipped)",
        got.entries.len(),
        file.display(),
        got.skipped.len()
    );
    Ok(Exit::Ok)
}

/// The feeds of an OPML document, or of a list with one URL per line
/// (blank lines and `#` comments skipped), less what is not an http(s) URL
/// or already in `existing`. A name comes from the title (else the URL) alone,
/// so the same file gives the same names however often it is imported.
pub fn entries(text: &str, existing: &Existing) -> Result<Imported, String> {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let raw = if text.starts_with('<') {
        opml(text)?
    } else {
        lines(text)
    };
    let mut out = Imported::default();
    let mut taken = existing.names.clone();
    let mut urls = existing.urls.clone();
    for (title, url) in raw {
        let parsed = match feed_url(&url) {
            Ok(u) => u,
            Err(why) => {
                out.skipped.push((url, why));
                continue;
            }
        };
        if let Some(name) = urls.get(&url_key(parsed.as_str())) {
            out.skipped
                .push((url, format!("already in the config as `{name}`")));
            continue;
        }
        let base = slug(title.as_deref().unwrap_or("")).unwrap_or_else(|| slug_from_url(&parsed));
        let mut name = base.clone();
        let mut n = 2u32;
        while !taken.insert(name.clone()) {
            name = format!("{base}-{n}");
            n = n.saturating_add(1);
        }
        urls.insert(url_key(parsed.as_str()), name.clone());
        out.entries.push(Entry {
            name,
            url: parsed.to_string(),
        });
    }
    Ok(out)
}

/// An absolute http(s) URL, or why the text is not one.
fn feed_url(s: &str) -> Result<url::Url, String> {
    match url::Url::parse(s) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(u),
        Ok(u) => Err(format!(
            "a `{}` URL: only http and https feeds are fetched",
            u.scheme()
        )),
        Err(_) => Err("not a feed URL".to_string()),
    }
}

/// A URL as compared for "already there": parsed (so `HTTP://X.org` is
/// `http://x.org/`), without a fragment.
fn url_key(s: &str) -> String {
    match url::Url::parse(s.trim()) {
        Ok(mut u) => {
            u.set_fragment(None);
            u.to_string()
        }
        Err(_) => s.trim().to_string(),
    }
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

/// Lower-case letters and digits joined by single dashes, at most 48
/// characters; other scripts transliterated first (`Zürich` → `zurich`).
fn slug(s: &str) -> Option<String> {
    let mut out = String::new();
    for c in deunicode::deunicode(s).chars().flat_map(char::to_lowercase) {
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

fn slug_from_url(u: &url::Url) -> String {
    let host = u.host_str().unwrap_or("feed").trim_start_matches("www.");
    slug(&format!("{host} {}", u.path())).unwrap_or_else(|| "feed".into())
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
        let got = entries(opml, &Existing::default()).expect("valid").entries;
        let names: Vec<&str> = got.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["wwr-programming", "hn-jobs", "wwr-programming-2"]);
        assert_eq!(got[1].url, "https://hnrss.org/jobs");
    }

    #[test]
    fn url_lists_are_named_after_host_and_path() {
        let got = entries("# my feeds\nhttps://www.python.org/jobs/feed/rss/\n\nhttp://127.0.0.1:8089/feeds/feed-0001.rss\n", &Existing::default())
            .expect("valid")
            .entries;
        let names: Vec<&str> = got.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            ["python-org-jobs-feed-rss", "127-0-0-1-feeds-feed-0001-rss"]
        );
    }

    #[test]
    fn broken_opml_is_an_error_with_a_position() {
        let err = entries(
            "<opml><body><outline xmlUrl=\"x\"></body>",
            &Existing::default(),
        )
        .expect_err("mismatched tags");
        assert!(err.contains("not valid OPML at byte"), "{err}");
    }

    #[test]
    fn what_is_not_an_http_feed_url_is_skipped_with_a_reason() {
        let text = "name = \"x\"\nftp://files.example/feed\nhttps://ok.example/feed.xml\nfile:///etc/passwd\n";
        let got = entries(text, &Existing::default()).expect("valid");
        let urls: Vec<&str> = got.entries.iter().map(|e| e.url.as_str()).collect();
        assert_eq!(urls, ["https://ok.example/feed.xml"]);
        let skipped: Vec<&str> = got.skipped.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(
            skipped,
            [
                "name = \"x\"",
                "ftp://files.example/feed",
                "file:///etc/passwd"
            ]
        );
        assert!(got.skipped[1].1.contains("only http and https"), "{got:?}");
    }

    #[test]
    fn names_are_transliterated_not_mangled() {
        let cases = [
            ("Zürich Jobs", "zurich-jobs"),
            ("Café & Crème", "cafe-creme"),
            ("Kraków: Go", "krakow-go"),
            ("Łódź", "lodz"),
        ];
        for (title, want) in cases {
            assert_eq!(slug(title).as_deref(), Some(want), "{title}");
        }
    }

    #[test]
    fn a_second_import_into_the_same_config_adds_nothing_and_renames_nothing() {
        let opml = r#"<opml><body>
            <outline text="Zürich Jobs" xmlUrl="https://z.example/feed"/>
            <outline text="Other" xmlUrl="https://o.example/feed"/>
        </body></opml>"#;
        let first = entries(opml, &Existing::default()).expect("valid");
        let config = render(&first.entries, None);
        let again = entries(opml, &Existing::from_toml(&config)).expect("valid");
        assert!(again.entries.is_empty(), "{again:?}");
        assert_eq!(again.skipped.len(), 2);
        assert!(again.skipped[0].1.contains("`zurich-jobs`"), "{again:?}");
        // A new feed with a title already taken gets a new name; the old keeps its own.
        let more = r#"<opml><body><outline text="Zürich Jobs" xmlUrl="https://z2.example/feed"/></body></opml>"#;
        let got = entries(more, &Existing::from_toml(&config)).expect("valid");
        assert_eq!(got.entries[0].name, "zurich-jobs-2");
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
