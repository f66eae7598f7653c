//! The full-text index's side of an ingest: the words a posting is indexed
//! under, the rowid it is indexed at (which sorts newest day first), and the
//! rows queued during a transaction, written in rowid order.
//!
//! The index has one column and keeps no more than which postings hold a
//! word (`detail = none`): searches only narrow through it, the query matcher
//! decides. A word of the title, company or location is indexed twice, as
//! itself and behind its field's mark ([`TITLE_MARK`] and the rest), so a
//! field search such as `title:rust` reads one word's list. Marks are
//! private-use characters: SQLite's tokenizer keeps them inside a word, and
//! jobhound's own (`alerts/words.rs`) splits text on them, so no indexed word
//! has one but for its mark.

use rusqlite::params;

use super::Ingest;
use crate::store::StoreError;

/// Marks a title word in the index: `\u{E001}rust`.
pub const TITLE_MARK: char = '\u{E001}';
/// Marks a company word in the index.
pub const COMPANY_MARK: char = '\u{E002}';
/// Marks a location word in the index.
pub const LOCATION_MARK: char = '\u{E003}';

/// What the full-text index holds for a posting, per field. The caller
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

impl SearchTerms {
    /// The one column the index gets: every field's words as they are, then
    /// the title's, company's and location's again behind their marks.
    pub fn line(&self) -> String {
        let marked = [
            (TITLE_MARK, &self.title),
            (COMPANY_MARK, &self.company),
            (LOCATION_MARK, &self.location),
        ];
        let bare = [&self.title, &self.company, &self.location, &self.text];
        // The field words twice, the second time behind a 3-byte mark.
        let fields = self.title.len() + self.company.len() + self.location.len();
        let mut line = String::with_capacity(self.text.len() + 3 * fields + 8);
        for words in bare.into_iter().filter(|w| !w.is_empty()) {
            line.push_str(words);
            line.push(' ');
        }
        for (mark, words) in marked {
            for w in words.split(' ').filter(|w| !w.is_empty()) {
                line.push(mark);
                line.push_str(w);
                line.push(' ');
            }
        }
        line.pop();
        line
    }
}

/// How to take back the full-text changes a fetch queued: each replaced
/// row as it was before, newest last, and how many deletions were queued.
#[derive(Default)]
pub(super) struct Undo {
    rows: Vec<(i64, Option<SearchTerms>)>,
    deleted: usize,
}

impl Ingest<'_> {
    /// Writes the queued full-text changes now, deletions first, then rows in
    /// rowid order, instead of at commit: for a large fetch stored batch by
    /// batch, so its rows never all wait in memory (at the cost of a few
    /// more index segments). Only in a transaction that holds that one
    /// fetch: rows written inside a fetch's savepoint are taken back with
    /// it, and other fetches' queued rows would be taken back too.
    pub fn flush_search_index(&mut self) -> Result<(), StoreError> {
        let mut delete = self
            .tx
            .prepare_cached("DELETE FROM postings_fts WHERE rowid = ?1")?;
        for key in std::mem::take(&mut self.fts_deleted) {
            delete.execute([key])?;
        }
        let mut insert = self
            .tx
            .prepare_cached("INSERT INTO postings_fts (rowid, words) VALUES (?1, ?2)")?;
        for (key, r) in std::mem::take(&mut self.fts) {
            insert.execute(params![key, r.line()])?;
        }
        if let Some(undo) = &mut self.undo {
            *undo = Undo::default();
        }
        Ok(())
    }

    /// Queues `terms` as the full-text row `key` of a new posting.
    pub(super) fn queue_search_row(&mut self, key: i64, terms: SearchTerms) {
        let before = self.fts.insert(key, terms);
        if let Some(undo) = &mut self.undo {
            undo.rows.push((key, before));
        }
    }

    /// Queues `terms` as a stored posting's full-text row `new`, in place of
    /// its row `old` (the same key when its sort day did not change).
    pub(super) fn requeue_search_row(&mut self, old: i64, new: i64, terms: SearchTerms) {
        match self.fts.remove(&old) {
            // Updated earlier in this transaction: the old text is only queued.
            Some(before) => {
                if let Some(undo) = &mut self.undo {
                    undo.rows.push((old, Some(before)));
                }
            }
            None => {
                self.fts_deleted.push(old);
                if let Some(undo) = &mut self.undo {
                    undo.deleted += 1;
                }
            }
        }
        self.queue_search_row(new, terms);
    }

    /// Takes back the full-text changes queued since `undo` began.
    pub(super) fn undo_search_rows(&mut self, undo: Undo) {
        for (key, before) in undo.rows.into_iter().rev() {
            match before {
                Some(terms) => self.fts.insert(key, terms),
                None => self.fts.remove(&key),
            };
        }
        let kept = self.fts_deleted.len().saturating_sub(undo.deleted);
        self.fts_deleted.truncate(kept);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_holds_every_word_plain_and_the_field_words_again_marked() {
        let terms = SearchTerms {
            title: "ml engineer".into(),
            company: String::new(),
            location: "berlin".into(),
            text: "we ship ml".into(),
        };
        assert_eq!(
            terms.line(),
            "ml engineer berlin we ship ml \u{E001}ml \u{E001}engineer \u{E003}berlin"
        );
        assert_eq!(SearchTerms::default().line(), "");
    }
}
