//! `[[source]]`: the typed source config, one variant per source kind, and its
//! validation (required keys per kind, keys a kind does not use).

use std::collections::HashSet;

use url::Url;

use super::Scheduler;
use super::check::Checker;
use super::raw::RawSource;
use super::selectors::Selectors;
use crate::model::SourceName;
use crate::scheduler::Schedule;

/// A validated source.
#[derive(Debug, Clone)]
pub struct Source {
    /// Unique name.
    pub name: SourceName,
    /// What to fetch and how.
    pub kind: SourceKind,
    /// When to fetch it.
    pub schedule: Schedule,
    /// Disabled sources are kept in the config but never fetched.
    pub enabled: bool,
    /// Whether the first fetch notifies (otherwise it only records).
    pub notify_first_fetch: bool,
    /// Replaces scheme, host and port of the kind's default endpoint (tests, mirrors, proxies).
    pub base_url: Option<Url>,
    /// Pages fetched at most, for kinds that paginate.
    pub max_pages: u32,
    /// Pause between two requests of one fetch, to be polite.
    pub page_delay: std::time::Duration,
}

/// The kind of a source, with the identifiers that kind needs.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceKind {
    /// An RSS, Atom or JSON Feed document.
    Feed {
        /// The feed's URL.
        url: Url,
    },
    /// RemoteOK's public API: the whole (remote-only) board in one request.
    RemoteOk {
        /// Only jobs with this tag (`?tag=`).
        tag: Option<String>,
    },
    /// Remotive's public API: remote jobs in one request.
    Remotive {
        /// A category name or slug (`?category=`).
        category: Option<String>,
        /// A search term (`?search=`).
        search: Option<String>,
    },
    /// Jobicy's public API: the latest remote jobs in one request.
    Jobicy {
        /// A keyword searched in titles and descriptions (`?tag=`).
        tag: Option<String>,
        /// A region slug such as `usa` or `emea` (`?geo=`).
        region: Option<String>,
        /// An industry slug such as `data-science` (`?industry=`).
        category: Option<String>,
    },
    /// Himalayas' public API: remote jobs, paged by offset.
    Himalayas,
    /// A Workable account's public job widget.
    Workable {
        /// The account slug, as in `https://apply.workable.com/{account}/`.
        account: String,
    },
    /// A SmartRecruiters company's public postings (paged, with one detail request per posting).
    SmartRecruiters {
        /// The company identifier, as in `https://jobs.smartrecruiters.com/{company}/`.
        company: String,
    },
    /// A Recruitee company's careers-site offers.
    Recruitee {
        /// The careers-site subdomain, as in `https://{company}.recruitee.com/`.
        company: String,
    },
    /// A Greenhouse job board (Job Board API).
    Greenhouse {
        /// The board token (`boards.greenhouse.io/{board}`).
        board: String,
    },
    /// A Lever postings site (Postings API).
    Lever {
        /// The site name (`jobs.lever.co/{site}`).
        site: String,
        /// Whether the site lives on Lever's EU instance (`region = "eu"`).
        eu: bool,
    },
    /// An Ashby job board (public job-posting API), with compensation.
    Ashby {
        /// The job board name (`jobs.ashbyhq.com/{board}`).
        board: String,
    },
    /// The latest "Ask HN: Who is hiring?" threads, through the Algolia HN API.
    HnWhoIsHiring {
        /// How many monthly threads to read, newest first (1 to 12).
        months: u32,
    },
    /// A Getro VC-portfolio job board, through its collection search API.
    Getro {
        /// The board's numeric collection id.
        collection: String,
    },
    /// Any HTML list page, read with CSS selectors.
    Html {
        /// The first list page.
        url: Url,
        /// What to read from it (boxed: it is by far the largest variant).
        selectors: Box<Selectors>,
    },
}

impl SourceKind {
    /// The `kind = "..."` name.
    pub fn name(&self) -> &'static str {
        match self {
            SourceKind::Feed { .. } => "feed",
            SourceKind::RemoteOk { .. } => "remoteok",
            SourceKind::Remotive { .. } => "remotive",
            SourceKind::Jobicy { .. } => "jobicy",
            SourceKind::Himalayas => "himalayas",
            SourceKind::Workable { .. } => "workable",
            SourceKind::SmartRecruiters { .. } => "smartrecruiters",
            SourceKind::Recruitee { .. } => "recruitee",
            SourceKind::Greenhouse { .. } => "greenhouse",
            SourceKind::Lever { .. } => "lever",
            SourceKind::Ashby { .. } => "ashby",
            SourceKind::HnWhoIsHiring { .. } => "hn_whoishiring",
            SourceKind::Getro { .. } => "getro",
            SourceKind::Html { .. } => "html",
        }
    }
}

