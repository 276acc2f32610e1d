use std::sync::Arc;

use chrono::TimeDelta;
use futures_util::FutureExt;
use futures_util::future::{BoxFuture, join_all};
use kernel::{Clock, Job, JobContext, with_connection, with_transaction};

use crate::attempt::{attempt, target};
use crate::deliveries::{DeliveryStatus, LEASE, Leased, dispatch_events, record_outcome, release, take_due};
use crate::{SecretBox, Sender, WebhooksConfig};

/// Attempts sent at once by one run.
const PARALLEL: usize = 8;

/// Lease time left below which a run starts no further attempts, so that no attempt outlasts the lease.
const LEASE_MARGIN: TimeDelta = TimeDelta::minutes(2);

/// The webhook delivery job (`webhook_deliveries`): turns new events into deliveries, one per active webhook
/// of their account, then attempts every delivery that is due, records each attempt and schedules the retry.
///
/// Each attempt is sent by one runner: a run leases what it takes; a runner that dies leaves its leases to run
/// out, after which the deliveries are taken again (an attempt may then be sent twice; receivers drop
/// duplicates by `jti`).
#[derive(Debug, Default, Clone, Copy)]
pub struct WebhookDeliveries;

impl Job for WebhookDeliveries {
    fn name(&self) -> &'static str {
        "webhook_deliveries"
    }

    /// The number of deliveries this run delivered.
    fn run<'a>(&'a self, ctx: &'a JobContext) -> BoxFuture<'a, anyhow::Result<usize>> {
        async move {
            let config = ctx.services.shared::<WebhooksConfig>()?;
            let sender = ctx.services.shared::<Sender>()?;
            let keys = ctx.services.shared::<SecretBox>()?;
            let now = ctx.clock.now();
            with_transaction(&ctx.pool, move |tx| dispatch_events(tx, now)).await?;
            let leased = with_transaction(&ctx.pool, move |tx| -> anyhow::Result<_> { Ok(take_due(tx, now)?) }).await?;
            let stop_at = now + LEASE - LEASE_MARGIN;
            let mut delivered = 0;
            let mut batches = leased.chunks(PARALLEL);
            while let Some(batch) = batches.next() {
                if ctx.clock.now() >= stop_at {
                    let rest: Vec<String> = batch.iter().chain(batches.flatten()).map(|d| d.id.clone()).collect();
                    tracing::warn!(left = rest.len(), "webhook deliveries run out of lease time; releasing the rest");
                    with_connection(&ctx.pool, move |conn| -> anyhow::Result<()> { Ok(release(conn, &rest)?) }).await?;
                    break;
                }
                let attempts = batch.iter().map(|leased| deliver(ctx, &config, &sender, &keys, leased));
                for (outcome, leased) in join_all(attempts).await.into_iter().zip(batch) {
                    match outcome {
                        Ok(status) => delivered += usize::from(status == Some(DeliveryStatus::Delivered)),
                        // Not one delivery's trouble (a secret that no longer opens, the database) holds up
                        // the others; its lease runs out and it is taken again.
                        Err(error) => tracing::error!(delivery = %leased.id, "webhook delivery failed: {error:#}"),
                    }
                }
            }
            Ok(delivered)
        }
        .boxed()
    }

    /// Deliveries due now (their first attempt or a retry), leased ones included.
    fn backlog<'a>(&'a self, ctx: &'a JobContext) -> BoxFuture<'a, anyhow::Result<Option<usize>>> {
        async move {
            let now = ctx.clock.now();
            Ok(Some(with_connection(&ctx.pool, move |conn| crate::deliveries::due_count(conn, now)).await?))
        }
        .boxed()
    }
}

/// One attempt of a leased delivery, and its outcome recorded.
async fn deliver(
    ctx: &JobContext,
    config: &Arc<WebhooksConfig>,
    sender: &Sender,
    keys: &SecretBox,
    leased: &Leased,
) -> anyhow::Result<Option<DeliveryStatus>> {
    let target = target(&ctx.pool, keys, &leased.webhook_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the webhook of delivery {} is gone", leased.id))?;
    let payload: serde_json::Value = serde_json::from_str(&leased.payload)?;
    let answer = attempt(sender, ctx.clock.as_ref(), &target, &leased.event, &leased.id, &payload).await?;
    if let Some(failure) = answer.failure {
        tracing::info!(delivery = %leased.id, attempt = leased.attempt, reason = failure.reason(), status = ?answer.status, "webhook attempt failed");
    }
    let (config, leased, at) = (config.clone(), leased.clone(), ctx.clock.now());
    with_transaction(&ctx.pool, move |tx| -> anyhow::Result<_> {
        Ok(record_outcome(tx, &config, &leased, &answer, at)?)
    })
    .await
}
