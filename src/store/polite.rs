//! What politeness keeps between runs: each origin's robots.txt (so that a
//! `jobhound fetch` reads it once a day, not once a run) and how long each
//! source last waited for its host's limits (shown by `jobhound sources`).

use chrono::{DateTime, Utc};
use rusqlite::OptionalExtension;

use rusqlite::Connection;

use super::{Store, StoreError, Validators, from_unix, to_unix};

/// A robots.txt as last read from its origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRobots {
    /// When it was last fetched or revalidated.
    pub checked_at: DateTime<Utc>,
    /// The HTTP status: 200, or a 4xx (no file: everything allowed).
    pub status: u16,
    /// The file (empty for a 4xx).
    pub body: Vec<u8>,
    /// Validators for the next conditional GET.
    pub validators: Validators,
}

/// How long a source's last pass waited for its host's limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostWait {
    /// The host, as shown (`example.com`, `127.0.0.1:8080`).
    pub host: String,
    /// The time waited.
    pub waited: std::time::Duration,
    /// The host's requests in flight at once.
    pub concurrency: u32,
    /// The least time between two requests to the host.
    pub interval: std::time::Duration,
    /// When the pass ran.
    pub at: DateTime<Utc>,
}

impl Store {
    /// The stored robots.txt of `origin`, if any.
    pub fn robots(&self, origin: &str) -> Result<Option<StoredRobots>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT checked_at, status, body, etag, last_modified FROM robots WHERE origin = ?1",
        )?;
        let row = stmt
            .query_row([origin], |r| {
                Ok(StoredRobots {
                    checked_at: from_unix(r.get(0)?),
                    status: u16::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                    body: r.get(2)?,
                    validators: Validators {
                        url: Some(format!("{origin}/robots.txt")),
                        etag: r.get(3)?,
                        last_modified: r.get(4)?,
                        state: None,
                    },
                })
            })
            .optional()?;
        Ok(row)
    }

    /// Keeps `robots` as the robots.txt of `origin`.
    pub fn save_robots(&self, origin: &str, robots: &StoredRobots) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO robots (origin, checked_at, status, body, etag, last_modified)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (origin) DO UPDATE SET checked_at = ?2, status = ?3, body = ?4,
                 etag = ?5, last_modified = ?6",
            rusqlite::params![
                origin,
                to_unix(robots.checked_at),
                i64::from(robots.status),
                robots.body,
                robots.validators.etag,
                robots.validators.last_modified,
            ],
        )?;
        Ok(())
    }

    /// How long each source's last pass waited for its host's limits, by source.
    pub fn host_waits(&self) -> Result<Vec<(String, HostWait)>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT source, host, waited_ms, concurrency, interval_ms, at FROM host_waits ORDER BY source",
        )?;
        let ms = |v: i64| std::time::Duration::from_millis(u64::try_from(v).unwrap_or(0));
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                HostWait {
                    host: r.get(1)?,
                    waited: ms(r.get(2)?),
                    concurrency: u32::try_from(r.get::<_, i64>(3)?).unwrap_or(0),
                    interval: ms(r.get(4)?),
                    at: from_unix(r.get(5)?),
                },
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// Keeps how long `source`'s pass waited for its host's limits, or forgets
/// it (`None`); see [`super::Ingest::record_host_wait`].
pub(super) fn write_host_wait(
    conn: &Connection,
    source: &str,
    wait: Option<&HostWait>,
) -> Result<(), StoreError> {
    let Some(wait) = wait else {
        conn.prepare_cached("DELETE FROM host_waits WHERE source = ?1")?
            .execute([source])?;
        return Ok(());
    };
    let ms = |d: std::time::Duration| i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
    conn.prepare_cached(
        "INSERT INTO host_waits (source, host, waited_ms, concurrency, interval_ms, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (source) DO UPDATE SET host = ?2, waited_ms = ?3, concurrency = ?4,
                 interval_ms = ?5, at = ?6",
    )?
    .execute(rusqlite::params![
        source,
        wait.host,
        ms(wait.waited),
        i64::from(wait.concurrency),
        ms(wait.interval),
        to_unix(wait.at),
    ])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn robots_and_waits_round_trip_and_are_replaced() {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open(&dir.path().join("j.db")).expect("open");
        let origin = "https://example.com";
        assert_eq!(store.robots(origin).expect("read"), None);
        let mut robots = StoredRobots {
            checked_at: from_unix(1_800_000_000),
            status: 200,
            body: b"User-agent: *\nDisallow: /x\n".to_vec(),
            validators: Validators {
                url: Some(format!("{origin}/robots.txt")),
                etag: Some("\"v1\"".into()),
                last_modified: None,
                state: None,
            },
        };
        store.save_robots(origin, &robots).expect("save");
        robots.status = 404;
        robots.body.clear();
        store.save_robots(origin, &robots).expect("save again");
        assert_eq!(store.robots(origin).expect("read"), Some(robots));
        let wait = HostWait {
            host: "example.com".into(),
            waited: std::time::Duration::from_millis(1500),
            concurrency: 2,
            interval: std::time::Duration::from_secs(1),
            at: from_unix(1_800_000_000),
        };
        let mut store = store;
        let record = |store: &mut Store, wait: Option<&HostWait>| {
            let mut tx = store.begin_ingest(from_unix(1_800_000_000)).expect("begin");
            tx.set_source(&crate::model::SourceName("acme".into()));
            tx.record_host_wait(wait).expect("record wait");
            tx.commit().expect("commit");
        };
        record(&mut store, Some(&wait));
        assert_eq!(
            store.host_waits().expect("waits"),
            vec![("acme".to_string(), wait)]
        );
        record(&mut store, None);
        record(&mut store, None);
        assert_eq!(store.host_waits().expect("waits"), vec![]);
    }
}
