//! The kind-specific part of a `[[source]]`: one entry per kind, naming the
//! keys that kind uses and checking them into its [`SourceKind`].

use url::Url;

use super::super::check::Checker;
use super::super::raw::RawSource;
use super::SourceKind;
use super::ident::{BOARD_NAME, GETRO_COLLECTION, HOST_LABEL, Ident, PATH_SAFE};

/// One source kind: its `kind = "..."` name, the kind-specific keys it uses,
/// and how they become a [`SourceKind`].
pub(super) struct Kind {
    name: &'static str,
    uses: &'static [&'static str],
    check: fn(&mut Checker<'_>, &str, &RawSource) -> Option<SourceKind>,
}

/// Every kind, in the order error messages list them.
const KINDS: &[Kind] = &[
    kind("feed", &["url", "split_title"], feed),
    kind("greenhouse", &["board"], greenhouse),
    kind("lever", &["site", "region"], lever),
    kind("ashby", &["board"], ashby),
    kind("workable", &["account"], workable),
    kind(
        "smartrecruiters",
        &["company", "max_pages"],
        smartrecruiters,
    ),
    kind("recruitee", &["company"], recruitee),
    kind("remoteok", &["tag"], remoteok),
    kind("remotive", &["category", "search"], remotive),
    kind("jobicy", &["tag", "region", "category"], jobicy),
    kind("himalayas", &["max_pages"], himalayas),
    kind("hn_whoishiring", &["months"], hn_whoishiring),
    kind("getro", &["collection", "max_pages"], getro),
    kind(
        "html",
        &["url", "selectors", "max_pages", "ignore_robots"],
        html,
    ),
    kind(
        "imap",
        &[
            "imap_url",
            "username",
            "password",
            "password_file",
            "mailbox",
            "senders",
            "since",
            "mark_seen",
            "ca_file",
            "email_selectors",
        ],
        imap,
    ),
];

const fn kind(
    name: &'static str,
    uses: &'static [&'static str],
    check: fn(&mut Checker<'_>, &str, &RawSource) -> Option<SourceKind>,
) -> Kind {
    Kind { name, uses, check }
}

/// The kind named `name`, if there is one.
pub(super) fn find(name: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.name == name)
}

/// Every kind name, for the message about an unknown one.
pub(super) fn names() -> String {
    KINDS.iter().map(|k| k.name).collect::<Vec<_>>().join(", ")
}

impl Kind {
    /// Checks the kind-specific keys of source `at`: those it sets but this
    /// kind does not use are problems, and those it uses become the [`SourceKind`].
    pub(super) fn check(&self, c: &mut Checker<'_>, at: &str, r: &RawSource) -> Option<SourceKind> {
        c.unused_keys(at, self.name, r.kind_keys(), self.uses);
        (self.check)(c, at, r)
    }
}

fn feed(c: &mut Checker<'_>, at: &str, r: &RawSource) -> Option<SourceKind> {
    url(c, at, r).map(|url| SourceKind::Feed { url })
}

fn greenhouse(c: &mut Checker<'_>, at: &str, r: &RawSource) -> Option<SourceKind> {
    ident(c, at, "board", &r.board, &BOARD_NAME).map(|board| SourceKind::Greenhouse { board })
}

fn lever(c: &mut Checker<'_>, at: &str, r: &RawSource) -> Option<SourceKind> {
    let site = ident(c, at, "site", &r.site, &BOARD_NAME);
    let eu = match r.region.as_deref() {
        None => Some(false),
        Some(v) if v.trim().eq_ignore_ascii_case("eu") => Some(true),
        Some(v) => {
            c.problem(
                format!("{at}.region"),
                format!("`{v}`: the only region is \"eu\" (leave it out for the global host)"),
            );
            None
        }
    };
    site.zip(eu)
        .map(|(site, eu)| SourceKind::Lever { site, eu })
}

fn ashby(c: &mut Checker<'_>, at: &str, r: &RawSource) -> Option<SourceKind> {
    ident(c, at, "board", &r.board, &BOARD_NAME).map(|board| SourceKind::Ashby { board })
}