/// Every kind name, for error messages.
const KINDS: &[&str] = &[
    "feed",
    "greenhouse",
    "lever",
    "ashby",
    "workable",
    "smartrecruiters",
    "recruitee",
    "remoteok",
    "remotive",
    "jobicy",
    "himalayas",
    "hn_whoishiring",
    "getro",
    "html",
];

/// `url` with its scheme, host and port replaced by `base`'s, and `base`'s path
/// (if any) put in front of its path: `base_url = "http://127.0.0.1:9000"` turns
/// `https://boards-api.greenhouse.io/v1/boards/x/jobs` into
/// `http://127.0.0.1:9000/v1/boards/x/jobs`.
pub fn rebase(url: &Url, base: Option<&Url>) -> Url {
    let Some(base) = base else {
        return url.clone();
    };
    let mut out = base.clone();
    let prefix = base.path().trim_end_matches('/');
    out.set_path(&format!("{prefix}{}", url.path()));
    out.set_query(url.query());
    out.set_fragment(None);
    out
}

/// Checks one `[[source]]`; `None` when it has problems (already recorded).
pub(super) fn check(
    c: &mut Checker<'_>,
    at: &str,
    r: &RawSource,
    scheduler: &Scheduler,
    names: &mut HashSet<String>,
) -> Option<Source> {
    let name = c.name(&format!("{at}.name"), &r.name, names);
    let kind_name = c.required(&format!("{at}.kind"), &r.kind)?;
    let schedule = match &r.schedule {
        Some(s) => c.schedule(&format!("{at}.schedule"), s),
        None => Some(scheduler.default_schedule.clone()),
    };
    let base_url = r
        .base_url
        .as_deref()
        .and_then(|b| c.url(&format!("{at}.base_url"), b));
    let kind = match kind_name.as_str() {
        "feed" => {
            only(c, at, &kind_name, r, &["url"]);
            let url = c.required(&format!("{at}.url"), &r.url);
            url.and_then(|u| c.url(&format!("{at}.url"), &u))
                .map(|url| SourceKind::Feed { url })
        }
        "remoteok" => {
            only(c, at, &kind_name, r, &["tag"]);
            Some(SourceKind::RemoteOk {
                tag: optional(c, &format!("{at}.tag"), &r.tag),
            })
        }
        "remotive" => {
            only(c, at, &kind_name, r, &["category", "search"]);
            Some(SourceKind::Remotive {
                category: optional(c, &format!("{at}.category"), &r.category),
                search: optional(c, &format!("{at}.search"), &r.search),
            })
        }
        "jobicy" => {
            only(c, at, &kind_name, r, &["tag", "region", "category"]);
            let tag = optional(c, &format!("{at}.tag"), &r.tag);
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
                region: optional(c, &format!("{at}.region"), &r.region),
                category: optional(c, &format!("{at}.category"), &r.category),
            })
        }
        "himalayas" => {
            only(c, at, &kind_name, r, &["max_pages"]);
            Some(SourceKind::Himalayas)
        }
        "workable" => {
            only(c, at, &kind_name, r, &["account"]);
            identifier(c, &format!("{at}.account"), &r.account, PATH_SAFE)
                .map(|account| SourceKind::Workable { account })
        }
        "smartrecruiters" => {
            only(c, at, &kind_name, r, &["company", "max_pages"]);
            identifier(c, &format!("{at}.company"), &r.company, PATH_SAFE)
                .map(|company| SourceKind::SmartRecruiters { company })
        }
        "recruitee" => {
            only(c, at, &kind_name, r, &["company"]);
            identifier(c, &format!("{at}.company"), &r.company, HOST_LABEL)
                .map(|company| SourceKind::Recruitee { company })
        }
        "greenhouse" => {
            only(c, at, &kind_name, r, &["board"]);
            segment(c, &format!("{at}.board"), &r.board)
                .map(|board| SourceKind::Greenhouse { board })
        }
        "lever" => {
            only(c, at, &kind_name, r, &["site", "region"]);
            let site = segment(c, &format!("{at}.site"), &r.site);
            let eu = match r.region.as_deref() {
                None => Some(false),
                Some(v) if v.trim().eq_ignore_ascii_case("eu") => Some(true),
                Some(v) => {
                    c.problem(
                        format!("{at}.region"),
                        format!(
                            "`{v}`: the only region is \"eu\" (leave it out for the global host)"
                        ),
                    );
                    None
                }
            };
            site.zip(eu)
                .map(|(site, eu)| SourceKind::Lever { site, eu })
        }
        "ashby" => {
            only(c, at, &kind_name, r, &["board"]);
            segment(c, &format!("{at}.board"), &r.board).map(|board| SourceKind::Ashby { board })
        }
        "hn_whoishiring" => {
            only(c, at, &kind_name, r, &["months"]);
            match r.months {
                None => Some(SourceKind::HnWhoIsHiring { months: 1 }),
                Some(n) if (1..=12).contains(&n) => {
                    Some(SourceKind::HnWhoIsHiring { months: n as u32 })
                }
                Some(n) => {
                    c.problem(
                        format!("{at}.months"),
                        format!("{n} is out of range (1 to 12)"),
                    );
                    None
                }
            }
        }
        "getro" => {
            only(c, at, &kind_name, r, &["collection", "max_pages"]);
            let path = format!("{at}.collection");
            c.required(&path, &r.collection).and_then(|id| {
                let id = id.trim().to_string();
                if id.bytes().all(|b| b.is_ascii_digit()) {
                    Some(SourceKind::Getro { collection: id })
                } else {
                    c.problem(
                        path,
                        format!("`{id}` is not a Getro collection id (a number, e.g. \"1625\")"),
                    );
                    None
                }
            })
        }
        "html" => {
            only(c, at, &kind_name, r, &["url", "selectors", "max_pages"]);
            let url = c
                .required(&format!("{at}.url"), &r.url)
                .and_then(|u| c.url(&format!("{at}.url"), &u));
            let selectors =
                super::selectors::check(c, &format!("{at}.selectors"), r.selectors.as_ref());
            url.zip(selectors).map(|(url, selectors)| SourceKind::Html {
                url,
                selectors: Box::new(selectors),
            })
        }
        other => {
            c.problem(
                format!("{at}.kind"),
                format!("unknown kind `{other}` (known kinds: {})", KINDS.join(", ")),
            );
            return None;
        }
    };
    let max_pages = match r.max_pages {
        None => 10,
        Some(n) if (1..=1000).contains(&n) => n as u32,
        Some(n) => {
            c.problem(
                format!("{at}.max_pages"),
                format!("{n} is out of range (1 to 1000)"),
            );
            10
        }
    };
    let page_delay = c.duration(
        &format!("{at}.page_delay"),
        &r.page_delay,
        std::time::Duration::from_secs(1),
    );
    Some(Source {
        name: SourceName(name?),
        kind: kind?,
        schedule: schedule?,
        enabled: r.enabled.unwrap_or(true),
        notify_first_fetch: r.notify_first_fetch.unwrap_or(scheduler.notify_first_fetch),
        base_url,
        max_pages,
        page_delay,
    })
}

