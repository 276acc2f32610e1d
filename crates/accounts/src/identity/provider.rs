use std::sync::Arc;

use chrono::{DateTime, Utc};
use kernel::{Country, SecretString};

use super::LocalIdentityProvider;
use crate::{AccountsConfig, IdDocumentType, IdentityCheckStatus};

kernel::stored_enum! {
    /// How a finished identity check ended.
    pub enum CheckOutcome {
        /// The check passed.
        Clear = "CLEAR",
        /// The check failed.
        Rejected = "REJECTED",
    }
}

impl From<CheckOutcome> for IdentityCheckStatus {
    fn from(outcome: CheckOutcome) -> Self {
        match outcome {
            CheckOutcome::Clear => IdentityCheckStatus::Clear,
            CheckOutcome::Rejected => IdentityCheckStatus::Rejected,
        }
    }
}

/// Who a check is about: a company officer today, the person behind a login later.
#[derive(Debug, Clone, Copy)]
pub struct IdentitySubject<'a> {
    /// The full name as recorded.
    pub name: &'a str,
    /// The family name the document is compared with: a person's last name, the last word of an officer's name.
    pub family_name: &'a str,
}

/// The identity document a check is made with. The number is secret: never logged, never returned.
#[derive(Debug, Clone, Copy)]
pub struct IdentityDocument<'a> {
    pub document_type: IdDocumentType,
    /// In its normal form: spaces and hyphens removed, upper case.
    pub number: &'a SecretString,
    pub issuing_country: Country,
    pub expiry_date: Option<DateTime<Utc>>,
}

/// The provider's answer when a check starts, kept with the subject and handed back to
/// [`IdentityProvider::outcome`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartedCheck {
    /// The provider's id of the check.
    pub reference: String,
    /// When to ask for the outcome.
    pub due_at: DateTime<Utc>,
    /// A verdict the provider reached when the check started and needs kept until it is due (the local
    /// provider's); `None` for a provider that decides later on its side.
    pub verdict: Option<CheckOutcome>,
}

/// An identity-verification provider (the original used Onfido): it checks a subject's identity document and
/// reports how the check ended.
pub trait IdentityProvider: Send + Sync {
    /// Starts a check of `subject` with `document` at `now`.
    fn start_check(
        &self,
        subject: &IdentitySubject<'_>,
        document: &IdentityDocument<'_>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<StartedCheck>;

    /// How the check ended, or `None` while it is still running at `now`.
    fn outcome(&self, check: &StartedCheck, now: DateTime<Utc>) -> anyhow::Result<Option<CheckOutcome>>;
}

/// The configured identity provider: today always the local one (providers.md section 5).
pub fn identity_provider(config: &AccountsConfig) -> Arc<dyn IdentityProvider> {
    Arc::new(LocalIdentityProvider::new(config.identity_check_delay))
}
