//! How a sketch is stored: the gaps between its sorted hashes, Rice-coded.
//! A bottom-k sketch of a few hundred shingles keeps hashes spread evenly
//! below a threshold, so its gaps are of one size: Rice coding with that
//! size's bit count stores 64 hashes in about 207 bytes instead of 256
//! (delta + varint would save 6; BENCHMARKS.md, 6a). Lossless: identity
//! compares exactly the hashes it computed.
//!
//! Layout: the number of hashes (one byte: a sketch keeps at most
//! `SKETCH_SIZE`), one byte `k`, then per hash its gap to the previous (the
//! first: to zero) as `gap >> k` one-bits, a zero-bit, and the low `k` bits
//! of the gap, most significant bit first; the last byte is padded with
//! zeros. No bytes for an empty sketch.

/// The stored bytes of a sketch (its hashes as a set: sorted, at most 255).
pub fn pack(sketch: &[u32]) -> Vec<u8> {
    let mut sorted = sketch.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    sorted.truncate(usize::from(u8::MAX));
    let sketch = sorted;
    let Some(&last) = sketch.last() else {
        return Vec::new();
    };
    // The mean gap's bit count (the gaps add up to the last hash).
    let mean = u64::from(last) / sketch.len() as u64;
    let k = if mean == 0 { 0 } else { mean.ilog2() };
    let mut w = Bits {
        // The header, then about k + 2 bits per hash.
        out: Vec::with_capacity(2 + sketch.len() * (k as usize + 2) / 8 + 1),
        ..Bits::default()
    };
    w.out.push(sketch.len() as u8);
    w.out.push(k as u8);
    let mut prev = 0u32;
    for &h in &sketch {
        let gap = h.wrapping_sub(prev);
        prev = h;
        let mut ones = gap >> k;
        while ones >= 32 {
            w.put(u32::MAX.into(), 32);
            ones -= 32;
        }
        // `ones` one-bits and the zero that ends them, then the low k bits.
        w.put(((1u64 << ones) - 1) << 1, ones + 1);
        w.put(u64::from(gap) & ((1u64 << k) - 1), k);
    }
    w.finish()
}

/// The sketch stored as `bytes` ([`pack`]); `None` when they are not a
/// sketch (cut short, or gaps past `u32`).
pub fn unpack(bytes: &[u8]) -> Option<Vec<u32>> {
    let [n, k, rest @ ..] = bytes else {
        return bytes.is_empty().then(Vec::new);
    };
    let k = u32::from(*k);
    if k > 31 {
        return None;
    }
    let total = rest.len().checked_mul(8)?;
    let mut i = 0usize;
    let mut next = || -> Option<bool> {
        let b = rest.get(i / 8)? >> (7 - i % 8) & 1 == 1;
        i += 1;
        (i <= total).then_some(b)
    };
    let mut out = Vec::with_capacity(usize::from(*n));
    let mut prev = 0u32;
    for _ in 0..*n {
        let mut q = 0u32;
        while next()? {
            q = q.checked_add(1)?;
        }
        let mut low = 0u32;
        for _ in 0..k {
            low = low << 1 | u32::from(next()?);
        }
        let gap = q.checked_shl(k).filter(|g| g >> k == q)?.checked_add(low)?;
        prev = prev.checked_add(gap)?;
        out.push(prev);
    }
    Some(out)
}

/// A bit writer, most significant bit first.
#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    /// Bits not yet written out: the low `pending` bits.
    acc: u64,
    pending: u32,
}

impl Bits {
    /// Appends the low `width` (at most 32) bits of `value`.
    fn put(&mut self, value: u64, width: u32) {
        debug_assert!(width <= 32 && self.pending < 8);
        self.acc = self.acc << width | value;
        self.pending += width;
        while self.pending >= 8 {
            self.pending -= 8;
            self.out.push((self.acc >> self.pending) as u8);
        }
        self.acc &= (1u64 << self.pending) - 1;
    }

    /// The bytes, the last one padded with zeros.
    fn finish(mut self) -> Vec<u8> {
        if self.pending > 0 {
            self.out.push((self.acc << (8 - self.pending)) as u8);
        }
        self.out
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{pack, unpack};
    use crate::normalize::identity::sketch;

    #[test]
    fn sketches_come_back_exactly_and_smaller() {
        let text = "We are looking for a machine learning engineer to build and operate the \
                    ranking models behind our search, from feature pipelines to online serving, \
                    working with product and infrastructure teams across Europe every day. "
            .repeat(6);
        let full = sketch(&text);
        let cases: Vec<Vec<u32>> = vec![
            Vec::new(),
            vec![0],
            vec![0, 1, 2, 3],
            vec![u32::MAX],
            vec![0, u32::MAX],
            vec![7, 1 << 31, u32::MAX - 1, u32::MAX],
            full.clone(),
        ];
        for c in cases {
            let bytes = pack(&c);
            assert_eq!(unpack(&bytes), Some(c.clone()), "{c:?} as {bytes:?}");
        }
        assert!(full.len() >= 12, "{}", full.len());
        assert!(pack(&full).len() < full.len() * 4, "{}", pack(&full).len());
    }

    #[test]
    fn the_layout_is_the_documented_one() {
        // k = ilog2(900 / 2) = 8; gap 5: "0" 00000101; gap 895: "1110" 01111111.
        assert_eq!(
            pack(&[900, 5]),
            [2, 8, 0b0000_0010, 0b1111_0011, 0b1111_1000]
        );
        // A run of ones longer than a word: k = ilog2(200 / 31) = 2, and
        // the gap of 171 after 29 is 42 ones.
        let skewed: Vec<u32> = (0..30).chain([200]).collect();
        assert_eq!(unpack(&pack(&skewed)), Some(skewed));
    }

    #[test]
    fn damaged_bytes_are_refused_not_misread() {
        let bytes = pack(&[5, 900, 70_000, 1 << 30]);
        assert_eq!(unpack(&bytes[..bytes.len() - 1]), None, "cut short");
        assert_eq!(unpack(&[1]), None, "no k");
        assert_eq!(unpack(&[1, 40, 0]), None, "k past 31");
        assert_eq!(unpack(&[64, 0, 0xff, 0xff]), None, "unary runs off the end");
        // Gaps adding up past u32::MAX.
        assert_eq!(
            unpack(&[2, 31, 0xff, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xfe]),
            None
        );
    }

    proptest! {
        #[test]
        fn any_set_of_hashes_round_trips(mut v in proptest::collection::vec(any::<u32>(), 0..200)) {
            v.sort_unstable();
            v.dedup();
            prop_assert_eq!(unpack(&pack(&v)), Some(v));
        }

        #[test]
        fn bottom_k_sketches_take_at_most_234_bytes(
            mut v in proptest::collection::vec(any::<u32>(), 64..2000)
        ) {
            v.sort_unstable();
            v.dedup();
            v.truncate(64);
            prop_assert!(pack(&v).len() <= 234, "{}", pack(&v).len());
        }
    }
}
