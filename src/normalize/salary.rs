//! Pay from free text: "$150k–$200k", "€80.000–100.000", "$18 - $22/hr", "CHF 120'000".
//!
//! Input: a salary string, a title, or one description line that talks about pay.
//! Output: a [`Salary`] with `origin = Text`, or `None` when the text holds no
//! amount that is clearly money. Unknown parts stay `None`; nothing is guessed.
//!
//! The text is cut into tokens (numbers with their `k`, currency marks, dashes,
//! words), then the first amount or range that carries a currency, or is directly
//! followed by a pay period, is taken. Funding ("$20M raised"), percentages
//! (equity), and bare numbers ("3+ years", "team of 50", "401(k)") are not money.

mod lex;
#[cfg(test)]
mod tests;

use crate::model::{Salary, SalaryOrigin, SalaryPeriod};

use lex::{Tok, tokens};

/// Amounts above this are not pay (funding rounds, revenue, typos).
const MAX_AMOUNT: f64 = 10_000_000.0;

/// Reads the first pay amount or range in `text`; `None` when there is none.
///
/// A single figure sets both `min` and `max`, except after "from"/"starting at"/
/// "at least" or before "+" (min only) and after "up to"/"max" (max only).
/// The period comes from an explicit marker ("/hr", "per annum", "monthly");
/// without one, figures written with `k` or of 10,000 and more are yearly, and
/// smaller figures leave the period unknown.
pub fn parse_salary(text: &str) -> Option<Salary> {
    let toks = tokens(text);
    let mut i = 0;
    while i < toks.len() {
        match expression_at(&toks, i) {
            Some((found, end)) => {
                if let Some(salary) = found.into_salary(text) {
                    return Some(salary);
                }
                // A rejected range is skipped whole, so that its second half is not
                // read again as a salary of its own.
                i = end.max(i + 1);
            }
            None => i += 1,
        }
    }
    None
}

/// One figure as written: its value, its currency marks and what follows it.
#[derive(Debug, Clone, Copy)]
struct Amount {
    value: f64,
    /// Written with a `k` ("150k").
    k: bool,
    /// Written with a million/billion mark ("$20M"): funding, not pay.
    big: bool,
    /// Followed by "+" ("$120k+"): a lower bound.
    plus: bool,
    currency: Option<&'static str>,
}

/// An amount or a range, with what the words around it say.
#[derive(Debug)]
struct Found {
    low: Amount,
    high: Option<Amount>,
    period: Option<SalaryPeriod>,
    /// The period marker follows the figures directly ("25-30/hr").
    period_direct: bool,
    bound: Bound,
}

/// What a qualifier before a single figure makes of it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Bound {
    Exact,
    MinOnly,
    MaxOnly,
}

