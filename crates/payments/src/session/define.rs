//! updatePaymentSession and updateQuote: the payment's definition, and its pricing with a fresh quote.

use std::sync::Arc;

use accounts::{AccountType, AccountsConfig, payee, scheduled_international};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use kernel::{Clock, FxRates, Money, SessionIdentity, with_transaction};
use serde::{Deserialize, Serialize};
use store::{DbConnection, Pool, Tx};

use super::quote::take_quote;
use super::readiness::{ActionRequired, action_required};
use super::record::{StoredSession, live_touched, price};
use crate::requests::requested_amount;
use crate::{
    FinancialProvider, PaymentDefinition, PaymentsConfig, PaymentsError, PricingError, QuoteBasis, QuoteError,
};

/// Longest description, in characters (I-4744).
const DESCRIPTION_MAX: usize = 140;
/// Longest message to the beneficiary, in characters (I-4745).
const MESSAGE_MAX: usize = 500;
/// Furthest value date, in days after today (I-4739).
const VALUE_DATE_MAX_DAYS: i64 = 365;

/// The purpose-of-payment codes updatePaymentSession accepts.
const POP_CODES: [&str; 13] =
    ["COMM", "SERV", "SALA", "RENT", "LOAN", "INVS", "EDUC", "MEDI", "FAMI", "GIFT", "CHAR", "TRAV", "OTHR"];

/// updatePaymentSession's input, as the client sent it.
#[derive(Debug, Clone, PartialEq)]
pub struct PaymentDefinitionInput {
    pub amount: f64,
    pub description: String,
    pub email_message: Option<String>,
    pub pop_code: Option<String>,
    pub payer_accepted_fees: Option<bool>,
    pub value_date: kernel::DateTime,
    pub quote_basis: Option<QuoteBasis>,
}

/// A payment session's definition as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Definition {
    /// Minor units, in the payer currency for basis PAYER, in the beneficiary's for BENEFICIARY.
    pub amount: i64,
    pub quote_basis: QuoteBasis,
    pub payer_accepted_fees: bool,
    pub description: String,
    pub email_message: Option<String>,
    pub pop_code: Option<String>,
    pub value_date: NaiveDate,
}

/// What updatePaymentSession and updateQuote answer when they do not refuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PricingOutcome {
    Priced,
    ActionRequired(ActionRequired),
}

/// The services pricing reads: the rates table only for which amounts a currency carries, every price from the
/// financial provider.
pub struct Pricing<'a> {
    pub config: &'a PaymentsConfig,
    pub accounts: &'a AccountsConfig,
    pub rates: &'a FxRates,
    pub provider: &'a Arc<dyn FinancialProvider>,
}

/// The value date rules: a plain date (I-4303), not before today (I-4738), not more than a year ahead (I-4739).
fn value_date(value: &kernel::DateTime, today: NaiveDate) -> Result<NaiveDate, PaymentsError> {
    let date = value.date_only().ok_or(PaymentsError::InvalidDate)?;
    if date < today {
        return Err(PaymentsError::DateInPast);
    }
    if date > today + TimeDelta::days(VALUE_DATE_MAX_DAYS) {
        return Err(PaymentsError::DateTooFar);
    }
    Ok(date)
}

/// Rule 4: the session of a payment request pays exactly the request's amount, fixed on the beneficiary's side
/// (I-4749 otherwise); any other session may be priced at any amount.
fn as_requested(
    conn: &mut DbConnection,
    session: &StoredSession,
    amount: Money,
    quote_basis: QuoteBasis,
) -> Result<(), PaymentsError> {
    let Some(request_id) = &session.payment_request_id else { return Ok(()) };
    let requested = requested_amount(conn, request_id)?
        .ok_or_else(|| PaymentsError::Internal(anyhow::anyhow!("payment request {request_id} of a session is gone")))?;
    if quote_basis != QuoteBasis::Beneficiary || amount != requested {
        return Err(PaymentsError::AmountNotRequested);
    }
    Ok(())
}

