//! Per-host politeness: at most `per_host_concurrency` requests in flight to
//! one host, and at least `per_host_interval` between the starts of two of
//! them, whichever sources make them. A host is its name and port (an origin
//! without the scheme): two ports of 127.0.0.1 are two servers, and
//! `http://x` and `https://x` never share a port anyway.
//!
//! Every request of a source goes through [`Gate::turn`]. Besides, a pass
//! takes its host's [`Gate::source_turn`] before it takes one of the pass's
//! `concurrency` slots, so a busy host queues its own sources and never holds
//! the slots other hosts' sources could use (see `Pipeline::run_queued`).
//!
//! A robots.txt `Crawl-delay` longer than the configured interval raises that
//! host's interval ([`Gate::slow_down`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;
use url::Url;

/// The longest interval a server's `Crawl-delay` can impose.
pub const CRAWL_DELAY_MAX: Duration = Duration::from_secs(600);

/// The per-host limits of every request.
pub struct Gate {
    per_host: usize,
    interval: Duration,
    hosts: Mutex<HashMap<String, Arc<Host>>>,
}

/// One host's state.
struct Host {
    /// Requests in flight.
    requests: Arc<Semaphore>,
    /// Held by the request whose start is next, until it starts.
    starter: tokio::sync::Mutex<()>,
    /// Sources fetching from it (see the module header).
    sources: Arc<Semaphore>,
    clock: Mutex<Clock>,
}

struct Clock {
    /// When the next request may start.
    next: Option<Instant>,
    /// The least time between two starts (the configured one, or a longer `Crawl-delay`).
    interval: Duration,
}

/// A request's turn: it is in flight until this is dropped.
pub struct Turn {
    _permit: OwnedSemaphorePermit,
}

/// The limits one host is held to, for reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostLimits {
    /// `example.com`, or `127.0.0.1:8080` when the port is not the scheme's default.
    pub host: String,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// The least time between two starts.
    pub interval: Duration,
}

/// The key of `url`'s host: lowercase name and port (`example.com:443`).
fn key(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or("").to_ascii_lowercase(),
        url.port_or_known_default().unwrap_or(0)
    )
}

/// How `url`'s host is shown: its name, with the port when it is not the scheme's default.
pub fn label(url: &Url) -> String {
    let host = url.host_str().unwrap_or("").to_ascii_lowercase();
    match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host,
    }
}

impl Gate {
    /// A gate letting `per_host` requests (at least one) in flight per host, `interval` apart.
    pub fn new(per_host: usize, interval: Duration) -> Gate {
        Gate {
            per_host: per_host.max(1),
            interval,
            hosts: Mutex::new(HashMap::new()),
        }
    }

    fn host(&self, url: &Url) -> Arc<Host> {
        let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
        hosts
            .entry(key(url))
            .or_insert_with(|| {
                Arc::new(Host {
                    requests: Arc::new(Semaphore::new(self.per_host)),
                    starter: tokio::sync::Mutex::new(()),
                    sources: Arc::new(Semaphore::new(self.per_host)),
                    clock: Mutex::new(Clock {
                        next: None,
                        interval: self.interval,
                    }),
                })
            })
            .clone()
    }

    /// Waits until a request to `url` may start: a free place among the
    /// host's requests in flight, then the interval since the last start.
    pub async fn turn(&self, url: &Url) -> Turn {
        let host = self.host(url);
        // The semaphore is fair: requests start in the order they asked.
        let permit = acquire(&host.requests).await;
        // Starts are taken one at a time, and the next is due an interval
        // after this one *actually* started: a timer that fires late (a busy
        // machine) delays the following starts instead of bunching them.
        let _starter = host.starter.lock().await;
        let next = host.clock.lock().unwrap_or_else(|p| p.into_inner()).next;
        // Only a start still due sleeps: tokio fires even a timer already
        // past at its next tick, up to a millisecond later, which with no
        // interval (or one long past) would space every start of the host
        // a tick apart, one after the other.
        if let Some(next) = next.filter(|&next| next > Instant::now()) {
            tokio::time::sleep_until(next).await;
        }
        let mut clock = host.clock.lock().unwrap_or_else(|p| p.into_inner());
        clock.next = Some(Instant::now() + clock.interval);
        drop(clock);
        Turn { _permit: permit }
    }

