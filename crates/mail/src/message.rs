use std::fmt;

use kernel::Email;
use serde::{Deserialize, Serialize};

/// What every email carries (providers.md section 7). The sender is not part of it: it is `EMAIL_FROM`, the
/// transport's to add.
#[derive(Clone, PartialEq, Eq)]
pub struct OutgoingEmail {
    pub to: Email,
    /// The template id, e.g. `email_verification`.
    pub template: String,
    pub subject: String,
    /// The plain-text body.
    pub text: String,
    /// The HTML body.
    pub html: String,
    /// The URLs in the message, in the order they appear.
    pub links: Vec<String>,
}

/// Bodies and links are left out: they hold tokens (verification, password reset) that must not reach logs.
impl fmt::Debug for OutgoingEmail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutgoingEmail")
            .field("to", &self.to)
            .field("template", &self.template)
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

/// The outbox's JSON form of an email (`email_outbox.message`). Kept apart from [`OutgoingEmail`] so that the
/// stored format is spelled out here and `Email` needs no serde impls.
#[derive(Serialize, Deserialize)]
struct StoredMessage {
    to: String,
    template: String,
    subject: String,
    text: String,
    html: String,
    links: Vec<String>,
}

impl OutgoingEmail {
    pub(crate) fn to_stored_json(&self) -> serde_json::Result<String> {
        serde_json::to_string(&StoredMessage {
            to: self.to.as_str().to_owned(),
            template: self.template.clone(),
            subject: self.subject.clone(),
            text: self.text.clone(),
            html: self.html.clone(),
            links: self.links.clone(),
        })
    }

    pub(crate) fn from_stored_json(json: &str) -> anyhow::Result<Self> {
        let stored: StoredMessage = serde_json::from_str(json)?;
        let to = Email::parse(&stored.to)
            .ok_or_else(|| anyhow::anyhow!("the stored recipient is not a valid email address"))?;
        Ok(Self {
            to,
            template: stored.template,
            subject: stored.subject,
            text: stored.text,
            html: stored.html,
            links: stored.links,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stored_form_reads_back_as_written() -> anyhow::Result<()> {
        let email = OutgoingEmail {
            to: Email::parse("o'brien@example.com").ok_or_else(|| anyhow::anyhow!("a valid address"))?,
            template: "password_reset".to_owned(),
            subject: "Reset your password".to_owned(),
            text: "Open https://x.test/a?token=1".to_owned(),
            html: "<a href=\"https://x.test/a?token=1\">reset</a>".to_owned(),
            links: vec!["https://x.test/a?token=1".to_owned()],
        };
        assert_eq!(OutgoingEmail::from_stored_json(&email.to_stored_json()?)?, email);
        Ok(())
    }

    #[test]
    fn debug_shows_no_body_or_link() -> anyhow::Result<()> {
        let email = OutgoingEmail {
            to: Email::parse("a@example.com").ok_or_else(|| anyhow::anyhow!("a valid address"))?,
            template: "password_reset".to_owned(),
            subject: "Reset".to_owned(),
            text: "secret-token-in-text".to_owned(),
            html: "secret-token-in-html".to_owned(),
            links: vec!["https://x.test/?token=secret-token-in-link".to_owned()],
        };
        let shown = format!("{email:?}");
        assert!(!shown.contains("secret-token"), "{shown}");
        assert!(shown.contains("password_reset"));
        Ok(())
    }
}
