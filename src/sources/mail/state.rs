//! What a mailbox source keeps between fetches, as JSON in the source's
//! state: where reading stopped (`UIDVALIDITY` and the last UID) and what
//! the last fetch that read anything found, for `jobhound sources`.

use serde::{Deserialize, Serialize};

use crate::store::Validators;

/// Warnings kept for `jobhound sources`, at most.
const MAX_WARNINGS: usize = 5;

/// What is kept between fetches (as JSON in the source's state), and shown by
/// `jobhound sources`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MailState {
    /// The mailbox's `UIDVALIDITY` when last read.
    pub uidvalidity: u32,
    /// The highest UID read.
    pub last_uid: u32,
    /// The last email read, when any was.
    #[serde(default)]
    pub last_email: Option<LastEmail>,
    /// Emails read by the last fetch that read any.
    #[serde(default)]
    pub read: u32,
    /// Of those, job alerts.
    #[serde(default)]
    pub alerts: u32,
    /// Of those, emails from the boards that are not job alerts, skipped.
    #[serde(default)]
    pub skipped: u32,
    /// Jobs found in them.
    #[serde(default)]
    pub jobs: u32,
    /// What looked wrong (an alert with no job in it, an email too large).
    #[serde(default)]
    pub warnings: Vec<String>,
}

/// The last email read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LastEmail {
    /// Its `Date:` header, RFC 3339.
    pub date: Option<String>,
    /// The board it came from, or the sender's domain.
    pub from: String,
    /// Its subject, cut to 120 characters.
    pub subject: String,
}

impl MailState {
    /// The state kept in `validators`, when it is for the mailbox `identity`.
    pub fn from_validators(v: &Validators, identity: Option<&str>) -> Option<MailState> {
        if identity.is_some() && v.url.as_deref() != identity {
            return None;
        }
        serde_json::from_str(v.state.as_deref()?).ok()
    }

    /// Keeps `warning` for `jobhound sources`, up to [`MAX_WARNINGS`].
    pub(super) fn warn(&mut self, warning: String) {
        if self.warnings.len() < MAX_WARNINGS {
            self.warnings.push(warning);
        }
    }
}
