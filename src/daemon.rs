//! The daemon's wiring: take the database's instance lock, open the store,
//! bind the HTTP API (`[server]`, if configured), start the scheduler, the
//! delivery loop and the API server, and on the stop signal stop
//! taking new work, let in-flight database writes finish, checkpoint, and
//! return. The scheduler and the delivery loop are supervised (a panic in
//! one is logged and it starts again); if the database writer dies, the daemon stops and returns
//! the error, so that its service manager restarts it.
//!
//! A reload (SIGHUP) reads the config file again and, if it is valid, sends
//! it over a watch channel to the scheduler, the delivery loop and the API;
//! systemd hears of start, reload and stop (`systemd.rs`).

mod instance;
mod systemd;

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context as _;
use chrono::Utc;
use tokio::sync::{Notify, watch};
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::http::Http;
use crate::notify::Deliverer;
use crate::pipeline::guard::supervise;
use crate::pipeline::{Pipeline, SharedStore, lock};
use crate::scheduler;
use crate::store::Store;
use crate::telemetry::Telemetry;

pub use instance::{AlreadyRunning, lock_path};
use systemd::Systemd;

/// How long in-flight work may take to finish after the stop signal.
const GRACE: Duration = Duration::from_secs(10);

/// How long a delivery pass may take before the health check calls the loop
/// stuck (on top of the heartbeat's margin).
const PASS_BUDGET: Duration = Duration::from_secs(600);

/// How much more start-up time systemd is asked for while the database
/// opens, again at every half of it: upgrading a large store takes minutes
/// (schema 14 rebuilds the search index, about 20 s per 100,000 postings),
/// more than systemd's default 90 s, and a start that times out is killed
/// and its upgrade rolled back, over and over.
const OPEN_GRACE: Duration = Duration::from_secs(60);

/// How long the delivery loop waits before starting again after a panic.
const RESTART_PAUSE: Duration = Duration::from_secs(5);

/// Waits for the database to open (and upgrade), asking systemd for more
/// start-up time meanwhile.
async fn opened<T>(
    systemd: &Systemd,
    mut opening: tokio::task::JoinHandle<T>,
) -> Result<T, tokio::task::JoinError> {
    let mut ask = tokio::time::interval(OPEN_GRACE / 2);
    loop {
        tokio::select! {
            done = &mut opening => return done,
            _ = ask.tick() => systemd.extend_start(
                OPEN_GRACE,
                "opening the database (an upgrade can take minutes)",
            ),
        }
    }
}

