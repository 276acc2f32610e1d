//! The account's webhooks: createWebhook, accountWebhooks, and what closing an account does to them.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use kernel::{AccountId, Clock, SecretString, new_id, with_connection, with_transaction};
use store::schema::{webhook_deliveries, webhooks};
use store::{DbError, Pool, Tx};

use crate::address::{Unreachable, resolve};
use crate::deliveries::{DeliveryStatus, deactivate};
use crate::endpoint::parse_endpoint;
use crate::{SecretBox, WebhooksConfig, WebhooksError};

/// A webhook as its account sees it; the secret is never part of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    pub id: String,
    pub endpoint: String,
    pub created_at: DateTime<Utc>,
    pub active: bool,
    /// The state and time of its most recently attempted delivery.
    pub last_delivery: Option<(DeliveryStatus, DateTime<Utc>)>,
}

/// What createWebhook answers: the webhook's id and its secret, shown this once.
#[derive(Debug)]
pub struct CreatedWebhook {
    pub id: String,
    pub secret: SecretString,
}

/// Refuses a change of a closed account (I-4430), under a lock on its row.
fn require_open(tx: &mut Tx<'_>, account_id: &AccountId) -> Result<(), WebhooksError> {
    match kernel::locked_account_status(tx, account_id)? {
        Some(status) if status.is_closed() => Err(WebhooksError::AccountDisabled),
        Some(_) => Ok(()),
        None => Err(WebhooksError::SessionGone),
    }
}

/// createWebhook, its rules in the page's order: an open account, a valid URL (https unless private targets
/// are allowed) whose every address is public, and a free slot. A URL the account has already is renewed (new
/// secret, active again) instead of added twice.
pub async fn create_webhook(
    pool: &Pool,
    clock: &dyn Clock,
    config: &WebhooksConfig,
    keys: &SecretBox,
    account_id: &AccountId,
    endpoint: &str,
) -> Result<CreatedWebhook, WebhooksError> {
    let account = account_id.clone();
    with_transaction(pool, move |tx| require_open(tx, &account)).await?;
    let url = parse_endpoint(endpoint, config.allow_private_targets)?;
    if !config.allow_private_targets {
        let host = url.host_str().unwrap_or_default();
        match resolve(host, url.port_or_known_default().unwrap_or(443), false).await {
            Ok(_) => {}
            Err(Unreachable::NotFound) => return Err(WebhooksError::HostNotFound),
            Err(Unreachable::NotPublic) => return Err(WebhooksError::PrivateTarget),
        }
    }
    let secret = SecretString::from(uuid::Uuid::new_v4().to_string());
    let now = clock.now();
    let (account, keys, max) = (account_id.clone(), keys.clone(), i64::from(config.max_per_account));
    let endpoint = url.as_str().to_owned();
    let sealing = secret.clone();
    let id = with_transaction(pool, move |tx| {
        require_open(tx, &account)?;
        let known: Option<(String, bool)> = webhooks::table
            .filter(webhooks::account_id.eq(&account))
            .filter(webhooks::endpoint.eq(&endpoint))
            .select((webhooks::id, webhooks::active))
            .first(tx.conn())
            .optional()?;
        let active: i64 = webhooks::table
            .filter(webhooks::account_id.eq(&account))
            .filter(webhooks::active.eq(true))
            .count()
            .get_result(tx.conn())?;
        let needs_slot = !matches!(known, Some((_, true)));
        if needs_slot && active >= max {
            return Err(WebhooksError::TooManyWebhooks);
        }
        let id = known.map_or_else(new_id, |(id, _)| id);
        let sealed = keys.seal(&id, &sealing)?;
        let renewed = diesel::update(webhooks::table.find(&id))
            .set((webhooks::sealed_secret.eq(&sealed), webhooks::active.eq(true), webhooks::failed_in_a_row.eq(0)))
            .execute(tx.conn())?;
        if renewed == 0 {
            diesel::insert_into(webhooks::table)
                .values((
                    webhooks::id.eq(&id),
                    webhooks::account_id.eq(&account),
                    webhooks::endpoint.eq(&endpoint),
                    webhooks::sealed_secret.eq(&sealed),
                    webhooks::active.eq(true),
                    webhooks::failed_in_a_row.eq(0),
                    webhooks::created_at.eq(now.naive_utc()),
                ))
                .execute(tx.conn())?;
        }
        Ok::<_, WebhooksError>(id)
    })
    .await?;
    Ok(CreatedWebhook { id, secret })
}

/// accountWebhooks: every webhook of the account, active or not, oldest first.
pub async fn account_webhooks(pool: &Pool, account_id: &AccountId) -> Result<Vec<Webhook>, WebhooksError> {
    let account = account_id.clone();
    with_connection(pool, move |conn| {
        let rows: Vec<(String, String, NaiveDateTime, bool)> = webhooks::table
            .filter(webhooks::account_id.eq(&account))
            .order((webhooks::created_at.asc(), webhooks::id.asc()))
            .select((webhooks::id, webhooks::endpoint, webhooks::created_at, webhooks::active))
            .load(conn)?;
        let mut listed = Vec::with_capacity(rows.len());
        for (id, endpoint, created_at, active) in rows {
            let last: Option<(DeliveryStatus, Option<NaiveDateTime>)> = webhook_deliveries::table
                .filter(webhook_deliveries::webhook_id.eq(&id))
                .filter(webhook_deliveries::last_attempt_at.is_not_null())
                .order((webhook_deliveries::last_attempt_at.desc(), webhook_deliveries::id.desc()))
                .select((webhook_deliveries::status, webhook_deliveries::last_attempt_at))
                .first(conn)
                .optional()?;
            let last_delivery = last.and_then(|(status, at)| at.map(|at| (status, at.and_utc())));
            listed.push(Webhook { id, endpoint, created_at: created_at.and_utc(), active, last_delivery });
        }
        Ok(listed)
    })
    .await
}

/// A closed account's webhooks become inactive (flows.md section 2), in the transaction that closes it.
pub fn close_account_webhooks(tx: &mut Tx<'_>, account_id: &AccountId) -> Result<(), DbError> {
    let ids: Vec<String> = webhooks::table
        .filter(webhooks::account_id.eq(account_id))
        .filter(webhooks::active.eq(true))
        .select(webhooks::id)
        .load(tx.conn())?;
    for id in ids {
        deactivate(tx, &id)?;
    }
    Ok(())
}
