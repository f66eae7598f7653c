//! The data model, in one place: what a source hands over ([`RawPosting`]), what
//! normalization makes of it ([`Posting`]), and the small value types both use.
//!
//! No I/O lives here. Every stage of the pipeline speaks these types.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub mod pay;

/// The configured name of a source (`[[source]] name = "..."`), unique in a config.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SourceName(pub String);

impl fmt::Display for SourceName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `pad`, not `write_str`: tables align names with `{:width$}`.
        f.pad(&self.0)
    }
}

impl SourceName {
    /// The name as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The row id of a stored posting: one per job, however many sources list it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PostingId(pub i64);

impl fmt::Display for PostingId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Where the work happens. `Unknown` when neither a field nor the text says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Workplace {
    /// Fully remote (possibly restricted to a region, kept in the locations).
    Remote,
    /// Part remote, part office.
    Hybrid,
    /// In the office.
    #[serde(rename = "on-site")]
    Onsite,
    /// Nothing says.
    #[default]
    Unknown,
}

impl Workplace {
    /// The stable lower-case name used in the database and in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Workplace::Remote => "remote",
            Workplace::Hybrid => "hybrid",
            Workplace::Onsite => "on-site",
            Workplace::Unknown => "unknown",
        }
    }

    /// The inverse of [`Workplace::as_str`]; anything else is `Unknown`.
    pub fn parse(s: &str) -> Workplace {
        match s {
            "remote" => Workplace::Remote,
            "hybrid" => Workplace::Hybrid,
            "on-site" => Workplace::Onsite,
            _ => Workplace::Unknown,
        }
    }
}

impl fmt::Display for Workplace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// The kind of contract, normalized from each source's own vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EmploymentType {
    /// Permanent full-time employment.
    FullTime,
    /// Permanent part-time employment.
    PartTime,
    /// A fixed-term or contractor engagement.
    Contract,
    /// Temporary or seasonal work.
    Temporary,
    /// An internship or working student position.
    Internship,
    /// Freelance or per-task work.
    Freelance,
}

impl EmploymentType {
    /// The stable lower-case name used in the database and in output.
    pub fn as_str(self) -> &'static str {
        match self {
            EmploymentType::FullTime => "full-time",
            EmploymentType::PartTime => "part-time",
            EmploymentType::Contract => "contract",
            EmploymentType::Temporary => "temporary",
            EmploymentType::Internship => "internship",
            EmploymentType::Freelance => "freelance",
        }
    }

    /// Reads the many spellings sources use ("Full-time", "full_time", "FullTime",
    /// "fulltime_permanent", "Contractor", "Intern"). `None` when it is none of them.
    pub fn parse(s: &str) -> Option<EmploymentType> {
        let key: String = s
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        let t = match key.as_str() {
            k if k.starts_with("fulltime") || k == "permanent" => EmploymentType::FullTime,
            k if k.starts_with("parttime") => EmploymentType::PartTime,
            k if k.starts_with("contract") || k == "fixedterm" => EmploymentType::Contract,
            k if k.starts_with("temporar") || k == "seasonal" => EmploymentType::Temporary,
            k if k.starts_with("intern") || k == "workingstudent" || k == "trainee" => {
                EmploymentType::Internship
            }
            k if k.starts_with("freelance") => EmploymentType::Freelance,
            _ => return None,
        };
        Some(t)
    }
}

impl fmt::Display for EmploymentType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// The unit of time a salary figure is paid per.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SalaryPeriod {
    /// Per hour.
    Hour,
    /// Per day.
    Day,
    /// Per week.
    Week,
    /// Per month.
    Month,
    /// Per year.
    Year,
}

impl SalaryPeriod {
    /// How many of this period make a working year (2080 hours, 260 days, 52 weeks, 12 months).
    pub fn per_year(self) -> f64 {
        match self {
            SalaryPeriod::Hour => 2080.0,
            SalaryPeriod::Day => 260.0,
            SalaryPeriod::Week => 52.0,
            SalaryPeriod::Month => 12.0,
            SalaryPeriod::Year => 1.0,
        }
    }

    /// The stable lower-case name used in the database and in output.
    pub fn as_str(self) -> &'static str {
        match self {
            SalaryPeriod::Hour => "hour",
            SalaryPeriod::Day => "day",
            SalaryPeriod::Week => "week",
            SalaryPeriod::Month => "month",
            SalaryPeriod::Year => "year",
        }
    }

    /// The inverse of [`SalaryPeriod::as_str`].
    pub fn parse(s: &str) -> Option<SalaryPeriod> {
        Some(match s {
            "hour" => SalaryPeriod::Hour,
            "day" => SalaryPeriod::Day,
            "week" => SalaryPeriod::Week,
            "month" => SalaryPeriod::Month,
            "year" => SalaryPeriod::Year,
            _ => return None,
        })
    }
}

