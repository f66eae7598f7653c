//! The normalized forms that cross-source identity compares: a company key
//! ("Hugging Face, Inc." = "HuggingFace"), a title key ("Sr. ML Engineer
//! (Remote)" = "Senior Machine Learning Engineer"), location keys, and a
//! sketch of the description that survives truncation and reformatting.
//!
//! Pure functions over strings. The store keeps these per sighting and decides
//! with them (`store::dedupe`); nothing here says whether two postings are one job.

mod packed;
mod places;

use std::collections::BTreeSet;

use crate::model::Posting;

pub use places::{Places, locations_compatible, places};

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
    let mut words = words(name);
    if words.first().is_some_and(|w| w == "the") && words.len() > 1 {
        words.remove(0);
    }
    // "Acme Co., Ltd." has two; "Co" alone is a name. Generic tails go too:
    // boards write "Mistral" for "Mistral AI", "Quillon" for "Quillon Labs".
    while words.len() > 1
        && words.last().is_some_and(|w| {
            LEGAL_SUFFIXES.contains(&w.as_str()) || GENERIC_TAILS.contains(&w.as_str())
        })
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
    let mut out: BTreeSet<String> = BTreeSet::new();
    for w in join_compounds(words(&stripped)) {
        match TITLE_WORDS.iter().find(|(k, _)| *k == w) {
            Some((_, expansion)) => out.extend(expansion.split(' ').map(str::to_string)),
            None if TITLE_STOPWORDS.contains(&w.as_str()) => {}
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
fn join_compounds(ws: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(ws.len());
    for w in ws {
        if let Some(prev) = out.last_mut()
            && COMPOUNDS.iter().any(|(a, b)| prev == a && w == *b)
        {
            prev.push_str(&w);
            continue;
        }
        out.push(w);
    }
    out
}

/// Removes parentheticals and separated tails that only say where or how.
fn strip_decorations(title: &str, place_words: &BTreeSet<String>) -> String {
    let decorative = |part: &str| {
        let ws = words(part);
        !ws.is_empty()
            && ws
                .iter()
                .all(|w| DECORATION.contains(&w.as_str()) || place_words.contains(w))
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
            Some((i, len)) if decorative(&s[i + len..]) && !words(&s[..i]).is_empty() => {
                s.truncate(i)
            }
            _ => break,
        }
    }
    // A leading "Remote - " or "Remote: ".
    for sep in [" - ", ": ", " | "] {
        if let Some(i) = s.find(sep)
            && decorative(&s[..i])
            && !words(&s[i + sep.len()..]).is_empty()
        {
            s = s[i + sep.len()..].to_string();
        }
    }
    s
}

/// How many of a description's smallest shingle hashes a sketch keeps.
pub const SKETCH_SIZE: usize = 64;

/// A bottom-k sketch of a description: the smallest hashes of its word
/// 3-grams, sorted. Two sketches estimate how much of the shorter text the
/// longer one contains ([`containment`]), which survives a board cutting the
/// text short, adding a header or footer, or reflowing it.
pub fn sketch(text: &str) -> Vec<u32> {
    // Word hashes without allocating a string per word: this runs for every
    // posting of every fetch.
    let mut word_hashes: Vec<u64> = Vec::new();
    let mut h: u64 = FNV64_OFFSET;
    let mut in_word = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            let b = c.to_ascii_lowercase() as u8;
            h = (h ^ u64::from(b)).wrapping_mul(FNV64_PRIME);
            in_word = true;
        } else if c.is_alphanumeric() {
            for l in c.to_lowercase() {
                let mut buf = [0u8; 4];
                for &b in l.encode_utf8(&mut buf).as_bytes() {
                    h = (h ^ u64::from(b)).wrapping_mul(FNV64_PRIME);
                }
            }
            in_word = true;
        } else if in_word {
            word_hashes.push(h);
            h = FNV64_OFFSET;
            in_word = false;
        }
    }
    if in_word {
        word_hashes.push(h);
    }
    let grams: Vec<u32> = word_hashes
        .windows(3)
        .map(|w| {
            let m = w[0]
                .rotate_left(21)
                .wrapping_mul(FNV64_PRIME)
                .wrapping_add(w[1].rotate_left(42))
                .wrapping_mul(FNV64_PRIME)
                .wrapping_add(w[2]);
            // Fold the high bits in: the low ones of a product mix poorly.
            ((m ^ (m >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9) >> 32) as u32
        })
        .collect();
    smallest_distinct(grams, SKETCH_SIZE)
}

/// The `k` smallest distinct values of `v`, sorted. Most descriptions have
/// hundreds of shingles: the smallest few are picked out in linear time and
/// only they are sorted; the whole list only when repeats leave too few.
fn smallest_distinct(mut v: Vec<u32>, k: usize) -> Vec<u32> {
    let head = 2 * k;
    if v.len() > head {
        // Everything before index `head` is at most v[head], everything after
        // at least: if the head holds k distinct values, they are the k smallest.
        v.select_nth_unstable(head);
        let mut first: Vec<u32> = v[..=head].to_vec();
        first.sort_unstable();
        first.dedup();
        if first.len() >= k {
            first.truncate(k);
            return first;
        }
    }
    v.sort_unstable();
    v.dedup();
    v.truncate(k);
    v
}

const FNV64_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV64_PRIME: u64 = 0x0000_0100_0000_01b3;

/// The fewest shingles a description needs for its sketch to say anything.
pub const SKETCH_MIN: usize = 12;

/// Estimates the share of the smaller description's word 3-grams found in the
/// other, from two sketches; `None` when either is too short to tell.
pub fn containment(a: &[u32], b: &[u32]) -> Option<f64> {
    if a.len() < SKETCH_MIN || b.len() < SKETCH_MIN {
        return None;
    }
    // Compare only below both sketches' thresholds: there, a hash absent
    // from a full sketch is absent from its text.
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let limit = large.last().copied().unwrap_or(0);
    let limit = if small.len() < SKETCH_SIZE {
        limit
    } else {
        limit.min(small.last().copied().unwrap_or(0))
    };
    let sample: Vec<u32> = small.iter().copied().filter(|&h| h <= limit).collect();
    if sample.len() < SKETCH_MIN / 2 {
        return Some(0.0);
    }
    let shared = sample
        .iter()
        .filter(|h| large.binary_search(h).is_ok())
        .count();
    Some(shared as f64 / sample.len() as f64)
}

/// A sketch as stored ([`packed`]: Rice-coded gaps).
pub fn sketch_bytes(sketch: &[u32]) -> Vec<u8> {
    packed::pack(sketch)
}

/// The inverse of [`sketch_bytes`]; stored bytes that are not a sketch give
/// an empty one (which joins nothing by content).
pub fn sketch_from_bytes(bytes: &[u8]) -> Vec<u32> {
    packed::unpack(bytes).unwrap_or_default()
}

/// A sketch as schemas 5 to 12 stored it: little-endian u32s (the migrations
/// that write or convert that form use these).
pub(crate) fn sketch_bytes_le(sketch: &[u32]) -> Vec<u8> {
    sketch.iter().flat_map(|h| h.to_le_bytes()).collect()
}

/// The inverse of [`sketch_bytes_le`]; trailing odd bytes are ignored.
pub(crate) fn sketch_from_le(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

/// The http(s) links of sanitized description HTML, canonical, at most 20:
/// aggregators carry the employer's own posting link there.
pub fn description_links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("href=\"") {
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

/// Lower-case words of letters and digits; everything else separates.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests;
