//! How a posting's description is stored: one BLOB holding the sanitized HTML
//! and the plain text together, compressed with zstd and a dictionary trained
//! on the job descriptions in `fixtures/` (compiled in: `description.dict`).
//!
//! - Both forms are kept: the plain text comes from the source's own
//!   HTML-to-text pass (or is all a text-only source gives), and `show`, the
//!   JSON `text` field, search and mail must return it byte for byte. In one
//!   frame the text costs little: most of it repeats words of the HTML
//!   just before it, which zstd finds as matches.
//! - Two dictionaries: the shipped one, for a store's first descriptions, and
//!   one trained on the store's own descriptions once it holds enough of them
//!   (`description/train.rs`: kept in the `description_dicts` table, and the
//!   rows written before it re-encoded). Job boards repeat their own
//!   boilerplate (benefits, equal-opportunity paragraphs, house style), which
//!   only a dictionary trained on them knows.
//! - The first byte names the encoding: 1 the shipped dictionary, 2 a trained
//!   one, which the zstd frame names by its dictionary id (zstd derives it
//!   from the dictionary's content, so ids of two databases never mix in one
//!   process's cache). Old rows keep their encoding and stay readable.
//! - Layout of the decompressed payload: the HTML's length as 4 bytes little
//!   endian, the HTML, then the text. Both empty is stored as NULL.

mod train;

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use rusqlite::Connection;

use zstd::bulk::{Compressor, Decompressor};
use zstd::dict::{DecoderDictionary, EncoderDictionary};

/// The dictionary (trained with `zstd --train` on the descriptions in fixtures/).
const DICT: &[u8] = include_bytes!("description.dict");
/// The first byte of a BLOB compressed with [`DICT`].
const ZSTD_DICT_1: u8 = 1;
/// The first byte of a BLOB compressed with a dictionary trained on the
/// database's own descriptions; the frame header names which.
const ZSTD_TRAINED: u8 = 2;
/// zstd level: measured on the benchmark corpus, higher levels save a few
/// per cent for several times the CPU on the writer's thread.
const LEVEL: i32 = 3;
/// The largest description a stored BLOB may expand to (a corrupt length
/// never makes us allocate more).
const MAX_EXPANDED: usize = 64 << 20;

fn encoder_dict() -> &'static EncoderDictionary<'static> {
    static D: OnceLock<EncoderDictionary<'static>> = OnceLock::new();
    D.get_or_init(|| EncoderDictionary::copy(DICT, LEVEL))
}

fn decoder_dict() -> &'static DecoderDictionary<'static> {
    static D: OnceLock<DecoderDictionary<'static>> = OnceLock::new();
    D.get_or_init(|| DecoderDictionary::copy(DICT))
}

pub(crate) use train::{Policy, Trainer, first_training_in, maintain};

/// A dictionary trained on one database's descriptions, prepared for both
/// directions. Entries live as long as the process: a process meets few
/// (one per training, a training per tenfold growth of a store).
pub(crate) struct Trained {
    id: u32,
    bytes: Vec<u8>,
    encoder: EncoderDictionary<'static>,
    decoder: DecoderDictionary<'static>,
}

impl std::fmt::Debug for Trained {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Trained")
            .field("id", &self.id)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

impl Trained {
    /// zstd's id of the dictionary.
    pub(crate) fn id(&self) -> u32 {
        self.id
    }
}

/// The dictionary a store compresses new descriptions with, shared with the
/// threads that prepare postings for its writer, so that they compress
/// before the writer's transaction rather than in it. The writer publishes
/// it at each transaction; a description compressed with one since replaced
/// is compressed again in the transaction.
#[derive(Clone, Debug, Default)]
pub struct CurrentDictionary(Arc<RwLock<Option<&'static Trained>>>);

impl CurrentDictionary {
    pub(crate) fn get(&self) -> Option<&'static Trained> {
        self.0.read().map_or(None, |d| *d)
    }

    pub(crate) fn set(&self, dict: Option<&'static Trained>) {
        if let Ok(mut d) = self.0.write() {
            *d = dict;
        }
    }
}

/// Every trained dictionary this process has met, by zstd dictionary id.
fn registry() -> &'static RwLock<HashMap<u32, &'static Trained>> {
    static R: OnceLock<RwLock<HashMap<u32, &'static Trained>>> = OnceLock::new();
    R.get_or_init(Default::default)
}

fn lookup(id: u32) -> Option<&'static Trained> {
    registry().read().ok()?.get(&id).copied()
}

