//! What the ledger checks need to know of a payment or refund: its status, its amounts and the ledger accounts
//! its money comes from and goes to. The ledger does not read payments itself; the caller supplies these facts.

use std::fmt;

use crate::PaymentAmounts;
use crate::ledger::FundingSource;

/// The statuses of flows.md section 8 a payment or refund can have (REQUESTED belongs to requests only, which
/// move no money).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntryStatus {
    Scheduled,
    Pending,
    Processing,
    Unclaimed,
    InTransit,
    Complete,
    Declined,
    Canceled,
    Failed,
    Returned,
}

impl EntryStatus {
    /// The contract's name (`PaymentEntryStatus`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scheduled => "SCHEDULED",
            Self::Pending => "PENDING",
            Self::Processing => "PROCESSING",
            Self::Unclaimed => "UNCLAIMED",
            Self::InTransit => "IN_TRANSIT",
            Self::Complete => "COMPLETE",
            Self::Declined => "DECLINED",
            Self::Canceled => "CANCELED",
            Self::Failed => "FAILED",
            Self::Returned => "RETURNED",
        }
    }

    /// DECLINED, CANCELED, FAILED or RETURNED: nothing moved, or the whole payer total was given back
    /// (invariant 3).
    pub fn is_given_back(self) -> bool {
        matches!(self, Self::Declined | Self::Canceled | Self::Failed | Self::Returned)
    }

    /// PROCESSING or UNCLAIMED: the payer total sits in clearing (invariant 4).
    pub fn is_in_clearing(self) -> bool {
        matches!(self, Self::Processing | Self::Unclaimed)
    }
}

impl fmt::Display for EntryStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A payment or refund as the ledger checks see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerEntry {
    /// The PaymentEntry id its posting sets are tagged with.
    pub id: String,
    pub status: EntryStatus,
    pub amounts: PaymentAmounts,
    /// Where the payer total was collected from.
    pub source: FundingSource,
    /// The bank account id the beneficiary total is paid into; `None` while there is none (a claim payment held
    /// for an email address).
    pub destination: Option<String>,
}
