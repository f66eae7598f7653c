//! A real headless Chromium (Debian's `chromium`) driven over the DevTools
//! protocol with chromiumoxide: launch with a fresh profile, open a URL
//! (noting every request the page makes), fill and click, read the text and
//! the layout, evaluate JavaScript, wait for a condition, take a screenshot.
//! [`Pages`] serves HTML on 127.0.0.1 for a page that is not the daemon's.
//!
//! Without the package a test that needs it says so and does not run, unless
//! `JOBHOUND_REQUIRE_CHROMIUM` is set (CI installs it in .ci/run and sets
//! it): then it fails, naming the package (as the newsboat test does).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chromiumoxide::browser::{Browser, BrowserConfig};
use chromiumoxide::cdp::browser_protocol::emulation::{MediaFeature, SetEmulatedMediaParams};
use chromiumoxide::cdp::browser_protocol::network::EventRequestWillBeSent;
use chromiumoxide::cdp::browser_protocol::page::CaptureScreenshotFormat;
use chromiumoxide::handler::viewport::Viewport;
use chromiumoxide::page::{Page, ScreenshotParams};
use futures::{FutureExt, StreamExt};
use serde::de::DeserializeOwned;

use super::server::serve;

/// Where Debian installs it; `JOBHOUND_CHROMIUM` names another binary.
const DEFAULT_BINARY: &str = "/usr/bin/chromium";

/// A running headless browser; killed when dropped, closed by [`Chromium::close`].
pub struct Chromium {
    browser: Browser,
    handler: tokio::task::JoinHandle<()>,
    _profile: tempfile::TempDir,
}

impl Drop for Chromium {
    fn drop(&mut self) {
        self.handler.abort();
    }
}

/// One tab.
pub struct Tab {
    page: Page,
    /// Every URL the page requested while it loaded, the page itself
    /// included (but the tab icon the browser asks for on its own).
    pub requests: Vec<String>,
}

impl Chromium {
    /// Launches the browser in a 412×915 window (a large phone); `None`
    /// (after saying why) when it is not installed and not required.
    pub async fn launch() -> Option<Chromium> {
        Self::start(None).await
    }

    /// Launches the browser emulating a phone `width` CSS pixels wide (2×
    /// pixels, touch), as a mail client on a phone shows a page.
    pub async fn phone(width: u32) -> Option<Chromium> {
        Self::start(Some(Viewport {
            width,
            height: 800,
            device_scale_factor: Some(2.0),
            emulating_mobile: true,
            is_landscape: false,
            has_touch: true,
        }))
        .await
    }

    /// The one launch path: the binary, the missing-package rule, a fresh
    /// profile and the flags.
    async fn start(viewport: Option<Viewport>) -> Option<Chromium> {
        let binary = std::env::var_os("JOBHOUND_CHROMIUM")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(DEFAULT_BINARY));
        if !binary.exists() {
            assert!(
                std::env::var_os("JOBHOUND_REQUIRE_CHROMIUM").is_none(),
                "chromium is required (JOBHOUND_REQUIRE_CHROMIUM) but {} is missing: \
                 apt-get install chromium",
                binary.display()
            );
            eprintln!(
                "SKIPPED: chromium is not installed ({} missing; Debian package `chromium`): \
                 the browser test does not run",
                binary.display()
            );
            return None;
        }
        let profile = tempfile::tempdir().expect("profile dir");
        let config = BrowserConfig::builder()
            .chrome_executable(&binary)
            .user_data_dir(profile.path())
            // --headless=new --no-sandbox, then the rest (keys without their dashes).
            .new_headless_mode()
            .no_sandbox()
            .args([
                "disable-gpu",
                "disable-background-networking",
                "no-first-run",
                // Loopback only: nothing goes through a proxy from the environment.
                "no-proxy-server",
            ])
            .window_size(412, 915)
            .viewport(viewport)
            .launch_timeout(Duration::from_secs(60))
            .request_timeout(Duration::from_secs(30))
            .build()
            .expect("browser config");
        let (browser, mut events) = Browser::launch(config)
            .await
            .unwrap_or_else(|e| panic!("cannot launch {}: {e}", binary.display()));
        // The protocol's messages are read here; the browser answers nothing without it.
        let handler = tokio::spawn(async move { while events.next().await.is_some() {} });
        Some(Chromium {
            browser,
            handler,
            _profile: profile,
        })
    }

    /// A new tab at `url`, once it has loaded (images, fonts and styles
    /// included: the load event waits for them).
    pub async fn open(&self, url: &str) -> Tab {
        let page = self
            .browser
            .new_page("about:blank")
            .await
            .unwrap_or_else(|e| panic!("a tab for {url}: {e}"));
        let mut events = page
            .event_listener::<EventRequestWillBeSent>()
            .await
            .expect("request events");
        page.goto(url)
            .await
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
        // Events arrive in protocol order, before the load event ended `goto`.
        let mut requests = Vec::new();
        while let Some(Some(e)) = events.next().now_or_never() {
            // The browser asks for a tab icon on its own; mail clients do not.
            if !e.request.url.ends_with("/favicon.ico") {
                requests.push(e.request.url.clone());
            }
        }
        let tab = Tab { page, requests };
        tab.wait_for("document.readyState === 'complete'", "the first page loads")
            .await;
        tab
    }

    /// Closes the browser and waits for it to exit.
    pub async fn close(mut self) {
        let _ = self.browser.close().await;
        let _ = tokio::time::timeout(Duration::from_secs(10), self.browser.wait()).await;
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

impl Tab {
    /// Evaluates `js` in the page and returns its value.
    pub async fn eval<T: DeserializeOwned>(&self, js: &str) -> T {
        self.page
            .evaluate(js)
            .await
            .unwrap_or_else(|e| panic!("evaluate {js}: {e}"))
            .into_value()
            .unwrap_or_else(|e| panic!("the value of {js}: {e}"))
    }

    /// Types `text` into the field `selector` (clicked first, as a person would).
    pub async fn fill(&self, selector: &str, text: &str) {
        let field = self
            .page
            .find_element(selector)
            .await
            .unwrap_or_else(|e| panic!("no {selector}: {e}"));
        field
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {selector}: {e}"));
        field
            .type_str(text)
            .await
            .unwrap_or_else(|e| panic!("type into {selector}: {e}"));
    }

    /// Clicks the element `selector`.
    pub async fn click(&self, selector: &str) {
        self.page
            .find_element(selector)
            .await
            .unwrap_or_else(|e| panic!("no {selector}: {e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {selector}: {e}"));
    }

    /// The page's visible text.
    pub async fn text(&self) -> String {
        self.eval("document.body.innerText").await
    }

    /// The page's path and query.
    pub async fn path(&self) -> String {
        self.eval("location.pathname + location.search").await
    }

    /// Waits until the JavaScript condition `js` holds (a page in the middle
    /// of loading counts as not yet), at most 30 seconds.
    pub async fn wait_for(&self, js: &str, what: &str) {
        let waited = tokio::time::timeout(Duration::from_secs(30), async {
            loop {
                let holds = match self.page.evaluate(js).await {
                    Ok(v) => v.into_value::<bool>().unwrap_or(false),
                    Err(_) => false,
                };
                if holds {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
        .await;
        assert!(waited.is_ok(), "timed out waiting for {what} ({js})");
    }

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
        let json: String = self.eval(JS).await;
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
        self.eval(&js).await
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
