//! The daemon's wiring: take the database's instance lock, open the store,
//! bind the HTTP API (`[server]`, if configured), start the scheduler, the
//! delivery loop and the API server, and on the stop signal stop
//! taking new work, let in-flight database writes finish, checkpoint, and
//! return. The scheduler and the delivery loop are supervised (a panic in
//! one is logged and it starts again); if the database writer dies, the daemon stops and returns
//! the error, so that its service manager restarts it.

mod instance;

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context as _;
use chrono::Utc;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::http::Http;
use crate::notify::Deliverer;
use crate::pipeline::guard::supervise;
use crate::pipeline::{Pipeline, lock};
use crate::scheduler;
use crate::store::Store;
use crate::telemetry::Telemetry;

pub use instance::{AlreadyRunning, lock_path};

/// How long in-flight work may take to finish after the stop signal.
const GRACE: Duration = Duration::from_secs(10);

/// How long a delivery pass may take before the health check calls the loop
/// stuck (on top of the heartbeat's margin).
const PASS_BUDGET: Duration = Duration::from_secs(600);

/// How long the delivery loop waits before starting again after a panic.
const RESTART_PAUSE: Duration = Duration::from_secs(5);

/// Runs until `stop` completes. Fails at once with [`AlreadyRunning`] when
/// another daemon runs on the same database.
pub async fn run(config: Config, stop: impl Future<Output = ()>) -> anyhow::Result<()> {
    let _instance = instance::acquire(&config.database.path)?;
    let path = config.database.path.clone();
    let store = tokio::task::spawn_blocking(move || Store::open(&path))
        .await?
        .with_context(|| {
            format!(
                "cannot open the database {}",
                config.database.path.display()
            )
        })?;
    let store = Arc::new(Mutex::new(store));
    let http = Http::new(&config.http)?;
    let config = Arc::new(config);
    let telemetry = Arc::new(Telemetry::new(Utc::now()));
    // Opening the writer's connections is blocking I/O.
    let pipeline = Arc::new(
        tokio::task::block_in_place(|| Pipeline::new(&config, http.clone(), store.clone()))?
            .observed(telemetry.clone()),
    );
    let deliverer = Deliverer::new(&config, http, store.clone()).observed(telemetry.clone());
    let cancel = CancellationToken::new();
    let wake = Arc::new(Notify::new());
    // Bound before announcing the start: an address in use fails the start,
    // and once "started" is logged the API answers.
    let listener = match &config.server {
        None => None,
        Some(server) => {
            let l = tokio::net::TcpListener::bind(server.listen)
                .await
                .with_context(|| format!("cannot listen on {} (server.listen)", server.listen))?;
            let addr = l.local_addr()?;
            tracing::info!(%addr, token = server.token.is_some(), "API listening");
            Some(l)
        }
    };
    tracing::info!(
        config = %config.file.display(),
        database = %config.database.path.display(),
        sources = config.sources.iter().filter(|s| s.enabled).count(),
        alerts = config.alerts.iter().filter(|a| a.enabled).count(),
        notifiers = config.notifiers.iter().filter(|n| n.enabled).count(),
        "jobhound started"
    );
    let sched = {
        let (config, pipeline, cancel, wake) = (
            config.clone(),
            pipeline.clone(),
            cancel.clone(),
            wake.clone(),
        );
        // A panic in the scheduler would leave a daemon that fetches nothing.
        tokio::spawn(async move {
            supervise("scheduler", RESTART_PAUSE, &cancel, || {
                scheduler::run(
                    config.clone(),
                    pipeline.clone(),
                    cancel.clone(),
                    wake.clone(),
                )
            })
            .await;
        })
    };
    let deliver = tokio::spawn(deliver_loop(
        deliverer,
        cancel.clone(),
        wake.clone(),
        telemetry.clone(),
    ));
    let serve = listener.map(|l| {
        let api =
            crate::api::Api::new(config.clone(), store.clone(), telemetry.clone()).waking(wake);
        let cancel = cancel.clone();
        tokio::spawn(async move {
            if let Err(e) = crate::api::serve(l, api, cancel).await {
                tracing::error!(error = %e, "the API server stopped");
            }
        })
    });
    let died = tokio::select! {
        () = stop => None,
        cause = pipeline.writer_died().wait() => Some(cause),
    };
    match &died {
        None => tracing::info!("stopping: no new fetches; finishing in-flight work"),
        Some(cause) => tracing::error!(
            %cause,
            "the database writer died: nothing can be stored any more; stopping with an error so the service manager restarts jobhound"
        ),
    }
    cancel.cancel();
    let finished = tokio::time::timeout(GRACE, async {
        let _ = sched.await;
        let _ = deliver.await;
        if let Some(serve) = serve {
            let _ = serve.await;
        }
    })
    .await;
    if finished.is_err() {
        tracing::warn!(
            grace_s = GRACE.as_secs(),
            "in-flight work did not finish in time; it will be redone at next start"
        );
    }
    // Let the writer finish what was queued; if a pass is still running past
    // the grace period its write is abandoned (a transaction never half-applies).
    if let Ok(pipeline) = Arc::try_unwrap(pipeline) {
        tokio::task::spawn_blocking(move || pipeline.close()).await?;
    }
    tokio::task::spawn_blocking(move || lock(&store).checkpoint()).await??;
    if let Some(cause) = died {
        anyhow::bail!("the database writer died (panic: {cause})");
    }
    tracing::info!("stopped");
    Ok(())
}

/// Runs [`deliver_passes`] until `cancel` fires, starting it again after a
/// pause when it panics (a message that panics is a failed attempt of its
/// own; this catches the rest).
async fn deliver_loop(
    deliverer: Deliverer,
    cancel: CancellationToken,
    wake: Arc<Notify>,
    telemetry: Arc<Telemetry>,
) {
    supervise("delivery loop", RESTART_PAUSE, &cancel, || {
        deliver_passes(&deliverer, &cancel, &wake, &telemetry)
    })
    .await;
}

/// Sends due deliveries whenever a pass recorded matches, when a retry or a
/// digest falls due, and at least hourly; stops when `cancel` fires.
async fn deliver_passes(
    deliverer: &Deliverer,
    cancel: &CancellationToken,
    wake: &Notify,
    telemetry: &Telemetry,
) {
    loop {
        // A pass sends what is due, each send bounded by the HTTP timeout.
        telemetry.deliverer.beat(Utc::now(), PASS_BUDGET);
        match deliverer.deliver_due(Utc::now()).await {
            Ok(r) if r.sent + r.retrying + r.failed > 0 => {
                telemetry.delivered(r.sent, r.retrying, r.failed);
                tracing::info!(
                    sent = r.sent,
                    retrying = r.retrying,
                    failed = r.failed,
                    "deliveries"
                );
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "cannot read the outbox"),
        }
        let now = Utc::now();
        let next = deliverer.next_due(now).await.ok().flatten();
        let wait = next
            .map(|t| (t - now).to_std().unwrap_or(Duration::ZERO))
            .unwrap_or(Duration::from_secs(3600))
            .clamp(Duration::from_millis(200), Duration::from_secs(3600));
        telemetry.deliverer.beat(now, wait);
        tokio::select! {
            () = cancel.cancelled() => break,
            () = wake.notified() => {}
            () = tokio::time::sleep(wait) => {}
        }
    }
}
