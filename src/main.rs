//! The `jobhound` binary: parse the command line, set up logging, dispatch,
//! and map errors to the documented exit codes.
#![forbid(unsafe_code)]

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use jobhound::cli::{self, Cli, Exit, LogFormat};
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    jobhound::memory::map_large_blocks();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // A closed stdout or stderr must not turn `--help | head` into a panic.
            let _ = e.print();
            return if e.use_stderr() {
                Exit::Usage.into()
            } else {
                Exit::Ok.into()
            };
        }
    };
    // The daemon logs its work; one-shot commands print a report and log only problems.
    let default_level = if matches!(cli.command, cli::Command::Run) {
        "info"
    } else {
        "warn"
    };
    init_logging(cli.log_format, default_level);
    match cli::dispatch(cli) {
        Ok(code) => code.into(),
        // The reader of our output has gone (`| head -1`): nothing more to say.
        Err(e) if cli::is_broken_pipe(&e.error) => Exit::Ok.into(),
        Err(e) => {
            // Not eprintln!: it panics when stderr is closed too.
            let _ = writeln!(io::stderr(), "jobhound: {}", cli::message(&e.error));
            e.code.into()
        }
    }
}

/// Log lines go to stderr, and a stderr that cannot be written (closed by
/// `2>&1 | head -1`) is not worth a panic or a complaint: the line is dropped.
/// (tracing-subscriber reports a failed write with `eprintln!`, which would
/// panic on that same stderr, so no error may reach it.)
struct LogWriter;

impl Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // Above `fetch`'s progress bar, not through it.
        cli::above_progress(|| {
            let _ = io::stderr().write_all(buf);
        });
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let _ = io::stderr().flush();
        Ok(())
    }
}

/// Logs go to stderr, filtered by `RUST_LOG` (else `default_level`). Under systemd
/// (`JOURNAL_STREAM` set) text lines carry no timestamp: journald adds its own.
fn init_logging(format: LogFormat, default_level: &str) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_level));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(|| LogWriter);
    match format {
        LogFormat::Json => builder.json().flatten_event(true).init(),
        LogFormat::Text if std::env::var_os("JOURNAL_STREAM").is_some() => builder
            .without_time()
            .with_ansi(false)
            .with_target(false)
            .init(),
        LogFormat::Text => builder
            .with_ansi(std::io::stderr().is_terminal())
            .with_target(false)
            .init(),
    }
}
