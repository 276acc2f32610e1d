//! refundSession: the refund being prepared, as its review screen shows it.

use std::sync::Arc;

use accounts::{BankAccount, PublicAccount, bank_accounts, public_account};
use chrono::NaiveDate;
use kernel::{Clock, Currency, Money, SessionIdentity, with_transaction};
use payments::refunds::{RefundReason, RefundType, refund_quote, refundable};
use payments::{FinancialProvider, Quote, Rate};
use store::Pool;

use super::record::{Definition, live_touched};
use crate::{RefundsConfig, RefundsError};

/// The priced part of a refund session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundReview {
    pub amount: i64,
    pub quote_basis: payments::QuoteBasis,
    pub description: String,
    pub message: Option<String>,
    pub value_date: NaiveDate,
    pub reason: RefundReason,
    pub refund_type: RefundType,
    pub quote: Quote,
}

/// What refundSession shows.
#[derive(Debug, Clone, PartialEq)]
pub struct RefundSessionView {
    /// P, the refunding bank account's currency.
    pub payer_currency: Currency,
    /// The refunding bank account, masked.
    pub bank_account: Option<BankAccount>,
    /// B, the original payer currency.
    pub beneficiary_currency: Currency,
    /// The original payer.
    pub beneficiary: Option<PublicAccount>,
    /// The indicative rate P→B now.
    pub indicative_rate: Rate,
    pub today: NaiveDate,
    pub review: Option<RefundReview>,
    /// R now, in B.
    pub max_refund_amount: Money,
}

fn review(definition: Definition, quote: Quote) -> RefundReview {
    RefundReview {
        amount: definition.amount,
        quote_basis: definition.quote_basis,
        description: definition.description,
        message: definition.message,
        value_date: definition.value_date,
        reason: definition.reason,
        refund_type: definition.refund_type,
        quote,
    }
}

/// refundSession: the login session's live refund session (I-4770 without one); reading it restarts its idle
/// deadline. `maxRefundAmount` is R at this reading.
pub async fn refund_session(
    pool: &Pool,
    clock: &dyn Clock,
    (config, provider): (&RefundsConfig, &Arc<dyn FinancialProvider>),
    current: &SessionIdentity,
    session_key: &str,
) -> Result<RefundSessionView, RefundsError> {
    let now = clock.now();
    let (config, provider, current, session_key) = (*config, provider.clone(), current.clone(), session_key.to_owned());
    with_transaction(pool, move |tx| {
        let session = live_touched(tx.conn(), &session_key, &current.account_id, config.session_ttl, now)?
            .ok_or(RefundsError::NoSession)?;
        let bank_account = bank_accounts(tx.conn(), &session.account_id)?
            .into_iter()
            .find(|bank| bank.id == session.funding_bank_account_id);
        let (payer, beneficiary) = (session.payer_currency, session.beneficiary_currency);
        let indicative_rate = provider
            .indicative_rate(payer, beneficiary)
            .map_err(|error| anyhow::anyhow!("no rate {payer}→{beneficiary}: {error}"))?;
        let review = match session.priced()? {
            Some((definition, quote_id)) => Some(review(definition, refund_quote(tx.conn(), quote_id)?)),
            None => None,
        };
        let payment = refundable(tx.conn(), &current.account_id, &session.original_payment_id)?
            .ok_or_else(|| anyhow::anyhow!("the payment of a refund session is gone"))?;
        Ok(RefundSessionView {
            payer_currency: payer,
            bank_account,
            beneficiary_currency: beneficiary,
            beneficiary: public_account(tx.conn(), &session.beneficiary_account_id)?,
            indicative_rate,
            today: now.date_naive(),
            review,
            max_refund_amount: payment.remaining,
        })
    })
    .await
}
