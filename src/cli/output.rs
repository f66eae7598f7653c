//! Printing postings: a table for people, JSON / JSON Lines / CSV for programs.

use std::io::{self, Write};

use clap::ValueEnum;

use super::color::Colors;
use crate::model::pay;
use crate::normalize::strip_unsafe;
use crate::store::{JobState, MatchRecord, Sighting, StoredPosting};

/// Output formats of `search` and `alerts test`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns.
    Table,
    /// One JSON array.
    Json,
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated values with a header row.
    Csv,
}

/// Output formats of `show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    /// Labelled fields, then the description.
    Text,
    /// One JSON object.
    Json,
}

/// Prints search results, the table's header in colour when `color` says so.
pub fn postings(
    results: &[StoredPosting],
    format: Format,
    color: Colors,
    out: &mut impl Write,
) -> io::Result<()> {
    match format {
        Format::Table => table(results, color, out),
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, results)?;
            writeln!(out)
        }
        Format::Jsonl => {
            for p in results {
                serde_json::to_writer(&mut *out, p)?;
                writeln!(out)?;
            }
            Ok(())
        }
        Format::Csv => csv(results, out),
    }
}

fn table(results: &[StoredPosting], color: Colors, out: &mut impl Write) -> io::Result<()> {
    if results.is_empty() {
        return writeln!(out, "no postings found");
    }
    let header = format!(
        "{:>6}  {:10}  {:44}  {:22}  {:22}  SOURCE",
        "ID", "POSTED", "TITLE", "COMPANY", "LOCATION"
    );
    writeln!(out, "{}", color.header(&header))?;
    for p in results {
        let posted = p
            .posting
            .posted_at
            .unwrap_or(p.first_seen)
            .format("%Y-%m-%d")
            .to_string();
        writeln!(
            out,
            "{:>6}  {:10}  {:44}  {:22}  {:22}  {}",
            p.id.0,
            posted,
            cut(&titled(p), 44),
            cut(p.posting.company.as_deref().unwrap_or("-"), 22),
            cut(&location(p), 22),
            strip_unsafe(&p.sources.join(","))
        )?;
    }
    Ok(())
}

fn csv(results: &[StoredPosting], out: &mut impl Write) -> io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record([
        "id",
        "posted_at",
        "first_seen",
        "title",
        "company",
        "locations",
        "workplace",
        "salary",
        "url",
        "sources",
        "state",
        "closed_at",
    ])?;
    for p in results {
        let post = &p.posting;
        w.write_record(
            [
                p.id.0.to_string(),
                post.posted_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
                p.first_seen.to_rfc3339(),
                post.title.clone(),
                post.company.clone().unwrap_or_default(),
                post.locations.join("; "),
                post.workplace.to_string(),
                post.salary
                    .as_ref()
                    .and_then(pay::salary)
                    .unwrap_or_default(),
                post.url.clone().unwrap_or_default(),
                p.sources.join(","),
                p.state.as_str().to_string(),
                p.closed_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
            ]
            .map(spreadsheet_safe),
        )?;
    }
    w.flush()
}

/// A CSV cell that a spreadsheet will show as text, never run as a formula:
/// a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
/// leading `'`, as OWASP's CSV-injection advice says. Titles come from the
/// network, and `=HYPERLINK(…)` in one is a phishing link a click away.
fn spreadsheet_safe(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}

/// Prints one posting in full.
pub fn show(
    p: &StoredPosting,
    sightings: &[Sighting],
    matches: &[MatchRecord],
    format: ShowFormat,
    out: &mut impl Write,
) -> io::Result<()> {
    if format == ShowFormat::Json {
        let doc = serde_json::json!({ "posting": p, "sightings": sightings, "matches": matches });
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        return writeln!(out);
    }
    let post = &p.posting;
    // Postings are cleaned when stored; rows stored by older versions may not be.
    let field = |out: &mut dyn Write, k: &str, v: Option<String>| -> io::Result<()> {
        match v {
            Some(v) if !v.is_empty() => writeln!(out, "{k:>12}: {}", strip_unsafe(&v)),
            _ => Ok(()),
        }
    };
    field(out, "id", Some(p.id.to_string()))?;
    field(out, "title", Some(post.title.clone()))?;
    if post.raw_title != post.title {
        field(out, "raw title", Some(post.raw_title.clone()))?;
    }
    field(out, "company", post.company.clone())?;
    field(out, "department", post.department.clone())?;
    field(out, "location", Some(location(p)))?;
    field(out, "workplace", Some(post.workplace.to_string()))?;
    field(
        out,
        "employment",
        post.employment_type.map(|e| e.to_string()),
    )?;
    field(out, "salary", post.salary.as_ref().and_then(pay::salary))?;
    field(out, "posted", post.posted_at.map(|t| t.to_rfc3339()))?;
    field(out, "updated", post.updated_at.map(|t| t.to_rfc3339()))?;
    field(out, "url", post.url.clone())?;
    field(out, "apply", post.apply_url.clone())?;
    field(out, "author", post.author.clone())?;
    field(out, "tags", Some(post.tags.join(", ")))?;
    field(out, "first seen", Some(p.first_seen.to_rfc3339()))?;
    field(out, "last seen", Some(p.last_seen.to_rfc3339()))?;
    field(out, "state", Some(state(p)))?;
    field(out, "triage", p.user_state.map(|u| u.as_str().to_string()))?;
    // One block per listing: where, since when, and why it is this job.
    for s in sightings {
        let mut line = format!(
            "{} (id {}), seen {} to {}",
            s.source,
            s.external_id,
            s.first_seen.format("%Y-%m-%d %H:%M"),
            s.last_seen.format("%Y-%m-%d %H:%M")
        );
        if let Some(t) = s.closed_at {
            line.push_str(&format!(", gone since {}", t.format("%Y-%m-%d %H:%M")));
        }
        field(out, "listed on", Some(line))?;
        field(out, "url", s.url.clone())?;
        field(out, "joined", Some(joined(s)))?;
    }
    for m in matches {
        let how = if m.notified {
            "notified"
        } else {
            "recorded silently"
        };
        field(
            out,
            "alert",
            Some(format!(
                "{} ({how}, {})",
                m.alert,
                m.matched_at.to_rfc3339()
            )),
        )?;
    }
    writeln!(out)?;
    writeln!(out, "{}", strip_unsafe(&post.text))
}

