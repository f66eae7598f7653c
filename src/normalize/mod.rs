//! Normalization: the pure stage between sources and the store.
//!
//! Input: a [`RawPosting`] as a source hands it over (its own fields, source-specific
//! escaping already undone). Output: a [`Posting`] with folded text, canonical URLs,
//! cleaned locations, a workplace, a contract type, a salary when one is stated,
//! and the description as both plain text and sanitized HTML.
//!
//! Everything here is a function over data: no I/O, no clock, no configuration.
//! Source-specific repairs (RemoteOK's double-encoded UTF-8, Greenhouse's extra
//! escaping) belong to the sources, which call [`repair_mojibake`] or
//! [`decode_entities`] before handing the posting over.
//!
//! The helpers live in one file each (`normalize::url`, `normalize::html`, …) and
//! are re-exported here, so both `normalize::canonical_url` and
//! `normalize::url::canonical_url` work.

pub mod html;
pub mod identity;
mod mojibake;
pub mod place;
pub mod salary;
pub mod text;
pub mod time;
pub mod title;
pub mod url;

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;

use std::borrow::Cow;

pub use self::url::{canonical_url, resolve_url};
pub use html::{Rendered, decode_entities, escape_html, html_to_text, render_html};
pub use mojibake::repair_mojibake;
pub use place::{clean_location, workplace_from_text};
pub use salary::parse_salary;
pub use text::{fold_whitespace, strip_unsafe};
pub use time::{from_epoch, parse_time};
pub use title::{SplitTitle, split_title};

use crate::model::{EmploymentType, Posting, RawPosting, Salary, SourceName, Workplace};

use text::{non_empty, tidy_lines};

/// Phrases that mark a description line as a statement about pay; only such lines
/// are searched, never arbitrary numbers (a benefits list's "€1,800 home-office
/// budget" is not a salary).
const PAY_MARKERS: &[&str] = &[
    "salary:",
    "salary range",
    "salary band",
    "base salary",
    "compensation:",
    "compensation range",
    "pay range",
    "pay:",
    "base pay",
    "hourly rate",
];

/// Headings after which the next line states pay ("Compensation" then "$18-$22 an hour").
const PAY_HEADINGS: &[&str] = &["salary", "compensation", "pay", "salary range", "pay range"];

/// Turns a source's raw posting into the normalized posting the store keeps.
pub fn normalize(mut raw: RawPosting, source: &SourceName) -> Posting {
    // Every text field loses control and bidi characters here (see `text`):
    // the single-line ones through `fold_whitespace`, the rest explicitly.
    raw.title = strip_unsafe(&raw.title).into_owned();
    let split = raw.title_packs_fields.then(|| split_title(&raw.title));
    let title = match &split {
        Some(s) => s.title.clone(),
        None => fold_whitespace(&raw.title),
    };

    let company = raw
        .company
        .as_deref()
        .and_then(non_empty)
        .or_else(|| split.as_ref().and_then(|s| s.company.clone()));
    let department = raw.department.as_deref().and_then(non_empty);

    let mut locations = dedupe(raw.locations.iter().filter_map(|l| clean_location(l)));
    if locations.is_empty()
        && let Some(place) = split.as_ref().and_then(|s| s.location.as_deref())
        && let Some(place) = clean_location(place)
    {
        locations.push(place);
    }

    let workplace = match raw.workplace {
        Workplace::Unknown => match workplace_from_text(&locations.join("; ")) {
            Workplace::Unknown => workplace_from_title(&raw.title),
            found => found,
        },
        given => given,
    };

    let employment_type = raw
        .employment_type
        .as_deref()
        .and_then(EmploymentType::parse);

    let (text, description_html) = match (&raw.description_html, &raw.description_text) {
        (Some(h), _) if !h.trim().is_empty() => {
            // Before rendering, so whole escape sequences go; what character
            // references (`&#x202E;`) decode to, rendering drops itself.
            let r = render_html(&strip_unsafe(h));
            (r.text, r.html)
        }
        (_, Some(t)) => {
            let text = tidy_lines(t);
            let html = paragraphs_html(&text);
            (text, html)
        }
        _ => (String::new(), String::new()),
    };

    let salary = raw
        .salary
        .and_then(known_salary)
        .or_else(|| raw.salary_text.as_deref().and_then(parse_salary))
        .or_else(|| parse_salary(&raw.title))
        .or_else(|| salary_from_description(&text))
        .map(clean_salary);

    let url = raw.url.as_deref().and_then(canonical_url);
    let apply_url = raw.apply_url.as_deref().and_then(canonical_url);
    let external_id = external_id(
        &strip_unsafe(&raw.external_id),
        url.as_deref(),
        &title,
        company.as_deref(),
    );

    Posting {
        source: source.clone(),
        external_id,
        title,
        raw_title: raw.title,
        company,
        department,
        locations,
        workplace,
        employment_type,
        salary,
        posted_at: raw.posted_at,
        updated_at: raw.updated_at,
        url,
        apply_url,
        description_html,
        text,
        tags: dedupe(raw.tags.iter().filter_map(|t| non_empty(t))),
        author: raw.author.as_deref().and_then(non_empty),
    }
}

