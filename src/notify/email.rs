//! `kind = "email"`: one mail per message through SMTP (lettre on tokio with
//! rustls): implicit TLS, STARTTLS, or plain to this machine. The mail is
//! multipart: the designed HTML of [`super::html`] and its plain-text twin
//! ([`Batch::text`]); in the HTML every string that came from a source is
//! escaped and only web links are links. A digest is one mail. The `Message-ID` is derived from the message's
//! idempotency key, so a resend after a crash is recognisably the same mail.

use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::NotifyError;
use super::render::Batch;
use crate::config::{Email, SmtpTls};

/// The `Message-ID` of a batch: `<key@domain of the From address>`.
pub fn message_id(b: &Batch, from: &Mailbox) -> String {
    format!("<{}@{}>", b.key, from.email.domain())
}

/// The mail for a batch.
pub fn build(b: &Batch, e: &Email) -> Result<Message, NotifyError> {
    let mut m = Message::builder()
        .from(e.from.clone())
        .subject(b.subject())
        .message_id(Some(message_id(b, &e.from)));
    for to in &e.to {
        m = m.to(to.clone());
    }
    m.multipart(MultiPart::alternative_plain_html(b.text(), html(b)))
        .map_err(|err| NotifyError::Build(err.to_string()))
}

/// The HTML part (see [`super::html`]).
pub fn html(b: &Batch) -> String {
    super::html::page(b)
}

/// Sends the batch's mail; `timeout` bounds each SMTP command.
pub async fn send(e: &Email, b: &Batch, timeout: Duration) -> Result<(), NotifyError> {
    deliver(e, build(b, e)?, timeout).await
}

/// Sends a built mail through `e`'s SMTP server; `timeout` bounds each SMTP command.
pub async fn deliver(e: &Email, mail: Message, timeout: Duration) -> Result<(), NotifyError> {
    let host = e.smtp.host.clone();
    let tls = || TlsParameters::new(host.clone()).map_err(|err| smtp_error(&err));
    let tls = match e.smtp.tls {
        SmtpTls::Implicit => Tls::Wrapper(tls()?),
        SmtpTls::StartTls => Tls::Required(tls()?),
        SmtpTls::Plain => Tls::None,
    };
    let mut transport =
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(e.smtp.host.as_str())
            .port(e.smtp.port)
            .tls(tls)
            .timeout(Some(timeout));
    if let (Some(user), Some(password)) = (&e.username, &e.password) {
        transport =
            transport.credentials(Credentials::new(user.clone(), password.expose().clone()));
    }
    transport
        .build()
        .send(mail)
        .await
        .map(|_| ())
        .map_err(|err| smtp_error(&err))
}

/// SMTP 5xx answers and client-side errors are permanent; 4xx answers and
/// connection, TLS and timeout errors may pass later.
fn smtp_error(e: &lettre::transport::smtp::Error) -> NotifyError {
    NotifyError::Smtp {
        transient: !(e.is_permanent() || e.is_client()),
        message: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::render::tests::{batch, job};

    #[test]
    fn source_strings_are_escaped_and_hostile_links_dropped() {
        let mut evil = job(1, "<script>alert('x')</script> ML", Some("A & B <i>"));
        evil.posting.url = Some("javascript:alert(1)".into());
        evil.posting.locations = vec!["<img src=x onerror=alert(1)>".into()];
        let h = html(&batch(
            &[("ml<b>", evil), ("ml", job(2, "Fine", None))],
            true,
        ));
        assert!(
            !h.contains("<script>") && !h.contains("<img") && !h.contains("<i>"),
            "{h}"
        );
        assert!(
            h.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; ML"),
            "{h}"
        );
        assert!(h.contains(">ml&lt;b&gt; · 1 new job</td>"), "{h}");
        assert!(!h.contains("javascript:"), "{h}");
        assert!(h.contains("href=\"https://jobs.example/2\""), "{h}");
    }

    #[test]
    fn immediate_mail_shows_the_card_not_the_source_html() {
        let mut p = job(1, "ML", None);
        p.posting.description_html =
            "<p>Build <img src=\"https://t.example/p.gif\"> models.</p>".into();
        let h = html(&batch(&[("ml", p)], false));
        assert!(h.contains(">Build models.</div>"), "{h}");
        assert!(!h.contains("t.example"), "{h}");
    }

    #[test]
    fn the_message_id_carries_the_idempotency_key() {
        let from: Mailbox = "jobhound <jobhound@example.com>".parse().expect("mailbox");
        let b = batch(&[], true);
        assert_eq!(
            message_id(&b, &from),
            "<jobhound-m7-1795600800@example.com>"
        );
    }
}
