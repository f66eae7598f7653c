//! A real headless Chromium (Debian's `chromium`) driven over the DevTools
//! protocol with `chromiumoxide`: opens a page from a loopback server at a
//! phone's viewport and reports what the page requested, how wide it laid
//! out, and what it looks like.
//!
//! Chromium missing: CI installs it (.ci/run) and sets
//! `JOBHOUND_REQUIRE_CHROMIUM=1`, so the test fails there; elsewhere the
//! test says loudly that it did not run (as the newsboat test does).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chromiumoxide::cdp::browser_protocol::emulation::{MediaFeature, SetEmulatedMediaParams};
use chromiumoxide::cdp::browser_protocol::network::EventRequestWillBeSent;
use chromiumoxide::cdp::browser_protocol::page::CaptureScreenshotFormat;
use chromiumoxide::handler::viewport::Viewport;
use chromiumoxide::page::ScreenshotParams;
use chromiumoxide::{Browser, BrowserConfig, Page};
use futures::{FutureExt, StreamExt};

use super::server::serve;

/// Where Debian installs it.
const CHROMIUM: &str = "/usr/bin/chromium";

/// HTML pages served on 127.0.0.1, with every request the server saw.
pub struct Pages {
    addr: std::net::SocketAddr,
    seen: Arc<Mutex<Vec<String>>>,
    pages: Arc<Mutex<HashMap<String, String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Pages {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[derive(Clone)]
struct Shared {
    seen: Arc<Mutex<Vec<String>>>,
    pages: Arc<Mutex<HashMap<String, String>>>,
}

impl Pages {
    /// Starts the server.
    pub async fn start() -> Pages {
        let shared = Shared {
            seen: Arc::default(),
            pages: Arc::default(),
        };
        let app = Router::new()
            .route("/{*name}", axum::routing::get(page))
            .with_state(shared.clone());
        let (addr, task) = serve(app).await;
        Pages {
            addr,
            seen: shared.seen,
            pages: shared.pages,
            task,
        }
    }

    /// Serves `html` as `/<name>` and returns its URL.
    pub fn add(&self, name: &str, html: &str) -> String {
        self.pages
            .lock()
            .expect("lock")
            .insert(name.to_string(), html.to_string());
        format!("http://{}/{name}", self.addr)
    }

    /// The paths requested so far, in order (but the browser's own tab icon).
    pub fn seen(&self) -> Vec<String> {
        let seen = self.seen.lock().expect("lock");
        seen.iter()
            .filter(|p| *p != "/favicon.ico")
            .cloned()
            .collect()
    }
}

async fn page(State(s): State<Shared>, Path(name): Path<String>) -> Response {
    s.seen.lock().expect("lock").push(format!("/{name}"));
    match s.pages.lock().expect("lock").get(&name) {
        Some(html) => (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            html.clone(),
        )
            .into_response(),
        None => axum::http::StatusCode::NOT_FOUND.into_response(),
    }
}

/// A running headless Chromium; closed when dropped.
pub struct Chrome {
    browser: Browser,
    handler: tokio::task::JoinHandle<()>,
    _profile: tempfile::TempDir,
}

impl Drop for Chrome {
    fn drop(&mut self) {
        self.handler.abort();
    }
}

/// What a page did once loaded.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Layout {
    /// The viewport's width in CSS pixels.
    pub width: f64,
    /// How wide the document scrolls.
    pub scroll_width: f64,
    /// Elements reaching past the viewport: "TAG left..right text".
    pub wider: Vec<String>,
}

/// A loaded page.
pub struct Opened {
    pub page: Page,
    /// Every URL the page requested, the page itself included (but the tab icon).
    pub requests: Vec<String>,
}

impl Chrome {
    /// Launches Chromium with a phone-sized viewport (`width` CSS pixels, 2×
    /// pixels); `None` when it is not installed and not required.
    pub async fn launch(width: u32) -> Option<Chrome> {
        if !std::path::Path::new(CHROMIUM).exists() {
            assert!(
                std::env::var_os("JOBHOUND_REQUIRE_CHROMIUM").is_none(),
                "chromium is required (JOBHOUND_REQUIRE_CHROMIUM) but {CHROMIUM} is missing: \
                 apt-get install chromium"
            );
            eprintln!(
                "SKIPPED: Debian's chromium is not installed ({CHROMIUM}); \
                 `apt-get install --no-install-recommends chromium` to run the browser tests"
            );
            return None;
        }
        let profile = tempfile::tempdir().expect("profile dir");
        let config = BrowserConfig::builder()
            .chrome_executable(PathBuf::from(CHROMIUM))
            .user_data_dir(profile.path())
            .no_sandbox()
            .viewport(Viewport {
                width,
                height: 800,
                device_scale_factor: Some(2.0),
                emulating_mobile: true,
                is_landscape: false,
                has_touch: true,
            })
            .arg("--disable-gpu")
            .arg("--no-proxy-server")
            .build()
            .expect("browser config");
        let (browser, mut handler) = Browser::launch(config).await.expect("chromium starts");
        let handler = tokio::spawn(async move {
            while let Some(event) = handler.next().await {
                if event.is_err() {
                    // The protocol connection is gone (chromium exited): nothing more comes.
                    break;
                }
            }
        });
        Some(Chrome {
            browser,
            handler,
            _profile: profile,
        })
    }

