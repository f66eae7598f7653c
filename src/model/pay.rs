//! How pay reads, the same on the CLI, the web page and in every
//! notification: from the salary's figures ("$150k–$190k / year",
//! "€60k–€75k / year", "$85 / hour"), else the source's own text. Pure.

use super::Salary;

/// The pay: from the typed figures when there are any, else the source's own
/// text, cleaned of the list dash and label it often carries ("- Salary: …").
pub fn salary(s: &Salary) -> Option<String> {
    let valid = |v: Option<f64>| v.filter(|v| v.is_finite() && *v > 0.0);
    let (min, max) = (valid(s.min), valid(s.max));
    let code = s.currency.as_deref().map(str::trim).unwrap_or("");
    let sym = symbol(code);
    let money = |v: f64| format!("{sym}{}", amount(v));
    let range = match (min, max) {
        // "CHF 120k–140k", but "$150k–$190k".
        (Some(a), Some(b)) if amount(a) != amount(b) && a < b && sym.ends_with(' ') => {
            format!("{}–{}", money(a), amount(b))
        }
        (Some(a), Some(b)) if amount(a) != amount(b) && a < b => {
            format!("{}–{}", money(a), money(b))
        }
        (Some(a), _) => money(a),
        (None, Some(b)) => format!("up to {}", money(b)),
        (None, None) => return s.text.as_deref().and_then(stated),
    };
    Some(match s.period {
        Some(p) => format!("{range} / {}", p.as_str()),
        None => range,
    })
}

/// What goes before an amount in `code`: a symbol where it is unambiguous,
/// else the code and a space ("CHF 120k"); nothing when the currency is unknown.
fn symbol(code: &str) -> String {
    let s = match code.to_ascii_uppercase().as_str() {
        "" => "",
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "JPY" => "¥",
        "INR" => "₹",
        "CAD" => "CA$",
        "AUD" => "A$",
        "NZD" => "NZ$",
        // A code from a source is shown only when it looks like one.
        other if other.len() == 3 && other.bytes().all(|b| b.is_ascii_uppercase()) => {
            return format!("{other} ");
        }
        _ => "",
    };
    s.to_string()
}

/// A figure as people write pay: "85", "85.50", "4,500", "150k", "152.5k", "1.2M".
fn amount(v: f64) -> String {
    let short = |x: f64, unit: &str| {
        let r = (x * 10.0).round() / 10.0;
        if r.fract() == 0.0 {
            format!("{r:.0}{unit}")
        } else {
            format!("{r:.1}{unit}")
        }
    };
    if v >= 1_000_000.0 {
        short(v / 1_000_000.0, "M")
    } else if v >= 10_000.0 {
        short(v / 1_000.0, "k")
    } else if v >= 1_000.0 {
        let whole = v.round() as u64;
        format!("{},{:03}", whole / 1000, whole % 1000)
    } else if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

/// A source's salary text without a leading list marker or label.
fn stated(text: &str) -> Option<String> {
    let mut t = text
        .trim()
        .trim_start_matches(['-', '*', '•', '·', '–', ' ']);
    for label in ["salary:", "compensation:", "pay:"] {
        if t.len() >= label.len() && t[..label.len()].eq_ignore_ascii_case(label) {
            t = &t[label.len()..];
        }
    }
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    (!t.is_empty()).then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{SalaryOrigin, SalaryPeriod};

    fn pay(
        min: Option<f64>,
        max: Option<f64>,
        currency: Option<&str>,
        period: Option<SalaryPeriod>,
        text: Option<&str>,
    ) -> Salary {
        Salary {
            min,
            max,
            currency: currency.map(String::from),
            period,
            origin: SalaryOrigin::Structured,
            text: text.map(String::from),
        }
    }

    #[test]
    fn salaries_read_from_their_figures_in_every_currency_and_period() {
        use SalaryPeriod::*;
        let (y, h, m) = (Some(Year), Some(Hour), Some(Month));
        let cases: &[(Salary, Option<&str>)] = &[
            (
                pay(Some(150e3), Some(190e3), Some("USD"), y, None),
                Some("$150k–$190k / year"),
            ),
            (
                pay(Some(60e3), Some(75e3), Some("EUR"), y, None),
                Some("€60k–€75k / year"),
            ),
            (
                pay(Some(85.0), None, Some("USD"), h, None),
                Some("$85 / hour"),
            ),
            (
                pay(Some(85.0), Some(85.0), Some("usd"), h, None),
                Some("$85 / hour"),
            ),
            (
                pay(Some(42.5), Some(55.0), Some("GBP"), h, None),
                Some("£42.50–£55 / hour"),
            ),
            (
                pay(Some(4500.0), Some(5200.0), Some("EUR"), m, None),
                Some("€4,500–€5,200 / month"),
            ),
            (
                pay(Some(120e3), Some(140e3), Some("CHF"), y, None),
                Some("CHF 120k–140k / year"),
            ),
            (
                pay(Some(152_500.0), None, Some("CAD"), y, None),
                Some("CA$152.5k / year"),
            ),
            (
                pay(Some(12e6), Some(15e6), Some("JPY"), y, None),
                Some("¥12M–¥15M / year"),
            ),
            (
                pay(None, Some(190e3), Some("USD"), y, None),
                Some("up to $190k / year"),
            ),
            (
                pay(Some(70e3), Some(90e3), None, y, None),
                Some("70k–90k / year"),
            ),
            (
                pay(Some(70e3), Some(90e3), Some("EUR"), None, None),
                Some("€70k–€90k"),
            ),
            (
                pay(Some(70e3), Some(90e3), Some("<b>"), y, None),
                Some("70k–90k / year"),
            ),
            (
                pay(Some(90e3), Some(70e3), Some("EUR"), y, None),
                Some("€90k / year"),
            ),
            (
                pay(
                    Some(f64::NAN),
                    Some(f64::INFINITY),
                    Some("USD"),
                    y,
                    Some("- Salary: $150k–$190k"),
                ),
                Some("$150k–$190k"),
            ),
            (
                pay(None, None, None, None, Some("  Compensation:  DOE ")),
                Some("DOE"),
            ),
            (pay(None, None, None, None, Some(" - ")), None),
            (pay(Some(-5.0), None, Some("USD"), y, None), None),
        ];
        for (s, want) in cases {
            assert_eq!(salary(s).as_deref(), *want, "{s:?}");
        }
    }
}