/// Runs until `stop` completes, reloading the config file each time
/// `reload` yields. Fails at once with [`AlreadyRunning`] when another
/// daemon runs on the same database.
pub async fn run(
    config: Config,
    stop: impl Future<Output = ()>,
    mut reload: tokio::sync::mpsc::Receiver<()>,
) -> anyhow::Result<()> {
    let _instance = instance::acquire(&config.database.path)?;
    let systemd = Arc::new(Systemd::from_env());
    let path = config.database.path.clone();
    let opening = tokio::task::spawn_blocking(move || Store::open(&path));
    let store = opened(&systemd, opening).await?.with_context(|| {
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
    let runtime = tokio::runtime::Handle::current();
    let pipeline = Arc::new(
        tokio::task::block_in_place(|| {
            Pipeline::new(&config, http.clone(), store.clone(), runtime)
        })?
        .observed(telemetry.clone()),
    );
    let (current, following) = watch::channel(config.clone());
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
    warn_idle(&config);
    let sched = {
        let (following, pipeline, cancel, wake) = (
            following.clone(),
            pipeline.clone(),
            cancel.clone(),
            wake.clone(),
        );
        let pulse = Arc::new(systemd.clone().pulse());
        // A panic in the scheduler would leave a daemon that fetches nothing.
        tokio::spawn(async move {
            supervise("scheduler", RESTART_PAUSE, &cancel, || {
                scheduler::run(
                    following.clone(),
                    pipeline.clone(),
                    cancel.clone(),
                    wake.clone(),
                    pulse.clone(),
                )
            })
            .await;
        })
    };
    let deliver = tokio::spawn(deliver_loop(
        following.clone(),
        http,
        store.clone(),
        cancel.clone(),
        wake.clone(),
        telemetry.clone(),
    ));
    let serve = listener.map(|l| {
        let api = crate::api::Api::new(following.clone(), store.clone(), telemetry.clone())
            .waking(wake.clone());
        let cancel = cancel.clone();
        tokio::spawn(async move {
            if let Err(e) = crate::api::serve(l, api, cancel).await {
                tracing::error!(error = %e, "the API server stopped");
            }
        })
    });
    systemd.ready("started");
    tokio::pin!(stop);
    let died = loop {
        tokio::select! {
            () = &mut stop => break None,
            cause = pipeline.writer_died().wait() => break Some(cause),
            Some(()) = reload.recv() => {
                systemd.reloading();
                reload_config(&current, &pipeline).await;
                wake.notify_one();
                systemd.ready("config reloaded");
            }
        }
    };
    systemd.stopping();
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
    config: watch::Receiver<Arc<Config>>,
    http: Http,
    store: SharedStore,
    cancel: CancellationToken,
    wake: Arc<Notify>,
    telemetry: Arc<Telemetry>,
) {
    let make =
        |c: &Config| Deliverer::new(c, http.clone(), store.clone()).observed(telemetry.clone());
    supervise("delivery loop", RESTART_PAUSE, &cancel, || {
        deliver_passes(config.clone(), &make, &cancel, &wake, &telemetry)
    })
    .await;
}

/// Sends due deliveries whenever a pass recorded matches, when a retry or a
/// digest falls due, and at least hourly; stops when `cancel` fires.
async fn deliver_passes(
    mut config: watch::Receiver<Arc<Config>>,
    make: &impl Fn(&Config) -> Deliverer,
    cancel: &CancellationToken,
    wake: &Notify,
    telemetry: &Telemetry,
) {
    let mut deliverer = make(&config.borrow_and_update());
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
            // New or changed notifiers deliver from the next pass on.
            Ok(()) = config.changed() => deliverer = make(&config.borrow_and_update()),
        }
    }
}

/// Warns about a config that leaves the daemon with nothing useful to do.
fn warn_idle(config: &Config) {
    for w in config.idle_warnings() {
        tracing::warn!(config = %config.file.display(), "{w}");
    }
}

/// Reads the config file again (SIGHUP). A valid one replaces the running
/// config: sources, alerts, notifiers and `[health]` apply from now on. An
/// invalid one is logged with every problem and the running config stays.
/// What the daemon set up once at start (the database, the HTTP client,
/// the API's address and token) keeps its old settings until a restart, and
/// the log says so.
async fn reload_config(current: &watch::Sender<Arc<Config>>, pipeline: &Pipeline) {
    let old = current.borrow().clone();
    let file = old.file.clone();
    let loaded = tokio::task::spawn_blocking(move || Config::load(&file)).await;
    let mut new = match loaded {
        Ok(Ok(c)) => c,
        Ok(Err(e)) => {
            tracing::error!(
                config = %old.file.display(),
                "the reloaded config is invalid; the running config stays in force:\n{e}"
            );
            return;
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot reload the config; the running config stays in force");
            return;
        }
    };
    let mut restart = Vec::new();
    if new.database.path != old.database.path {
        restart.push("[database]");
        new.database = old.database.clone();
    }
    if format!("{:?}", new.http) != format!("{:?}", old.http) {
        restart.push("[http]");
        new.http = old.http.clone();
    }
    let server = |c: &Config| {
        c.server
            .as_ref()
            .map(|s| (s.listen, s.token.as_ref().map(|t| t.expose().clone())))
    };
    if server(&new) != server(&old) {
        restart.push("[server]");
        new.server = old.server.clone();
    }
    if !restart.is_empty() {
        tracing::warn!(
            sections = %restart.join(", "),
            "changes to these sections take effect only after a restart (systemctl restart jobhound); the running ones stay"
        );
    }
    pipeline.reload(&new);
    tracing::info!(
        config = %new.file.display(),
        sources = new.sources.iter().filter(|s| s.enabled).count(),
        alerts = new.alerts.iter().filter(|a| a.enabled).count(),
        notifiers = new.notifiers.iter().filter(|n| n.enabled).count(),
        "config reloaded"
    );
    warn_idle(&new);
    current.send_replace(Arc::new(new));
}
