use chrono::{DateTime, NaiveDate, Utc};
use kernel::{AccountType, Country, ExposeSecret as _, FxRates, SecretString, SessionIdentity};
use store::Tx;

use super::fields;
use super::read::{AccountFacts, account_facts, open_session};
use super::record::{self, SetupData, StoredPersonalTaxId, UsPersonalKind};
use crate::{
    AccountsConfig, AccountsError, BusinessTaxId, PersonalTaxId, PersonalTaxIdKind, Slug, TaxIdKey,
    business_tax_id_taken, personal_tax_id_taken, require_open_account, slug_taken,
};

/// One field of an update input: absent (kept), `null` (cleared) or a value.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Patch<T> {
    #[default]
    Absent,
    Clear,
    Set(T),
}

impl<T> Patch<T> {
    fn is_set(&self) -> bool {
        matches!(self, Self::Set(_))
    }
}

impl Patch<String> {
    /// Trimmed (README, "Inputs"); a string empty after trimming leaves the stored value as it is.
    fn trimmed(self) -> Self {
        match self {
            Self::Set(text) if text.trim().is_empty() => Self::Absent,
            Self::Set(text) => Self::Set(text.trim().to_owned()),
            other => other,
        }
    }
}

impl Patch<SecretString> {
    fn trimmed(self) -> Self {
        match self {
            Self::Set(text) if text.expose_secret().trim().is_empty() => Self::Absent,
            Self::Set(text) => Self::Set(SecretString::from(text.expose_secret().trim().to_owned())),
            other => other,
        }
    }
}

/// The fields of updateAccountSetupSession's input. `country` is only ever compared: `null` counts as absent.
/// No `Debug`: it holds a date of birth, which is never logged.
#[derive(Clone, Default)]
pub struct SetupSessionUpdate {
    pub slug: Patch<String>,
    pub address_line1: Patch<String>,
    pub address_line2: Patch<String>,
    pub city: Patch<String>,
    pub zone_code: Patch<String>,
    pub postal_code: Patch<String>,
    pub country: Option<Country>,
    pub identification_type: Patch<String>,
    pub bank_name: Patch<String>,
    pub first_name: Patch<String>,
    pub middle_name: Patch<String>,
    pub last_name: Patch<String>,
    pub phone: Patch<String>,
    pub phone_country_code: Patch<Country>,
    pub date_of_birth: Patch<kernel::DateTime>,
    pub personal_tax_id: Patch<SecretString>,
    pub citizenship: Patch<Country>,
    pub name: Patch<String>,
    pub display_name: Patch<String>,
    pub business_type: Patch<String>,
    pub business_tax_id: Patch<SecretString>,
    pub industry: Patch<String>,
    pub estimated_monthly_volume: Patch<f64>,
    pub estimated_monthly_transactions: Patch<i32>,
    pub business_size: Patch<i32>,
    pub job_title: Patch<String>,
    pub zone_code_of_incorporation: Patch<String>,
}

/// Merges `patch` into `slot`: a value through `rule`, `null` clearing, absent keeping.
fn merge<T, U>(
    slot: &mut Option<T>,
    patch: Patch<U>,
    rule: impl FnOnce(U) -> Result<T, AccountsError>,
) -> Result<(), AccountsError> {
    match patch {
        Patch::Absent => {}
        Patch::Clear => *slot = None,
        Patch::Set(value) => *slot = Some(rule(value)?),
    }
    Ok(())
}

