//! The web page of `jobhound run`, through the real daemon on 127.0.0.1:
//! the CSRF token on every POST, the login when a token is set, escaping of
//! what a hostile source sends, the security headers, the retry button, the
//! page weight, and a real headless Chromium that searches, opens a posting,
//! dismisses it and sees it leave the list.

use std::net::SocketAddr;

use crate::support::app::TestApp;
use crate::support::browser::Chromium;
use crate::support::daemon::{Daemon, until};
use crate::support::feed::{FeedServer, Item};
use crate::support::sink::WebhookSink;

const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
                   frame-ancestors 'none'; base-uri 'none'";

/// A daemon with one feed of `items` and the server on port 0 (`server`:
/// more `[server]` keys).
async fn start(
    items: &[Item],
    server: &str,
    env: &[(&str, &str)],
    log: &str,
) -> (TestApp, FeedServer, Daemon, SocketAddr) {
    let feed = FeedServer::serve(items).await;
    let app = TestApp::new()
        .feed("gen", &feed.url())
        .block(&format!("[server]\nlisten = \"127.0.0.1:0\"\n{server}\n"));
    let daemon = Daemon::start(&app, env, log);
    let addr = daemon.api_addr().await;
    let n = items.len() as i64;
    until(30, "the first fetch is stored", || {
        app.db_path().exists() && app.count("SELECT count(*) FROM postings") == n
    })
    .await;
    (app, feed, daemon, addr)
}

fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .no_proxy()
        // The tests look at each redirect themselves.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// A page as the test sees it.
struct Got {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: String,
}

impl Got {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The session cookie the response sets (`name=value`).
    fn cookie(&self) -> Option<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("jobhound_session=") && !v.contains("Max-Age=0"))
            .map(|v| v.split(';').next().unwrap_or("").to_string())
    }

    /// The CSRF token in the page's forms.
    fn csrf(&self) -> String {
        let at = self
            .body
            .find("name=\"csrf\" value=\"")
            .unwrap_or_else(|| panic!("a form with a CSRF token: {}", self.body));
        let rest = &self.body[at + "name=\"csrf\" value=\"".len()..];
        rest[..rest.find('"').expect("end of value")].to_string()
    }
}

async fn get(addr: SocketAddr, path: &str, cookie: Option<&str>) -> Got {
    let mut r = client().get(format!("http://{addr}{path}"));
    if let Some(c) = cookie {
        r = r.header("cookie", c);
    }
    let r = r.send().await.expect("request");
    Got {
        status: r.status().as_u16(),
        headers: r.headers().clone(),
        body: r.text().await.unwrap_or_default(),
    }
}

