//! Canonical URLs: the cross-source identity key of a posting.
//!
//! Input: a URL as a source wrote it (absolute, or relative to a page). Output: one
//! spelling per page, so that the same posting seen through two sources, or with
//! and without tracking parameters, compares equal.
//!
//! What canonicalization does, in order: parse with the `url` crate (lower-case
//! scheme and host, default port dropped, percent-encoding normalized), drop the
//! fragment and any user info, drop tracking query parameters, sort what is left
//! by key (stable, so repeated keys keep their order), drop an empty `?`, and drop
//! trailing `/` from non-root paths.
//!
//! `source` is dropped too: on job postings it names the referring board
//! (`?source=linkedin`, `?source=board0042`), as applicant-tracking systems use it,
//! and keeping it would leave the same job on two boards as two postings.

use ::url::Url;

/// Query keys that only track where a click came from (compared case-insensitively;
/// every `utm_*` key is dropped as well).
const TRACKING_KEYS: &[&str] = &[
    "gclid",
    "fbclid",
    "dclid",
    "msclkid",
    "mc_cid",
    "mc_eid",
    "ref",
    "ref_src",
    "source",
    "gh_src",
    "trk",
    "trkinfo",
    "lever-source",
    "lever-origin",
    "_hsenc",
    "_hsmi",
    "igshid",
    "yclid",
    "spm",
];

/// The canonical form of an absolute http(s) URL; `None` for anything else.
pub fn canonical_url(input: &str) -> Option<String> {
    let url = Url::parse(input.trim()).ok()?;
    canonicalize(url)
}

/// Resolves `href` against the page it was found on, then canonicalizes it.
/// `None` for empty links and links that do not lead to an http(s) page.
pub fn resolve_url(base: &Url, href: &str) -> Option<String> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    canonicalize(base.join(href).ok()?)
}

fn canonicalize(mut url: Url) -> Option<String> {
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return None;
    }
    url.set_fragment(None);
    // Both only fail for URLs that cannot have credentials, which http(s) URLs can.
    url.set_username("").ok()?;
    url.set_password(None).ok()?;
    if let Some(host) = url.host_str()
        && host.len() > 1
        && host.ends_with('.')
    {
        // "example.com." names the same host as "example.com".
        let trimmed = host.trim_end_matches('.').to_owned();
        url.set_host(Some(&trimmed)).ok()?;
    }

    let query = url.query().map(clean_query);
    url.set_query(query.as_deref().filter(|q| !q.is_empty()));

    let path = url.path();
    if path.len() > 1 && path.ends_with('/') {
        let trimmed = path.trim_end_matches('/');
        let trimmed = if trimmed.is_empty() { "/" } else { trimmed }.to_owned();
        url.set_path(&trimmed);
    }
    Some(url.into())
}

/// The query without tracking parameters and empty pieces, sorted by key.
fn clean_query(query: &str) -> String {
    let mut pairs: Vec<(&str, &str)> = query
        .split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| (piece.split_once('=').map_or(piece, |(k, _)| k), piece))
        .filter(|(key, _)| !is_tracking(key))
        .collect();
    // Stable, so that repeated keys (`tag=a&tag=b`) keep their meaning.
    pairs.sort_by(|a, b| a.0.cmp(b.0));
    let mut out = String::with_capacity(query.len());
    for (_, piece) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(piece);
    }
    out
}

