//! Source health: after each pass, a source's run of failures (and of passes
//! that listed nothing although it listed postings before) is counted, and
//! when the run reaches `[health] after_failures` a report is queued, once;
//! when the source works again, its recovery is queued, once. The counting is
//! a pure step ([`step`]); [`Store::observe_health`] applies it and writes the
//! reports as messages (the outbox) in the same transaction, so a report is
//! never lost and never repeated, even across restarts.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::{Store, StoreError, from_unix, to_unix};

/// What one pass of a source came to, as far as its health goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pass {
    /// The fetch (or storing it) failed, with this error.
    Failed(String),
    /// The source listed this many postings.
    Listed(u64),
    /// 304: it lists what it listed last time.
    NotModified,
}

/// Whether a report says a source stopped or started working again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HealthKind {
    /// The source failed (or listed nothing) for `after_failures` passes.
    SourceFailing,
    /// A source reported as failing works again.
    SourceRecovered,
}

/// One health report, as queued and as the webhook receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthEvent {
    /// Failing or recovered.
    pub event: HealthKind,
    /// The source's name.
    pub source: String,
    /// What is wrong (for a recovery: what was wrong).
    pub error: String,
    /// When the trouble started.
    pub since: DateTime<Utc>,
    /// When the report was made.
    pub at: DateTime<Utc>,
}

/// What was reported about a source and not yet followed by its recovery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reported {
    /// Its fetches failed.
    Failing,
    /// It listed nothing.
    Empty,
}

/// A source's health counters, as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct State {
    failures: u32,
    failing_since: Option<DateTime<Utc>>,
    last_error: Option<String>,
    empty: u32,
    empty_since: Option<DateTime<Utc>>,
    listed: u64,
    reported: Option<(Reported, DateTime<Utc>, String)>,
}

/// Applies one pass of `source` at `now` to `s`; the report it calls for, if any.
fn step(
    s: &mut State,
    source: &str,
    pass: &Pass,
    now: DateTime<Utc>,
    after: u32,
) -> Option<HealthEvent> {
    let report = |event, error: String, since| HealthEvent {
        event,
        source: source.to_string(),
        error,
        since,
        at: now,
    };
    let listed = match pass {
        Pass::Failed(error) => {
            s.failures = s.failures.saturating_add(1);
            let since = *s.failing_since.get_or_insert(now);
            s.last_error = Some(error.clone());
            if s.reported.is_none() && s.failures >= after {
                s.reported = Some((Reported::Failing, since, error.clone()));
                return Some(report(HealthKind::SourceFailing, error.clone(), since));
            }
            return None;
        }
        // A 304 repeats the last listing: empty again if it was empty.
        Pass::NotModified if s.empty > 0 => 0,
        Pass::NotModified => s.listed,
        Pass::Listed(n) => *n,
    };
    s.failures = 0;
    s.failing_since = None;
    s.last_error = None;
    if listed == 0 && s.listed > 0 {
        // It listed postings before: an empty listing is a selector that no
        // longer matches or a board that emptied, not its normal state.
        s.empty = s.empty.saturating_add(1);
        let since = *s.empty_since.get_or_insert(now);
        if s.reported.is_none() && s.empty >= after {
            let error = format!(
                "listed no postings for {} passes (it listed {} before)",
                s.empty, s.listed
            );
            s.reported = Some((Reported::Empty, since, error.clone()));
            return Some(report(HealthKind::SourceFailing, error, since));
        }
        return None;
    }
    if listed > 0 {
        s.listed = listed;
    }
    s.empty = 0;
    s.empty_since = None;
    let (_, since, error) = s.reported.take()?;
    Some(report(HealthKind::SourceRecovered, error, since))
}

