use std::borrow::Cow;
use std::error::Error as _;

use anyhow::{Context as _, anyhow};
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use kernel::{ExposeSecret, SecretString};
use lettre::message::{Mailbox, MultiPart};
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::{Mailer, OutgoingEmail, SendError};

/// The SMTP transport (`EMAIL_TRANSPORT=smtp`): every email goes to the relay `SMTP_URL` names, as a plain
/// text body with an HTML alternative.
///
/// `SMTP_URL` is lettre's connection URL (`smtp://user:password@host:port`, `smtps://…`, `?tls=required` or
/// `?tls=opportunistic`) with one difference: a `smtp://` URL without `tls` means STARTTLS required, as
/// providers.md section 1 says, where lettre would send in the clear (password included). Plain SMTP has to be
/// asked for with `?tls=none`, for a relay on the same host or a test server.
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// Host and port only: the URL holds a password and must never reach a log or an error.
    host: String,
}

impl SmtpMailer {
    pub fn new(smtp_url: &SecretString, from: &str) -> anyhow::Result<Self> {
        let url = smtp_url.expose_secret();
        let host = host_of(url).to_owned();
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&lettre_url(url)?)
            .map_err(|e| anyhow!("SMTP_URL (host {host}) cannot be used: {e}"))?
            .build();
        let from = from.parse().with_context(|| format!("EMAIL_FROM {from:?} is not a valid sender"))?;
        Ok(Self { transport, from, host })
    }

    fn message(&self, email: &OutgoingEmail) -> Result<Message, SendError> {
        // Both refusals are permanent: sending the same email again cannot succeed.
        let to: Address = email.to.as_str().parse().map_err(|e| SendError::Refused {
            reason: format!("the SMTP client does not accept the recipient address: {e}"),
        })?;
        // lettre adds a Date but no Message-ID, whose absence spam filters hold against a message.
        let message_id = format!("<{}@{}>", kernel::new_id(), self.from.email.domain());
        Message::builder()
            .message_id(Some(message_id))
            .from(self.from.clone())
            .to(Mailbox::new(None, to))
            .subject(email.subject.as_str())
            .multipart(MultiPart::alternative_plain_html(email.text.clone(), email.html.clone()))
            .map_err(|e| SendError::Refused { reason: format!("the message cannot be built: {e}") })
    }
}

impl Mailer for SmtpMailer {
    fn send<'a>(&'a self, email: &'a OutgoingEmail) -> BoxFuture<'a, Result<(), SendError>> {
        async move {
            let message = self.message(email)?;
            match self.transport.send(message).await {
                Ok(_) => Ok(()),
                // A 5xx answer: the server will not take this email, now or later.
                Err(error) if error.is_permanent() => {
                    let reason = error.source().map_or_else(|| error.to_string(), |text| text.to_string());
                    Err(SendError::Refused { reason })
                }
                Err(error) => {
                    Err(SendError::Failed(anyhow!("SMTP relay {} did not take the email: {error}", self.host)))
                }
            }
        }
        .boxed()
    }
}

/// `host[:port]` of a URL, without the user and password before it.
pub(crate) fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    authority.rsplit_once('@').map_or(authority, |(_, host)| host)
}

/// The URL lettre is given: STARTTLS required unless the URL says otherwise, `tls=none` meaning plain SMTP.
fn lettre_url(url: &str) -> anyhow::Result<Cow<'_, str>> {
    let (base, query) = url.split_once('?').map_or((url, None), |(base, query)| (base, Some(query)));
    let scheme = base.split_once("://").map_or("", |(scheme, _)| scheme);
    let params: Vec<&str> = query.map(|q| q.split('&').filter(|p| !p.is_empty()).collect()).unwrap_or_default();
    let tls = params.iter().find_map(|p| p.strip_prefix("tls="));
    let is_smtp = scheme.eq_ignore_ascii_case("smtp");
    match tls {
        None if is_smtp => {
            let separator = if params.is_empty() { "?" } else { "&" };
            let base = if params.is_empty() { base } else { url };
            Ok(Cow::Owned(format!("{base}{separator}tls=required")))
        }
        Some("none") if is_smtp => {
            let kept: Vec<&str> = params.into_iter().filter(|p| !p.starts_with("tls=")).collect();
            Ok(Cow::Owned(if kept.is_empty() { base.to_owned() } else { format!("{base}?{}", kept.join("&")) }))
        }
        Some("none") => Err(anyhow!("SMTP_URL (host {}): tls=none is only for smtp:// URLs", host_of(url))),
        _ => Ok(Cow::Borrowed(url)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_without_tls_means_starttls_required() -> anyhow::Result<()> {
        assert_eq!(lettre_url("smtp://u:p@mail.example.com:587")?, "smtp://u:p@mail.example.com:587?tls=required");
        assert_eq!(lettre_url("smtp://mail.example.com/ehlo?x=1")?, "smtp://mail.example.com/ehlo?x=1&tls=required");
        assert_eq!(
            lettre_url("smtp://mail.example.com?tls=opportunistic")?,
            "smtp://mail.example.com?tls=opportunistic"
        );
        assert_eq!(lettre_url("smtps://u:p@mail.example.com")?, "smtps://u:p@mail.example.com");
        Ok(())
    }

    #[test]
    fn tls_none_asks_lettre_for_plain_smtp() -> anyhow::Result<()> {
        assert_eq!(lettre_url("smtp://127.0.0.1:2525?tls=none")?, "smtp://127.0.0.1:2525");
        assert_eq!(lettre_url("smtp://127.0.0.1:2525?a=1&tls=none&b=2")?, "smtp://127.0.0.1:2525?a=1&b=2");
        assert!(lettre_url("smtps://h.example.com?tls=none").is_err());
        Ok(())
    }

    #[test]
    fn errors_name_the_host_never_the_password() {
        assert_eq!(host_of("smtp://user:s3cret@mail.example.com:587/ehlo?tls=required"), "mail.example.com:587");
        assert_eq!(host_of("smtp://mail.example.com"), "mail.example.com");
        for url in ["smtp://user:s3cret@mail.example.com:notaport", "ftp://user:s3cret@mail.example.com"] {
            let error = SmtpMailer::new(&SecretString::from(url), "a <a@example.com>").err().map(|e| format!("{e:#}"));
            let error = error.unwrap_or_default();
            assert!(!error.is_empty(), "{url} accepted");
            assert!(!error.contains("s3cret"), "{error}");
        }
    }

    #[test]
    fn the_default_sender_is_valid() -> anyhow::Result<()> {
        SmtpMailer::new(&SecretString::from("smtp://127.0.0.1:2525?tls=none"), &crate::MailConfig::default().from)?;
        Ok(())
    }
}
