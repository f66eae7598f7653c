//! Preparing a fetch's postings for the writer, on a blocking thread: the
//! source's own settings applied (`company`, `split_title`), each posting
//! normalized, tokenized and matched, its identity keys worked out, and its
//! row's costly parts encoded ([`Encoded`]) so the writer's transaction
//! does not have to.

use std::collections::HashMap;

use super::{Matcher, SharedStore, lock, matcher};
use crate::model::{RawPosting, SourceName};
use crate::normalize::normalize;
use crate::store::{CurrentDictionary, Encoded};

/// How one fetch's postings are prepared: what the source's configuration
/// adds to them, and what encoding them for the store needs.
pub(super) struct Shape {
    /// The company of postings that name none.
    pub(super) company: Option<String>,
    /// Whether titles may pack company and place.
    pub(super) split_title: bool,
    /// The store's description dictionary: descriptions are compressed here,
    /// off the writer's thread.
    pub(super) dict: CurrentDictionary,
    /// The shared store, for the content hashes of the source's stored
    /// listings: an unchanged listing's description is not compressed.
    pub(super) store: SharedStore,
    /// Those hashes, read once per fetch.
    pub(super) stored: std::cell::OnceCell<HashMap<String, i64>>,
}

impl Shape {
    /// A fetch's postings shaped, normalized and prepared for the writer
    /// (tokenized, keyed, matched): CPU work, run on a blocking thread.
    pub(super) fn prepare_all(
        &self,
        raw: Vec<RawPosting>,
        matcher: &Matcher,
        source: &SourceName,
    ) -> Vec<(crate::model::Posting, matcher::Prepared)> {
        let stored = self.stored.get_or_init(|| {
            lock(&self.store)
                .listing_hashes(source)
                .unwrap_or_else(|e| {
                    tracing::debug!(%source, error = %e, "cannot read the stored listings' hashes");
                    HashMap::new()
                })
        });
        raw.into_iter()
            .map(|mut r| {
                self.apply(&mut r);
                let p = normalize(r, source);
                let mut prepared = matcher.prepare(&p, source);
                // A failure is met again, and reported, by the writer.
                let known = stored.get(&p.external_id).copied();
                prepared.encoded = Encoded::of(&p, &prepared.keys, &self.dict, known).ok();
                (p, prepared)
            })
            .collect()
    }
}

impl Shape {
    fn apply(&self, r: &mut RawPosting) {
        r.title_packs_fields &= self.split_title;
        if r.company.as_deref().is_none_or(|c| c.trim().is_empty()) {
            r.company.clone_from(&self.company);
        }
    }
}
