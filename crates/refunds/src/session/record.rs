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

store::prepared_session_rows!(refund_sessions, StoredSession);
