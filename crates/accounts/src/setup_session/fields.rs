//! The rules of single setup fields (updateAccountSetupSession rule 5), shared by update, which checks what is
//! given, and submit, which checks again what is stored. Each takes the trimmed text and answers the stored
//! form or the field's refusal.

use chrono::{Datelike as _, NaiveDate};
use kernel::{Country, Currency, FxRates, Money, MoneyError};

use crate::{AccountType, AccountsError, business_type, country_info, identification_type, is_naics_code, job_title};
use crate::{is_zone_code, zone_codes};

fn has_control(text: &str) -> bool {
    text.chars().any(char::is_control)
}

fn within(text: &str, min: usize, max: usize) -> bool {
    let length = text.chars().count();
    (min..=max).contains(&length) && !has_control(text)
}

/// `firstName`, `middleName`, `lastName` (50), `bankName` (100), business `name` (120): I-4330.
pub(crate) fn text(field: &'static str, max: u32, value: &str) -> Result<String, AccountsError> {
    if within(value, 1, max as usize) { Ok(value.to_owned()) } else { Err(AccountsError::TextLength { field, max }) }
}

/// `addressLine1`, `addressLine2`, `city`: at most 100 characters, no control characters (I-4417).
pub(crate) fn address(value: &str) -> Result<String, AccountsError> {
    if within(value, 1, 100) { Ok(value.to_owned()) } else { Err(AccountsError::InvalidAddress) }
}

/// `displayName`: 1 to 64 characters, no control characters (I-4416).
pub(crate) fn display_name(value: &str) -> Result<String, AccountsError> {
    if within(value, 1, 64) { Ok(value.to_owned()) } else { Err(AccountsError::InvalidDisplayName) }
}

/// `zoneCode`: a zone of the account's country, ignoring case, as listed (I-4418).
pub(crate) fn zone_code(country: Country, value: &str) -> Result<String, AccountsError> {
    zone_codes(country)
        .iter()
        .find(|zone| zone.code.eq_ignore_ascii_case(value))
        .map(|zone| zone.code.clone())
        .ok_or(AccountsError::InvalidZoneCode)
}

/// `zoneCodeOfIncorporation`: any ISO 3166-2 code, ignoring case, as listed (I-4322).
pub(crate) fn zone_code_of_incorporation(value: &str) -> Result<String, AccountsError> {
    let code = value.to_ascii_uppercase();
    if is_zone_code(&code) { Ok(code) } else { Err(AccountsError::InvalidIncorporationZone) }
}

/// Whether the country has a postal code format of its own (updateAccount's table), which makes `postalCode`
/// required at submit.
pub(crate) fn has_postal_format(country: Country) -> bool {
    matches!(country, Country::US | Country::CA | Country::GB | Country::AU | Country::MX)
}

