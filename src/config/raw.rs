//! The config file's shape exactly as serde reads it: every key optional where it
//! has a default, unknown keys rejected. Validation (`validate.rs`) turns this
//! into the typed [`super::Config`].

use std::collections::BTreeMap;

use serde::Deserialize;

/// The whole file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub database: Option<RawDatabase>,
    pub http: Option<RawHttp>,
    pub scheduler: Option<RawScheduler>,
    pub delivery: Option<RawDelivery>,
    pub server: Option<RawServer>,
    pub health: Option<RawHealth>,
    #[serde(default, rename = "source")]
    pub sources: Vec<RawSource>,
    #[serde(default, rename = "alert")]
    pub alerts: Vec<RawAlert>,
    #[serde(default, rename = "notifier")]
    pub notifiers: Vec<RawNotifier>,
}

/// `[database]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDatabase {
    pub path: Option<String>,
}

/// `[http]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHttp {
    pub user_agent: Option<String>,
    pub connect_timeout: Option<String>,
    pub timeout: Option<String>,
    pub concurrency: Option<i64>,
    pub max_body_size: Option<String>,
    /// Requests in flight to one host at a time.
    pub per_host_concurrency: Option<i64>,
    /// Least time between the starts of two requests to one host.
    pub per_host_interval: Option<String>,
}

/// `[scheduler]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScheduler {
    pub default_schedule: Option<String>,
    pub jitter: Option<String>,
    pub notify_first_fetch: Option<bool>,
    pub retry_base: Option<String>,
    pub retry_max: Option<String>,
}

/// `[delivery]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDelivery {
    pub retry_base: Option<String>,
    pub retry_max: Option<String>,
    pub max_attempts: Option<i64>,
}

/// `[server]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawServer {
    pub listen: Option<String>,
    pub token: Option<String>,
    pub token_file: Option<String>,
}

/// `[health]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHealth {
    pub notifiers: Option<Vec<String>>,
    pub after_failures: Option<i64>,
}

/// One `[[source]]`. Kind-specific keys are optional here; validation checks
/// that each kind gets the keys it needs and no key it does not use.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub schedule: Option<String>,
    pub enabled: Option<bool>,
    pub notify_first_fetch: Option<bool>,
    pub base_url: Option<String>,
    /// Pages fetched at most, for kinds that paginate.
    pub max_pages: Option<i64>,
    /// Pause between two requests of one fetch (pages, details).
    pub page_delay: Option<String>,
    /// Close jobs a feed, page or thread no longer shows.
    pub close_missing: Option<bool>,
    /// Read "Company: Title" / "Title at Company" / "Title (Place)" in feed titles.
    pub split_title: Option<bool>,
    /// Hosts (`host[:port]`) besides the source's own that links and redirects may lead to.
    pub allow_hosts: Option<Vec<String>>,
    /// `html` only: fetch pages the site's robots.txt disallows.
    pub ignore_robots: Option<bool>,
    // Kind-specific identifiers, named as each source calls them. Validation
    // rejects any that the source's kind does not use.
    pub url: Option<String>,
    pub board: Option<String>,
    pub site: Option<String>,
    pub region: Option<String>,
    pub account: Option<String>,
    /// The board identifier of `smartrecruiters` and `recruitee`; the
    /// company's display name for every other kind.
    pub company: Option<String>,
    pub category: Option<String>,
    pub search: Option<String>,
    pub tag: Option<String>,
    pub months: Option<i64>,
    pub collection: Option<String>,
    /// `[source.selectors]` of an `html` source.
    pub selectors: Option<RawSelectors>,
    // imap: the mailbox of job-alert emails.
    pub imap_url: Option<String>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub password_file: Option<String>,
    pub mailbox: Option<String>,
    pub senders: Option<Vec<String>>,
    pub since: Option<String>,
    pub mark_seen: Option<bool>,
    pub ca_file: Option<String>,
    /// `[source.email_selectors]` of an `imap` source.
    pub email_selectors: Option<RawEmailSelectors>,
}