/// Where a salary came from: a field of the source, or a parse of free text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SalaryOrigin {
    /// A structured field of the source (min/max/currency columns).
    Structured,
    /// Parsed from free text (a salary string, the title or the description).
    Text,
}

impl SalaryOrigin {
    /// The stable lower-case name used in the database and in output.
    pub fn as_str(self) -> &'static str {
        match self {
            SalaryOrigin::Structured => "structured",
            SalaryOrigin::Text => "text",
        }
    }
}

/// A pay range. Any part may be unknown; unknown stays `None`, never a guess.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Salary {
    /// Lower bound, in `currency` per `period`.
    pub min: Option<f64>,
    /// Upper bound, in `currency` per `period`.
    pub max: Option<f64>,
    /// ISO 4217 code ("USD", "EUR", "GBP", "CHF").
    pub currency: Option<String>,
    /// What the figures are paid per.
    pub period: Option<SalaryPeriod>,
    /// Structured field or parsed text.
    pub origin: SalaryOrigin,
    /// The text it was read from, kept as the source wrote it.
    pub text: Option<String>,
}

impl Salary {
    /// The range scaled to a year, so that postings compare: `(min, max)`.
    /// `None` when the period is unknown.
    pub fn yearly(&self) -> Option<(Option<f64>, Option<f64>)> {
        let k = self.period?.per_year();
        Some((self.min.map(|v| v * k), self.max.map(|v| v * k)))
    }
}

/// A posting as a source hands it over: the source's own fields, mapped by name,
/// with source-specific escaping already undone. Normalization derives the rest.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawPosting {
    /// The source's own id for the posting (guid, job id, URL when nothing else).
    pub external_id: String,
    /// The title as the source wrote it.
    pub title: String,
    /// The posting's page on the source.
    pub url: Option<String>,
    /// Where to apply, when the source says.
    pub apply_url: Option<String>,
    /// The hiring company, when the source has a field for it.
    pub company: Option<String>,
    /// Department or team.
    pub department: Option<String>,
    /// Every location the source lists, as written.
    pub locations: Vec<String>,
    /// The source's remote/hybrid/on-site field; `Unknown` when it has none.
    pub workplace: Workplace,
    /// The source's contract-type field, as written ("Full-time", "FullTime").
    pub employment_type: Option<String>,
    /// Pay from structured fields.
    pub salary: Option<Salary>,
    /// Pay as free text, to be parsed when there is no structured salary.
    pub salary_text: Option<String>,
    /// When the posting was first published.
    pub posted_at: Option<DateTime<Utc>>,
    /// When the posting was last changed.
    pub updated_at: Option<DateTime<Utc>>,
    /// The description as HTML (escaping undone, not yet sanitized).
    pub description_html: Option<String>,
    /// The description as plain text, for sources that only give text.
    pub description_text: Option<String>,
    /// Categories or tags.
    pub tags: Vec<String>,
    /// The author or poster, when the source names one (feeds, HN).
    pub author: Option<String>,
    /// The title may pack company and location ("Company: Title",
    /// "Title at Company", "Title (Location)"); set by feed-like sources.
    pub title_packs_fields: bool,
}

/// A normalized posting: what the store keeps and every later stage reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Posting {
    /// The source it was read from.
    pub source: SourceName,
    /// The source's id for it.
    pub external_id: String,
    /// The job title, with packed fields removed and whitespace folded.
    pub title: String,
    /// The title exactly as the source wrote it.
    pub raw_title: String,
    /// The hiring company.
    pub company: Option<String>,
    /// Department or team.
    pub department: Option<String>,
    /// Every location, cleaned.
    pub locations: Vec<String>,
    /// Remote, hybrid, on-site or unknown.
    pub workplace: Workplace,
    /// The kind of contract.
    pub employment_type: Option<EmploymentType>,
    /// Pay, structured or parsed from text.
    pub salary: Option<Salary>,
    /// When it was first published (UTC).
    pub posted_at: Option<DateTime<Utc>>,
    /// When it was last changed (UTC).
    pub updated_at: Option<DateTime<Utc>>,
    /// The canonical URL of the posting's page (the cross-source identity key).
    pub url: Option<String>,
    /// Where to apply.
    pub apply_url: Option<String>,
    /// The description as sanitized HTML (safe to embed in a page or email).
    pub description_html: String,
    /// The description as readable plain text.
    pub text: String,
    /// Categories or tags.
    pub tags: Vec<String>,
    /// The author or poster.
    pub author: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_kinds_pad_in_aligned_columns() {
        assert_eq!(format!("{:6}|", SourceName("ab".into())), "ab    |");
        assert_eq!(format!("{:>8}|", Workplace::Remote), "  remote|");
        assert_eq!(format!("{:10}|", EmploymentType::FullTime), "full-time |");
    }
}
