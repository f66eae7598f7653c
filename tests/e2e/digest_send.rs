//! `jobhound digest --notifier NAME --send` sends the digest `--preview`
//! shows, now, and the next scheduled digest does not repeat it; `notify
//! test` on a digest notifier sends a digest-shaped test under a new key each
//! time; a config that leaves the daemon idle is warned about. A digest's
//! "…and N more" link opens the daemon's search page on that alert's jobs.

use crate::support::app::TestApp;
use crate::support::daemon::{Daemon, until};
use crate::support::feed::{FeedServer, Item};
use crate::support::sink::WebhookSink;
use crate::support::smtp::SmtpSink;

fn subject_and_text(data: &[u8]) -> (String, String) {
    let m = mail_parser::MessageParser::default()
        .parse(data)
        .expect("a MIME message");
    let text = m.body_text(0).expect("a text part").replace("\r\n", "\n");
    (m.subject().unwrap_or_default().to_string(), text)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_digest_sent_by_hand_is_not_repeated_by_the_next_scheduled_one() {
    let feed = FeedServer::serve(&[Item::new("a", "Machine Learning Engineer")]).await;
    let smtp = SmtpSink::start();
    let app = TestApp::new()
        .feed("gen", &feed.url())
        .alert("ml", r#"title:("machine learning" OR ML)"#, &["daily"])
        .block(&format!(
            "[[notifier]]\nname = \"daily\"\nkind = \"email\"\nsmtp_url = \"{}\"\n\
             from = \"jobhound <jobhound@example.com>\"\nto = [\"me@example.com\"]\n\
             schedule = \"0 8 * * *\"\ntimezone = \"UTC\"\n",
            smtp.url()
        ));
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    assert!(smtp.mails().is_empty(), "a digest waits for its time");
    let preview = app
        .run(&["digest", "--notifier", "daily", "--preview"])
        .await;
    assert!(
        preview.stdout.contains("* *Machine Learning* Engineer\n"),
        "{preview:?}"
    );

    let sent = app.run(&["digest", "--notifier", "daily", "--send"]).await;
    assert_eq!(sent.code, 0, "{sent:?}");
    assert!(
        sent.stdout.contains("digest sent through `daily`: 1 match"),
        "{sent:?}"
    );
    let mails = smtp.mails();
    assert_eq!(mails.len(), 1);
    let (subject, text) = subject_and_text(&mails[0].data);
    assert_eq!(subject, "New ML job: Machine Learning Engineer");
    assert!(text.starts_with("jobhound digest for "), "a digest: {text}");
    assert!(text.contains("* *Machine Learning* Engineer\n"), "{text}");
    let preview = app
        .run(&["digest", "--notifier", "daily", "--preview"])
        .await;
    assert!(!preview.stdout.contains("Machine Learning"), "{preview:?}");
    let again = app.run(&["digest", "--notifier", "daily", "--send"]).await;
    assert!(again.stdout.contains("nothing new"), "{again:?}");
    assert_eq!(smtp.mails().len(), 1);

    // A new match, then the scheduled digest falls due (the clock is moved
    // back a day rather than waiting for 08:00): it carries only the new one.
    feed.set(&[
        Item::new("a", "Machine Learning Engineer"),
        Item::new("b", "ML Platform Engineer"),
    ]);
    app.run(&["fetch"]).await;
    let moved = app
        .db()
        .execute(
            "UPDATE digest_clock SET last_tick = last_tick - 86400 WHERE notifier = 'daily'",
            [],
        )
        .expect("move the clock");
    assert_eq!(moved, 1, "--send moved the digest clock");
    app.run(&["fetch"]).await;
    let mails = smtp.mails();
    assert_eq!(mails.len(), 2, "the scheduled digest went out");
    let (_, text) = subject_and_text(&mails[1].data);
    assert!(text.contains("* *ML* Platform Engineer\n"), "{text}");
    assert!(!text.contains("Machine Learning"), "not repeated: {text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn notify_test_on_a_digest_notifier_sends_a_digest_under_a_new_key_each_time() {
    let hook = WebhookSink::start().await;
    let app = TestApp::new().block(&format!(
        "[[notifier]]\nname = \"weekly\"\nkind = \"webhook\"\nurl = \"{}\"\nschedule = \"0 8 * * 1\"\n",
        hook.url()
    ));
    for _ in 0..2 {
        let run = app.run(&["notify", "test", "weekly"]).await;
        assert_eq!(run.code, 0, "{run:?}");
    }
    let hits = hook.delivered();
    assert_eq!(hits.len(), 2);
    for h in &hits {
        assert_eq!(h.body["event"], "digest", "{}", h.body);
        assert_eq!(h.body["matches"].as_array().map(Vec::len), Some(1));
    }
    let keys: Vec<_> = hits.iter().map(|h| h.idempotency_key.clone()).collect();
    assert!(keys[0].is_some());
    assert_ne!(
        keys[0], keys[1],
        "two tests, two keys, even within a second"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_config_with_nothing_to_fetch_or_send_is_warned_about() {
    let app = TestApp::new().block(
        "[[notifier]]\nname = \"off\"\nkind = \"webhook\"\nurl = \"http://127.0.0.1:9/hook\"\nenabled = false\n",
    );
    let check = app.run(&["check-config"]).await;
    assert_eq!(check.code, 0, "{check:?}");
    assert!(
        check.stderr.contains("warning: no enabled [[source]]"),
        "{check:?}"
    );
    assert!(
        check.stderr.contains("warning: no enabled [[notifier]]"),
        "{check:?}"
    );
    let daemon = Daemon::start(&app, &[], "idle.log");
    until(30, "the daemon warns at start", || {
        let log = daemon.log();
        log.contains("no enabled [[source]]") && log.contains("no enabled [[notifier]]")
    })
    .await;
    daemon.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_more_link_of_a_digest_opens_the_search_page_on_the_alerts_jobs() {
    let feed = FeedServer::serve(&[
        Item::new("a", "Machine Learning Engineer"),
        Item::new("b", "ML Platform Engineer"),
        Item::new("c", "Senior ML Researcher"),
        Item::new("d", "Gardener"),
    ])
    .await;
    let smtp = SmtpSink::start();
    // The link names the configured port, so the server needs a fixed one: a
    // free port, taken back just before the config names it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let app = TestApp::new()
        .feed("gen", &feed.url())
        .alert(
            "ml",
            r#"title:("machine learning" OR ML) -title:"senior staff""#,
            &["daily"],
        )
        .block(&format!(
            "[[notifier]]\nname = \"daily\"\nkind = \"email\"\nsmtp_url = \"{}\"\n\
             from = \"jobhound <jobhound@example.com>\"\nto = [\"me@example.com\"]\n\
             schedule = \"0 8 * * *\"\ntimezone = \"UTC\"\ndigest_max_per_alert = 1\n\
             [server]\nlisten = \"127.0.0.1:{port}\"\n",
            smtp.url()
        ));
    assert_eq!(app.run(&["fetch"]).await.code, 0);
    let sent = app.run(&["digest", "--notifier", "daily", "--send"]).await;
    assert_eq!(sent.code, 0, "{sent:?}");
    let mails = smtp.mails();
    assert_eq!(mails.len(), 1);
    let (_, text) = subject_and_text(&mails[0].data);
    let base = format!("http://127.0.0.1:{port}/");
    let link = text
        .split_whitespace()
        .find(|w| w.starts_with(&base))
        .unwrap_or_else(|| panic!("a link to {base}: {text}"));
    assert!(text.contains("…and 2 more"), "{text}");

    let daemon = Daemon::start(&app, &[], "more-link.log");
    assert_eq!(daemon.api_addr().await.port(), port);
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    let page = client.get(link).send().await.expect("the link opens");
    assert_eq!(page.status(), 200, "{link}");
    let body = page.text().await.expect("body");
    for title in [
        "Machine Learning Engineer",
        "ML Platform Engineer",
        "Senior ML Researcher",
    ] {
        assert!(body.contains(title), "{link} lists {title}: {body}");
    }
    assert!(
        !body.contains("Gardener"),
        "{link} lists only the alert's jobs: {body}"
    );
    assert!(!body.contains("bad query"), "{body}");
    daemon.stop().await;
}
