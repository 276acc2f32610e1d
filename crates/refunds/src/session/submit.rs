//! submitRefundSession: the prepared refund made, once, under the refund session's lock and then the original
//! payment's.

use std::sync::Arc;

use accounts::payee;
use chrono::{DateTime, NaiveDate, Utc};
use kernel::{Clock, SessionIdentity, with_transaction};
use mail::{Mailer, OutgoingEmail};
use payments::refunds::{
    KeptAnswer, KeptPricing, NewRefund, RefundReason, keep_first_answer, kept_first_answer, open_refund,
    refund_processing_email, refund_quote,
};
use payments::{FinancialProvider, PaymentEntryStatus, PaymentSide, PaymentsConfig, PaymentsError, Rate};
use serde::{Deserialize, Serialize};
use store::{Pool, Tx};

use super::checks::{locked_refundable, recipient_open};
use super::record::{StoredSession, delete, live};
use crate::{RefundsConfig, RefundsError};

/// What submitRefundSession made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmittedRefund {
    pub id: String,
    pub payer: PaymentSide,
    pub beneficiary: PaymentSide,
    pub rate: Rate,
    pub description: String,
    pub message: Option<String>,
    pub reason: RefundReason,
    pub value_date: NaiveDate,
    pub trade_number: String,
    pub status: PaymentEntryStatus,
}

/// A submit's answer as kept for an `Idempotency-Key`: the refund made, or the refusal.
type RefundAnswer = KeptAnswer<KeptRefund, KeptRefusal>;

/// A refund made, as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct KeptRefund {
    id: String,
    #[serde(flatten)]
    pricing: KeptPricing,
    description: String,
    message: Option<String>,
    reason: RefundReason,
    value_date: NaiveDate,
    trade_number: String,
    status: PaymentEntryStatus,
}

/// The refusals a retry gets again. Internal errors are not kept (a retry runs again), nor is I-4760.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum KeptRefusal {
    SessionGone,
    NoSessionToSubmit,
    QuoteExpired,
    AccountDisabled,
    WindowExpired,
    CountReached,
    RecipientClosed,
    TooLarge,
    NotRefundable,
}

impl KeptRefusal {
    fn of(error: &RefundsError) -> Option<Self> {
        Some(match error {
            RefundsError::SessionGone => Self::SessionGone,
            RefundsError::NoSessionToSubmit => Self::NoSessionToSubmit,
            RefundsError::QuoteExpired => Self::QuoteExpired,
            RefundsError::AccountDisabled => Self::AccountDisabled,
            RefundsError::WindowExpired => Self::WindowExpired,
            RefundsError::CountReached => Self::CountReached,
            RefundsError::RecipientClosed => Self::RecipientClosed,
            RefundsError::TooLarge => Self::TooLarge,
            RefundsError::NotRefundable => Self::NotRefundable,
            _ => return None,
        })
    }
}

impl From<KeptRefusal> for RefundsError {
    fn from(refusal: KeptRefusal) -> Self {
        match refusal {
            KeptRefusal::SessionGone => Self::SessionGone,
            KeptRefusal::NoSessionToSubmit => Self::NoSessionToSubmit,
            KeptRefusal::QuoteExpired => Self::QuoteExpired,
            KeptRefusal::AccountDisabled => Self::AccountDisabled,
            KeptRefusal::WindowExpired => Self::WindowExpired,
            KeptRefusal::CountReached => Self::CountReached,
            KeptRefusal::RecipientClosed => Self::RecipientClosed,
            KeptRefusal::TooLarge => Self::TooLarge,
            KeptRefusal::NotRefundable => Self::NotRefundable,
        }
    }
}

impl From<&SubmittedRefund> for KeptRefund {
    fn from(refund: &SubmittedRefund) -> Self {
        Self {
            id: refund.id.clone(),
            pricing: KeptPricing::of(&refund.payer, &refund.beneficiary, &refund.rate),
            description: refund.description.clone(),
            message: refund.message.clone(),
            reason: refund.reason,
            value_date: refund.value_date,
            trade_number: refund.trade_number.clone(),
            status: refund.status,
        }
    }
}

