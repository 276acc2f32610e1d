//! The refund session as stored (table `refund_sessions`), found by the login session's key.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta, Utc};
use diesel::prelude::*;
use kernel::{AccountId, Currency, LoginId};
use payments::QuoteBasis;
use payments::refunds::{RefundReason, RefundType};
use serde::{Deserialize, Serialize};
use store::schema::refund_sessions;
use store::{DbConnection, DbError};

/// A refund session as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = refund_sessions)]
pub(crate) struct StoredSession {
    pub session_key: String,
    pub id: String,
    pub login_id: LoginId,
    /// The refunding account.
    pub account_id: AccountId,
    pub original_payment_id: String,
    pub payer_currency: Currency,
    pub funding_bank_account_id: String,
    /// The original payer's account.
    pub beneficiary_account_id: AccountId,
    pub beneficiary_currency: Currency,
    /// What updateRefundSession defined, as JSON ([`Definition`]); `None` until priced.
    pub definition: Option<String>,
    /// The quote the definition was priced with.
    pub quote_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub used_at: NaiveDateTime,
}

/// A refund session's definition as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Definition {
    /// Minor units, in the beneficiary currency for basis BENEFICIARY, in the payer's for PAYER.
    pub amount: i64,
    pub quote_basis: QuoteBasis,
    pub description: String,
    pub message: Option<String>,
    pub value_date: NaiveDate,
    pub reason: RefundReason,
    pub refund_type: RefundType,
}

impl StoredSession {
    /// The definition and quote id, once priced.
    pub fn priced(&self) -> Result<Option<(Definition, i64)>, anyhow::Error> {
        let (Some(definition), Some(quote_id)) = (&self.definition, self.quote_id) else { return Ok(None) };
        Ok(Some((serde_json::from_str(definition)?, quote_id)))
    }
}

/// Replaces the login session's refund session by `session`, and sweeps the refund sessions of any login
/// session idle past `ttl` (their login sessions may be long gone).
pub(crate) fn replace(
    conn: &mut DbConnection,
    session: &StoredSession,
    ttl: TimeDelta,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::delete(refund_sessions::table.filter(refund_sessions::used_at.lt((now - ttl).naive_utc())))
        .execute(conn)?;
    delete(conn, &session.session_key)?;
    diesel::insert_into(refund_sessions::table).values(session).execute(conn)?;
    Ok(())
}

/// Deletes the login session's refund session, if any.
pub(crate) fn delete(conn: &mut DbConnection, session_key: &str) -> Result<(), DbError> {
    diesel::delete(refund_sessions::table.find(session_key)).execute(conn)?;
    Ok(())
}

/// The login session's refund session, as long as it is live: made on the session's current account and used
/// within `ttl`. One left behind by an account switch or idle too long is deleted and answered as none.
pub(crate) fn live(
    conn: &mut DbConnection,
    session_key: &str,
    account_id: &AccountId,
    ttl: TimeDelta,
    now: DateTime<Utc>,
) -> Result<Option<StoredSession>, DbError> {
    let stored: Option<StoredSession> =
        refund_sessions::table.find(session_key).select(StoredSession::as_select()).first(conn).optional()?;
    let Some(stored) = stored else { return Ok(None) };
    if &stored.account_id != account_id || stored.used_at.and_utc() + ttl <= now {
        delete(conn, session_key)?;
        return Ok(None);
    }
    Ok(Some(stored))
}

/// Restarts the session's idle deadline.
pub(crate) fn touch(conn: &mut DbConnection, session_key: &str, now: DateTime<Utc>) -> Result<(), DbError> {
    diesel::update(refund_sessions::table.find(session_key))
        .set(refund_sessions::used_at.eq(now.naive_utc()))
        .execute(conn)?;
    Ok(())
}

/// Stores a new definition and its quote.
pub(crate) fn price(
    conn: &mut DbConnection,
    session_key: &str,
    definition: &str,
    quote_id: i64,
) -> Result<(), DbError> {
    diesel::update(refund_sessions::table.find(session_key))
        .set((refund_sessions::definition.eq(definition), refund_sessions::quote_id.eq(quote_id)))
        .execute(conn)?;
    Ok(())
}
