//! The enabled alerts compiled for matching, and where each one's matches go.
//! Postings are tokenized once, off the write path and in parallel: that gives
//! the search index its words and the alerts their matches. The writer records
//! the matches, re-evaluating only when `source:` terms meet a job that other
//! sources list too, or when state and age filters meet a job stored before.
//!
//! A new job is open, has no user state yet, and counts as posted when its
//! posting says (or now, if undated or dated later): `-state:dismissed`
//! always matches it and `state:saved` never does. A job stored before is
//! judged on its stored state and first-seen time, as a search would.

use chrono::Utc;

use crate::alerts::{AlertSet, Doc, Facts, Lifecycle, Mark};
use crate::config::{self, Config};
use crate::model::{Posting, SourceName};
use crate::normalize::identity::Keys;
use crate::store::{Change, Encoded, Ingest, SearchTerms, StoreError, Upsert};

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
        let mut doc = Doc::from_posting(p, &[source.as_str()]);
        let now = Utc::now();
        doc.set_facts(Facts::of(p, now, now));
        let terms = terms_of(&doc);
        let matches = if self.alerts.is_empty() {
            Vec::new()
        } else {
            self.alerts.matching(&doc)
        };
        // The document is only needed again if `source:` terms must see the
        // other sources of a job that was already stored, or state and age
        // filters its stored state.
        let doc = (self.alerts.uses_sources() || self.alerts.uses_stored_facts()).then_some(doc);
        Prepared {
            terms,
            keys: Keys::of(p),
            encoded: None,
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
            if self.alerts.uses_sources() {
                let sources = tx.sources_of(up.id)?;
                let refs: Vec<&str> = sources.iter().map(String::as_str).collect();
                doc.set_sources(&refs);
            }
            if self.alerts.uses_stored_facts() {
                let stored = tx.state_of(up.id)?;
                let facts = Facts {
                    posted: Some(stored.sort_at),
                    lifecycle: Lifecycle::of(stored.closed, stored.reopened),
                    mark: stored.user_state.map(Mark::from),
                    ..doc.facts().clone()
                };
                doc.set_facts(facts);
            }
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
    /// Its row's costly parts, worked out before the writer (taken by it).
    pub encoded: Option<Encoded>,
    /// Indexes of the alerts it matches as listed by its own source.
    matches: Vec<usize>,
    /// Its document, kept when `source:` terms may need re-evaluating.
    doc: Option<Doc>,
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::model::Workplace;
    use crate::store::{Store, UserState};

    fn config(dir: &std::path::Path, alerts: &[(&str, &str)]) -> Config {
        let mut text = format!(
            "[database]\npath = \"{}\"\n\n[[source]]\nname = \"a\"\nkind = \"feed\"\nurl = \"http://127.0.0.1:9/f.xml\"\n",
            dir.join("m.db").display()
        );
        for (name, query) in alerts {
            text.push_str(&format!(
                "\n[[alert]]\nname = \"{name}\"\nquery = '{query}'\n"
            ));
        }
        Config::parse(&text, &dir.join("jobhound.toml"), &|_| None).expect("config")
    }

    fn posting(id: &str, text: &str) -> Posting {
        Posting {
            source: SourceName("a".into()),
            external_id: id.into(),
            title: format!("Rust Engineer {id}"),
            raw_title: "Rust Engineer".into(),
            company: None,
            department: None,
            locations: vec![],
            workplace: Workplace::Remote,
            employment_type: None,
            salary: None,
            posted_at: None,
            updated_at: None,
            url: None,
            apply_url: None,
            description_html: String::new(),
            text: text.into(),
            tags: vec![],
            author: None,
        }
    }

    /// Stores `postings` in one fetch; returns each one's id.
    fn fetch(store: &mut Store, m: &Matcher, postings: &[Posting]) -> Vec<crate::model::PostingId> {
        let source = SourceName("a".into());
        let mut tx = store.begin_ingest(Utc::now()).expect("begin");
        tx.set_source(&source);
        let mut ids = Vec::new();
        for p in postings {
            let mut prepared = m.prepare(p, &source);
            let up = tx
                .upsert(p, &prepared.keys, std::mem::take(&mut prepared.terms))
                .expect("upsert");
            m.record(&mut tx, &mut prepared, up, true).expect("record");
            ids.push(up.id);
        }
        tx.commit().expect("commit");
        ids
    }

    fn alerts_of(store: &Store, id: crate::model::PostingId) -> Vec<String> {
        let mut names: Vec<String> = store
            .matches_of(id)
            .expect("matches")
            .into_iter()
            .map(|m| m.alert)
            .collect();
        names.sort();
        names
    }

    #[test]
    fn state_filters_see_a_stored_jobs_state_and_a_new_jobs_none() {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = config(
            dir.path(),
            &[
                ("open", "rust -state:dismissed"),
                ("tokio-open", "tokio -state:dismissed"),
                ("tokio-saved", "tokio state:saved"),
                ("fresh", "rust posted<1d workplace:remote"),
            ],
        );
        let m = Matcher::new(&config);
        let mut store = Store::open(&config.database.path).expect("store");
        let ids = fetch(
            &mut store,
            &m,
            &[posting("1", "async work"), posting("2", "async work")],
        );
        // New jobs: open, no user state, first seen now.
        for &id in &ids {
            assert_eq!(alerts_of(&store, id), ["fresh", "open"]);
        }
        let now = Utc::now();
        assert!(
            store
                .set_user_state(ids[0], Some(UserState::Dismissed), now)
                .expect("set")
        );
        assert!(
            store
                .set_user_state(ids[1], Some(UserState::Saved), now)
                .expect("set")
        );
        // Both now mention tokio: the stored state decides, not a fresh posting's.
        fetch(
            &mut store,
            &m,
            &[
                posting("1", "async tokio work"),
                posting("2", "async tokio work"),
            ],
        );
        assert_eq!(alerts_of(&store, ids[0]), ["fresh", "open"], "dismissed");
        assert_eq!(
            alerts_of(&store, ids[1]),
            ["fresh", "open", "tokio-open", "tokio-saved"],
            "saved"
        );
    }
}
