//! An account's status (flows.md section 2): kept here because every domain that changes an account first
//! checks that it is open.

use diesel::prelude::*;
use store::schema::accounts;
use store::{DbConnection, Tx};

use crate::AccountId;

crate::stored_enum! {
    /// Lifecycle of an account. See flows.md for when each status is entered.
    pub enum AccountStatus {
        /// Created; account setup not yet submitted.
        NotSetup = "NOT_SETUP",
        /// Account setup submitted; identity (and, for a business, company officer) checks are pending.
        SetupSubmitted = "SETUP_SUBMITTED",
        /// Every check passed and the login's email is verified: the account is approved.
        Verified = "VERIFIED",
        /// Verified and its funding balance is enabled; the only status from which an account of a global payout country may pay.
        FundingBalanceVerified = "FUNDING_BALANCE_VERIFIED",
        /// Closed by its owner with deactivateAccount. Final.
        Deactivated = "DEACTIVATED",
        /// Blocked by borderless operations staff (an operator command); it can neither pay nor be paid or refunded.
        Disabled = "DISABLED",
    }
}

impl AccountStatus {
    /// DEACTIVATED (for good) or DISABLED (while staff block it): the account's own changes are refused, I-4430.
    pub fn is_closed(self) -> bool {
        matches!(self, Self::Deactivated | Self::Disabled)
    }
}

/// The account's status under a lock on its row, for a change made in the same transaction; `None` when the
/// account does not exist. One statement: on PostgreSQL the read takes the lock (`FOR UPDATE`); SQLite's
/// write transaction already holds the database's write lock ([`Tx::lock_rows`]).
pub fn locked_account_status(tx: &mut Tx<'_>, account_id: &AccountId) -> QueryResult<Option<AccountStatus>> {
    let status = accounts::table.find(account_id).select(accounts::status);
    match tx.conn() {
        DbConnection::Postgres(pg) => status.for_update().first(pg).optional(),
        conn => status.first(conn).optional(),
    }
}
