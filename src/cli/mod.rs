//! The command line: clap types and one file per command; `exit.rs` holds
//! the exit codes and how errors map to them.
//! Commands load the config, do their work through the library, and print.

/// `println!` that returns the write error instead of panicking, so that a
/// reader closing the pipe (`jobhound search | head -1`) ends the command
/// quietly (see [`is_broken_pipe`]).
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)
    }};
}

/// `print!` that returns the write error instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout().lock(), $($arg)*)
    }};
}

/// `eprintln!` that never panics: a note nobody can read is dropped.
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

mod alerts;
mod check;
mod color;
mod digest;
mod exit;
mod fetch;
mod import;
mod init;
mod notifications;
mod notify;
mod output;
mod run;
mod search;
mod sources;
mod tools;

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

use crate::config::Config;

pub use exit::{CliError, Exit, is_broken_pipe, message};
pub use fetch::above_progress;

/// jobhound: pulls job boards and feeds on a schedule, deduplicates postings in
/// SQLite, matches your saved alerts and notifies you.
#[derive(Debug, Parser)]
#[command(name = "jobhound", version, about, long_about = None, after_help = EXIT_CODES)]
pub struct Cli {
    /// The config file [default: ./jobhound.toml, then $XDG_CONFIG_HOME/jobhound/jobhound.toml].
    #[arg(long, global = true, env = "JOBHOUND_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Log line format on stderr (json suits journald and log shippers). Level: RUST_LOG.
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// Colour on a terminal (auto: unless NO_COLOR is set or output is not a terminal).
    #[arg(long, global = true, value_enum, default_value_t = color::ColorChoice::Auto)]
    pub color: color::ColorChoice,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

const EXIT_CODES: &str = "Exit codes: 0 ok, 1 runtime error, 2 usage or query error, 3 config error, \
4 fetch: some sources failed, 5 not found, 6 run: another daemon holds the database, \
7 fetch: deliveries failed for good, 130 interrupted (Ctrl-C).";

/// Log output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write the commented starter config (never overwrites a file).
    Init {
        /// Where to write it [default: ./jobhound.toml].
        path: Option<PathBuf>,
    },
    /// Validate the config; print every problem with its line.
    CheckConfig(check::CheckArgs),
    /// One pass now over all (or the named) sources: fetch, store, match, notify.
    Fetch {
        /// Only this source (repeatable).
        #[arg(long = "source", value_name = "NAME")]
        sources: Vec<String>,
    },
    /// Run the daemon: each source on its schedule until SIGTERM or SIGINT.
    Run,
    /// Print `[[source]]` blocks for the feeds of an OPML file or a list of URLs.
    Import {
        /// An OPML export of a feed reader, or a text file with one URL per line.
        file: PathBuf,
        /// A cron schedule to give every imported source.
        #[arg(long, value_name = "CRON")]
        schedule: Option<String>,
    },
    /// Search stored postings with the alert query language, newest first.
    Search(search::SearchArgs),
    /// Show everything stored about one posting.
    Show {
        /// The posting's id (from `search`).
        id: i64,
        /// Output format.
        #[arg(long, value_enum, default_value_t = output::ShowFormat::Text)]
        format: output::ShowFormat,
    },
    /// Per source: kind, last fetch and outcome, postings stored, next due.
    Sources(sources::SourcesArgs),
    /// List alerts, or dry-run one against what is stored.
    Alerts {
        /// `test`: dry-run an alert.
        #[command(subcommand)]
        action: Option<alerts::Action>,
        /// Output format of the list.
        #[arg(long, value_enum, default_value_t = alerts::ListFormat::Text)]
        format: alerts::ListFormat,
    },
    /// The outbox: pending, sent and failed deliveries (with reasons); `retry` failed ones.
    Notifications(notifications::NotificationsArgs),
    /// Preview a notifier's next digest (sends nothing).
    Digest(digest::DigestArgs),
    /// Notifier tools: `notify test NAME` sends a test message.
    Notify {
        /// `test NAME`.
        #[command(subcommand)]
        action: notify::Action,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    ///
    /// E.g. `jobhound completions bash > ~/.local/share/bash-completion/completions/jobhound`
    /// (the README says where each shell looks).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to stdout.
    ///
    /// E.g. `jobhound man > ~/.local/share/man/man1/jobhound.1`, then `man jobhound`.
    Man,
}

/// Runs the parsed command; returns the exit code.
pub fn dispatch(cli: Cli) -> Result<Exit, CliError> {
    let config_path = cli.config.as_deref();
    let color = color::Colors::new(cli.color);
    match cli.command {
        Command::Init { path } => init::run(path.as_deref()),
        Command::CheckConfig(args) => check::run(config_path, &args),
        Command::Fetch { sources } => fetch::run(&load(config_path)?, &sources, color),
        Command::Run => run::run(load(config_path)?),
        Command::Import { file, schedule } => {
            import::run(&file, schedule.as_deref(), cli.config.as_deref())
        }
        Command::Search(args) => search::run(&load_to_read(config_path)?, &args, color),
        Command::Show { id, format } => search::show(&load_to_read(config_path)?, id, format),
        Command::Sources(args) => sources::run(&load_to_read(config_path)?, &args),
        Command::Alerts { action, format } => {
            alerts::run(&load_to_read(config_path)?, action, format, color)
        }
        Command::Notifications(args) => notifications::run(&load_to_read(config_path)?, &args),
        // Sending needs the notifier's secrets; a preview does not.
        Command::Digest(args) if args.send => digest::run(&load(config_path)?, &args),
        Command::Digest(args) => digest::run(&load_to_read(config_path)?, &args),
        Command::Notify { action } => notify::run(&load(config_path)?, &action),
        Command::Completions { shell } => tools::completions(shell),
        Command::Man => tools::man(),
    }
}

/// The largest `--limit` accepted: far more than a terminal or a program
/// reading the output wants, and small enough for any count type.
const MAX_LIMIT: usize = 1_000_000;

/// Parses a `--limit`: a whole number from 1 to [`MAX_LIMIT`]. 0 is refused
/// rather than read as "no limit": a listing without end is never what a
/// typo meant, and the maximum is there for "everything".
fn limit(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Ok(0) => Err(format!(
            "0 would show nothing: give a number from 1 to {MAX_LIMIT} (use {MAX_LIMIT} for everything)"
        )),
        _ => Err(format!("`{s}` is not a number from 1 to {MAX_LIMIT}")),
    }
}

