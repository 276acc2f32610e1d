//! What the mail tests share: a fresh database, the job context around it, emails to queue.

#![allow(dead_code, reason = "each test file uses part of it")]

use std::sync::Arc;

use kernel::{Clock, Email, JobContext, ServiceClock, Services, with_connection, with_transaction};
use mail::{MailboxMessage, OutgoingEmail};
use store::{Pool, TestDatabase};

pub struct Setup {
    /// Held so the database lives as long as the test.
    pub db: TestDatabase,
    pub ctx: JobContext,
}

impl Setup {
    pub fn new() -> anyhow::Result<Self> {
        let db = TestDatabase::new()?;
        let pool = store::connect_pool(db.url(), 4)?;
        let ctx = context(pool, Arc::new(ServiceClock::System));
        Ok(Self { db, ctx })
    }

    /// Another runner on the same database: a pool of its own.
    pub fn second_context(&self) -> anyhow::Result<JobContext> {
        Ok(context(store::connect_pool(self.db.url(), 4)?, Arc::new(ServiceClock::System)))
    }

    pub fn pool(&self) -> &Pool {
        &self.ctx.pool
    }
}

pub fn context(pool: Pool, clock: Arc<ServiceClock>) -> JobContext {
    JobContext { pool, clock, services: Arc::new(Services::default()) }
}

pub fn address(raw: &str) -> anyhow::Result<Email> {
    Email::parse(raw).ok_or_else(|| anyhow::anyhow!("{raw} is not a valid address"))
}

pub fn email(to: &str, subject: &str) -> anyhow::Result<OutgoingEmail> {
    let link = format!("http://127.0.0.1:8080/verify-email?token={}", subject.replace(' ', "-"));
    Ok(OutgoingEmail {
        to: address(to)?,
        template: "email_verification".to_owned(),
        subject: subject.to_owned(),
        text: format!("Confirm your email address:\n{link}\n\nThen sign in:\nhttp://localhost:8000/login\n"),
        html: format!(
            "<p><a href=\"{link}\">Confirm</a></p><p><a href=\"http://localhost:8000/login\">Sign in</a></p>"
        ),
        links: vec![link, "http://localhost:8000/login".to_owned()],
    })
}

/// Queues the emails in one transaction that commits.
pub async fn queue_committed(ctx: &JobContext, emails: Vec<OutgoingEmail>) -> anyhow::Result<()> {
    let now = ctx.clock.now();
    with_transaction(&ctx.pool, move |tx| -> anyhow::Result<()> {
        for email in &emails {
            mail::queue(tx, email, now)?;
        }
        Ok(())
    })
    .await
}

pub async fn mailbox(pool: &Pool, to: Option<Email>) -> anyhow::Result<Vec<MailboxMessage>> {
    with_connection(pool, move |conn| -> anyhow::Result<_> { Ok(mail::read_mailbox(conn, to.as_ref())?) }).await
}
