//! The financial provider (providers.md sections 2 to 4; the original used AFEX): it books the trade of every
//! payment and decides each settlement step — collecting the payer total, paying out, arrival — and holds the
//! accounts' funding balances. The operations talk only to [`FinancialProvider`]; [`financial_provider`] picks
//! the one configured, today always the local one ([`LocalFinancialProvider`]).
//!
//! Every call runs inside the transaction of the step it decides, so a provider whose books are in the same
//! database (the local one) moves its balances exactly when the step commits.

mod local;

use std::sync::Arc;

use accounts::{AccountsConfig, SettlementBankAccount};
use chrono::{DateTime, Utc};
use kernel::{AccountId, Money};
use store::{DbConnection, Tx};

pub use local::LocalFinancialProvider;

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

/// The configured financial provider: today always the local one, whose linked balances start from the
/// bank-link provider's fixtures.
pub fn financial_provider(accounts: &AccountsConfig) -> Arc<dyn FinancialProvider> {
    Arc::new(LocalFinancialProvider::new(accounts::bank_link_provider(accounts)))
}
