//! robots.txt, as RFC 9309 says, for the sources that crawl pages (`html`):
//! read once per origin (scheme, host and port), kept a day in memory and in
//! the database (so that every `jobhound fetch` benefits), then revalidated
//! with a conditional GET. The group of the product token `jobhound` applies,
//! else the `*` group; `Allow`/`Disallow` go by the longest match (an `Allow`
//! wins a tie); a `Crawl-delay` longer than `per_host_interval` becomes the
//! host's interval.
//!
//! A missing file (any 4xx but 429, or a redirect off the site's host, which
//! jobhound does not follow) allows everything. A file that cannot be
//! read (5xx, 429, timeout, network error) disallows everything for now: the
//! fetch is postponed and the file tried again after [`UNREACHABLE_RETRY`]
//! (or the server's `Retry-After`); that is kept in memory only, so a new
//! `jobhound fetch` asks again at once.
//!
//! Parsing is `robotxt`'s (0.6: an RFC 9309 parser whose later versions need a
//! newer Rust than ours): rules, groups, longest match and `Crawl-delay`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use url::Url;

use super::{FetchError, Fetched, Hosts, Http, label};
use crate::config::HostPort;
use crate::store::{Store, StoreError, StoredRobots, Validators};

/// The product token matched against `User-agent` lines.
pub const PRODUCT_TOKEN: &str = "jobhound";

/// How long a robots.txt is used before it is revalidated (RFC 9309: at most a day).
pub const MAX_AGE: Duration = Duration::from_secs(86_400);

/// How long a robots.txt that could not be read keeps its origin's pages postponed.
pub const UNREACHABLE_RETRY: Duration = Duration::from_secs(600);

/// What robots.txt says about one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// It may be fetched.
    Allowed,
    /// It must not be fetched; the message says so.
    Disallowed(String),
    /// robots.txt could not be read: nothing may be fetched for now; the message says why.
    Postponed(String),
}

/// The robots.txt files of every origin the sources crawl.
pub struct Robots {
    store: Arc<Mutex<Store>>,
    origins: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Option<Entry>>>>>,
}

/// One origin's robots.txt, as known now.
#[derive(Clone)]
struct Entry {
    rules: Rules,
    /// When the rules were read (or the failure happened).
    checked_at: DateTime<Utc>,
    /// What was stored, to revalidate it.
    stored: Option<StoredRobots>,
}

#[derive(Clone)]
enum Rules {
    /// The file's rules for jobhound.
    File(robotxt::Robots),
    /// No file (4xx): everything is allowed.
    Missing,
    /// The file could not be read: nothing is allowed until `retry`.
    Unreachable { why: String, retry: DateTime<Utc> },
}

impl Robots {
    /// robots.txt files kept in `store`.
    pub fn new(store: Arc<Mutex<Store>>) -> Robots {
        Robots {
            store,
            origins: Mutex::new(HashMap::new()),
        }
    }

    /// Whether `url` may be fetched, reading its origin's robots.txt through
    /// `http` when it is not known or older than a day. Redirects of the
    /// file may lead to the URL's host (its port, 80 or 443) and `allow_hosts`.
    pub async fn check(&self, http: &Http, url: &Url, allow_hosts: &[HostPort]) -> Verdict {
        let origin = url.origin().ascii_serialization();
        let slot = {
            let mut origins = self.origins.lock().unwrap_or_else(|p| p.into_inner());
            origins.entry(origin.clone()).or_default().clone()
        };
        // One reader per origin: sources on the same site wait for the first
        // one's answer instead of asking again.
        let mut known = slot.lock().await;
        let now = Utc::now();
        if known.is_none() {
            *known = self.load(&origin).await;
        }
        if known.as_ref().is_none_or(|e| !e.fresh(now)) {
            let stored = known.as_ref().and_then(|e| e.stored.clone());
            let entry = self.read(http, url, &origin, stored, allow_hosts).await;
            *known = Some(entry);
        }
        let Some(entry) = known.as_ref() else {
            return Verdict::Postponed(format!("robots.txt of {} is not known", label(url)));
        };
        entry.verdict(http, url)
    }