impl TryFrom<KeptRefund> for SubmittedRefund {
    type Error = RefundsError;

    fn try_from(kept: KeptRefund) -> Result<Self, RefundsError> {
        let (payer, beneficiary, rate) = kept.pricing.read()?;
        Ok(Self {
            id: kept.id,
            payer,
            beneficiary,
            rate,
            description: kept.description,
            message: kept.message,
            reason: kept.reason,
            value_date: kept.value_date,
            trade_number: kept.trade_number,
            status: kept.status,
        })
    }
}

/// The services submit reads.
struct Services {
    refunds: RefundsConfig,
    payments: PaymentsConfig,
    provider: Arc<dyn FinancialProvider>,
}

/// Rules 2 to 5 and the effects, on the session found under its lock. The session is deleted first, so a
/// refusal after rule 2 leaves it gone once the transaction commits.
fn submit_found(
    tx: &mut Tx<'_>,
    services: &Services,
    current: &SessionIdentity,
    found: Option<StoredSession>,
    now: DateTime<Utc>,
) -> Result<(SubmittedRefund, Option<OutgoingEmail>), RefundsError> {
    let session = found.ok_or(RefundsError::NoSessionToSubmit)?;
    delete(tx.conn(), &session.session_key)?;
    let (definition, quote_id) = session.priced()?.ok_or(RefundsError::NoSessionToSubmit)?;
    let quote = refund_quote(tx.conn(), quote_id)?;
    if now >= quote.expires_at {
        return Err(RefundsError::QuoteExpired);
    }
    let refunder = payee(tx.conn(), &current.account_id)?.ok_or(RefundsError::SessionGone)?;
    if refunder.status.is_closed() {
        return Err(RefundsError::AccountDisabled);
    }
    let payment = locked_refundable(tx, &current.account_id, &session.original_payment_id)?;
    let limits = &services.refunds.limits;
    if !payment.within_window(limits, now) {
        return Err(RefundsError::WindowExpired);
    }
    if payment.refunds >= limits.max_count {
        return Err(RefundsError::CountReached);
    }
    recipient_open(&payment)?;
    if quote.amounts.beneficiary_sub > payment.remaining.minor_units() {
        return Err(RefundsError::TooLarge);
    }
    let new = NewRefund {
        original_payment_id: &payment.payment_id,
        payer: &current.account_id,
        funding_bank_account_id: &session.funding_bank_account_id,
        beneficiary: &session.beneficiary_account_id,
        payer_currency: session.payer_currency,
        beneficiary_currency: session.beneficiary_currency,
        quote: &quote,
        description: &definition.description,
        message: definition.message.as_deref(),
        value_date: definition.value_date,
        reason: definition.reason,
        refund_type: definition.refund_type,
    };
    let opened = open_refund(tx, (&services.payments, &services.provider), &new, now)?;
    let refunder_name = refunder.display_name.as_deref().or(refunder.slug.as_deref()).unwrap_or("A borderless user");
    let told = (opened.beneficiary.sub, definition.reason, definition.message.as_deref());
    let email = refund_processing_email(tx.conn(), &session.beneficiary_account_id, told, refunder_name)?;
    let refund = SubmittedRefund {
        id: opened.id,
        payer: opened.payer,
        beneficiary: opened.beneficiary,
        rate: quote.rate,
        description: definition.description,
        message: definition.message,
        reason: definition.reason,
        value_date: definition.value_date,
        trade_number: opened.trade_number,
        status: opened.status,
    };
    Ok((refund, email))
}

