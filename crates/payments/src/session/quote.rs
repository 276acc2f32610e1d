//! Quotes (flows.md section 7): a rate and the amounts it gives, frozen for `QUOTE_TTL`, with ids issued in
//! sequence by the database.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use kernel::{Currency, Money};
use serde::{Deserialize, Serialize};
use store::schema::quotes;
use store::{DbConnection, DbError};

use crate::{PaymentAmounts, PaymentType};

/// A quote's amounts as stored: integer minor units, the rates as decimal text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotedAmounts {
    pub payer_sub: i64,
    pub payer_fee: i64,
    pub payer_total: i64,
    pub beneficiary_sub: i64,
    pub beneficiary_fee: i64,
    pub beneficiary_total: i64,
    pub inverted_rate: String,
    pub international: bool,
    pub savings: Option<i64>,
}

impl From<&PaymentAmounts> for QuotedAmounts {
    fn from(amounts: &PaymentAmounts) -> Self {
        Self {
            payer_sub: amounts.payer_sub.minor_units(),
            payer_fee: amounts.payer_fee.minor_units(),
            payer_total: amounts.payer_total.minor_units(),
            beneficiary_sub: amounts.beneficiary_sub.minor_units(),
            beneficiary_fee: amounts.beneficiary_fee.minor_units(),
            beneficiary_total: amounts.beneficiary_total.minor_units(),
            inverted_rate: amounts.inverted_rate.to_string(),
            international: amounts.payment_type == PaymentType::International,
            savings: amounts.savings.map(Money::minor_units),
        }
    }
}

/// Records a quote of `amounts` taken at `now`, live until `expires_at`; answers its id.
pub(crate) fn take_quote(
    conn: &mut DbConnection,
    (payer_currency, beneficiary_currency): (Currency, Currency),
    amounts: &PaymentAmounts,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> anyhow::Result<i64> {
    let stored = serde_json::to_string(&QuotedAmounts::from(amounts))?;
    let id: Result<i64, DbError> = diesel::insert_into(quotes::table)
        .values((
            quotes::payer_currency.eq(payer_currency.code()),
            quotes::beneficiary_currency.eq(beneficiary_currency.code()),
            quotes::rate.eq(amounts.rate.to_string()),
            quotes::amounts.eq(stored),
            quotes::created_at.eq(now.naive_utc()),
            quotes::expires_at.eq(expires_at.naive_utc()),
        ))
        .returning(quotes::id)
        .get_result(conn);
    Ok(id?)
}
