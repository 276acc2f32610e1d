use std::sync::Arc;

use chrono::{DateTime, Utc};
use kernel::{Country, SecretString};

use super::{HttpIdentityProvider, LocalIdentityProvider};
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

/// Who a check is about: the person behind a login, or a company officer.
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

/// Where a started check stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckProgress {
    Ended(CheckOutcome),
    /// Still running: ask again no earlier than this.
    Running {
        ask_again_at: DateTime<Utc>,
    },
}

/// An applicant the provider created: the subject of a person's identity check, whose document the person
/// captures in the provider's widget.
#[derive(Debug, Clone)]
pub struct Applicant {
    /// The provider's applicant id.
    pub id: String,
    /// What the provider's capture widget is started with; passed through to the client, never stored.
    pub sdk_token: SecretString,
    /// When the SDK token stops working.
    pub sdk_token_expires_at: DateTime<Utc>,
}

/// An identity-verification provider (the original used Onfido): it checks a subject's identity document and
/// reports how the check ended.
///
/// Its calls may block (a real provider is an HTTP service): callers run them on the blocking pool, and those
/// of persons outside any transaction.
pub trait IdentityProvider: Send + Sync {
    /// Creates an applicant for a person about to capture an identity document (embedOnfido).
    fn create_applicant(&self, subject: &IdentitySubject<'_>, now: DateTime<Utc>) -> anyhow::Result<Applicant>;

    /// Whether a document has been captured for the applicant (addOnfidoDocumentToPerson, I-4421).
    fn document_captured(&self, applicant_id: &str) -> anyhow::Result<bool>;

    /// Starts the check of the document captured for the applicant, requested at `requested_at`.
    fn start_applicant_check(
        &self,
        applicant_id: &str,
        subject: &IdentitySubject<'_>,
        requested_at: DateTime<Utc>,
    ) -> anyhow::Result<StartedCheck>;

    /// Starts a check of `subject` with a typed-in `document` (a company officer's) at `now`.
    fn start_check(
        &self,
        subject: &IdentitySubject<'_>,
        document: &IdentityDocument<'_>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<StartedCheck>;

    /// How the check stands at `now`.
    fn progress(&self, check: &StartedCheck, now: DateTime<Utc>) -> anyhow::Result<CheckProgress>;
}

kernel::stored_enum! {
    /// Which identity provider `IDENTITY_PROVIDER` selects.
    pub enum IdentityProviderKind {
        /// The local Onfido-like provider of providers.md section 5.
        Local = "local",
        /// An Onfido-shaped HTTP service at `IDENTITY_PROVIDER_URL`.
        Http = "http",
    }
}

/// The configured identity provider, made once at start and shared (it may hold connections).
pub fn identity_provider(config: &AccountsConfig) -> anyhow::Result<Arc<dyn IdentityProvider>> {
    let local = LocalIdentityProvider::new(config.identity_check_delay, config.identity_sdk_token_ttl);
    Ok(match &config.identity_provider {
        IdentityProviderKind::Local => Arc::new(local),
        IdentityProviderKind::Http => {
            let Some(url) = &config.identity_provider_url else {
                anyhow::bail!("IDENTITY_PROVIDER=http needs IDENTITY_PROVIDER_URL");
            };
            Arc::new(HttpIdentityProvider::new(
                url,
                config.identity_provider_token.clone(),
                config.identity_check_delay,
                config.identity_sdk_token_ttl,
            )?)
        }
    })
}
