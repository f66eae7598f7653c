//! Eight bytes at a time over what both writers copy as it is: printable
//! ASCII and single spaces between words. A writer's byte loop asks
//! [`copied_as_is`] before looking at a byte; where it says yes, the loop
//! would have let all eight bytes through one by one.

const ONES: u64 = u64::from_le_bytes([0x01; 8]);
const HIGH: u64 = u64::from_le_bytes([0x80; 8]);

/// The high bit of each byte of `x` that equals `c` (`x` is 7-bit: no
/// carry crosses a byte, so every flag is exact).
fn equal(x: u64, c: u8) -> u64 {
    let y = x ^ (ONES * u64::from(c));
    !(((y & !HIGH) + !HIGH) | y) & HIGH
}

/// Whether a writer's byte loop lets each of the 8 bytes at `at` through:
/// each is printable ASCII (0x21–0x7e, and not `&<>"'` when `ESCAPED`), or a
/// space with a printable byte after it and, before it, a byte of the
/// current run (`in_run`: the run holds the byte before `at`).
pub(super) fn copied_as_is<const ESCAPED: bool>(bytes: &[u8], at: usize, in_run: bool) -> bool {
    let Some(chunk) = bytes.get(at..at + 8) else {
        return false;
    };
    let mut word = [0u8; 8];
    word.copy_from_slice(chunk);
    let x = u64::from_le_bytes(word);
    if x & HIGH != 0 {
        return false;
    }
    // Below 0x20, adding 0x60 leaves a byte's high bit clear.
    let mut odd = !(x + ONES * 0x60) & HIGH | equal(x, 0x7f);
    if ESCAPED {
        for c in *b"&<>\"'" {
            odd |= equal(x, c);
        }
    }
    if odd != 0 {
        return false;
    }
    let spaces = equal(x, b' ');
    let first = 0x80;
    let last = 0x80 << 56;
    spaces & (spaces << 8) == 0
        && (spaces & first == 0 || in_run)
        && (spaces & last == 0 || bytes.get(at + 8).is_some_and(|n| (0x21..0x7f).contains(n)))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::copied_as_is;

    /// The byte rule of the writers' loops, one byte at a time.
    fn lets_through(bytes: &[u8], i: usize, in_run: bool, escaped: bool) -> bool {
        let b = bytes[i];
        let printable = (0x21..0x7f).contains(&b);
        let special = matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'');
        let word_gap =
            b == b' ' && in_run && bytes.get(i + 1).is_some_and(|n| (0x21..0x7f).contains(n));
        (printable && !(escaped && special)) || word_gap
    }

    /// What the byte loop does over the 8 bytes at `at`: every byte let
    /// through (each one joins the run, so the next is in it).
    fn loop_lets_all_through(bytes: &[u8], at: usize, in_run: bool, escaped: bool) -> bool {
        at + 8 <= bytes.len()
            && (at..at + 8).all(|i| lets_through(bytes, i, in_run || i > at, escaped))
    }

    fn text() -> impl Strategy<Value = Vec<u8>> {
        let byte = prop_oneof![
            6 => 0x21u8..0x7f,
            3 => Just(b' '),
            1 => prop_oneof![Just(b'&'), Just(b'<'), Just(b'"'), Just(b'\''), Just(b'>')],
            1 => prop_oneof![Just(b'\n'), Just(b'\t'), Just(0x7f), Just(0x00), Just(0x1f)],
            1 => 0x80u8..=0xff,
        ];
        prop::collection::vec(byte, 0..24)
    }

    proptest! {
        #[test]
        fn eight_at_a_time_agrees_with_the_byte_loop(
            bytes in text(),
            at in 0usize..24,
            in_run in any::<bool>(),
        ) {
            prop_assert_eq!(
                copied_as_is::<false>(&bytes, at, in_run),
                loop_lets_all_through(&bytes, at, in_run, false)
            );
            prop_assert_eq!(
                copied_as_is::<true>(&bytes, at, in_run),
                loop_lets_all_through(&bytes, at, in_run, true)
            );
        }
    }

    #[test]
    fn prose_goes_through_and_the_rest_does_not() {
        let prose = b"We build models for search and ranking.";
        assert!(copied_as_is::<true>(prose, 0, false));
        assert!(copied_as_is::<true>(prose, 2, true));
        assert!(
            !copied_as_is::<true>(prose, 2, false),
            "a space first needs a run"
        );
        assert!(!copied_as_is::<false>(b"two  spaces here", 0, false));
        assert!(!copied_as_is::<true>(b"R&D team", 0, false));
        assert!(copied_as_is::<false>(b"R&D team", 0, false));
        assert!(!copied_as_is::<false>(b"caf\xc3\xa9 ok", 0, false));
        assert!(!copied_as_is::<false>(b"line\nbreak", 0, false));
        assert!(copied_as_is::<false>(b"eight ch", 0, false));
        assert!(
            !copied_as_is::<false>(b"sevench ", 0, false),
            "a space last needs a word after"
        );
        assert!(copied_as_is::<false>(b"sevench x", 0, false));
        assert!(!copied_as_is::<false>(b"short", 0, false));
    }
}
