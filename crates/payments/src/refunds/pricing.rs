//! A refund's price (flows.md sections 7, 9 and 10): the provider's customer rate, the refund arithmetic (no
//! fee, no savings), recorded as a quote like a payment's.

use std::sync::Arc;

use accounts::AccountsConfig;
use chrono::{DateTime, Utc};
use kernel::{Currency, Money, SessionIdentity};
use store::DbConnection;

use crate::session::{FundingKind, action_required_for, stored_quote, take_quote};
use crate::{
    ActionRequired, FinancialProvider, PaymentDefinition, PaymentsConfig, PaymentsError, Quote, QuoteBasis,
    QuotedAmounts, price_refund,
};

/// Prices a refund of `amount` (in P with basis PAYER, in B with BENEFICIARY) from P to B at the provider's
/// rate now, and records the quote, live for `QUOTE_TTL`.
pub fn quote_refund(
    conn: &mut DbConnection,
    (config, provider): (&PaymentsConfig, &Arc<dyn FinancialProvider>),
    (payer, beneficiary): (Currency, Currency),
    (amount, quote_basis): (Money, QuoteBasis),
    now: DateTime<Utc>,
) -> Result<Quote, PaymentsError> {
    let rate = provider
        .indicative_rate(payer, beneficiary)
        .map_err(|error| anyhow::anyhow!("no rate {payer}→{beneficiary}: {error}"))?;
    let definition = PaymentDefinition {
        payer_currency: payer,
        beneficiary_currency: beneficiary,
        amount,
        quote_basis,
        payer_accepted_fees: false,
    };
    let amounts = price_refund(&definition, rate)?;
    let expires_at = now + config.quote_ttl;
    let id = take_quote(conn, (payer, beneficiary), &amounts, now, expires_at)?;
    Ok(Quote { id, rate, amounts: QuotedAmounts::from(&amounts), expires_at })
}

/// A recorded quote, by its id.
pub fn refund_quote(conn: &mut DbConnection, id: i64) -> Result<Quote, PaymentsError> {
    stored_quote(conn, id)
}

/// What the refunding payer must do before a refund funded from its bank account `funding_bank_account_id` can
/// be priced (ActionRequiredForPayment), or `None`.
pub fn refund_action_required(
    conn: &mut DbConnection,
    accounts: &AccountsConfig,
    current: &SessionIdentity,
    funding_bank_account_id: &str,
    now: DateTime<Utc>,
) -> Result<Option<ActionRequired>, PaymentsError> {
    action_required_for(conn, accounts, current, (FundingKind::BankAccount, Some(funding_bank_account_id)), now)
}
