//! A listing's sighting: the row that ties a source's external id to its
//! job, with the identity keys `dedupe` compares, and the description links
//! kept beside it.

use rusqlite::params;

use super::{Encoded, Ingest};
use crate::model::Posting;
use crate::normalize::identity::Keys;
use crate::store::StoreError;
use crate::store::dedupe::Reason;

impl Ingest<'_> {
    /// Marks a known listing seen now (open again if it had closed), and
    /// rewrites its identity keys when its content changed.
    pub(super) fn touch_sighting(
        &mut self,
        p: &Posting,
        keys: &Keys,
        enc: &Encoded,
        changed: bool,
    ) -> Result<(), StoreError> {
        if !changed {
            self.tx
                .prepare_cached(
                    "UPDATE sightings SET last_seen = ?3, missed = 0, closed_at = NULL
                     WHERE source = ?1 AND external_id = ?2",
                )?
                .execute(params![self.source.as_str(), p.external_id, self.now])?;
            return Ok(());
        }
        self.tx
            .prepare_cached(
                "UPDATE sightings SET last_seen = ?3, missed = 0, closed_at = NULL, url = ?4,
                    apply_url = ?5, company_key = ?6, title_key = ?7, places = ?8, sketch = ?9,
                    content_hash = ?10, rank = ?11, tracked = ?12
                 WHERE source = ?1 AND external_id = ?2",
            )?
            .execute(params![
                self.source.as_str(),
                p.external_id,
                self.now,
                p.url,
                p.apply_url,
                keys.company,
                keys.title,
                keys.places_text(),
                enc.sketch,
                enc.hash,
                self.rank,
                self.tracked,
            ])?;
        self.write_links(p, keys)
    }

    pub(super) fn add_sighting(
        &mut self,
        id: i64,
        p: &Posting,
        keys: &Keys,
        enc: &Encoded,
        reason: Reason,
        detail: Option<&str>,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT OR IGNORE INTO sightings (source, external_id, posting_id, url, first_seen, last_seen,
                    rank, reason, detail, company_key, title_key, places, sketch, apply_url, tracked,
                    content_hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            )?
            .execute(params![
                self.source.as_str(), p.external_id, id, p.url, self.now, self.rank, reason.as_str(),
                detail, keys.company, keys.title, keys.places_text(), enc.sketch,
                p.apply_url, self.tracked, enc.hash,
            ])?;
        self.insert_links(p, keys)
    }

    /// Replaces the description links kept for the current listing.
    fn write_links(&mut self, p: &Posting, keys: &Keys) -> Result<(), StoreError> {
        self.tx
            .prepare_cached("DELETE FROM sighting_links WHERE source = ?1 AND external_id = ?2")?
            .execute(params![self.source.as_str(), p.external_id])?;
        self.insert_links(p, keys)
    }

    /// Keeps the description links of a listing that has none stored yet.
    fn insert_links(&mut self, p: &Posting, keys: &Keys) -> Result<(), StoreError> {
        let mut stmt = self.tx.prepare_cached(
            "INSERT OR IGNORE INTO sighting_links (url, source, external_id) VALUES (?1, ?2, ?3)",
        )?;
        for link in keys.links.iter().filter(|l| Some(*l) != p.url.as_ref()) {
            stmt.execute(params![link, self.source.as_str(), p.external_id])?;
        }
        Ok(())
    }
}
