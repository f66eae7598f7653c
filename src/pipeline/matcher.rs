//! The enabled alerts compiled for matching, and where each one's matches go.
//! Postings are tokenized once, off the write path and in parallel: that gives
//! the search index its words and the alerts their matches. The writer records
//! the matches, re-evaluating only when `source:` terms meet a job that other
//! sources list too.

use crate::alerts::{AlertSet, Doc};
use crate::config::{self, Config};
use crate::model::{Posting, SourceName};
use crate::normalize::identity::Keys;
use crate::store::{Change, Ingest, SearchTerms, StoreError, Upsert};

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

    /// Tokenizes a posting of `source` once, before it is written (in
    /// parallel with other fetches): the words the search index gets, and the
    /// alerts it matches.
    pub fn prepare(&self, p: &Posting, source: &SourceName) -> Prepared {
        let doc = Doc::from_posting(p, &[source.as_str()]);
        let terms = terms_of(&doc);
        let matches = if self.alerts.is_empty() {
            Vec::new()
        } else {
            self.alerts.matching(&doc)
        };
        // The document is only needed again if `source:` terms must see the
        // other sources of a job that was already stored.
        let doc = self.alerts.uses_sources().then_some(doc);
        Prepared {
            terms,
            keys: Keys::of(p),
            matches,
            doc,
        }
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
        if self.alerts.is_empty() {
            return Ok(0);
        }
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

/// What the search index gets for a posting: each field's distinct words.
pub fn search_terms(p: &Posting) -> SearchTerms {
    terms_of(&Doc::from_posting(p, &[]))
}

fn terms_of(doc: &Doc) -> SearchTerms {
    let [title, company, location, text] = doc.field_terms();
    SearchTerms {
        title,
        company,
        location,
        text,
    }
}

/// A posting's search words and matches, worked out off the write path.
pub struct Prepared {
    /// What the full-text index gets (taken by the writer).
    pub terms: SearchTerms,
    /// What cross-source identity compares.
    pub keys: Keys,
    /// Indexes of the alerts it matches as listed by its own source.
    matches: Vec<usize>,
    /// Its document, kept when `source:` terms may need re-evaluating.
    doc: Option<Doc>,
}
