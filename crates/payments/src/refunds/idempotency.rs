//! Retrying a refund submit (README, "Retrying a submit"): the same `idempotency_keys` rows as payment
//! submits, the session id naming the refund session; the answer is the refunds crate's to shape.

use chrono::{DateTime, TimeDelta, Utc};
use kernel::LoginId;
use serde::Serialize;
use serde::de::DeserializeOwned;
use store::DbConnection;

use crate::PaymentsError;
use crate::session::{keep_as, kept_as};

/// The first answer kept for the login's key since `since`, with the id of the session it was for.
pub fn kept_refund_answer<T: DeserializeOwned>(
    conn: &mut DbConnection,
    login_id: &LoginId,
    key: &str,
    since: DateTime<Utc>,
) -> Result<Option<(Option<String>, T)>, PaymentsError> {
    kept_as(conn, login_id, key, since)
}

/// Keeps the first answer for the login's key, for the refund session `session_id`; the caller holds the key's
/// lock and found none kept. Keys older than `ttl` are swept.
pub fn keep_refund_answer<T: Serialize>(
    conn: &mut DbConnection,
    (login_id, key): (&LoginId, &str),
    session_id: Option<&str>,
    answer: &T,
    (now, ttl): (DateTime<Utc>, TimeDelta),
) -> Result<(), PaymentsError> {
    keep_as(conn, (login_id, key), session_id, answer, (now, ttl))
}