/// Makes a trained dictionary known to this process (idempotent).
pub(crate) fn register(bytes: &[u8]) -> Result<&'static Trained, DescriptionError> {
    let id = zstd::zstd_safe::get_dict_id_from_dict(bytes)
        .ok_or(DescriptionError::Malformed)?
        .get();
    let mut map = registry()
        .write()
        .map_err(|_| DescriptionError::Malformed)?;
    if let Some(known) = map.get(&id) {
        // Ids are content hashes: the same id with other bytes would decode
        // garbage, so it is refused rather than trusted.
        return if known.bytes == bytes {
            Ok(known)
        } else {
            Err(DescriptionError::DictionaryClash(id))
        };
    }
    let t: &'static Trained = Box::leak(Box::new(Trained {
        id,
        bytes: bytes.to_vec(),
        encoder: EncoderDictionary::copy(bytes, LEVEL),
        decoder: DecoderDictionary::copy(bytes),
    }));
    map.insert(id, t);
    Ok(t)
}

/// Registers the trained dictionaries of the database behind `conn` that this
/// process has not met yet, and returns the newest, with which new
/// descriptions are compressed (`None`: none trained yet). One small query
/// when nothing is new: readers call it before decoding, so a dictionary
/// another process trained meanwhile is found.
pub(crate) fn load(conn: &Connection) -> Result<Option<&'static Trained>, super::StoreError> {
    let mut ids = conn.prepare_cached(
        "SELECT dict_id FROM description_dicts WHERE dict IS NOT NULL ORDER BY seq",
    )?;
    let ids = ids
        .query_map([], |r| r.get::<_, i64>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    let mut newest = None;
    for id in ids {
        let known = u32::try_from(id).ok().and_then(lookup);
        let t = match known {
            Some(t) => t,
            None => {
                let bytes: Vec<u8> = conn
                    .prepare_cached("SELECT dict FROM description_dicts WHERE dict_id = ?1")?
                    .query_row([id], |r| r.get(0))?;
                register(&bytes).map_err(|e| {
                    super::StoreError::Corrupt(format!("description dictionary {id}: {e}"))
                })?
            }
        };
        newest = Some(t);
    }
    Ok(newest)
}

thread_local! {
    // zstd contexts are costly to create; each thread keeps a decompressor.
    static DECOMPRESSOR: RefCell<Option<Decompressor<'static>>> = const { RefCell::new(None) };
}

/// Compressors not in use. A compressor holds about 2 MB of tables, and
/// descriptions are compressed on whichever blocking threads prepare a fetch
/// (up to `concurrency` at once, kept idle for a while): a compressor per
/// thread took 6–8 MB more at the peak of a cold ingest than this pool,
/// which holds as many as ever compressed at the same moment.
static COMPRESSORS: Mutex<Vec<Compressor<'static>>> = Mutex::new(Vec::new());

