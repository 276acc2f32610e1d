//! The double-entry ledger of flows.md section 11: every movement of money, in integer minor units, as posting
//! sets that each balance per currency.
//!
//! [`LedgerAccount`] names the ledger accounts; one pure function per step that moves money ([`collection`],
//! [`payout`], [`arrival`], [`give_back`], [`give_back_after_payout`], [`funding_credit`]) builds its
//! [`PostingSet`]; [`post`] appends a set inside the caller's transaction, refusing one that does not balance;
//! the invariant checks ([`check_sets`] over sets in memory, [`check_ledger`] over the stored ledger) report
//! every way the books disagree with the payments' facts. The ledger is internal and never decides an outcome.

mod accounts;
mod entry;
mod invariants;
mod postings;
mod store;

pub use accounts::{FundingSource, LedgerAccount};
pub use entry::LedgerEntry;
pub use invariants::{
    LedgerReport, Violation, check_balance, check_completed, check_entry, check_funding_balances,
    check_funding_balances_against, check_given_back, check_open_money, check_sets,
};
pub use postings::{
    Posting, PostingSet, Step, arrival, collection, funding_credit, give_back, give_back_after_payout, payout,
};
pub use store::{PostError, check_ledger, load_posting_sets, post};
