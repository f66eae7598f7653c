//! `jobhound search` and `jobhound show`: read what is stored.

use std::str::FromStr;

use anyhow::Context;
use chrono::Utc;
use clap::Args;

use super::output::{self, Format, ShowFormat};
use super::{CliError, Exit};
use crate::alerts::Query;
use crate::config::{Config, units};
use crate::model::PostingId;
use crate::search::{Request, search};
use crate::store::Store;

/// `jobhound search` arguments.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query, e.g. `title:("machine learning" OR ML) -senior location:remote`.
    /// Several words are joined with spaces. Omit it to list everything. A query that
    /// starts with `-` goes after `--` (`jobhound search -- -senior rust`).
    #[arg(value_name = "QUERY", num_args = 0..)]
    pub query: Vec<String>,
    /// Only postings from the last N days/hours/weeks (e.g. 7d, 12h, 2w).
    #[arg(long, value_name = "AGE")]
    pub since: Option<String>,
    /// Only postings listed by this source.
    #[arg(long, value_name = "NAME")]
    pub source: Option<String>,
    /// At most this many results.
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
pub fn request(
    query: Option<&str>,
    since: Option<&str>,
    source: Option<String>,
    limit: usize,
) -> Result<Request, CliError> {
    let query = match query.map(str::trim).filter(|q| !q.is_empty()) {
        None => None,
        Some(q) => Some(Query::from_str(q).map_err(|e| {
            CliError::new(Exit::Usage, anyhow::anyhow!("bad query {e}\n{}", e.caret()))
        })?),
    };
    let since = since
        .map(units::parse_age)
        .transpose()
        .map_err(|e| CliError::new(Exit::Usage, anyhow::anyhow!("--since: {e}")))?;
    Ok(Request {
        query,
        since,
        source,
        limit,
        ..Request::default()
    })
}

/// Runs a search and prints the results.
pub fn run(config: &Config, args: &SearchArgs) -> Result<Exit, CliError> {
    let q = args.query.join(" ");
    let mut req = request(
        Some(&q),
        args.since.as_deref(),
        args.source.clone(),
        args.limit,
    )?;
    req.include_closed = args.all;
    if let Some(v) = &args.state {
        req.user_state = Some(crate::store::UserState::parse(v).ok_or_else(|| {
            CliError::new(
                Exit::Usage,
                anyhow::anyhow!("--state: `{v}` is not one of saved, applied, dismissed"),
            )
        })?);
    }
    if let Some(s) = &req.source
        && config.source(s).is_none()
    {
        note!("note: no source named `{s}` in the config; searching stored postings anyway");
    }
    let store = open(config)?;
    let results = search(&store, &req, Utc::now())?;
    output::postings(&results, args.format, &mut std::io::stdout().lock())
        .context("cannot write output")?;
    Ok(Exit::Ok)
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
                "{} does not exist yet: run `jobhound fetch` or `jobhound run` first",
                path.display()
            ),
        ));
    }
    Ok(Store::open_read_only(path).with_context(|| format!("cannot open {}", path.display()))?)
}
