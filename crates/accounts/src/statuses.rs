//! The enumerations accounts and persons carry, stored as their contract names.

kernel::stored_enum! {
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

kernel::stored_enum! {
    /// Outcome of an identity check by the verification provider.
    pub enum IdentityCheckStatus {
        /// No document has been attached yet.
        NotStarted = "NOT_STARTED",
        /// A document is attached and the check is running.
        Pending = "PENDING",
        /// The check passed.
        Clear = "CLEAR",
        /// The check failed.
        Rejected = "REJECTED",
    }
}
