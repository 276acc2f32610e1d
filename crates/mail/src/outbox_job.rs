use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};
use diesel::prelude::*;
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use kernel::{Clock, Job, JobContext, with_connection, with_transaction};
use store::schema::email_outbox;
use store::{DbError, Tx};

use crate::{Mailer, OutgoingEmail, SendError};

/// Most emails one run takes, so that one run stays short and several runners share a backlog.
const BATCH: i64 = 50;

/// How long a taken email is left to the runner that took it. Past it, another run takes the email again: a
/// runner that died mid-send does not keep its emails forever.
const LEASE: TimeDelta = TimeDelta::minutes(5);

/// Lease time left below which a run starts no further send: one slow send must not outlast the lease, or
/// another runner would take the email and send it too. What is left is released for the next run.
const LEASE_MARGIN: TimeDelta = TimeDelta::minutes(2);

/// Waits after the 1st, 2nd, … failed attempt; the attempt after the last one is the last.
const RETRY_AFTER: [TimeDelta; 5] =
    [TimeDelta::minutes(1), TimeDelta::minutes(5), TimeDelta::minutes(30), TimeDelta::hours(2), TimeDelta::hours(6)];

/// The outbox job (`email_outbox`): hands every due email of the outbox to the transport.
///
/// Delivery is at least once: a runner that crashes after the transport took an email and before it is marked
/// sent leaves it leased, and the email is sent again once the lease ends.
pub struct EmailOutbox {
    mailer: Arc<dyn Mailer>,
}

impl EmailOutbox {
    pub fn new(mailer: Arc<dyn Mailer>) -> Self {
        Self { mailer }
    }
}

impl Job for EmailOutbox {
    fn name(&self) -> &'static str {
        "email_outbox"
    }

    /// The number of emails the transport took.
    fn run<'a>(&'a self, ctx: &'a JobContext) -> BoxFuture<'a, anyhow::Result<usize>> {
        async move {
            let now = ctx.clock.now();
            let leased = with_transaction(&ctx.pool, move |tx| -> anyhow::Result<_> { Ok(take_due(tx, now)?) }).await?;
            let stop_at = now + LEASE - LEASE_MARGIN;
            let mut sent = 0;
            // Sent outside the transaction: a slow transport must not hold the database's write lock. A failure
            // to record an outcome stops the run; the emails not yet handled are taken again after their lease.
            let mut leased = leased.into_iter();
            while let Some(email) = leased.next() {
                if ctx.clock.now() >= stop_at {
                    let rest: Vec<String> = std::iter::once(email).chain(leased).map(|e| e.id).collect();
                    tracing::warn!(left = rest.len(), "email outbox run out of lease time; releasing the rest");
                    with_connection(&ctx.pool, move |conn| release(conn, &rest)).await?;
                    break;
                }
                let outcome = match OutgoingEmail::from_stored_json(&email.message) {
                    Ok(message) => self.mailer.send(&message).await,
                    Err(error) => {
                        Err(SendError::Refused { reason: format!("the stored email is unreadable: {error}") })
                    }
                };
                let now = ctx.clock.now();
                let id = email.id.clone();
                match outcome {
                    Ok(()) => {
                        with_connection(&ctx.pool, move |conn| mark_sent(conn, &id, now)).await?;
                        sent += 1;
                    }
                    Err(SendError::Refused { reason }) => {
                        tracing::warn!(email = %email.id, template = %email.template, %reason, "email refused");
                        with_connection(&ctx.pool, move |conn| mark_failed(conn, &id, now, &reason)).await?;
                    }
                    Err(SendError::Failed(error)) => {
                        let retry_at = usize::try_from(email.attempts - 1)
                            .ok()
                            .and_then(|done| RETRY_AFTER.get(done))
                            .map(|wait| now + *wait);
                        let last_error = format!("{error:#}");
                        tracing::warn!(
                            email = %email.id, template = %email.template, attempts = email.attempts,
                            retry_at = ?retry_at, error = %last_error, "email not sent"
                        );
                        with_connection(&ctx.pool, move |conn| match retry_at {
                            Some(retry_at) => schedule_retry(conn, &id, retry_at, &last_error),
                            None => mark_failed(conn, &id, now, &last_error),
                        })
                        .await?;
                    }
                }
            }
            Ok(sent)
        }
        .boxed()
    }

    /// Emails due now and not yet handed to the transport (leased ones included).
    fn backlog<'a>(&'a self, ctx: &'a JobContext) -> BoxFuture<'a, anyhow::Result<Option<usize>>> {
        async move {
            let now = ctx.clock.now().naive_utc();
            let waiting: i64 = with_connection(&ctx.pool, move |conn| {
                email_outbox::table
                    .filter(email_outbox::sent_at.is_null())
                    .filter(email_outbox::failed_at.is_null())
                    .filter(email_outbox::next_attempt_at.le(now))
                    .count()
                    .get_result::<i64>(conn)
                    .map_err(anyhow::Error::from)
            })
            .await?;
            Ok(Some(usize::try_from(waiting)?))
        }
        .boxed()
    }
}

