//! What the ledger checks need to know of a payment or refund: its status, its amounts and the ledger accounts
//! its money comes from and goes to. The ledger does not read payments itself; the caller supplies these facts.

use crate::ledger::FundingSource;
use crate::{PaymentAmounts, PaymentEntryStatus};

/// A payment or refund as the ledger checks see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerEntry {
    /// The PaymentEntry id its posting sets are tagged with.
    pub id: String,
    pub status: PaymentEntryStatus,
    pub amounts: PaymentAmounts,
    /// Where the payer total was collected from.
    pub source: FundingSource,
    /// The bank account id the beneficiary total is paid into; `None` while there is none (a claim payment held
    /// for an email address).
    pub destination: Option<String>,
}
