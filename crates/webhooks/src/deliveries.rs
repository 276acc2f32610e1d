//! Deliveries: one per event and active webhook, attempted until one attempt succeeds or the retry schedule
//! runs out, each attempt stored.

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use diesel::prelude::*;
use kernel::new_id;
use serde_json::{Map, Value};
use store::schema::{events, webhook_attempts, webhook_deliveries, webhooks};
use store::{DbConnection, DbError, Tx};

use crate::events::payload;
use crate::{AttemptAnswer, WebhooksConfig};

kernel::stored_enum! {
    /// Where a delivery stands.
    pub enum DeliveryStatus {
        /// Made, not attempted yet.
        Pending = "PENDING",
        /// An attempt got a 2xx answer.
        Delivered = "DELIVERED",
        /// The last attempt failed and another is scheduled.
        Retrying = "RETRYING",
        /// Given up.
        Failed = "FAILED",
    }
}

/// Most events one run dispatches, and most deliveries it attempts.
const BATCH: i64 = 50;

/// How long a taken delivery is left to the runner that took it; past it, another run takes it again.
pub(crate) const LEASE: TimeDelta = TimeDelta::minutes(5);

/// Makes the deliveries of up to [`BATCH`] events not yet dispatched, one per webhook of the event's account
/// that existed when the event happened and is active now. The UPDATE that marks an event dispatched decides: a second runner that picked the same event
/// marks nothing and makes nothing.
pub(crate) fn dispatch_events(tx: &mut Tx<'_>, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let ids: Vec<String> = events::table
        .filter(events::dispatched_at.is_null())
        .order((events::created_at.asc(), events::id.asc()))
        .limit(BATCH)
        .select(events::id)
        .load(tx.conn())?;
    if ids.is_empty() {
        return Ok(0);
    }
    let taken: Vec<(String, String, String, String, NaiveDateTime)> =
        diesel::update(events::table.filter(events::id.eq_any(&ids)).filter(events::dispatched_at.is_null()))
            .set(events::dispatched_at.eq(now.naive_utc()))
            .returning((events::id, events::account_id, events::event, events::claims, events::created_at))
            .get_results(tx.conn())?;
    let mut made = 0;
    for (event_id, account_id, event, claims, created_at) in taken {
        let claims: Map<String, Value> = serde_json::from_str(&claims)?;
        let payload = payload(&event_id, &account_id, &event, claims, created_at.and_utc()).to_string();
        let active: Vec<String> = webhooks::table
            .filter(webhooks::account_id.eq(&account_id))
            .filter(webhooks::active.eq(true))
            .filter(webhooks::created_at.le(created_at))
            .select(webhooks::id)
            .load(tx.conn())?;
        for webhook_id in active {
            made += insert_delivery(tx.conn(), &webhook_id, &event_id, &event, &payload, now)?;
        }
    }
    Ok(made)
}

