//! Talking to systemd (`Type=notify`) through the `sd-notify` crate:
//! `READY=1` once the daemon serves, `STATUS=` lines, `RELOADING=1` around a
//! reload, `STOPPING=1` on shutdown, and `WATCHDOG=1` pings. The pings come
//! from the scheduler loop's every turn (see [`crate::scheduler::Pulse`]),
//! never from a timer of their own: a stuck scheduler stops pinging, and
//! systemd restarts it. Without `NOTIFY_SOCKET` (not under systemd) every
//! call does nothing.

use std::sync::Mutex;
use std::time::Duration;

use sd_notify::NotifyState;

use crate::scheduler::{Pulse, Turn};

/// The service manager, as far as it asked to be told.
#[derive(Debug)]
pub struct Systemd {
    /// `WATCHDOG_USEC`, when the watchdog is on for this process.
    watchdog: Option<Duration>,
    /// The last `STATUS=` sent, so an unchanged one is not sent again.
    status: Mutex<String>,
}

impl Systemd {
    /// Reads `WATCHDOG_USEC` (and `WATCHDOG_PID`) from the environment.
    pub fn from_env() -> Systemd {
        let watchdog = sd_notify::watchdog_enabled().filter(|w| !w.is_zero());
        if let Some(w) = watchdog {
            tracing::info!(
                watchdog_ms = w.as_millis() as u64,
                "systemd watchdog on: the scheduler pings it at half that"
            );
        }
        Systemd {
            watchdog,
            status: Mutex::new(String::new()),
        }
    }

    /// Tells systemd the daemon serves.
    pub fn ready(&self, status: &str) {
        self.remember(status);
        self.send(&[NotifyState::Ready, NotifyState::Status(status)]);
    }

    /// Asks systemd for `more` start-up time from now, showing `status`.
    /// Sent while the database opens: an upgrade can take longer than
    /// systemd's default 90 s (`EXTEND_TIMEOUT_USEC`).
    pub fn extend_start(&self, more: Duration, status: &str) {
        self.remember(status);
        let usec = u32::try_from(more.as_micros()).unwrap_or(u32::MAX);
        self.send(&[
            NotifyState::ExtendTimeoutUsec(usec),
            NotifyState::Status(status),
        ]);
    }

    /// Tells systemd the config is being reloaded (`READY=1` follows).
    pub fn reloading(&self) {
        match NotifyState::monotonic_usec_now() {
            Ok(t) => self.send(&[NotifyState::Reloading, t]),
            Err(_) => self.send(&[NotifyState::Reloading]),
        }
    }

    /// Tells systemd the daemon is stopping.
    pub fn stopping(&self) {
        self.remember("stopping");
        self.send(&[NotifyState::Stopping, NotifyState::Status("stopping")]);
    }

    /// Sets the status line, if it changed.
    pub fn status(&self, status: &str) {
        if self.remember(status) {
            self.send(&[NotifyState::Status(status)]);
        }
    }

    /// Records `status` as the one systemd shows; whether it changed.
    fn remember(&self, status: &str) -> bool {
        let mut last = self.status.lock().unwrap_or_else(|p| p.into_inner());
        let changed = *last != status;
        status.clone_into(&mut last);
        changed
    }

    /// The scheduler's pulse: a watchdog ping and the status on every turn,
    /// and turns at least every half watchdog interval.
    pub fn pulse(self: std::sync::Arc<Self>) -> Pulse {
        let every = self.watchdog.map(|w| w / 2);
        Pulse {
            every,
            on_turn: Box::new(move |turn| {
                if self.watchdog.is_some() {
                    self.send(&[NotifyState::Watchdog]);
                }
                self.status(&status_line(turn));
            }),
        }
    }

    fn send(&self, states: &[NotifyState<'_>]) {
        if let Err(e) = sd_notify::notify(states) {
            tracing::warn!(error = %e, "cannot notify systemd (NOTIFY_SOCKET)");
        }
    }
}

/// "4 sources, 1 fetching, next acme at 14:30:00 UTC; last pass acme: 12 listed, 3 new".
pub fn status_line(t: &Turn<'_>) -> String {
    let mut s = format!("{} sources, {} fetching", t.sources, t.fetching);
    if let Some((name, at)) = t.next {
        s.push_str(&format!(", next {name} at {} UTC", at.format("%H:%M:%S")));
    }
    if let Some(last) = t.last {
        s.push_str(&format!("; last pass {last}"));
    }
    s
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn the_status_line_says_what_is_due_and_how_the_last_pass_went() {
        let at = chrono::Utc
            .with_ymd_and_hms(2026, 11, 30, 14, 30, 0)
            .single()
            .expect("valid");
        let t = Turn {
            sources: 4,
            fetching: 1,
            next: Some(("acme", at)),
            last: Some("wwr: 12 listed, 3 new"),
        };
        assert_eq!(
            status_line(&t),
            "4 sources, 1 fetching, next acme at 14:30:00 UTC; last pass wwr: 12 listed, 3 new"
        );
    }
}
