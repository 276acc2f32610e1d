use std::str::FromStr;
use std::sync::OnceLock;

use anyhow::{Context as _, ensure};
use kernel::{AccountType, Country};

use super::{loaded, read_rows, same_word};

const IDENTIFICATION_TYPES_CSV: &str = include_str!("../../data/identification_types.csv");

/// The `country` of the rows that serve every country without rows of its own.
const ANY_OTHER_COUNTRY: &str = "*";

/// A kind of tax identification number: which number `personalTaxId` (PERSONAL) or `businessTaxId`
/// (BUSINESS) holds, and so which format rule applies to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentificationType {
    /// `None` for the rows of every country that has none of its own.
    pub country: Option<Country>,
    pub account_type: AccountType,
    pub value: String,
    pub label: String,
}

#[derive(serde::Deserialize)]
struct Row {
    country: String,
    account_type: String,
    value: String,
    label: String,
}

fn all() -> &'static [IdentificationType] {
    static PARSED: OnceLock<Vec<IdentificationType>> = OnceLock::new();
    PARSED.get_or_init(|| loaded("identification_types.csv", parse(IDENTIFICATION_TYPES_CSV)))
}

/// The identification types an account of `account_type` in `country` can give, in the contract's order:
/// the country's own rows, or the rows of any other country when it has none.
pub fn identification_types(country: Country, account_type: AccountType) -> Vec<&'static IdentificationType> {
    let rows_of = |country: Option<Country>| {
        all().iter().filter(|kind| kind.country == country && kind.account_type == account_type).collect::<Vec<_>>()
    };
    let own = rows_of(Some(country));
    if own.is_empty() { rows_of(None) } else { own }
}

/// The identification type `text` names among those of `country` and `account_type`, ignoring case and
/// surrounding white space, in the list's spelling; `None` when it is not one of them (I-4320).
pub fn identification_type(
    country: Country,
    account_type: AccountType,
    text: &str,
) -> Option<&'static IdentificationType> {
    identification_types(country, account_type).into_iter().find(|kind| same_word(text, &kind.value))
}

fn parse(text: &str) -> anyhow::Result<Vec<IdentificationType>> {
    let kinds = read_rows::<Row>(text)?
        .into_iter()
        .map(|row| {
            let country = match row.country.as_str() {
                ANY_OTHER_COUNTRY => None,
                code => Some(Country::from_str(code).with_context(|| row.value.clone())?),
            };
            let account_type = AccountType::from_str(&row.account_type).with_context(|| row.value.clone())?;
            Ok(IdentificationType { country, account_type, value: row.value, label: row.label })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    for account_type in [AccountType::Personal, AccountType::Business] {
        let fallback = kinds.iter().any(|kind| kind.country.is_none() && kind.account_type == account_type);
        ensure!(fallback, "no {account_type} rows for any other country");
    }
    Ok(kinds)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(country: Country, account_type: AccountType) -> Vec<&'static str> {
        identification_types(country, account_type).into_iter().map(|kind| kind.value.as_str()).collect()
    }

    #[test]
    fn each_country_and_type_gets_its_rows_in_the_contracts_order() {
        use AccountType::{Business, Personal};
        assert_eq!(values(Country::US, Personal), ["SSN", "ITIN"]);
        assert_eq!(values(Country::US, Business), ["EmployerIdentificationNumber_EIN"]);
        assert_eq!(values(Country::CA, Personal), ["SIN"]);
        assert_eq!(values(Country::CA, Business), ["BusinessNumber_BN"]);
        assert_eq!(values(Country::MX, Personal), ["RFC"]);
        assert_eq!(values(Country::MX, Business), ["RegistroFederalDeContribuyentes_RFC"]);
        for country in [Country::GB, Country::DE, Country::AQ] {
            assert_eq!(values(country, Personal), ["TIN"], "{country}");
            assert_eq!(values(country, Business), ["BusinessRegistrationNumber_BRN"], "{country}");
        }
        let ssn = &identification_types(Country::US, Personal)[0];
        assert_eq!(ssn.label, "Social Security Number (SSN)");
        assert!(all().iter().all(|kind| kind.value.is_ascii()));
    }

    #[test]
    fn a_type_is_matched_among_its_countrys_ignoring_case() {
        let value = |country, account_type, text| {
            identification_type(country, account_type, text).map(|kind| kind.value.as_str())
        };
        assert_eq!(value(Country::US, AccountType::Personal, "itin"), Some("ITIN"));
        assert_eq!(
            value(Country::US, AccountType::Business, " employeridentificationnumber_ein "),
            Some("EmployerIdentificationNumber_EIN")
        );
        assert_eq!(value(Country::US, AccountType::Business, "SSN"), None);
        assert_eq!(value(Country::CA, AccountType::Personal, "SSN"), None);
        assert_eq!(value(Country::GB, AccountType::Personal, "SIN"), None);
        assert_eq!(value(Country::GB, AccountType::Personal, "tin"), Some("TIN"));
    }
}
