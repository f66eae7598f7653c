//! Politeness end to end: the per-host limits, counted at loopback sites that
//! record when each request started and how many were in flight (a host is a
//! host and port: two sites are two hosts), in `fetch` and in the daemon; and
//! robots.txt on an `html` site: Disallow, Allow, Crawl-delay, a missing and a
//! failing file, the day-long cache and `ignore_robots`.

use std::time::Duration;

use crate::support::app::TestApp;
use crate::support::daemon::{Daemon, until};
use crate::support::postings::by_id;
use crate::support::report::sources_agree;
use crate::support::site::Site;

/// What a request's start time may be off by, measured at the server (the
/// client books starts exactly an interval apart; loopback and a busy
/// machine's scheduling add jitter). Well under the intervals tested, so a
/// missing limit (gaps near zero) still fails.
const JITTER: Duration = Duration::from_millis(40);

fn feeds(mut app: TestApp, prefix: &str, site: &Site, n: usize) -> TestApp {
    for i in 0..n {
        app = app.feed(
            &format!("{prefix}{i}"),
            &format!("{}/feed/{prefix}{i}.xml", site.base_url()),
        );
    }
    app
}

#[tokio::test(flavor = "multi_thread")]
async fn thirty_sources_on_one_host_keep_its_limits_while_another_host_is_fetched_meanwhile() {
    // Each answer takes 300 ms and starts may come every 100 ms: without the
    // cap three would be in flight at once.
    let busy = Site::start(Duration::from_millis(300)).await;
    let other = Site::start(Duration::ZERO).await;
    // The busy host's sources come first in the config, more of them than slots.
    let app = feeds(TestApp::new().polite(2, "100ms"), "busy", &busy, 30);
    let app = feeds(app, "other", &other, 3);
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(busy.hits().len(), 30);
    assert_eq!(busy.max_in_flight(), 2, "per_host_concurrency = 2");
    let gap = busy.min_gap().expect("gaps");
    assert!(gap + JITTER >= Duration::from_millis(100), "{gap:?}");
    // The other host did not wait for the busy one's queue: all its
    // requests started before the busy host's fifth.
    let fifth = busy.hits()[4].at;
    for hit in other.hits() {
        assert!(hit.at < fifth, "{} waited behind the busy host", hit.path);
    }
    // `fetch` says how long a source waited and for which limits, and
    // `jobhound sources` shows them for that source.
    let host = busy.host();
    let waited = format!("of it waiting for {host}: 2 at a time, 100ms apart");
    assert!(run.line("busy29").contains(&waited), "{}", run.stdout);
    let sources = app.run(&["sources"]).await;
    let block: String = sources
        .stdout
        .split("\nbusy29  (feed)")
        .nth(1)
        .expect("busy29's block")
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        block.contains("waited:    ")
            && block.contains(&format!(
                "for the limits of {host} (2 at a time, 100ms apart)"
            )),
        "{}",
        sources.stdout
    );
    // `--format json` and `GET /api/sources` report the same wait.
    let json = sources_agree(&app).await;
    let busy29 = json.iter().find(|s| s["name"] == "busy29").expect("busy29");
    let wait = &busy29["host_wait"];
    assert_eq!(wait["host"], host.as_str(), "{busy29}");
    assert_eq!(wait["per_host_concurrency"], 2, "{busy29}");
    assert_eq!(wait["per_host_interval_ms"], 100, "{busy29}");
    assert!(
        wait["waited_ms"].as_u64().is_some_and(|ms| ms >= 10),
        "{busy29}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_daemon_keeps_the_per_host_limits_too() {
    let site = Site::start(Duration::from_millis(300)).await;
    let app = feeds(TestApp::new().polite(2, "150ms"), "s", &site, 8);
    let daemon = Daemon::start(&app, &[], "daemon.log");
    until(30, "the daemon fetches the eight feeds", || {
        site.hits().iter().filter(|h| h.status == 200).count() >= 8
    })
    .await;
    daemon.stop().await;
    assert_eq!(site.max_in_flight(), 2);
    let gap = site.min_gap().expect("gaps");
    assert!(gap + JITTER >= Duration::from_millis(150), "{gap:?}");
}

