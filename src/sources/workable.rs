//! `kind = "workable"`: a Workable account's public job widget,
//! `GET https://apply.workable.com/api/v1/widget/accounts/{account}?details=true`.
//!
//! Input: one JSON document `{name, description, jobs: [...]}` holding the whole
//! board (no paging), fetched with a conditional GET. Output: one posting per
//! `shortcode`. Workable lists a multi-country job once per country under the same
//! shortcode; those entries are merged into one posting with every location.
//! Empty strings mean unknown; pay is never included; `telecommuting` is only a
//! remote flag, so `false` leaves the workplace to the location text.

use futures::FutureExt;
use futures::future::BoxFuture;
use serde::Deserialize;
use url::Url;

use super::{Context, Fetched, Source, SourceError};
use crate::model::{RawPosting, Workplace};
use crate::normalize::parse_time;
use crate::normalize::text::non_empty;

/// The widget endpoint; the account slug is appended as one path segment.
const API: &str = "https://apply.workable.com/api/v1/widget/accounts/";

/// A Workable account.
pub struct Workable {
    account: String,
    base: Option<Url>,
}

impl Workable {
    /// A source for `account`, its endpoint rebased onto `base` when given.
    pub fn new(account: String, base: Option<Url>) -> Workable {
        Workable { account, base }
    }

    /// The widget URL with descriptions (`details=true`).
    fn url(&self) -> Result<Url, SourceError> {
        super::endpoint(
            API,
            &[&self.account],
            &[("details", Some("true"))],
            self.base.as_ref(),
        )
    }
}

impl Source for Workable {
    fn kind(&self) -> &'static str {
        "workable"
    }

    fn home(&self) -> Option<Url> {
        self.url().ok()
    }

    fn fetch<'a>(&'a self, cx: &'a Context<'a>) -> BoxFuture<'a, Result<Fetched, SourceError>> {
        async move { super::get_all(cx, &self.url()?, parse).await }.boxed()
    }
}

/// The widget document. `jobs` is required: a JSON answer without it is not a board.
#[derive(Deserialize)]
struct Board {
    #[serde(default)]
    name: Option<String>,
    jobs: Vec<Job>,
}

/// One entry of `jobs`. Every field may be missing, null or `""`.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Job {
    title: Option<String>,
    shortcode: Option<String>,
    employment_type: Option<String>,
    telecommuting: Option<bool>,
    department: Option<String>,
    url: Option<String>,
    shortlink: Option<String>,
    application_url: Option<String>,
    published_on: Option<String>,
    created_at: Option<String>,
    country: Option<String>,
    city: Option<String>,
    state: Option<String>,
    experience: Option<String>,
    function: Option<String>,
    industry: Option<String>,
    locations: Option<Vec<Location>>,
    description: Option<String>,
    full_description: Option<String>,
}

/// One entry of a job's `locations`; `region` may be null.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Location {
    country: Option<String>,
    city: Option<String>,
    region: Option<String>,
    hidden: Option<bool>,
}

/// Parses a widget document into postings, one per shortcode, in board order.
pub fn parse(bytes: &[u8], url: &Url) -> Result<Vec<RawPosting>, SourceError> {
    let board: Board = super::json(bytes, url)?;
    let company = board.name.as_deref().and_then(non_empty);
    let mut out: Vec<RawPosting> = Vec::with_capacity(board.jobs.len());
    for job in board.jobs {
        let posting = posting(job, company.clone());
        // The same job listed once per country: keep the first entry and add
        // the other entries' locations to it.
        match out
            .iter_mut()
            .find(|p| !p.external_id.is_empty() && p.external_id == posting.external_id)
        {
            Some(first) => {
                for place in posting.locations {
                    if !first.locations.contains(&place) {
                        first.locations.push(place);
                    }
                }
            }
            None => out.push(posting),
        }
    }
    Ok(out)
}

fn posting(job: Job, company: Option<String>) -> RawPosting {
    let text = |v: &Option<String>| v.as_deref().and_then(non_empty);
    let locations = match &job.locations {
        Some(list) if !list.is_empty() => list
            .iter()
            .filter(|l| l.hidden != Some(true))
            .filter_map(|l| place(&[&l.city, &l.region, &l.country]))
            .collect(),
        // Older answers carry only the flat fields.
        _ => place(&[&job.city, &job.state, &job.country])
            .into_iter()
            .collect(),
    };
    let description = [&job.full_description, &job.description]
        .into_iter()
        .flatten()
        .find(|d| !d.trim().is_empty())
        .cloned();
    RawPosting {
        external_id: text(&job.shortcode).unwrap_or_default(),
        title: job.title.clone().unwrap_or_default(),
        url: text(&job.url).or_else(|| text(&job.shortlink)),
        apply_url: text(&job.application_url),
        company,
        department: text(&job.department),
        locations,
        workplace: match job.telecommuting {
            Some(true) => Workplace::Remote,
            _ => Workplace::Unknown,
        },
        employment_type: text(&job.employment_type),
        posted_at: [&job.published_on, &job.created_at]
            .into_iter()
            .flatten()
            .find_map(|d| parse_time(d)),
        description_html: description,
        tags: [&job.function, &job.industry, &job.experience]
            .into_iter()
            .filter_map(text)
            .collect(),
        ..RawPosting::default()
    }
}

