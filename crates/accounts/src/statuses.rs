//! The enumerations accounts and persons carry, stored as their contract names.

pub use kernel::AccountStatus;

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
