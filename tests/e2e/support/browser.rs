//! A real headless Chromium (Debian's `chromium`) driven over the DevTools
//! protocol with chromiumoxide: launch with a fresh profile, open a URL, fill
//! and click, read the text, evaluate JavaScript, wait for a condition.
//!
//! Without the package a test that needs it says so and does not run, unless
//! `JOBHOUND_REQUIRE_CHROMIUM` is set (CI sets it): then it fails.

use std::path::PathBuf;
use std::time::Duration;

use chromiumoxide::browser::{Browser, BrowserConfig};
use chromiumoxide::page::Page;
use futures::StreamExt;
use serde::de::DeserializeOwned;

/// Where Debian installs it; `JOBHOUND_CHROMIUM` names another binary.
const DEFAULT_BINARY: &str = "/usr/bin/chromium";

/// A running headless browser; killed when dropped, closed by [`Chromium::close`].
pub struct Chromium {
    browser: Browser,
    handler: tokio::task::JoinHandle<()>,
    _profile: tempfile::TempDir,
}

/// One tab.
pub struct Tab {
    page: Page,
}

impl Chromium {
    /// Launches the browser; `None` (after saying why) when it is not
    /// installed and not required.
    pub async fn launch() -> Option<Chromium> {
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
                "chromium is not installed ({} missing; Debian package `chromium`): \
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
            ])
            .window_size(412, 915)
            .viewport(None)
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

    /// A new tab at `url`, once it has loaded.
    pub async fn open(&self, url: &str) -> Tab {
        let page = self
            .browser
            .new_page(url)
            .await
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
        let tab = Tab { page };
        tab.wait_for("document.readyState === 'complete'", "the first page loads")
            .await;
        tab
    }

    /// Closes the browser and waits for it to exit.
    pub async fn close(mut self) {
        let _ = self.browser.close().await;
        let _ = tokio::time::timeout(Duration::from_secs(10), self.browser.wait()).await;
        self.handler.abort();
    }
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

    /// Takes a PNG screenshot of the page to `path` (to look at by hand).
    pub async fn screenshot(&self, path: &std::path::Path) {
        let png = self
            .page
            .screenshot(
                chromiumoxide::page::ScreenshotParams::builder()
                    .full_page(true)
                    .build(),
            )
            .await
            .expect("screenshot");
        std::fs::write(path, png).expect("write screenshot");
    }
}
