//! The header convention of "Who is hiring?" posts: a first line such as
//! `Company | Role | Location | REMOTE | Salary | URL`, pipe-separated free text
//! in any order after the company.
//!
//! Input: a comment's HTML as HN writes it (`<p>` separates paragraphs and is
//! never closed, entities are escaped, links are `<a href>` whose text HN may
//! shorten with "..."). Output: a [`Header`] with the fields that can be told
//! apart. A field is only assigned when it clearly is one; anything else stays
//! unknown, and the whole comment is kept as the description anyway.

use scraper::{ElementRef, Html};
use url::Url;

use crate::model::{EmploymentType, Workplace};
use crate::normalize::{fold_whitespace, parse_salary, workplace_from_text};

/// A title longer than this (a first line that is a whole paragraph) is cut at a word.
const MAX_TITLE: usize = 160;

/// Words that make a field a job title. Stems match a word's start
/// ("engineer" matches "Engineers", "Engineering"); short words match whole words only.
const ROLE_STEMS: &[&str] = &[
    "engineer",
    "developer",
    "scientist",
    "researcher",
    "manager",
    "designer",
    "architect",
    "analyst",
    "director",
    "intern",
    "programmer",
    "specialist",
    "consultant",
    "administrator",
    "recruiter",
    "hacker",
    "technician",
    "founding",
];
const ROLE_WORDS: &[&str] = &[
    "lead",
    "head",
    "sre",
    "devops",
    "mlops",
    "cto",
    "vp",
    "swe",
    "mle",
    "roles",
    "positions",
];

/// Places named often enough in headers to recognize (matched as whole words, any case).
const PLACES: &[&str] = &[
    "san francisco",
    "bay area",
    "silicon valley",
    "new york",
    "los angeles",
    "seattle",
    "boston",
    "austin",
    "chicago",
    "denver",
    "palo alto",
    "mountain view",
    "menlo park",
    "san jose",
    "san diego",
    "washington",
    "atlanta",
    "miami",
    "pittsburgh",
    "toronto",
    "montreal",
    "vancouver",
    "waterloo",
    "london",
    "cambridge",
    "oxford",
    "edinburgh",
    "dublin",
    "berlin",
    "munich",
    "hamburg",
    "paris",
    "amsterdam",
    "zurich",
    "geneva",
    "stockholm",
    "copenhagen",
    "oslo",
    "helsinki",
    "barcelona",
    "madrid",
    "lisbon",
    "warsaw",
    "prague",
    "vienna",
    "tel aviv",
    "bangalore",
    "bengaluru",
    "singapore",
    "tokyo",
    "sydney",
    "melbourne",
    "europe",
    "americas",
    "north america",
    "latin america",
    "asia",
    "canada",
    "germany",
    "france",
    "netherlands",
    "switzerland",
    "spain",
    "india",
    "japan",
    "australia",
    "united states",
    "united kingdom",
    "worldwide",
    "anywhere",
];

/// Place abbreviations, matched as whole words in capitals only ("US", not "us").
const PLACE_CODES: &[&str] = &[
    "US", "USA", "UK", "EU", "EMEA", "APAC", "LATAM", "NYC", "SF", "LA", "DC",
];

/// What a post's first line says.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Header {
    /// The role field, else the whole first line.
    pub title: String,
    /// The first field, when the line is pipe-separated and it is not a role.
    pub company: Option<String>,
    /// Fields that name places ("San Francisco, CA", "REMOTE (US)").
    pub locations: Vec<String>,
    /// From fields with REMOTE/ONSITE/hybrid words.
    pub workplace: Workplace,
    /// A field such as "Full-time" or "Contract".
    pub employment_type: Option<String>,
    /// A field stating pay, as written.
    pub salary_text: Option<String>,
    /// A field that is a link, read from its `href` (the text may be shortened).
    pub apply_url: Option<String>,
}

