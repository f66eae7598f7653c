//! `jobhound run`: the daemon, until SIGTERM or SIGINT; SIGHUP reloads the
//! config. A second `run` on the same database is refused with
//! [`Exit::AlreadyRunning`].

use super::{CliError, Exit};
use crate::config::Config;
use crate::daemon::AlreadyRunning;

/// Runs the daemon; returns when a stop signal arrived and work was wound down.
pub fn run(config: Config) -> Result<Exit, CliError> {
    let runtime = super::runtime()?;
    // Listen before starting anything: a SIGTERM during start-up then stops
    // the daemon cleanly instead of killing it with the default action.
    let (stop, reload) = {
        let _context = runtime.enter();
        (stop_signal(), reload_signal())
    };
    match runtime.block_on(crate::daemon::run(config, stop, reload)) {
        Ok(()) => Ok(Exit::Ok),
        Err(e) if e.is::<AlreadyRunning>() => Err(CliError::new(Exit::AlreadyRunning, e)),
        Err(e) => Err(e.into()),
    }
}

/// Installs the SIGHUP handler now (its default action would kill the
/// daemon); each SIGHUP asks for a config reload.
fn reload_signal() -> tokio::sync::mpsc::Receiver<()> {
    let (tx, rx) = tokio::sync::mpsc::channel(1);
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::hangup()) {
            Ok(mut hup) => {
                tokio::spawn(async move {
                    while hup.recv().await.is_some() {
                        // A reload already asked for covers this one too.
                        let _ = tx.try_send(());
                    }
                });
            }
            Err(e) => tracing::warn!(error = %e, "cannot listen for SIGHUP: no config reload"),
        }
    }
    #[cfg(not(unix))]
    drop(tx);
    rx
}

/// Installs the handlers now; the future completes on SIGTERM (systemd stop)
/// or SIGINT (Ctrl-C).
fn stop_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let term = signal(SignalKind::terminate());
        let int = signal(SignalKind::interrupt());
        async move {
            match (term, int) {
                (Ok(mut term), Ok(mut int)) => {
                    tokio::select! {
                        _ = term.recv() => {}
                        _ = int.recv() => {}
                    }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
