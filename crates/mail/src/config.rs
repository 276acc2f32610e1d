use std::fmt;
use std::sync::Arc;

use kernel::{ExposeSecret, SecretString, ServiceClock};
use store::Pool;

use crate::{LocalMailbox, Mailer, SmtpMailer};

/// What the email domain reads from configuration (providers.md section 1).
#[derive(Clone)]
pub struct MailConfig {
    /// `EMAIL_TRANSPORT`, with `SMTP_URL` for `smtp`.
    pub transport: Transport,
    /// `EMAIL_FROM`: the sender of every email.
    pub from: String,
}

#[derive(Clone)]
pub enum Transport {
    /// `mailbox`: the local mailbox in the service's database.
    Mailbox,
    /// `smtp`: the relay `SMTP_URL` names.
    Smtp { url: SecretString },
}

impl Default for MailConfig {
    fn default() -> Self {
        Self { transport: Transport::Mailbox, from: "borderless <no-reply@borderless.local>".to_owned() }
    }
}

/// The transport the configuration names, ready to send.
pub fn mailer(config: &MailConfig, pool: Pool, clock: Arc<ServiceClock>) -> anyhow::Result<Arc<dyn Mailer>> {
    Ok(match &config.transport {
        Transport::Mailbox => Arc::new(LocalMailbox::new(pool, clock)),
        Transport::Smtp { url } => Arc::new(SmtpMailer::new(url, &config.from)?),
    })
}

impl fmt::Debug for MailConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MailConfig").field("transport", &self.transport).field("from", &self.from).finish()
    }
}

/// Written by hand so the SMTP URL, which holds the relay's password, never shows.
impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Mailbox => f.write_str("Mailbox"),
            Self::Smtp { url } => {
                f.debug_struct("Smtp").field("host", &crate::smtp::host_of(url.expose_secret())).finish()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_smtp_password() {
        let config = MailConfig {
            transport: Transport::Smtp { url: SecretString::from("smtp://user:s3cret@mail.example.com:587") },
            ..MailConfig::default()
        };
        let shown = format!("{config:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(!shown.contains("user"), "{shown}");
        assert!(shown.contains("mail.example.com:587"), "{shown}");
    }
}
