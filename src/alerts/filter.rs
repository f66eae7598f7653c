//! Typed filters: `salary>=150k`, `workplace:remote`, `type:contract`,
//! `posted<7d`, `state:saved`. Reading one from query text, and whether a
//! posting's [`Facts`] pass it.
//!
//! Input: a filter's name, comparison and value as the lexer cut them, with
//! the char offset of the value. Output: a [`Filter`], or a [`QueryError`]
//! at the value that names what is accepted. A posting without the field
//! passes no filter on it (and so passes its negation).

use std::fmt;

use super::error::QueryError;
use super::facts::{Facts, Lifecycle, Mark};
use crate::model::{EmploymentType, Workplace};
use crate::units;

/// The largest salary a filter takes: far above any pay, far below where
/// `f64` stops counting in whole units.
const MAX_AMOUNT: u64 = 1_000_000_000_000;

/// The names that take a comparison (`salary>=150k`) and a colon (`state:saved`).
pub(crate) const COMPARED: &[&str] = &["salary", "posted"];
pub(crate) const COLONED: &[&str] = &["workplace", "type", "state"];

/// `<`, `<=`, `>` or `>=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cmp {
    Lt,
    Le,
    Gt,
    Ge,
}

impl Cmp {
    /// Reads the operator at the start of `s`; returns it and its length.
    pub(crate) fn read(s: &[char]) -> Option<(Cmp, usize)> {
        match (s.first(), s.get(1)) {
            (Some('<'), Some('=')) => Some((Cmp::Le, 2)),
            (Some('<'), _) => Some((Cmp::Lt, 1)),
            (Some('>'), Some('=')) => Some((Cmp::Ge, 2)),
            (Some('>'), _) => Some((Cmp::Gt, 1)),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
        }
    }

    fn holds<T: PartialOrd>(self, a: T, b: T) -> bool {
        match self {
            Cmp::Lt => a < b,
            Cmp::Le => a <= b,
            Cmp::Gt => a > b,
            Cmp::Ge => a >= b,
        }
    }
}

/// One typed filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Filter {
    /// Yearly pay against an amount of the posting's currency. A range passes
    /// when some part of it does: `>=` and `>` read its top (the minimum when
    /// it has no maximum), `<=` and `<` its bottom.
    Salary { cmp: Cmp, amount: u64 },
    /// `workplace:remote|hybrid|on-site`.
    Workplace(Workplace),
    /// `type:full-time|part-time|contract|temporary|internship|freelance`.
    Type(EmploymentType),
    /// The age (now minus when it counts as posted) against seconds:
    /// `posted<7d` is "posted within the last 7 days".
    Posted { cmp: Cmp, age: u64 },
    /// `state:open` (open or reopened), `state:closed`, `state:reopened`.
    Lifecycle(Lifecycle),
    /// `state:saved|applied|dismissed`.
    Mark(Mark),
}

impl Filter {
    /// Reads `name` (lower-cased) with `cmp` (for the compared names) and
    /// `value`, which starts at char offset `pos` of `input`.
    pub(crate) fn parse(
        input: &str,
        name: &str,
        cmp: Option<Cmp>,
        value: &str,
        pos: usize,
    ) -> Result<Filter, QueryError> {
        let err = |message: String| Err(QueryError::new(input, pos, message));
        let lower = value.to_ascii_lowercase();
        match (name, cmp) {
            ("salary", Some(cmp)) => match amount(value) {
                Some(amount) => Ok(Filter::Salary { cmp, amount }),
                None => err(format!(
                    "'{value}' is not a salary: expected a whole number, such as 150000 or 150k (at most {MAX_AMOUNT})"
                )),
            },
            ("posted", Some(cmp)) => match units::parse_age(value) {
                Ok(d) => Ok(Filter::Posted {
                    cmp,
                    age: d.as_secs(),
                }),
                Err(e) => err(format!("posted: {e}")),
            },
            ("workplace", None) => match lower.as_str() {
                "remote" => Ok(Filter::Workplace(Workplace::Remote)),
                "hybrid" => Ok(Filter::Workplace(Workplace::Hybrid)),
                "on-site" | "onsite" => Ok(Filter::Workplace(Workplace::Onsite)),
                _ => err(format!(
                    "unknown workplace '{value}': expected remote, hybrid or on-site"
                )),
            },
            ("type", None) => match EmploymentType::parse(value) {
                Some(t) if !value.is_empty() => Ok(Filter::Type(t)),
                _ => err(format!(
                    "unknown type '{value}': expected full-time, part-time, contract, \
                     temporary, internship or freelance"
                )),
            },
            ("state", None) => match lower.as_str() {
                "open" => Ok(Filter::Lifecycle(Lifecycle::Open)),
                "closed" => Ok(Filter::Lifecycle(Lifecycle::Closed)),
                "reopened" => Ok(Filter::Lifecycle(Lifecycle::Reopened)),
                "saved" => Ok(Filter::Mark(Mark::Saved)),
                "applied" => Ok(Filter::Mark(Mark::Applied)),
                "dismissed" => Ok(Filter::Mark(Mark::Dismissed)),
                _ => err(format!(
                    "unknown state '{value}': expected saved, applied, dismissed, open, closed or reopened"
                )),
            },
            _ => err(format!("'{name}' is not a filter")),
        }
    }

