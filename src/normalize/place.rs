//! Where the work happens: location strings and the remote/hybrid/on-site flag.
//!
//! Input: free-text locations as sources write them ("Remote (US)", "Hybrid -
//! London", "Petah Tikva, , Israel"). Output: a cleaned location, and a
//! [`Workplace`] read from text when no source field says.

use crate::model::Workplace;

use super::text::fold_whitespace;

/// Phrases that rule remote work out; they win over everything else.
const NOT_REMOTE: &[&str] = &[
    "not remote",
    "no remote",
    "non-remote",
    "non remote",
    "not a remote",
    "not fully remote",
    "remote not possible",
    "remote: no",
];

/// Phrases that say the job can be done from anywhere (or from home).
const REMOTE: &[&str] = &[
    "remote",
    "anywhere",
    "worldwide",
    "work from home",
    "work-from-home",
    "wfh",
    "telecommut",
    "home-based",
    "home based",
];

/// Phrases that say the job is in the office.
const ONSITE: &[&str] = &[
    "on-site",
    "onsite",
    "on site",
    "in office",
    "in-office",
    "office-based",
    "office based",
    "in person",
    "in-person",
];

/// Phrases that offer remote as an alternative to a hybrid arrangement.
const REMOTE_OPTION: &[&str] = &[
    "or remote",
    "remote or",
    "or fully remote",
    "/remote",
    "remote/",
];

/// Reads remote/hybrid/on-site from free text; `Unknown` when nothing says.
///
/// When the text offers remote as an option ("NYC or remote") the job counts as
/// remote: someone who wants to work remotely can take it. "Hybrid" beats a bare
/// "remote" ("Hybrid remote", "Remote (hybrid)") unless remote is offered as an
/// alternative ("Hybrid or remote"). Explicit negations ("no remote") mean on-site.
pub fn workplace_from_text(s: &str) -> Workplace {
    if s.trim().is_empty() {
        return Workplace::Unknown;
    }
    let lower = s.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| contains_word(&lower, w));
    if has(NOT_REMOTE) {
        return Workplace::Onsite;
    }
    let remote = has(REMOTE);
    if lower.contains("hybrid") && !(remote && has(REMOTE_OPTION)) {
        return Workplace::Hybrid;
    }
    if remote {
        return Workplace::Remote;
    }
    if has(ONSITE) {
        return Workplace::Onsite;
    }
    Workplace::Unknown
}

/// Trims, folds spaces, drops empty comma-separated parts ("Cammeray, " →
/// "Cammeray", "Petah Tikva, , Israel" → "Petah Tikva, Israel"); `None` if empty.
pub fn clean_location(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    for part in s.split(',') {
        let part = fold_whitespace(part);
        if part.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(&part);
    }
    (!out.is_empty()).then_some(out)
}

/// `needle` occurs in `haystack` not glued to a letter on its left, so that
/// "wfh" does not match inside a word; a suffix ("remotely") is fine.
///
/// The leftmost non-overlapping matches, like `match_indices`, found by a
/// plain scan: the haystacks are a location or a title's bracket, and
/// setting up a substring searcher for each of a few dozen needles cost more
/// than comparing those few bytes. A match starts at a char boundary, since
/// `needle` starts with a whole char.
fn contains_word(haystack: &str, needle: &str) -> bool {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    let Some(&first) = n.first() else {
        return true;
    };
    let mut i = 0;
    while i + n.len() <= h.len() {
        if h[i] == first && h[i..].starts_with(n) {
            let glued = haystack[..i]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
            if !glued {
                return true;
            }
            i += n.len();
        } else {
            i += 1;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workplace_from_text_reads_common_phrasings() {
        use Workplace::*;
        let cases = [
            ("", Unknown),
            ("   ", Unknown),
            ("Remote (US)", Remote),
            ("Remote job", Remote),
            ("REMOTE", Remote),
            ("Remote-first", Remote),
            ("Fully remote, EU timezones", Remote),
            ("Anywhere in the World", Remote),
            ("Worldwide", Remote),
            ("New York, NY; Remote - US", Remote),
            ("NYC or remote", Remote),
            ("Work from home", Remote),
            ("WFH", Remote),
            ("Hybrid - London", Hybrid),
            ("London (Hybrid)", Hybrid),
            ("Hybrid remote", Hybrid),
            ("Hybrid or remote", Remote),
            ("On-site", Onsite),
            ("Onsite (Pine Bluff or Colborne)", Onsite),
            ("In office", Onsite),
            ("In-person, Austin TX", Onsite),
            ("not remote", Onsite),
            ("No remote work, Munich office", Onsite),
            ("Non-remote", Onsite),
            ("Berlin, Germany", Unknown),
            ("San Francisco ", Unknown),
            ("Remotely possible", Remote),
        ];
        for (input, want) in cases {
            assert_eq!(workplace_from_text(input), want, "input {input:?}");
        }
    }

    #[test]
    fn contains_word_finds_what_match_indices_finds() {
        let by_matches = |h: &str, n: &str| {
            h.match_indices(n).any(|(i, _)| {
                !h[..i]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric)
            })
        };
        let haystacks = [
            "",
            "remote",
            "ré-remote",
            "éremote remote",
            "aremote",
            "no remote, not remote",
            "oror remote",
            "Zürich/remote/",
            "日本remote",
            "x remotely",
        ];
        let needles = [
            "remote",
            "or remote",
            "/remote",
            "remote/",
            "re",
            "é",
            "日本",
            "",
        ];
        for h in haystacks {
            for n in needles {
                assert_eq!(contains_word(h, n), by_matches(h, n), "{h:?} {n:?}");
            }
        }
    }

    #[test]
    fn clean_location_drops_empty_parts() {
        let cases = [
            ("", None),
            ("   ", None),
            (", ,", None),
            ("San Francisco ", Some("San Francisco")),
            ("Cammeray, ", Some("Cammeray")),
            ("Petah Tikva, , Israel", Some("Petah Tikva, Israel")),
            (
                "LATAM,  Hong Kong,  Mexico",
                Some("LATAM, Hong Kong, Mexico"),
            ),
            ("  New   York,NY ", Some("New York, NY")),
            ("Remote\u{a0}- US", Some("Remote - US")),
        ];
        for (input, want) in cases {
            assert_eq!(clean_location(input).as_deref(), want, "input {input:?}");
        }
    }
}