/// Keeps the first of each value, compared case-insensitively, in order.
fn dedupe(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut out = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for item in items {
        let key = item.to_lowercase();
        if !seen.contains(&key) {
            seen.push(key);
            out.push(item);
        }
    }
    out
}

/// Remote/hybrid/on-site as stated in a title's parenthesized or bracketed
/// groups ("Engineer (Remote)", "[Hybrid]") or after a final " - "; a bare word
/// in the title proper ("Remote Sensing Scientist") says nothing.
fn workplace_from_title(title: &str) -> Workplace {
    let groups = title
        .split(['(', '['])
        .skip(1)
        .filter_map(|g| g.split([')', ']']).next());
    let tail = title.rsplit_once(" - ").map(|(_, t)| t);
    groups
        .chain(tail)
        .map(workplace_from_text)
        .find(|w| *w != Workplace::Unknown)
        .unwrap_or(Workplace::Unknown)
}

/// A salary with its words cleaned like every text field.
fn clean_salary(mut s: Salary) -> Salary {
    s.currency = s.currency.as_deref().and_then(non_empty);
    s.text = s.text.as_deref().and_then(non_empty);
    s
}

/// A structured salary with no figure at all (RemoteOK's `0`/`0`) is unknown; a
/// zero on one side only means that side is unknown.
fn known_salary(mut s: Salary) -> Option<Salary> {
    let known = |v: Option<f64>| v.filter(|v| *v > 0.0);
    s.min = known(s.min);
    s.max = known(s.max);
    (s.min.is_some() || s.max.is_some()).then_some(s)
}

/// Pay stated on a description line that talks about pay (see [`PAY_MARKERS`]),
/// or on the line right after a pay heading.
fn salary_from_description(text: &str) -> Option<Salary> {
    let mut after_heading = false;
    let mut lowered = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let lower: Cow<str> = match text::ascii_lowered(line, &mut lowered) {
            Some(l) => Cow::Borrowed(l),
            None => Cow::Owned(line.to_lowercase()),
        };
        let marked = PAY_MARKERS.iter().any(|m| lower.contains(m));
        if (marked || after_heading)
            && let Some(s) = parse_salary(line)
        {
            return Some(s);
        }
        let heading = lower.trim_end_matches([':', ' ']);
        after_heading = PAY_HEADINGS.contains(&heading);
    }
    None
}

/// HTML for plain text: blank-line-separated blocks become `<p>`, lines `<br>`.
fn paragraphs_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for para in text.split("\n\n") {
        out.push_str("<p>");
        for (i, line) in para.lines().enumerate() {
            if i > 0 {
                out.push_str("<br>");
            }
            out.push_str(&escape_html(line));
        }
        out.push_str("</p>");
    }
    if text.is_empty() {
        out.clear();
    }
    out
}

/// The source's id, trimmed; when it has none, the canonical URL; when there is
/// no URL either, `title:` and a 64-bit FNV-1a hash of the folded title and the
/// company (FNV because its output is fixed forever, unlike std's `DefaultHasher`;
/// the company is included so that one aggregator's many "Software Engineer"
/// postings without ids or URLs stay apart).
fn external_id(raw: &str, url: Option<&str>, title: &str, company: Option<&str>) -> String {
    let id = raw.trim();
    if !id.is_empty() {
        return id.to_owned();
    }
    if let Some(url) = url {
        return url.to_owned();
    }
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let key = [title, "\u{1f}", company.unwrap_or("")];
    for byte in key.iter().flat_map(|s| s.bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("title:{hash:016x}")
}