    /// The stored file of `origin`, if any.
    async fn load(&self, origin: &str) -> Option<Entry> {
        let stored = self.blocking({
            let origin = origin.to_string();
            move |s| s.robots(&origin)
        });
        match stored.await {
            Ok(Some(stored)) => Some(Entry::from_stored(stored)),
            Ok(None) => None,
            Err(e) => {
                tracing::warn!(origin, error = %e, "cannot read the stored robots.txt; reading it again");
                None
            }
        }
    }

    /// Reads the file of `origin` (conditionally, when `stored` is given) and keeps it.
    async fn read(
        &self,
        http: &Http,
        url: &Url,
        origin: &str,
        stored: Option<StoredRobots>,
        allow_hosts: &[HostPort],
    ) -> Entry {
        let now = Utc::now();
        let file = match Url::parse(&format!("{origin}/robots.txt")) {
            Ok(u) => u,
            Err(e) => return Entry::unreachable(format!("no robots.txt URL: {e}"), now, None),
        };
        let mut hosts = allow_hosts.to_vec();
        // A site commonly redirects its robots.txt from http to https.
        if let Some(host) = url.host_str() {
            for port in [80, 443] {
                hosts.push(HostPort {
                    host: host.to_ascii_lowercase(),
                    port: Some(port),
                });
            }
        }
        let hosts = Hosts::new(&file, &hosts);
        let validators = stored.as_ref().map(|s| s.validators.clone());
        let fresh = match http.get(&file, validators.as_ref(), &hosts).await {
            Ok(Fetched::NotModified) => stored.map(|s| StoredRobots {
                checked_at: now,
                ..s
            }),
            Ok(Fetched::Body(body)) => Some(StoredRobots {
                checked_at: now,
                status: 200,
                body: body.bytes,
                validators: Validators {
                    url: Some(file.to_string()),
                    ..body.validators
                },
            }),
            Err(FetchError::Status { status, .. })
                if (400..500).contains(&status) && status != 429 =>
            {
                Some(StoredRobots {
                    checked_at: now,
                    status,
                    body: Vec::new(),
                    validators: Validators::default(),
                })
            }
            // RFC 9309 follows redirects even to other hosts; jobhound does not
            // (a redirect must not send it to internal addresses), and the file
            // it cannot reach that way counts as unavailable, as after too many
            // redirects.
            Err(e @ FetchError::Redirect { .. }) => {
                tracing::warn!(%origin, error = %e, "robots.txt redirects where jobhound does not follow: taken as missing");
                Some(StoredRobots {
                    checked_at: now,
                    status: 404,
                    body: Vec::new(),
                    validators: Validators::default(),
                })
            }
            Err(e) => {
                let retry = e.retry_after();
                tracing::warn!(%origin, error = %e, "robots.txt cannot be read: its pages are postponed");
                return Entry::unreachable(e.to_string(), now, retry);
            }
        };
        let Some(fresh) = fresh else {
            return Entry::unreachable(
                "answered 304 Not Modified to a request that was not conditional".into(),
                now,
                None,
            );
        };
        let saved = self.blocking({
            let (origin, fresh) = (origin.to_string(), fresh.clone());
            move |s| s.save_robots(&origin, &fresh)
        });
        if let Err(e) = saved.await {
            tracing::warn!(%origin, error = %e, "cannot keep robots.txt; it will be read again next run");
        }
        Entry::from_stored(fresh)
    }

    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || f(&store.lock().unwrap_or_else(|p| p.into_inner())))
            .await
            .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
    }
}

impl Entry {
    fn from_stored(stored: StoredRobots) -> Entry {
        let rules = if stored.status == 200 {
            Rules::File(robotxt::Robots::from_bytes(&stored.body, PRODUCT_TOKEN))
        } else {
            Rules::Missing
        };
        Entry {
            rules,
            checked_at: stored.checked_at,
            stored: Some(stored),
        }
    }