const LIST: &str = r#"<html><body><ul>
<li class="job"><a class="t" href="/jobs/1">ML Engineer One</a><p class="d">From the list: one.</p></li>
<li class="job"><a class="t" href="/jobs/2">ML Engineer Two</a><p class="d">From the list: two.</p></li>
<li class="job"><a class="t" href="/private/3">ML Engineer Three</a><p class="d">From the list: three.</p></li>
</ul></body></html>"#;

/// A site with a list page and three detail pages, one under `/private`.
async fn board(hold: Duration) -> Site {
    let site = Site::start(hold).await;
    site.page("/jobs", LIST);
    for (path, n) in [
        ("/jobs/1", "one"),
        ("/jobs/2", "two"),
        ("/private/3", "three"),
    ] {
        site.page(
            path,
            &format!("<html><body><div class=\"desc\">Detail page: {n}.</div></body></html>"),
        );
    }
    site
}

fn html_source(site: &Site, extra: &str) -> String {
    format!(
        "[[source]]\nname = \"site\"\nkind = \"html\"\nurl = \"{}/jobs\"\npage_delay = \"0s\"\n{extra}\n\
         [source.selectors]\nitem = \"li.job\"\ntitle = \"a.t\"\nlink = \"a.t\"\n\
         description = \"p.d\"\ndetail_description = \"div.desc\"\n",
        site.base_url()
    )
}

