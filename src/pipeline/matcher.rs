//! The enabled alerts compiled for matching, and where each one's matches go.
//! Postings are matched off the write path, in parallel; the writer records
//! the matches, re-evaluating only when `source:` terms meet a job that other
//! sources list too.

use crate::alerts::{AlertSet, Doc};
use crate::config::{self, Config};
use crate::model::{Posting, SourceName};
use crate::store::{Change, Ingest, StoreError, Upsert};

/// An alert as the matcher routes it: its name and the enabled notifiers it feeds.
struct Route {
    name: String,
    notifiers: Vec<String>,
}

/// The enabled alerts and their routes.
pub struct Matcher {
    alerts: AlertSet,
    routes: Vec<Route>,
}

impl Matcher {
    /// Compiles the enabled alerts of `config`; disabled notifiers receive nothing.
    pub fn new(config: &Config) -> Matcher {
        let enabled: Vec<&config::Alert> = config.alerts.iter().filter(|a| a.enabled).collect();
        let routes = enabled
            .iter()
            .map(|a| Route {
                name: a.name.clone(),
                notifiers: a
                    .notifiers
                    .iter()
                    .filter(|n| config.notifier(n).is_some_and(|n| n.enabled))
                    .cloned()
                    .collect(),
            })
            .collect();
        let alerts = AlertSet::new(enabled.iter().map(|a| a.query.clone()).collect());
        Matcher { alerts, routes }
    }

    /// Works out which alerts a posting of `source` matches, before it is
    /// written (in parallel with other fetches); `None` when there are no alerts.
    pub fn prepare(&self, p: &Posting, source: &SourceName) -> Option<Prepared> {
        if self.alerts.is_empty() {
            return None;
        }
        let doc = Doc::from_posting(p, &[source.as_str()]);
        let matches = self.alerts.matching(&doc);
        // The document is only needed again if `source:` terms must see the
        // other sources of a job that was already stored.
        let doc = self.alerts.uses_sources().then_some(doc);
        Some(Prepared { matches, doc })
    }

    /// Records each new match of a stored posting; returns how many. A job seen
    /// before may be listed by other sources too, which `source:` terms see.
    pub fn record(
        &self,
        tx: &mut Ingest<'_>,
        prepared: &mut Prepared,
        up: Upsert,
        notify: bool,
    ) -> Result<usize, StoreError> {
        if up.change != Change::New
            && let Some(doc) = prepared.doc.as_mut()
        {
            let sources = tx.sources_of(up.id)?;
            let refs: Vec<&str> = sources.iter().map(String::as_str).collect();
            doc.set_sources(&refs);
            prepared.matches = self.alerts.matching(doc);
        }
        let mut n = 0;
        for &i in &prepared.matches {
            let route = &self.routes[i];
            if tx.record_match(&route.name, up.id, &route.notifiers, notify)? {
                n += 1;
            }
        }
        Ok(n)
    }
}

/// A posting's matches, worked out off the write path.
pub struct Prepared {
    /// Indexes of the alerts it matches as listed by its own source.
    matches: Vec<usize>,
    /// Its document, kept when `source:` terms may need re-evaluating.
    doc: Option<Doc>,
}
