//! The full-text index's side of an ingest: the words a posting is indexed
//! under, the rowid it is indexed at (which sorts newest day first), and the
//! rows queued during a transaction, written in rowid order.

use rusqlite::params;

use super::Ingest;
use crate::store::StoreError;

/// What the full-text index holds for a posting, per column. The caller
/// chooses the words (jobhound gives each field's distinct words, tokenized as
/// queries are); the index only narrows searches, the query matcher decides.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchTerms {
    /// Words of the title.
    pub title: String,
    /// Words of the company.
    pub company: String,
    /// Words of the locations.
    pub location: String,
    /// Words of the description and tags.
    pub text: String,
}

impl Ingest<'_> {
    /// Writes the queued full-text rows now, in rowid order, instead of at
    /// commit: for a large fetch stored batch by batch, so its rows never
    /// all wait in memory (at the cost of a few more index segments).
    pub fn flush_search_index(&mut self) -> Result<(), StoreError> {
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO postings_fts (rowid, title, company, location, text) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (key, r) in std::mem::take(&mut self.fts) {
            stmt.execute(params![key, r.title, r.company, r.location, r.text])?;
        }
        Ok(())
    }
}

/// Bits of a full-text rowid that hold the posting id; the bits above hold its
/// sort day, so the index lists matches newest first by itself.
pub(crate) const FTS_ID_BITS: u32 = 29;

/// The full-text rowid of posting `id` sorted at `sort_at` (unix seconds):
/// `sort_day << 29 | id`, where `sort_day` is whole days since 1970. Searches
/// walk the index in rowid order and stop after the first matches, instead of
/// sorting every posting that has the words. Days rather than seconds keep the
/// gaps between consecutive rowids, and so the index, small.
pub(crate) fn fts_key(sort_at: i64, id: i64) -> Result<i64, StoreError> {
    if !(0..1 << FTS_ID_BITS).contains(&id) {
        return Err(StoreError::Corrupt(format!(
            "posting id {id} exceeds the {} postings the search index can address",
            1u64 << FTS_ID_BITS
        )));
    }
    // Before 1970 sorts as 1970.
    Ok((sort_at.max(0) / 86_400) << FTS_ID_BITS | id)
}
