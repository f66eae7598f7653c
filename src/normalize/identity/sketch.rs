//! The description sketch: a bottom-k sample of the hashes of a text's word
//! 3-grams, which estimates how much of one description another contains,
//! and its stored forms (`packed.rs`; the little-endian form of schemas 5–12).

/// How many of a description's smallest shingle hashes a sketch keeps.
pub const SKETCH_SIZE: usize = 64;

/// A bottom-k sketch of a description: the smallest hashes of its word
/// 3-grams, sorted. Two sketches estimate how much of the shorter text the
/// longer one contains ([`containment`]), which survives a board cutting the
/// text short, adding a header or footer, or reflowing it.
pub fn sketch(text: &str) -> Vec<u32> {
    // One pass, without a string per word or a list of word hashes: this
    // runs for every posting of every fetch. ASCII is read byte by byte;
    // other chars are decoded (and lower-cased) one at a time.
    let bytes = text.as_bytes();
    let mut grams: Vec<u32> = Vec::with_capacity(bytes.len() / 6);
    // The hashes of the two words before the current one, and how many
    // words have ended so far (a 3-gram needs three).
    let (mut before, mut last, mut words) = (0u64, 0u64, 0usize);
    let mut h: u64 = FNV64_OFFSET;
    let mut in_word = false;
    let mut end_word = |h: u64| {
        if words >= 2 {
            grams.push(gram(before, last, h));
        }
        words += 1;
        before = last;
        last = h;
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
            let folded = ASCII_WORD[usize::from(b)];
            if folded != 0 {
                h = fnv(h, folded);
                in_word = true;
                continue;
            }
        } else {
            // `i` is at a char boundary: it only ever moves by whole chars.
            let c = text[i..].chars().next().unwrap_or(' ');
            i += c.len_utf8();
            if c.is_alphanumeric() {
                for l in c.to_lowercase() {
                    let mut buf = [0u8; 4];
                    for &b in l.encode_utf8(&mut buf).as_bytes() {
                        h = fnv(h, b);
                    }
                }
                in_word = true;
                continue;
            }
        }
        if in_word {
            end_word(h);
            h = FNV64_OFFSET;
            in_word = false;
        }
    }
    if in_word {
        end_word(h);
    }
    smallest_distinct(grams, SKETCH_SIZE)
}

/// Each ASCII byte lower-cased if it is a letter or digit, else 0: one load
/// per byte instead of the range tests.
const ASCII_WORD: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            table[b] = c.to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

/// One FNV-1a step.
fn fnv(h: u64, b: u8) -> u64 {
    (h ^ u64::from(b)).wrapping_mul(FNV64_PRIME)
}

/// The hash of a word 3-gram, from its words' hashes.
fn gram(a: u64, b: u64, c: u64) -> u32 {
    let m = a
        .rotate_left(21)
        .wrapping_mul(FNV64_PRIME)
        .wrapping_add(b.rotate_left(42))
        .wrapping_mul(FNV64_PRIME)
        .wrapping_add(c);
    // Fold the high bits in: the low ones of a product mix poorly.
    ((m ^ (m >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9) >> 32) as u32
}

/// The `k` smallest distinct values of `v`, sorted. Most descriptions have
/// hundreds of shingles: the smallest few are picked out in linear time and
/// only they are sorted; the whole list only when repeats leave too few.
pub(super) fn smallest_distinct(mut v: Vec<u32>, k: usize) -> Vec<u32> {
    let head = 2 * k;
    if v.len() > head {
        // Everything before index `head` is at most v[head], everything after
        // at least: if the head holds k distinct values, they are the k smallest.
        v.select_nth_unstable(head);
        let mut first: Vec<u32> = v[..=head].to_vec();
        first.sort_unstable();
        first.dedup();
        if first.len() >= k {
            first.truncate(k);
            return first;
        }
    }
    v.sort_unstable();
    v.dedup();
    v.truncate(k);
    v
}

const FNV64_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV64_PRIME: u64 = 0x0000_0100_0000_01b3;

/// The fewest shingles a description needs for its sketch to say anything.
pub const SKETCH_MIN: usize = 12;

/// Estimates the share of the smaller description's word 3-grams found in the
/// other, from two sketches; `None` when either is too short to tell.
pub fn containment(a: &[u32], b: &[u32]) -> Option<f64> {
    if a.len() < SKETCH_MIN || b.len() < SKETCH_MIN {
        return None;
    }
    // Compare only below both sketches' thresholds: there, a hash absent
    // from a full sketch is absent from its text.
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let limit = large.last().copied().unwrap_or(0);
    let limit = if small.len() < SKETCH_SIZE {
        limit
    } else {
        limit.min(small.last().copied().unwrap_or(0))
    };
    let sample: Vec<u32> = small.iter().copied().filter(|&h| h <= limit).collect();
    if sample.len() < SKETCH_MIN / 2 {
        return Some(0.0);
    }
    let shared = sample
        .iter()
        .filter(|h| large.binary_search(h).is_ok())
        .count();
    Some(shared as f64 / sample.len() as f64)
}

/// A sketch as stored ([`packed`]: Rice-coded gaps).
pub fn sketch_bytes(sketch: &[u32]) -> Vec<u8> {
    super::packed::pack(sketch)
}

/// The inverse of [`sketch_bytes`]; stored bytes that are not a sketch give
/// an empty one (which joins nothing by content).
pub fn sketch_from_bytes(bytes: &[u8]) -> Vec<u32> {
    super::packed::unpack(bytes).unwrap_or_default()
}

/// A sketch as schemas 5 to 12 stored it: little-endian u32s (the migrations
/// that write or convert that form use these).
pub(crate) fn sketch_bytes_le(sketch: &[u32]) -> Vec<u8> {
    sketch.iter().flat_map(|h| h.to_le_bytes()).collect()
}

/// The inverse of [`sketch_bytes_le`]; trailing odd bytes are ignored.
pub(crate) fn sketch_from_le(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}