impl RawSource {
    /// Every kind-specific key with whether this source sets it.
    pub fn kind_keys(&self) -> [(&'static str, bool); 24] {
        [
            ("max_pages", self.max_pages.is_some()),
            ("url", self.url.is_some()),
            ("board", self.board.is_some()),
            ("site", self.site.is_some()),
            ("region", self.region.is_some()),
            ("account", self.account.is_some()),
            ("split_title", self.split_title.is_some()),
            ("category", self.category.is_some()),
            ("search", self.search.is_some()),
            ("tag", self.tag.is_some()),
            ("months", self.months.is_some()),
            ("collection", self.collection.is_some()),
            ("selectors", self.selectors.is_some()),
            ("imap_url", self.imap_url.is_some()),
            ("username", self.username.is_some()),
            ("password", self.password.is_some()),
            ("password_file", self.password_file.is_some()),
            ("mailbox", self.mailbox.is_some()),
            ("senders", self.senders.is_some()),
            ("since", self.since.is_some()),
            ("mark_seen", self.mark_seen.is_some()),
            ("ca_file", self.ca_file.is_some()),
            ("email_selectors", self.email_selectors.is_some()),
            ("ignore_robots", self.ignore_robots.is_some()),
        ]
    }
}

/// `[source.email_selectors]`: CSS selectors over the HTML of emails from
/// one other sender (`from`, an address or a domain), as in `[source.selectors]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEmailSelectors {
    pub from: Option<String>,
    pub item: Option<String>,
    pub title: Option<String>,
    pub link: Option<String>,
    pub company: Option<String>,
    pub location: Option<String>,
    pub salary: Option<String>,
}

/// `[source.selectors]`: CSS selectors of an `html` source, each optionally
/// followed by ` @attr` to read that attribute instead of the text.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSelectors {
    pub item: Option<String>,
    pub title: Option<String>,
    pub link: Option<String>,
    pub company: Option<String>,
    pub location: Option<String>,
    pub date: Option<String>,
    pub description: Option<String>,
    pub next: Option<String>,
    pub detail_description: Option<String>,
}

/// One `[[alert]]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAlert {
    pub name: Option<String>,
    pub query: Option<String>,
    pub notifiers: Option<Vec<String>>,
    pub enabled: Option<bool>,
}

/// One `[[notifier]]`. Kind-specific keys are optional here; validation checks
/// that each kind gets the keys it needs and no key it does not use.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNotifier {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub enabled: Option<bool>,
    /// A digest's cron schedule; without it the notifier is immediate.
    pub schedule: Option<String>,
    /// The time zone the digest schedule is read in (IANA name, default UTC).
    pub timezone: Option<String>,
    /// Whether a digest with nothing new is sent anyway.
    pub send_empty: Option<bool>,
    /// At most this many jobs per alert in a digest.
    pub digest_max_per_alert: Option<i64>,
    // webhook, slack, discord
    pub url: Option<String>,
    pub headers: Option<BTreeMap<String, String>>,
    pub secret: Option<String>,
    // email
    pub smtp_url: Option<String>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub password_file: Option<String>,
    pub from: Option<String>,
    pub to: Option<Vec<String>>,
}

impl RawNotifier {
    /// Every kind-specific key with whether this notifier sets it.
    pub fn kind_keys(&self) -> [(&'static str, bool); 9] {
        [
            ("url", self.url.is_some()),
            ("headers", self.headers.is_some()),
            ("secret", self.secret.is_some()),
            ("smtp_url", self.smtp_url.is_some()),
            ("username", self.username.is_some()),
            ("password", self.password.is_some()),
            ("password_file", self.password_file.is_some()),
            ("from", self.from.is_some()),
            ("to", self.to.is_some()),
        ]
    }
}
