//! `jobhound digest --send`: a notifier's digest cut now, out of schedule,
//! and sent at once. It moves the digest clock like a scheduled digest, so
//! the next scheduled one carries only what matches after it.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::plan::{capacity, chunks};
use super::{Deliverer, DeliveryReport, later};
use crate::config::Mode;
use crate::store::StoreError;

impl Deliverer {
    /// `jobhound digest --send`: cuts the digest of notifier `name` now, out
    /// of schedule (what `--preview` shows), and sends it with the notifier's
    /// other messages due. The digest clock moves to `now`, so the next
    /// scheduled digest carries only what matches after this one. Returns
    /// how many messages the digest made (none when nothing matched and
    /// empty digests are not sent) and what sending did, or `None` when
    /// `name` is not an enabled digest notifier.
    pub async fn send_digest_now(
        &self,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(usize, DeliveryReport)>, StoreError> {
        let started = Instant::now();
        let Some(n) = self.notifiers.iter().find(|n| n.name == name) else {
            return Ok(None);
        };
        let Mode::Digest(d) = &n.mode else {
            return Ok(None);
        };
        let (size, send_empty, name) = (capacity(&n.kind, &n.mode), d.send_empty, n.name.clone());
        let made = self
            .blocking(move |s| {
                let ids: Vec<i64> = s
                    .unassigned_deliveries(&name, 100_000)?
                    .iter()
                    .map(|d| d.id)
                    .collect();
                let mut groups = chunks(&ids, size);
                if groups.is_empty() && send_empty {
                    groups.push(Vec::new());
                }
                if groups.is_empty() {
                    return Ok(0);
                }
                // Clock times are whole seconds, and a digest is cut once per
                // time: one sent by hand takes a time after the last one,
                // even when that was cut in this same second.
                let tick = match s.last_digest_tick(&name)? {
                    Some(last) if last.timestamp() >= now.timestamp() => {
                        later(last, Duration::from_secs(1))
                    }
                    _ => now,
                };
                Ok(s.create_messages(&name, &groups, Some(tick), now)?.len())
            })
            .await?;
        let mut report = DeliveryReport::default();
        self.send_due(n, now, started, &mut report).await?;
        Ok(Some((made, report)))
    }
}