    fn unreachable(why: String, now: DateTime<Utc>, retry_after: Option<Duration>) -> Entry {
        let wait = retry_after
            .unwrap_or(UNREACHABLE_RETRY)
            .min(super::RETRY_AFTER_MAX);
        let retry = chrono::Duration::from_std(wait)
            .ok()
            .and_then(|w| now.checked_add_signed(w))
            .unwrap_or(now);
        Entry {
            rules: Rules::Unreachable { why, retry },
            checked_at: now,
            stored: None,
        }
    }

    /// Whether the entry may still be used at `now`.
    fn fresh(&self, now: DateTime<Utc>) -> bool {
        match &self.rules {
            Rules::Unreachable { retry, .. } => now < *retry,
            _ => {
                let age = now.signed_duration_since(self.checked_at);
                // A clock set back makes a negative age: read the file again.
                age >= chrono::Duration::zero() && age.to_std().is_ok_and(|a| a < MAX_AGE)
            }
        }
    }

    fn verdict(&self, http: &Http, url: &Url) -> Verdict {
        match &self.rules {
            Rules::Missing => Verdict::Allowed,
            Rules::Unreachable { why, retry } => Verdict::Postponed(format!(
                "robots.txt of {} cannot be read ({why}); fetch postponed until {} at least",
                label(url),
                retry.format("%H:%M:%S UTC")
            )),
            Rules::File(rules) => {
                if let Some(delay) = rules.crawl_delay() {
                    http.gate().slow_down(url, delay);
                }
                if rules.is_absolute_allowed(url) {
                    Verdict::Allowed
                } else {
                    Verdict::Disallowed(format!(
                        "robots.txt of {} disallows {} for {PRODUCT_TOKEN}",
                        label(url),
                        path_of(url)
                    ))
                }
            }
        }
    }
}

/// The path and query of `url`, as robots.txt rules see it.
fn path_of(url: &Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(txt: &str, path: &str) -> bool {
        let rules = robotxt::Robots::from_bytes(txt.as_bytes(), PRODUCT_TOKEN);
        let url = Url::parse(&format!("https://example.com{path}")).expect("url");
        rules.is_absolute_allowed(&url)
    }

    #[test]
    fn the_jobhound_group_wins_else_star_and_the_longest_match_decides() {
        let txt = "User-agent: *\nDisallow: /\n\n\
                   User-agent: JobHound\nDisallow: /jobs\nAllow: /jobs/open\nDisallow: /private\n";
        let cases = [
            ("/", true),
            ("/jobs", false),
            ("/jobs/1", false),
            ("/jobs/open", true),
            ("/jobs/open/2?x=1", true),
            ("/private/x", false),
            ("/robots.txt", true),
        ];
        for (path, want) in cases {
            assert_eq!(allowed(txt, path), want, "{path}");
        }
        let star = "User-agent: otherbot\nDisallow: /\n\nUser-agent: *\nDisallow: /admin\n";
        assert!(allowed(star, "/jobs"));
        assert!(!allowed(star, "/admin/x"));
        // An Allow as long as the Disallow wins the tie.
        let tie = "User-agent: *\nDisallow: /page\nAllow: /page\n";
        assert!(allowed(tie, "/page"));
    }

    #[test]
    fn crawl_delay_and_freshness() {
        let rules =
            robotxt::Robots::from_bytes(b"User-agent: jobhound\nCrawl-delay: 2.5\n", PRODUCT_TOKEN);
        assert_eq!(rules.crawl_delay(), Some(Duration::from_millis(2500)));
        let now = Utc::now();
        let stored = |age_h: i64| StoredRobots {
            checked_at: now - chrono::Duration::hours(age_h),
            status: 404,
            body: Vec::new(),
            validators: Validators::default(),
        };
        assert!(Entry::from_stored(stored(23)).fresh(now));
        assert!(!Entry::from_stored(stored(25)).fresh(now));
        assert!(
            !Entry::from_stored(stored(-1)).fresh(now),
            "from the future"
        );
        let down = Entry::unreachable("HTTP 503".into(), now, Some(Duration::from_secs(30)));
        assert!(down.fresh(now));
        assert!(!down.fresh(now + chrono::Duration::seconds(31)));
    }
}
