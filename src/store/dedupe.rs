//! Cross-source identity: whether a listing not seen before is a job already
//! stored, and why. Pure decisions over the normalized forms of
//! [`crate::normalize::identity`]; `ingest` finds the candidates (by URL, by
//! link, and by company and title key: an index lookup, never a scan) and
//! applies the verdict.
//!
//! Evidence, strongest first:
//! 1. the same canonical URL;
//! 2. an apply link or a description link that is another listing's URL
//!    (aggregators carry the employer's link), or the other way round;
//! 3. the same company, the same title key, compatible locations, and
//!    descriptions that contain each other (or, when either description is too
//!    short to compare, the same specific place).
//!
//! When in doubt, listings stay apart: a wrong merge hides a job, a duplicate
//! only repeats one. Two open listings of one board under two ids are two
//! requisitions, never merged by content; a closed one reposted under a new
//! id is the same job, reopened.

use std::collections::BTreeSet;

use crate::normalize::identity::{Keys, Places, containment, locations_compatible};

/// Why a listing was joined to a stored job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The first listing of the job.
    First,
    /// Same canonical URL as another listing.
    Url,
    /// Its apply link is another listing's URL, or the other way round.
    ApplyLink,
    /// It has the same apply link as another listing.
    SharedApply,
    /// A link in its description is another listing's URL, or the other way round.
    Link,
    /// Same company, title and place, and the same description.
    Content,
    /// Split off a job it no longer agreed with.
    Split,
}

impl Reason {
    /// The stable name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::First => "first",
            Reason::Url => "url",
            Reason::ApplyLink => "apply-link",
            Reason::SharedApply => "same-apply-link",
            Reason::Link => "link",
            Reason::Content => "content",
            Reason::Split => "split",
        }
    }

    /// Whether the join rests on content, so later contradicting content may undo it.
    pub fn is_soft(s: &str) -> bool {
        matches!(s, "content" | "link" | "same-apply-link")
    }
}

/// A stored listing found as a candidate, with what identity compares.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The job it belongs to.
    pub posting_id: i64,
    /// Its company key.
    pub company: Option<String>,
    /// Its title key.
    pub title: Option<String>,
    /// Its places.
    pub places: Places,
    /// Its description sketch.
    pub sketch: Vec<u32>,
}

/// Description containment at or above which two listings say the same.
pub const SAME_TEXT: f64 = 0.5;

/// Containment below which a listing no longer agrees with the job it was joined to.
pub const DIFFERENT_TEXT: f64 = 0.2;

/// Whether two company keys can name one employer: equal, one the start of
/// the other ("brightwater" and "brightwaterhealth": a name made from a board
/// slug, or a board's short form), or either unknown.
pub fn companies_compatible(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => {
            let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
            short == long || (short.len() >= 4 && long.starts_with(short))
        }
        _ => true,
    }
}

/// Share of the smaller title's words found in the other.
pub fn title_overlap(a: &str, b: &str) -> f64 {
    let wa: BTreeSet<&str> = a.split(' ').filter(|w| !w.is_empty()).collect();
    let wb: BTreeSet<&str> = b.split(' ').filter(|w| !w.is_empty()).collect();
    let small = wa.len().min(wb.len());
    if small == 0 {
        return 0.0;
    }
    wa.intersection(&wb).count() as f64 / small as f64
}

/// Whether a link between two listings is believable: the companies may be
/// one, and for a description link (weaker than an apply link) the titles
/// share most of their words.
pub fn link_agrees(new: &Keys, c: &Candidate, reason: Reason) -> bool {
    if !companies_compatible(new.company.as_deref(), c.company.as_deref()) {
        return false;
    }
    // A page link names one job; a description link or a shared apply link
    // may name a careers page, so the titles must agree too.
    match reason {
        Reason::Link | Reason::SharedApply => c
            .title
            .as_deref()
            .is_some_and(|t| title_overlap(&new.title, t) >= 0.5),
        _ => true,
    }
}

/// The content verdict for a candidate with the same company and title key:
/// `Some(detail)` when it is the same job.
pub fn same_content(new: &Keys, c: &Candidate) -> Option<String> {
    if new.company.is_none() || new.company != c.company || c.title.as_deref() != Some(&new.title) {
        return None;
    }
    if !locations_compatible(&new.places, &c.places) {
        return None;
    }
    match containment(&new.sketch, &c.sketch) {
        Some(share) if share >= SAME_TEXT => Some(format!(
            "same company, title and place; {:.0}% of the description shared",
            share * 100.0
        )),
        Some(_) => None,
        // Nothing to compare the text by: only a shared city will do.
        None => {
            let shared: Vec<&str> = new
                .places
                .cities
                .intersection(&c.places.cities)
                .map(String::as_str)
                .collect();
            (!shared.is_empty()).then(|| {
                format!(
                    "same company, title and place ({}); description too short to compare",
                    shared.join(", ")
                )
            })
        }
    }
}

/// Whether two listings' links name different jobs on one site: both link
/// to a host with an id in the path or query ("/jobs/256", "?gh_jid=4003"),
/// and no id is shared. Two requisitions written from one template differ
/// there; copies of one job agree ("/jobs/256" and "/jobs/256/apply").
pub fn links_conflict(a: &[String], b: &[String]) -> bool {
    let ids = |links: &[String]| -> Vec<(String, BTreeSet<String>)> {
        links
            .iter()
            .filter_map(|l| url::Url::parse(l).ok())
            .filter_map(|u| {
                let host = u.host_str()?.to_string();
                let ids: BTreeSet<String> = u
                    .path()
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .chain(
                        u.query()
                            .unwrap_or("")
                            .split(|c: char| !c.is_ascii_alphanumeric()),
                    )
                    .filter(|t| t.bytes().filter(u8::is_ascii_digit).count() >= 3)
                    .map(str::to_ascii_lowercase)
                    .collect();
                (!ids.is_empty()).then_some((host, ids))
            })
            .collect()
    };
    let (ia, ib) = (ids(a), ids(b));
    let hosts: BTreeSet<&String> = ia.iter().map(|(h, _)| h).collect();
    hosts.into_iter().any(|host| {
        let on = |v: &[(String, BTreeSet<String>)]| -> BTreeSet<String> {
            v.iter()
                .filter(|(h, _)| h == host)
                .flat_map(|(_, ids)| ids.iter().cloned())
                .collect()
        };
        let (sa, sb) = (on(&ia), on(&ib));
        !sb.is_empty() && sa.is_disjoint(&sb)
    })
}

/// Whether a listing joined by content now contradicts the job's other
/// listings (another company or title, another place, another text), so that
/// it must be split off.
pub fn diverges(new: &Keys, others: &[Candidate]) -> bool {
    let agrees = |c: &Candidate| {
        companies_compatible(new.company.as_deref(), c.company.as_deref())
            && c.title
                .as_deref()
                .is_none_or(|t| t == new.title || title_overlap(&new.title, t) >= 0.5)
            && locations_compatible(&new.places, &c.places)
            && containment(&new.sketch, &c.sketch).is_none_or(|s| s >= DIFFERENT_TEXT)
    };
    // One agreeing listing is enough: the join may have come through it alone.
    !others.is_empty() && !others.iter().any(agrees)
}

#[cfg(test)]
mod tests;
