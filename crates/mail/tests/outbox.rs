//! The outbox: what a transaction queues is sent once it commits, exactly once, even with two runners.

mod common;

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{NaiveDateTime, TimeDelta};
use common::{Setup, context, email, mailbox, queue_committed};
use diesel::prelude::*;
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use kernel::{Clock, Job, JobContext, ServiceClock, with_connection, with_transaction};
use mail::{EmailOutbox, LocalMailbox, Mailer, OutgoingEmail, SendError};
use store::Pool;
use store::schema::email_outbox;

fn local_outbox(ctx: &JobContext) -> EmailOutbox {
    EmailOutbox::new(Arc::new(LocalMailbox::new(ctx.pool.clone(), Arc::clone(&ctx.clock))))
}

#[derive(Queryable, Debug)]
struct OutboxState {
    attempts: i32,
    next_attempt_at: NaiveDateTime,
    lease_until: Option<NaiveDateTime>,
    sent_at: Option<NaiveDateTime>,
    failed_at: Option<NaiveDateTime>,
    last_error: Option<String>,
}

async fn outbox_states(pool: &Pool) -> anyhow::Result<Vec<OutboxState>> {
    with_connection(pool, |conn| -> anyhow::Result<_> {
        Ok(email_outbox::table
            .order(email_outbox::id)
            .select((
                email_outbox::attempts,
                email_outbox::next_attempt_at,
                email_outbox::lease_until,
                email_outbox::sent_at,
                email_outbox::failed_at,
                email_outbox::last_error,
            ))
            .load(conn)?)
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rolled_back_email_is_never_sent_and_a_committed_one_is_sent_once() -> anyhow::Result<()> {
    let setup = Setup::new()?;
    let ctx = &setup.ctx;
    let job = local_outbox(ctx);
    assert_eq!(job.name(), "email_outbox");

    let rolled_back = email("rolled@example.com", "never")?;
    let now = ctx.clock.now();
    let outcome = with_transaction(&ctx.pool, move |tx| -> anyhow::Result<()> {
        mail::queue(tx, &rolled_back, now)?;
        anyhow::bail!("the business change failed")
    })
    .await;
    assert!(outcome.is_err());
    assert_eq!(job.run(ctx).await?, 0);
    assert!(outbox_states(&ctx.pool).await?.is_empty());

    let committed = email("Ada@Example.com", "welcome")?;
    queue_committed(ctx, vec![committed.clone()]).await?;
    assert_eq!(job.run(ctx).await?, 1);
    let messages = mailbox(&ctx.pool, None).await?;
    assert_eq!(messages.len(), 1);
    let message = &messages[0];
    assert_eq!(message.to, "ada@example.com");
    assert_eq!(message.template, "email_verification");
    assert_eq!(message.subject, "welcome");
    assert_eq!(message.text, committed.text);
    assert_eq!(message.html, committed.html);
    assert_eq!(message.links, committed.links);

    assert_eq!(job.run(ctx).await?, 0);
    assert_eq!(mailbox(&ctx.pool, None).await?.len(), 1);
    let states = outbox_states(&ctx.pool).await?;
    assert_eq!(states.len(), 1);
    assert!(states[0].sent_at.is_some() && states[0].lease_until.is_none() && states[0].failed_at.is_none());
    assert_eq!(states[0].attempts, 1);
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fail_test_recipient_ends_failed_and_never_reaches_the_mailbox() -> anyhow::Result<()> {
    let setup = Setup::new()?;
    let ctx = &setup.ctx;
    let job = local_outbox(ctx);
    queue_committed(ctx, vec![email("nobody@fail.test", "refused")?]).await?;

    assert_eq!(job.run(ctx).await?, 0);
    assert_eq!(job.run(ctx).await?, 0);
    assert!(mailbox(&ctx.pool, None).await?.is_empty());
    let states = outbox_states(&ctx.pool).await?;
    assert_eq!(states.len(), 1);
    let state = &states[0];
    assert!(state.failed_at.is_some() && state.sent_at.is_none() && state.lease_until.is_none(), "{state:?}");
    assert_eq!(state.last_error.as_deref(), Some("recipient refused"));
    assert_eq!(state.attempts, 1);
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_local_mailbox_refuses_fail_test_with_the_contract_reason() -> anyhow::Result<()> {
    let setup = Setup::new()?;
    let mailbox_mailer = LocalMailbox::new(setup.pool().clone(), Arc::new(ServiceClock::System));
    match mailbox_mailer.send(&email("x@fail.test", "refused")?).await {
        Err(SendError::Refused { reason }) => assert_eq!(reason, "recipient refused"),
        other => anyhow::bail!("expected a refusal, got {other:?}"),
    }
    // Only that domain: a subdomain or a look-alike is delivered.
    mailbox_mailer.send(&email("x@mail.fail.test", "delivered")?).await?;
    mailbox_mailer.send(&email("x@notfail.test", "delivered too")?).await?;
    assert_eq!(mailbox(setup.pool(), None).await?.len(), 2);
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn two_runners_deliver_each_email_exactly_once() -> anyhow::Result<()> {
    let setup = Setup::new()?;
    let (first, second) = (setup.ctx.clone(), setup.second_context()?);
    let emails: Vec<OutgoingEmail> = (0..60)
        .map(|i| email(&format!("user{}@example.com", i % 7), &format!("email {i}")))
        .collect::<Result<_, _>>()?;
    queue_committed(&first, emails).await?;

    let (first_job, second_job) = (local_outbox(&first), local_outbox(&second));
    let mut delivered = 0;
    for _ in 0..5 {
        let (a, b) = tokio::join!(first_job.run(&first), second_job.run(&second));
        delivered += a? + b?;
    }
    assert_eq!(delivered, 60);
    let messages = mailbox(&first.pool, None).await?;
    assert_eq!(messages.len(), 60);
    let subjects: HashSet<&str> = messages.iter().map(|m| m.subject.as_str()).collect();
    assert_eq!(subjects.len(), 60);
    // Each row was taken once: one attempt, sent, released.
    for state in outbox_states(&first.pool).await? {
        assert_eq!(state.attempts, 1, "{state:?}");
        assert!(state.sent_at.is_some() && state.lease_until.is_none(), "{state:?}");
    }
    Ok(())
}

/// A transport that is always down.
struct Unreachable(AtomicUsize);

impl Mailer for Unreachable {
    fn send<'a>(&'a self, _email: &'a OutgoingEmail) -> BoxFuture<'a, Result<(), SendError>> {
        self.0.fetch_add(1, Ordering::SeqCst);
        async { Err(SendError::Failed(anyhow::anyhow!("connection refused"))) }.boxed()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_transport_is_retried_on_the_schedule_then_given_up() -> anyhow::Result<()> {
    let setup = Setup::new()?;
    let clock = Arc::new(with_connection(setup.pool(), ServiceClock::manual).await?);
    let ctx = context(setup.pool().clone(), Arc::clone(&clock));
    let advance = |by: TimeDelta| {
        let clock = Arc::clone(&clock);
        with_connection(setup.pool(), move |conn| clock.advance(conn, by))
    };
    let transport = Arc::new(Unreachable(AtomicUsize::new(0)));
    let job = EmailOutbox::new(Arc::clone(&transport) as Arc<dyn Mailer>);
    queue_committed(&ctx, vec![email("ada@example.com", "retried")?]).await?;

    let waits = [1, 5, 30, 120, 360].map(TimeDelta::minutes);
    for (done, wait) in waits.iter().enumerate() {
        let before = clock.now();
        assert_eq!(job.run(&ctx).await?, 0);
        let after = clock.now();
        let states = outbox_states(&ctx.pool).await?;
        let state = &states[0];
        assert_eq!(state.attempts, i32::try_from(done + 1)?);
        assert!(state.lease_until.is_none() && state.failed_at.is_none(), "{state:?}");
        assert!(state.last_error.as_deref().is_some_and(|e| e.contains("connection refused")), "{state:?}");
        let due = state.next_attempt_at.and_utc();
        assert!(before + *wait <= due + TimeDelta::milliseconds(1) && due <= after + *wait, "{state:?}");
        // Not due before its time.
        advance(*wait - TimeDelta::seconds(1)).await?;
        assert_eq!(job.run(&ctx).await?, 0);
        assert_eq!(transport.0.load(Ordering::SeqCst), done + 1);
        advance(TimeDelta::seconds(1)).await?;
    }
    assert_eq!(job.run(&ctx).await?, 0);
    assert_eq!(transport.0.load(Ordering::SeqCst), 6);
    let states = outbox_states(&ctx.pool).await?;
    assert!(states[0].failed_at.is_some() && states[0].sent_at.is_none(), "{:?}", states[0]);
    advance(TimeDelta::days(2)).await?;
    assert_eq!(job.run(&ctx).await?, 0);
    assert_eq!(transport.0.load(Ordering::SeqCst), 6);
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn an_email_leased_by_a_runner_that_died_is_sent_after_the_lease() -> anyhow::Result<()> {
    let setup = Setup::new()?;
    let clock = Arc::new(with_connection(setup.pool(), ServiceClock::manual).await?);
    let ctx = context(setup.pool().clone(), Arc::clone(&clock));
    queue_committed(&ctx, vec![email("ada@example.com", "after the lease")?]).await?;
    // What a runner leaves behind when it dies after taking the email.
    let lease_until = (clock.now() + TimeDelta::minutes(5)).naive_utc();
    with_connection(&ctx.pool, move |conn| -> anyhow::Result<usize> {
        Ok(diesel::update(email_outbox::table)
            .set((email_outbox::lease_until.eq(lease_until), email_outbox::attempts.eq(1)))
            .execute(conn)?)
    })
    .await?;

    let job = local_outbox(&ctx);
    assert_eq!(job.run(&ctx).await?, 0);
    let clock_for_advance = Arc::clone(&clock);
    with_connection(&ctx.pool, move |conn| clock_for_advance.advance(conn, TimeDelta::minutes(5))).await?;
    assert_eq!(job.run(&ctx).await?, 1);
    assert_eq!(mailbox(&ctx.pool, None).await?.len(), 1);
    assert_eq!(outbox_states(&ctx.pool).await?[0].attempts, 2);
    Ok(())
}

/// A transport that takes two minutes per email (on the manual clock) and keeps what it was given.
struct Slow {
    pool: Pool,
    clock: Arc<ServiceClock>,
    subjects: std::sync::Mutex<Vec<String>>,
}

impl Mailer for Slow {
    fn send<'a>(&'a self, email: &'a OutgoingEmail) -> BoxFuture<'a, Result<(), SendError>> {
        async move {
            let clock = Arc::clone(&self.clock);
            with_connection(&self.pool, move |conn| clock.advance(conn, TimeDelta::minutes(2)))
                .await
                .map_err(SendError::Failed)?;
            self.subjects
                .lock()
                .map_err(|_| SendError::Failed(anyhow::anyhow!("poisoned")))?
                .push(email.subject.clone());
            Ok(())
        }
        .boxed()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_run_starts_no_send_its_lease_could_not_cover_and_releases_the_rest() -> anyhow::Result<()> {
    let setup = Setup::new()?;
    let clock = Arc::new(with_connection(setup.pool(), ServiceClock::manual).await?);
    let ctx = context(setup.pool().clone(), Arc::clone(&clock));
    for subject in ["one", "two", "three"] {
        queue_committed(&ctx, vec![email("ada@example.com", subject)?]).await?;
    }
    let transport = Arc::new(Slow { pool: ctx.pool.clone(), clock: Arc::clone(&clock), subjects: Default::default() });
    let job = EmailOutbox::new(Arc::clone(&transport) as Arc<dyn Mailer>);

    // A 5-minute lease, 2 minutes a send: the third would start 4 minutes in, too late.
    assert_eq!(job.run(&ctx).await?, 2);
    let states = outbox_states(&ctx.pool).await?;
    let released = &states[2];
    assert!(released.lease_until.is_none() && released.sent_at.is_none() && released.failed_at.is_none());
    assert_eq!(released.attempts, 0);
    assert_eq!(job.run(&ctx).await?, 1);
    let subjects = transport.subjects.lock().map_err(|_| anyhow::anyhow!("poisoned"))?.clone();
    assert_eq!(subjects, ["one", "two", "three"]);
    Ok(())
}
