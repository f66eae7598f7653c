//! The normalized forms that cross-source identity compares: a company key
//! ("Hugging Face, Inc." = "HuggingFace"), a title key ("Sr. ML Engineer
//! (Remote)" = "Senior Machine Learning Engineer"), location keys, and a
//! sketch of the description that survives truncation and reformatting.
//!
//! Pure functions over strings. The store keeps these per sighting and decides
//! with them (`store::dedupe`); nothing here says whether two postings are one job.

mod packed;
mod places;
mod sketch;
mod words;

use std::borrow::Cow;
use std::collections::BTreeSet;

use crate::model::Posting;
use words::{all_words, has_word, lower_words, words};

pub use places::{Places, locations_compatible, places};
#[cfg(test)]
use sketch::smallest_distinct;
pub use sketch::{SKETCH_MIN, SKETCH_SIZE, containment, sketch, sketch_bytes, sketch_from_bytes};
pub(crate) use sketch::{sketch_bytes_le, sketch_from_le};

/// Everything identity compares about one listing, computed once per posting
/// off the write path.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Keys {
    /// [`company_key`] of the company, if it has one.
    pub company: Option<String>,
    /// [`title_key`] of the title.
    pub title: String,
    /// [`places`] of the locations.
    pub places: Places,
    /// [`sketch`] of the description.
    pub sketch: Vec<u32>,
    /// [`description_links`] of the description.
    pub links: Vec<String>,
}

impl Keys {
    /// The keys of a normalized posting.
    pub fn of(p: &Posting) -> Keys {
        Keys {
            company: p.company.as_deref().and_then(company_key),
            title: title_key(&p.title, &p.locations),
            places: places(&p.locations),
            sketch: sketch(&p.text),
            links: description_links(&p.description_html),
        }
    }

    /// The places as stored.
    pub fn places_text(&self) -> String {
        self.places.to_text()
    }
}

/// Legal-form words dropped from the end of a company name.
const LEGAL_SUFFIXES: &[&str] = &[
    "inc",
    "incorporated",
    "llc",
    "l l c",
    "ltd",
    "limited",
    "gmbh",
    "ag",
    "sa",
    "sas",
    "sarl",
    "bv",
    "nv",
    "plc",
    "corp",
    "corporation",
    "co",
    "pbc",
    "oy",
    "ab",
    "as",
    "aps",
    "srl",
    "spa",
    "pty",
    "kk",
    "se",
    "lp",
    "llp",
    "pte",
    "ug",
    "kg",
    "ohg",
    "holdings",
];

/// Words that end many company names without telling them apart.
const GENERIC_TAILS: &[&str] = &[
    "labs",
    "lab",
    "ai",
    "technologies",
    "technology",
    "tech",
    "health",
    "healthcare",
    "software",
    "systems",
    "group",
    "io",
    "hq",
    "global",
    "international",
];

/// A company name reduced to what identifies it: lower case, letters and
/// digits only, legal forms and a leading "the" dropped, spaces removed
/// ("Hugging Face, Inc." → "huggingface"). `None` when nothing is left.
pub fn company_key(name: &str) -> Option<String> {
    let mut lowered = String::new();
    let mut words = lower_words(name, &mut lowered);
    if words.first().is_some_and(|w| w == "the") && words.len() > 1 {
        words.remove(0);
    }
    // "Acme Co., Ltd." has two; "Co" alone is a name. Generic tails go too:
    // boards write "Mistral" for "Mistral AI", "Quillon" for "Quillon Labs".
    while words.len() > 1
        && words
            .last()
            .is_some_and(|w| LEGAL_SUFFIXES.contains(&&**w) || GENERIC_TAILS.contains(&&**w))
    {
        words.pop();
    }
    // Dotted forms split into letters: "S.A." → "s a", "B.V." → "b v".
    while words.len() > 2 {
        let tail = format!("{}{}", words[words.len() - 2], words[words.len() - 1]);
        if words[words.len() - 1].len() == 1 && LEGAL_SUFFIXES.contains(&tail.as_str()) {
            words.truncate(words.len() - 2);
        } else {
            break;
        }
    }
    let mut key: String = words.concat();
    // A tail written fused ("LarkspurAI") goes as a separate one does.
    if let Some(tail) = GENERIC_TAILS
        .iter()
        .find(|t| t.len() >= 2 && key.len() >= t.len() + 4 && key.ends_with(*t))
    {
        key.truncate(key.len() - tail.len());
    }
    (!key.is_empty()).then_some(key)
}

/// Abbreviations expanded in titles, so spellings of one title compare equal.
const TITLE_WORDS: &[(&str, &str)] = &[
    ("sr", "senior"),
    ("snr", "senior"),
    ("jr", "junior"),
    ("jnr", "junior"),
    ("ml", "machine learning"),
    ("mle", "machine learning engineer"),
    ("swe", "software engineer"),
    ("sde", "software engineer"),
    ("eng", "engineer"),
    ("engr", "engineer"),
    ("mgr", "manager"),
    ("mgmt", "management"),
    ("dev", "developer"),
    ("nlp", "natural language processing"),
    ("cv", "computer vision"),
    ("llm", "large language model"),
    ("llms", "large language model"),
    ("ds", "data scientist"),
    ("pm", "product manager"),
    ("vp", "vice president"),
    ("ii", "2"),
    ("iii", "3"),
    ("iv", "4"),
    ("engineers", "engineer"),
    ("scientists", "scientist"),
    ("models", "model"),
];

/// Words that carry no identity in a title.
const TITLE_STOPWORDS: &[&str] = &["of", "the", "and", "for", "a", "an", "to", "in", "with"];