/// updatePaymentSession rules 3 to 9, in the page's order: the definition, checked against the session.
fn definition(
    conn: &mut DbConnection,
    rates: &FxRates,
    session: &StoredSession,
    input: PaymentDefinitionInput,
    today: NaiveDate,
) -> Result<Definition, PaymentsError> {
    let default_basis = if session.payment_request_id.is_some() { QuoteBasis::Beneficiary } else { QuoteBasis::Payer };
    let quote_basis = input.quote_basis.unwrap_or(default_basis);
    let currency = match quote_basis {
        QuoteBasis::Payer => session.payer_currency,
        QuoteBasis::Beneficiary => session.beneficiary_currency,
    };
    let amount = Money::from_major_positive(input.amount, currency, rates)?;
    as_requested(conn, session, amount, quote_basis)?;
    let description = input.description.trim().to_owned();
    if description.is_empty() || description.chars().count() > DESCRIPTION_MAX {
        return Err(PaymentsError::InvalidDescription);
    }
    let email_message = input.email_message.map(|text| text.trim().to_owned()).filter(|text| !text.is_empty());
    if email_message.as_ref().is_some_and(|text| text.chars().count() > MESSAGE_MAX) {
        return Err(PaymentsError::MessageTooLong);
    }
    let value_date = value_date(&input.value_date, today)?;
    let international = session.payer_currency != session.beneficiary_currency;
    if international && value_date > today && !scheduled_international(conn, &session.account_id)? {
        return Err(PaymentsError::ScheduledInternationalNotEnabled);
    }
    let pop_code = input.pop_code.map(|code| code.trim().to_uppercase()).filter(|code| !code.is_empty());
    match &pop_code {
        Some(code) if !POP_CODES.contains(&code.as_str()) => return Err(PaymentsError::InvalidPopCode),
        // An email with no account yet may be a person's: it needs a code as a PERSONAL account does.
        None => match &session.beneficiary_account_id {
            Some(account) => {
                let beneficiary = payee(conn, account)?.ok_or(PaymentsError::SessionGone)?;
                if beneficiary.account_type == AccountType::Personal {
                    return Err(PaymentsError::PopCodeRequired);
                }
            }
            None => return Err(PaymentsError::PopCodeRequired),
        },
        Some(_) => {}
    }
    Ok(Definition {
        amount: amount.minor_units(),
        quote_basis,
        payer_accepted_fees: input.payer_accepted_fees.unwrap_or(false),
        description,
        email_message,
        pop_code,
        value_date,
    })
}

/// Prices `definition` for the session and records the quote (rule 11); answers the quote's id.
fn priced(
    conn: &mut DbConnection,
    pricing: &Pricing<'_>,
    session: &StoredSession,
    definition: &Definition,
    now: DateTime<Utc>,
) -> Result<i64, PaymentsError> {
    let (payer, beneficiary) = (session.payer_currency, session.beneficiary_currency);
    let asked = PaymentDefinition {
        payer_currency: payer,
        beneficiary_currency: beneficiary,
        amount: definition.money(session)?,
        quote_basis: definition.quote_basis,
        payer_accepted_fees: definition.payer_accepted_fees,
    };
    let quote = pricing.provider.quote(&asked, now)?;
    Ok(take_quote(conn, (payer, beneficiary), &quote.amounts, now, quote.expires_at)?)
}

impl Definition {
    /// The stored amount, in the currency its basis fixes for `session`.
    fn money(&self, session: &StoredSession) -> Result<Money, PaymentsError> {
        let currency = match self.quote_basis {
            QuoteBasis::Payer => session.payer_currency,
            QuoteBasis::Beneficiary => session.beneficiary_currency,
        };
        Ok(Money::from_minor_units(self.amount, currency)?)
    }
}

impl From<QuoteError> for PaymentsError {
    fn from(error: QuoteError) -> Self {
        match error {
            QuoteError::Pricing(error) => error.into(),
            QuoteError::NoRate(error) => Self::Internal(anyhow::anyhow!("the provider has no rate: {error}")),
        }
    }
}

impl From<PricingError> for PaymentsError {
    fn from(error: PricingError) -> Self {
        match error {
            PricingError::TooSmallToCoverFee => Self::AmountBelowFee,
            PricingError::AmountNotPositive | PricingError::PayerAmountRoundsToZero => Self::AmountNotPositive,
            PricingError::Money(error) => Self::Money(error),
            other => Self::Internal(anyhow::anyhow!("pricing failed: {other}")),
        }
    }
}

