//! `jobhound digest --notifier NAME --send` sends the digest `--preview`
//! shows, now, and the next scheduled digest does not repeat it; `notify
//! test` on a digest notifier sends a digest-shaped test under a new key each
//! time; a config that leaves the daemon idle is warned about.

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
        preview.stdout.contains("https://jobs.example/a"),
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
    assert!(subject.contains("Machine Learning Engineer"), "{subject}");
    assert!(text.contains("https://jobs.example/a"), "{text}");
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
    assert!(text.contains("https://jobs.example/b"), "{text}");
    assert!(
        !text.contains("https://jobs.example/a"),
        "not repeated: {text}"
    );
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
