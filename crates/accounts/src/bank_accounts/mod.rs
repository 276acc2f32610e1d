//! Bank accounts of an account (addBankAccount, bankAccounts, changePreferredBankAccount): linked through the
//! bank-link provider or typed in by hand, the provider behind one interface with its local implementation
//! (providers.md section 6), and the job that ends the verification of typed-in ones.

mod add;
mod bank_account;
mod list;
mod local;
mod prefer;
mod provider;
mod validation;
mod verification_job;

pub use add::{AddBankAccount, MAX_BANK_ACCOUNTS, ManualBankData, add_bank_account};
pub use bank_account::{BankAccount, BankAccountStatus, BankAccountType};
pub use list::bank_accounts;
pub use local::{BankLinkFixtures, LocalBankLinkProvider};
pub use prefer::change_preferred_bank_account;
pub use provider::{
    BankLinkProvider, LinkedBankAccount, StartedVerification, VerificationOutcome, balance_is_stale, bank_link_provider,
};
pub use validation::{BankNumbers, InvalidBankNumbers};
pub use verification_job::BankVerifications;