fn workable(c: &mut Checker<'_>, at: &str, r: &RawSource) -> Option<SourceKind> {
    ident(c, at, "account", &r.account, &PATH_SAFE).map(|account| SourceKind::Workable { account })
}

fn smartrecruiters(c: &mut Checker<'_>, at: &str, r: &RawSource) -> Option<SourceKind> {
    ident(c, at, "company", &r.company, &PATH_SAFE)
        .map(|company| SourceKind::SmartRecruiters { company })
}

fn recruitee(c: &mut Checker<'_>, at: &str, r: &RawSource) -> Option<SourceKind> {
    ident(c, at, "company", &r.company, &HOST_LABEL)
        .map(|company| SourceKind::Recruitee { company })
}

fn remoteok(c: &mut Checker<'_>, at: &str, r: &RawSource) -> Option<SourceKind> {
    Some(SourceKind::RemoteOk {
        tag: optional(c, at, "tag", &r.tag),
    })
}

fn remotive(c: &mut Checker<'_>, at: &str, r: &RawSource) -> Option<SourceKind> {
    Some(SourceKind::Remotive {
        category: optional(c, at, "category", &r.category),
        search: optional(c, at, "search", &r.search),
    })
}

fn jobicy(c: &mut Checker<'_>, at: &str, r: &RawSource) -> Option<SourceKind> {
    let tag = optional(c, at, "tag", &r.tag);
    // Jobicy documents `tag` as 3 to 50 characters: catch a typo here
    // rather than as a fetch that fails on every run.
    if let Some(t) = &tag
        && !(3..=50).contains(&t.trim().len())
    {
        c.problem(
            format!("{at}.tag"),
            "Jobicy accepts a tag of 3 to 50 characters",
        );
    }
    Some(SourceKind::Jobicy {
        tag,
        region: optional(c, at, "region", &r.region),
        category: optional(c, at, "category", &r.category),
    })
}

fn himalayas(_: &mut Checker<'_>, _: &str, _: &RawSource) -> Option<SourceKind> {
    Some(SourceKind::Himalayas)
}

fn hn_whoishiring(c: &mut Checker<'_>, at: &str, r: &RawSource) -> Option<SourceKind> {
    let months = c.number(&format!("{at}.months"), r.months, 1, 1, 12);
    Some(SourceKind::HnWhoIsHiring { months })
}

fn getro(c: &mut Checker<'_>, at: &str, r: &RawSource) -> Option<SourceKind> {
    ident(c, at, "collection", &r.collection, &GETRO_COLLECTION)
        .map(|collection| SourceKind::Getro { collection })
}

fn html(c: &mut Checker<'_>, at: &str, r: &RawSource) -> Option<SourceKind> {
    let url = url(c, at, r);
    let selectors =
        super::super::selectors::check(c, &format!("{at}.selectors"), r.selectors.as_ref());
    url.zip(selectors).map(|(url, selectors)| SourceKind::Html {
        url,
        selectors: Box::new(selectors),
    })
}

fn imap(c: &mut Checker<'_>, at: &str, r: &RawSource) -> Option<SourceKind> {
    super::mail::check(c, at, r).map(|m| SourceKind::Imap(Box::new(m)))
}

/// The required `url` key, an absolute http(s) URL.
fn url(c: &mut Checker<'_>, at: &str, r: &RawSource) -> Option<Url> {
    let path = format!("{at}.url");
    c.required(&path, &r.url).and_then(|u| c.url(&path, &u))
}

/// The required identifier `key`, checked by `rule`.
fn ident(
    c: &mut Checker<'_>,
    at: &str,
    key: &str,
    value: &Option<String>,
    rule: &Ident,
) -> Option<String> {
    rule.check(c, &format!("{at}.{key}"), value)
}

/// The optional string `key`: `None` when unset, a problem when set but blank.
fn optional(c: &mut Checker<'_>, at: &str, key: &str, value: &Option<String>) -> Option<String> {
    match value {
        Some(v) if v.trim().is_empty() => {
            c.problem(
                format!("{at}.{key}"),
                "must not be empty (leave it out instead)",
            );
            None
        }
        Some(v) => Some(v.trim().to_string()),
        None => None,
    }
}

#[cfg(test)]
mod tests;
