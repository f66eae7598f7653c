//! The words of the full-text index that start with a prefix, read from the
//! index's own leaf pages, so that a prefix search can ask FTS5 for those
//! words instead of the prefix.
//!
//! Why: FTS5 answers `embed*` by merging the document lists of every word
//! with the prefix into one list before it returns the first row (15 ms at a
//! million postings for one common word), while the OR of the same words
//! streams newest first and stops at the page. FTS5's vocabulary table
//! (`fts5vocab`) cannot list the words any cheaper: it walks every document
//! list to count it. The words alone are cheap to find: each segment of the
//! index is a b-tree whose leaves hold its terms in order, and the `_idx`
//! table names the leaf on which each term-bearing page starts, so the words
//! of a prefix take a few page reads per segment. This reads those pages in
//! the documented FTS5 format (SQLite's `fts5_index.c`: leaf header, prefix-
//! compressed terms, the page's term offsets at its end) and gives up on
//! anything it does not expect; the caller then keeps the prefix query.
//!
//! A listed word may occur only in deleted postings (a contentless index
//! keeps deleted rows' words until its segments merge): it matches nothing.

use std::collections::BTreeSet;

use rusqlite::{Connection, OptionalExtension, params};

use super::{Store, StoreError};

/// A leaf's id in `_data` is `segid << 37 | page` (FTS5_SEGMENT_ROWID: 31
/// bits of page number, 5 of b-tree height and 1 doclist-index flag).
const SEGMENT_SHIFT: u32 = 37;
/// The first byte of every key in the main index (prefix indexes use `1`…).
const MAIN_INDEX: u8 = b'0';

impl Store {
    /// The words of the full-text index that start with `prefix`, sorted,
    /// when there are at most `max` of them; `None` when there are more, or
    /// when a page does not read as this module expects.
    pub(crate) fn index_words(
        &self,
        prefix: &str,
        max: usize,
    ) -> Result<Option<Vec<String>>, StoreError> {
        Ok(words(&self.conn, "postings_fts", prefix, max)?)
    }
}

/// The words of FTS5 table `table` that start with `prefix`: see
/// [`Store::index_words`].
fn words(
    conn: &Connection,
    table: &str,
    prefix: &str,
    max: usize,
) -> rusqlite::Result<Option<Vec<String>>> {
    let mut key = Vec::with_capacity(prefix.len() + 1);
    key.push(MAIN_INDEX);
    key.extend_from_slice(prefix.as_bytes());
    let mut next_segment = conn.prepare_cached(&format!(
        "SELECT segid FROM \"{table}_idx\" WHERE segid > ?1 ORDER BY segid LIMIT 1"
    ))?;
    let mut found = BTreeSet::new();
    let mut segid = i64::MIN;
    while let Some(s) = next_segment
        .query_row([segid], |r| r.get::<_, i64>(0))
        .optional()?
    {
        segid = s;
        if !segment_words(conn, table, segid, &key, max, &mut found)? {
            return Ok(None);
        }
    }
    // Index terms come from the tokenizer, so they are UTF-8.
    let words: Option<Vec<String>> = found
        .into_iter()
        .map(|w| String::from_utf8(w).ok())
        .collect();
    Ok(words)
}

