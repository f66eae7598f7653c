//! What jobhound knows about each job board's alert emails: which sender
//! addresses are the board's, which of its emails are job alerts (and which are
//! messages, newsletters or "your application was viewed"), and how a link in
//! an alert becomes the board's canonical job URL, without tracking.
//!
//! Links are the anchor of every parser: a job-view link identifies the job
//! whatever the layout around it, and it must lead to the board's own domain,
//! so that a spoofed "linkedin" email cannot plant postings that point elsewhere.

use url::Url;

use crate::config::Board;

/// The mail domains (and their subdomains) each board sends from.
fn domains(board: Board) -> &'static [&'static str] {
    match board {
        Board::LinkedIn => &["linkedin.com"],
        Board::Indeed => &["indeed.com"],
        Board::Glassdoor => &["glassdoor.com"],
        Board::Wellfound => &["wellfound.com", "angel.co", "angellist.com"],
        Board::ZipRecruiter => &["ziprecruiter.com"],
    }
}

/// The IMAP `FROM` search terms that find a board's emails.
pub(super) fn search_terms(board: Board) -> &'static [&'static str] {
    domains(board)
}

/// Whether `domain` is `parent` or one of its subdomains.
pub(super) fn within(domain: &str, parent: &str) -> bool {
    domain == parent
        || domain
            .strip_suffix(parent)
            .is_some_and(|rest| rest.ends_with('.'))
}

/// The board, among `boards`, that sent from `address`.
pub(super) fn board_of(address: &str, boards: &[Board]) -> Option<Board> {
    let domain = address.rsplit_once('@')?.1.to_ascii_lowercase();
    boards
        .iter()
        .copied()
        .find(|b| domains(*b).iter().any(|d| within(&domain, d)))
}

/// Sender addresses (local parts, or whole domains) that send only job alerts.
fn alert_senders(board: Board) -> &'static [&'static str] {
    match board {
        Board::LinkedIn => &["jobalerts-noreply@", "jobs-listings@"],
        Board::Indeed => &["alert@", "jobalerts@", "@jobalert.indeed.com"],
        Board::Glassdoor => &["jobalerts@"],
        Board::Wellfound => &[],
        Board::ZipRecruiter => &["alerts@", "jobalerts@"],
    }
}

/// Words of a subject that announce jobs ("New jobs: ML Engineer at Acme and 9
/// more jobs", "Acme is hiring for ML Engineer + 30 new jobs", "Your job alert
/// for data scientist", "ML Engineer at Acme and 29 more jobs in Boston for you!").
const ALERT_SUBJECT: &[&str] = &[
    "job alert",
    "new job",
    "new jobs",
    "job for you",
    "jobs for you",
    "is hiring",
    "are hiring",
    "more job",
    "jobs similar",
    "jobs match",
    "job matches",
    "recommended jobs",
    "jobs you may",
    "new opportunities",
];

/// Words of a subject that announce something else, even when it names a job
/// ("Your application was viewed by Acme", "New message from ...").
const NOT_ALERT_SUBJECT: &[&str] = &[
    "application",
    "applied",
    "message",
    "viewed your",
    "invitation",
    "invited you",
    "newsletter",
    "connection",
    "interview",
    "your profile",
    "password",
    "verify",
    "security",
    "receipt",
    "welcome",
];

/// Whether an email from `board`, sent by `address` with `subject`, is a job alert.
pub(super) fn is_alert(board: Board, address: &str, subject: &str) -> bool {
    let address = address.to_ascii_lowercase();
    let subject = subject.to_lowercase();
    if NOT_ALERT_SUBJECT.iter().any(|w| subject.contains(w)) {
        return false;
    }
    alert_senders(board).iter().any(|s| {
        if s.starts_with('@') {
            address.ends_with(s)
        } else {
            address.starts_with(s)
        }
    }) || ALERT_SUBJECT.iter().any(|w| subject.contains(w))
}

/// Query keys of redirect links that carry the real target.
const REDIRECT_KEYS: &[&str] = &["url", "u", "dest", "destination", "redirect", "target", "r"];

/// The canonical job URL a link in an email from `board` leads to, looking
/// through redirect wrappers (`?url=https%3A%2F%2F...`) up to three deep.
pub(super) fn canonical(board: Board, href: &str) -> Option<String> {
    let mut url = Url::parse(href.trim()).ok()?;
    for _ in 0..3 {
        if let Some(found) = job_url(board, &url) {
            return Some(found);
        }
        let inner = url
            .query_pairs()
            .find(|(k, _)| REDIRECT_KEYS.contains(&k.as_ref()))
            .and_then(|(_, v)| Url::parse(&v).ok())?;
        url = inner;
    }
    None
}