/// An optional string key: `None` when unset, a problem when set but blank.
fn optional(c: &mut Checker<'_>, path: &str, value: &Option<String>) -> Option<String> {
    match value {
        Some(v) if v.trim().is_empty() => {
            c.problem(path, "must not be empty (leave it out instead)");
            None
        }
        Some(v) => Some(v.trim().to_string()),
        None => None,
    }
}

/// A required identifier that becomes one segment of an API path (a board
/// token, a site name): trimmed, and without characters that would change the path.
fn segment(c: &mut Checker<'_>, path: &str, value: &Option<String>) -> Option<String> {
    let v = c.required(path, value)?.trim().to_string();
    if v.chars()
        .any(|ch| ch.is_whitespace() || matches!(ch, '/' | '?' | '#' | '%'))
    {
        c.problem(
            path,
            format!("`{v}`: give the name as it appears in the board's URL (no '/', '?', '#', '%' or spaces)"),
        );
        return None;
    }
    Some(v)
}

/// Records a problem for every kind-specific key this source sets that its kind does not use.
fn only(c: &mut Checker<'_>, at: &str, kind: &str, r: &RawSource, allowed: &[&str]) {
    for (key, set) in r.kind_keys() {
        if set && !allowed.contains(&key) {
            let uses = if allowed.is_empty() {
                "none".to_string()
            } else {
                allowed.join(", ")
            };
            c.problem(
                format!("{at}.{key}"),
                format!("not used by kind `{kind}` (it uses: {uses})"),
            );
        }
    }
}

/// Characters an identifier may use when it becomes one URL path segment.
const PATH_SAFE: (&str, fn(char) -> bool) = ("letters, digits, '-' and '_'", |ch| {
    ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_')
});

