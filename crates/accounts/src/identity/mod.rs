//! Identity verification (providers.md section 5): what an Onfido-like provider does behind one interface (the
//! local provider, and an HTTP one), a person's applicants and check, the hosted verification page's links,
//! and the job that starts and ends the checks.

mod applicants;
mod checks_job;
mod http;
mod local;
mod person_check;
mod provider;
mod verification_links;

pub use applicants::embed_onfido;
pub use checks_job::IdentityChecks;
pub use http::HttpIdentityProvider;
pub use local::LocalIdentityProvider;
pub use person_check::attach_identity_document;
pub use provider::{
    Applicant, CheckOutcome, CheckProgress, IdentityDocument, IdentityProvider, IdentityProviderKind, IdentitySubject,
    StartedCheck, identity_provider,
};
pub use verification_links::{
    CheckSubject, PendingCheck, VerificationPage, issue_verification_link, verification_page,
};