/// Adds the words of segment `segid` that start with `key` (index byte
/// included) to `found`, without the index byte; `false` when `found` grows
/// past `max` or a page does not read as expected.
fn segment_words(
    conn: &Connection,
    table: &str,
    segid: i64,
    key: &[u8],
    max: usize,
    found: &mut BTreeSet<Vec<u8>>,
) -> rusqlite::Result<bool> {
    // `_idx` holds, for each leaf on which a term starts (but the first), a
    // key no greater than that term and greater than every term before it;
    // the first leaf has the empty key. The last key not above ours names
    // the leaf where our words start.
    let start: Vec<u8> = conn
        .prepare_cached(&format!(
            "SELECT term FROM \"{table}_idx\" WHERE segid = ?1 AND term <= ?2
             ORDER BY term DESC LIMIT 1"
        ))?
        .query_row(params![segid, key], |r| r.get(0))
        .optional()?
        .unwrap_or_default();
    let mut leaves = conn.prepare_cached(&format!(
        "SELECT term, pgno FROM \"{table}_idx\" WHERE segid = ?1 AND term >= ?2 ORDER BY term"
    ))?;
    // Segment ids are below 2^16 in any index FTS5 wrote.
    let Some(base) = segid.checked_mul(1 << SEGMENT_SHIFT) else {
        return Ok(false);
    };
    let mut rows = leaves.query(params![segid, start])?;
    while let Some(row) = rows.next()? {
        let leaf_key: Vec<u8> = row.get(0)?;
        // Every term on this leaf and after it is at least `leaf_key`: past
        // our words once it is above them and does not start with them.
        if leaf_key.as_slice() > key && !leaf_key.starts_with(key) {
            break;
        }
        // A merge that stopped halfway has deleted the leading leaves of its
        // inputs (their `_idx` rows stay): their words are all in its output
        // segment, read in its turn.
        let page = row.get::<_, i64>(1)? >> 1;
        let Some(block) = leaf(conn, table, base, page)? else {
            continue;
        };
        let Some(terms) = leaf_terms(&block) else {
            return Ok(false);
        };
        for term in terms {
            if term.starts_with(key) {
                found.insert(term[1..].to_vec());
                if found.len() > max {
                    return Ok(false);
                }
            } else if term.as_slice() > key {
                return Ok(true);
            }
        }
    }
    Ok(true)
}

/// Leaf `page` of the segment whose ids start at `base`, if it is there.
fn leaf(conn: &Connection, table: &str, base: i64, page: i64) -> rusqlite::Result<Option<Vec<u8>>> {
    conn.prepare_cached(&format!("SELECT block FROM \"{table}_data\" WHERE id = ?1"))?
        .query_row([base.saturating_add(page)], |r| r.get(0))
        .optional()
}

/// The terms that start on FTS5 leaf page `page`, in order, with their index
/// byte; `None` when the page does not read as a leaf.
///
/// A leaf is a 4-byte header (where its first rowid is, then where its
/// content ends, both big-endian u16), the content, and from there to the
/// end the offsets of the terms that start on it (the first absolute, then differences). The
/// first term on a leaf is a varint length and its bytes; each later one the
/// number of bytes it shares with the one before, then the length and bytes
/// of the rest.
fn leaf_terms(page: &[u8]) -> Option<Vec<Vec<u8>>> {
    let content_end = usize::from(u16::from_be_bytes([*page.get(2)?, *page.get(3)?]));
    if content_end < 4 || content_end > page.len() {
        return None;
    }
    let content = &page[..content_end];
    let mut offsets = &page[content_end..];
    let mut at = 0usize;
    let mut term: Vec<u8> = Vec::new();
    let mut terms = Vec::new();
    while !offsets.is_empty() {
        let (delta, n) = varint(offsets)?;
        offsets = &offsets[n..];
        at = at.checked_add(usize::try_from(delta).ok()?)?;
        let mut pos = at;
        let shared = if terms.is_empty() {
            0
        } else {
            let (shared, n) = varint(content.get(pos..)?)?;
            pos += n;
            usize::try_from(shared).ok()?
        };
        let (len, n) = varint(content.get(pos..)?)?;
        pos += n;
        let end = pos.checked_add(usize::try_from(len).ok()?)?;
        if shared > term.len() {
            return None;
        }
        term.truncate(shared);
        term.extend_from_slice(content.get(pos..end)?);
        terms.push(term.clone());
    }
    Some(terms)
}

/// An SQLite varint (big-endian groups of 7 bits, the high bit set on all but
/// the last; a ninth byte carries 8) and its length in bytes.
fn varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value: u64 = 0;
    for (i, &b) in bytes.iter().enumerate().take(9) {
        if i == 8 {
            return Some(((value << 8) | u64::from(b), 9));
        }
        value = (value << 7) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests;
