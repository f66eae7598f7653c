//! Re-encoding the rows the shipped dictionary compressed with the store's
//! first trained one, a batch per commit up to the store's size when it was
//! sampled ([`recompress`]).

use rusqlite::{Connection, OptionalExtension, params};

use super::super::{DescriptionError, Trained, ZSTD_DICT_1, compress, expand, load};
use super::{Policy, corrupt};
use crate::store::StoreError;

/// Re-encodes the next batch of rows written with the shipped dictionary
/// before the first training, with the newest trained one.
pub(super) fn recompress(conn: &Connection, policy: &Policy) -> Result<(), StoreError> {
    let first: Option<(i64, i64, i64)> = conn
        .prepare_cached(
            "SELECT seq, recompressed_to, postings FROM description_dicts
             WHERE dict IS NOT NULL ORDER BY seq LIMIT 1",
        )?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((seq, done, end)) = first else {
        return Ok(());
    };
    if done >= end {
        return Ok(());
    }
    let Some(with) = load(conn)? else {
        return Ok(());
    };
    let rows = conn
        .prepare_cached(
            "SELECT id, description FROM postings WHERE id > ?1 AND id <= ?2 ORDER BY id LIMIT ?3",
        )?
        .query_map(params![done, end, policy.batch], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Option<Vec<u8>>>(1)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let started = std::time::Instant::now();
    reencode_rows(conn, &rows, with)?;
    // A short batch reached the end of the range (ids may have gaps).
    let reached = match rows.last() {
        Some(&(last, _)) if (rows.len() as i64) >= policy.batch => last,
        _ => end,
    };
    conn.prepare_cached("UPDATE description_dicts SET recompressed_to = ?2 WHERE seq = ?1")?
        .execute(params![seq, reached])?;
    tracing::debug!(
        rows = rows.len(),
        up_to = reached,
        ms = started.elapsed().as_millis() as u64,
        "re-encoded older descriptions"
    );
    Ok(())
}

/// Re-encodes with `with` those of `rows` (id, description) that the
/// shipped dictionary compressed.
fn reencode_rows(
    conn: &Connection,
    rows: &[(i64, Option<Vec<u8>>)],
    with: &'static Trained,
) -> Result<(), StoreError> {
    let mut write = conn.prepare_cached("UPDATE postings SET description = ?2 WHERE id = ?1")?;
    for (id, blob) in rows {
        let Some(blob) = blob.as_deref().filter(|b| b.first() == Some(&ZSTD_DICT_1)) else {
            continue;
        };
        let again = reencode(blob, with).map_err(|e| corrupt(*id, &e))?;
        // Keep the old frame in the rare case the new one is no smaller.
        if again.len() < blob.len() {
            write.execute(params![id, again])?;
        }
    }
    Ok(())
}

fn reencode(blob: &[u8], with: &'static Trained) -> Result<Vec<u8>, DescriptionError> {
    Ok(compress(&expand(blob)?, Some(with))?)
}