/// submitRefundSession: under a lock on the refund session (two submits of one session run one after the
/// other; the second finds it gone, I-4722) and then on the original payment (refunds of one payment from
/// several sessions run one at a time, so R can never go below zero), checks the quote, both accounts, the
/// window, the count and R again; makes the refund; and deletes the session whatever the outcome, in the same
/// transaction, which commits refusals too. After commit the original payer is emailed; when the transport
/// refuses, the answer is E-6009 naming the refund, which stands.
///
/// With an `Idempotency-Key` the first answer is kept for the login in the same transaction, and a retry with
/// the key gets it again; the key used for another session is refused (I-4760).
pub async fn submit_refund_session(
    pool: &Pool,
    clock: &dyn Clock,
    services: (&RefundsConfig, &PaymentsConfig, &Arc<dyn FinancialProvider>, &Arc<dyn Mailer>),
    current: &SessionIdentity,
    session_key: &str,
    idempotency_key: Option<&str>,
) -> Result<SubmittedRefund, RefundsError> {
    let now = clock.now();
    let (refunds, payments, provider, mailer) = services;
    let services = Services { refunds: *refunds, payments: payments.clone(), provider: Arc::clone(provider) };
    let (current, session_key, key) = (current.clone(), session_key.to_owned(), idempotency_key.map(str::to_owned));
    let answer = with_transaction(pool, move |tx| {
        let ttl = services.refunds.session_ttl;
        let key_ttl = services.payments.idempotency_key_ttl;
        if let Some(key) = &key {
            tx.lock_key(&format!("idempotency:{}:{key}", current.login_id))?;
            let first: Option<(Option<String>, RefundAnswer)> =
                kept_first_answer(tx.conn(), &current.login_id, key, now - key_ttl)?;
            if let Some((for_session, answer)) = first {
                let live_session = live(tx.conn(), &session_key, &current.account_id, ttl, now)?;
                if live_session.is_some_and(|session| Some(session.id) != for_session) {
                    return Ok(Err(PaymentsError::IdempotencyKeyReused.into()));
                }
                return Ok(answer.replay().map(|refund| (refund, None)));
            }
        }
        tx.lock_key(&format!("refund-session:{session_key}"))?;
        let found = live(tx.conn(), &session_key, &current.account_id, ttl, now)?;
        let session_id = found.as_ref().map(|session| session.id.clone());
        let answer = match submit_found(tx, &services, &current, found, now) {
            Err(RefundsError::Internal(cause)) => return Err(RefundsError::Internal(cause)),
            answer => answer,
        };
        if let Some(key) = &key {
            let to_keep = match &answer {
                Ok((refund, _)) => Some(RefundAnswer::made(KeptRefund::from(refund))),
                Err(error) => KeptRefusal::of(error).map(|refusal| RefundAnswer::Refused { refusal }),
            };
            if let Some(to_keep) = to_keep {
                let login_key = (&current.login_id, key.as_str());
                keep_first_answer(tx.conn(), login_key, session_id.as_deref(), &to_keep, (now, key_ttl))?;
            }
        }
        Ok(answer)
    })
    .await?;
    let (refund, email) = answer?;
    if let Some(email) = email
        && mailer.send(&email).await.is_err()
    {
        return Err(RefundsError::EmailNotSent { refund_id: refund.id });
    }
    Ok(refund)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key kept before an upgrade is replayed after it: the stored form does not change with the code.
    #[test]
    fn a_kept_refund_reads_back_from_its_stored_form() {
        let stored = r#"{"answer":"made","id":"r1","payer_currency":"CAD","payer":[5000,0,5000],
            "beneficiary_currency":"USD","beneficiary":[3650,0,3650],"rate":"0.730000","description":"Return",
            "message":null,"reason":"DUPLICATE","value_date":"2026-12-04","trade_number":"T-2","status":"PENDING"}"#;
        let answer: RefundAnswer = serde_json::from_str(stored).expect("read");
        let refund: SubmittedRefund = answer.clone().replay().expect("made");
        assert_eq!(refund.payer.total.minor_units(), 5000);
        assert_eq!(refund.beneficiary.sub.currency().code(), "USD");
        assert_eq!(refund.rate.to_string(), "0.730000");
        assert_eq!(refund.reason, RefundReason::Duplicate);
        assert_eq!(RefundAnswer::made(KeptRefund::from(&refund)), answer);
        let refused: RefundAnswer =
            serde_json::from_str(r#"{"answer":"refused","refusal":"window_expired"}"#).expect("read");
        assert!(matches!(refused.replay::<SubmittedRefund, _>(), Err(RefundsError::WindowExpired)));
    }
}