fn is_tracking(raw_key: &str) -> bool {
    // Lever sends `lever-source[]=…`, with the brackets raw or percent-encoded.
    let key = raw_key
        .strip_suffix("[]")
        .or_else(|| raw_key.strip_suffix("%5B%5D"))
        .unwrap_or(raw_key);
    let is_utm = key.len() > 4 && key.as_bytes()[..4].eq_ignore_ascii_case(b"utm_");
    is_utm || TRACKING_KEYS.iter().any(|t| t.eq_ignore_ascii_case(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_url_normalizes_spelling_and_drops_tracking() {
        let cases = [
            (
                "https://example.com/jobs/1",
                Some("https://example.com/jobs/1"),
            ),
            (
                "  HTTPS://Example.COM/jobs/1  ",
                Some("https://example.com/jobs/1"),
            ),
            ("https://example.com:443/a", Some("https://example.com/a")),
            ("http://example.com:80/a", Some("http://example.com/a")),
            (
                "http://example.com:8080/a",
                Some("http://example.com:8080/a"),
            ),
            (
                "https://user:pw@example.com/a",
                Some("https://example.com/a"),
            ),
            ("https://example.com/a#apply", Some("https://example.com/a")),
            (
                "https://example.com/jobs/",
                Some("https://example.com/jobs"),
            ),
            (
                "https://example.com/jobs//",
                Some("https://example.com/jobs"),
            ),
            ("https://example.com/", Some("https://example.com/")),
            ("https://example.com", Some("https://example.com/")),
            ("https://example.com.", Some("https://example.com/")),
            ("https://example.com/a?", Some("https://example.com/a")),
            (
                "https://example.com/a?utm_source=x&utm_medium=y",
                Some("https://example.com/a"),
            ),
            (
                "https://example.com/a?UTM_Campaign=x",
                Some("https://example.com/a"),
            ),
            (
                "https://example.com/a?id=3&gclid=abc",
                Some("https://example.com/a?id=3"),
            ),
            (
                "https://careers.duolingo.com/jobs/8621586002?gh_jid=8621586002&gh_src=abc",
                Some("https://careers.duolingo.com/jobs/8621586002?gh_jid=8621586002"),
            ),
            (
                "https://jobs.lever.co/acme/1?lever-source%5B%5D=LinkedIn&lever-origin=applied",
                Some("https://jobs.lever.co/acme/1"),
            ),
            (
                "https://x.com/a?lever-source[]=LinkedIn",
                Some("https://x.com/a"),
            ),
            (
                "https://x.com/a?ref=hn&fbclid=1&trkInfo=2&_hsenc=3",
                Some("https://x.com/a"),
            ),
            (
                "https://x.com/a?source=linkedin&id=7",
                Some("https://x.com/a?id=7"),
            ),
            ("https://x.com/a?b=2&a=1", Some("https://x.com/a?a=1&b=2")),
            (
                "https://x.com/a?t=2&a=1&t=1",
                Some("https://x.com/a?a=1&t=2&t=1"),
            ),
            ("https://x.com/a?&&a=1&", Some("https://x.com/a?a=1")),
            ("https://x.com/a b", Some("https://x.com/a%20b")),
            ("https://x.com/a/./b/../c", Some("https://x.com/a/c")),
            (
                "https://münchen.de/jobs",
                Some("https://xn--mnchen-3ya.de/jobs"),
            ),
            ("ftp://example.com/a", None),
            ("mailto:jobs@example.com", None),
            ("javascript:alert(1)", None),
            ("/jobs/1", None),
            ("", None),
            ("not a url", None),
        ];
        for (input, want) in cases {
            assert_eq!(canonical_url(input).as_deref(), want, "input {input:?}");
        }
    }

    #[test]
    fn urls_differing_only_in_param_order_are_equal() {
        let a = canonical_url("https://x.com/j?b=2&a=1&utm_source=z");
        let b = canonical_url("https://X.com/j/?a=1&b=2#top");
        assert_eq!(a, b);
    }

    #[test]
    fn resolve_url_makes_relative_links_absolute() {
        let base = Url::parse("https://example.com/careers/list.html?page=2").expect("base");
        let cases = [
            ("/jobs/1", Some("https://example.com/jobs/1")),
            ("jobs/1/", Some("https://example.com/careers/jobs/1")),
            ("../jobs/1?utm_source=x", Some("https://example.com/jobs/1")),
            ("//other.org/a", Some("https://other.org/a")),
            ("https://other.org/a#x", Some("https://other.org/a")),
            (
                "?page=3",
                Some("https://example.com/careers/list.html?page=3"),
            ),
            ("  ", None),
            ("mailto:jobs@example.com", None),
            ("javascript:void(0)", None),
        ];
        for (href, want) in cases {
            assert_eq!(resolve_url(&base, href).as_deref(), want, "href {href:?}");
        }
    }
}