/// updateAccountSetupSession: validates each given field in the page's order and merges them into the current
/// account's open session in one write, the first refusal leaving it unchanged; every success moves its expiry
/// to now + `SETUP_SESSION_TTL`. Nothing reaches the account or the person.
pub fn update_setup_session(
    tx: &mut Tx<'_>,
    config: &AccountsConfig,
    key: &TaxIdKey,
    rates: &FxRates,
    caller: &SessionIdentity,
    input: SetupSessionUpdate,
    now: DateTime<Utc>,
) -> Result<(), AccountsError> {
    require_open_account(tx, &caller.account_id)?;
    let facts = account_facts(tx.conn(), caller)?;
    let stored = open_session(tx.conn(), caller, now)?;
    let mut data = stored.data;
    let cross_check =
        input.identification_type.clone().trimmed().is_set() || input.personal_tax_id.clone().trimmed().is_set();
    merge_fields(tx, key, rates, caller, facts, &mut data, input, now.date_naive())?;
    if cross_check {
        check_tax_id_matches_type(facts, &data)?;
    }
    record::save(tx.conn(), &caller.account_id, &data, now, now + config.setup_session_ttl)
}

/// Rule 5, field by field in the page's order.
#[allow(clippy::too_many_arguments)] // the rule's inputs, each needed by some field
fn merge_fields(
    tx: &mut Tx<'_>,
    key: &TaxIdKey,
    rates: &FxRates,
    caller: &SessionIdentity,
    facts: AccountFacts,
    data: &mut SetupData,
    input: SetupSessionUpdate,
    today: NaiveDate,
) -> Result<(), AccountsError> {
    let AccountFacts { account_type, country, currency } = facts;
    // A business-only field given a value on a PERSONAL account's session, checked at that field's place.
    let business_only = |field: &'static str, given: bool| {
        if given && account_type == AccountType::Personal {
            Err(AccountsError::BusinessOnlyField(field))
        } else {
            Ok(())
        }
    };
    merge(&mut data.slug, input.slug.trimmed(), |text| {
        let slug = Slug::parse(&text).map_err(AccountsError::InvalidSlug)?;
        if slug_taken(tx.conn(), &slug)? {
            return Err(AccountsError::HandleExists);
        }
        Ok(slug.as_str().to_owned())
    })?;
    merge(&mut data.address_line1, input.address_line1.trimmed(), |text| fields::address(&text))?;
    merge(&mut data.address_line2, input.address_line2.trimmed(), |text| fields::address(&text))?;
    merge(&mut data.city, input.city.trimmed(), |text| fields::address(&text))?;
    merge(&mut data.zone_code, input.zone_code.trimmed(), |text| fields::zone_code(country, &text))?;
    merge(&mut data.postal_code, input.postal_code.trimmed(), |text| fields::postal_code(country, &text))?;
    if input.country.is_some_and(|given| given != country) {
        return Err(AccountsError::CountryFixed);
    }
    merge(&mut data.identification_type, input.identification_type.trimmed(), |text| {
        fields::identification(country, account_type, &text)
    })?;
    merge(&mut data.bank_name, input.bank_name.trimmed(), |text| fields::text("bankName", 100, &text))?;
    merge(&mut data.first_name, input.first_name.trimmed(), |text| fields::text("firstName", 50, &text))?;
    merge(&mut data.middle_name, input.middle_name.trimmed(), |text| fields::text("middleName", 50, &text))?;
    merge(&mut data.last_name, input.last_name.trimmed(), |text| fields::text("lastName", 50, &text))?;
    // The phone country: this input's, else the session's, else the account's country.
    let phone_country = match &input.phone_country_code {
        Patch::Set(given) => *given,
        Patch::Clear => country,
        Patch::Absent => data.phone_country_code.unwrap_or(country),
    };
    let phone_given = input.phone.clone().trimmed().is_set();
    merge(&mut data.phone, input.phone.trimmed(), |text| fields::phone(phone_country, &text))?;
    merge(&mut data.phone_country_code, input.phone_country_code, |given| {
        fields::calling_code(given)?;
        if let (false, Some(stored)) = (phone_given, &data.phone) {
            fields::phone(given, stored)?;
        }
        Ok(given)
    })?;
    merge(&mut data.date_of_birth, input.date_of_birth, |given| {
        let date = fields::date_only(given)?;
        fields::date_of_birth(date, today)
    })?;
    merge(&mut data.personal_tax_id, input.personal_tax_id.trimmed(), |text| {
        let tax_id =
            PersonalTaxId::parse(country, text.expose_secret()).map_err(|_| AccountsError::InvalidPersonalTaxId)?;
        if personal_tax_id_taken(tx.conn(), key, &tax_id, &caller.person_id)? {
            return Err(AccountsError::PersonalTaxIdTaken);
        }
        let us_kind = match tax_id.kind() {
            PersonalTaxIdKind::Ssn => Some(UsPersonalKind::Ssn),
            PersonalTaxIdKind::Itin => Some(UsPersonalKind::Itin),
            _ => None,
        };
        Ok(StoredPersonalTaxId {
            masked: tax_id.masked(),
            digest: tax_id.digest(key),
            us_kind,
            provider_accepts: fields::provider_accepts(tax_id.expose_secret()),
        })
    })?;
    merge(&mut data.citizenship, input.citizenship, Ok)?;
    let name = input.name.trimmed();
    business_only("name", name.is_set())?;
    merge(&mut data.name, name, |text| fields::text("name", 120, &text))?;
    merge(&mut data.display_name, input.display_name.trimmed(), |text| fields::display_name(&text))?;
    let business_type = input.business_type.trimmed();
    business_only("businessType", business_type.is_set())?;
    merge(&mut data.business_type, business_type, |text| fields::business_kind(&text))?;
    let business_tax_id = input.business_tax_id.trimmed();
    business_only("businessTaxId", business_tax_id.is_set())?;
    merge(&mut data.business_tax_id, business_tax_id, |text| {
        let tax_id =
            BusinessTaxId::parse(country, text.expose_secret()).map_err(|_| AccountsError::InvalidBusinessTaxId)?;
        if business_tax_id_taken(tx.conn(), key, &tax_id, &caller.account_id)? {
            return Err(AccountsError::BusinessTaxIdTaken);
        }
        Ok(tax_id.expose_secret().to_owned())
    })?;
    let industry = input.industry.trimmed();
    business_only("industry", industry.is_set())?;
    merge(&mut data.industry, industry, |text| fields::industry(&text))?;
    merge(&mut data.estimated_monthly_volume, input.estimated_monthly_volume, |value| {
        fields::volume(value, currency, rates)
    })?;
    merge(&mut data.estimated_monthly_transactions, input.estimated_monthly_transactions, |value| {
        fields::count("estimatedMonthlyTransactions", value)
    })?;
    business_only("businessSize", input.business_size.is_set())?;
    merge(&mut data.business_size, input.business_size, |value| fields::count("businessSize", value))?;
    let job_title = input.job_title.trimmed();
    business_only("jobTitle", job_title.is_set())?;
    merge(&mut data.job_title, job_title, |text| fields::title(&text))?;
    let zone_of_incorporation = input.zone_code_of_incorporation.trimmed();
    business_only("zoneCodeOfIncorporation", zone_of_incorporation.is_set())?;
    merge(&mut data.zone_code_of_incorporation, zone_of_incorporation, |text| fields::zone_code_of_incorporation(&text))
}

/// Rule 6 (I-4321): on a US PERSONAL session holding both, an `SSN` type needs an SSN and an `ITIN` type an
/// ITIN. A number prefilled from the person has no known kind here and is not compared.
pub(crate) fn check_tax_id_matches_type(facts: AccountFacts, data: &SetupData) -> Result<(), AccountsError> {
    if facts.account_type != AccountType::Personal || facts.country != Country::US {
        return Ok(());
    }
    let (Some(kind), Some(tax_id)) = (data.identification_type.as_deref(), &data.personal_tax_id) else {
        return Ok(());
    };
    let matches = match (kind, tax_id.us_kind) {
        ("SSN", Some(found)) => found == UsPersonalKind::Ssn,
        ("ITIN", Some(found)) => found == UsPersonalKind::Itin,
        _ => true,
    };
    if matches { Ok(()) } else { Err(AccountsError::TaxIdTypeMismatch) }
}
