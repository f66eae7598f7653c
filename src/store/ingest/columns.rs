//! The column values a posting is written with: its lists as JSON, its pay
//! and dates as stored, its description compressed, and the hash that tells
//! a changed listing from one seen before without reading the stored row.
//! What costs CPU among them ([`Encoded`]) is worked out before the writer's
//! transaction, on the threads that prepare a fetch's postings.

use std::fmt::Write as _;

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
/// Stored hashes were made from exactly these bytes: any change here makes
/// every stored listing look changed once.
fn content_hash(p: &Posting) -> i64 {
    let mut h = Fnv::default();
    h.field(&p.title);
    h.field(p.company.as_deref().unwrap_or(""));
    h.field(p.department.as_deref().unwrap_or(""));
    for l in &p.locations {
        h.field(l);
    }
    h.field(p.workplace.as_str());
    h.field(p.employment_type.map(|e| e.as_str()).unwrap_or(""));
    if let Some(s) = &p.salary {
        // The pay as its debug text, hashed as it is written, not collected first.
        let _ = write!(h, "{:?}{:?}{:?}{:?}", s.min, s.max, s.currency, s.period);
        h.end_field();
    }
    h.field(p.url.as_deref().unwrap_or(""));
    h.field(p.apply_url.as_deref().unwrap_or(""));
    h.field(&p.text);
    for t in &p.tags {
        h.field(t);
    }
    h.0 as i64
}

/// FNV-1a over a run of fields, each ended by the byte `0xff` (which UTF-8
/// never contains).
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn end_field(&mut self) {
        self.bytes(&[0xff]);
    }

    fn field(&mut self, s: &str) {
        self.bytes(s.as_bytes());
        self.end_field();
    }
}

impl std::fmt::Write for Fnv {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.bytes(s.as_bytes());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Salary, SalaryOrigin, SalaryPeriod, SourceName, Workplace};

    fn posting(salary: Option<Salary>) -> Posting {
        Posting {
            source: SourceName("a".into()),
            external_id: "1".into(),
            title: "ML Engineer".into(),
            raw_title: "ML Engineer".into(),
            company: Some("Acme".into()),
            department: None,
            locations: vec!["Berlin".into(), "Remote".into()],
            workplace: Workplace::Hybrid,
            employment_type: None,
            salary,
            posted_at: None,
            updated_at: None,
            url: Some("https://acme.example/jobs/1".into()),
            apply_url: None,
            description_html: "<p>Träin módels</p>".into(),
            text: "Träin módels".into(),
            tags: vec!["pytorch".into()],
            author: None,
        }
    }

    /// The hash as it was first written: every field, and the pay's debug
    /// text, collected into strings and hashed one by one.
    fn as_first_written(p: &Posting) -> i64 {
        let mut fields: Vec<String> = vec![
            p.title.clone(),
            p.company.clone().unwrap_or_default(),
            p.department.clone().unwrap_or_default(),
        ];
        fields.extend(p.locations.iter().cloned());
        fields.push(p.workplace.as_str().into());
        fields.push(p.employment_type.map(|e| e.as_str()).unwrap_or("").into());
        if let Some(s) = &p.salary {
            fields.push(format!(
                "{:?}{:?}{:?}{:?}",
                s.min, s.max, s.currency, s.period
            ));
        }
        fields.push(p.url.clone().unwrap_or_default());
        fields.push(p.apply_url.clone().unwrap_or_default());
        fields.push(p.text.clone());
        fields.extend(p.tags.iter().cloned());
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in fields.iter().flat_map(|f| f.bytes().chain([0xff])) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h as i64
    }

    #[test]
    fn the_content_hash_stays_what_stores_hold() {
        let paid = Salary {
            min: Some(120_000.0),
            max: None,
            currency: Some("EUR".into()),
            period: Some(SalaryPeriod::Year),
            origin: SalaryOrigin::Text,
            text: Some("€120k".into()),
        };
        let cases = [posting(None), posting(Some(paid))];
        for p in &cases {
            assert_eq!(content_hash(p), as_first_written(p), "{:?}", p.salary);
        }
        // Pinned too, so the reference cannot drift with the code.
        assert_eq!(content_hash(&cases[1]), PINNED);
        assert_ne!(content_hash(&cases[0]), content_hash(&cases[1]));
    }

    const PINNED: i64 = -7_350_751_958_335_030_290;
}
