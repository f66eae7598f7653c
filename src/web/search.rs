//! `/`: the search page. A box for the query language (a bad query shows the
//! parser's message with a caret under its position, as the CLI prints it),
//! filters, and one page of results with a link to the next (the API's
//! cursor). Dismissed jobs are left out unless the state filter asks for them.
//!
//! Source and age are fields of the search request; state is too (so the
//! default list hides dismissed jobs through the request); workplace, salary
//! and employment type become typed filters of the query language
//! (`workplace:remote`, `salary>=150k`, `type:full-time`), ANDed to the query.

use std::collections::HashMap;

use axum::Extension;
use axum::extract::{Query, State};
use chrono::Utc;
use maud::{Markup, html};

use super::session::Session;
use super::{PageError, age, csrf, layout};
use crate::alerts::QueryError;
use crate::api::{Api, cursor, parse_cursor};
use crate::model::pay;
use crate::search::{Request, page as search_page};
use crate::store::{StoredPosting, UserState};
use crate::units;

/// Results per page.
pub(super) const PAGE_SIZE: usize = 50;

/// Age filter choices: (value, label).
const AGES: &[(&str, &str)] = &[
    ("", "any time"),
    ("1d", "1 day"),
    ("3d", "3 days"),
    ("7d", "7 days"),
    ("14d", "14 days"),
    ("30d", "30 days"),
];
const STATES: &[(&str, &str)] = &[
    ("", "not dismissed"),
    ("any", "any"),
    ("saved", "saved"),
    ("applied", "applied"),
    ("dismissed", "dismissed"),
];
const WORKPLACES: &[(&str, &str)] = &[
    ("", "any"),
    ("remote", "remote"),
    ("hybrid", "hybrid"),
    ("on-site", "on-site"),
];
const TYPES: &[(&str, &str)] = &[
    ("", "any"),
    ("full-time", "full-time"),
    ("part-time", "part-time"),
    ("contract", "contract"),
    ("temporary", "temporary"),
    ("internship", "internship"),
    ("freelance", "freelance"),
];

/// What the form asked for, as typed.
#[derive(Debug, Default, Clone)]
pub(super) struct Form {
    q: String,
    source: String,
    since: String,
    state: String,
    workplace: String,
    salary: String,
    kind: String,
    cursor: String,
}

impl Form {
    fn read(p: &HashMap<String, String>) -> Form {
        let get = |k: &str| p.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
        Form {
            q: get("q"),
            source: get("source"),
            since: get("since"),
            state: get("state"),
            workplace: get("workplace"),
            salary: get("salary"),
            kind: get("type"),
            cursor: get("cursor"),
        }
    }