fn insert_delivery(
    conn: &mut DbConnection,
    webhook_id: &str,
    event_id: &str,
    event: &str,
    payload: &str,
    now: DateTime<Utc>,
) -> Result<usize, DbError> {
    diesel::insert_into(webhook_deliveries::table)
        .values((
            webhook_deliveries::id.eq(new_id()),
            webhook_deliveries::webhook_id.eq(webhook_id),
            webhook_deliveries::event_id.eq(event_id),
            webhook_deliveries::event.eq(event),
            webhook_deliveries::payload.eq(payload),
            webhook_deliveries::status.eq(DeliveryStatus::Pending),
            webhook_deliveries::attempts.eq(0),
            webhook_deliveries::next_attempt_at.eq(now.naive_utc()),
            webhook_deliveries::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)
}

/// A delivery a run took.
#[derive(Debug, Clone)]
pub(crate) struct Leased {
    pub id: String,
    pub webhook_id: String,
    pub event: String,
    pub payload: String,
    /// The number of this attempt, 1 for the first.
    pub attempt: i32,
}

/// Deliveries due by `now`, leased or not (the job's backlog).
pub(crate) fn due_count(conn: &mut DbConnection, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let due: i64 = webhook_deliveries::table
        .filter(webhook_deliveries::status.eq_any([DeliveryStatus::Pending, DeliveryStatus::Retrying]))
        .filter(webhook_deliveries::next_attempt_at.le(now.naive_utc()))
        .count()
        .get_result(conn)?;
    Ok(usize::try_from(due)?)
}

/// Takes up to [`BATCH`] due deliveries of active webhooks for this run by giving them a lease; as the email
/// outbox does, the UPDATE states the whole "due and not leased" condition again and decides. The attempt is
/// counted only when its outcome is recorded, so a runner that dies holding a lease costs no attempt.
pub(crate) fn take_due(tx: &mut Tx<'_>, now: DateTime<Utc>) -> Result<Vec<Leased>, DbError> {
    let now_naive = now.naive_utc();
    let due = || {
        webhook_deliveries::status
            .eq_any([DeliveryStatus::Pending, DeliveryStatus::Retrying])
            .and(webhook_deliveries::next_attempt_at.le(now_naive))
            .and(webhook_deliveries::lease_until.is_null().or(webhook_deliveries::lease_until.le(now_naive)))
    };
    let ids: Vec<String> = webhook_deliveries::table
        .inner_join(webhooks::table)
        .filter(webhooks::active.eq(true))
        .filter(due())
        .order((webhook_deliveries::next_attempt_at.asc(), webhook_deliveries::id.asc()))
        .limit(BATCH)
        .select(webhook_deliveries::id)
        .load(tx.conn())?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(String, String, String, String, i32)> =
        diesel::update(webhook_deliveries::table.filter(webhook_deliveries::id.eq_any(&ids)).filter(due()))
            .set(webhook_deliveries::lease_until.eq((now + LEASE).naive_utc()))
            .returning((
                webhook_deliveries::id,
                webhook_deliveries::webhook_id,
                webhook_deliveries::event,
                webhook_deliveries::payload,
                webhook_deliveries::attempts,
            ))
            .get_results(tx.conn())?;
    Ok(rows
        .into_iter()
        .map(|(id, webhook_id, event, payload, done)| Leased { id, webhook_id, event, payload, attempt: done + 1 })
        .collect())
}

/// Hands deliveries this run took but did not attempt back, as if never taken.
pub(crate) fn release(conn: &mut DbConnection, ids: &[String]) -> Result<(), DbError> {
    diesel::update(
        webhook_deliveries::table
            .filter(webhook_deliveries::id.eq_any(ids))
            .filter(webhook_deliveries::status.eq_any([DeliveryStatus::Pending, DeliveryStatus::Retrying])),
    )
    .set(webhook_deliveries::lease_until.eq(None::<NaiveDateTime>))
    .execute(conn)?;
    Ok(())
}

/// Stores an attempt of a delivery.
pub(crate) fn store_attempt(
    conn: &mut DbConnection,
    delivery_id: &str,
    answer: &AttemptAnswer,
    at: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::insert_into(webhook_attempts::table)
        .values((
            webhook_attempts::id.eq(new_id()),
            webhook_attempts::delivery_id.eq(delivery_id),
            webhook_attempts::attempted_at.eq(at.naive_utc()),
            webhook_attempts::http_status.eq(answer.status.map(i32::from)),
            webhook_attempts::duration_ms.eq(i32::try_from(answer.duration.as_millis()).unwrap_or(i32::MAX)),
            webhook_attempts::response_body.eq(&answer.body),
            webhook_attempts::failure.eq(answer.failure.map(|failure| failure.reason())),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Records how the leased attempt went: DELIVERED, RETRYING at the schedule's next wait, or FAILED when the
/// schedule is used up. A delivery ending FAILED counts against its webhook, which becomes inactive after
/// `WEBHOOK_DISABLE_AFTER` in a row; a DELIVERED one clears the count. Only the first runner to record this
/// attempt writes: one whose lease ran out and whose attempt another runner made again writes nothing.
pub(crate) fn record_outcome(
    tx: &mut Tx<'_>,
    config: &WebhooksConfig,
    leased: &Leased,
    answer: &AttemptAnswer,
    at: DateTime<Utc>,
) -> Result<Option<DeliveryStatus>, DbError> {
    tx.lock_rows::<webhooks::table>(&[leased.webhook_id.as_str()])?;
    let wait = usize::try_from(leased.attempt - 1).ok().and_then(|done| config.retry_schedule.get(done));
    let (status, next_attempt_at) = match (answer.failure, wait) {
        (None, _) => (DeliveryStatus::Delivered, None),
        (Some(_), Some(wait)) => (DeliveryStatus::Retrying, Some((at + *wait).naive_utc())),
        (Some(_), None) => (DeliveryStatus::Failed, None),
    };
    let written = diesel::update(
        webhook_deliveries::table
            .find(&leased.id)
            .filter(webhook_deliveries::attempts.eq(leased.attempt - 1))
            .filter(webhook_deliveries::status.eq_any([DeliveryStatus::Pending, DeliveryStatus::Retrying])),
    )
    .set((
        webhook_deliveries::attempts.eq(leased.attempt),
        webhook_deliveries::status.eq(status),
        webhook_deliveries::next_attempt_at.eq(next_attempt_at),
        webhook_deliveries::lease_until.eq(None::<NaiveDateTime>),
        webhook_deliveries::last_attempt_at.eq(at.naive_utc()),
    ))
    .execute(tx.conn())?;
    if written == 0 {
        return Ok(None);
    }
    store_attempt(tx.conn(), &leased.id, answer, at)?;
    count_for_webhook(tx, config, &leased.webhook_id, status)?;
    Ok(Some(status))
}

/// Keeps the webhook's count of deliveries ending FAILED in a row, and makes it inactive at the limit.
pub(crate) fn count_for_webhook(
    tx: &mut Tx<'_>,
    config: &WebhooksConfig,
    webhook_id: &str,
    ended: DeliveryStatus,
) -> Result<(), DbError> {
    match ended {
        DeliveryStatus::Delivered => {
            diesel::update(webhooks::table.find(webhook_id)).set(webhooks::failed_in_a_row.eq(0)).execute(tx.conn())?;
        }
        DeliveryStatus::Failed => {
            let failed: i32 = diesel::update(webhooks::table.find(webhook_id))
                .set(webhooks::failed_in_a_row.eq(webhooks::failed_in_a_row + 1))
                .returning(webhooks::failed_in_a_row)
                .get_result(tx.conn())?;
            if u32::try_from(failed).unwrap_or(0) >= config.disable_after {
                deactivate(tx, webhook_id)?;
            }
        }
        DeliveryStatus::Pending | DeliveryStatus::Retrying => {}
    }
    Ok(())
}

/// Makes the webhook inactive; its deliveries still waiting for an attempt are given up.
pub(crate) fn deactivate(tx: &mut Tx<'_>, webhook_id: &str) -> Result<(), DbError> {
    diesel::update(webhooks::table.find(webhook_id)).set(webhooks::active.eq(false)).execute(tx.conn())?;
    diesel::update(
        webhook_deliveries::table
            .filter(webhook_deliveries::webhook_id.eq(webhook_id))
            .filter(webhook_deliveries::status.eq_any([DeliveryStatus::Pending, DeliveryStatus::Retrying])),
    )
    .set((
        webhook_deliveries::status.eq(DeliveryStatus::Failed),
        webhook_deliveries::next_attempt_at.eq(None::<NaiveDateTime>),
        webhook_deliveries::lease_until.eq(None::<NaiveDateTime>),
    ))
    .execute(tx.conn())?;
    Ok(())
}