/// One email taken by this run.
struct Leased {
    id: String,
    template: String,
    message: String,
    /// Counting this one.
    attempts: i32,
}

/// Takes up to [`BATCH`] due emails for this run, oldest due first, by giving them a lease.
///
/// The UPDATE states the whole "due and not leased" condition again, and it is what decides: on PostgreSQL
/// (READ COMMITTED) a second runner that selected the same rows waits on their row locks and then re-checks
/// the condition against the committed rows, so it skips every row the first runner leased — or already sent
/// and released. On SQLite the write transaction serialises the runners.
fn take_due(tx: &mut Tx<'_>, now: DateTime<Utc>) -> Result<Vec<Leased>, DbError> {
    let now_naive = now.naive_utc();
    let due = || {
        email_outbox::sent_at
            .is_null()
            .and(email_outbox::failed_at.is_null())
            .and(email_outbox::next_attempt_at.le(now_naive))
            .and(email_outbox::lease_until.is_null().or(email_outbox::lease_until.le(now_naive)))
    };
    let ids: Vec<String> = email_outbox::table
        .filter(due())
        .order((email_outbox::next_attempt_at.asc(), email_outbox::id.asc()))
        .limit(BATCH)
        .select(email_outbox::id)
        .load(tx.conn())?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(String, String, String, i32)> =
        diesel::update(email_outbox::table.filter(email_outbox::id.eq_any(&ids)).filter(due()))
            .set((
                email_outbox::lease_until.eq((now + LEASE).naive_utc()),
                email_outbox::attempts.eq(email_outbox::attempts + 1),
            ))
            .returning((email_outbox::id, email_outbox::template, email_outbox::message, email_outbox::attempts))
            .get_results(tx.conn())?;
    Ok(rows.into_iter().map(|(id, template, message, attempts)| Leased { id, template, message, attempts }).collect())
}

/// Hands emails this run took but did not try back, as if never taken. The lease is still this run's (it
/// stopped before the lease ran out), so no other runner holds them.
fn release(conn: &mut store::DbConnection, ids: &[String]) -> anyhow::Result<()> {
    diesel::update(email_outbox::table.filter(email_outbox::id.eq_any(ids)).filter(email_outbox::sent_at.is_null()))
        .set((
            email_outbox::lease_until.eq(None::<chrono::NaiveDateTime>),
            email_outbox::attempts.eq(email_outbox::attempts - 1),
        ))
        .execute(conn)?;
    Ok(())
}

fn mark_sent(conn: &mut store::DbConnection, id: &str, now: DateTime<Utc>) -> anyhow::Result<()> {
    diesel::update(email_outbox::table.find(id))
        .set((email_outbox::sent_at.eq(now.naive_utc()), email_outbox::lease_until.eq(None::<chrono::NaiveDateTime>)))
        .execute(conn)?;
    Ok(())
}

/// Gives up on the email. A copy another runner sent meanwhile (after this one's lease ran out) stays sent.
fn mark_failed(conn: &mut store::DbConnection, id: &str, now: DateTime<Utc>, error: &str) -> anyhow::Result<()> {
    diesel::update(email_outbox::table.find(id).filter(email_outbox::sent_at.is_null()))
        .set((
            email_outbox::failed_at.eq(now.naive_utc()),
            email_outbox::lease_until.eq(None::<chrono::NaiveDateTime>),
            email_outbox::last_error.eq(error),
        ))
        .execute(conn)?;
    Ok(())
}

fn schedule_retry(
    conn: &mut store::DbConnection,
    id: &str,
    retry_at: DateTime<Utc>,
    error: &str,
) -> anyhow::Result<()> {
    diesel::update(email_outbox::table.find(id).filter(email_outbox::sent_at.is_null()))
        .set((
            email_outbox::next_attempt_at.eq(retry_at.naive_utc()),
            email_outbox::lease_until.eq(None::<chrono::NaiveDateTime>),
            email_outbox::last_error.eq(error),
        ))
        .execute(conn)?;
    Ok(())
}
