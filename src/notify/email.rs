//! `kind = "email"`: one mail per message through SMTP (lettre on tokio with
//! rustls): implicit TLS, STARTTLS, or plain to this machine. The mail is
//! multipart: plain text and HTML. In the HTML every string that came from a
//! source is escaped; descriptions are included only as the sanitized HTML
//! the normalizer made. The `Message-ID` is derived from the message's
//! idempotency key, so a resend after a crash is recognisably the same mail.

use std::fmt::Write as _;
use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::NotifyError;
use super::render::{Batch, Facts};
use crate::config::{Email, SmtpTls};
use crate::normalize::escape_html;

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

/// The HTML part: the heading, then per alert a list of jobs, every source
/// string escaped; for matches sent as they come, each job's sanitized description.
pub fn html(b: &Batch) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head>\
         <body style=\"font-family: sans-serif; line-height: 1.4\">\n",
    );
    let _ = writeln!(out, "<h2>{}</h2>", escape_html(&b.heading()));
    if b.items.is_empty() {
        out.push_str("<p>No new jobs matched since the last digest.</p>\n");
    }
    for (alert, items) in b.groups() {
        let _ = writeln!(
            out,
            "<h3>Alert: {} ({})</h3>\n<ul>",
            escape_html(alert),
            items.len()
        );
        for item in items {
            let f = Facts::of(&item.posting);
            let title = format!("<strong>{}</strong>", escape_html(&f.title));
            // Only web links: a `javascript:` URL from a hostile feed must not become a link.
            let linked = match f.link.as_deref().filter(|l| is_web_link(l)) {
                Some(l) => format!("<a href=\"{}\">{title}</a>", escape_html(l)),
                None => title,
            };
            let _ = write!(
                out,
                "<li>{linked}<br><span style=\"color: #555\">{}</span>",
                escape_html(&f.line())
            );
            let description = &item.posting.posting.description_html;
            if b.digest.is_none() && !description.is_empty() {
                // Sanitized at ingest (normalize::render_html): safe to embed as is.
                let _ = write!(out, "<div>{description}</div>");
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n");
    }
    out.push_str(
        "<p style=\"color: #888; font-size: small\">Sent by jobhound.</p>\n</body></html>\n",
    );
    out
}

fn is_web_link(l: &str) -> bool {
    let lower = l.trim_start().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
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
        assert!(h.contains("Alert: ml&lt;b&gt; (1)"), "{h}");
        assert!(!h.contains("javascript:"), "{h}");
        assert!(
            h.contains("<a href=\"https://jobs.example/2\"><strong>Fine</strong></a>"),
            "{h}"
        );
    }

    #[test]
    fn descriptions_appear_sanitized_in_immediate_mail_only() {
        let b = batch(&[("ml", job(1, "ML", None))], false);
        assert!(html(&b).contains("<div><p>Build models.</p></div>"));
        let d = batch(&[("ml", job(1, "ML", None))], true);
        assert!(!html(&d).contains("Build models."));
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
