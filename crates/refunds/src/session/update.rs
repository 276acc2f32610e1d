//! updateRefundSession: the refund's definition, priced with a fresh quote, one attempt counted.

use std::sync::Arc;

use accounts::{AccountsConfig, scheduled_international};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use kernel::{Clock, FxRates, Money, SessionIdentity, with_transaction};
use payments::refunds::{RefundReason, count_attempt, quote_refund, refund_action_required};
use payments::{FinancialProvider, PaymentsConfig, PaymentsError, PricingOutcome, QuoteBasis};
use store::{DbConnection, Tx};

use super::checks::locked_refundable;
use super::record::{Definition, StoredSession, live_touched, price};
use crate::{RefundsConfig, RefundsError};

/// Longest description, in characters (I-4744).
const DESCRIPTION_MAX: usize = 140;
/// Longest message to the original payer, in characters (I-4745).
const MESSAGE_MAX: usize = 500;
/// Furthest value date, in days after today (I-4739).
const VALUE_DATE_MAX_DAYS: i64 = 365;

/// updateRefundSession's input, as the client sent it.
#[derive(Debug, Clone, PartialEq)]
pub struct RefundDefinitionInput {
    pub amount: f64,
    pub description: String,
    pub message: Option<String>,
    pub value_date: kernel::DateTime,
    pub quote_basis: Option<QuoteBasis>,
    pub reason: RefundReason,
}

/// The services updateRefundSession reads.
pub(crate) struct Services {
    pub refunds: RefundsConfig,
    pub payments: PaymentsConfig,
    pub accounts: AccountsConfig,
    pub rates: FxRates,
    pub provider: Arc<dyn FinancialProvider>,
}

/// Rules 4 to 6, in the page's order: the amount in the currency its basis fixes, the texts, the value date.
fn definition(
    conn: &mut DbConnection,
    rates: &FxRates,
    session: &StoredSession,
    input: RefundDefinitionInput,
    today: NaiveDate,
) -> Result<(Money, Definition), RefundsError> {
    let quote_basis = input.quote_basis.unwrap_or(QuoteBasis::Beneficiary);
    let currency = match quote_basis {
        QuoteBasis::Payer => session.payer_currency,
        QuoteBasis::Beneficiary => session.beneficiary_currency,
    };
    let amount = Money::from_major_positive(input.amount, currency, rates)?;
    let description = input.description.trim().to_owned();
    if description.is_empty() || description.chars().count() > DESCRIPTION_MAX {
        return Err(PaymentsError::InvalidDescription.into());
    }
    let message = input.message.map(|text| text.trim().to_owned()).filter(|text| !text.is_empty());
    if message.as_ref().is_some_and(|text| text.chars().count() > MESSAGE_MAX) {
        return Err(PaymentsError::MessageTooLong.into());
    }
    let value_date = input.value_date.date_only().ok_or(PaymentsError::InvalidDate)?;
    if value_date < today {
        return Err(PaymentsError::DateInPast.into());
    }
    if value_date > today + TimeDelta::days(VALUE_DATE_MAX_DAYS) {
        return Err(PaymentsError::DateTooFar.into());
    }
    let international = session.payer_currency != session.beneficiary_currency;
    if international && value_date > today && !scheduled_international(conn, &session.account_id)? {
        return Err(PaymentsError::ScheduledInternationalNotEnabled.into());
    }
    let definition = Definition {
        amount: amount.minor_units(),
        quote_basis,
        description,
        message,
        value_date,
        reason: input.reason,
        // Set from the priced amount below.
        refund_type: payments::refunds::RefundType::PartialRefund,
    };
    Ok((amount, definition))
}

/// Rules 3 to 8 on the live session, under the original payment's row lock.
fn define_and_price(
    tx: &mut Tx<'_>,
    services: &Services,
    current: &SessionIdentity,
    session: &StoredSession,
    input: RefundDefinitionInput,
    now: DateTime<Utc>,
) -> Result<PricingOutcome, RefundsError> {
    let payment = locked_refundable(tx, &current.account_id, &session.original_payment_id)?;
    let max_attempts = services.refunds.limits.max_attempts;
    if payment.attempts >= max_attempts {
        return Err(RefundsError::AttemptsExhausted);
    }
    let (amount, mut definition) = definition(tx.conn(), &services.rates, session, input, now.date_naive())?;
    let readiness =
        refund_action_required(tx.conn(), &services.accounts, current, &session.funding_bank_account_id, now)?;
    if let Some(action) = readiness {
        return Ok(PricingOutcome::ActionRequired(action));
    }
    let quote = quote_refund(
        tx.conn(),
        (&services.payments, &services.provider),
        (session.payer_currency, session.beneficiary_currency),
        (amount, definition.quote_basis),
        now,
    )?;
    let beneficiary_sub = Money::from_minor_units(quote.amounts.beneficiary_sub, session.beneficiary_currency)?;
    if beneficiary_sub.minor_units() > payment.remaining.minor_units() {
        return Err(RefundsError::TooLarge);
    }
    definition.refund_type = payment.refund_type(beneficiary_sub);
    if !count_attempt(tx, &payment.payment_id, max_attempts)? {
        return Err(RefundsError::AttemptsExhausted);
    }
    let stored = serde_json::to_string(&definition).map_err(anyhow::Error::from)?;
    price(tx.conn(), &session.session_key, &stored, quote.id)?;
    Ok(PricingOutcome::Priced)
}

/// updateRefundSession: replaces the session's definition and prices it with a new quote, counting one
/// attempt on the payment, unless the payer must first complete something (ActionRequiredForPayment, the
/// session left as it was, no attempt counted). A refusal changes nothing but the restarted idle deadline.
pub async fn update_refund_session(
    pool: &store::Pool,
    clock: &dyn Clock,
    services: (&RefundsConfig, &PaymentsConfig, &AccountsConfig, &FxRates, &Arc<dyn FinancialProvider>),
    current: &SessionIdentity,
    session_key: &str,
    input: RefundDefinitionInput,
) -> Result<PricingOutcome, RefundsError> {
    let now = clock.now();
    let (refunds, payments, accounts, rates, provider) = services;
    let services = Services {
        refunds: *refunds,
        payments: payments.clone(),
        accounts: accounts.clone(),
        rates: rates.clone(),
        provider: Arc::clone(provider),
    };
    let (current, session_key) = (current.clone(), session_key.to_owned());
    with_transaction(pool, move |tx| {
        let ttl = services.refunds.session_ttl;
        let Some(session) = live_touched(tx.conn(), &session_key, &current.account_id, ttl, now)? else {
            return Err(RefundsError::NoSessionToUpdate);
        };
        Ok(tx.savepoint(|tx| define_and_price(tx, &services, &current, &session, input, now)))
    })
    .await?
}
