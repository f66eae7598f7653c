//! How a job's typed facts read in a message, in one place for every channel:
//! the posting's age ("3 days ago"), the contract and workplace as words, and
//! how many boards list it. Pure functions. Pay reads as
//! [`crate::model::pay::salary`] writes it, the same on the CLI and the web page.

use chrono::{DateTime, Utc};

use crate::model::{EmploymentType, Workplace};

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
