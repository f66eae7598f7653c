//! Email through a real SMTP server on 127.0.0.1: the mail arrives multipart
//! (text + HTML) after logging in with a password read from a file, its
//! Message-ID carries the idempotency key, a hostile title is escaped; the
//! digest preview shows what would go out and sends nothing; `notify test`
//! reaches each kind.

use mail_parser::{MessageParser, MimeHeaders};

use crate::support::app::TestApp;
use crate::support::feed::{FeedServer, Item};
use crate::support::sink::WebhookSink;
use crate::support::smtp::{Mail, SmtpSink};

const ML: &str = r#"title:("machine learning" OR ML)"#;
pub const HOSTILE: &str = "<script>alert('pwned')</script> ML Engineer";

fn email_block(name: &str, smtp: &SmtpSink, extra: &str) -> String {
    format!(
        "[[notifier]]\nname = \"{name}\"\nkind = \"email\"\nsmtp_url = \"{}\"\n\
         from = \"jobhound <jobhound@example.com>\"\nto = [\"me@example.com\", \"Team <team@example.com>\"]\n{extra}",
        smtp.url()
    )
}

/// The text and HTML parts of a mail, and its Message-ID.
pub fn parts(mail: &Mail) -> (String, String, String, String) {
    let m = MessageParser::default()
        .parse(&mail.data)
        .expect("a MIME message");
    // SMTP carries CRLF line ends; compare with the LF text jobhound wrote.
    let text = m.body_text(0).expect("a text part").replace("\r\n", "\n");
    let html = m.body_html(0).expect("an HTML part").into_owned();
    let id = m.message_id().expect("a Message-ID").to_string();
    let subject = m.subject().unwrap_or_default().to_string();
    assert!(
        m.content_type()
            .is_some_and(|c| c.ctype() == "multipart" && c.subtype() == Some("alternative")),
        "multipart/alternative"
    );
    (subject, text, html, id)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_immediate_mail_arrives_multipart_after_logging_in() {
    let feed = FeedServer::serve(&[
        Item::new("hostile", HOSTILE),
        Item::new("plain", "Machine Learning Researcher"),
    ])
    .await;
    let smtp = SmtpSink::with_login("me@example.com", "correct horse");
    let app = TestApp::new();
    let pw = app.db_path().with_file_name("smtp-password");
    std::fs::write(&pw, "correct horse\n").expect("password file");
    let app = app
        .feed("gen", &feed.url())
        .alert("ml", ML, &["mail"])
        .block(&email_block(
            "mail",
            &smtp,
            &format!(
                "username = \"me@example.com\"\npassword_file = \"{}\"\n",
                pw.display()
            ),
        ));
    let run = app.run(&["fetch"]).await;
    assert!(run.stdout.contains("deliveries: 2 sent"), "{run:?}");
    let mails = smtp.mails();
    assert_eq!(mails.len(), 1, "two matches, one mail");
    let mail = &mails[0];
    assert_eq!(mail.user.as_deref(), Some("me@example.com"), "logged in");
    assert_eq!(mail.from, "jobhound@example.com");
    assert_eq!(mail.to, ["me@example.com", "team@example.com"]);
    let (subject, text, html, id) = parts(mail);
    assert_eq!(subject, "2 new ML jobs");
    assert!(
        id.starts_with("jobhound-m1-") && id.ends_with("@example.com"),
        "the idempotency key: {id}"
    );
    assert!(text.contains("== ml · 2 new jobs =="), "{text}");
    assert!(text.contains("https://jobs.example/plain"), "{text}");
    assert!(!html.contains("<script>"), "{html}");
    assert!(
        html.contains("&lt;script&gt;"),
        "the title is shown, escaped: {html}"
    );
    assert!(
        html.contains("href=\"https://jobs.example/plain\""),
        "{html}"
    );
    assert_eq!(
        app.count("SELECT count(*) FROM deliveries WHERE status = 'sent'"),
        2
    );
    assert!(!run.stderr.contains("correct horse"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_password_fails_for_good_without_showing_it() {
    let feed = FeedServer::serve(&[Item::new("a", "ML Engineer")]).await;
    let smtp = SmtpSink::with_login("me", "right");
    let app = TestApp::new()
        .feed("gen", &feed.url())
        .alert("ml", ML, &["mail"])
        .block(&email_block(
            "mail",
            &smtp,
            "username = \"me\"\npassword = \"${SMTP_PASSWORD}\"\n",
        ));
    let mut cmd = app.command(&["fetch"]);
    cmd.env("SMTP_PASSWORD", "wr0ng-secret");
    let out = cmd.output().await.expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("1 failed"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(smtp.mails().is_empty());
    let mut cmd = app.command(&["notifications", "--status", "failed"]);
    cmd.env("SMTP_PASSWORD", "wr0ng-secret");
    let list = String::from_utf8_lossy(&cmd.output().await.expect("run").stdout).into_owned();
    assert!(
        list.contains("reason: SMTP: permanent error (535)"),
        "{list}"
    );
    assert!(!list.contains("wr0ng-secret"), "{list}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("wr0ng-secret"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_digest_preview_shows_the_next_digest_and_sends_nothing() {
    let feed = FeedServer::serve(&[
        Item::new("hostile", HOSTILE),
        Item::new("r", "Research Scientist, Machine Learning"),
    ])
    .await;
    let smtp = SmtpSink::start();
    let app = TestApp::new()
        .feed("gen", &feed.url())
        .alert("ml", ML, &["daily"])
        .alert("research", "title:research", &["daily"])
        .block(&email_block(
            "daily",
            &smtp,
            "schedule = \"0 8 * * 1-5\"\ntimezone = \"Europe/Berlin\"\n",
        ));
    let run = app.run(&["fetch"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        app.count("SELECT count(*) FROM deliveries WHERE status = 'pending'"),
        3
    );
    let html = app.db_path().with_file_name("preview.html");
    let preview = app
        .run(&[
            "digest",
            "--notifier",
            "daily",
            "--preview",
            "--html",
            html.to_str().expect("utf-8"),
        ])
        .await;
    assert_eq!(preview.code, 0, "{preview:?}");
    assert!(
        preview.stdout.starts_with("jobhound digest for "),
        "{}",
        preview.stdout
    );
    assert!(
        preview.stdout.contains("Europe/Berlin: 3 new jobs"),
        "{}",
        preview.stdout
    );
    assert!(
        preview.stdout.contains("== ml · 2 new jobs =="),
        "{}",
        preview.stdout
    );
    assert!(
        preview.stdout.contains("== research · 1 new job =="),
        "{}",
        preview.stdout
    );
    assert!(
        preview.stderr.contains("nothing was sent"),
        "{}",
        preview.stderr
    );
    let page = std::fs::read_to_string(&html).expect("html written");
    assert!(
        page.contains("&lt;script&gt;") && !page.contains("<script>"),
        "{page}"
    );
    assert!(smtp.mails().is_empty(), "a preview sends nothing");
    assert_eq!(
        app.count(
            "SELECT count(*) FROM deliveries WHERE status = 'pending' AND message_id IS NULL"
        ),
        3,
        "and changes nothing"
    );
    let missing = app
        .run(&["digest", "--notifier", "nope", "--preview"])
        .await;
    assert_eq!(missing.code, 5);
}

#[tokio::test(flavor = "multi_thread")]
async fn notify_test_reaches_each_kind_and_reports_failures() {
    let smtp = SmtpSink::start();
    let hook = WebhookSink::start().await;
    let gone = WebhookSink::scripted(&[404]).await;
    let app = TestApp::new()
        .webhook("hook", &hook.url())
        .webhook("gone", &gone.url())
        .block(&email_block("mail", &smtp, ""))
        .block("[[notifier]]\nname = \"off\"\nkind = \"slack\"\nurl = \"${UNSET_URL}\"\nenabled = false\n");
    let ok = app.run(&["notify", "test", "hook"]).await;
    assert_eq!(ok.code, 0, "{ok:?}");
    assert!(
        ok.stdout
            .contains("test message sent through `hook` (webhook)")
    );
    assert_eq!(hook.delivered().len(), 1);
    assert_eq!(hook.delivered()[0].body["alert"], "test");
    let mail = app.run(&["notify", "test", "mail"]).await;
    assert_eq!(mail.code, 0, "{mail:?}");
    let (subject, ..) = parts(&smtp.mails()[0]);
    assert!(subject.contains("Test message"), "{subject}");
    let failed = app.run(&["notify", "test", "gone"]).await;
    assert_eq!(failed.code, 1, "{failed:?}");
    assert!(failed.stderr.contains("HTTP 404"), "{}", failed.stderr);
    assert!(!failed.stderr.contains("127.0.0.1"), "{}", failed.stderr);
    assert_eq!(app.run(&["notify", "test", "off"]).await.code, 2);
    assert_eq!(app.run(&["notify", "test", "nope"]).await.code, 5);
}

#[tokio::test(flavor = "multi_thread")]
async fn tls_is_required_when_configured_and_never_downgraded() {
    // The test server speaks plain SMTP only: a TLS handshake fails (the
    // server may come back with TLS: retried), and a server that offers no
    // STARTTLS is refused for good rather than sent the mail in clear.
    let feed = FeedServer::serve(&[Item::new("a", "ML Engineer")]).await;
    let smtp = SmtpSink::start();
    let port = smtp.url().rsplit(':').next().expect("port").to_string();
    for (url, want, why) in [
        (
            format!("smtps://127.0.0.1:{port}"),
            "1 to retry",
            "received corrupt message",
        ),
        (
            format!("smtp://127.0.0.1:{port}?tls=starttls"),
            "1 failed",
            "STARTTLS is not supported",
        ),
    ] {
        let app = TestApp::new()
            .feed("gen", &feed.url())
            .alert("ml", ML, &["mail"])
            .block(&format!(
                "[[notifier]]\nname = \"mail\"\nkind = \"email\"\nsmtp_url = \"{url}\"\n\
                 from = \"j@example.com\"\nto = [\"me@example.com\"]\n"
            ));
        let run = app.run(&["fetch"]).await;
        assert!(run.stdout.contains(want), "{url}: {run:?}");
        let error: String = app
            .db()
            .query_row("SELECT last_error FROM deliveries", [], |r| r.get(0))
            .expect("an error is recorded");
        assert!(
            error.starts_with("SMTP: ") && error.contains(why),
            "{url}: {error}"
        );
    }
    assert!(smtp.mails().is_empty(), "nothing went out in clear");
}
