//! Putting batches together from the store: a message's matches with their
//! jobs, the preview of a notifier's next digest, and the test message of
//! `jobhound notify test`. Runs on a blocking thread (it reads SQLite).

use chrono::{DateTime, Utc};

use super::plan::{DigestDue, digest_due};
use super::render::{Batch, DigestTime, Item, View};
use crate::config::{Mode, Notifier};
use crate::model::{Posting, PostingId, SourceName, Workplace};
use crate::store::{Delivery, Message, Store, StoreError, StoredPosting};

/// A message's idempotency key: `jobhound-m<id>-<unix time it was written>`,
/// the same on every attempt and unlikely to repeat across databases.
pub fn message_key(m: &Message) -> String {
    format!("jobhound-m{}-{}", m.id, m.created_at.timestamp())
}

/// The matches of `deliveries` with their jobs (a job deleted since is skipped).
pub fn items(store: &Store, deliveries: &[Delivery]) -> Result<Vec<Item>, StoreError> {
    let mut out = Vec::with_capacity(deliveries.len());
    for d in deliveries {
        if let Some(posting) = store.posting(d.posting_id)? {
            out.push(Item {
                delivery_id: d.id,
                alert: d.alert.clone(),
                posting,
            });
        }
    }
    Ok(out)
}

/// The batch a stored message carries, with the deliveries it settles;
/// `view` is its notifier's (see [`View::new`]).
pub fn load(
    store: &Store,
    m: &Message,
    notifier: &Notifier,
    view: View,
) -> Result<(Batch, Vec<Delivery>), StoreError> {
    let deliveries = store.message_deliveries(m.id)?;
    let timezone = match &notifier.mode {
        Mode::Digest(d) => d.timezone,
        Mode::Immediate => chrono_tz::UTC,
    };
    let batch = Batch {
        key: message_key(m),
        digest: m.digest_at.map(|at| DigestTime { at, timezone }),
        at: m.digest_at.unwrap_or(m.created_at),
        view,
        items: items(store, &deliveries)?,
    };
    Ok((batch, deliveries))
}

/// What the notifier sends next, without sending or writing anything: the
/// matches waiting in unsent messages and those not yet in one, as the digest
/// of the next schedule time (or, for an immediate notifier, as one batch).
pub fn preview(
    store: &Store,
    n: &Notifier,
    view: View,
    now: DateTime<Utc>,
) -> Result<Batch, StoreError> {
    let mut deliveries = Vec::new();
    for m in store.pending_messages(&n.name)? {
        deliveries.extend(store.message_deliveries(m.id)?);
    }
    deliveries.extend(store.unassigned_deliveries(&n.name, 100_000)?);
    let digest = match &n.mode {
        Mode::Immediate => None,
        Mode::Digest(d) => {
            let last = store.last_digest_tick(&n.name)?.unwrap_or(now);
            let at = match digest_due(d, last, now) {
                DigestDue::Now(t) => now.max(t),
                DigestDue::At(t) => t,
                DigestDue::Never => now,
            };
            Some(DigestTime {
                at,
                timezone: d.timezone,
            })
        }
    };
    Ok(Batch {
        key: "jobhound-preview".into(),
        at: digest.map_or(now, |d| d.at),
        view,
        digest,
        items: items(store, &deliveries)?,
    })
}

/// The message `jobhound notify test` sends through `n`: one made-up job,
/// clearly labelled, shaped as `n` sends (a digest for a digest notifier).
/// Its key is new on every call, so a receiver that drops repeated keys
/// shows every test.
pub fn test_batch(n: &Notifier, now: DateTime<Utc>) -> Batch {
    let posting = Posting {
        source: SourceName("jobhound".into()),
        external_id: "test".into(),
        title: "Test message: jobhound can reach this notifier".into(),
        raw_title: "Test message".into(),
        company: Some("jobhound".into()),
        department: None,
        locations: vec!["Anywhere".into()],
        workplace: Workplace::Remote,
        employment_type: None,
        salary: None,
        posted_at: Some(now),
        updated_at: None,
        url: Some("https://example.com/jobhound-test".into()),
        apply_url: None,
        description_html: "<p>If you can read this, notifications work.</p>".into(),
        text: "If you can read this, notifications work.".into(),
        tags: vec![],
        author: None,
    };
    Batch {
        key: format!(
            "jobhound-test-{}-{:08x}",
            now.timestamp(),
            fastrand::u32(..)
        ),
        digest: match &n.mode {
            Mode::Immediate => None,
            Mode::Digest(d) => Some(DigestTime {
                at: now,
                timezone: d.timezone,
            }),
        },
        at: now,
        view: View::default(),
        items: vec![Item {
            delivery_id: 0,
            alert: "test".into(),
            posting: StoredPosting {
                id: PostingId(0),
                posting,
                sources: vec!["jobhound".into()],
                first_seen: now,
                last_seen: now,
                changed_at: now,
                state: crate::store::JobState::Open,
                closed_at: None,
                reopened_at: None,
                sightings: vec![],
                user_state: None,
            },
        }],
    }
}