/// Why a stored description could not be read back.
#[derive(Debug, thiserror::Error)]
pub enum DescriptionError {
    /// The first byte names no encoding this jobhound knows.
    #[error("stored description has unknown encoding {0}")]
    UnknownEncoding(u8),
    /// The BLOB is shorter than its header says or otherwise cut.
    #[error("stored description is truncated or malformed")]
    Malformed,
    /// The frame names a trained dictionary this process has not loaded.
    #[error("stored description needs dictionary {0}, which the database does not hold")]
    UnknownDictionary(u32),
    /// Two different dictionaries with one id (a 1 in 2^31 chance).
    #[error("two description dictionaries share the id {0}")]
    DictionaryClash(u32),
    /// zstd failed.
    #[error("stored description: zstd: {0}")]
    Zstd(#[from] std::io::Error),
    /// The stored bytes are not UTF-8.
    #[error("stored description is not UTF-8")]
    NotUtf8,
}

/// The BLOB stored for a description (`None`: both forms are empty),
/// compressed with the trained dictionary `with`, else the shipped one.
pub fn encode(
    html: &str,
    text: &str,
    with: Option<&'static Trained>,
) -> std::io::Result<Option<Vec<u8>>> {
    if html.is_empty() && text.is_empty() {
        return Ok(None);
    }
    compress(&payload(html, text)?, with).map(Some)
}

/// What is compressed: the HTML's length (4 bytes, little endian), the
/// HTML, the text. Dictionaries are trained on the same layout.
fn payload(html: &str, text: &str) -> std::io::Result<Vec<u8>> {
    let len =
        u32::try_from(html.len()).map_err(|_| std::io::Error::other("description over 4 GiB"))?;
    let mut payload = Vec::with_capacity(4 + html.len() + text.len());
    payload.extend_from_slice(&len.to_le_bytes());
    payload.extend_from_slice(html.as_bytes());
    payload.extend_from_slice(text.as_bytes());
    Ok(payload)
}

/// A payload as a stored BLOB: the encoding byte, then the zstd frame.
fn compress(payload: &[u8], with: Option<&'static Trained>) -> std::io::Result<Vec<u8>> {
    let idle = COMPRESSORS.lock().ok().and_then(|mut idle| idle.pop());
    let mut c = match idle {
        Some(c) => c,
        None => Compressor::new(LEVEL)?,
    };
    let out = compress_with(&mut c, payload, with);
    if let Ok(mut idle) = COMPRESSORS.lock() {
        idle.push(c);
    }
    out
}

fn compress_with(
    c: &mut Compressor<'static>,
    payload: &[u8],
    with: Option<&'static Trained>,
) -> std::io::Result<Vec<u8>> {
    let tag = match with {
        Some(t) => {
            c.set_prepared_dictionary(&t.encoder)?;
            ZSTD_TRAINED
        }
        None => {
            c.set_prepared_dictionary(encoder_dict())?;
            ZSTD_DICT_1
        }
    };
    let frame = c.compress(payload)?;
    // Exactly sized: prepared descriptions wait in memory for the writer.
    let mut out = Vec::with_capacity(1 + frame.len());
    out.push(tag);
    out.extend_from_slice(&frame);
    Ok(out)
}

/// The HTML and the text a stored BLOB holds (`None` stored: both empty).
pub fn decode(blob: Option<&[u8]>) -> Result<(String, String), DescriptionError> {
    let Some(blob) = blob else {
        return Ok((String::new(), String::new()));
    };
    let payload = expand(blob)?;
    let (len, rest) = payload
        .split_first_chunk::<4>()
        .ok_or(DescriptionError::Malformed)?;
    let len = usize::try_from(u32::from_le_bytes(*len)).map_err(|_| DescriptionError::Malformed)?;
    if len > rest.len() {
        return Err(DescriptionError::Malformed);
    }
    let (html, text) = rest.split_at(len);
    let s = |b: &[u8]| String::from_utf8(b.to_vec()).map_err(|_| DescriptionError::NotUtf8);
    Ok((s(html)?, s(text)?))
}

/// The payload a stored BLOB compresses.
fn expand(blob: &[u8]) -> Result<Vec<u8>, DescriptionError> {
    let (&tag, frame) = blob.split_first().ok_or(DescriptionError::Malformed)?;
    let dict = match tag {
        ZSTD_DICT_1 => decoder_dict(),
        ZSTD_TRAINED => {
            let id = zstd::zstd_safe::get_dict_id_from_frame(frame)
                .ok_or(DescriptionError::Malformed)?
                .get();
            &lookup(id)
                .ok_or(DescriptionError::UnknownDictionary(id))?
                .decoder
        }
        _ => return Err(DescriptionError::UnknownEncoding(tag)),
    };
    let size = zstd::zstd_safe::get_frame_content_size(frame)
        .map_err(|_| DescriptionError::Malformed)?
        .and_then(|n| usize::try_from(n).ok())
        .filter(|&n| n <= MAX_EXPANDED)
        .ok_or(DescriptionError::Malformed)?;
    DECOMPRESSOR.with(|d| -> Result<Vec<u8>, DescriptionError> {
        let mut d = d.borrow_mut();
        let d = match &mut *d {
            Some(d) => d,
            None => d.insert(Decompressor::new()?),
        };
        d.set_prepared_dictionary(dict)?;
        Ok(d.decompress(frame, size)?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_come_back_byte_for_byte() {
        let html = "<p>Build <b>models</b> &amp; ship — naïve 日本</p>";
        let text = "Build models & ship — naïve 日本\n";
        let blob = encode(html, text, None)
            .expect("encode")
            .expect("not empty");
        assert_eq!(blob[0], ZSTD_DICT_1);
        let (h, t) = decode(Some(&blob)).expect("decode");
        assert_eq!((h.as_str(), t.as_str()), (html, text));
        // A text-only source: no HTML.
        let blob = encode("", text, None).expect("encode");
        assert_eq!(
            decode(blob.as_deref()).expect("decode"),
            (String::new(), text.into())
        );
    }

    #[test]
    fn an_empty_description_is_stored_as_null() {
        assert_eq!(encode("", "", None).expect("encode"), None);
        assert_eq!(
            decode(None).expect("decode"),
            (String::new(), String::new())
        );
    }

    #[test]
    fn a_typical_description_shrinks_to_a_fraction() {
        let item =
            "<li>Design, build and operate services that handle millions of requests per day</li>";
        let html = format!("<p>We are hiring.</p><ul>{}</ul>", item.repeat(20));
        let text = html.replace("<li>", "- ").replace("</li>", "\n");
        let blob = encode(&html, &text, None)
            .expect("encode")
            .expect("not empty");
        assert!(
            blob.len() * 10 < html.len() + text.len(),
            "{} bytes",
            blob.len()
        );
    }

    #[test]
    fn damaged_blobs_are_errors_not_panics() {
        let blob = encode("<p>x</p>", "x", None)
            .expect("encode")
            .expect("not empty");
        assert!(matches!(
            decode(Some(&[9, 1, 2])),
            Err(DescriptionError::UnknownEncoding(9))
        ));
        assert!(decode(Some(&[])).is_err());
        assert!(decode(Some(&blob[..blob.len() - 2])).is_err());
        assert!(decode(Some(&blob[..3])).is_err());
    }
}
