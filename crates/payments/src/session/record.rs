use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use diesel::prelude::*;
use kernel::{AccountId, Currency, LoginId};
use store::schema::payment_sessions;
use store::{DbConnection, DbError};

kernel::stored_enum! {
    /// Where a payment's money comes from.
    pub enum FundingKind {
        /// The payer account's preferred bank account at creation.
        BankAccount = "BANK_ACCOUNT",
        /// The payer account's funding balance in the payer currency.
        FundingBalance = "FUNDING_BALANCE",
    }
}

kernel::stored_enum! {
    /// How the payer named the beneficiary.
    pub enum NamedBy {
        Email = "EMAIL",
        Handle = "HANDLE",
    }
}

/// A payment session as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = payment_sessions)]
pub(crate) struct StoredSession {
    pub session_key: String,
    pub id: String,
    pub login_id: LoginId,
    pub account_id: AccountId,
    pub payer_currency: Currency,
    pub funding_source: FundingKind,
    pub funding_bank_account_id: Option<String>,
    /// `None` for a payment to an email no login has (claim payments): `named_as` is the address.
    pub beneficiary_account_id: Option<AccountId>,
    pub beneficiary_currency: Currency,
    pub named_by: NamedBy,
    pub named_as: String,
    /// What updatePaymentSession defined, as JSON ([`crate::session::define::Definition`]); `None` until priced.
    pub definition: Option<String>,
    /// The quote the definition was priced with.
    pub quote_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub used_at: NaiveDateTime,
    /// The payment request this session pays (createPaymentForRequestSession); `None` for createPaymentSession.
    pub payment_request_id: Option<String>,
}

/// Replaces the login session's payment session by `session`, and sweeps the payment sessions of any login
/// session that have been idle past `ttl` (their login sessions may be long gone).
pub(crate) fn replace(
    conn: &mut DbConnection,
    session: &StoredSession,
    ttl: TimeDelta,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::delete(payment_sessions::table.filter(payment_sessions::used_at.lt((now - ttl).naive_utc())))
        .execute(conn)?;
    delete(conn, &session.session_key)?;
    diesel::insert_into(payment_sessions::table).values(session).execute(conn)?;
    Ok(())
}

/// Deletes the login session's payment session, if any.
pub(crate) fn delete(conn: &mut DbConnection, session_key: &str) -> Result<(), DbError> {
    diesel::delete(payment_sessions::table.find(session_key)).execute(conn)?;
    Ok(())
}

/// The login session's payment session, as long as it is live: made on the session's current account and used
/// within `ttl`. One left behind by an account switch or idle too long is deleted and answered as none.
pub(crate) fn live(
    conn: &mut DbConnection,
    session_key: &str,
    account_id: &AccountId,
    ttl: TimeDelta,
    now: DateTime<Utc>,
) -> Result<Option<StoredSession>, DbError> {
    let stored: Option<StoredSession> =
        payment_sessions::table.find(session_key).select(StoredSession::as_select()).first(conn).optional()?;
    let Some(stored) = stored else { return Ok(None) };
    if &stored.account_id != account_id || stored.used_at.and_utc() + ttl <= now {
        delete(conn, session_key)?;
        return Ok(None);
    }
    Ok(Some(stored))
}

/// Restarts the session's idle deadline.
pub(crate) fn touch(conn: &mut DbConnection, session_key: &str, now: DateTime<Utc>) -> Result<(), DbError> {
    diesel::update(payment_sessions::table.find(session_key))
        .set(payment_sessions::used_at.eq(now.naive_utc()))
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
    diesel::update(payment_sessions::table.find(session_key))
        .set((payment_sessions::definition.eq(definition), payment_sessions::quote_id.eq(quote_id)))
        .execute(conn)?;
    Ok(())
}
