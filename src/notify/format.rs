//! How a job's typed facts read in a message, in one place for every channel:
//! pay from the salary's figures ("$150k–$190k / year", "€60k–€75k / year",
//! "$85 / hour"), the posting's age ("3 days ago"), the contract and
//! workplace as words, and how many boards list it. Pure functions.

use chrono::{DateTime, Utc};

use crate::model::{EmploymentType, Salary, Workplace};

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

/// How long before `now` a job was posted: "just now", "5 hours ago",
/// "yesterday", "3 days ago", "2 weeks ago", "4 months ago". A time after
/// `now` (a source's clock ahead of ours) reads "just now".
pub fn age(posted: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = now.signed_duration_since(posted).num_seconds().max(0);
    let (hours, days) = (secs / 3600, secs / 86_400);
    match days {
        0 if hours == 0 => "just now".into(),
        0 => format!("{hours} hour{} ago", plural(hours)),
        1 => "yesterday".into(),
        2..=13 => format!("{days} days ago"),
        14..=59 => format!("{} weeks ago", days / 7),
        60..=729 => format!("{} months ago", days / 30),
        _ => format!("{} years ago", days / 365),
    }
}

/// The contract as a word: "Full-time", "Contract".
pub fn employment(t: EmploymentType) -> &'static str {
    match t {
        EmploymentType::FullTime => "Full-time",
        EmploymentType::PartTime => "Part-time",
        EmploymentType::Contract => "Contract",
        EmploymentType::Temporary => "Temporary",
        EmploymentType::Internship => "Internship",
        EmploymentType::Freelance => "Freelance",
    }
}

/// Where the work happens as a word; nothing when unknown.
pub fn workplace(w: Workplace) -> Option<&'static str> {
    match w {
        Workplace::Remote => Some("Remote"),
        Workplace::Hybrid => Some("Hybrid"),
        Workplace::Onsite => Some("On-site"),
        Workplace::Unknown => None,
    }
}

/// "on 3 boards"; nothing for a job only one board lists.
pub fn boards(n: usize) -> Option<String> {
    (n > 1).then(|| format!("on {n} boards"))
}

fn plural(n: i64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

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

    #[test]
    fn ages_read_as_people_say_them() {
        let now = Utc
            .with_ymd_and_hms(2026, 11, 30, 8, 0, 0)
            .single()
            .expect("t");
        let ago = |secs: i64| age(now - chrono::Duration::seconds(secs), now);
        let cases: &[(i64, &str)] = &[
            (-3600, "just now"),
            (59 * 60, "just now"),
            (3600, "1 hour ago"),
            (5 * 3600, "5 hours ago"),
            (86_400, "yesterday"),
            (3 * 86_400, "3 days ago"),
            (15 * 86_400, "2 weeks ago"),
            (90 * 86_400, "3 months ago"),
            (800 * 86_400, "2 years ago"),
        ];
        for (secs, want) in cases {
            assert_eq!(ago(*secs), *want, "{secs}");
        }
        assert!(!age(DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC).is_empty());
    }

    #[test]
    fn kinds_read_as_words() {
        assert_eq!(employment(EmploymentType::FullTime), "Full-time");
        assert_eq!(workplace(Workplace::Onsite), Some("On-site"));
        assert_eq!(workplace(Workplace::Unknown), None);
        assert_eq!(boards(1), None);
        assert_eq!(boards(3).as_deref(), Some("on 3 boards"));
    }
}
