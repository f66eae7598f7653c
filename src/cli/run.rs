//! `jobhound run`: the daemon, until SIGTERM or SIGINT.

use super::{CliError, Exit};
use crate::config::Config;

/// Runs the daemon; returns when a stop signal arrived and work was wound down.
pub fn run(config: Config) -> Result<Exit, CliError> {
    super::runtime()?.block_on(crate::daemon::run(config, stop_signal()))?;
    Ok(Exit::Ok)
}

/// Completes on SIGTERM (systemd stop) or SIGINT (Ctrl-C).
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