/// The title, marked when the job is not simply open.
fn titled(p: &StoredPosting) -> String {
    match p.state {
        JobState::Open => p.posting.title.clone(),
        other => format!("[{}] {}", other.as_str(), p.posting.title),
    }
}

/// The job's state with its time.
fn state(p: &StoredPosting) -> String {
    match (p.state, p.closed_at, p.reopened_at) {
        (JobState::Closed, Some(t), _) => format!("closed since {}", t.to_rfc3339()),
        (JobState::Reopened, _, Some(t)) => format!("reopened {}", t.to_rfc3339()),
        (s, _, _) => s.as_str().to_string(),
    }
}

/// Why a listing belongs to the job, in words.
fn joined(s: &Sighting) -> String {
    let why = match s.reason.as_str() {
        "first" => "the first listing of this job",
        "url" => "same URL",
        "apply-link" => "apply link",
        "same-apply-link" => "same apply link",
        "link" => "linked",
        "content" => "same content",
        "split" => "split off another job",
        other => other,
    };
    match &s.detail {
        Some(d) => format!("{why}: {d}"),
        None => why.to_string(),
    }
}

fn location(p: &StoredPosting) -> String {
    let mut s = p.posting.locations.join("; ");
    let w = p.posting.workplace;
    if w != crate::model::Workplace::Unknown && !s.to_lowercase().contains(w.as_str()) {
        if s.is_empty() {
            s = w.to_string();
        } else {
            s = format!("{s} ({w})");
        }
    }
    if s.is_empty() { "-".into() } else { s }
}

/// Cuts `s` to `width` characters, marking the cut with "…", without the
/// characters no terminal should get (see `normalize::text`).
fn cut(s: &str, width: usize) -> String {
    let s = strip_unsafe(s);
    if s.chars().count() <= width {
        return s.to_string();
    }
    let mut out: String = s.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Posting, PostingId, SourceName, Workplace};

    #[test]
    fn stored_control_chars_never_reach_the_terminal() {
        // A row stored before postings were cleaned at normalization.
        let evil = "\u{1b}[2J\u{202E}x\r";
        let now = chrono::Utc::now();
        let p = StoredPosting {
            id: PostingId(1),
            posting: Posting {
                source: SourceName("s".into()),
                external_id: evil.into(),
                title: format!("Title{evil}"),
                raw_title: format!("Raw{evil}"),
                company: Some(evil.into()),
                department: Some(evil.into()),
                locations: vec![evil.into()],
                workplace: Workplace::Unknown,
                employment_type: None,
                salary: None,
                posted_at: None,
                updated_at: None,
                url: None,
                apply_url: None,
                description_html: String::new(),
                text: format!("line\n{evil}\tend"),
                tags: vec![evil.into()],
                author: Some(evil.into()),
            },
            sources: vec!["s".into()],
            first_seen: now,
            last_seen: now,
            changed_at: now,
            state: JobState::Closed,
            closed_at: Some(now),
            reopened_at: None,
            sightings: vec![],
            user_state: None,
        };
        let sighting = Sighting {
            source: "s".into(),
            external_id: evil.into(),
            url: Some(format!("https://x.example/{evil}")),
            first_seen: now,
            last_seen: now,
            reason: "content".into(),
            detail: Some(evil.into()),
            closed_at: Some(now),
        };
        let mut out = Vec::new();
        postings(
            std::slice::from_ref(&p),
            Format::Table,
            Colors::off(),
            &mut out,
        )
        .expect("table");
        show(&p, &[sighting], &[], ShowFormat::Text, &mut out).expect("show");
        let out = String::from_utf8(out).expect("utf-8");
        assert!(
            !out.chars().any(crate::normalize::text::is_unsafe_char),
            "{out:?}"
        );
        assert!(out.contains("line\nx \tend"), "{out:?}");
    }

    #[test]
    fn csv_cells_never_start_a_formula() {
        let cases = [
            (
                "=HYPERLINK(\"http://evil\",\"x\")",
                "'=HYPERLINK(\"http://evil\",\"x\")",
            ),
            ("+1 555", "'+1 555"),
            ("-senior", "'-senior"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("Rust Engineer", "Rust Engineer"),
            ("a=b", "a=b"),
            ("", ""),
        ];
        for (cell, want) in cases {
            assert_eq!(spreadsheet_safe(cell.to_string()), want, "{cell:?}");
        }
    }
}
