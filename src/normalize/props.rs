//! Property tests of the free-text parsers and cleaners: salaries and times
//! never panic on any input and only ever give sane values; cleaned text holds
//! no control or bidi characters. Case count: proptest's default
//! (256) or `PROPTEST_CASES`.

use chrono::{Datelike, TimeZone, Utc};
use proptest::prelude::*;

use super::text::{is_unsafe_char, tidy_lines};
use super::{fold_whitespace, from_epoch, parse_salary, parse_time, strip_unsafe};

/// Pieces salary text is made of, with the hostile ones.
fn salary_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{1,25}",
        "[0-9]{1,3}([,.' ][0-9]{3}){0,6}",
        "[0-9]{1,3}[kKmM]",
        Just("$".to_string()),
        Just("€".to_string()),
        Just("£".to_string()),
        Just("CHF ".to_string()),
        Just("USD".to_string()),
        Just(" - ".to_string()),
        Just("–".to_string()),
        Just(" to ".to_string()),
        Just("+".to_string()),
        Just("/hr".to_string()),
        Just(" per annum".to_string()),
        Just(" a month".to_string()),
        Just("from ".to_string()),
        Just("up to ".to_string()),
        Just("salary: ".to_string()),
        Just(" ".to_string()),
        Just("e308".to_string()),
        Just("NaN".to_string()),
        Just("inf".to_string()),
        any::<char>().prop_map(String::from),
    ]
}

proptest! {
    #[test]
    fn salaries_are_finite_ordered_and_positive(
        pieces in prop::collection::vec(salary_piece(), 0..16),
        noise in any::<String>(),
    ) {
        for text in [pieces.concat(), noise] {
            let Some(s) = parse_salary(&text) else { continue };
            prop_assert!(s.min.is_some() || s.max.is_some(), "{text:?}: {s:?}");
            for v in [s.min, s.max].into_iter().flatten() {
                prop_assert!(v.is_finite() && v > 0.0, "{text:?}: {s:?}");
            }
            if let (Some(min), Some(max)) = (s.min, s.max) {
                prop_assert!(min <= max, "{text:?}: {s:?}");
            }
        }
    }

    #[test]
    fn times_never_panic_and_stay_in_range(s in any::<String>(), digits in "[0-9]{1,30}", n in any::<i64>()) {
        let lo = Utc.with_ymd_and_hms(1970, 1, 1, 0, 0, 0).single().expect("epoch");
        for t in [parse_time(&s), parse_time(&digits), from_epoch(n)].into_iter().flatten() {
            prop_assert!(t > lo && t.year() < 3000, "{s:?} {digits:?} {n}: {t}");
        }
    }

    #[test]
    fn time_like_strings_never_panic(
        y in 0u32..100_000, mo in 0u32..20, d in 0u32..40, h in 0u32..30, mi in 0u32..70,
        zone in prop_oneof![Just(""), Just("Z"), Just("+14:00"), Just("-2359"), Just(" UTC"), Just("+99:99")],
    ) {
        for s in [
            format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:00{zone}"),
            format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:00{zone}"),
            format!("{y:04}-{mo:02}-{d:02}"),
            format!("Fri, {d:02} Nov {y} {h:02}:{mi:02}:00 GMT"),
        ] {
            let _ = parse_time(&s);
        }
    }
}

/// Text with terminal escapes, controls and bidi characters mixed in.
fn dirty_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-zA-Z ]{1,6}",
        Just("\u{1b}[".to_string()),
        Just("\u{1b}]".to_string()),
        Just("\u{1b}\\".to_string()),
        Just("\u{9b}".to_string()),
        Just("\u{9d}".to_string()),
        Just("\u{7}".to_string()),
        Just("\r\n".to_string()),
        Just("\t".to_string()),
        Just("31;1m".to_string()),
        Just("\u{202E}".to_string()),
        Just("\u{2067}".to_string()),
        Just("\u{200F}".to_string()),
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..20).prop_map(|p| p.concat())
}

proptest! {
    #[test]
    fn cleaned_text_holds_no_unsafe_chars(s in dirty_text()) {
        let stripped = strip_unsafe(&s);
        prop_assert!(!stripped.chars().any(is_unsafe_char), "{s:?} → {stripped:?}");
        let again = strip_unsafe(&stripped).into_owned();
        prop_assert_eq!(again.as_str(), stripped.as_ref(), "idempotent");
        for cleaned in [fold_whitespace(&s), tidy_lines(&s)] {
            prop_assert!(!cleaned.chars().any(is_unsafe_char), "{s:?} → {cleaned:?}");
        }
        prop_assert!(!fold_whitespace(&s).contains(['\n', '\t']));
    }
}
