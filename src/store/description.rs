//! How a posting's description is stored: one BLOB holding the sanitized HTML
//! and the plain text together, compressed with zstd and a dictionary trained
//! on the job descriptions in `fixtures/` (compiled in: `description.dict`).
//!
//! - Both forms are kept: the plain text comes from the source's own
//!   HTML-to-text pass (or is all a text-only source gives), and `show`, the
//!   JSON `text` field, search and mail must return it byte for byte. In one
//!   frame the text costs little: most of it repeats words of the HTML
//!   just before it, which zstd finds as matches.
//! - A shipped dictionary rather than one trained per database: nothing to
//!   train, store or keep in step with old rows, and every posting is readable
//!   by itself. The first byte names the encoding, so another (a per-database
//!   dictionary) can be added later without touching stored rows.
//! - Layout of the decompressed payload: the HTML's length as 4 bytes little
//!   endian, the HTML, then the text. Both empty is stored as NULL.

use std::cell::RefCell;
use std::sync::OnceLock;

use zstd::bulk::{Compressor, Decompressor};
use zstd::dict::{DecoderDictionary, EncoderDictionary};

/// The dictionary (trained with `zstd --train` on the descriptions in fixtures/).
const DICT: &[u8] = include_bytes!("description.dict");
/// The first byte of a BLOB compressed with [`DICT`].
const ZSTD_DICT_1: u8 = 1;
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

thread_local! {
    // zstd contexts are costly to create; each thread keeps one of each.
    static COMPRESSOR: RefCell<Option<Compressor<'static>>> = const { RefCell::new(None) };
    static DECOMPRESSOR: RefCell<Option<Decompressor<'static>>> = const { RefCell::new(None) };
}

/// Why a stored description could not be read back.
#[derive(Debug, thiserror::Error)]
pub enum DescriptionError {
    /// The first byte names no encoding this jobhound knows.
    #[error("stored description has unknown encoding {0}")]
    UnknownEncoding(u8),
    /// The BLOB is shorter than its header says or otherwise cut.
    #[error("stored description is truncated or malformed")]
    Malformed,
    /// zstd failed.
    #[error("stored description: zstd: {0}")]
    Zstd(#[from] std::io::Error),
    /// The stored bytes are not UTF-8.
    #[error("stored description is not UTF-8")]
    NotUtf8,
}

/// The BLOB stored for a description (`None`: both forms are empty).
pub fn encode(html: &str, text: &str) -> std::io::Result<Option<Vec<u8>>> {
    if html.is_empty() && text.is_empty() {
        return Ok(None);
    }
    let len =
        u32::try_from(html.len()).map_err(|_| std::io::Error::other("description over 4 GiB"))?;
    let mut payload = Vec::with_capacity(4 + html.len() + text.len());
    payload.extend_from_slice(&len.to_le_bytes());
    payload.extend_from_slice(html.as_bytes());
    payload.extend_from_slice(text.as_bytes());
    COMPRESSOR.with(|c| {
        let mut c = c.borrow_mut();
        let c = match &mut *c {
            Some(c) => c,
            None => c.insert(Compressor::with_prepared_dictionary(encoder_dict())?),
        };
        let mut out = Vec::with_capacity(1 + zstd::zstd_safe::compress_bound(payload.len()));
        out.push(ZSTD_DICT_1);
        let frame = c.compress(&payload)?;
        out.extend_from_slice(&frame);
        Ok(Some(out))
    })
}

/// The HTML and the text a stored BLOB holds (`None` stored: both empty).
pub fn decode(blob: Option<&[u8]>) -> Result<(String, String), DescriptionError> {
    let Some(blob) = blob else {
        return Ok((String::new(), String::new()));
    };
    let (&tag, frame) = blob.split_first().ok_or(DescriptionError::Malformed)?;
    if tag != ZSTD_DICT_1 {
        return Err(DescriptionError::UnknownEncoding(tag));
    }
    let size = zstd::zstd_safe::get_frame_content_size(frame)
        .map_err(|_| DescriptionError::Malformed)?
        .and_then(|n| usize::try_from(n).ok())
        .filter(|&n| n <= MAX_EXPANDED)
        .ok_or(DescriptionError::Malformed)?;
    let payload = DECOMPRESSOR.with(|d| -> Result<Vec<u8>, DescriptionError> {
        let mut d = d.borrow_mut();
        let d = match &mut *d {
            Some(d) => d,
            None => d.insert(Decompressor::with_prepared_dictionary(decoder_dict())?),
        };
        Ok(d.decompress(frame, size)?)
    })?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_come_back_byte_for_byte() {
        let html = "<p>Build <b>models</b> &amp; ship — naïve 日本</p>";
        let text = "Build models & ship — naïve 日本\n";
        let blob = encode(html, text).expect("encode").expect("not empty");
        assert_eq!(blob[0], ZSTD_DICT_1);
        let (h, t) = decode(Some(&blob)).expect("decode");
        assert_eq!((h.as_str(), t.as_str()), (html, text));
        // A text-only source: no HTML.
        let blob = encode("", text).expect("encode");
        assert_eq!(
            decode(blob.as_deref()).expect("decode"),
            (String::new(), text.into())
        );
    }

    #[test]
    fn an_empty_description_is_stored_as_null() {
        assert_eq!(encode("", "").expect("encode"), None);
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
        let blob = encode(&html, &text).expect("encode").expect("not empty");
        assert!(
            blob.len() * 10 < html.len() + text.len(),
            "{} bytes",
            blob.len()
        );
    }

    #[test]
    fn damaged_blobs_are_errors_not_panics() {
        let blob = encode("<p>x</p>", "x").expect("encode").expect("not empty");
        assert!(matches!(
            decode(Some(&[9, 1, 2])),
            Err(DescriptionError::UnknownEncoding(9))
        ));
        assert!(decode(Some(&[])).is_err());
        assert!(decode(Some(&blob[..blob.len() - 2])).is_err());
        assert!(decode(Some(&blob[..3])).is_err());
    }
}