    /// Opens `url` and waits for it to load (images, fonts and styles
    /// included: the load event waits for them).
    pub async fn open(&self, url: &str) -> Opened {
        let page = self.browser.new_page("about:blank").await.expect("a tab");
        let mut events = page
            .event_listener::<EventRequestWillBeSent>()
            .await
            .expect("request events");
        page.goto(url).await.expect("the page loads");
        page.wait_for_navigation().await.expect("navigation");
        // Events arrive in protocol order, before the load event ended `goto`.
        let mut requests = Vec::new();
        while let Some(Some(e)) = events.next().now_or_never() {
            // The browser asks for a tab icon on its own; mail clients do not.
            if !e.request.url.ends_with("/favicon.ico") {
                requests.push(e.request.url.clone());
            }
        }
        Opened { page, requests }
    }
}

impl Opened {
    /// How the page laid out: its width and the elements wider than the viewport.
    pub async fn layout(&self) -> Layout {
        const JS: &str = r#"(() => {
            const width = document.documentElement.clientWidth;
            const wider = [];
            for (const e of document.querySelectorAll('body *')) {
                const r = e.getBoundingClientRect();
                if (r.width > 0 && (r.right > width + 0.5 || r.left < -0.5)) {
                    wider.push(`${e.tagName} ${Math.round(r.left)}..${Math.round(r.right)} ${(e.textContent || '').trim().slice(0, 40)}`);
                }
            }
            return JSON.stringify({
                width,
                scroll_width: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
                wider,
            });
        })()"#;
        let json: String = self
            .page
            .evaluate(JS)
            .await
            .expect("script runs")
            .into_value()
            .expect("a string");
        serde_json::from_str(&json).expect("layout JSON")
    }

    /// Asks the page for dark mode (`prefers-color-scheme: dark`), as a phone set to it does.
    pub async fn prefer_dark(&self) {
        self.page
            .execute(
                SetEmulatedMediaParams::builder()
                    .features(vec![MediaFeature::new("prefers-color-scheme", "dark")])
                    .build(),
            )
            .await
            .expect("dark mode");
    }

    /// The computed `property` of the first element matching `selector`.
    pub async fn style(&self, selector: &str, property: &str) -> String {
        let js = format!(
            "getComputedStyle(document.querySelector({})).getPropertyValue({})",
            serde_json::to_string(selector).expect("json"),
            serde_json::to_string(property).expect("json")
        );
        self.page
            .evaluate(js)
            .await
            .expect("script runs")
            .into_value()
            .expect("a string")
    }

    /// A PNG of the whole page.
    pub async fn screenshot(&self) -> Vec<u8> {
        self.page
            .screenshot(
                ScreenshotParams::builder()
                    .format(CaptureScreenshotFormat::Png)
                    .full_page(true)
                    .build(),
            )
            .await
            .expect("screenshot")
    }
}