fn pages(site: &Site) -> Vec<String> {
    site.hits()
        .into_iter()
        .filter(|h| h.path != "/robots.txt")
        .map(|h| h.path)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_list_page_robots_txt_disallows_fails_the_source_and_is_not_fetched() {
    let site = board(Duration::ZERO).await;
    site.robots(Some((200, "User-agent: *\nDisallow: /jobs\n")));
    let app = TestApp::new().block(&html_source(&site, ""));
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 4, "{run:?}");
    run.assert_failed(
        "site",
        &format!("robots.txt of {} disallows /jobs for jobhound", site.host()),
    );
    assert!(pages(&site).is_empty(), "{:?}", site.hits());
    // Once a day: the next run reads the kept file, not the site's.
    let again = app.run(&["fetch"]).await;
    again.assert_failed("site", "disallows /jobs");
    assert_eq!(site.hits_of("/robots.txt").len(), 1);
    // A day later it is revalidated with a conditional GET (answered 304).
    app.db()
        .execute("UPDATE robots SET checked_at = checked_at - 90000", [])
        .expect("age the file");
    let later = app.run(&["fetch"]).await;
    later.assert_failed("site", "disallows /jobs");
    let robots = site.hits_of("/robots.txt");
    assert_eq!(robots.len(), 2);
    assert!(
        robots[1].conditional && robots[1].status == 304,
        "{robots:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_jobhound_group_allows_by_longest_match_and_disallowed_detail_pages_are_skipped() {
    let site = board(Duration::ZERO).await;
    // `*` may fetch nothing; jobhound's own group wins, and in it the longer
    // Allow beats the Disallow of everything, but not of /private.
    site.robots(Some((
        200,
        "User-agent: *\nDisallow: /\n\nUser-agent: jobhound\nDisallow: /\nAllow: /jobs\n",
    )));
    let app = TestApp::new().block(&html_source(&site, ""));
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    let line = run.line("site");
    assert!(line.contains("3 new"), "{line}");
    assert!(
        line.contains("1 page skipped: robots.txt disallows it"),
        "{line}"
    );
    assert_eq!(pages(&site), ["/jobs", "/jobs/1", "/jobs/2"]);
    let all = app.stored().await;
    let text = |path: &str| {
        let p = by_id(&all, &format!("{}{path}", site.base_url()));
        p["text"].as_str().unwrap_or_default().to_string()
    };
    assert!(
        text("/private/3").contains("From the list: three"),
        "the list's description is kept"
    );
    assert!(text("/jobs/1").contains("Detail page: one"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_longer_crawl_delay_spaces_the_requests_to_its_host() {
    let site = board(Duration::ZERO).await;
    site.robots(Some((200, "User-agent: jobhound\nCrawl-delay: 0.4\n")));
    let app = TestApp::new()
        .polite(2, "50ms")
        .block(&html_source(&site, ""));
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    let hits: Vec<_> = site
        .hits()
        .into_iter()
        .filter(|h| h.path != "/robots.txt")
        .collect();
    assert_eq!(hits.len(), 4, "{hits:?}");
    for w in hits.windows(2) {
        let gap = w[1].at.saturating_duration_since(w[0].at);
        assert!(
            gap + JITTER >= Duration::from_millis(400),
            "{} → {}: {gap:?}",
            w[0].path,
            w[1].path
        );
    }
    assert!(
        run.line("site").contains("2 at a time, 400ms apart"),
        "{}",
        run.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_robots_txt_allows_everything() {
    let site = board(Duration::ZERO).await;
    site.robots(None);
    let app = TestApp::new().block(&html_source(&site, ""));
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.line("site").contains("3 new"), "{}", run.stdout);
    assert_eq!(pages(&site), ["/jobs", "/jobs/1", "/jobs/2", "/private/3"]);
    assert_eq!(site.hits_of("/robots.txt").len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_robots_txt_redirected_off_its_host_counts_as_missing() {
    let site = board(Duration::ZERO).await;
    let elsewhere = Site::start(Duration::ZERO).await;
    elsewhere.robots(Some((200, "User-agent: *\nDisallow: /\n")));
    let to = format!("{}/robots.txt", elsewhere.base_url());
    site.robots(Some((302, to.as_str())));
    let app = TestApp::new().block(&html_source(&site, ""));
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    assert!(elsewhere.hits().is_empty(), "the redirect is not followed");
    assert_eq!(pages(&site), ["/jobs", "/jobs/1", "/jobs/2", "/private/3"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_robots_txt_postpones_the_fetch_until_it_answers() {
    let site = board(Duration::ZERO).await;
    site.robots(Some((503, "down for maintenance")));
    let app = TestApp::new().block(&html_source(&site, ""));
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 4, "{run:?}");
    run.assert_failed(
        "site",
        &format!("robots.txt of {} cannot be read", site.host()),
    );
    assert!(run.line("site").contains("postponed"), "{}", run.stdout);
    assert!(pages(&site).is_empty(), "{:?}", site.hits());
    // Nothing was kept: the next run asks again, and now it answers.
    site.robots(Some((200, "User-agent: *\nDisallow: /private\n")));
    let again = app.run(&["fetch"]).await;
    assert_eq!(again.code, 0, "{again:?}");
    assert_eq!(pages(&site), ["/jobs", "/jobs/1", "/jobs/2"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn ignore_robots_fetches_disallowed_pages_with_a_warning() {
    let site = board(Duration::ZERO).await;
    site.robots(Some((200, "User-agent: *\nDisallow: /\n")));
    let app = TestApp::new().block(&html_source(&site, "ignore_robots = true"));
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stderr.contains("ignore_robots = true"),
        "{}",
        run.stderr
    );
    assert_eq!(pages(&site), ["/jobs", "/jobs/1", "/jobs/2", "/private/3"]);
    assert!(site.hits_of("/robots.txt").is_empty(), "not even asked");
    // Other kinds have no robots.txt to ignore: a config error.
    let bad = TestApp::new().block(
        "[[source]]\nname = \"gh\"\nkind = \"greenhouse\"\nboard = \"acme\"\nignore_robots = true\n",
    );
    let check = bad.run(&["check-config"]).await;
    assert_eq!(check.code, 3, "{check:?}");
    assert!(
        check.stderr.contains("source[0].ignore_robots")
            && check.stderr.contains("not used by kind `greenhouse`"),
        "{}",
        check.stderr
    );
}