/// Finds and validates the config, for a command that delivers: every
/// notifier's `${VAR}` must be set.
fn load(explicit: Option<&Path>) -> Result<Config, CliError> {
    let path = crate::config::locate(explicit)?;
    Ok(Config::load(&path)?)
}

/// Finds and validates the config, for a command that only reads what is
/// stored: delivery secrets (`${VAR}` in notifiers) may be unset, since they
/// often live only in the daemon's environment file.
fn load_to_read(explicit: Option<&Path>) -> Result<Config, CliError> {
    let path = crate::config::locate(explicit)?;
    Ok(Config::load_to_read(&path)?)
}

/// A multi-threaded runtime for the commands that do network work; its
/// threads yield to the database writer's (see [`crate::pipeline::behind_writer`]).
fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .on_thread_start(crate::pipeline::behind_writer)
        .build()
        .map_err(|e| CliError::new(Exit::Failure, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_zero_is_refused_with_a_reason() {
        assert_eq!(limit("20"), Ok(20));
        assert!(
            limit("0")
                .expect_err("refused")
                .contains("0 would show nothing")
        );
        assert!(limit("-1").is_err());
        assert!(limit("1000001").is_err());
    }

    /// The calling thread's nice value, from `/proc/thread-self/stat`.
    #[cfg(target_os = "linux")]
    fn nice() -> i64 {
        let stat = std::fs::read_to_string("/proc/thread-self/stat").expect("stat");
        // The fields after the parenthesized name; nice is the 19th field.
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .expect("name")
            .1
            .split_whitespace()
            .collect();
        fields[16].parse().expect("nice")
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn runtime_threads_yield_to_the_writer() {
        let ours = nice();
        let rt = runtime().expect("runtime");
        let worker = rt.block_on(async { tokio::spawn(async { nice() }).await.expect("task") });
        let blocking =
            rt.block_on(async { tokio::task::spawn_blocking(nice).await.expect("task") });
        // A thread started elsewhere, like the writer, keeps the process's priority.
        let other = std::thread::spawn(nice).join().expect("thread");
        let behind = (ours + 10).min(19);
        assert_eq!((worker, blocking, other), (behind, behind, ours));
    }
}
