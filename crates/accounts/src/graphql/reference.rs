//! The reference lists as root query fields. They are anonymous: a session, if sent, is neither needed nor
//! read.

use juniper::graphql_object;
use kernel::{AccountType, ApiError, Context, Country, Currency};

use crate::{
    AccountsConfig, BusinessType, CountryInfo, NAICS_DEFAULT_FIRST, NaicsCode, ZoneCode, business_types, countries,
    identification_types, job_titles, naics_search, supported_countries, zone_codes,
};

/// The reference-data root query fields.
#[derive(Debug, Default, Clone, Copy)]
pub struct ReferenceQuery;

#[graphql_object(context = Context)]
impl ReferenceQuery {
    /// Kinds of tax identification number accepted for an account of the given type in the given country
    /// (e.g. `SSN`, `ITIN`, `EmployerIdentificationNumber_EIN`). `value` is what `identificationType` takes; it names
    /// the number held in `personalTaxId` (PERSONAL) or `businessTaxId` (BUSINESS).
    fn account_identification_types(country: Country, account_type: AccountType) -> Vec<OptionObject> {
        identification_types(country, account_type)
            .into_iter()
            .map(|kind| OptionObject { value: &kind.value, label: &kind.label })
            .collect()
    }

    /// Every ISO 3166-1 country, ordered by name, with a flag telling whether borderless serves it.
    fn all_countries(ctx: &Context) -> Result<Vec<CountryInfoObject>, ApiError> {
        let config = ctx.services.shared::<AccountsConfig>()?;
        let supported = &config.supported_countries;
        Ok(countries()?
            .iter()
            .map(|info| CountryInfoObject { info, supported: supported.contains(&info.code) })
            .collect())
    }

    /// Business entity types a BUSINESS account can choose from during setup (`value` goes into `businessType`).
    fn business_types() -> Vec<OptionObject> {
        business_types().iter().map(|BusinessType { value, label }| OptionObject { value, label }).collect()
    }

    /// Job titles offered for a person or a company officer (`value` goes into `jobTitle`).
    fn job_titles() -> Vec<OptionObject> {
        job_titles().iter().map(|title| OptionObject { value: title, label: title }).collect()
    }

    /// NAICS 2022 six-digit industry codes, ordered by code. A `search` of digits matches the start of the code; other
    /// text matches the title where a word begins (case-insensitive). `first` caps the list (1 to 500).
    fn naics(
        search: Option<String>,
        #[graphql(default = NAICS_DEFAULT_FIRST)] first: Option<i32>,
    ) -> Result<Vec<NaicsCodeObject>, ApiError> {
        // An explicit `null` means the same as leaving `first` out.
        let first = first.unwrap_or(NAICS_DEFAULT_FIRST);
        Ok(naics_search(search.as_deref(), first)?.into_iter().map(NaicsCodeObject).collect())
    }

    /// The configured subset of countries where accounts can be opened and paid to (each has `supported: true`).
    fn supported_countries(ctx: &Context) -> Result<Vec<CountryInfoObject>, ApiError> {
        let config = ctx.services.shared::<AccountsConfig>()?;
        Ok(supported_countries(&config.supported_countries)?
            .into_iter()
            .map(|info| CountryInfoObject { info, supported: true })
            .collect())
    }

    /// ISO 3166-2 subdivisions of a country (states, provinces, …), ordered by code; empty if it has none.
    fn zone_codes(country: Country) -> Vec<ZoneCodeObject> {
        zone_codes(country).iter().map(ZoneCodeObject).collect()
    }
}

/// The contract's `CountryInfo`: a country and whether borderless serves it.
pub struct CountryInfoObject {
    info: &'static CountryInfo,
    supported: bool,
}

#[graphql_object(name = "CountryInfo", context = Context)]
impl CountryInfoObject {
    /// ISO 3166-1 alpha-2.
    fn code(&self) -> Country {
        self.info.code
    }

    /// ISO 3166-1 alpha-3.
    fn alpha3(&self) -> &str {
        &self.info.alpha3
    }

    /// English short name.
    fn name(&self) -> &str {
        &self.info.name
    }

    /// International calling code with a leading +, e.g. "+1", "+44"; null where none is assigned.
    fn calling_code(&self) -> Option<&str> {
        self.info.calling_code.as_deref()
    }

    /// The country's main ISO 4217 currency; null where it has none.
    fn currency(&self) -> Option<Currency> {
        self.info.currency
    }

    /// True when accounts can be opened in this country and paid to (it is in supportedCountries).
    fn supported(&self) -> bool {
        self.supported
    }
}

/// The contract's `ZoneCode`.
pub struct ZoneCodeObject(&'static ZoneCode);

#[graphql_object(name = "ZoneCode", context = Context, description = "An ISO 3166-2 subdivision.")]
impl ZoneCodeObject {
    /// Full ISO 3166-2 code, e.g. "US-CA".
    fn code(&self) -> &str {
        &self.0.code
    }

    fn name(&self) -> &str {
        &self.0.name
    }

    /// Subdivision category as ISO 3166-2 names it, e.g. "State", "Province", "District".
    fn category(&self) -> &str {
        &self.0.category
    }
}

/// The contract's `Option`, an entry of businessTypes, jobTitles or accountIdentificationTypes.
pub struct OptionObject {
    value: &'static str,
    label: &'static str,
}

#[graphql_object(
    name = "Option",
    context = Context,
    description = "A value/label pair of a reference list. `value` is what inputs take; `label` is for display (English)."
)]
impl OptionObject {
    fn value(&self) -> &str {
        self.value
    }

    fn label(&self) -> &str {
        self.label
    }
}

/// The contract's `NaicsCode`.
pub struct NaicsCodeObject(&'static NaicsCode);

#[graphql_object(name = "NaicsCode", context = Context)]
impl NaicsCodeObject {
    /// Six-digit NAICS 2022 code, e.g. "541511".
    fn code(&self) -> &str {
        &self.0.code
    }

    fn title(&self) -> &str {
        &self.0.title
    }
}
