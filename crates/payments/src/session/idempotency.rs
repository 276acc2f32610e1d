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

/// A first answer as kept: what the submit made (`M`, its kept form), or the contract code of the refusal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
pub enum KeptAnswer<M, R> {
    Made(Box<M>),
    Refused { refusal: R },
}

impl<M, R> KeptAnswer<M, R> {
    pub fn made(made: M) -> Self {
        Self::Made(Box::new(made))
    }

    /// The first answer, given again.
    pub fn replay<T, E>(self) -> Result<T, E>
    where
        M: TryInto<T, Error = E>,
        R: Into<E>,
    {
        match self {
            Self::Made(made) => (*made).try_into(),
            Self::Refused { refusal } => Err(refusal.into()),
        }
    }
}

/// A submit's answer as kept: the payment made, or the refusal.
pub(crate) type PaymentAnswer = KeptAnswer<KeptPayment, KeptRefusal>;

/// A payment made, as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct KeptPayment {
    id: String,
    #[serde(flatten)]
    pricing: KeptPricing,
    description: String,
    email_message: Option<String>,
    value_date: NaiveDate,
    trade_number: String,
    status: PaymentEntryStatus,
    #[serde(default)]
    redirect_url: Option<String>,
}

/// The sides and rate of a submit's answer as kept, at the top level of its stored form: amounts in minor
/// units, currencies and the rate as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptPricing {
    payer_currency: String,
    payer: (i64, i64, i64),
    beneficiary_currency: String,
    beneficiary: (i64, i64, i64),
    rate: String,
}

impl KeptPricing {
    pub fn of(payer: &PaymentSide, beneficiary: &PaymentSide, rate: &Rate) -> Self {
        Self {
            payer_currency: payer.total.currency().code().to_owned(),
            payer: amounts(payer),
            beneficiary_currency: beneficiary.total.currency().code().to_owned(),
            beneficiary: amounts(beneficiary),
            rate: rate.to_string(),
        }
    }

    /// The payer's side, the beneficiary's side and the rate again.
    pub fn read(&self) -> Result<(PaymentSide, PaymentSide, Rate), PaymentsError> {
        let rate = self.rate.parse().map_err(|_| anyhow::anyhow!("kept rate {:?}", self.rate))?;
        let rate = Rate::new(rate).map_err(|error| anyhow::anyhow!("kept rate: {error}"))?;
        Ok((side_of(&self.payer_currency, self.payer)?, side_of(&self.beneficiary_currency, self.beneficiary)?, rate))
    }
}

fn amounts(side: &PaymentSide) -> (i64, i64, i64) {
    (side.sub.minor_units(), side.fee.minor_units(), side.total.minor_units())
}

fn side_of(currency: &str, amounts: (i64, i64, i64)) -> Result<PaymentSide, PaymentsError> {
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
}

impl From<KeptRefusal> for PaymentsError {
    fn from(refusal: KeptRefusal) -> Self {
        match refusal {
            KeptRefusal::SessionGone => Self::SessionGone,
            KeptRefusal::SessionNotSubmittable => Self::SessionNotSubmittable,
            KeptRefusal::QuoteExpired => Self::QuoteExpired,
            KeptRefusal::DateInPast => Self::DateInPast,
            KeptRefusal::AccountDisabled => Self::AccountDisabled,
            KeptRefusal::CannotPay => Self::CannotPay,
            KeptRefusal::RecipientClosed => Self::RecipientClosed,
            KeptRefusal::RecipientCannotReceive => Self::RecipientCannotReceive,
        }
    }
}

impl From<&SubmittedPayment> for KeptPayment {
    fn from(payment: &SubmittedPayment) -> Self {
        Self {
            id: payment.id.clone(),
            pricing: KeptPricing::of(&payment.payer, &payment.beneficiary, &payment.rate),
            description: payment.description.clone(),
            email_message: payment.email_message.clone(),
            value_date: payment.value_date,
            trade_number: payment.trade_number.clone(),
            status: payment.status,
            redirect_url: payment.redirect_url.clone(),
        }
    }
}

impl TryFrom<KeptPayment> for SubmittedPayment {
    type Error = PaymentsError;

    fn try_from(kept: KeptPayment) -> Result<Self, PaymentsError> {
        let (payer, beneficiary, rate) = kept.pricing.read()?;
        Ok(Self {
            id: kept.id,
            payer,
            beneficiary,
            rate,
            description: kept.description,
            email_message: kept.email_message,
            value_date: kept.value_date,
            trade_number: kept.trade_number,
            status: kept.status,
            redirect_url: kept.redirect_url,
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A key kept before an upgrade is replayed after it: the stored form does not change with the code.
    #[test]
    fn a_kept_answer_reads_back_from_its_stored_form() {
        let refused = PaymentAnswer::Refused { refusal: KeptRefusal::QuoteExpired };
        let text = serde_json::to_string(&refused).expect("serialized");
        assert_eq!(text, r#"{"answer":"refused","refusal":"quote_expired"}"#);
        let stored = r#"{"answer":"made","id":"p1","payer_currency":"USD","payer":[10000,150,10150],
            "beneficiary_currency":"JPY","beneficiary":[1480000,0,1480000],"rate":"148.000000","description":"Rent",
            "email_message":null,"value_date":"2026-12-04","trade_number":"T-1","status":"SCHEDULED"}"#;
        let answer: PaymentAnswer = serde_json::from_str(stored).expect("read");
        let payment: SubmittedPayment = answer.clone().replay().expect("made");
        assert_eq!(amounts(&payment.payer), (10000, 150, 10150));
        assert_eq!(payment.beneficiary.total.currency(), Currency::JPY);
        assert_eq!(payment.rate.to_string(), "148.000000");
        assert_eq!(payment.redirect_url, None);
        assert_eq!(PaymentAnswer::made(KeptPayment::from(&payment)), answer);
        let refusal = serde_json::from_str::<PaymentAnswer>(&text).expect("read").replay::<SubmittedPayment, _>();
        assert!(matches!(refusal, Err(PaymentsError::QuoteExpired)));
    }
}
