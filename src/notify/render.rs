//! What a message says, independent of the channel: the matches it carries
//! grouped by alert, each job's facts (title, company, location, workplace,
//! salary, posted date, source, link), a subject line, and the plain-text
//! body that email and `jobhound digest --preview` use. Pure functions.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use crate::model::Salary;
use crate::store::StoredPosting;

/// One match in a message.
#[derive(Debug, Clone)]
pub struct Item {
    /// The delivery it fulfils.
    pub delivery_id: i64,
    /// The alert that matched.
    pub alert: String,
    /// The job.
    pub posting: StoredPosting,
}

/// A digest's schedule time, shown in the notifier's time zone.
#[derive(Debug, Clone, Copy)]
pub struct DigestTime {
    /// The schedule time.
    pub at: DateTime<Utc>,
    /// The notifier's zone.
    pub timezone: chrono_tz::Tz,
}

impl DigestTime {
    /// "2026-11-30 08:00 Europe/Berlin".
    pub fn label(&self) -> String {
        format!(
            "{} {}",
            self.at
                .with_timezone(&self.timezone)
                .format("%Y-%m-%d %H:%M"),
            self.timezone.name()
        )
    }
}

/// Everything one message carries.
#[derive(Debug, Clone)]
pub struct Batch {
    /// The stable idempotency key: the same on every attempt of this message.
    pub key: String,
    /// The digest it is, or `None` for matches sent as they come.
    pub digest: Option<DigestTime>,
    /// The matches, in delivery order.
    pub items: Vec<Item>,
}

impl Batch {
    /// The matches grouped by alert (alerts in name order, matches in delivery order).
    pub fn groups(&self) -> Vec<(&str, Vec<&Item>)> {
        let mut by: BTreeMap<&str, Vec<&Item>> = BTreeMap::new();
        for item in &self.items {
            by.entry(item.alert.as_str()).or_default().push(item);
        }
        by.into_iter().collect()
    }

    /// A one-line subject: the job for a single match, else a count.
    pub fn subject(&self) -> String {
        let n = self.items.len();
        match (&self.digest, self.items.as_slice()) {
            (Some(d), _) => format!(
                "jobhound digest {}: {} new job{}",
                d.at.with_timezone(&d.timezone).format("%Y-%m-%d"),
                n,
                plural(n)
            ),
            (None, [one]) => {
                let facts = Facts::of(&one.posting);
                match facts.company {
                    Some(c) => format!("jobhound [{}]: {} at {c}", one.alert, facts.title),
                    None => format!("jobhound [{}]: {}", one.alert, facts.title),
                }
            }
            (None, _) => format!("jobhound: {n} new job{}", plural(n)),
        }
    }

    /// The heading above the jobs.
    pub fn heading(&self) -> String {
        let n = self.items.len();
        match &self.digest {
            Some(d) if n == 0 => format!("jobhound digest for {}: nothing new", d.label()),
            Some(d) => format!(
                "jobhound digest for {}: {n} new job{}",
                d.label(),
                plural(n)
            ),
            None => format!("jobhound: {n} new job{}", plural(n)),
        }
    }

    /// The plain-text body: heading, then per alert its jobs with their facts.
    pub fn text(&self) -> String {
        let mut out = self.heading();
        out.push('\n');
        for (alert, items) in self.groups() {
            let _ = write!(out, "\n== {alert} ({}) ==\n", items.len());
            for item in items {
                let f = Facts::of(&item.posting);
                let _ = writeln!(out, "- {}", f.title);
                let line = f.line();
                if !line.is_empty() {
                    let _ = writeln!(out, "  {line}");
                }
                if let Some(link) = &f.link {
                    let _ = writeln!(out, "  {link}");
                }
            }
        }
        out
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A job's facts as message text (unescaped: each channel escapes for its format).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// The title.
    pub title: String,
    /// The posting's page, else where to apply.
    pub link: Option<String>,
    /// The company.
    pub company: Option<String>,
    /// Every location, joined with "; ".
    pub location: Option<String>,
    /// Remote, hybrid or on-site (nothing when unknown).
    pub workplace: Option<&'static str>,
    /// The pay, as stated or from its figures.
    pub salary: Option<String>,
    /// When it was posted (else first seen), as a date.
    pub posted: String,
    /// The sources that list it.
    pub sources: String,
}

impl Facts {
    /// The facts of a stored job.
    pub fn of(p: &StoredPosting) -> Facts {
        let post = &p.posting;
        Facts {
            title: post.title.clone(),
            link: post.url.clone().or_else(|| post.apply_url.clone()),
            company: post.company.clone().filter(|c| !c.is_empty()),
            location: (!post.locations.is_empty()).then(|| post.locations.join("; ")),
            workplace: match post.workplace {
                crate::model::Workplace::Unknown => None,
                w => Some(w.as_str()),
            },
            salary: post.salary.as_ref().and_then(salary_text),
            posted: post
                .posted_at
                .unwrap_or(p.first_seen)
                .format("%Y-%m-%d")
                .to_string(),
            sources: p.sources.join(", "),
        }
    }