    /// The query string of this search (without the cursor), for links.
    fn pairs(&self) -> Vec<(&'static str, &str)> {
        [
            ("q", self.q.as_str()),
            ("source", &self.source),
            ("since", &self.since),
            ("state", &self.state),
            ("workplace", &self.workplace),
            ("salary", &self.salary),
            ("type", &self.kind),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect()
    }

    fn url(&self, cursor: Option<&str>) -> String {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in self.pairs() {
            s.append_pair(k, v);
        }
        if let Some(c) = cursor {
            s.append_pair("cursor", c);
        }
        let q = s.finish();
        if q.is_empty() {
            "/".into()
        } else {
            format!("/?{q}")
        }
    }
}

/// The query text the form stands for: the typed query, then each typed
/// filter, ANDed. `Err` names a filter value that is not one.
pub(super) fn compose(f: &Form) -> Result<String, String> {
    let mut parts = Vec::new();
    if !f.q.is_empty() {
        parts.push(format!("({})", f.q));
    }
    if !f.workplace.is_empty() {
        if !WORKPLACES.iter().any(|(v, _)| *v == f.workplace) {
            return Err(format!(
                "workplace: `{}` is not remote, hybrid or on-site",
                f.workplace
            ));
        }
        parts.push(format!("workplace:{}", f.workplace));
    }
    if !f.salary.is_empty() {
        let s = f.salary.trim_end_matches(['k', 'K']);
        let ok = !s.is_empty()
            && s.len() <= 12
            && s.chars().all(|c| c.is_ascii_digit() || c == '.')
            && s.parse::<f64>().is_ok();
        if !ok {
            return Err(format!(
                "salary: `{}` is not an amount such as 150k or 90000",
                f.salary
            ));
        }
        parts.push(format!("salary>={}", f.salary.to_ascii_lowercase()));
    }
    if !f.kind.is_empty() {
        if !TYPES.iter().any(|(v, _)| *v == f.kind) {
            return Err(format!("type: `{}` is not an employment type", f.kind));
        }
        parts.push(format!("type:{}", f.kind));
    }
    Ok(parts.join(" "))
}

/// Why the search did not run.
enum Problem {
    Query(QueryError),
    Other(String),
}

/// The search request the form stands for.
fn request(f: &Form) -> Result<Request, Problem> {
    // The typed query first, so the caret points into what the user typed.
    if !f.q.is_empty() {
        crate::alerts::Query::parse(&f.q).map_err(Problem::Query)?;
    }
    let text = compose(f).map_err(Problem::Other)?;
    let query = if text.is_empty() {
        None
    } else {
        Some(crate::alerts::Query::parse(&text).map_err(Problem::Query)?)
    };
    let since = (!f.since.is_empty())
        .then(|| units::parse_age(&f.since))
        .transpose()
        .map_err(|e| Problem::Other(format!("age: {e}")))?;
    let (user_state, exclude_state) = match f.state.as_str() {
        "" => (None, Some(UserState::Dismissed)),
        "any" => (None, None),
        s => match UserState::parse(s) {
            Some(u) => (Some(u), None),
            None => return Err(Problem::Other(format!("state: `{s}` is not one"))),
        },
    };
    let before = (!f.cursor.is_empty())
        .then(|| parse_cursor(&f.cursor))
        .transpose()
        .map_err(|e| Problem::Other(e.to_string()))?;
    Ok(Request {
        query,
        since,
        source: (!f.source.is_empty()).then(|| f.source.clone()),
        limit: PAGE_SIZE,
        include_closed: false,
        before,
        user_state,
        exclude_state,
    })
}

/// `GET /?q=&source=&since=&state=&workplace=&salary=&type=&cursor=`
pub(super) async fn page(
    State(api): State<Api>,
    Extension(session): Extension<Session>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Markup, PageError> {
    let form = Form::read(&params);
    let sources: Vec<String> = api
        .config()
        .sources
        .iter()
        .map(|s| s.name.as_str().to_string())
        .collect();
    let (results, problem) = match request(&form) {
        Ok(req) => {
            let now = Utc::now();
            let found = api.read(move |s| search_page(s, &req, now)).await?;
            (Some(found), None)
        }
        Err(p) => (None, Some(p)),
    };
    let here = form.url(None);
    let now = Utc::now();
    let body = html! {
        h1 { "Search" }
        form method="get" action="/" {
            div.search {
                input type="search" name="q" value=(form.q) placeholder="title:(rust OR go) -senior" aria-label="query";
                button.primary type="submit" { "Search" }
            }
            div.filters {
                label { "source" select name="source" {
                    option value="" { "any" }
                    @for s in &sources { option value=(s) selected[*s == form.source] { (s) } }
                } }
                (choice("posted within", "since", AGES, &form.since))
                (choice("state", "state", STATES, &form.state))
                (choice("workplace", "workplace", WORKPLACES, &form.workplace))
                label { "salary at least" input name="salary" value=(form.salary) size="7" placeholder="150k"; }
                (choice("type", "type", TYPES, &form.kind))
            }
        }
        @match &problem {
            Some(Problem::Query(e)) => div.error {
                "bad query " (e)
                pre { (e.caret()) }
            },
            Some(Problem::Other(m)) => div.error { (m) },
            None => {},
        }
        @if let Some(found) = &results {
            @if found.postings.is_empty() {
                p.muted { "Nothing found." }
            }
            ol.results {
                @for p in &found.postings { (row(p, &session, &here, now)) }
            }
            @if let Some(next) = found.next {
                p.pager { a rel="next" href=(form.url(Some(&cursor(next)))) { "Next page →" } }
            }
        }
    };
    Ok(layout("Search", &session, body))
}

fn choice(label: &str, name: &str, options: &[(&str, &str)], current: &str) -> Markup {
    html! {
        label { (label) select name=(name) {
            @for (v, l) in options { option value=(v) selected[*v == current] { (l) } }
        } }
    }
}

/// One result: the facts a triage needs, and buttons to save or dismiss it.
fn row(p: &StoredPosting, session: &Session, here: &str, now: chrono::DateTime<Utc>) -> Markup {
    let post = &p.posting;
    let posted = post.posted_at.unwrap_or(p.first_seen);
    html! {
        li {
            a.title href={ "/postings/" (p.id) } { (post.title) }
            @if let Some(u) = p.user_state { " " span class={ "tag " (u.as_str()) } { (u.as_str()) } }
            div.meta {
                span { (post.company.as_deref().unwrap_or("company unknown")) }
                @if !post.locations.is_empty() { span { (post.locations.join("; ")) } }
                @if post.workplace != crate::model::Workplace::Unknown { span { (post.workplace.as_str()) } }
                @if let Some(s) = post.salary.as_ref().and_then(pay::salary) { span { (s) } }
                span title=(super::when(posted)) { (age(posted, now)) }
                span { (p.sources.join(", ")) }
            }
            div.actions {
                @for (state, label) in [("saved", "Save"), ("dismissed", "Dismiss")] {
                    @if p.user_state.map(UserState::as_str) != Some(state) {
                        form.inline method="post" action={ "/postings/" (p.id) "/state" } {
                            (csrf(session))
                            input type="hidden" name="state" value=(state);
                            input type="hidden" name="back" value=(here);
                            button type="submit" { (label) }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Form {
        let p: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Form::read(&p)
    }

    #[test]
    fn filters_compose_the_query_text() {
        let f = form(&[
            ("q", "rust -senior"),
            ("workplace", "remote"),
            ("salary", "150K"),
            ("type", "full-time"),
        ]);
        assert_eq!(
            compose(&f).expect("composes"),
            "(rust -senior) workplace:remote salary>=150k type:full-time"
        );
        assert_eq!(compose(&form(&[])).expect("empty"), "");
        for (k, v) in [
            ("workplace", "moon"),
            ("salary", "lots"),
            ("salary", "1) OR (x"),
            ("type", "gig"),
        ] {
            assert!(compose(&form(&[(k, v)])).is_err(), "{k}={v}");
        }
    }

    #[test]
    fn the_default_list_leaves_dismissed_jobs_out() {
        let Ok(r) = request(&form(&[("q", "rust"), ("since", "7d"), ("source", "a")])) else {
            panic!("request");
        };
        assert_eq!(r.exclude_state, Some(UserState::Dismissed));
        assert_eq!(r.user_state, None);
        assert_eq!(r.source.as_deref(), Some("a"));
        assert!(r.since.is_some());
        let Ok(r) = request(&form(&[("state", "dismissed")])) else {
            panic!("request");
        };
        assert_eq!(
            (r.user_state, r.exclude_state),
            (Some(UserState::Dismissed), None)
        );
        let Ok(r) = request(&form(&[("state", "any")])) else {
            panic!("request");
        };
        assert_eq!((r.user_state, r.exclude_state), (None, None));
    }

    #[test]
    fn a_bad_query_points_into_what_was_typed() {
        match request(&form(&[("q", "title:(ML OR"), ("workplace", "remote")])) {
            Err(Problem::Query(e)) => assert_eq!(e.input, "title:(ML OR"),
            _ => panic!("a query error"),
        }
    }

    #[test]
    fn links_keep_the_filters() {
        let f = form(&[("q", "a&b"), ("state", "any"), ("cursor", "1.2")]);
        assert_eq!(f.url(None), "/?q=a%26b&state=any");
        assert_eq!(f.url(Some("3.4")), "/?q=a%26b&state=any&cursor=3.4");
        assert_eq!(form(&[]).url(None), "/");
    }
}
