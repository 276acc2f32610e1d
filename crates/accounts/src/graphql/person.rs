use juniper::{ID, graphql_object};
use kernel::{Context, Country, DateTime};

use crate::{IdentityCheckStatus, Person};

/// The contract's `PrivatePerson`.
#[derive(Debug, Clone)]
pub struct PrivatePerson(pub Person);

#[graphql_object(context = Context, description = "The person behind a login, as that person sees it.")]
impl PrivatePerson {
    fn id(&self) -> ID {
        self.0.id.clone().into()
    }

    fn first_name(&self) -> Option<&str> {
        self.0.first_name.as_deref()
    }

    fn middle_name(&self) -> Option<&str> {
        self.0.middle_name.as_deref()
    }

    fn last_name(&self) -> Option<&str> {
        self.0.last_name.as_deref()
    }

    fn email(&self) -> &str {
        &self.0.email
    }

    /// Same value as AuthUser.emailVerified.
    fn email_verified(&self) -> bool {
        self.0.email_verified
    }

    fn phone_country_code(&self) -> Option<Country> {
        self.0.phone_country_code
    }

    fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }

    /// Masked: all but the last four characters replaced by `*`; null if not given.
    fn personal_tax_id(&self) -> Option<&str> {
        self.0.personal_tax_id_masked.as_deref()
    }

    fn date_of_birth(&self) -> Option<DateTime> {
        self.0.date_of_birth.map(DateTime)
    }

    fn citizenship(&self) -> Option<Country> {
        self.0.citizenship
    }

    /// Whether an identity document has been attached (addOnfidoDocumentToPerson).
    fn uploaded_id(&self) -> bool {
        self.0.uploaded_id
    }

    fn identity_check_status(&self) -> IdentityCheckStatus {
        self.0.identity_check_status
    }
}
