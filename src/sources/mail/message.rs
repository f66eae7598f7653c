//! One email, read with `mail-parser` (MIME parts, quoted-printable and
//! base64, charsets), down to what the parsers need: the sender's address,
//! the subject, the date, and the HTML and plain-text bodies as sent.

use chrono::{DateTime, Utc};
use mail_parser::MessageParser;

/// What jobhound reads of an email.
#[derive(Debug, Default)]
pub(super) struct Email {
    /// The `From:` address, lower case.
    pub from: String,
    /// The subject.
    pub subject: String,
    /// The `Date:` header.
    pub date: Option<DateTime<Utc>>,
    /// The first HTML body part, as sent.
    pub html: Option<String>,
    /// The first plain-text body part, as sent (not converted from HTML).
    pub text: Option<String>,
}

/// Reads a whole RFC 5322 message; `None` when it is not one.
pub(super) fn read(bytes: &[u8]) -> Option<Email> {
    let msg = MessageParser::default().parse(bytes)?;
    let from = msg
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let date = msg
        .date()
        .and_then(|d| DateTime::<Utc>::from_timestamp(d.to_timestamp(), 0));
    let html = msg
        .html_part(0)
        .filter(|p| p.is_text_html())
        .and_then(|p| p.text_contents())
        .map(str::to_string);
    let text = msg
        .text_part(0)
        .filter(|p| !p.is_text_html())
        .and_then(|p| p.text_contents())
        .map(str::to_string);
    Some(Email {
        from,
        subject: msg.subject().unwrap_or_default().to_string(),
        date,
        html,
        text,
    })
}