/// Characters an identifier may use when it becomes a host name's first label.
const HOST_LABEL: (&str, fn(char) -> bool) = ("letters, digits and '-'", |ch| {
    ch.is_ascii_alphanumeric() || ch == '-'
});

/// A required identifier that is spliced into the kind's endpoint URL; only
/// characters that cannot change the URL's structure are accepted.
fn identifier(
    c: &mut Checker<'_>,
    path: &str,
    value: &Option<String>,
    (allowed, ok): (&str, fn(char) -> bool),
) -> Option<String> {
    let v = c.required(path, value)?;
    if v.chars().all(ok) {
        Some(v)
    } else {
        c.problem(path, format!("`{v}`: use only {allowed}"));
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(toml: &str) -> Result<Vec<SourceKind>, Vec<(String, String)>> {
        let text = format!("[[source]]\nname = \"s\"\n{toml}\n");
        super::super::Config::parse(&text, std::path::Path::new("t.toml"), &|_| None)
            .map(|c| c.sources.into_iter().map(|s| s.kind).collect())
            .map_err(|e| {
                e.problems
                    .into_iter()
                    .map(|p| (p.path, p.message))
                    .collect()
            })
    }

    #[test]
    fn remote_board_kinds_take_their_optional_keys() {
        let s = |v: &str| Some(v.to_string());
        let cases = [
            ("kind = \"remoteok\"", SourceKind::RemoteOk { tag: None }),
            (
                "kind = \"remoteok\"\ntag = \"ml\"",
                SourceKind::RemoteOk { tag: s("ml") },
            ),
            (
                "kind = \"remotive\"\ncategory = \"software-dev\"\nsearch = \"pytorch\"",
                SourceKind::Remotive {
                    category: s("software-dev"),
                    search: s("pytorch"),
                },
            ),
            (
                "kind = \"jobicy\"\ntag = \"python\"\nregion = \"usa\"\ncategory = \"data-science\"",
                SourceKind::Jobicy {
                    tag: s("python"),
                    region: s("usa"),
                    category: s("data-science"),
                },
            ),
            ("kind = \"himalayas\"\nmax_pages = 3", SourceKind::Himalayas),
        ];
        for (toml, want) in cases {
            assert_eq!(kinds(toml), Ok(vec![want]), "{toml}");
        }
    }

    #[test]
    fn remote_board_kinds_reject_keys_they_do_not_use_and_blank_values() {
        let cases = [
            (
                "kind = \"remoteok\"\nsearch = \"ml\"",
                "source[0].search",
                "not used by kind `remoteok` (it uses: tag)",
            ),
            (
                "kind = \"remoteok\"\nmax_pages = 2",
                "source[0].max_pages",
                "not used by kind `remoteok` (it uses: tag)",
            ),
            (
                "kind = \"remotive\"\ntag = \"ml\"",
                "source[0].tag",
                "not used by kind `remotive` (it uses: category, search)",
            ),
            (
                "kind = \"remotive\"\nsearch = \" \"",
                "source[0].search",
                "must not be empty (leave it out instead)",
            ),
            (
                "kind = \"jobicy\"\ntag = \"ml\"",
                "source[0].tag",
                "Jobicy accepts a tag of 3 to 50 characters",
            ),
            (
                "kind = \"jobicy\"\nsearch = \"ml\"",
                "source[0].search",
                "not used by kind `jobicy` (it uses: tag, region, category)",
            ),
            (
                "kind = \"himalayas\"\nurl = \"https://himalayas.app/jobs/api\"",
                "source[0].url",
                "not used by kind `himalayas` (it uses: max_pages)",
            ),
        ];
        for (toml, path, message) in cases {
            let problems = kinds(toml).expect_err(toml);
            assert!(
                problems.contains(&(path.to_string(), message.to_string())),
                "{toml}: {problems:?}"
            );
        }
    }

    #[test]
    fn rebase_swaps_the_origin_and_keeps_the_path() {
        let u = |s: &str| Url::parse(s).expect("valid url");
        let api = u("https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true");
        let cases = [
            (
                None,
                "https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true",
            ),
            (
                Some(u("http://127.0.0.1:9000")),
                "http://127.0.0.1:9000/v1/boards/acme/jobs?content=true",
            ),
            (
                Some(u("http://127.0.0.1:9000/")),
                "http://127.0.0.1:9000/v1/boards/acme/jobs?content=true",
            ),
            (
                Some(u("http://127.0.0.1:9000/gh/")),
                "http://127.0.0.1:9000/gh/v1/boards/acme/jobs?content=true",
            ),
        ];
        for (base, want) in cases {
            assert_eq!(rebase(&api, base.as_ref()).as_str(), want);
        }
    }

    #[test]
    fn ats_kinds_take_a_url_safe_identifier_and_only_their_keys() {
        use crate::config::Config;
        let cases: Vec<(&str, Result<SourceKind, &str>)> = vec![
            (
                "kind = \"workable\"\naccount = \"northwind-vision\"",
                Ok(SourceKind::Workable {
                    account: "northwind-vision".into(),
                }),
            ),
            (
                "kind = \"smartrecruiters\"\ncompany = \"HelixDynamics\"\nmax_pages = 3",
                Ok(SourceKind::SmartRecruiters {
                    company: "HelixDynamics".into(),
                }),
            ),
            (
                "kind = \"recruitee\"\ncompany = \"tidewater\"",
                Ok(SourceKind::Recruitee {
                    company: "tidewater".into(),
                }),
            ),
            ("kind = \"workable\"", Err("source[0].account: is required")),
            (
                "kind = \"workable\"\naccount = \"a/../b\"",
                Err("source[0].account: `a/../b`: use only letters, digits, '-' and '_'"),
            ),
            (
                "kind = \"smartrecruiters\"\ncompany = \" \"",
                Err("source[0].company: must not be empty"),
            ),
            (
                "kind = \"recruitee\"\ncompany = \"tide_water\"",
                Err("source[0].company: `tide_water`: use only letters, digits and '-'"),
            ),
            (
                "kind = \"recruitee\"\ncompany = \"tidewater\"\nmax_pages = 2",
                Err("source[0].max_pages: not used by kind `recruitee` (it uses: company)"),
            ),
            (
                "kind = \"workable\"\naccount = \"x\"\ncompany = \"x\"",
                Err("source[0].company: not used by kind `workable` (it uses: account)"),
            ),
        ];
        for (toml, want) in cases {
            let text = format!("[[source]]\nname = \"s\"\n{toml}\n");
            let got = Config::parse(&text, std::path::Path::new("j.toml"), &|_| None);
            match (got, want) {
                (Ok(cfg), Ok(kind)) => assert_eq!(cfg.sources[0].kind, kind, "{toml}"),
                (Err(e), Err(msg)) => assert!(e.to_string().contains(msg), "{toml}: {e}"),
                (got, want) => panic!("{toml}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn board_kinds_take_their_identifier_and_reject_bad_ones() {
        let cases: &[(&str, Result<SourceKind, &str>)] = &[
            (
                "kind = \"greenhouse\"\nboard = \"lumenai\"",
                Ok(SourceKind::Greenhouse {
                    board: "lumenai".into(),
                }),
            ),
            (
                "kind = \"lever\"\nsite = \"parallax\"",
                Ok(SourceKind::Lever {
                    site: "parallax".into(),
                    eu: false,
                }),
            ),
            (
                "kind = \"lever\"\nsite = \"parallax\"\nregion = \"EU\"",
                Ok(SourceKind::Lever {
                    site: "parallax".into(),
                    eu: true,
                }),
            ),
            (
                "kind = \"ashby\"\nboard = \"halcyon\"",
                Ok(SourceKind::Ashby {
                    board: "halcyon".into(),
                }),
            ),
            ("kind = \"greenhouse\"", Err("source[0].board: is required")),
            (
                "kind = \"greenhouse\"\nboard = \"acme/jobs\"",
                Err("source[0].board: `acme/jobs`: give the name"),
            ),
            (
                "kind = \"lever\"\nsite = \"parallax\"\nregion = \"us\"",
                Err("source[0].region: `us`: the only region is \"eu\""),
            ),
            (
                "kind = \"ashby\"\nboard = \"halcyon\"\nsite = \"x\"",
                Err("source[0].site: not used by kind `ashby` (it uses: board)"),
            ),
            (
                "kind = \"greenhouse\"\nboard = \"x\"\nmax_pages = 3",
                Err("source[0].max_pages: not used by kind `greenhouse`"),
            ),
        ];
        for (block, want) in cases {
            let text = format!("[[source]]\nname = \"s\"\n{block}\n");
            let got = super::super::Config::parse(&text, std::path::Path::new("t.toml"), &|_| None);
            match (got, want) {
                (Ok(c), Ok(kind)) => assert_eq!(&c.sources[0].kind, kind, "{block}"),
                (Err(e), Err(msg)) => assert!(e.to_string().contains(msg), "{block}: {e}"),
                (Ok(c), Err(msg)) => panic!("{block}: want {msg:?}, got {:?}", c.sources[0].kind),
                (Err(e), Ok(_)) => panic!("{block}: {e}"),
            }
        }
    }
}
