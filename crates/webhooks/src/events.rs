//! The event outbox: a domain records what happened to an account inside the transaction that made the
//! change, so a rolled-back change leaves no event and a committed one is never lost. The delivery job sends
//! it later.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use kernel::{AccountId, new_id};
use serde_json::{Map, Value};
use store::schema::events;
use store::{DbError, Tx};

/// The event types of providers.md section 8 that a domain records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    AccountStatusChanged,
    PaymentReceived,
    PaymentStatusChanged,
    RefundReceived,
    RefundStatusChanged,
}

impl EventType {
    pub fn name(self) -> &'static str {
        match self {
            Self::AccountStatusChanged => "account.status_changed",
            Self::PaymentReceived => "payment.received",
            Self::PaymentStatusChanged => "payment.status_changed",
            Self::RefundReceived => "refund.received",
            Self::RefundStatusChanged => "refund.status_changed",
        }
    }
}

/// Records an event for `account`'s webhooks with its event-specific claims, inside the caller's transaction.
/// The common claims (`sub`, `iat`, `jti`, `event`, `accountId`) are added from the row itself.
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

/// The whole payload of an event as its receivers get it: the common claims, then the event's own.
pub(crate) fn payload(
    event_id: &str,
    account_id: &str,
    event: &str,
    claims: Map<String, Value>,
    created_at: DateTime<Utc>,
) -> Value {
    let mut payload = Map::new();
    payload.insert("sub".to_owned(), Value::from("borderless webhook"));
    payload.insert("iat".to_owned(), Value::from(created_at.timestamp()));
    payload.insert("jti".to_owned(), Value::from(event_id));
    payload.insert("event".to_owned(), Value::from(event));
    payload.insert("accountId".to_owned(), Value::from(account_id));
    for (name, value) in claims {
        payload.entry(name).or_insert(value);
    }
    Value::Object(payload)
}
