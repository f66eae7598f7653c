//! `/sources`: each configured source's health (failing in a row or not),
//! its last fetch and error, when it is next due, and how many jobs it lists;
//! then sources no longer configured whose jobs are kept (what `jobhound
//! sources` prints).

use std::collections::HashMap;

use axum::Extension;
use axum::extract::State;
use chrono::Utc;
use maud::{Markup, html};

use super::session::Session;
use super::{PageError, age, layout, query_pair, when};
use crate::api::Api;
use crate::scheduler::next_due;

/// `GET /sources`
pub(super) async fn page(
    State(api): State<Api>,
    Extension(session): Extension<Session>,
) -> Result<Markup, PageError> {
    let (states, counts) = api
        .read(|s| Ok((s.source_states()?, s.count_by_source()?)))
        .await?;
    let states: HashMap<String, _> = states.into_iter().map(|s| (s.name.clone(), s)).collect();
    let counts: HashMap<String, u64> = counts.into_iter().collect();
    let config = api.config();
    let now = Utc::now();
    let retry = (config.scheduler.retry_base, config.scheduler.retry_max);
    let mut gone: Vec<&String> = states
        .keys()
        .filter(|n| config.source(n).is_none())
        .collect();
    gone.sort();
    let body = html! {
        h1 { "Sources" }
        div.table { table {
            thead { tr {
                th { "source" } th { "health" } th { "last fetch" } th { "last error" }
                th { "next due" } th { "jobs" }
            } }
            tbody {
                @for s in &config.sources {
                    @let st = states.get(s.name.as_str());
                    @let due = s.enabled.then(|| next_due(&s.schedule, st, now, std::time::Duration::ZERO, retry));
                    tr {
                        td { (s.name.as_str()) br; span.muted { (s.kind.name()) ", " (s.schedule.to_string()) } }
                        td {
                            @match st {
                                _ if !s.enabled => span.tag { "disabled" },
                                None => span.tag { "not fetched yet" },
                                Some(st) if st.fail_count > 0 => span.tag.failed { "failing (" (st.fail_count) " in a row)" },
                                Some(_) => span.tag.saved { "ok" },
                            }
                        }
                        td {
                            @if let Some(t) = st.and_then(|st| st.last_success_at) {
                                "ok " span title=(when(t)) { (age(t, now)) }
                                @if let Some(st) = st { br; span.muted { (st.last_new) " new, " (st.last_updated) " updated, " (st.last_unchanged) " unchanged" } }
                            }
                            @if let Some(t) = st.and_then(|st| st.last_attempt_at) {
                                @if st.and_then(|st| st.last_success_at) != Some(t) { br; "tried " span title=(when(t)) { (age(t, now)) } }
                            }
                        }
                        td { @if let Some(st) = st {
                            @if st.fail_count > 0 {
                                @if let Some(status) = &st.last_status { (status) ": " }
                                (st.last_error.as_deref().unwrap_or(""))
                            }
                        } }
                        td { @if let Some(t) = due { (when(t)) } @else { "-" } }
                        td { a href={ "/?" (query_pair("source", s.name.as_str())) } { (counts.get(s.name.as_str()).copied().unwrap_or(0)) } }
                    }
                }
                @for name in &gone {
                    tr {
                        td { (name) } td { span.tag { "no longer configured" } } td {} td {} td { "-" }
                        td { (counts.get(name.as_str()).copied().unwrap_or(0)) }
                    }
                }
            }
        } }
    };
    Ok(layout("Sources", &session, body))
}
