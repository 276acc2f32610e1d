//! borderless email (providers.md section 7).
//!
//! A business change [`queue`]s its emails inside its own transaction (the outbox), so a rolled-back change
//! sends nothing and a crash loses nothing. The [`EmailOutbox`] job then hands each to the configured
//! [`Mailer`]: the [`LocalMailbox`] (`EMAIL_TRANSPORT=mailbox`, the default), which keeps messages in the
//! database for tests and operators to read back, or the [`SmtpMailer`] (`EMAIL_TRANSPORT=smtp`).

pub use config::{MailConfig, Transport, mailer};
pub use mailbox::{LocalMailbox, MailboxMessage, read_mailbox};
pub use mailbox_command::MailboxCommand;
pub use mailer::{Mailer, SendError};
pub use message::OutgoingEmail;
pub use outbox::queue;
pub use outbox_job::EmailOutbox;
pub use smtp::SmtpMailer;

mod config;
mod mailbox;
mod mailbox_command;
mod mailer;
mod message;
mod outbox;
mod outbox_job;
mod smtp;
