//! The account setup session (flows.md section 3): one per account, created prefilled from what is on record,
//! updated field by field, read back to refill forms, and submitted once, which applies it to the account and
//! person and moves the account NOT_SETUP → SETUP_SUBMITTED.

mod create;
pub(crate) mod fields;
mod read;
mod record;
mod submit;
mod update;

use chrono::{DateTime, NaiveDate, Utc};
use kernel::{AccountType, Country, Money};

pub use create::create_setup_session;
pub use read::setup_session;
pub(crate) use record::load as stored_setup_session;
pub use submit::submit_setup_session;
pub use update::{Patch, SetupSessionUpdate, update_setup_session};

/// A setup session as its owner reads it (accountSetupSession). The personal tax id is masked; the business
/// tax id is in full.
#[derive(Debug, Clone, PartialEq)]
pub struct SetupSession {
    pub account_type: AccountType,
    pub country: Country,
    /// Read live from the person: an identity document is attached.
    pub uploaded_id: bool,
    pub slug: Option<String>,
    pub address_line1: Option<String>,
    pub address_line2: Option<String>,
    pub city: Option<String>,
    pub zone_code: Option<String>,
    pub postal_code: Option<String>,
    pub identification_type: Option<String>,
    pub bank_name: Option<String>,
    pub first_name: Option<String>,
    pub middle_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
    pub phone_country_code: Option<Country>,
    pub date_of_birth: Option<NaiveDate>,
    pub personal_tax_id_masked: Option<String>,
    pub citizenship: Option<Country>,
    pub name: Option<String>,
    pub display_name: Option<String>,
    pub business_type: Option<String>,
    pub business_tax_id: Option<String>,
    pub industry: Option<String>,
    pub estimated_monthly_volume: Option<Money>,
    pub estimated_monthly_transactions: Option<i32>,
    pub business_size: Option<i32>,
    pub job_title: Option<String>,
    pub zone_code_of_incorporation: Option<String>,
    pub expires_at: DateTime<Utc>,
}