/// `postalCode`, upper-cased and checked against the account country's format; stored in updateAccount's form
/// (I-4419).
pub(crate) fn postal_code(country: Country, value: &str) -> Result<String, AccountsError> {
    let code = value.to_uppercase();
    let bytes = code.as_bytes();
    let digits = |range: std::ops::Range<usize>| bytes.get(range).is_some_and(|b| b.iter().all(u8::is_ascii_digit));
    let stored = match country {
        Country::US => ((code.len() == 5 && digits(0..5))
            || (code.len() == 10 && digits(0..5) && bytes[5] == b'-' && digits(6..10)))
        .then_some(code.clone()),
        Country::AU => (code.len() == 4 && digits(0..4)).then_some(code.clone()),
        Country::MX => (code.len() == 5 && digits(0..5)).then_some(code.clone()),
        Country::CA => canadian_postal_code(&code),
        Country::GB => british_postcode(&code),
        _ => (within(&code, 1, 10) && code.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-'))
            .then_some(code.clone()),
    };
    stored.ok_or(AccountsError::InvalidPostalCode)
}

/// Letter digit letter, optional space, digit letter digit; no D, F, I, O, Q or U, and no W or Z first.
fn canadian_postal_code(code: &str) -> Option<String> {
    let compact: Vec<char> = match code.chars().count() {
        6 => code.chars().collect(),
        7 if code.chars().nth(3) == Some(' ') => code.chars().filter(|c| *c != ' ').collect(),
        _ => return None,
    };
    let letter =
        |c: char, first: bool| c.is_ascii_uppercase() && !"DFIOQU".contains(c) && !(first && (c == 'W' || c == 'Z'));
    let shape =
        compact.iter().enumerate().all(|(i, c)| if i % 2 == 0 { letter(*c, i == 0) } else { c.is_ascii_digit() });
    shape.then(|| format!("{} {}", compact[..3].iter().collect::<String>(), compact[3..].iter().collect::<String>()))
}

/// `^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$`, stored as outward and inward code with one space.
fn british_postcode(code: &str) -> Option<String> {
    let (outward, inward) = match code.split_once(' ') {
        Some((outward, inward)) => (outward, inward),
        None if code.len() >= 5 && code.is_ascii() => code.split_at(code.len() - 3),
        None => return None,
    };
    let inward_ok = inward.len() == 3 && {
        let b = inward.as_bytes();
        b[0].is_ascii_digit() && b[1].is_ascii_uppercase() && b[2].is_ascii_uppercase()
    };
    let o = outward.as_bytes();
    let letters = o.iter().take_while(|b| b.is_ascii_uppercase()).count();
    let rest = &o[letters.min(o.len())..];
    let outward_ok = outward.is_ascii()
        && (1..=2).contains(&letters)
        && !rest.is_empty()
        && rest[0].is_ascii_digit()
        && rest.len() <= 2
        && rest.iter().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    (inward_ok && outward_ok).then(|| format!("{outward} {inward}"))
}

/// The phone country has a calling code (allCountries); I-4415 otherwise.
pub(crate) fn calling_code(country: Country) -> Result<String, AccountsError> {
    let info = country_info(country)?;
    let code = info.calling_code.as_deref().ok_or(AccountsError::InvalidPhone)?;
    Ok(code.trim_start_matches('+').to_owned())
}

/// `phone` for the phone country, judged by libphonenumber's metadata (the `phonenumber` crate): a valid
/// number of that region, as `isValidNumberForRegion` judges it (I-4415). Stored as the national significant
/// number, digits only.
pub(crate) fn phone(country: Country, value: &str) -> Result<String, AccountsError> {
    let region: phonenumber::country::Id = country.code().parse().map_err(|_| AccountsError::InvalidPhone)?;
    let number = phonenumber::parse(Some(region), value).map_err(|_| AccountsError::InvalidPhone)?;
    let valid_here = number.is_valid() && number.country().id() == Some(region);
    valid_here.then(|| number.national().value().to_string()).ok_or(AccountsError::InvalidPhone)
}

/// A date-only input (README, "Scalars and values"): its time of day must be exactly 00:00:00.000 UTC (I-4303).
pub(crate) fn date_only(value: kernel::DateTime) -> Result<NaiveDate, AccountsError> {
    value.date_only().ok_or(AccountsError::InvalidDate)
}

/// `dateOfBirth`: not after today nor before 1900-01-01 (I-4329); 18 years old or more today, a 29 February
/// birthday counting as 1 March in other years (I-4328).
pub(crate) fn date_of_birth(date: NaiveDate, today: NaiveDate) -> Result<NaiveDate, AccountsError> {
    let earliest = NaiveDate::from_ymd_opt(1900, 1, 1).ok_or_else(|| anyhow::anyhow!("1900-01-01"))?;
    if date > today || date < earliest {
        return Err(AccountsError::InvalidDateOfBirth);
    }
    let year = date.year() + 18;
    let eighteenth = NaiveDate::from_ymd_opt(year, date.month(), date.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, 3, 1))
        .ok_or_else(|| anyhow::anyhow!("an eighteenth birthday"))?;
    if eighteenth > today { Err(AccountsError::TooYoung) } else { Ok(date) }
}

/// `identificationType`: a value of accountIdentificationTypes for the account, as listed (I-4320).
pub(crate) fn identification(
    country: Country,
    account_type: AccountType,
    value: &str,
) -> Result<String, AccountsError> {
    identification_type(country, account_type, value)
        .map(|kind| kind.value.clone())
        .ok_or(AccountsError::IdentificationTypeUnavailable)
}

/// `businessType`: a value or label of businessTypes, stored as the value (I-4325).
pub(crate) fn business_kind(value: &str) -> Result<String, AccountsError> {
    business_type(value).map(|kind| kind.value.clone()).ok_or(AccountsError::InvalidBusinessType)
}

/// `industry`: a six-digit NAICS 2022 code (I-4326).
pub(crate) fn industry(value: &str) -> Result<String, AccountsError> {
    if is_naics_code(value) { Ok(value.to_owned()) } else { Err(AccountsError::InvalidIndustry) }
}

