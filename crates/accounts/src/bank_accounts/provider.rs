use std::sync::Arc;

use chrono::{DateTime, Utc};
use kernel::{AccountId, Country, Currency, Money};

use super::{BankAccountType, BankNumbers, LocalBankLinkProvider};
use crate::AccountsConfig;

kernel::stored_enum! {
    /// How the verification of a typed-in bank account ended.
    pub enum VerificationOutcome {
        FullyVerified = "FULLY_VERIFIED",
        Failed = "FAILED",
    }
}

/// A bank account the user linked in the provider's widget, as the provider describes it.
#[derive(Clone, PartialEq)]
pub struct LinkedBankAccount {
    /// `yodleeBankAccountId`.
    pub id: String,
    pub provider_account_id: String,
    pub bank_name: String,
    pub favicon_url: Option<String>,
    pub account_type: BankAccountType,
    pub currency: Currency,
    pub country: Country,
    /// The full numbers, for the fingerprint and the masked forms only; never stored as they are.
    pub account_number: String,
    pub routing_number: Option<String>,
    pub balance: Money,
    /// When the balance was read at the bank; `None` means always fresh.
    pub balance_as_of: Option<DateTime<Utc>>,
    /// The bank needs more from the user (extra verification, incomplete details): I-4502.
    pub needs_more_info: bool,
}

// The numbers stay out of logs.
impl std::fmt::Debug for LinkedBankAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LinkedBankAccount").field("id", &self.id).field("bank_name", &self.bank_name).finish()
    }
}

/// The provider's answer when the verification of a typed-in account starts, kept with the bank account and
/// handed back to [`BankLinkProvider::verification_outcome`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartedVerification {
    pub reference: String,
    /// When to ask for the outcome.
    pub due_at: DateTime<Utc>,
    /// A verdict the provider reached at the start and needs kept (the local provider's: the full number is not
    /// stored); `None` for a provider that decides later on its side.
    pub verdict: Option<VerificationOutcome>,
}

/// A bank-link provider (the original used Yodlee): it knows the bank accounts users linked in its widget, and
/// verifies the ones typed in by hand.
pub trait BankLinkProvider: Send + Sync {
    /// The linked bank account `id` of the bank-link user of `account`, or `None` when the provider does not
    /// know it.
    fn linked_account(&self, account: &AccountId, id: &str) -> anyhow::Result<Option<LinkedBankAccount>>;

    /// Starts verifying typed-in `numbers` at `now`; the provider keeps the numbers on its side.
    fn start_verification(
        &self,
        country: Country,
        numbers: &BankNumbers,
        now: DateTime<Utc>,
    ) -> anyhow::Result<StartedVerification>;

    /// How the verification ended, or `None` while it is still running at `now`.
    fn verification_outcome(
        &self,
        verification: &StartedVerification,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<VerificationOutcome>>;
}

/// The configured bank-link provider: today always the local one (providers.md section 6).
pub fn bank_link_provider(config: &AccountsConfig) -> Arc<dyn BankLinkProvider> {
    Arc::new(LocalBankLinkProvider::new(config.bank_link_fixtures.clone(), config.bank_verify_delay))
}

/// A linked balance read at `as_of` is stale at `now` when older than `BANK_BALANCE_MAX_AGE`; `None` (the
/// provider says always fresh) never is. Paying from a stale account asks the user to refresh it.
pub fn balance_is_stale(as_of: Option<DateTime<Utc>>, now: DateTime<Utc>, max_age: chrono::TimeDelta) -> bool {
    as_of.is_some_and(|as_of| now - as_of > max_age)
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;

    #[test]
    fn balances_go_stale_after_the_maximum_age() -> anyhow::Result<()> {
        let now: DateTime<Utc> = "2026-12-02T12:00:00Z".parse()?;
        let day = TimeDelta::hours(24);
        assert!(!balance_is_stale(None, now, day));
        assert!(!balance_is_stale(Some(now - day), now, day));
        assert!(balance_is_stale(Some(now - day - TimeDelta::seconds(1)), now, day));
        Ok(())
    }
}