/// Reads the header of a post's HTML.
pub fn parse(html: &str) -> Header {
    let Some(fields) = first_line(html) else {
        return Header::default();
    };
    let whole = fold_whitespace(
        &fields
            .iter()
            .map(|f| f.text.as_str())
            .collect::<Vec<_>>()
            .join(" | "),
    );
    let mut h = Header::default();
    if fields.len() < 2 {
        h.title = cut(&whole);
        return h;
    }
    let mut workplaces = Vec::new();
    let mut role = None;
    for f in &fields[1..] {
        if let Some(url) = link_field(f) {
            h.apply_url.get_or_insert(url);
            continue;
        }
        let is_role = looks_like_role(&f.text);
        if !is_role && h.salary_text.is_none() && parse_salary(&f.text).is_some() {
            h.salary_text = Some(f.text.clone());
            continue;
        }
        if h.employment_type.is_none()
            && f.text.split_whitespace().count() <= 4
            && EmploymentType::parse(&f.text).is_some()
        {
            h.employment_type = Some(f.text.clone());
        }
        if is_role {
            role.get_or_insert(f.text.clone());
            continue;
        }
        if workplace_from_text(&f.text) != Workplace::Unknown {
            workplaces.push(f.text.as_str());
        }
        if looks_like_place(&f.text) {
            h.locations.push(f.text.clone());
        }
    }
    h.workplace = workplace_from_text(&workplaces.join("; "));
    let first = &fields[0];
    match role {
        Some(role) => {
            h.title = role;
            h.company = company(first);
        }
        // "Senior ML Engineer | Remote | ...": the first field is the role, and
        // which field names the company cannot be told.
        None if looks_like_role(&first.text) => h.title = first.text.clone(),
        None => {
            h.title = cut(&whole);
            h.company = company(first);
        }
    }
    h
}

/// One pipe-separated part of the first line.
#[derive(Debug, Default)]
struct Field {
    /// As displayed: text and link texts, whitespace folded.
    text: String,
    /// The text without the link texts ("Acme (https://acme.ai)" → "Acme ()").
    bare: String,
    /// The `href`s of the links in it.
    links: Vec<String>,
}

/// The first non-empty paragraph, cut into fields at `|`; `None` if there is no text.
fn first_line(html: &str) -> Option<Vec<Field>> {
    html.split("<p>").find_map(|para| {
        let doc = Html::parse_fragment(para);
        let mut fields = vec![Field::default()];
        walk(doc.root_element(), &mut fields);
        let fields: Vec<Field> = fields
            .into_iter()
            .map(|f| Field {
                text: fold_whitespace(&f.text),
                bare: fold_whitespace(&f.bare),
                links: f.links,
            })
            .filter(|f| !f.text.is_empty())
            .collect();
        (!fields.is_empty()).then_some(fields)
    })
}

fn walk(el: ElementRef<'_>, fields: &mut Vec<Field>) {
    for child in el.children() {
        if let Some(text) = child.value().as_text() {
            for (i, part) in text.split('|').enumerate() {
                if i > 0 {
                    fields.push(Field::default());
                }
                if let Some(f) = fields.last_mut() {
                    f.text.push_str(part);
                    f.bare.push_str(part);
                }
            }
        } else if let Some(e) = ElementRef::wrap(child) {
            if e.value().name() == "a" {
                if let Some(f) = fields.last_mut() {
                    f.text.extend(e.text());
                    f.links.extend(e.value().attr("href").map(str::to_string));
                }
            } else {
                walk(e, fields);
            }
        }
    }
}

/// The link of a field that is a link and little else ("https://…", "Apply: https://…").
fn link_field(f: &Field) -> Option<String> {
    let words = f
        .bare
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count();
    if words > 3 {
        return None;
    }
    f.links
        .iter()
        .find(|h| Url::parse(h).is_ok_and(|u| matches!(u.scheme(), "http" | "https")))
        .cloned()
}

/// The company from the first field, without its links and their brackets.
fn company(f: &Field) -> Option<String> {
    let name = f.bare.replace("()", "").replace("[]", "");
    let name = fold_whitespace(&name);
    let name = name.trim_matches(|c: char| c.is_whitespace() || matches!(c, '-' | ':' | ',' | '–'));
    (!name.is_empty()).then(|| name.to_string())
}

fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

fn looks_like_role(s: &str) -> bool {
    words(s).any(|w| {
        let w = w.to_lowercase();
        ROLE_WORDS.contains(&w.as_str()) || ROLE_STEMS.iter().any(|stem| w.starts_with(stem))
    })
}

/// A field that names a known place or region, or has the "City, XX" shape.
fn looks_like_place(s: &str) -> bool {
    if s.chars().count() > 80 {
        return false;
    }
    let padded = format!(
        " {} ",
        words(&s.to_lowercase()).collect::<Vec<_>>().join(" ")
    );
    if PLACES.iter().any(|p| padded.contains(&format!(" {p} "))) {
        return true;
    }
    if words(s).any(|w| PLACE_CODES.contains(&w)) {
        return true;
    }
    s.rsplit_once(',').is_some_and(|(city, code)| {
        let code = code.trim();
        code.len() == 2
            && code.chars().all(|c| c.is_ascii_uppercase())
            && city.trim().starts_with(char::is_uppercase)
    })
}

/// The text cut to [`MAX_TITLE`] characters at a word, with "…" when cut.
fn cut(s: &str) -> String {
    if s.chars().count() <= MAX_TITLE {
        return s.to_string();
    }
    let mut out = String::new();
    for word in s.split(' ') {
        if out.chars().count() + word.chars().count() + 1 > MAX_TITLE {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests;
