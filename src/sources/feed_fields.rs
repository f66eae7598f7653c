//! Fields job feeds put beside the standard RSS and Atom elements: We Work
//! Remotely's items carry `region`, `country`, `state`, `type` and `skills`,
//! other job feeds `location`, `job_type`, `company` or `salary`. feed-rs
//! keeps only the standard elements, so the item XML is read a second time
//! here, for these children alone, and only when the body has any of them.

use std::collections::HashMap;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use quick_xml::events::Event;

use crate::model::RawPosting;
use crate::normalize::decode_entities;

/// The non-standard fields of one item, as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemFields {
    /// `region`: "Anywhere in the World", "USA Only".
    pub region: Option<String>,
    /// `country`.
    pub country: Option<String>,
    /// `state`.
    pub state: Option<String>,
    /// `city`.
    pub city: Option<String>,
    /// `location` or `job_location`.
    pub location: Option<String>,
    /// `type`, `job_type`, `jobtype` or `employment_type`: "Full-Time".
    pub employment_type: Option<String>,
    /// `skills`, comma-separated.
    pub skills: Option<String>,
    /// `company` or `company_name`.
    pub company: Option<String>,
    /// `salary`.
    pub salary: Option<String>,
}

/// Element names (without prefix) worth a second read when a body has one.
const MARKERS: &[&[u8]] = &[
    b"<region>",
    b"<country>",
    b"<skills>",
    b"<job_type>",
    b"<jobtype>",
    b"<job_location>",
    b"<company>",
    b"<company_name>",
    b"<salary>",
    b":location>",
    b":company>",
];

