//! Identity verification (providers.md section 5): what an Onfido-like provider does behind one interface, the
//! local provider, and the job that ends the checks whose outcome is due.

mod checks_job;
mod local;
mod provider;

pub use checks_job::IdentityChecks;
pub use local::LocalIdentityProvider;
pub use provider::{
    CheckOutcome, IdentityDocument, IdentityProvider, IdentitySubject, StartedCheck, identity_provider,
};
