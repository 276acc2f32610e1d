use juniper::{ID, graphql_object};
use kernel::{AccountType, Context, Country, Currency, DateTime};

use crate::{Account, AccountStatus};

/// The contract's `PrivateAccount`.
#[derive(Debug, Clone)]
pub struct PrivateAccount(pub Account);

#[graphql_object(
    context = Context,
    description = "An account as its owner sees it. Profile fields are null until account setup fills them."
)]
impl PrivateAccount {
    fn id(&self) -> ID {
        self.0.id.clone().into()
    }

    /// PayMe handle; null until chosen.
    fn slug(&self) -> Option<&str> {
        self.0.slug.as_deref()
    }

    fn status(&self) -> AccountStatus {
        self.0.status
    }

    /// Legal name (the person's full name for PERSONAL, the company name for BUSINESS).
    fn name(&self) -> Option<&str> {
        self.0.name.as_deref()
    }

    /// Name shown to counterparties.
    fn display_name(&self) -> Option<&str> {
        self.0.display_name.as_deref()
    }

    fn phone_country_code(&self) -> Option<Country> {
        self.0.phone_country_code
    }

    fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }

    fn address_line1(&self) -> Option<&str> {
        self.0.address_line1.as_deref()
    }

    fn address_line2(&self) -> Option<&str> {
        self.0.address_line2.as_deref()
    }

    fn city(&self) -> Option<&str> {
        self.0.city.as_deref()
    }

    /// ISO 3166-2 code of the account's state/province, e.g. "US-CA".
    fn zone_code(&self) -> Option<&str> {
        self.0.zone_code.as_deref()
    }

    fn postal_code(&self) -> Option<&str> {
        self.0.postal_code.as_deref()
    }

    /// The account's home currency: what it receives in and, by default, pays in.
    fn currency(&self) -> Currency {
        self.0.currency
    }

    fn account_type(&self) -> AccountType {
        self.0.account_type
    }

    fn country(&self) -> Country {
        self.0.country
    }

    /// An accountIdentificationTypes value, e.g. "SSN".
    fn identification_type(&self) -> Option<&str> {
        self.0.identification_type.as_deref()
    }

    /// NAICS code of the business.
    fn industry(&self) -> Option<&str> {
        self.0.industry.as_deref()
    }

    /// A businessTypes value.
    fn business_type(&self) -> Option<&str> {
        self.0.business_type.as_deref()
    }

    fn business_tax_id(&self) -> Option<&str> {
        self.0.business_tax_id.as_deref()
    }

    fn preferred_bank_account_id(&self) -> Option<ID> {
        self.0.preferred_bank_account_id.clone().map(ID::new)
    }

    fn incorporation_document_filename(&self) -> Option<&str> {
        self.0.incorporation_document_filename.as_deref()
    }

    /// Total saved on payments this account sent, in its currency; null before its first completed payment.
    fn payment_saving_total(&self) -> Option<f64> {
        self.0.payment_saving_total.map(|m| m.to_major_f64())
    }

    /// Total saved by beneficiaries on payments this account received, in its currency; null before the first.
    fn beneficiary_saving_total(&self) -> Option<f64> {
        self.0.beneficiary_saving_total.map(|m| m.to_major_f64())
    }

    /// True for a BUSINESS account whose country requires beneficial-owner data that has not been submitted yet.
    fn ubo_info_required(&self) -> bool {
        self.0.ubo_info_required
    }

    /// Where the pay-me page sends the payer after paying this account; null if not set.
    fn redirect_url(&self) -> Option<&str> {
        self.0.redirect_url.as_deref()
    }

    fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}
