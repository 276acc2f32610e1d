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
    pub login_id: LoginId,
    pub account_id: AccountId,
    pub payer_currency: Currency,
    pub funding_source: FundingKind,
    pub funding_bank_account_id: Option<String>,
    pub beneficiary_account_id: AccountId,
    pub beneficiary_currency: Currency,
    pub named_by: NamedBy,
    pub named_as: String,
    pub created_at: NaiveDateTime,
    pub used_at: NaiveDateTime,
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