/// `jobTitle`: a title of jobTitles, in the list's spelling (I-4327).
pub(crate) fn title(value: &str) -> Result<String, AccountsError> {
    job_title(value).map(str::to_owned).ok_or(AccountsError::InvalidJobTitle)
}

/// `estimatedMonthlyTransactions`, `businessSize`: 0 or more (I-4331).
pub(crate) fn count(field: &'static str, value: i32) -> Result<i32, AccountsError> {
    if value < 0 { Err(AccountsError::Negative(field)) } else { Ok(value) }
}

/// `estimatedMonthlyVolume` in the account's currency: 0 or more (I-4331), then no more decimals than the
/// currency's minor unit (I-4736). Stored in minor units.
pub(crate) fn volume(value: f64, currency: Currency, rates: &FxRates) -> Result<i64, AccountsError> {
    if value < 0.0 {
        return Err(AccountsError::Negative("estimatedMonthlyVolume"));
    }
    match Money::from_major(value, currency, rates) {
        Ok(money) => Ok(money.minor_units()),
        Err(MoneyError::TooManyDecimals(currency) | MoneyError::TooLarge(currency)) => {
            Err(AccountsError::TooManyDecimals(currency))
        }
        Err(MoneyError::CurrencyNotSupported(currency)) => Err(AccountsError::CurrencyNotSupported(currency)),
        Err(MoneyError::NotPositive) => Err(AccountsError::Negative("estimatedMonthlyVolume")),
    }
}

/// The local financial provider's data check (providers.md section 2): a tax id whose normal form is made only
/// of zeros or ends with `9999` is refused.
pub(crate) fn provider_accepts(normal: &str) -> bool {
    !(normal.ends_with("9999") || normal.bytes().all(|b| b == b'0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date")
    }

    #[test]
    fn postal_codes_take_their_countrys_form() {
        assert_eq!(postal_code(Country::CA, "k1a0b1").ok().as_deref(), Some("K1A 0B1"));
        assert_eq!(postal_code(Country::GB, "sw1a1aa").ok().as_deref(), Some("SW1A 1AA"));
        assert_eq!(postal_code(Country::GB, "M1 1AE").ok().as_deref(), Some("M1 1AE"));
        assert_eq!(postal_code(Country::US, "94105-1234").ok().as_deref(), Some("94105-1234"));
        for (country, refused) in [(Country::US, "9410"), (Country::CA, "W1A 0B1"), (Country::GB, "1AA 1AA")] {
            assert!(postal_code(country, refused).is_err(), "{refused}");
        }
    }

    #[test]
    fn phones_become_national_digits() {
        assert_eq!(phone(Country::US, "(571) 388-6974").ok().as_deref(), Some("5713886974"));
        assert_eq!(phone(Country::US, "+1 201 555 0123").ok().as_deref(), Some("2015550123"));
        assert!(phone(Country::US, "123").is_err());
        assert!(phone(Country::US, "+44 20 7946 0958").is_err());
        assert_eq!(phone(Country::GB, "020 7946 0958").ok().as_deref(), Some("2079460958"));
    }

    #[test]
    fn adults_only_with_leap_day_birthdays_on_1_march() {
        assert!(matches!(date_of_birth(day("2008-02-29"), day("2026-02-28")), Err(AccountsError::TooYoung)));
        assert!(date_of_birth(day("2008-02-29"), day("2026-03-01")).is_ok());
        assert!(matches!(date_of_birth(day("1899-12-31"), day("2026-03-01")), Err(AccountsError::InvalidDateOfBirth)));
        assert!(matches!(date_of_birth(day("2026-03-02"), day("2026-03-01")), Err(AccountsError::InvalidDateOfBirth)));
    }

    #[test]
    fn dates_must_be_midnight_utc() {
        let parse = |text| kernel::DateTime::parse(text).expect("parses");
        assert_eq!(date_only(parse("1985-03-14")).ok(), Some(day("1985-03-14")));
        assert_eq!(date_only(parse("1985-03-14T00:00:00.000Z")).ok(), Some(day("1985-03-14")));
        assert!(date_only(parse("1985-03-14T10:00:00Z")).is_err());
        assert!(date_only(parse("1985-03-14T00:00:00.001Z")).is_err());
    }

    #[test]
    fn the_local_provider_refuses_zeros_and_9999() {
        assert!(!provider_accepts("123459999") && !provider_accepts("0000") && provider_accepts("123456789"));
    }
}
