//! `jobhound search` and `jobhound show`: read what is stored.

use std::str::FromStr;

use anyhow::Context;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use clap::Args;

use super::color::Colors;
use super::output::{self, Format, ShowFormat};
use super::{CliError, Exit};
use crate::alerts::Query;
use crate::config::Config;
use crate::model::PostingId;
use crate::search::{Request, count, search};
use crate::store::Store;
use crate::units;

/// `jobhound search` arguments.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query, e.g. `title:("machine learning" OR ML) -senior location:remote`.
    /// Several words are joined with spaces. Omit it to list everything. A query that
    /// starts with `-` goes after `--`, options before it (`jobhound search --limit 5 -- -senior rust`).
    #[arg(value_name = "QUERY", num_args = 0..)]
    pub query: Vec<String>,
    /// Only postings from the last N days/hours/weeks (7d, 12h, 2w), or since a
    /// date (2026-11-01, UTC) or an RFC 3339 time (2026-11-01T09:00:00+01:00).
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// Only postings listed by this source (repeatable: any of them).
    #[arg(long = "source", value_name = "NAME")]
    pub sources: Vec<String>,
    /// At most this many results (1 to 1,000,000).
    #[arg(long, default_value_t = 20, value_parser = super::limit)]
    pub limit: usize,
    /// Closed jobs too (jobs their boards no longer list; left out by default).
    #[arg(long)]
    pub all: bool,
    /// Only jobs in this triage state (saved, applied, dismissed; set through the HTTP API).
    #[arg(long, value_name = "STATE")]
    pub state: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Builds the search request from the arguments; bad input is a usage error.
/// One source is a filter of its own; several become `source:(a OR b)`,
/// added to the query once the user's part has parsed (so an error's column
/// is a column of what the user typed).
pub fn request(
    query: Option<&str>,
    since: Option<&str>,
    sources: &[String],
    limit: usize,
) -> Result<Request, CliError> {
    let query = query.map(str::trim).filter(|q| !q.is_empty());
    let parse = |q: &str| {
        Query::from_str(q).map_err(|e| {
            CliError::new(Exit::Usage, anyhow::anyhow!("bad query {e}\n{}", e.caret()))
        })
    };
    let mut parsed = query.map(parse).transpose()?;
    let source = match sources {
        [] => None,
        [one] => Some(one.clone()),
        many => {
            if let Some(bad) = many.iter().find(|s| !is_source_name(s)) {
                return Err(CliError::new(
                    Exit::Usage,
                    anyhow::anyhow!("--source: `{bad}` is not a source name"),
                ));
            }
            let clause = format!("source:({})", many.join(" OR "));
            parsed = Some(parse(&match query {
                Some(q) => format!("({q}) {clause}"),
                None => clause,
            })?);
            None
        }
    };
    let since = since
        .map(|s| parse_since(s, Utc::now()))
        .transpose()
        .map_err(|e| CliError::new(Exit::Usage, anyhow::anyhow!("--since: {e}")))?;
    Ok(Request {
        query: parsed,
        since,
        source,
        limit,
        ..Request::default()
    })
}

/// What the config accepts as a source name (letters, digits, `-`, `_`, `.`).
fn is_source_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !matches!(s, "OR" | "AND" | "NOT")
}

/// `--since`: an age (`7d`), a date (`2026-11-01`, midnight UTC) or an RFC 3339
/// time, as the age it is at `now`. A time in the future is an error.
pub fn parse_since(s: &str, now: DateTime<Utc>) -> Result<Duration, String> {
    let s = s.trim();
    let at = if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        t.with_timezone(&Utc)
    } else if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        d.and_time(NaiveTime::MIN).and_utc()
    } else {
        return units::parse_age(s).map_err(|e| {
            format!("{e}; give an age (7d, 12h), a date (2026-11-01) or an RFC 3339 time")
        });
    };
    let age = now
        .signed_duration_since(at)
        .to_std()
        .map_err(|_| format!("`{s}` is in the future"))?;
    Ok(age.min(units::MAX_DURATION))
}