/// Runs `work` on the login session's live payment session (`missing` without one), in one transaction that
/// first restarts the session's idle deadline. `work` runs in a savepoint: a refusal undoes only its own
/// writes, so the restarted deadline stays, whatever the answer.
async fn on_live_session(
    pool: &Pool,
    clock: &dyn Clock,
    pricing: Pricing<'_>,
    (current, session_key): (&SessionIdentity, &str),
    missing: PaymentsError,
    work: impl FnOnce(&mut Tx<'_>, &Pricing<'_>, &StoredSession, DateTime<Utc>) -> Result<PricingOutcome, PaymentsError>
    + Send
    + 'static,
) -> Result<PricingOutcome, PaymentsError> {
    let now = clock.now();
    let (config, accounts, rates, provider) =
        (pricing.config.clone(), pricing.accounts.clone(), pricing.rates.clone(), pricing.provider.clone());
    let (current, session_key) = (current.clone(), session_key.to_owned());
    with_transaction(pool, move |tx| {
        let pricing = Pricing { config: &config, accounts: &accounts, rates: &rates, provider: &provider };
        let session_ttl = config.payment_session_ttl;
        let Some(session) = live_touched(tx.conn(), &session_key, &current.account_id, session_ttl, now)? else {
            return Err(missing);
        };
        Ok(tx.savepoint(|tx| work(tx, &pricing, &session, now)))
    })
    .await?
}

/// Readiness (ActionRequiredForPayment), then pricing: the quote recorded with `definition` on the session.
fn ready_and_priced(
    tx: &mut Tx<'_>,
    pricing: &Pricing<'_>,
    current: &SessionIdentity,
    session: &StoredSession,
    definition: &Definition,
    now: DateTime<Utc>,
) -> Result<PricingOutcome, PaymentsError> {
    if let Some(action) = action_required(tx.conn(), pricing.accounts, current, session, now)? {
        return Ok(PricingOutcome::ActionRequired(action));
    }
    let quote_id = priced(tx.conn(), pricing, session, definition, now)?;
    let stored = serde_json::to_string(definition).map_err(anyhow::Error::from)?;
    price(tx.conn(), &session.session_key, &stored, quote_id)?;
    Ok(PricingOutcome::Priced)
}

/// updatePaymentSession: replaces the session's definition and prices it with a new quote, unless the payer
/// must first complete something (ActionRequiredForPayment, the session left as it was). The idle deadline
/// restarts whatever the answer.
pub async fn update_payment_session(
    pool: &Pool,
    clock: &dyn Clock,
    pricing: Pricing<'_>,
    current: &SessionIdentity,
    session_key: &str,
    input: PaymentDefinitionInput,
) -> Result<PricingOutcome, PaymentsError> {
    let caller = current.clone();
    let missing = PaymentsError::NoPaymentSessionToUpdate;
    on_live_session(pool, clock, pricing, (current, session_key), missing, move |tx, pricing, session, now| {
        let definition = definition(tx.conn(), pricing.rates, session, input, now.date_naive())?;
        ready_and_priced(tx, pricing, &caller, session, &definition, now)
    })
    .await
}

/// updateQuote: prices the stored definition again with a fresh quote, the definition untouched.
pub async fn update_quote(
    pool: &Pool,
    clock: &dyn Clock,
    pricing: Pricing<'_>,
    current: &SessionIdentity,
    session_key: &str,
) -> Result<PricingOutcome, PaymentsError> {
    let caller = current.clone();
    let missing = PaymentsError::NoPaymentSessionToQuote;
    on_live_session(pool, clock, pricing, (current, session_key), missing, move |tx, pricing, session, now| {
        let stored = session.definition.as_deref().ok_or(PaymentsError::PaymentNotDefined)?;
        let definition: Definition = serde_json::from_str(stored).map_err(anyhow::Error::from)?;
        if definition.value_date < now.date_naive() {
            return Err(PaymentsError::DateInPast);
        }
        as_requested(tx.conn(), session, definition.money(session)?, definition.quote_basis)?;
        ready_and_priced(tx, pricing, &caller, session, &definition, now)
    })
    .await
}