/// The canonical URL of `url` when it is a job page of `board` on its own domain.
fn job_url(board: Board, url: &Url) -> Option<String> {
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?.to_ascii_lowercase();
    let param = |key: &str| {
        url.query_pairs()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.into_owned())
    };
    let segments: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    match board {
        Board::LinkedIn => {
            if !within(&host, "linkedin.com") {
                return None;
            }
            // /comm/jobs/view/ID, /jobs/view/ID, /jobs/view/title-at-company-ID
            let at = segments.windows(2).position(|w| w == ["jobs", "view"])?;
            let last = segments.get(at + 2)?;
            let id = last.rsplit('-').next()?;
            digits(id, 6, 20).then(|| format!("https://www.linkedin.com/jobs/view/{id}"))
        }
        Board::Indeed => {
            let country = indeed_host(&host)?;
            let path = url.path().to_ascii_lowercase();
            let job_path = [
                "/rc/clk",
                "/viewjob",
                "/m/viewjob",
                "/pagead/clk",
                "/applystart",
            ]
            .iter()
            .any(|p| path.starts_with(p));
            let jk = param("jk").or_else(|| param("vjk"))?;
            let ok =
                jk.len() >= 8 && jk.len() <= 32 && jk.chars().all(|c| c.is_ascii_alphanumeric());
            (job_path && ok)
                .then(|| format!("https://{country}/viewjob?jk={}", jk.to_ascii_lowercase()))
        }
        Board::Glassdoor => {
            let glassdoor = national(&host, "glassdoor").is_some();
            let id = param("jl").or_else(|| param("jobListingId"))?;
            (glassdoor && digits(&id, 5, 20))
                .then(|| format!("https://www.glassdoor.com/job-listing/j?jl={id}"))
        }
        Board::Wellfound => {
            if !(within(&host, "wellfound.com") || within(&host, "angel.co")) {
                return None;
            }
            // /jobs/ID-slug, /company/x/jobs/ID-slug, /l/...: the id is the number first in the segment.
            let at = segments.iter().position(|s| *s == "jobs")?;
            let id = segments.get(at + 1)?.split('-').next()?;
            digits(id, 3, 20).then(|| format!("https://wellfound.com/jobs/{id}"))
        }
        Board::ZipRecruiter => {
            if !within(&host, "ziprecruiter.com") {
                return None;
            }
            let first = *segments.first()?;
            if !["c", "jobs", "k", "ekm", "km", "job"].contains(&first) || segments.len() < 2 {
                return None;
            }
            let path = segments.join("/");
            Some(match param("jid") {
                Some(jid) if jid.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') => {
                    format!("https://www.ziprecruiter.com/{path}?jid={jid}")
                }
                _ => format!("https://www.ziprecruiter.com/{path}"),
            })
        }
    }
}

/// The Indeed site a link's host belongs to: a country site (`uk.indeed.com`,
/// `www.indeed.co.uk`) stays itself; mail and click hosts mean `www.indeed.com`.
fn indeed_host(host: &str) -> Option<String> {
    if within(host, "indeed.com") {
        let first = host.split('.').next().unwrap_or("");
        let country = host != "indeed.com" && first.len() == 2 && host.matches('.').count() == 2;
        return Some(if country {
            host.to_string()
        } else {
            "www.indeed.com".into()
        });
    }
    national(host, "indeed").map(|site| format!("www.{site}"))
}

/// `name.tld` or `name.co.tld` (with any subdomain) when `host` is a national
/// site of the board `name` (`www.indeed.co.uk` → `indeed.co.uk`), so that
/// `indeed.evil.example` is not mistaken for one.
fn national(host: &str, name: &str) -> Option<String> {
    let labels: Vec<&str> = host.split('.').collect();
    let at = labels.iter().position(|l| *l == name)?;
    let tail = &labels[at + 1..];
    let short =
        !tail.is_empty() && tail.len() <= 2 && tail.iter().all(|l| (2..=3).contains(&l.len()));
    short.then(|| labels[at..].join("."))
}

/// Whether `s` is `min..=max` ASCII digits.
fn digits(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests;