impl Store {
    /// Counts one pass of `source` at `now` towards its health and queues the
    /// report it calls for (one message per notifier in `notifiers`, due
    /// now), all in one transaction. Returns the report, if any.
    pub fn observe_health(
        &mut self,
        source: &str,
        pass: &Pass,
        now: DateTime<Utc>,
        after_failures: u32,
        notifiers: &[String],
    ) -> Result<Option<HealthEvent>, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut s = tx
            .prepare_cached(
                "SELECT failures, failing_since, last_error, empty, empty_since, listed,
                    reported, reported_since, reported_error
                 FROM source_health WHERE source = ?1",
            )?
            .query_row([source], |r| {
                let reported = match r.get::<_, Option<String>>(6)?.as_deref() {
                    Some("failing") => Some(Reported::Failing),
                    Some("empty") => Some(Reported::Empty),
                    _ => None,
                };
                Ok(State {
                    failures: u32::try_from(r.get::<_, i64>(0)?).unwrap_or(u32::MAX),
                    failing_since: r.get::<_, Option<i64>>(1)?.map(from_unix),
                    last_error: r.get(2)?,
                    empty: u32::try_from(r.get::<_, i64>(3)?).unwrap_or(u32::MAX),
                    empty_since: r.get::<_, Option<i64>>(4)?.map(from_unix),
                    listed: u64::try_from(r.get::<_, i64>(5)?).unwrap_or(0),
                    reported: reported.map(|k| {
                        (
                            k,
                            from_unix(r.get::<_, Option<i64>>(7).ok().flatten().unwrap_or(0)),
                            r.get::<_, Option<String>>(8)
                                .ok()
                                .flatten()
                                .unwrap_or_default(),
                        )
                    }),
                })
            })
            .optional()?
            .unwrap_or_default();
        let event = step(&mut s, source, pass, now, after_failures);
        let (reported, reported_since, reported_error) = match &s.reported {
            None => (None, None, None),
            Some((k, since, error)) => (
                Some(match k {
                    Reported::Failing => "failing",
                    Reported::Empty => "empty",
                }),
                Some(to_unix(*since)),
                Some(error.as_str()),
            ),
        };
        tx.prepare_cached(
            "INSERT OR REPLACE INTO source_health (source, failures, failing_since, last_error,
                empty, empty_since, listed, reported, reported_since, reported_error)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(params![
            source,
            s.failures,
            s.failing_since.map(to_unix),
            s.last_error,
            s.empty,
            s.empty_since.map(to_unix),
            i64::try_from(s.listed).unwrap_or(i64::MAX),
            reported,
            reported_since,
            reported_error,
        ])?;
        if let Some(e) = &event {
            let json =
                serde_json::to_string(e).map_err(|err| StoreError::Corrupt(err.to_string()))?;
            for n in notifiers {
                tx.prepare_cached(
                    "INSERT INTO messages (notifier, next_attempt_at, created_at, health)
                     VALUES (?1, ?2, ?2, ?3)",
                )?
                .execute(params![n, to_unix(now), json])?;
            }
        }
        tx.commit()?;
        Ok(event)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 30, 10, minute, 0)
            .single()
            .expect("valid")
    }

    /// A report as (pass index, kind, error, minute of `since`).
    type Seen = (usize, HealthKind, String, u32);

    /// Runs `passes` (a pass per minute) and returns the reports.
    fn run(passes: &[Pass], after: u32) -> Vec<Seen> {
        let mut s = State::default();
        let mut out = Vec::new();
        for (i, p) in passes.iter().enumerate() {
            if let Some(e) = step(&mut s, "acme", p, at(i as u32), after) {
                use chrono::Timelike;
                out.push((i, e.event, e.error, e.since.minute()));
            }
        }
        out
    }

    fn fail() -> Pass {
        Pass::Failed("HTTP 500".into())
    }

    #[test]
    fn a_run_of_failures_is_reported_once_and_its_end_once() {
        use HealthKind::*;
        use Pass::*;
        let cases: &[(&str, Vec<Pass>, Vec<Seen>)] = &[
            (
                "two failures stay below three",
                vec![Listed(5), fail(), fail(), Listed(5)],
                vec![],
            ),
            (
                "the third failure reports, once; the success after it recovers",
                vec![Listed(5), fail(), fail(), fail(), fail(), Listed(5)],
                vec![
                    (3, SourceFailing, "HTTP 500".into(), 1),
                    (5, SourceRecovered, "HTTP 500".into(), 1),
                ],
            ),
            (
                "a 304 after a listing counts as working",
                vec![Listed(5), fail(), fail(), fail(), NotModified],
                vec![
                    (3, SourceFailing, "HTTP 500".into(), 1),
                    (4, SourceRecovered, "HTTP 500".into(), 1),
                ],
            ),
            (
                "a source that lists nothing at all is normal, not empty",
                vec![Listed(0), Listed(0), Listed(0), Listed(0)],
                vec![],
            ),
            (
                "a source that listed postings and now lists none is reported",
                vec![
                    Listed(42),
                    Listed(0),
                    NotModified,
                    Listed(0),
                    Listed(0),
                    Listed(3),
                ],
                vec![
                    (
                        3,
                        SourceFailing,
                        "listed no postings for 3 passes (it listed 42 before)".into(),
                        1,
                    ),
                    (
                        5,
                        SourceRecovered,
                        "listed no postings for 3 passes (it listed 42 before)".into(),
                        1,
                    ),
                ],
            ),
            (
                "a failing source that comes back empty has not recovered",
                vec![
                    Listed(4),
                    fail(),
                    fail(),
                    fail(),
                    Listed(0),
                    Listed(0),
                    Listed(0),
                    Listed(2),
                ],
                vec![
                    (3, SourceFailing, "HTTP 500".into(), 1),
                    (7, SourceRecovered, "HTTP 500".into(), 1),
                ],
            ),
            (
                "a failure resets nothing of the empty run's report",
                vec![Listed(1), Listed(0), fail(), Listed(0), Listed(1)],
                vec![],
            ),
        ];
        for (what, passes, want) in cases {
            assert_eq!(&run(passes, 3), want, "{what}");
        }
        assert_eq!(
            run(&[fail()], 1).len(),
            1,
            "after_failures = 1 reports at once"
        );
    }

    #[test]
    fn reports_are_queued_once_per_notifier_and_survive_reopening() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("h.db");
        let notifiers = vec!["hook".to_string(), "mail".to_string()];
        {
            let mut s = Store::open(&path).expect("open");
            for i in 0..2 {
                let e = s
                    .observe_health("acme", &fail(), at(i), 3, &notifiers)
                    .expect("observe");
                assert_eq!(e, None);
            }
        }
        let mut s = Store::open(&path).expect("reopen");
        let e = s
            .observe_health("acme", &fail(), at(2), 3, &notifiers)
            .expect("observe")
            .expect("the third failure is reported");
        assert_eq!((e.event, e.since), (HealthKind::SourceFailing, at(0)));
        assert_eq!(
            s.observe_health("acme", &fail(), at(3), 3, &notifiers)
                .expect("observe"),
            None
        );
        let queued = s.pending_messages("mail").expect("messages");
        assert_eq!(queued.len(), 1);
        let body: HealthEvent =
            serde_json::from_str(queued[0].health.as_deref().expect("a health message"))
                .expect("json");
        assert_eq!(body, e);
        assert_eq!(s.pending_messages("hook").expect("messages").len(), 1);
    }
}