/// Parses an amount or range starting at token `i`: its description and the
/// index just past it.
fn expression_at(toks: &[Tok<'_>], i: usize) -> Option<(Found, usize)> {
    let (mut low, mut end) = amount_at(toks, i)?;
    let between = word_before(toks, i, 2, &["between"]);
    let mut high = None;
    if let Some(sep) = toks.get(end)
        && (matches!(sep, Tok::Dash) || sep.is_word("to") || (between && sep.is_word("and")))
        && let Some((h, e)) = amount_at(toks, end + 1)
    {
        high = Some(h);
        end = e;
    }
    if low.currency.is_none() {
        low.currency = currency_before(toks, i);
    }

    let direct = lex::period_at(toks, end);
    let period = direct
        .map(|(p, _)| p)
        .or_else(|| period_after(toks, end))
        .or_else(|| period_before(toks, i));

    let bound = if high.is_some() {
        Bound::Exact
    } else if low.plus || word_before(toks, i, 2, &["from", "starting", "min", "minimum", "least"])
    {
        Bound::MinOnly
    } else if word_before(toks, i, 2, &["up", "max", "maximum", "upto"]) {
        Bound::MaxOnly
    } else {
        Bound::Exact
    };
    let found = Found {
        low,
        high,
        period,
        period_direct: direct.is_some(),
        bound,
    };
    Some((found, end))
}

impl Found {
    fn into_salary(self, text: &str) -> Option<Salary> {
        let Found {
            mut low, mut high, ..
        } = self;
        if low.big || high.is_some_and(|h| h.big) {
            return None;
        }
        // "150-180k", "80–100k €": the `k` (or the size) of one end applies to both.
        if let Some(h) = high.as_mut() {
            if h.k && !low.k && low.value < 1000.0 {
                low.value *= 1000.0;
                low.k = true;
            } else if low.k && !h.k && h.value < 1000.0 {
                h.value *= 1000.0;
                h.k = true;
            }
        }
        let currency = resolve_currency(&[low.currency, high.and_then(|h| h.currency)]);
        // Without a currency only an explicit period right after the figures says
        // it is pay ("25-30 per hour"); "150-180k" or "40 hours a week" is not.
        if currency.is_none() && !self.period_direct {
            return None;
        }

        let (min, max) = match (high, self.bound) {
            (Some(h), _) => (Some(low.value), Some(h.value)),
            (None, Bound::MinOnly) => (Some(low.value), None),
            (None, Bound::MaxOnly) => (None, Some(low.value)),
            (None, Bound::Exact) => (Some(low.value), Some(low.value)),
        };
        let values = [min, max];
        let ok = values.iter().flatten().all(|&v| v > 0.0 && v <= MAX_AMOUNT);
        if !ok || min.zip(max).is_some_and(|(a, b)| a > b) {
            return None;
        }

        let largest = values.iter().flatten().fold(0.0_f64, |m, &v| m.max(v));
        let written_in_k = low.k || high.is_some_and(|h| h.k);
        let period = self
            .period
            .or_else(|| (written_in_k || largest >= 10_000.0).then_some(SalaryPeriod::Year));
        Some(Salary {
            min: min.map(round_cents),
            max: max.map(round_cents),
            currency: currency.map(str::to_owned),
            period,
            origin: SalaryOrigin::Text,
            text: Some(text.to_owned()),
        })
    }
}

/// `[currency] number [k] [+] [currency]` starting at token `i`.
fn amount_at(toks: &[Tok<'_>], mut i: usize) -> Option<(Amount, usize)> {
    let mut currency = None;
    if let Some(Tok::Cur(c)) = toks.get(i) {
        currency = Some(*c);
        i += 1;
    }
    let Some(&Tok::Num { value, k, big }) = toks.get(i) else {
        return None;
    };
    i += 1;
    let mut amount = Amount {
        value: if k { value * 1000.0 } else { value },
        k,
        big,
        plus: false,
        currency,
    };
    if let Some(Tok::Plus) = toks.get(i) {
        amount.plus = true;
        i += 1;
    }
    match toks.get(i) {
        // Equity or a rate, not money.
        Some(Tok::Percent) => return None,
        Some(t)
            if ["million", "billion", "mio", "mn", "bn"]
                .iter()
                .any(|w| t.is_word(w)) =>
        {
            amount.big = true;
        }
        Some(Tok::Cur(c)) => {
            // "$120k CAD": the code after the figure is more precise than "$".
            if amount.currency.is_none_or(|cur| cur == lex::DOLLAR) {
                amount.currency = Some(*c);
            }
            i += 1;
        }
        _ => {}
    }
    Some((amount, i))
}

/// A currency a few tokens before `i` with only punctuation between ("USD: 100,000",
/// "Salary (EUR): 60.000").
fn currency_before(toks: &[Tok<'_>], i: usize) -> Option<&'static str> {
    for t in toks[..i].iter().rev().take(3) {
        match t {
            Tok::Cur(c) => return Some(c),
            Tok::Punct(':' | '(' | ')') => {}
            _ => return None,
        }
    }
    None
}

/// The first real ISO code among the marks; a bare "$" is USD.
fn resolve_currency(marks: &[Option<&'static str>]) -> Option<&'static str> {
    let marks = marks.iter().flatten();
    marks
        .clone()
        .copied()
        .find(|&c| c != lex::DOLLAR)
        .or_else(|| marks.clone().next().map(|_| "USD"))
}

/// A period marker a few words after the figures ("$100k base per year").
fn period_after(toks: &[Tok<'_>], end: usize) -> Option<SalaryPeriod> {
    for j in end..toks.len().min(end + 5) {
        if let Some((p, _)) = lex::period_at(toks, j) {
            return Some(p);
        }
        if toks[j].ends_phrase() {
            return None;
        }
    }
    None
}

/// A one-word period a few words before the figures ("Hourly rate: $20-25").
fn period_before(toks: &[Tok<'_>], start: usize) -> Option<SalaryPeriod> {
    for t in toks[..start].iter().rev().take(4) {
        if t.ends_phrase() {
            return None;
        }
        if let Some(p) = lex::period_word(t) {
            return Some(p);
        }
    }
    None
}

/// One of `words` within `n` tokens before `i`.
fn word_before(toks: &[Tok<'_>], i: usize, n: usize, words: &[&str]) -> bool {
    toks[..i]
        .iter()
        .rev()
        .take(n)
        .any(|t| words.iter().any(|w| t.is_word(w)))
}

fn round_cents(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}