/// Words of a parenthetical or a dash-separated tail that only decorate a
/// title with where or how the job is done, or with a gender note.
const DECORATION: &[&str] = &[
    "remote",
    "hybrid",
    "onsite",
    "on",
    "site",
    "office",
    "anywhere",
    "worldwide",
    "global",
    "globally",
    "fully",
    "100",
    "only",
    "based",
    "first",
    "friendly",
    "us",
    "usa",
    "u",
    "s",
    "uk",
    "eu",
    "emea",
    "apac",
    "latam",
    "americas",
    "europe",
    "european",
    "north",
    "america",
    "canada",
    "timezone",
    "timezones",
    "time",
    "zone",
    "zones",
    "m",
    "f",
    "d",
    "w",
    "x",
    "h",
    "all",
    "genders",
    "gender",
    "or",
    "and",
    "within",
    "est",
    "pst",
    "cet",
    "utc",
    "gmt",
    "location",
    "locations",
    "multiple",
    "full",
    "part",
    "contract",
    "permanent",
    "temporary",
    "urgent",
    "hiring",
    "new",
];

/// A title reduced to what identifies the role: abbreviations expanded
/// ("Sr. ML" → "senior machine learning"), decorations removed (a trailing
/// "(Remote)", "- Remote, US", "(m/f/d)", or a parenthetical that repeats one of
/// `locations`), stop words dropped, and the remaining distinct words sorted,
/// so "Engineer, Machine Learning" = "Machine Learning Engineer". Specialisations
/// ("Research Engineer, Pretraining" vs "…, Inference") and levels ("II" vs
/// "Senior") stay distinct.
pub fn title_key(title: &str, locations: &[String]) -> String {
    let place_words: BTreeSet<String> = locations.iter().flat_map(|l| words(l)).collect();
    let stripped = strip_decorations(title, &place_words);
    let mut lowered = String::new();
    let mut out: BTreeSet<Cow<str>> = BTreeSet::new();
    for w in join_compounds(lower_words(&stripped, &mut lowered)) {
        match TITLE_WORDS.iter().find(|(k, _)| *k == w) {
            Some((_, expansion)) => out.extend(expansion.split(' ').map(Cow::Borrowed)),
            None if TITLE_STOPWORDS.contains(&&*w) => {}
            None => {
                out.insert(w);
            }
        }
    }
    out.into_iter().collect::<Vec<_>>().join(" ")
}

/// Word pairs that titles write as one word or two ("Front End", "Frontend").
const COMPOUNDS: &[(&str, &str)] = &[
    ("front", "end"),
    ("back", "end"),
    ("full", "stack"),
    ("data", "base"),
    ("dev", "ops"),
    ("ml", "ops"),
    ("on", "call"),
    ("co", "founder"),
    ("cyber", "security"),
    ("web", "site"),
];

/// Joins the word pairs of [`COMPOUNDS`] into one word.
fn join_compounds(ws: Vec<Cow<str>>) -> Vec<Cow<str>> {
    let mut out: Vec<Cow<str>> = Vec::with_capacity(ws.len());
    for w in ws {
        if let Some(prev) = out.last_mut()
            && COMPOUNDS.iter().any(|(a, b)| prev == a && w == *b)
        {
            prev.to_mut().push_str(&w);
            continue;
        }
        out.push(w);
    }
    out
}

/// Removes parentheticals and separated tails that only say where or how.
fn strip_decorations(title: &str, place_words: &BTreeSet<String>) -> String {
    let decorative = |part: &str| {
        let mut any = false;
        let all = all_words(part, |w| {
            any = true;
            DECORATION.contains(&w) || place_words.contains(w)
        });
        any && all
    };
    let mut out = String::with_capacity(title.len());
    let mut rest = title;
    // Bracketed parts: dropped when decorative, kept (as words) otherwise.
    while let Some(open) = rest.find(['(', '[']) {
        out.push_str(&rest[..open]);
        let close_char = if rest[open..].starts_with('(') {
            ')'
        } else {
            ']'
        };
        match rest[open + 1..].find(close_char) {
            Some(len) => {
                let inner = &rest[open + 1..open + 1 + len];
                if !decorative(inner) {
                    out.push(' ');
                    out.push_str(inner);
                    out.push(' ');
                }
                rest = &rest[open + 2 + len..];
            }
            None => {
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    // Tails after " - ", " – ", " | " or ", ": dropped while decorative.
    let mut s = out;
    loop {
        let cut = [" - ", " – ", " — ", " | ", ", ", " / "]
            .iter()
            .filter_map(|sep| s.rfind(sep).map(|i| (i, sep.len())))
            .max_by_key(|&(i, _)| i);
        match cut {
            Some((i, len)) if decorative(&s[i + len..]) && has_word(&s[..i]) => s.truncate(i),
            _ => break,
        }
    }
    // A leading "Remote - " or "Remote: ".
    for sep in [" - ", ": ", " | "] {
        if let Some(i) = s.find(sep)
            && decorative(&s[..i])
            && has_word(&s[i + sep.len()..])
        {
            s = s[i + sep.len()..].to_string();
        }
    }
    s
}

/// The http(s) links of sanitized description HTML, canonical, at most 20:
/// aggregators carry the employer's own posting link there.
pub fn description_links(html: &str) -> Vec<String> {
    // One SIMD searcher for every description, built once.
    static HREF: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("href=\""));
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = HREF.find(rest.as_bytes()) {
        rest = &rest[i + 6..];
        let Some(end) = rest.find('"') else { break };
        let href = rest[..end].replace("&amp;", "&");
        rest = &rest[end..];
        if let Some(url) = super::canonical_url(&href)
            && !out.contains(&url)
        {
            out.push(url);
            if out.len() == 20 {
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
