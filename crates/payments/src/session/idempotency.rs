//! Retrying a submit (README, "Retrying a submit"): the first answer a login got for an `Idempotency-Key` is
//! kept, and a submit with the same key gets it again instead of running.

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use diesel::prelude::*;
use kernel::{Currency, LoginId};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use store::DbConnection;
use store::schema::idempotency_keys;

use super::submit::{PaymentSide, SubmittedPayment, side};
use crate::{PaymentEntryStatus, PaymentsError, Rate};

/// A first answer as kept: the payment made, or the contract code of the refusal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
pub(crate) enum KeptAnswer {
    Made(Box<KeptPayment>),
    Refused { refusal: KeptRefusal },
}

/// A payment made, as kept: amounts in minor units, currencies and the rate as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct KeptPayment {
    id: String,
    payer_currency: String,
    payer: (i64, i64, i64),
    beneficiary_currency: String,
    beneficiary: (i64, i64, i64),
    rate: String,
    description: String,
    email_message: Option<String>,
    value_date: NaiveDate,
    trade_number: String,
    status: PaymentEntryStatus,
    #[serde(default)]
    redirect_url: Option<String>,
}

fn minor(side: &PaymentSide) -> (i64, i64, i64) {
    (side.sub.minor_units(), side.fee.minor_units(), side.total.minor_units())
}

fn kept_side(currency: &str, amounts: (i64, i64, i64)) -> Result<PaymentSide, PaymentsError> {
    let currency = Currency::from_str(currency).map_err(|_| anyhow::anyhow!("kept currency {currency:?}"))?;
    side(currency, amounts)
}

/// The refusals of a submit a retry gets again. An internal error is not kept, so a retry runs again; nor is
/// I-4760, which is about the retry itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum KeptRefusal {
    SessionGone,
    SessionNotSubmittable,
    QuoteExpired,
    DateInPast,
    AccountDisabled,
    CannotPay,
    RecipientClosed,
    RecipientCannotReceive,
}

impl KeptRefusal {
    pub fn of(error: &PaymentsError) -> Option<Self> {
        Some(match error {
            PaymentsError::SessionGone => Self::SessionGone,
            PaymentsError::SessionNotSubmittable => Self::SessionNotSubmittable,
            PaymentsError::QuoteExpired => Self::QuoteExpired,
            PaymentsError::DateInPast => Self::DateInPast,
            PaymentsError::AccountDisabled => Self::AccountDisabled,
            PaymentsError::CannotPay => Self::CannotPay,
            PaymentsError::RecipientClosed => Self::RecipientClosed,
            PaymentsError::RecipientCannotReceive => Self::RecipientCannotReceive,
            _ => return None,
        })
    }

    fn error(self) -> PaymentsError {
        match self {
            Self::SessionGone => PaymentsError::SessionGone,
            Self::SessionNotSubmittable => PaymentsError::SessionNotSubmittable,
            Self::QuoteExpired => PaymentsError::QuoteExpired,
            Self::DateInPast => PaymentsError::DateInPast,
            Self::AccountDisabled => PaymentsError::AccountDisabled,
            Self::CannotPay => PaymentsError::CannotPay,
            Self::RecipientClosed => PaymentsError::RecipientClosed,
            Self::RecipientCannotReceive => PaymentsError::RecipientCannotReceive,
        }
    }
}

impl KeptAnswer {
    pub fn made(payment: &SubmittedPayment) -> Self {
        Self::Made(Box::new(KeptPayment {
            id: payment.id.clone(),
            payer_currency: payment.payer.total.currency().code().to_owned(),
            payer: minor(&payment.payer),
            beneficiary_currency: payment.beneficiary.total.currency().code().to_owned(),
            beneficiary: minor(&payment.beneficiary),
            rate: payment.rate.to_string(),
            description: payment.description.clone(),
            email_message: payment.email_message.clone(),
            value_date: payment.value_date,
            trade_number: payment.trade_number.clone(),
            status: payment.status,
            redirect_url: payment.redirect_url.clone(),
        }))
    }

    /// The first answer, given again.
    pub fn replay(self) -> Result<SubmittedPayment, PaymentsError> {
        match self {
            Self::Made(payment) => {
                let KeptPayment {
                    id,
                    payer_currency,
                    payer,
                    beneficiary_currency,
                    beneficiary,
                    rate,
                    description,
                    email_message,
                    value_date,
                    trade_number,
                    status,
                    redirect_url,
                } = *payment;
                let rate = rate.parse().map_err(|_| anyhow::anyhow!("kept rate {rate:?}"))?;
                Ok(SubmittedPayment {
                    id,
                    payer: kept_side(&payer_currency, payer)?,
                    beneficiary: kept_side(&beneficiary_currency, beneficiary)?,
                    rate: Rate::new(rate).map_err(|error| anyhow::anyhow!("kept rate: {error}"))?,
                    description,
                    email_message,
                    value_date,
                    trade_number,
                    status,
                    redirect_url,
                })
            }
            Self::Refused { refusal } => Err(refusal.error()),
        }
    }
}

/// The first answer of a submit (a payment's or a refund's) kept for the login's key since `since`, with the
/// id of the session it was for.
pub fn kept_first_answer<T: DeserializeOwned>(
    conn: &mut DbConnection,
    login_id: &LoginId,
    key: &str,
    since: DateTime<Utc>,
) -> Result<Option<(Option<String>, T)>, PaymentsError> {
    let row: Option<(Option<String>, String)> = idempotency_keys::table
        .find((login_id, key))
        .filter(idempotency_keys::created_at.gt(since.naive_utc()))
        .select((idempotency_keys::payment_session_id, idempotency_keys::answer))
        .first(conn)
        .optional()?;
    let Some((session_id, answer)) = row else { return Ok(None) };
    let answer = serde_json::from_str(&answer).map_err(anyhow::Error::from)?;
    Ok(Some((session_id, answer)))
}

/// Keeps the first answer of a submit for the login's key, under the caller's lock on the key and after
/// [`kept_first_answer`] found none; `session_id` is the payment or refund session it is for. Keys older than
/// `ttl` are swept.
pub fn keep_first_answer<T: Serialize>(
    conn: &mut DbConnection,
    (login_id, key): (&LoginId, &str),
    session_id: Option<&str>,
    answer: &T,
    (now, ttl): (DateTime<Utc>, TimeDelta),
) -> Result<(), PaymentsError> {
    diesel::delete(idempotency_keys::table.filter(idempotency_keys::created_at.le((now - ttl).naive_utc())))
        .execute(conn)?;
    let answer = serde_json::to_string(answer).map_err(anyhow::Error::from)?;
    diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::login_id.eq(login_id),
            idempotency_keys::idempotency_key.eq(key),
            idempotency_keys::payment_session_id.eq(session_id),
            idempotency_keys::answer.eq(answer),
            idempotency_keys::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}