/// "City, Region, Country" from the parts that are known; `None` when none is.
fn place(parts: &[&Option<String>]) -> Option<String> {
    let known: Vec<String> = parts
        .iter()
        .filter_map(|p| p.as_deref().and_then(non_empty))
        .collect();
    (!known.is_empty()).then(|| known.join(", "))
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    fn fixture(name: &str) -> (Vec<u8>, Url) {
        let path = format!("{}/fixtures/workable/{name}", env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(&path).expect("fixture");
        let url = Url::parse(
            "https://apply.workable.com/api/v1/widget/accounts/northwind-vision?details=true",
        )
        .expect("url");
        (bytes, url)
    }

    fn board() -> Vec<RawPosting> {
        let (bytes, url) = fixture("board.json");
        parse(&bytes, &url).expect("board parses")
    }

    fn by_id<'a>(all: &'a [RawPosting], id: &str) -> &'a RawPosting {
        all.iter()
            .find(|p| p.external_id == id)
            .unwrap_or_else(|| panic!("no posting {id}"))
    }

    #[test]
    fn workable_maps_every_field_of_a_job() {
        let all = board();
        let p = by_id(&all, "A41F0C22B7");
        assert_eq!(p.title, "Senior Machine Learning Engineer, Perception");
        assert_eq!(p.company.as_deref(), Some("Northwind Vision"));
        assert_eq!(p.department.as_deref(), Some("Machine Learning"));
        assert_eq!(p.locations, ["Berlin, Berlin, Germany"]);
        assert_eq!(
            p.workplace,
            Workplace::Unknown,
            "telecommuting false says nothing"
        );
        assert_eq!(p.employment_type.as_deref(), Some("Full-time"));
        assert_eq!(
            p.url.as_deref(),
            Some("https://apply.workable.com/j/A41F0C22B7")
        );
        assert_eq!(
            p.apply_url.as_deref(),
            Some("https://apply.workable.com/j/A41F0C22B7/apply")
        );
        assert_eq!(
            p.posted_at,
            Some(Utc.with_ymd_and_hms(2026, 11, 2, 0, 0, 0).unwrap()),
            "published_on, a date only"
        );
        assert_eq!(p.updated_at, None);
        let html = p.description_html.as_deref().unwrap_or_default();
        assert!(html.contains("multi-camera 3D detection"), "{html}");
        assert!(
            html.contains("<h3>Requirements</h3>"),
            "full_description is preferred: {html}"
        );
        assert_eq!(
            p.tags,
            ["Engineering", "Computer Software", "Mid-Senior level"]
        );
        assert_eq!(p.salary, None, "Workable has no pay field");
        assert_eq!(p.salary_text, None);
    }

    #[test]
    fn workable_merges_a_job_listed_once_per_country() {
        let all = board();
        assert_eq!(
            all.iter().filter(|p| p.external_id == "7C93D1E0AF").count(),
            1
        );
        let p = by_id(&all, "7C93D1E0AF");
        assert_eq!(p.title, "ML Research Scientist - LLM Evaluation");
        assert_eq!(p.locations, ["Lisbon, Lisbon, Portugal", "Spain"]);
        assert_eq!(p.workplace, Workplace::Remote);
    }

    #[test]
    fn workable_skips_hidden_locations_and_null_regions() {
        let all = board();
        let p = by_id(&all, "E2D5B8A913");
        assert_eq!(
            p.locations,
            ["London, England, United Kingdom", "Zurich, Switzerland"]
        );
        assert_eq!(p.employment_type.as_deref(), Some("Contract"));
    }

    #[test]
    fn workable_empty_strings_stay_unknown() {
        let all = board();
        let p = by_id(&all, "0B6C4F2D88");
        assert_eq!(p.department, None);
        assert_eq!(p.employment_type, None);
        assert!(p.locations.is_empty(), "{:?}", p.locations);
        assert_eq!(p.workplace, Workplace::Unknown);
        assert!(p.tags.is_empty());
        assert_eq!(
            p.posted_at,
            Some(Utc.with_ymd_and_hms(2026, 10, 19, 0, 0, 0).unwrap()),
            "published_on empty: created_at"
        );
        let html = p.description_html.as_deref().unwrap_or_default();
        assert!(
            html.contains("Salary range"),
            "description used when full_description is absent: {html}"
        );
    }

    #[test]
    fn workable_board_order_and_count() {
        let ids: Vec<String> = board().into_iter().map(|p| p.external_id).collect();
        assert_eq!(
            ids,
            ["A41F0C22B7", "7C93D1E0AF", "E2D5B8A913", "0B6C4F2D88"]
        );
    }

    #[test]
    fn workable_empty_board_is_empty_not_an_error() {
        let (bytes, url) = fixture("empty.json");
        assert_eq!(parse(&bytes, &url).expect("parses"), []);
    }

    #[test]
    fn workable_broken_answers_are_parse_errors_naming_the_url() {
        let (truncated, url) = fixture("truncated.json");
        let cases: [(&[u8], &str); 4] = [
            (&truncated, "unexpected JSON"),
            (
                b"<!DOCTYPE html><html><body>Not Found</body></html>",
                "unexpected JSON",
            ),
            (br#"{"error":"Not Found"}"#, "missing field `jobs`"),
            (br#"{"name":"x","jobs":{}}"#, "invalid type"),
        ];
        for (body, want) in cases {
            let err = parse(body, &url).expect_err("must fail").to_string();
            assert!(err.contains(want), "{err}");
            assert!(err.contains("northwind-vision"), "names the URL: {err}");
        }
    }

    #[test]
    fn workable_url_appends_the_account_and_asks_for_details() {
        let base = Url::parse("http://127.0.0.1:9000").expect("url");
        let cases = [
            (
                None,
                "https://apply.workable.com/api/v1/widget/accounts/northwind-vision?details=true",
            ),
            (
                Some(base),
                "http://127.0.0.1:9000/api/v1/widget/accounts/northwind-vision?details=true",
            ),
        ];
        for (base, want) in cases {
            let w = Workable::new("northwind-vision".into(), base);
            assert_eq!(w.url().expect("url").as_str(), want);
        }
    }
}
