use chrono::{DateTime, Utc};
use kernel::{Country, SecretString};

kernel::stored_enum! {
    /// The role of a company officer.
    pub enum CompanyOfficerType {
        /// Ultimate beneficial owner.
        Ubo = "UBO",
        /// Chief executive officer.
        Ceo = "CEO",
    }
}

kernel::stored_enum! {
    /// Kinds of identity document accepted for a company officer.
    pub enum IdDocumentType {
        Passport = "PASSPORT",
        DrivingLicence = "DRIVING_LICENCE",
        NationalIdentityCard = "NATIONAL_IDENTITY_CARD",
    }
}

/// An officer as addCompanyOfficerToAccount receives it, before its rules are checked. No `Debug`: it holds a
/// document number.
pub struct NewOfficer {
    pub name: String,
    pub percent_of_ownership: f64,
    pub officer_type: CompanyOfficerType,
    pub date_of_birth: Option<DateTime<Utc>>,
    pub job_title: Option<String>,
    pub country: Option<Country>,
    pub uploaded_id: Option<NewDocument>,
}

/// An officer's identity document as given.
pub struct NewDocument {
    pub document_type: IdDocumentType,
    pub document_number: SecretString,
    pub issuing_country: Country,
    pub expiry_date: Option<DateTime<Utc>>,
}
