//! Cuts salary text into tokens and recognizes pay-period markers.
//!
//! Input: free text. Output: numbers (thousand separators and decimal commas
//! resolved, `k` and million marks noted), currency codes, dashes, words and
//! punctuation, each borrowing from the input.

use crate::model::SalaryPeriod;

/// The currency mark of a bare "$": USD unless an ISO code says otherwise.
pub(super) const DOLLAR: &str = "$";

/// One token of salary text.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok<'a> {
    /// A number; `k` if written "150k", `big` if written "20M"/"2B".
    Num {
        value: f64,
        k: bool,
        big: bool,
    },
    /// An ISO 4217 code, or [`DOLLAR`].
    Cur(&'static str),
    /// A range dash: "-", "–", "—".
    Dash,
    Slash,
    Plus,
    Percent,
    /// A run of letters, as written.
    Word(&'a str),
    /// Any other visible char.
    Punct(char),
}

impl Tok<'_> {
    /// The token is the word `w`, ignoring ASCII case.
    pub(super) fn is_word(&self, w: &str) -> bool {
        matches!(self, Tok::Word(x) if x.eq_ignore_ascii_case(w))
    }

    /// The token closes the phrase a figure belongs to: a new figure, a range, or
    /// the end of a sentence or list item.
    pub(super) fn ends_phrase(&self) -> bool {
        matches!(
            self,
            Tok::Num { .. } | Tok::Dash | Tok::Punct('.' | ';' | '•' | '|' | '!' | '?')
        )
    }
}

/// ISO codes read as currencies when written as a word (any case).
const CODES: &[&str] = &[
    "USD", "EUR", "GBP", "CHF", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF",
    "INR", "JPY", "SGD", "HKD", "BRL", "MXN", "ZAR", "ILS", "AED",
];

/// Letters written right before "$" ("CA$120k") and the currency they make.
const DOLLAR_PREFIXES: &[(&str, &str)] = &[
    ("CA", "CAD"),
    ("C", "CAD"),
    ("A", "AUD"),
    ("AU", "AUD"),
    ("US", "USD"),
    ("NZ", "NZD"),
    ("S", "SGD"),
    ("SG", "SGD"),
    ("HK", "HKD"),
    ("R", "BRL"),
    ("MX", "MXN"),
];

/// Splits `text` into tokens.
pub(super) fn tokens(text: &str) -> Vec<Tok<'_>> {
    let mut toks = Vec::new();
    // Where the previous token ended, to see whether "CA" is glued to "$".
    let mut prev_end = usize::MAX;
    let mut i = 0;
    while let Some(c) = text[i..].chars().next() {
        let start = i;
        i += c.len_utf8();
        let tok = match c {
            c if c.is_whitespace() => continue,
            '0'..='9' => {
                let (tok, used) = number(&text[start..]);
                i = start + used;
                tok
            }
            c if c.is_alphabetic() => {
                let len = text[start..]
                    .find(|c: char| !c.is_alphabetic())
                    .unwrap_or(text.len() - start);
                i = start + len;
                word(&text[start..i])
            }
            '$' => {
                let glued = match toks.last() {
                    Some(Tok::Word(w)) if prev_end == start => DOLLAR_PREFIXES
                        .iter()
                        .find(|(p, _)| p == w)
                        .map(|(_, c)| *c),
                    _ => None,
                };
                if glued.is_some() {
                    toks.pop();
                }
                Tok::Cur(glued.unwrap_or(DOLLAR))
            }
            '€' => Tok::Cur("EUR"),
            '£' => Tok::Cur("GBP"),
            '¥' => Tok::Cur("JPY"),
            '₹' => Tok::Cur("INR"),
            '-' | '–' | '—' | '‒' | '−' => Tok::Dash,
            '/' => Tok::Slash,
            '+' => Tok::Plus,
            '%' => Tok::Percent,
            c => Tok::Punct(c),
        };
        toks.push(tok);
        prev_end = i;
    }
    toks
}

fn word(w: &str) -> Tok<'_> {
    if let Some(code) = CODES.iter().find(|c| c.eq_ignore_ascii_case(w)) {
        return Tok::Cur(code);
    }
    if w.eq_ignore_ascii_case("euro") || w.eq_ignore_ascii_case("euros") {
        return Tok::Cur("EUR");
    }
    Tok::Word(w)
}

