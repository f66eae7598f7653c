//! Titles that pack other fields: "Company: Title" (We Work Remotely), "Title at
//! Company", "Title (Location)", and combinations of them.
//!
//! Input: a raw title from a feed-like source. Output: [`SplitTitle`], the title with
//! the packed parts taken out. A part is taken only when the pattern is
//! unambiguous; otherwise the folded title comes back whole, with no company or
//! location, because a wrong split is worse than none.

use super::text::fold_whitespace;

/// A title with the company and location it packed, when they could be recovered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitTitle {
    /// The job title proper, whitespace folded.
    pub title: String,
    /// The company, from "Company: Title" or "Title at Company".
    pub company: Option<String>,
    /// The location, from a trailing "(Location)".
    pub location: Option<String>,
}

/// Words that make a phrase read as a job rather than a company (matched per
/// word, case-insensitively, plural allowed).
#[rustfmt::skip]
const ROLE_WORDS: &[&str] = &[
    "engineer", "engineering", "developer", "scientist", "manager", "designer", "analyst",
    "lead", "intern", "researcher", "architect", "director", "head", "specialist", "consultant",
    "administrator", "officer", "coordinator", "associate", "assistant", "executive",
    "representative", "recruiter", "writer", "editor", "programmer", "technician", "vp",
    "president", "senior", "junior", "staff", "principal", "sr", "jr", "contractor",
    "freelancer",
];

/// Prefixes before a colon that are labels, not companies ("Urgent: …").
#[rustfmt::skip]
const NOT_COMPANIES: &[&str] = &[
    "urgent", "hiring", "now hiring", "we're hiring", "we are hiring", "new", "job", "position",
    "remote", "hybrid", "onsite", "on-site", "re", "fwd", "update", "updated", "wanted",
    "closed", "filled",
];

/// Lower-case words allowed inside a company name after " at ".
#[rustfmt::skip]
const CONNECTORS: &[&str] = &[
    "of", "and", "&", "+", "de", "du", "la", "le", "von", "van", "der", "for",
];

/// Regions and countries that appear alone in parentheses ("(USA)", "(EU)").
#[rustfmt::skip]
const PLACES: &[&str] = &[
    "usa", "us", "u.s.", "united states", "uk", "u.k.", "united kingdom", "eu", "europe",
    "emea", "apac", "latam", "americas", "north america", "south america", "asia", "africa",
    "canada", "germany", "france", "spain", "italy", "netherlands", "ireland", "poland",
    "portugal", "switzerland", "austria", "sweden", "norway", "denmark", "finland", "india",
    "japan", "singapore", "australia", "new zealand", "brazil", "mexico", "israel", "nyc", "sf",
    "london", "berlin", "paris", "amsterdam", "toronto",
];

/// Workplace words that make a parenthesized group a location ("(Remote)").
#[rustfmt::skip]
const WORKPLACE_WORDS: &[&str] = &[
    "remote", "hybrid", "on-site", "onsite", "anywhere", "worldwide",
];

/// Words that, found in a parenthesized group, show it is not a place
/// ("(Rust, Go)", "(m/w/d)", "(Contract, 6 months)").
#[rustfmt::skip]
const NOT_PLACES: &[&str] = &[
    "m/w/d", "f/m/d", "m/f/d", "w/m/d", "d/f/m", "all genders", "contract", "freelance",
    "part-time", "full-time", "part time", "full time", "temporary", "internship", "rust", "go",
    "golang", "python", "java", "javascript", "typescript", "react", "node", "node.js", "ruby",
    "rails", "php", "c++", "c#", ".net", "scala", "kotlin", "swift", "ai", "ml", "llm", "sql",
    "aws", "gcp", "azure", "months", "month", "years", "hours", "equity", "senior", "junior",
];

/// Splits packed company and location out of a title (see the module docs).
pub fn split_title(raw: &str) -> SplitTitle {
    let folded = fold_whitespace(raw);
    let mut rest: &str = &folded;

    let mut location = None;
    if let Some((head, place)) = trailing_place(rest) {
        location = Some(place.to_owned());
        rest = head;
    }

    let mut company = None;
    if let Some((name, title)) = company_prefix(rest) {
        company = Some(name.to_owned());
        rest = title;
    } else if let Some((title, name)) = company_suffix(rest) {
        company = Some(name.to_owned());
        rest = title;
    }

    // A part that swallowed the whole title was not a packed field after all.
    if rest.is_empty() {
        return SplitTitle {
            title: folded,
            company: None,
            location: None,
        };
    }
    SplitTitle {
        title: rest.to_owned(),
        company,
        location,
    }
}

/// "Title (Location)" → ("Title", "Location") when the group reads as a place.
fn trailing_place(s: &str) -> Option<(&str, &str)> {
    let body = s.strip_suffix(')')?;
    let open = body.rfind('(')?;
    let inside = body[open + 1..].trim();
    let head = body[..open].trim_end();
    if head.is_empty() || inside.is_empty() || inside.contains(['(', ')']) {
        return None;
    }
    let lower = inside.to_lowercase();
    let parts: Vec<&str> = lower.split([',', '/', ';']).map(str::trim).collect();
    if NOT_PLACES.contains(&lower.as_str())
        || parts.iter().any(|p| NOT_PLACES.contains(p))
        || lower.chars().any(|c| c.is_ascii_digit())
    {
        return None;
    }
    let words = lower.split(|c: char| !c.is_alphanumeric() && c != '-');
    let is_place = inside.contains(',')
        || words.clone().any(|w| WORKPLACE_WORDS.contains(&w))
        || parts.iter().all(|p| PLACES.contains(p));
    is_place.then_some((head, inside))
}

/// "Company: Title" or "Company : Title" → ("Company", "Title").
fn company_prefix(s: &str) -> Option<(&str, &str)> {
    let colon = s.find(':')?;
    let name = s[..colon].trim();
    let title = s[colon + 1..].trim_start();
    // "10:30" or "https://" are not packed fields: a space must follow the colon.
    if !s[colon + 1..].starts_with(' ') || title.is_empty() || !looks_like_company(name) {
        return None;
    }
    let lower = name.to_lowercase();
    if NOT_COMPANIES.contains(&lower.as_str()) {
        return None;
    }
    Some((name, title))
}

/// "Title at Company" → ("Title", "Company"), split on the last " at ".
fn company_suffix(s: &str) -> Option<(&str, &str)> {
    let at = s.rfind(" at ")?;
    let title = s[..at].trim();
    let name = s[at + 4..].trim();
    // Company names are capitalized words ("Acme Labs", "1Password", "Bank of
    // America"); "at scale" or "at the intersection of" are prose.
    let capitalized = name.split_whitespace().all(|w| {
        w.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
            || CONNECTORS.contains(&w)
    });
    let has_the = name
        .split_whitespace()
        .any(|w| w.eq_ignore_ascii_case("the"));
    if title.is_empty() || !capitalized || has_the || name.split_whitespace().count() > 5 {
        return None;
    }
    looks_like_company(name).then_some((title, name))
}

/// Short (≤ 6 words, ≤ 60 chars), non-empty, and without role words.
fn looks_like_company(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 60
        && name.split_whitespace().count() <= 6
        && !name.split(|c: char| !c.is_alphanumeric()).any(is_role_word)
}

fn is_role_word(word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    let lower = word.to_lowercase();
    let singular = lower.strip_suffix('s').unwrap_or(&lower);
    ROLE_WORDS.contains(&lower.as_str()) || ROLE_WORDS.contains(&singular)
}

#[cfg(test)]
mod tests;
