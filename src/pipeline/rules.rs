//! What a pass applies that a reload (SIGHUP) may change: the compiled
//! alerts, and where source health is reported. The pipeline holds them
//! behind a lock and swaps them whole; a pass takes them once when it starts.
//! Counting a pass towards its source's health (`[health]`) happens here too.

use std::sync::Arc;

use super::{Matcher, Outcome, Pipeline, blocking};
use crate::config::{self, Config};
use crate::store::{HealthEvent, Pass};

/// The parts of the config a pass applies that a reload may change: the
/// alerts, and where source health is reported.
pub(super) struct Rules {
    /// The enabled alerts, compiled.
    pub(super) matcher: Arc<Matcher>,
    /// `(after_failures, enabled notifiers)` when `[health]` is configured.
    pub(super) health: Option<(u32, Vec<String>)>,
}

impl Rules {
    /// The rules of `config`.
    pub(super) fn new(config: &Config) -> Rules {
        let health = config.health.as_ref().map(|h| {
            let notifiers = h
                .notifiers
                .iter()
                .filter(|n| config.notifier(n).is_some_and(|n| n.enabled))
                .cloned()
                .collect();
            (h.after_failures, notifiers)
        });
        Rules {
            matcher: Arc::new(Matcher::new(config)),
            health,
        }
    }
}

impl Pipeline {
    /// Counts the pass towards the source's health (`[health]`); the report
    /// it queued, if any. A database error here is logged: the pass stands.
    pub(super) async fn observe_health(
        &self,
        source: &config::Source,
        outcome: &Outcome,
    ) -> Option<HealthEvent> {
        let (after, notifiers) = self.rules().health.clone()?;
        let pass = match outcome {
            Outcome::Stored {
                new,
                updated,
                unchanged,
                ..
            } => Pass::Listed(
                u64::try_from(new.saturating_add(*updated).saturating_add(*unchanged))
                    .unwrap_or(u64::MAX),
            ),
            Outcome::NotModified => Pass::NotModified,
            Outcome::Failed { error, .. } => Pass::Failed(error.clone()),
        };
        let name = source.name.as_str().to_string();
        let now = chrono::Utc::now();
        match blocking(&self.store, move |s| {
            s.observe_health(&name, &pass, now, after, &notifiers)
        })
        .await
        {
            Ok(Some(e)) => {
                tracing::warn!(source = %e.source, event = ?e.event, error = %e.error, since = %e.since, "source health reported");
                Some(e)
            }
            Ok(None) => None,
            Err(e) => {
                tracing::error!(source = %source.name, error = %e, "cannot record the source's health");
                None
            }
        }
    }
}