async fn post(addr: SocketAddr, path: &str, cookie: Option<&str>, form: &[(&str, &str)]) -> Got {
    let body = form
        .iter()
        .fold(
            url::form_urlencoded::Serializer::new(String::new()),
            |mut s, (k, v)| {
                s.append_pair(k, v);
                s
            },
        )
        .finish();
    let mut r = client()
        .post(format!("http://{addr}{path}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body);
    if let Some(c) = cookie {
        r = r.header("cookie", c);
    }
    let r = r.send().await.expect("request");
    Got {
        status: r.status().as_u16(),
        headers: r.headers().clone(),
        body: r.text().await.unwrap_or_default(),
    }
}

/// What maud writes for `s` in text and attributes.
fn escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Parses `body` as a browser would and checks that nothing in it runs:
/// no script, frame or object element, no event-handler attribute, no
/// `javascript:` link.
fn assert_inert(body: &str) {
    let doc = scraper::Html::parse_document(body);
    let all = scraper::Selector::parse("*").expect("selector");
    for el in doc.select(&all) {
        let v = el.value();
        assert!(
            !matches!(v.name(), "script" | "iframe" | "object" | "embed" | "frame"),
            "a <{}> element reached the page: {body}",
            v.name()
        );
        for (name, value) in v.attrs() {
            assert!(!name.starts_with("on"), "an {name} attribute: {body}");
            assert!(
                !value.trim().to_lowercase().starts_with("javascript:"),
                "a javascript: link: {body}"
            );
        }
    }
}

const HOSTILE_TITLE: &str =
    "Engineer <script>alert(1)</script><img src=x onerror=alert(2)> \"quoted\" & co";

fn hostile() -> Vec<Item> {
    vec![
        Item {
            guid: "evil".into(),
            title: HOSTILE_TITLE.into(),
            description: "<p>Hello</p><script>alert(3)</script>\
                <a href=\"javascript:alert(4)\">click</a><img src=x onerror=\"alert(5)\">\
                <iframe src=\"https://evil.example/\"></iframe>"
                .into(),
        },
        Item::new("job-1", "Machine Learning Engineer 1"),
        Item::new("job-2", "Machine Learning Engineer 2"),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_escape_hostile_sources_and_refuse_posts_without_the_csrf_token() {
    let (app, _feed, daemon, addr) = start(&hostile(), "", &[], "web-csrf.log").await;
    let page = get(addr, "/", None).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.header("content-type").starts_with("text/html"));
    assert_eq!(page.header("content-security-policy"), CSP);
    assert_eq!(page.header("x-content-type-options"), "nosniff");
    let set = page
        .headers
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    assert!(
        page.body.contains("name=\"viewport\""),
        "readable on a phone"
    );

    // What the source sent is shown as text, never as markup.
    let (id, stored): (i64, String) = app
        .db()
        .query_row(
            "SELECT id, title FROM postings WHERE external_id = 'evil'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("hostile posting stored");
    assert!(
        stored.contains("<script>"),
        "the title kept its markup: {stored}"
    );
    assert!(page.body.contains(&escaped(&stored)), "{}", page.body);
    let posting = get(addr, &format!("/postings/{id}"), None).await;
    assert_eq!(posting.status, 200);
    assert_eq!(posting.header("content-security-policy"), CSP);
    for body in [&page.body, &posting.body] {
        assert_inert(body);
    }
    assert!(
        posting.body.contains("<p>Hello</p>"),
        "the description's safe HTML stays"
    );

    // The stylesheet the policy allows is served from the binary.
    let css = get(addr, "/static/app.css", None).await;
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").starts_with("text/css"));

    // Every POST needs the session's token: none, a wrong one, another session's.
    let cookie = page.cookie().expect("a session cookie");
    let token = page.csrf();
    let other = get(addr, "/", None).await;
    let path = format!("/postings/{id}/state");
    for (cookie, form) in [
        (None, vec![("state", "dismissed")]),
        (Some(cookie.as_str()), vec![("state", "dismissed")]),
        (
            Some(cookie.as_str()),
            vec![
                ("state", "dismissed"),
                ("csrf", "0123456789abcdef0123456789abcdef"),
            ],
        ),
        (
            Some(cookie.as_str()),
            vec![("state", "dismissed"), ("csrf", &other.csrf())],
        ),
        (None, vec![("state", "dismissed"), ("csrf", &token)]),
    ] {
        let r = post(addr, &path, cookie, &form).await;
        assert_eq!(r.status, 403, "{cookie:?} {form:?}: {}", r.body);
        assert_eq!(r.header("content-security-policy"), CSP);
    }
    for path in ["/notifications/retry", "/logout"] {
        let r = post(addr, path, Some(&cookie), &[]).await;
        assert_eq!(r.status, 403, "{path}");
    }
    assert_eq!(
        app.count("SELECT count(*) FROM user_state"),
        0,
        "nothing refused was stored"
    );

    // With the token: stored, then 303 back.
    let r = post(
        addr,
        &path,
        Some(&cookie),
        &[("state", "dismissed"), ("csrf", &token), ("back", "/")],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), "/");
    let stored: String = app
        .db()
        .query_row(
            "SELECT state FROM user_state WHERE posting_id = ?1",
            [id],
            |r| r.get(0),
        )
        .expect("state stored");
    assert_eq!(stored, "dismissed");
    // A return address on another site is not followed.
    let r = post(
        addr,
        &path,
        Some(&cookie),
        &[
            ("state", "saved"),
            ("csrf", &token),
            ("back", "//evil.example/"),
        ],
    )
    .await;
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), format!("/postings/{id}"));
    post(
        addr,
        &path,
        Some(&cookie),
        &[("state", "dismissed"), ("csrf", &token)],
    )
    .await;

    // Dismissed jobs leave the default list, and are there when asked for.
    let list = get(addr, "/", Some(&cookie)).await;
    assert!(!list.body.contains(&format!("href=\"/postings/{id}\"")));
    assert!(list.body.contains("Machine Learning Engineer 1"));
    let dismissed = get(addr, "/?state=dismissed", Some(&cookie)).await;
    assert!(dismissed.body.contains(&format!("href=\"/postings/{id}\"")));
    assert!(!dismissed.body.contains("Machine Learning Engineer 1"));

    // A bad query shows the parser's message and caret, as the CLI does.
    let bad = get(addr, "/?q=title%3A%28ML+OR", Some(&cookie)).await;
    assert_eq!(bad.status, 200);
    let cli = app.run(&["search", "title:(ML OR"]).await;
    let message = cli
        .stderr
        .lines()
        .find_map(|l| l.split("bad query ").nth(1))
        .expect("the CLI's message");
    assert!(
        bad.body.contains(&escaped(&format!("bad query {message}"))),
        "{message}: {}",
        bad.body
    );
    let lines: Vec<&str> = cli.stderr.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("bad query "))
        .expect("message line");
    let caret = lines[at + 1..at + 3].join("\n");
    assert!(caret.ends_with('^'), "{}", cli.stderr);
    assert!(
        bad.body.contains(&escaped(&caret)),
        "the caret under the position, as the CLI prints it: {caret:?} in {}",
        bad.body
    );
    daemon.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn with_a_token_the_page_needs_a_login_and_its_cookie() {
    let items = [Item::new("job-1", "Machine Learning Engineer 1")];
    let (_app, _feed, daemon, addr) = start(
        &items,
        "token = \"${WEB_TOKEN}\"",
        &[("WEB_TOKEN", "s3cret-web")],
        "web-login.log",
    )
    .await;
    // Every page sends a visitor without a session to the login form.
    for path in ["/", "/postings/1", "/alerts", "/sources", "/notifications"] {
        let r = get(addr, path, None).await;
        assert_eq!(r.status, 303, "{path}");
        assert!(r.header("location").starts_with("/login?next="), "{path}");
    }
    let form = get(addr, "/login?next=%2Fsources", None).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("type=\"password\""));
    let anon = form.cookie().expect("a session for the form");
    let csrf = form.csrf();
    // Not logged in: the pages and the API refuse that session.
    assert_eq!(get(addr, "/", Some(&anon)).await.status, 303);
    assert_eq!(get(addr, "/api/postings", Some(&anon)).await.status, 401);
    let r = post(
        addr,
        "/postings/1/state",
        Some(&anon),
        &[("state", "saved"), ("csrf", &csrf)],
    )
    .await;
    assert_eq!(r.status, 403, "no triage before the login");

    // The login form needs its CSRF token, and the right token.
    let r = post(addr, "/login", Some(&anon), &[("token", "s3cret-web")]).await;
    assert_eq!(r.status, 403);
    let r = post(
        addr,
        "/login",
        Some(&anon),
        &[("token", "s3cret-wrong"), ("csrf", &csrf)],
    )
    .await;
    assert_eq!(r.status, 401);
    assert!(r.cookie().is_none());
    let r = post(
        addr,
        "/login",
        Some(&anon),
        &[
            ("token", "s3cret-web"),
            ("csrf", &csrf),
            ("next", "/sources"),
        ],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), "/sources");
    let session = r.cookie().expect("a new session at login");
    assert_ne!(session, anon, "the login starts a new session");
    let set = r.header("set-cookie");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );

    // The cookie opens the pages and the API; the old one opens nothing.
    let page = get(addr, "/sources", Some(&session)).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("gen"));
    assert_eq!(get(addr, "/api/postings", Some(&session)).await.status, 200);
    assert_eq!(get(addr, "/", Some(&anon)).await.status, 303);
    // The API still takes the bearer token.
    let r = client()
        .get(format!("http://{addr}/api/postings"))
        .bearer_auth("s3cret-web")
        .send()
        .await
        .expect("request");
    assert_eq!(r.status().as_u16(), 200);

    // Logging out ends the session.
    let csrf = page.csrf();
    let r = post(addr, "/logout", Some(&session), &[("csrf", &csrf)]).await;
    assert_eq!(r.status, 303);
    assert_eq!(get(addr, "/", Some(&session)).await.status, 303);
    assert_eq!(get(addr, "/api/postings", Some(&session)).await.status, 401);
    assert!(
        !daemon.log().contains("s3cret-web"),
        "the token never reaches the log"
    );
    daemon.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_retry_button_sends_a_failed_delivery_again() {
    let feed = FeedServer::serve(&[Item::new("job-1", "Machine Learning Engineer 1")]).await;
    // 400 is permanent: the delivery fails at once.
    let hook = WebhookSink::scripted(&[400]).await;
    let app = TestApp::new()
        .feed("gen", &feed.url())
        .alert("ml", r#"title:("machine learning")"#, &["hook"])
        .webhook("hook", &hook.url())
        .block("[server]\nlisten = \"127.0.0.1:0\"\n");
    let daemon = Daemon::start(&app, &[], "web-retry.log");
    let addr = daemon.api_addr().await;
    until(30, "the delivery fails", || {
        app.db_path().exists()
            && app.count("SELECT count(*) FROM deliveries WHERE status = 'failed'") == 1
    })
    .await;
    let page = get(addr, "/notifications?status=failed", None).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Machine Learning Engineer 1"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("name=\"delivery\""),
        "a retry button: {}",
        page.body
    );
    let id = app.count("SELECT id FROM deliveries");
    let cookie = page.cookie().expect("session");
    let r = post(
        addr,
        "/notifications/retry",
        Some(&cookie),
        &[("delivery", &id.to_string())],
    )
    .await;
    assert_eq!(r.status, 403, "no CSRF token, no retry");
    assert_eq!(hook.hits().len(), 1);
    let r = post(
        addr,
        "/notifications/retry",
        Some(&cookie),
        &[
            ("delivery", &id.to_string()),
            ("csrf", &page.csrf()),
            ("back", "/notifications?status=failed"),
        ],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), "/notifications?status=failed");
    // The deliverer is woken: no waiting for its hourly pass.
    until(30, "the retried delivery is sent", || {
        hook.delivered().len() == 1
    })
    .await;
    until(10, "the delivery is marked sent", || {
        app.count("SELECT count(*) FROM deliveries WHERE status = 'sent'") == 1
    })
    .await;
    let page = get(addr, "/notifications", Some(&cookie)).await;
    assert!(page.body.contains("1 sent"), "{}", page.body);
    daemon.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_alerts_and_sources_pages_show_matches_health_and_a_dry_run() {
    let feed = FeedServer::serve(&[
        Item::new("job-1", "Machine Learning Engineer 1"),
        Item::new("job-2", "Gardener"),
    ])
    .await;
    let app = TestApp::new()
        .feed("gen", &feed.url())
        .alert("ml", r#"title:("machine learning")"#, &[])
        .block("[server]\nlisten = \"127.0.0.1:0\"\n");
    let daemon = Daemon::start(&app, &[], "web-alerts.log");
    let addr = daemon.api_addr().await;
    until(30, "the match is recorded", || {
        app.db_path().exists() && app.count("SELECT count(*) FROM matches") == 1
    })
    .await;
    let alerts = get(addr, "/alerts", None).await;
    assert_eq!(alerts.status, 200);
    assert!(
        alerts.body.contains("Machine Learning Engineer 1"),
        "{}",
        alerts.body
    );
    assert!(!alerts.body.contains("Gardener"));
    let dry = get(addr, "/alerts?test=gardener", None).await;
    assert!(
        dry.body.contains("1 posting match (dry run"),
        "{}",
        dry.body
    );
    assert!(dry.body.contains("Gardener"));
    let bad = get(addr, "/alerts?test=title%3A%28", None).await;
    assert!(bad.body.contains("bad query at column"), "{}", bad.body);
    let named = get(addr, "/alerts?alert=ml", None).await;
    assert!(
        named.body.contains("1 posting match (dry run"),
        "{}",
        named.body
    );

    let sources = get(addr, "/sources", None).await;
    assert_eq!(sources.status, 200);
    assert!(sources.body.contains(">ok<"), "healthy: {}", sources.body);
    assert!(sources.body.contains("2 new"), "{}", sources.body);
    assert!(
        sources.body.contains("href=\"/?source=gen\">2<"),
        "{}",
        sources.body
    );
    daemon.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_search_page_with_fifty_results_stays_light() {
    let items: Vec<Item> = (0..60)
        .map(|i| {
            Item::new(
                &format!("job-{i:02}"),
                &format!("Machine Learning Engineer {i:02}"),
            )
        })
        .collect();
    let (_app, _feed, daemon, addr) = start(&items, "", &[], "web-weight.log").await;
    let page = get(addr, "/", None).await;
    let shown = page.body.matches("<li>").count();
    assert_eq!(shown, 50, "a page holds 50 results");
    assert!(page.body.contains("rel=\"next\""), "and links to the next");
    let next = page
        .body
        .split("rel=\"next\" href=\"")
        .nth(1)
        .expect("next link");
    let next = next[..next.find('"').expect("end")].replace("&amp;", "&");
    let rest = get(addr, &next, None).await;
    assert_eq!(rest.body.matches("<li>").count(), 10, "the other ten");
    let css = get(addr, "/static/app.css", None).await;
    let weight = page.body.len() + css.body.len();
    eprintln!(
        "search page weight: {} bytes HTML + {} bytes CSS = {weight} bytes for 50 results",
        page.body.len(),
        css.body.len()
    );
    assert!(weight < 100_000, "{weight} bytes");
    daemon.stop().await;
}

/// The CLI's CSV and `show`, the search page and the posting's page write
/// pay as the digest does: one formatter for all of them.
#[tokio::test(flavor = "multi_thread")]
async fn pay_reads_the_same_on_the_cli_and_the_web_page() {
    let items = [Item::new("rich", "Rust Engineer $160,000 - $190,000")];
    let (app, _feed, daemon, addr) = start(&items, "", &[], "web-pay.log").await;
    let id: i64 = app
        .db()
        .query_row("SELECT id FROM postings", [], |r| r.get(0))
        .expect("stored");
    let pay = "$160k–$190k";
    let list = get(addr, "/?q=rust", None).await;
    assert!(list.body.contains(pay), "{}", list.body);
    let posting = get(addr, &format!("/postings/{id}"), None).await;
    assert!(posting.body.contains(pay), "{}", posting.body);
    let csv = app.run(&["search", "rust", "--format", "csv"]).await;
    assert!(csv.stdout.contains(pay), "{}", csv.stdout);
    let show = app.run(&["show", &id.to_string()]).await;
    assert!(show.stdout.contains(pay), "{}", show.stdout);
    daemon.stop().await;
}

/// The form's typed filters (`salary`, `workplace`, `type`) become the query
/// language's `salary>=`, `workplace:` and `type:` filters.
#[tokio::test(flavor = "multi_thread")]
async fn typed_filters_of_the_form_narrow_the_list() {
    let items = [
        Item::new("rich", "Rust Engineer $160,000 - $190,000"),
        Item::new("poor", "Rust Engineer $60,000 - $70,000"),
    ];
    let (app, _feed, daemon, addr) = start(&items, "", &[], "web-typed.log").await;
    let link = |guid: &str| {
        let id: i64 = app
            .db()
            .query_row(
                "SELECT id FROM postings WHERE external_id = ?1",
                [guid],
                |r| r.get(0),
            )
            .expect("stored");
        format!("href=\"/postings/{id}\"")
    };
    let page = get(addr, "/?q=rust&salary=150k", None).await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("bad query"), "{}", page.body);
    assert!(page.body.contains(&link("rich")), "{}", page.body);
    assert!(!page.body.contains(&link("poor")), "{}", page.body);
    // RSS items carry no workplace or employment type: a filter on them matches nothing.
    for filter in ["workplace=remote", "type=full-time", "workplace=on-site"] {
        let page = get(addr, &format!("/?{filter}"), None).await;
        assert_eq!(page.status, 200);
        assert!(!page.body.contains("bad query"), "{filter}: {}", page.body);
        assert!(
            !page.body.contains(&link("rich")),
            "{filter}: {}",
            page.body
        );
    }
    daemon.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn in_chromium_a_dismissed_posting_leaves_the_list() {
    let Some(browser) = Chromium::launch().await else {
        return;
    };
    let items = [
        Item::new("job-1", "Machine Learning Engineer 1"),
        Item::new("job-2", "Machine Learning Engineer 2"),
        Item::new("job-3", "Gardener"),
    ];
    let (_app, _feed, daemon, addr) = start(&items, "", &[], "web-browser.log").await;
    let tab = browser.open(&format!("http://{addr}/")).await;
    // The stylesheet loads under the policy.
    let nav: String = tab
        .eval("getComputedStyle(document.querySelector('header')).backgroundColor")
        .await;
    assert_eq!(nav, "rgb(35, 55, 77)");

    tab.fill("input[name=q]", "machine learning").await;
    tab.click("button.primary").await;
    tab.wait_for(
        "location.search.includes('q=machine') && document.readyState === 'complete'",
        "the search's results",
    )
    .await;
    let text = tab.text().await;
    assert!(text.contains("Machine Learning Engineer 1"), "{text}");
    assert!(text.contains("Machine Learning Engineer 2"), "{text}");
    assert!(!text.contains("Gardener"), "{text}");

    // Open the posting whose title is "... 2".
    let href: String = tab
        .eval(
            "[...document.querySelectorAll('a.title')]\
             .find(a => a.textContent.endsWith(' 2')).getAttribute('href')",
        )
        .await;
    tab.click(&format!("a.title[href='{href}']")).await;
    tab.wait_for(
        &format!("location.pathname === '{href}' && document.readyState === 'complete'"),
        "the posting's page",
    )
    .await;
    assert!(tab.text().await.contains("Machine Learning Engineer 2"));

    // Dismiss it: a form POST, answered with a redirect back to the posting.
    tab.click("form[action$='/state'] input[value=dismissed] ~ button")
        .await;
    tab.wait_for(
        "document.querySelector('.tag.dismissed') !== null && document.readyState === 'complete'",
        "the posting shows it is dismissed",
    )
    .await;
    assert_eq!(tab.path().await, href);

    // Back to the list: it is gone, the other one stays.
    tab.click("nav a[href='/']").await;
    tab.wait_for(
        "location.pathname === '/' && location.search === '' && document.readyState === 'complete'",
        "the list",
    )
    .await;
    let text = tab.text().await;
    assert!(!text.contains("Machine Learning Engineer 2"), "{text}");
    assert!(text.contains("Machine Learning Engineer 1"), "{text}");
    assert!(text.contains("Gardener"), "{text}");
    if let Some(dir) = std::env::var_os("JOBHOUND_SCREENSHOTS") {
        let png = tab.screenshot().await;
        std::fs::write(std::path::Path::new(&dir).join("search.png"), png).expect("screenshot");
    }
    browser.close().await;
    daemon.stop().await;
}