    /// Whether a posting with these facts passes.
    pub(crate) fn holds(&self, f: &Facts) -> bool {
        match *self {
            Filter::Salary { cmp, amount } => f.salary.is_some_and(|(lo, hi)| {
                let side = if matches!(cmp, Cmp::Ge | Cmp::Gt) {
                    hi
                } else {
                    lo
                };
                cmp.holds(side, amount as f64)
            }),
            Filter::Workplace(w) => f.workplace == w,
            Filter::Type(t) => f.employment == Some(t),
            Filter::Posted { cmp, age } => f.posted.is_some_and(|posted| {
                let real = i128::from(f.now) - i128::from(posted);
                cmp.holds(real, i128::from(age))
            }),
            Filter::Lifecycle(Lifecycle::Open) => f.lifecycle != Lifecycle::Closed,
            Filter::Lifecycle(l) => f.lifecycle == l,
            Filter::Mark(m) => f.mark == Some(m),
        }
    }
}

/// `150000`, `150k` or `150K`, within [`MAX_AMOUNT`].
fn amount(s: &str) -> Option<u64> {
    let (digits, scale) = match s.strip_suffix(['k', 'K']) {
        Some(d) => (d, 1000),
        None => (s, 1),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits
        .parse::<u64>()
        .ok()?
        .checked_mul(scale)
        .filter(|&a| a <= MAX_AMOUNT)
}

/// The filter as query text that parses back to it: `salary>=150000`,
/// `posted<604800s`, `workplace:on-site`.
impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Filter::Salary { cmp, amount } => write!(f, "salary{}{amount}", cmp.as_str()),
            Filter::Posted { cmp, age } => write!(f, "posted{}{age}s", cmp.as_str()),
            Filter::Workplace(w) => write!(f, "workplace:{}", w.as_str()),
            Filter::Type(t) => write!(f, "type:{}", t.as_str()),
            Filter::Lifecycle(l) => f.write_str(match l {
                Lifecycle::Open => "state:open",
                Lifecycle::Closed => "state:closed",
                Lifecycle::Reopened => "state:reopened",
            }),
            Filter::Mark(m) => f.write_str(match m {
                Mark::Saved => "state:saved",
                Mark::Applied => "state:applied",
                Mark::Dismissed => "state:dismissed",
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(text: &str) -> Filter {
        let chars: Vec<char> = text.chars().collect();
        let name_len = chars.iter().take_while(|c| c.is_ascii_alphabetic()).count();
        let name: String = chars[..name_len].iter().collect();
        let (cmp, skip) = match Cmp::read(&chars[name_len..]) {
            Some((c, n)) => (Some(c), n),
            None => (None, 1),
        };
        let value: String = chars[name_len + skip..].iter().collect();
        Filter::parse(text, &name, cmp, &value, name_len + skip)
            .unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn facts() -> Facts {
        Facts {
            salary: Some((100_000.0, 150_000.0)),
            workplace: Workplace::Hybrid,
            employment: Some(EmploymentType::Contract),
            posted: Some(1_000_000),
            now: 1_000_000 + 3 * 86_400,
            lifecycle: Lifecycle::Reopened,
            mark: Some(Mark::Saved),
        }
    }

    #[test]
    fn filters_read_the_facts() {
        let cases = [
            ("salary>=150k", true),
            ("salary>150k", false),
            ("salary>=150001", false),
            ("salary>=85", true),
            ("salary<=100000", true),
            ("salary<100K", false),
            ("salary<120k", true),
            ("workplace:hybrid", true),
            ("workplace:remote", false),
            ("type:contract", true),
            ("type:contractor", true),
            ("type:full-time", false),
            ("posted<7d", true),
            ("posted<3d", false),
            ("posted<=3d", true),
            ("posted>2d", true),
            ("posted>30d", false),
            ("state:open", true),
            ("state:reopened", true),
            ("state:closed", false),
            ("state:saved", true),
            ("state:dismissed", false),
        ];
        for (text, want) in cases {
            assert_eq!(filter(text).holds(&facts()), want, "{text}");
        }
    }

    #[test]
    fn a_posting_without_the_field_passes_no_filter_on_it() {
        let none = Facts::default();
        for text in [
            "salary>=1",
            "salary<=1000000",
            "workplace:remote",
            "workplace:on-site",
            "type:full-time",
            "posted<36500d",
            "posted>0s",
            "state:saved",
        ] {
            assert!(!filter(text).holds(&none), "{text}");
        }
        assert!(
            filter("state:open").holds(&none),
            "a job is open until it closes"
        );
    }

    #[test]
    fn filters_print_as_text_that_reads_back() {
        for (text, shown) in [
            ("salary>=150k", "salary>=150000"),
            ("posted<7d", "posted<604800s"),
            ("workplace:onsite", "workplace:on-site"),
            ("type:Full_Time", "type:full-time"),
            ("state:DISMISSED", "state:dismissed"),
        ] {
            let f = filter(text);
            assert_eq!(f.to_string(), shown);
            assert_eq!(filter(shown), f, "{shown}");
        }
    }

    #[test]
    fn amounts_are_whole_numbers_within_bounds() {
        let cases = [
            ("150k", Some(150_000)),
            ("150K", Some(150_000)),
            ("85", Some(85)),
            ("0", Some(0)),
            ("1000000000k", Some(MAX_AMOUNT)),
            ("1000000001k", None),
            ("99999999999999999999999", None),
            ("1.5k", None),
            ("k", None),
            ("", None),
            ("-5", None),
            ("150kk", None),
        ];
        for (s, want) in cases {
            assert_eq!(amount(s), want, "{s:?}");
        }
    }
}