    /// Where the job is: its locations, then its workplace ("Berlin, Germany,
    /// remote"); empty when both are unknown.
    pub fn place(&self) -> String {
        [self.location.as_deref(), self.workplace]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The facts after the title on one line: "Acme · Berlin · remote · €70k · posted 2026-11-20 · via wwr".
    pub fn line(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        parts.extend(self.company.clone());
        parts.extend(self.location.clone());
        parts.extend(self.workplace.map(str::to_string));
        parts.extend(self.salary.clone());
        parts.push(format!("posted {}", self.posted));
        if !self.sources.is_empty() {
            parts.push(format!("via {}", self.sources));
        }
        parts.join(" · ")
    }
}

/// The pay as the source wrote it, else from its figures ("USD 150000–190000 per year").
pub fn salary_text(s: &Salary) -> Option<String> {
    if let Some(t) = s.text.as_deref().filter(|t| !t.trim().is_empty()) {
        return Some(t.trim().to_string());
    }
    let range = match (s.min, s.max) {
        (Some(a), Some(b)) if a != b => format!("{a:.0}–{b:.0}"),
        (Some(a), _) => format!("{a:.0}"),
        (None, Some(b)) => format!("up to {b:.0}"),
        (None, None) => return None,
    };
    let mut out = match &s.currency {
        Some(c) => format!("{c} {range}"),
        None => range,
    };
    if let Some(p) = s.period {
        let _ = write!(out, " per {}", p.as_str());
    }
    Some(out)
}

/// Cuts `s` to at most `max` characters, ending in "…" when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::model::{Posting, PostingId, SalaryOrigin, SalaryPeriod, SourceName, Workplace};

    /// A stored job for rendering tests.
    pub fn job(id: i64, title: &str, company: Option<&str>) -> StoredPosting {
        let t = Utc
            .with_ymd_and_hms(2026, 11, 20, 9, 0, 0)
            .single()
            .expect("time");
        StoredPosting {
            id: PostingId(id),
            posting: Posting {
                source: SourceName("wwr".into()),
                external_id: format!("x{id}"),
                title: title.into(),
                raw_title: title.into(),
                company: company.map(String::from),
                department: None,
                locations: vec!["Berlin, Germany".into()],
                workplace: Workplace::Remote,
                employment_type: None,
                salary: Some(Salary {
                    min: Some(70000.0),
                    max: Some(90000.0),
                    currency: Some("EUR".into()),
                    period: Some(SalaryPeriod::Year),
                    origin: SalaryOrigin::Structured,
                    text: None,
                }),
                posted_at: Some(t),
                updated_at: None,
                url: Some(format!("https://jobs.example/{id}")),
                apply_url: None,
                description_html: "<p>Build models.</p>".into(),
                text: "Build models.".into(),
                tags: vec![],
                author: None,
            },
            sources: vec!["wwr".into()],
            first_seen: t,
            last_seen: t,
            changed_at: t,
            state: crate::store::JobState::Open,
            closed_at: None,
            reopened_at: None,
            sightings: vec![],
            user_state: None,
        }
    }

    /// A batch of (alert, job) items.
    pub fn batch(items: &[(&str, StoredPosting)], digest: bool) -> Batch {
        Batch {
            key: "jobhound-m7-1795600800".into(),
            digest: digest.then(|| DigestTime {
                at: Utc
                    .with_ymd_and_hms(2026, 11, 30, 7, 0, 0)
                    .single()
                    .expect("time"),
                timezone: chrono_tz::Europe::Berlin,
            }),
            items: items
                .iter()
                .enumerate()
                .map(|(i, (alert, p))| Item {
                    delivery_id: i as i64 + 1,
                    alert: alert.to_string(),
                    posting: p.clone(),
                })
                .collect(),
        }
    }

    #[test]
    fn the_text_groups_jobs_by_alert_with_their_facts() {
        let b = batch(
            &[
                ("ml", job(1, "ML Engineer", Some("Acme"))),
                ("data", job(2, "Data Scientist", None)),
                ("ml", job(3, "Research Engineer", Some("Initech"))),
            ],
            true,
        );
        let want = "\
jobhound digest for 2026-11-30 08:00 Europe/Berlin: 3 new jobs

== data (1) ==
- Data Scientist
  Berlin, Germany · remote · EUR 70000–90000 per year · posted 2026-11-20 · via wwr
  https://jobs.example/2

== ml (2) ==
- ML Engineer
  Acme · Berlin, Germany · remote · EUR 70000–90000 per year · posted 2026-11-20 · via wwr
  https://jobs.example/1
- Research Engineer
  Initech · Berlin, Germany · remote · EUR 70000–90000 per year · posted 2026-11-20 · via wwr
  https://jobs.example/3
";
        assert_eq!(b.text(), want);
        assert_eq!(b.subject(), "jobhound digest 2026-11-30: 3 new jobs");
    }

    #[test]
    fn subjects_name_a_single_job_or_count_many() {
        let one = batch(&[("ml", job(1, "ML Engineer", Some("Acme")))], false);
        assert_eq!(one.subject(), "jobhound [ml]: ML Engineer at Acme");
        let two = batch(
            &[("ml", job(1, "A", None)), ("ml", job(2, "B", None))],
            false,
        );
        assert_eq!(two.subject(), "jobhound: 2 new jobs");
        let empty = batch(&[], true);
        assert!(
            empty.heading().ends_with("nothing new"),
            "{}",
            empty.heading()
        );
    }

    #[test]
    fn salaries_prefer_the_stated_text() {
        let mut s = Salary {
            min: Some(150000.0),
            max: Some(190000.0),
            currency: Some("USD".into()),
            period: Some(SalaryPeriod::Year),
            origin: SalaryOrigin::Text,
            text: Some("$150k–$190k".into()),
        };
        assert_eq!(salary_text(&s).as_deref(), Some("$150k–$190k"));
        s.text = None;
        assert_eq!(
            salary_text(&s).as_deref(),
            Some("USD 150000–190000 per year")
        );
        s.max = None;
        s.period = None;
        assert_eq!(salary_text(&s).as_deref(), Some("USD 150000"));
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
    }
}
