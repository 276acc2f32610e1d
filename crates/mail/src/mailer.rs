use std::fmt;

use futures_util::future::BoxFuture;

use crate::OutgoingEmail;

/// A mail transport: hands one email on, or says why it could not.
pub trait Mailer: Send + Sync + 'static {
    fn send<'a>(&'a self, email: &'a OutgoingEmail) -> BoxFuture<'a, Result<(), SendError>>;
}

/// Why a send did not happen. The outbox retries only what may succeed later.
#[derive(Debug)]
pub enum SendError {
    /// Permanent: the recipient or the message was refused (an SMTP 5xx answer, a `fail.test` recipient).
    /// `reason` is the transport's own words, the `<reason>` of E-7101.
    Refused { reason: String },
    /// Transient: the transport could not be reached or answered "try later"; worth retrying.
    Failed(anyhow::Error),
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Refused { reason } => write!(f, "email refused: {reason}"),
            Self::Failed(error) => write!(f, "email not sent: {error:#}"),
        }
    }
}

impl std::error::Error for SendError {}
