//! The column values a posting is written with: its lists as JSON, its pay
//! and dates as stored, its description compressed, and the hash that tells
//! a changed listing from one seen before without reading the stored row.
//! What costs CPU among them ([`Encoded`]) is worked out before the writer's
//! transaction, on the threads that prepare a fetch's postings.

use super::super::description::{CurrentDictionary, Trained};
use super::super::{StoreError, to_unix};
use crate::model::Posting;
use crate::normalize::identity::{Keys, sketch_bytes};

/// A listing's content hash, packed sketch and compressed description,
/// worked out off the writer's thread ([`Encoded::of`]) and handed to
/// [`super::Ingest::upsert_encoded`].
#[derive(Debug)]
pub struct Encoded {
    pub(super) hash: i64,
    pub(super) sketch: Vec<u8>,
    /// The description as stored (`None` inside: empty), until taken.
    description: Option<Option<Vec<u8>>>,
    /// The trained dictionary it was compressed with (`None`: the shipped one).
    dict: Option<u32>,
}

impl Encoded {
    /// Encodes listing `p` (whose identity keys are `keys`) for a store whose
    /// dictionary is `dict`. When `stored` is the hash already stored for the
    /// listing and `p` still has it, the listing is unchanged and the writer
    /// rewrites nothing of it: its description is not compressed (the writer
    /// compresses it in the rare merge that needs it).
    pub fn of(
        p: &Posting,
        keys: &Keys,
        dict: &CurrentDictionary,
        stored: Option<i64>,
    ) -> Result<Encoded, StoreError> {
        let hash = content_hash(p);
        let dict = dict.get();
        let description = if stored == Some(hash) {
            None
        } else {
            Some(compress(p, dict)?)
        };
        Ok(Encoded {
            hash,
            sketch: sketch_bytes(&keys.sketch),
            description,
            dict: dict.map(Trained::id),
        })
    }

    pub(super) fn with(
        p: &Posting,
        keys: &Keys,
        dict: Option<&'static Trained>,
    ) -> Result<Encoded, StoreError> {
        Ok(Encoded {
            hash: content_hash(p),
            sketch: sketch_bytes(&keys.sketch),
            description: Some(compress(p, dict)?),
            dict: dict.map(Trained::id),
        })
    }

    /// The stored description of `written` when it is listing `p`'s own and
    /// was compressed with `dict`, the store's dictionary now; else `None`
    /// (compress it again). Given once.
    pub(super) fn take_description(
        &mut self,
        p: &Posting,
        written: &Posting,
        dict: Option<&'static Trained>,
    ) -> Option<Option<Vec<u8>>> {
        let same = std::ptr::eq(p, written)
            || (p.description_html == written.description_html && p.text == written.text);
        if !same || self.dict != dict.map(Trained::id) {
            return None;
        }
        self.description.take()
    }
}

/// `p`'s description as stored: HTML and text compressed together.
fn compress(p: &Posting, dict: Option<&'static Trained>) -> Result<Option<Vec<u8>>, StoreError> {
    super::super::description::encode(&p.description_html, &p.text, dict)
        .map_err(|e| StoreError::Corrupt(format!("compressing a description: {e}")))
}

/// Column values derived from a posting for the SQL statements.
pub(super) struct Columns {
    /// The raw title, or an empty BLOB when it is the title (`raw_title`
    /// below).
    pub raw_title: rusqlite::types::Value,
    pub locations: String,
    pub tags: String,
    pub employment: Option<&'static str>,
    pub salary_min: Option<f64>,
    pub salary_max: Option<f64>,
    pub currency: Option<String>,
    pub period: Option<&'static str>,
    pub origin: Option<&'static str>,
    pub salary_text: Option<String>,
    pub posted: Option<i64>,
    pub updated: Option<i64>,
    /// The HTML and text, compressed together (`description.rs`).
    pub description: Option<Vec<u8>>,
}

impl Columns {
    /// The columns of `p`; its description as `ready` says, else compressed
    /// with `dict` here.
    pub(super) fn of(
        p: &Posting,
        dict: Option<&'static Trained>,
        ready: Option<Option<Vec<u8>>>,
    ) -> Result<Columns, StoreError> {
        let json = |v: &Vec<String>| {
            serde_json::to_string(v).map_err(|e| StoreError::Corrupt(e.to_string()))
        };
        let s = p.salary.as_ref();
        Ok(Columns {
            raw_title: raw_title(p),
            locations: json(&p.locations)?,
            tags: json(&p.tags)?,
            employment: p.employment_type.map(|e| e.as_str()),
            salary_min: s.and_then(|s| s.min),
            salary_max: s.and_then(|s| s.max),
            currency: s.and_then(|s| s.currency.clone()),
            period: s.and_then(|s| s.period).map(|p| p.as_str()),
            origin: s.map(|s| s.origin.as_str()),
            salary_text: s.and_then(|s| s.text.clone()),
            posted: p.posted_at.map(to_unix),
            updated: p.updated_at.map(to_unix),
            description: match ready {
                Some(d) => d,
                None => compress(p, dict)?,
            },
        })
    }
}

/// How `raw_title` stores `p`'s raw title: an empty BLOB when it is the
/// title, as for most postings (the title is the raw one with its spaces
/// folded), else the text. Read back by `postings::stored_from_row`.
fn raw_title(p: &Posting) -> rusqlite::types::Value {
    use rusqlite::types::Value;
    if p.raw_title == p.title {
        Value::Blob(Vec::new())
    } else {
        Value::Text(p.raw_title.clone())
    }
}

/// A stable 64-bit FNV-1a hash of everything that makes a posting's content,
/// so a changed title or text is noticed without reading the stored row.
fn content_hash(p: &Posting) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |s: &str| {
        for b in s.bytes().chain(std::iter::once(0xff)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    feed(&p.title);
    feed(p.company.as_deref().unwrap_or(""));
    feed(p.department.as_deref().unwrap_or(""));
    for l in &p.locations {
        feed(l);
    }
    feed(p.workplace.as_str());
    feed(p.employment_type.map(|e| e.as_str()).unwrap_or(""));
    if let Some(s) = &p.salary {
        feed(&format!(
            "{:?}{:?}{:?}{:?}",
            s.min, s.max, s.currency, s.period
        ));
    }
    feed(p.url.as_deref().unwrap_or(""));
    feed(p.apply_url.as_deref().unwrap_or(""));
    feed(&p.text);
    for t in &p.tags {
        feed(t);
    }
    h as i64
}
