//! Where a listing says a job is, in a form two listings compare by: cities
//! spelled one way, the wider regions after them, and what names no place.

use std::collections::BTreeSet;

use super::words::lower_words;

/// Where a listing says a job is: the places it names first in each location
/// (cities, mostly: "San Francisco" of "San Francisco, CA") and the wider
/// regions it names after them ("ca", "germany"). Ways of working and wide
/// areas ("Remote", "USA", "Worldwide") name no place.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Places {
    /// The first part of each location, spelled one way ("san francisco").
    pub cities: BTreeSet<String>,
    /// The later parts ("ca", "usa", "germany").
    pub regions: BTreeSet<String>,
}

impl Places {
    /// The places as stored: cities, then `#`, then regions, each `|`-separated.
    pub fn to_text(&self) -> String {
        let size = |s: &BTreeSet<String>| s.iter().map(|w| w.len() + 1).sum::<usize>();
        let mut out = String::with_capacity(size(&self.cities) + size(&self.regions) + 1);
        join_into(&mut out, &self.cities);
        out.push('#');
        join_into(&mut out, &self.regions);
        out
    }

    /// The inverse of [`Places::to_text`].
    pub fn from_text(s: &str) -> Places {
        let (cities, regions) = s.split_once('#').unwrap_or((s, ""));
        let set = |t: &str| {
            t.split('|')
                .filter(|w| !w.is_empty())
                .map(String::from)
                .collect()
        };
        Places {
            cities: set(cities),
            regions: set(regions),
        }
    }
}

/// Appends `words` to `out`, `|`-separated.
fn join_into(out: &mut String, words: &BTreeSet<String>) {
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push('|');
        }
        out.push_str(w);
    }
}

/// The places of a listing's locations.
pub fn places(locations: &[String]) -> Places {
    let mut out = Places::default();
    for location in locations {
        let lower = location.to_lowercase();
        for segment in lower
            .split([';', '|', '/', '(', ')', '\n'])
            .flat_map(|s| s.split(" or "))
            .flat_map(|s| s.split(" & "))
        {
            let mut parts = segment.split(',').map(place_name).filter(|p| !p.is_empty());
            if let Some(first) = parts.next() {
                out.cities.insert(first);
            }
            out.regions.extend(parts);
        }
    }
    out
}

/// One place, spelled one way: noise words dropped ("greater", "area",
/// "office"), other spellings of a city mapped to one ("sf bay area" →
/// "san francisco"), and "" for what names no place ("remote", "usa").
fn place_name(part: &str) -> String {
    let mut lowered = String::new();
    let ws: Vec<_> = lower_words(part, &mut lowered)
        .into_iter()
        .filter(|w| !LOCATION_NOISE.contains(&&**w))
        .collect();
    if ws.iter().all(|w| WIDE.contains(&&**w)) {
        return String::new();
    }
    let name = ws.join(" ");
    match PLACE_ALIASES.iter().find(|(k, _)| *k == name) {
        Some((_, v)) => (*v).to_string(),
        None => name,
    }
}

/// Words in locations that say nothing about the place.
const LOCATION_NOISE: &[&str] = &[
    "of",
    "the",
    "only",
    "based",
    "in",
    "office",
    "offices",
    "hq",
    "area",
    "bay",
    "greater",
    "metro",
    "metropolitan",
    "city",
    "time",
    "zone",
    "timezone",
    "friendly",
    "fully",
    "100",
    "first",
    "hub",
    "region",
    "county",
];

/// Other spellings of a place, after noise words are dropped.
const PLACE_ALIASES: &[(&str, &str)] = &[
    ("sf", "san francisco"),
    ("san francisco sf", "san francisco"),
    ("silicon valley", "san francisco"),
    ("nyc", "new york"),
    ("ny", "new york"),
    ("manhattan", "new york"),
    ("brooklyn", "new york"),
    ("la", "los angeles"),
    ("dc", "washington"),
    ("washington dc", "washington"),
    ("washington d c", "washington"),
    ("london uk", "london"),
    ("münchen", "munich"),
    ("muenchen", "munich"),
    ("köln", "cologne"),
    ("zürich", "zurich"),
    ("genève", "geneva"),
    ("montréal", "montreal"),
    ("bengaluru", "bangalore"),
    ("tel aviv yafo", "tel aviv"),
];

/// Words that name a wide region or a way of working rather than a place.
const WIDE: &[&str] = &[
    "remote",
    "hybrid",
    "onsite",
    "on",
    "site",
    "anywhere",
    "worldwide",
    "global",
    "world",
    "us",
    "usa",
    "u",
    "s",
    "united",
    "states",
    "america",
    "north",
    "south",
    "latin",
    "uk",
    "kingdom",
    "eu",
    "europe",
    "emea",
    "apac",
    "latam",
    "americas",
    "cet",
    "est",
    "pst",
    "utc",
    "gmt",
    "international",
    "distributed",
    "work",
    "from",
    "home",
    "wfh",
    "or",
    "and",
    "any",
    "location",
    "locations",
    "multiple",
    "flexible",
    "timezones",
];

/// Whether two listings' places can be one job's: yes when either names no
/// place (aggregators write "Remote" or "USA" for what the employer lists as
/// a city), when they share a city, or when one's city is a region of the
/// other ("Germany" and "Berlin, Germany"); no when both name cities and none
/// is shared or contains the other (two requisitions in two cities).
pub fn locations_compatible(a: &Places, b: &Places) -> bool {
    a.cities.is_empty()
        || b.cities.is_empty()
        || !a.cities.is_disjoint(&b.cities)
        || !a.cities.is_disjoint(&b.regions)
        || !b.cities.is_disjoint(&a.regions)
}