/// Reads a number at the start of `s` (which starts with a digit): the token and
/// how many bytes it used.
///
/// A separator (`,` `.` `'` `’` or a space) followed by exactly three digits groups
/// thousands ("150,000", "80.000", "120'000", "80 000"); a `,` or `.` followed
/// by one or two digits is a decimal point ("31,2k", "18.50").
fn number(s: &str) -> (Tok<'static>, usize) {
    let b = s.as_bytes();
    let digits_from = |at: usize| {
        b[at.min(b.len())..]
            .iter()
            .take_while(|d| d.is_ascii_digit())
            .count()
    };
    let mut i = digits_from(0);
    let mut int: f64 = s[..i].parse().unwrap_or(0.0);
    let mut value = int;
    while let Some(sep) = s[i..].chars().next() {
        if !matches!(
            sep,
            ',' | '.' | '\'' | '’' | ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}'
        ) {
            break;
        }
        let after = i + sep.len_utf8();
        let n = digits_from(after);
        if n == 3 {
            int = int * 1000.0 + s[after..after + 3].parse().unwrap_or(0.0);
            value = int;
            i = after + 3;
        } else if matches!(sep, ',' | '.') && (1..=2).contains(&n) {
            let frac: f64 = s[after..after + n].parse().unwrap_or(0.0);
            // One exact division, so that "31,2" is the same f64 as 31.2.
            let scale = if n == 1 { 10.0 } else { 100.0 };
            value = (int * scale + frac) / scale;
            i = after + n;
            break;
        } else {
            break;
        }
    }

    // A suffix letter counts only when no other letter follows ("150k", not "150km").
    let suffix = b.get(i).copied();
    let lone = !b.get(i + 1).is_some_and(u8::is_ascii_alphabetic);
    let (k, big, used) = match suffix {
        Some(b'k' | b'K') if lone => (true, false, i + 1),
        Some(b'm' | b'M' | b'b' | b'B') if lone => (false, true, i + 1),
        _ => (false, false, i),
    };
    (Tok::Num { value, k, big }, used)
}

/// A pay-period marker starting at token `j`: the period and how many tokens it uses.
/// "/hr", "/month", "per hour", "an hour", "a year", "per annum", "hourly", "p.a.".
pub(super) fn period_at(toks: &[Tok<'_>], j: usize) -> Option<(SalaryPeriod, usize)> {
    let t = toks.get(j)?;
    if matches!(t, Tok::Slash) {
        return Some((unit(toks.get(j + 1)?)?, 2));
    }
    if ["per", "a", "an"].iter().any(|w| t.is_word(w))
        && let Some(p) = toks.get(j + 1).and_then(unit)
    {
        return Some((p, 2));
    }
    if t.is_word("p")
        && toks.get(j + 1) == Some(&Tok::Punct('.'))
        && toks.get(j + 2).is_some_and(|t| t.is_word("a"))
    {
        return Some((SalaryPeriod::Year, 3));
    }
    period_word(t).map(|p| (p, 1))
}

/// A word that alone names a period: "hourly", "monthly", "annual", "pa".
pub(super) fn period_word(t: &Tok<'_>) -> Option<SalaryPeriod> {
    let Tok::Word(w) = t else { return None };
    let w = w.to_ascii_lowercase();
    Some(match w.as_str() {
        "hourly" => SalaryPeriod::Hour,
        "daily" => SalaryPeriod::Day,
        "weekly" => SalaryPeriod::Week,
        "monthly" => SalaryPeriod::Month,
        "yearly" | "annual" | "annually" | "annum" | "pa" => SalaryPeriod::Year,
        _ => return None,
    })
}

/// The unit word after "/", "per", "a" or "an".
fn unit(t: &Tok<'_>) -> Option<SalaryPeriod> {
    let Tok::Word(w) = t else { return None };
    let w = w.to_ascii_lowercase();
    Some(match w.as_str() {
        "h" | "hr" | "hrs" | "hour" | "hours" => SalaryPeriod::Hour,
        "d" | "day" | "days" => SalaryPeriod::Day,
        "w" | "wk" | "week" | "weeks" => SalaryPeriod::Week,
        "m" | "mo" | "mth" | "month" | "months" => SalaryPeriod::Month,
        "y" | "yr" | "year" | "years" | "annum" => SalaryPeriod::Year,
        _ => return None,
    })
}
