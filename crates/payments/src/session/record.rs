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

store::prepared_session_rows!(payment_sessions, StoredSession);
