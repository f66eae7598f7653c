//! One fetch's writes inside an ingest transaction, kept or taken back
//! alone: a savepoint, and the undo log of the full-text rows the fetch
//! queued (which are written only at commit, outside any savepoint).

use super::{Ingest, fts};
use crate::store::StoreError;

impl Ingest<'_> {
    /// Starts one fetch's writes within the transaction. If they fail,
    /// [`Ingest::undo_fetch`] takes them back and the fetches written before
    /// stay; [`Ingest::end_fetch`] keeps them.
    pub fn begin_fetch(&mut self) -> Result<(), StoreError> {
        self.tx.prepare_cached("SAVEPOINT fetch")?.execute([])?;
        self.undo = Some(fts::Undo::default());
        Ok(())
    }

    /// Keeps the writes of the fetch begun last (they commit with the transaction).
    pub fn end_fetch(&mut self) -> Result<(), StoreError> {
        self.tx.prepare_cached("RELEASE fetch")?.execute([])?;
        self.undo = None;
        Ok(())
    }

    /// Takes back the writes of the fetch begun last. An error means the
    /// transaction is lost as a whole (SQLite rolls it back on some errors,
    /// a full disk for one): nothing of it may be committed.
    pub fn undo_fetch(&mut self) -> Result<(), StoreError> {
        if let Some(undo) = self.undo.take() {
            self.undo_search_rows(undo);
        }
        if self.tx.is_autocommit() {
            return Err(StoreError::NotCommitted(
                "SQLite rolled the transaction back after an error".into(),
            ));
        }
        self.tx.execute_batch("ROLLBACK TO fetch; RELEASE fetch")?;
        Ok(())
    }
}