    /// Waits until one more source may fetch from `url`'s host; the source
    /// holds the returned turn while it fetches.
    pub async fn source_turn(&self, url: &Url) -> Turn {
        let host = self.host(url);
        Turn {
            _permit: acquire(&host.sources).await,
        }
    }

    /// Raises the interval of `url`'s host to `delay` (at most
    /// [`CRAWL_DELAY_MAX`]) when that is longer than the current one.
    pub fn slow_down(&self, url: &Url, delay: Duration) {
        let host = self.host(url);
        let mut clock = host.clock.lock().unwrap_or_else(|p| p.into_inner());
        let delay = delay.min(CRAWL_DELAY_MAX);
        if delay > clock.interval {
            tracing::info!(host = %label(url), interval_ms = delay.as_millis() as u64, "robots.txt asks for a longer Crawl-delay: requests to this host slowed down");
            clock.interval = delay;
        }
    }

    /// The limits `url`'s host is held to now.
    pub fn limits(&self, url: &Url) -> HostLimits {
        let host = self.host(url);
        let interval = host
            .clock
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .interval;
        HostLimits {
            host: label(url),
            concurrency: self.per_host,
            interval,
        }
    }
}

async fn acquire(semaphore: &Arc<Semaphore>) -> OwnedSemaphorePermit {
    match semaphore.clone().acquire_owned().await {
        Ok(p) => p,
        // Never closed: the gate owns its semaphores and never closes them.
        Err(_) => unreachable!("a host's semaphore is never closed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).expect("url")
    }

    const GAP: Duration = Duration::from_millis(60);

    #[tokio::test]
    async fn starts_are_an_interval_apart_per_host_and_in_flight_is_capped() {
        let gate = Arc::new(Gate::new(2, GAP));
        let t0 = Instant::now();
        let a = gate.turn(&u("http://a.example/1")).await;
        let b = gate.turn(&u("http://A.example:80/2")).await;
        assert!(t0.elapsed() >= GAP, "same host: spaced");
        // Another host (another port is another host) does not wait.
        let t1 = Instant::now();
        let _c = gate.turn(&u("http://a.example:8080/")).await;
        assert!(t1.elapsed() < GAP, "{:?}", t1.elapsed());
        // Two in flight: the third waits until one ends.
        let g = gate.clone();
        let third = tokio::spawn(async move {
            let _t = g.turn(&u("http://a.example/3")).await;
            Instant::now()
        });
        tokio::time::sleep(GAP * 3).await;
        assert!(!third.is_finished(), "two requests in flight already");
        let released = Instant::now();
        drop(a);
        let started = third.await.expect("task");
        assert!(started >= released);
        drop(b);
    }

    #[tokio::test]
    async fn with_no_interval_starts_are_not_spaced_by_timer_ticks() {
        // A timer, even one already due, fires at the runtime's next tick (a
        // millisecond): 500 starts waiting on one would take half a second.
        let gate = Gate::new(1, Duration::ZERO);
        let t0 = Instant::now();
        for i in 0..500 {
            drop(gate.turn(&u(&format!("http://a.example/{i}"))).await);
        }
        assert!(
            t0.elapsed() < Duration::from_millis(250),
            "{:?}",
            t0.elapsed()
        );
    }

    #[tokio::test]
    async fn a_longer_crawl_delay_raises_the_interval_and_a_shorter_one_does_not() {
        let gate = Gate::new(4, GAP);
        let url = u("https://shop.example/jobs");
        gate.slow_down(&url, GAP / 2);
        assert_eq!(gate.limits(&url).interval, GAP);
        gate.slow_down(&url, GAP * 2);
        assert_eq!(gate.limits(&url).interval, GAP * 2);
        let t0 = Instant::now();
        drop(gate.turn(&url).await);
        drop(gate.turn(&url).await);
        assert!(t0.elapsed() >= GAP * 2);
        gate.slow_down(&url, Duration::from_secs(86_400));
        let limits = gate.limits(&url);
        assert_eq!(limits.interval, CRAWL_DELAY_MAX);
        assert_eq!(
            (limits.host.as_str(), limits.concurrency),
            ("shop.example", 4)
        );
        assert_eq!(label(&u("http://127.0.0.1:9000/x")), "127.0.0.1:9000");
    }
}
