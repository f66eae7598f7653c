//! The enabled alerts compiled for matching, and where each one's matches go.
//! Documents are tokenized off the write path; the writer only completes them
//! with the posting's sources and records what matches.

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

    /// The document to match a posting of `source` against, when there are alerts.
    pub fn doc(&self, p: &Posting, source: &SourceName) -> Option<Doc> {
        (!self.alerts.is_empty()).then(|| Doc::from_posting(p, &[source.as_str()]))
    }

    /// Records each new match of a stored posting; returns how many. A job seen
    /// before may be listed by other sources too, which `source:` terms see.
    pub fn record(
        &self,
        tx: &mut Ingest<'_>,
        doc: &mut Doc,
        up: Upsert,
        notify: bool,
    ) -> Result<usize, StoreError> {
        if up.change != Change::New {
            let sources = tx.sources_of(up.id)?;
            let refs: Vec<&str> = sources.iter().map(String::as_str).collect();
            doc.set_sources(&refs);
        }
        let mut n = 0;
        for i in self.alerts.matching(doc) {
            let route = &self.routes[i];
            if tx.record_match(&route.name, up.id, &route.notifiers, notify)? {
                n += 1;
            }
        }
        Ok(n)
    }
}