/// The non-standard fields of each item or entry, keyed by its `guid` (or
/// `id`), and by its `link`, whichever it has. Empty when the body has none of
/// these elements or is not XML (the standard parse reports that).
pub fn item_fields(body: &[u8]) -> HashMap<String, ItemFields> {
    let mut out = HashMap::new();
    if !has_markers(body) {
        return out;
    }
    // The feed parse reports a body that is not UTF-8.
    let Ok(text) = std::str::from_utf8(body) else {
        return out;
    };
    let mut reader = quick_xml::Reader::from_str(text);
    // Inside an item: its fields so far, its keys, and the child being read.
    let mut item: Option<(ItemFields, Vec<String>)> = None;
    let mut child: Option<(String, String)> = None;
    let mut depth = 0usize;
    // A broken document ends the read: the standard parse reports it.
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Start(e) => {
                let name = e.local_name();
                let name = name.as_ref();
                depth += 1;
                if item.is_none()
                    && (name.eq_ignore_ascii_case("item") || name.eq_ignore_ascii_case("entry"))
                {
                    item = Some((ItemFields::default(), Vec::new()));
                    depth = 0;
                } else if item.is_some() && depth == 1 {
                    // Only the children read here collect their text: a
                    // description is large and not needed twice.
                    child = wanted(name).map(|w| (w.to_string(), String::new()));
                    if child.is_none() {
                        // Skipped whole, without an event per entity in it.
                        let end = e.to_end().into_owned();
                        if reader.read_to_end(end.name()).is_err() {
                            break;
                        }
                        depth -= 1;
                    }
                }
            }
            Event::Empty(e) => {
                // `<link href="..."/>` of Atom.
                if let Some((_, keys)) = item.as_mut()
                    && depth == 0
                    && e.local_name().as_ref() == "link"
                {
                    for a in e.attributes().flatten() {
                        if a.key.local_name().as_ref() == "href" {
                            keys.push(a.value.trim().to_string());
                        }
                    }
                }
            }
            Event::Text(t) => {
                if let Some((_, text)) = child.as_mut() {
                    text.push_str(&t.into_inner());
                }
            }
            Event::CData(t) => {
                if let Some((_, text)) = child.as_mut() {
                    // Escape what decoding would undo: CDATA is literal.
                    text.push_str(&t.into_inner().replace('&', "&amp;"));
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, text)) = child.as_mut() {
                    text.push('&');
                    text.push_str(&r.into_inner());
                    text.push(';');
                }
            }
            Event::End(_) => {
                if depth == 0 {
                    if let Some((fields, keys)) = item.take() {
                        for k in keys.into_iter().filter(|k| !k.is_empty()) {
                            out.insert(k, fields.clone());
                        }
                    }
                } else {
                    if depth == 1
                        && let (Some((name, text)), Some((fields, keys))) =
                            (child.take(), item.as_mut())
                    {
                        set(fields, keys, &name, value(&text));
                    }
                    depth -= 1;
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// Whether a body has any of the elements read here (the others, such as
/// `type` or `city`, are read only beside one of these).
pub(crate) fn has_markers(body: &[u8]) -> bool {
    // One pass for all the markers: searched one by one, a feed with only
    // the last had its body read eleven times.
    static FINDER: LazyLock<AhoCorasick> =
        LazyLock::new(|| AhoCorasick::new(MARKERS).expect("the markers are plain strings"));
    FINDER.is_match(body)
}

/// The name [`set`] knows a child by, when its local name (any case) is one.
pub(crate) fn wanted(local_name: &str) -> Option<&'static str> {
    WANTED
        .iter()
        .find(|w| local_name.eq_ignore_ascii_case(w))
        .copied()
}

/// A child's value from its text as collected here: text as written, CDATA
/// with `&` escaped, references as written; then entities decoded, trimmed.
pub(crate) fn value(text: &str) -> String {
    decode_entities(text.trim()).trim().to_string()
}

/// The children whose text [`set`] reads.
const WANTED: &[&str] = &[
    "guid",
    "id",
    "link",
    "region",
    "country",
    "state",
    "city",
    "location",
    "job_location",
    "type",
    "job_type",
    "jobtype",
    "employment_type",
    "skills",
    "company",
    "company_name",
    "salary",
];

/// Stores a child's value under its field (or, for `guid`, `id` and `link`,
/// as a key of the item); the first value of a field wins, empty ones are none.
pub(crate) fn set(fields: &mut ItemFields, keys: &mut Vec<String>, name: &str, value: String) {
    if value.is_empty() {
        return;
    }
    let slot = match name {
        "guid" | "id" | "link" => {
            keys.push(value);
            return;
        }
        "region" => &mut fields.region,
        "country" => &mut fields.country,
        "state" => &mut fields.state,
        "city" => &mut fields.city,
        "location" | "job_location" => &mut fields.location,
        "type" | "job_type" | "jobtype" | "employment_type" => &mut fields.employment_type,
        "skills" => &mut fields.skills,
        "company" | "company_name" => &mut fields.company,
        "salary" => &mut fields.salary,
        _ => return,
    };
    slot.get_or_insert(value);
}

impl ItemFields {
    /// Fills what the posting lacks from these fields: its locations (the
    /// place from city, state and country; else `location`; and the remote
    /// region), contract type, skills as tags, company and salary text.
    pub fn apply(&self, p: &mut RawPosting) {
        if p.locations.is_empty() {
            let place: Vec<&str> = [&self.city, &self.state, &self.country]
                .into_iter()
                .filter_map(|s| s.as_deref())
                .collect();
            if !place.is_empty() {
                p.locations.push(place.join(", "));
            } else if let Some(l) = &self.location {
                p.locations.push(l.clone());
            }
            if let Some(r) = &self.region {
                p.locations.push(r.clone());
            }
        }
        if p.employment_type.is_none() {
            p.employment_type.clone_from(&self.employment_type);
        }
        if let Some(skills) = &self.skills {
            for s in skills.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                if !p.tags.iter().any(|t| t.eq_ignore_ascii_case(s)) {
                    p.tags.push(s.to_string());
                }
            }
        }
        if p.company.is_none() {
            p.company.clone_from(&self.company);
        }
        if p.salary_text.is_none() {
            p.salary_text.clone_from(&self.salary);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_marker_alone_is_found_and_a_plain_feed_has_none() {
        for marker in MARKERS {
            let mut body = b"<rss><channel><item><title>t</title>".to_vec();
            body.extend_from_slice(marker);
            body.extend_from_slice(b"x</x></item></channel></rss>");
            assert!(has_markers(&body), "{}", String::from_utf8_lossy(marker));
        }
        let plain = std::fs::read("fixtures/feed/atom.xml").expect("fixture");
        assert!(!has_markers(&plain));
    }

    #[test]
    fn wwr_items_give_their_region_type_and_skills() {
        let body = std::fs::read("fixtures/feed/wwr-programming.rss").expect("fixture");
        let fields = item_fields(&body);
        let lumen =
            &fields["https://weworkremotely.com/remote-jobs/lumen-labs-machine-learning-engineer"];
        assert_eq!(lumen.region.as_deref(), Some("Anywhere in the World"));
        assert_eq!(lumen.employment_type.as_deref(), Some("Full-Time"));
        assert_eq!(lumen.country, None, "empty elements are absent");
        let mut p = RawPosting::default();
        lumen.apply(&mut p);
        assert_eq!(p.locations, ["Anywhere in the World"]);
        assert_eq!(p.employment_type.as_deref(), Some("Full-Time"));
    }

    #[test]
    fn places_skills_and_escaping_are_read_from_any_item() {
        let body = br#"<rss><channel><item><title>x</title><guid>g1</guid>
            <country>Germany</country><state>Berlin</state><skills>PyTorch, CUDA ,</skills>
            <company><![CDATA[R&D Labs]]></company><salary>&#8364;80k</salary></item>
            <item><guid>g2</guid><region>USA Only</region></item></channel></rss>"#;
        let fields = item_fields(body);
        let mut p = RawPosting::default();
        fields["g1"].apply(&mut p);
        assert_eq!(p.locations, ["Berlin, Germany"]);
        assert_eq!(p.tags, ["PyTorch", "CUDA"]);
        assert_eq!(p.company.as_deref(), Some("R&D Labs"));
        assert_eq!(p.salary_text.as_deref(), Some("€80k"));
        assert_eq!(fields["g2"].region.as_deref(), Some("USA Only"));
    }

    #[test]
    fn feeds_without_such_elements_and_broken_xml_give_nothing() {
        assert!(
            item_fields(b"<rss><channel><item><guid>a</guid></item></channel></rss>").is_empty()
        );
        assert!(item_fields(b"<rss><item><guid>a</guid><region>EU").is_empty());
    }
}
