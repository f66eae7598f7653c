//! Reading a card's text lines by what they look like: a "Company · Place"
//! line in parts, a rating after a company, buttons and badges, a salary, a
//! job's age.

use std::time::Duration;

/// "Acme · Boston, MA (Hybrid)" and "Acme • Boston, MA • On-site" in parts.
pub(super) fn split_line(line: &str) -> Vec<String> {
    line.split(['·', '•', '|'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// "Acme Corp 3.9 ★" → "Acme Corp".
pub(super) fn strip_rating(company: &str) -> String {
    let c = company.trim_end_matches(['★', '☆', ' ']);
    match c.rsplit_once(' ') {
        Some((name, score))
            if c.len() < company.len() && score.parse::<f32>().is_ok_and(|s| s <= 5.0) =>
        {
            name.trim().to_string()
        }
        _ => company.trim().to_string(),
    }
}

/// Lines that are buttons, badges or social hints, never a job's field.
pub(super) fn is_noise(line: &str) -> bool {
    const EXACT: &[&str] = &[
        "view job",
        "view jobs",
        "view details",
        "view",
        "apply",
        "apply now",
        "easy apply",
        "easily apply",
        "1-click apply",
        "quick apply",
        "save",
        "save job",
        "see job",
        "see more",
        "see all jobs",
        "view all jobs",
        "promoted",
        "actively recruiting",
        "be an early applicant",
        "estimated pay",
        "employer est.",
        "employer provided",
        "glassdoor est.",
        "(",
        ")",
        "responsive employer",
        "urgently hiring",
        "hiring multiple candidates",
        "new to you",
        "apply with resume & profile",
        "this company is actively hiring",
        "top applicant",
        "you'd be a top applicant",
        "fast growing",
        "featured",
        "sponsored",
        "remote ok",
    ];
    let l = line.trim().to_lowercase();
    if l.is_empty() || EXACT.contains(&l.as_str()) {
        return true;
    }
    // "3.7 ★", "4.1": a rating alone.
    let bare = l.trim_end_matches(['★', '☆', ' ']);
    if bare.len() <= 4 && bare.parse::<f32>().is_ok() {
        return true;
    }
    // "2 connections", "1 school alum", "3 company alumni".
    let words: Vec<&str> = l.split_whitespace().collect();
    words.len() <= 4
        && words.first().is_some_and(|w| w.parse::<u32>().is_ok())
        && words.iter().any(|w| {
            w.starts_with("connection") || w.starts_with("alum") || w.starts_with("applicant")
        })
}

/// "$150K/yr - $180K/yr", "$60 - $70 an hour", "€70,000 a year", "£45k–£55k".
pub(super) fn looks_like_salary(line: &str) -> bool {
    let l = line.to_lowercase();
    let money = l.char_indices().any(|(i, c)| {
        matches!(c, '$' | '€' | '£')
            && l[i + c.len_utf8()..].starts_with(|d: char| d.is_ascii_digit())
    });
    let per = [
        "/yr",
        "/hr",
        "an hour",
        "a year",
        "per hour",
        "per year",
        "per annum",
        "/year",
        "/hour",
    ]
    .iter()
    .any(|p| l.contains(p));
    (money || (per && l.chars().any(|c| c.is_ascii_digit()))) && l.len() <= 80
}

/// How old a line says a job is: "21h", "7d", "2d ago", "3 days ago",
/// "1 week ago", "30+ days ago", "Posted 5 days ago", "Just posted", "New", "Today".
pub(super) fn age_of(line: &str) -> Option<Duration> {
    let l = line.trim().to_lowercase();
    if matches!(
        l.as_str(),
        "just posted" | "new" | "today" | "posted today" | "just now"
    ) {
        return Some(Duration::ZERO);
    }
    if l == "yesterday" {
        return Some(Duration::from_secs(86_400));
    }
    let l = l.strip_prefix("posted ").unwrap_or(&l);
    let l = l.strip_suffix(" ago").unwrap_or(l).replace('+', "");
    let (n, unit) = match l.split_once(' ') {
        Some((n, unit)) => (n.to_string(), unit.to_string()),
        None => {
            let at = l.find(|c: char| !c.is_ascii_digit())?;
            (l[..at].to_string(), l[at..].to_string())
        }
    };
    let n: u64 = n.parse().ok()?;
    let unit_secs = match unit.trim_end_matches('s') {
        "m" | "min" | "minute" => 60,
        "h" | "hr" | "hour" => 3600,
        "d" | "day" => 86_400,
        "w" | "wk" | "week" => 7 * 86_400,
        "mo" | "month" => 30 * 86_400,
        _ => return None,
    };
    n.checked_mul(unit_secs)
        .filter(|s| *s <= 365 * 86_400)
        .map(Duration::from_secs)
}
