//! Webhooks (providers.md section 8). Today: the event outbox. A domain records what happened to an account
//! with [`record_event`] inside the transaction that made the change, so a rolled-back change leaves no
//! event and a committed one is never lost; delivery to the account's endpoints comes with the Webhooks issue.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use kernel::{AccountId, new_id};
use serde_json::{Map, Value};
use store::schema::events;
use store::{DbError, Tx};

/// The event types of providers.md section 8 that a domain records today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    AccountStatusChanged,
}

impl EventType {
    pub fn name(self) -> &'static str {
        match self {
            Self::AccountStatusChanged => "account.status_changed",
        }
    }
}

/// Records an event for `account`'s webhooks with its event-specific claims, inside the caller's transaction.
/// The common claims (`sub`, `iat`, `jti`, `event`, `accountId`) are added at delivery from the row itself.
pub fn record_event(
    tx: &mut Tx<'_>,
    account: &AccountId,
    event: EventType,
    claims: Map<String, Value>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::insert_into(events::table)
        .values((
            events::id.eq(new_id()),
            events::account_id.eq(account),
            events::event.eq(event.name()),
            events::claims.eq(Value::Object(claims).to_string()),
            events::created_at.eq(now.naive_utc()),
        ))
        .execute(tx.conn())
        .map(|_| ())
}
