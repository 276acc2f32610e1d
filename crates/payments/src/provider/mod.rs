//! The financial provider (providers.md sections 2 to 4; the original used AFEX): it prices payments — the
//! customer rate of a pair, quotes with their fees, savings and expiry — books the trade of every payment and
//! decides each settlement step — collecting the payer total, paying out, arrival — and holds the accounts'
//! funding balances. The operations talk only to [`FinancialProvider`]; [`financial_provider`] picks
//! the one configured, today always the local one ([`LocalFinancialProvider`]).
//!
//! Pricing reads no database: a quote is the provider's answer, which the operations record themselves. Every
//! settlement call runs inside the transaction of the step it decides, so a provider whose books are in the same
//! database (the local one) moves its balances exactly when the step commits.

mod local;
mod local_market;

use std::sync::Arc;

use accounts::{AccountsConfig, SettlementBankAccount};
use chrono::{DateTime, Utc};
use kernel::{AccountId, Currency, FxRates, Money};
use store::{DbConnection, Tx};

pub use local::LocalFinancialProvider;
pub use local_market::LocalMarket;

use crate::{FeeSchedule, PaymentAmounts, PaymentDefinition, PaymentsConfig, PricingError, Rate, RateError};

/// A quote as the provider gives it: both sides of the payment at its customer rate, and the moment it stops
/// holding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarketQuote {
    pub amounts: PaymentAmounts,
    pub expires_at: DateTime<Utc>,
}

/// Why the provider gives no quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteError {
    /// The provider has no rate for the pair.
    NoRate(RateError),
    /// The definition cannot be priced (too small for the fee, an amount out of range, ...).
    Pricing(PricingError),
}

impl From<RateError> for QuoteError {
    fn from(error: RateError) -> Self {
        Self::NoRate(error)
    }
}

impl From<PricingError> for QuoteError {
    fn from(error: PricingError) -> Self {
        Self::Pricing(error)
    }
}

/// Where a payer total is collected from, and given back to.
#[derive(Debug, Clone, Copy)]
pub enum FundsSource<'a> {
    /// The payer's funding bank account.
    BankAccount(&'a SettlementBankAccount),
    /// The payer account's funding balance in the amount's currency.
    FundingBalance(&'a AccountId),
}

/// How a collection (PENDING → PROCESSING / DECLINED) ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CollectionOutcome {
    Collected,
    /// The debit was refused or the balance is too low; nothing moved.
    Declined,
}

/// How a payout (PROCESSING → IN_TRANSIT / FAILED) ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayoutOutcome {
    /// Paid out to the beneficiary's preferred bank account.
    PaidOut,
    /// The beneficiary has no FULLY_VERIFIED preferred bank account at this moment: FAILED, or UNCLAIMED for a
    /// claim payment.
    NoReceivingAccount,
    /// The provider refused the payout.
    Refused,
}

/// How an arrival (IN_TRANSIT → COMPLETE / RETURNED) ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArrivalOutcome {
    Arrived,
    /// The beneficiary's bank sent the payout back.
    Returned,
}

/// A financial provider. A real provider's client would make these calls over the network; the local one keeps
/// its books in its own tables, inside the caller's transaction.
pub trait FinancialProvider: Send + Sync {
    /// The customer rate payer→beneficiary now (`payerToBeneficiaryFX`, exactly 1 for a LOCAL pair), shown
    /// before a quote is taken.
    fn indicative_rate(&self, payer: Currency, beneficiary: Currency) -> Result<Rate, RateError>;

    /// A quote for `definition` taken at `now`: the customer rate, the fee on the side that bears it and the
    /// savings against a bank wire. Never refreshed: a later call is a new quote.
    fn quote(&self, definition: &PaymentDefinition, now: DateTime<Utc>) -> Result<MarketQuote, QuoteError>;

    /// Books the trade of a payment being submitted; answers its trade number.
    fn book_trade(&self, tx: &mut Tx<'_>, now: DateTime<Utc>) -> anyhow::Result<String>;

    /// Collects the payer total `amount` from `source`.
    fn collect(&self, tx: &mut Tx<'_>, source: FundsSource<'_>, amount: Money) -> anyhow::Result<CollectionOutcome>;

    /// Executes the trade and pays the beneficiary total `amount` into `destination`, the beneficiary's
    /// preferred bank account at this moment (`None` without one).
    fn pay_out(
        &self,
        tx: &mut Tx<'_>,
        destination: Option<&SettlementBankAccount>,
        amount: Money,
    ) -> anyhow::Result<PayoutOutcome>;

    /// Whether the beneficiary total `amount` paid out to `destination` arrived.
    fn arrive(
        &self,
        tx: &mut Tx<'_>,
        destination: &SettlementBankAccount,
        amount: Money,
    ) -> anyhow::Result<ArrivalOutcome>;

    /// Gives the payer total `amount` back to the `source` it was collected from, at once.
    fn give_back(&self, tx: &mut Tx<'_>, source: FundsSource<'_>, amount: Money) -> anyhow::Result<()>;

    /// Credits `account`'s funding balance in the amount's currency (a funding payment completing).
    fn credit_funding(&self, tx: &mut Tx<'_>, account: &AccountId, amount: Money) -> anyhow::Result<()>;

    /// Every funding balance the provider holds that is not zero, for the ledger check (invariant 5).
    fn funding_balances(&self, conn: &mut DbConnection) -> anyhow::Result<Vec<(AccountId, Money)>>;
}

/// The configured financial provider: today always the local one, pricing from the rates table and fee schedule
/// given, whose linked balances start from the bank-link provider's fixtures.
pub fn financial_provider(
    accounts: &AccountsConfig,
    payments: &PaymentsConfig,
    rates: &FxRates,
    fees: &FeeSchedule,
) -> Arc<dyn FinancialProvider> {
    let market = LocalMarket::new(rates.clone(), fees.clone(), payments);
    Arc::new(LocalFinancialProvider::new(accounts::bank_link_provider(accounts), market))
}
