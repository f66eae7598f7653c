//! Checking one `[[source]]` table: the keys every source has, with the
//! kind's own keys left to [`super::kinds`].

use std::collections::HashSet;

use super::{HostPort, Source, SourceKind, is_job_feed, kinds};
use crate::config::Scheduler;
use crate::config::check::Checker;
use crate::config::raw::RawSource;
use crate::model::SourceName;

/// Checks one `[[source]]`; `None` when it has problems (already recorded).
pub(in crate::config) fn check(
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
    let Some(spec) = kinds::find(&kind_name) else {
        c.problem(
            format!("{at}.kind"),
            format!(
                "unknown kind `{kind_name}` (known kinds: {})",
                kinds::names()
            ),
        );
        return None;
    };
    let kind = spec.check(c, at, r);
    let max_pages = c.number(&format!("{at}.max_pages"), r.max_pages, 10, 1, 1000);
    let page_delay = c.duration(
        &format!("{at}.page_delay"),
        &r.page_delay,
        std::time::Duration::from_secs(1),
        crate::config::check::PAGE_DELAY,
    );
    let kind = kind?;
    // smartrecruiters and recruitee read `company` as their board identifier.
    let company = match kind {
        SourceKind::SmartRecruiters { .. } | SourceKind::Recruitee { .. } => None,
        _ => match r.company.as_deref().map(str::trim) {
            Some("") => {
                c.problem(
                    format!("{at}.company"),
                    "is empty; leave it out to derive a name",
                );
                None
            }
            other => other.map(String::from),
        },
    };
    let split_title = match (&kind, r.split_title) {
        (SourceKind::Feed { url }, None) => is_job_feed(url),
        (_, given) => given.unwrap_or(false),
    };
    let mut allow_hosts = Vec::new();
    for (i, h) in r.allow_hosts.iter().flatten().enumerate() {
        match HostPort::parse(h) {
            Ok(h) => allow_hosts.push(h),
            Err(why) => c.problem(format!("{at}.allow_hosts[{i}]"), why),
        }
    }
    Some(Source {
        name: SourceName(name?),
        kind,
        schedule: schedule?,
        enabled: r.enabled.unwrap_or(true),
        notify_first_fetch: r.notify_first_fetch.unwrap_or(scheduler.notify_first_fetch),
        base_url,
        max_pages,
        page_delay,
        company,
        close_missing: r.close_missing.unwrap_or(false),
        split_title,
        allow_hosts,
        ignore_robots: r.ignore_robots.unwrap_or(false),
    })
}