/// Runs a search and prints the results.
pub fn run(config: &Config, args: &SearchArgs, color: Colors) -> Result<Exit, CliError> {
    let q = args.query.join(" ");
    let mut req = request(Some(&q), args.since.as_deref(), &args.sources, args.limit)?;
    req.include_closed = args.all;
    if let Some(v) = &args.state {
        req.user_state = Some(crate::store::UserState::parse(v).ok_or_else(|| {
            CliError::new(
                Exit::Usage,
                anyhow::anyhow!("--state: `{v}` is not one of saved, applied, dismissed"),
            )
        })?);
    }
    for s in args.sources.iter().filter(|s| config.source(s).is_none()) {
        note!("note: no source named `{s}` in the config; searching stored postings anyway");
    }
    let store = open(config)?;
    let now = Utc::now();
    let results = search(&store, &req, now)?;
    output::postings(&results, args.format, color, &mut std::io::stdout().lock())
        .context("cannot write output")?;
    if results.len() >= req.limit {
        let total = count(&store, &req, now)?;
        if total > results.len() {
            note!("{}", of_total(results.len(), total));
        }
    }
    Ok(Exit::Ok)
}

/// "20 of 27 shown (use --limit)": said when a limit hid some results.
pub fn of_total(shown: usize, total: usize) -> String {
    format!("{shown} of {total} shown (use --limit to see more)")
}

/// Prints one posting in full.
pub fn show(config: &Config, id: i64, format: ShowFormat) -> Result<Exit, CliError> {
    let store = open(config)?;
    let id = PostingId(id);
    let Some(p) = store.posting(id)? else {
        return Err(CliError::new(
            Exit::NotFound,
            anyhow::anyhow!("no posting with id {id}"),
        ));
    };
    let sightings = store.sightings(id)?;
    let matches = store.matches_of(id)?;
    output::show(
        &p,
        &sightings,
        &matches,
        format,
        &mut std::io::stdout().lock(),
    )
    .context("cannot write output")?;
    Ok(Exit::Ok)
}

/// Opens the database for reading; a missing file means nothing was fetched yet.
pub fn open(config: &Config) -> Result<Store, CliError> {
    let path = &config.database.path;
    if !path.exists() {
        return Err(CliError::new(
            Exit::Failure,
            anyhow::anyhow!(
                "no database yet at {} (database.path in {}): run `jobhound fetch` or `jobhound run` first",
                path.display(),
                config.file.display()
            ),
        ));
    }
    Ok(Store::open_read_only(path).with_context(|| format!("cannot open {}", path.display()))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_ages_dates_and_rfc3339_times() {
        let now = DateTime::parse_from_rfc3339("2026-11-10T12:00:00Z")
            .expect("time")
            .with_timezone(&Utc);
        let h = |n: u64| Some(Duration::from_secs(n * 3600));
        let cases: &[(&str, Option<Duration>)] = &[
            ("7d", h(7 * 24)),
            ("12h", h(12)),
            ("2026-11-01", h(9 * 24 + 12)),
            ("2026-11-10T09:00:00Z", h(3)),
            ("2026-11-10T10:00:00+01:00", h(3)),
            ("2026-11-11", None),
            ("2026-13-01", None),
            ("yesterday", None),
            ("0001-01-01", Some(units::MAX_DURATION)),
        ];
        for (input, want) in cases {
            assert_eq!(parse_since(input, now).ok(), *want, "{input}");
        }
    }

    #[test]
    fn several_sources_become_a_source_clause() {
        let two = ["a".to_string(), "b.c".to_string()];
        let r = request(Some("rust"), None, &two, 5).expect("valid");
        assert_eq!(r.source, None);
        let q = r.query.expect("query");
        assert!(q.as_str().contains("source:(a OR b.c)"), "{}", q.as_str());
        let one = request(None, None, &two[..1], 5).expect("valid");
        assert_eq!(one.source.as_deref(), Some("a"));
        let bad = ["a".to_string(), "x y".to_string()];
        assert!(request(None, None, &bad, 5).is_err());
    }
}
