//! testWebhook: one signed test event posted at once to one of the account's webhooks, never retried.

use diesel::prelude::*;
use kernel::{AccountId, Clock, new_id, with_connection, with_transaction};
use serde_json::{Map, Value, json};
use store::Pool;
use store::schema::{webhook_deliveries, webhooks};

use crate::attempt::{attempt, target};
use crate::deliveries::{DeliveryStatus, count_for_webhook, store_attempt};
use crate::{AttemptFailure, SecretBox, Sender, WebhooksConfig, WebhooksError};

/// What testWebhook answers: the payload sent, and the endpoint's status and answer.
#[derive(Debug, Clone, PartialEq)]
pub struct TestAnswer {
    pub payload: Value,
    pub status: u16,
    /// The first 64 KiB of the answer, as text.
    pub body: String,
}

/// The documented test event's own claims, the same in every test.
fn test_claims() -> Map<String, Value> {
    [
        ("paymentId", json!("aaa111bbb222ccc333")),
        ("amount", json!(590.27)),
        ("currency", json!("USD")),
        ("description", json!("A unique identifier or order number goes here")),
        ("status", json!("TEST")),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .collect()
}

/// testWebhook, its rules in the page's order: a webhook of the account (I-2201), public addresses (I-2205),
/// then one attempt (I-2202w on any failure). The attempt is stored as a delivery; a success makes the webhook
/// active again and clears its count of failed deliveries, a failure does not count towards disabling it.
pub async fn test_webhook(
    pool: &Pool,
    clock: &dyn Clock,
    (config, sender, keys): (&WebhooksConfig, &Sender, &SecretBox),
    account_id: &AccountId,
    webhook_id: &str,
) -> Result<TestAnswer, WebhooksError> {
    let (account, id) = (account_id.clone(), webhook_id.to_owned());
    let owned: bool = with_connection(pool, move |conn| -> Result<bool, WebhooksError> {
        let found: i64 = webhooks::table
            .filter(webhooks::id.eq(&id))
            .filter(webhooks::account_id.eq(&account))
            .count()
            .get_result(conn)?;
        Ok(found == 1)
    })
    .await?;
    if !owned {
        return Err(WebhooksError::NoSuchWebhook);
    }
    let target = target(pool, keys, webhook_id).await?.ok_or(WebhooksError::NoSuchWebhook)?;
    if sender.check_target(&target.url).await == Err(AttemptFailure::Private) {
        return Err(WebhooksError::PrivateTarget);
    }
    let now = clock.now();
    let event_id = new_id();
    let payload = crate::events::payload(&event_id, account_id.as_str(), "test", test_claims(), now);
    let delivery_id = new_id();
    let answer = attempt(sender, clock, &target, "test", &delivery_id, &payload).await?;
    let status = if answer.failure.is_none() { DeliveryStatus::Delivered } else { DeliveryStatus::Failed };
    let (stored, config, webhook, at) = (answer.clone(), config.clone(), webhook_id.to_owned(), clock.now());
    let payload_text = payload.to_string();
    with_transaction(pool, move |tx| -> Result<(), WebhooksError> {
        tx.lock_rows::<webhooks::table>(&[webhook.as_str()])?;
        diesel::insert_into(webhook_deliveries::table)
            .values((
                webhook_deliveries::id.eq(&delivery_id),
                webhook_deliveries::webhook_id.eq(&webhook),
                webhook_deliveries::event_id.eq(&event_id),
                webhook_deliveries::event.eq("test"),
                webhook_deliveries::payload.eq(&payload_text),
                webhook_deliveries::status.eq(status),
                webhook_deliveries::attempts.eq(1),
                webhook_deliveries::last_attempt_at.eq(at.naive_utc()),
                webhook_deliveries::created_at.eq(now.naive_utc()),
            ))
            .execute(tx.conn())?;
        store_attempt(tx.conn(), &delivery_id, &stored, at)?;
        if status == DeliveryStatus::Delivered {
            diesel::update(webhooks::table.find(&webhook)).set(webhooks::active.eq(true)).execute(tx.conn())?;
            count_for_webhook(tx, &config, &webhook, status)?;
        }
        Ok(())
    })
    .await?;
    match answer.failure {
        None => Ok(TestAnswer { payload, status: answer.status.unwrap_or_default(), body: answer.body }),
        Some(AttemptFailure::Private) => Err(WebhooksError::PrivateTarget),
        Some(failure) => Err(WebhooksError::TestFailed(failure)),
    }
}
