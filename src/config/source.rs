//! `[[source]]`: the typed source config, one variant per source kind, and its
//! validation: the keys every source has are checked by [`check`], the
//! kind-specific ones by [`kinds`] (required keys per kind, keys a kind does
//! not use), the identifiers spliced into endpoint URLs by [`ident`].

use url::Url;

mod check;
mod hosts;
mod ident;
mod kinds;
mod mail;

pub(super) use check::check;
pub use hosts::HostPort;
pub use mail::{Board, EmailSelectors, ImapServer, ImapTls, Mailbox, parse_imap_url};

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
    /// Hosts besides the one of its configured URL that followed links and redirects may go to.
    pub allow_hosts: Vec<HostPort>,
    /// The company of postings that name none (`company = "..."`, for kinds
    /// whose `company` is not the board identifier).
    pub company: Option<String>,
    /// Close jobs missing from two fetches even where the kind cannot prove
    /// absence (feeds, pages, HN threads that show everything they have).
    pub close_missing: bool,
    /// Feeds: whether titles pack company and place ("Company: Title").
    pub split_title: bool,
    /// `html`: fetch pages the site's robots.txt disallows (warned about at start).
    pub ignore_robots: bool,
}

impl Source {
    /// The company name for postings that name none: the configured
    /// `company`, else a name made from the board's slug ("hugging-face" →
    /// "Hugging Face"), for the kinds whose API names no company on each job.
    pub fn default_company(&self) -> Option<String> {
        if let Some(c) = &self.company {
            return Some(c.clone());
        }
        let slug = match &self.kind {
            SourceKind::Lever { site, .. } => site,
            SourceKind::Ashby { board } | SourceKind::Greenhouse { board } => board,
            SourceKind::Workable { account } => account,
            SourceKind::Recruitee { company } | SourceKind::SmartRecruiters { company } => company,
            _ => return None,
        };
        name_from_slug(slug)
    }

    /// Whether a complete fetch of this source proves a job it lacks is gone.
    pub fn tracks_absence(&self) -> bool {
        self.close_missing || self.kind.lists_whole_board()
    }
}

/// "hugging-face" → "Hugging Face", "mistral" → "Mistral", "openai_jobs" → "Openai Jobs".
fn name_from_slug(slug: &str) -> Option<String> {
    let words: Vec<String> = slug
        .split(|c: char| c == '-' || c == '_' || c == '.' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(first) => first.to_uppercase().chain(cs).collect(),
                None => String::new(),
            }
        })
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// Feed hosts whose item titles are known to pack "Company: Title" and the
/// like; titles of any other feed are left whole unless `split_title = true`.
const JOB_FEED_HOSTS: &[&str] = &[
    "weworkremotely.com",
    "remotive.com",
    "remotive.io",
    "jobicy.com",
    "himalayas.app",
    "remoteok.com",
    "remoteok.io",
    "workingnomads.com",
    "nodesk.co",
    "jobspresso.co",
    "dynamitejobs.com",
    "authenticjobs.com",
    "larajobs.com",
    "golangprojects.com",
    "remote.co",
    "euremotejobs.com",
    "djangoproject.com",
    "python.org",
    "rustjobs.dev",
];

/// Whether `url`'s host is (a subdomain of) a known job feed host.
fn is_job_feed(url: &Url) -> bool {
    url.host_str().is_some_and(|h| {
        JOB_FEED_HOSTS.iter().any(|j| {
            h.strip_suffix(j)
                .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
        })
    })
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
    /// A mailbox of job-alert emails, read over IMAP.
    Imap(Box<Mailbox>),
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
            SourceKind::Imap(_) => "imap",
        }
    }

    /// Whether a complete fetch lists every open job of the source, so that a
    /// job missing from two of them has closed: the applicant tracking systems
    /// and the boards whose API lists everything. Feeds, pages and HN threads
    /// show only the latest items.
    pub fn lists_whole_board(&self) -> bool {
        !matches!(
            self,
            SourceKind::Feed { .. }
                | SourceKind::HnWhoIsHiring { .. }
                | SourceKind::Html { .. }
                | SourceKind::Imap(_)
        )
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn source(block: &str) -> Source {
        let text = format!("[[source]]\nname = \"s\"\n{block}\n");
        let config = crate::config::Config::parse(&text, std::path::Path::new("j.toml"), &|_| None)
            .unwrap_or_else(|e| panic!("{block}: {e}"));
        config.sources.into_iter().next().expect("one source")
    }

    #[test]
    fn boards_without_a_company_field_get_one_from_config_or_slug() {
        let cases = [
            ("kind = \"lever\"\nsite = \"mistral\"", Some("Mistral")),
            (
                "kind = \"ashby\"\nboard = \"hugging-face\"",
                Some("Hugging Face"),
            ),
            (
                "kind = \"lever\"\nsite = \"mistral\"\ncompany = \"Mistral AI\"",
                Some("Mistral AI"),
            ),
            (
                "kind = \"recruitee\"\ncompany = \"tidewater\"",
                Some("Tidewater"),
            ),
            ("kind = \"remoteok\"", None),
            ("kind = \"remoteok\"\ncompany = \"Acme\"", Some("Acme")),
        ];
        for (block, want) in cases {
            assert_eq!(source(block).default_company().as_deref(), want, "{block}");
        }
    }

    #[test]
    fn only_known_job_feeds_split_titles_unless_told() {
        let feed = |url: &str, extra: &str| {
            source(&format!("kind = \"feed\"\nurl = \"{url}\"\n{extra}")).split_title
        };
        assert!(feed("https://weworkremotely.com/remote-jobs.rss", ""));
        assert!(!feed("https://blog.example.com/feed.xml", ""));
        assert!(feed("https://jobs.weworkremotely.com/remote-jobs.rss", ""));
        assert!(!feed("https://notweworkremotely.com/remote-jobs.rss", ""));
        assert!(feed(
            "https://blog.example.com/feed.xml",
            "split_title = true"
        ));
        assert!(!feed(
            "https://weworkremotely.com/remote-jobs.rss",
            "split_title = false"
        ));
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
    fn ignore_robots_is_for_html_only_and_host_limits_are_checked() {
        let html = "kind = \"html\"\nurl = \"https://example.com/jobs\"\nignore_robots = true\n\
                    [source.selectors]\nitem = \"li\"\ntitle = \"a\"\nlink = \"a\"";
        assert!(source(html).ignore_robots);
        let text = "[http]\nper_host_concurrency = 0\nper_host_interval = \"1d\"\n\
                    [[source]]\nname = \"s\"\nkind = \"greenhouse\"\nboard = \"acme\"\nignore_robots = true\n";
        let err = crate::config::Config::parse(text, std::path::Path::new("j.toml"), &|_| None)
            .expect_err("invalid")
            .to_string();
        for want in [
            "http.per_host_concurrency",
            "0 is out of range (1 to 256)",
            "http.per_host_interval",
            "`1d` is out of range (0s to 10m)",
            "source[0].ignore_robots",
            "not used by kind `greenhouse`",
        ] {
            assert!(err.contains(want), "{want} in {err}");
        }
        let defaults = crate::config::Config::parse("", std::path::Path::new("j.toml"), &|_| None)
            .expect("empty config");
        assert_eq!(defaults.http.per_host_concurrency, 2);
        assert_eq!(
            defaults.http.per_host_interval,
            std::time::Duration::from_secs(1)
        );
    }
}
