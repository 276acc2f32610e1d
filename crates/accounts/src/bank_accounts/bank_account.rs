use chrono::{DateTime, Utc};
use kernel::{Country, Currency};

kernel::stored_enum! {
    /// The kind of a bank account.
    pub enum BankAccountType {
        Checking = "CHECKING",
        Savings = "SAVINGS",
    }
}

kernel::stored_enum! {
    /// Whether a bank account's ownership is confirmed.
    pub enum BankAccountStatus {
        /// Added; ownership not yet confirmed. Cannot fund or receive payments.
        PendingVerification = "PENDING_VERIFICATION",
        /// Confirmed; usable for paying and receiving.
        FullyVerified = "FULLY_VERIFIED",
        /// Verification failed; unusable.
        Failed = "FAILED",
    }
}

/// A bank account of an account, as bankAccounts shows it: its numbers only masked.
#[derive(Debug, Clone, PartialEq)]
pub struct BankAccount {
    pub id: String,
    /// `**` followed by the last four characters of the account number (or IBAN).
    pub account_number: String,
    /// Masked the same way; `None` when the bank-link provider gives no routing number.
    pub routing_number: Option<String>,
    pub bank_name: String,
    pub currency: Currency,
    pub country: Country,
    pub preferred: bool,
    pub status: BankAccountStatus,
    pub account_type: BankAccountType,
    pub favicon_url: Option<String>,
    /// The bank-link provider's id of a linked account (`yodleeBankAccountId`); `None` for a typed-in one.
    pub link_id: Option<String>,
    /// The bank-link provider's id of the login at the bank (what its widget refreshes).
    pub provider_account_id: Option<String>,
    /// When a linked account's balance was last refreshed; `None` for a balance that is always fresh (and for
    /// typed-in accounts, which have no known balance).
    pub balance_as_of: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}
