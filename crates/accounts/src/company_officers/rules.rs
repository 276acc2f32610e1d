//! Rules 5 to 11 of addCompanyOfficerToAccount: what an officer must look like on its own, before it is
//! compared with the account's other officers.

use chrono::{DateTime, NaiveDate, Utc};
use kernel::{Country, ExposeSecret, SecretString};

use super::{CompanyOfficerType, IdDocumentType, NewDocument, NewOfficer};
use crate::{AccountsError, job_title};

const NAME_MAX: u32 = 100;
const DOCUMENT_NUMBER_MAX: u32 = 40;
/// A UBO owns 25 % or more, in hundredths of a percent.
const UBO_MIN_BPS: i32 = 2_500;
/// All of the business, in hundredths of a percent.
pub(super) const WHOLE_BPS: i64 = 10_000;

/// An officer whose own rules hold.
pub(super) struct ValidOfficer {
    /// Trimmed.
    pub name: String,
    /// What identifies the officer with its type: the name with white space collapsed, lower-cased.
    pub name_key: String,
    pub officer_type: CompanyOfficerType,
    /// Hundredths of a percent, 0 to 10,000.
    pub ownership_bps: i32,
    /// Midnight UTC.
    pub date_of_birth: Option<DateTime<Utc>>,
    /// In the jobTitles list's spelling.
    pub job_title: Option<&'static str>,
    pub country: Option<Country>,
    pub document: Option<ValidDocument>,
}

impl ValidOfficer {
    /// The family name the identity provider compares: the last word of the name.
    pub fn family_name(&self) -> &str {
        self.name.split_whitespace().last().unwrap_or(&self.name)
    }
}

pub(super) struct ValidDocument {
    pub document_type: IdDocumentType,
    /// Normal form: spaces and hyphens removed, upper case, 1 to 40 ASCII letters and digits.
    pub number: SecretString,
    pub issuing_country: Country,
    pub expiry_date: Option<DateTime<Utc>>,
}

impl NewOfficer {
    /// Checks rules 5 to 11, in their order; `today` is the current UTC date.
    pub(super) fn validate(self, today: NaiveDate) -> Result<ValidOfficer, AccountsError> {
        let name = self.name.trim().to_owned();
        let job_title_text = self.job_title.as_deref().map(str::trim).filter(|t| !t.is_empty());
        if name.is_empty() || (self.officer_type == CompanyOfficerType::Ceo && job_title_text.is_none()) {
            return Err(AccountsError::OfficerDataIncomplete);
        }
        if name.chars().count() > NAME_MAX as usize || name.chars().any(char::is_control) {
            return Err(AccountsError::TextLength { field: "name", max: NAME_MAX });
        }
        let ownership_bps = ownership_bps(self.percent_of_ownership).ok_or(AccountsError::InvalidOwnership)?;
        if self.officer_type == CompanyOfficerType::Ubo && ownership_bps < UBO_MIN_BPS {
            return Err(AccountsError::UboOwnershipTooLow);
        }
        let job_title = job_title_text.map(|text| job_title(text).ok_or(AccountsError::InvalidJobTitle)).transpose()?;
        let date_of_birth = self.date_of_birth.map(date_only).transpose()?;
        if let Some(born) = date_of_birth {
            let first = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN);
            if born.date_naive() > today || born.date_naive() < first {
                return Err(AccountsError::InvalidDateOfBirth);
            }
        }
        let document = self.uploaded_id.map(|document| document.validate(today)).transpose()?;
        let name_key = name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
        Ok(ValidOfficer {
            name,
            name_key,
            officer_type: self.officer_type,
            ownership_bps,
            date_of_birth,
            job_title,
            country: self.country,
            document,
        })
    }
}

impl NewDocument {
    fn validate(self, today: NaiveDate) -> Result<ValidDocument, AccountsError> {
        let number: String = self
            .document_number
            .expose_secret()
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .flat_map(char::to_uppercase)
            .collect();
        let length = number.chars().count();
        if length == 0 || length > DOCUMENT_NUMBER_MAX as usize || !number.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(AccountsError::TextLength { field: "documentNumber", max: DOCUMENT_NUMBER_MAX });
        }
        let expiry_date = self.expiry_date.map(date_only).transpose()?;
        if expiry_date.is_some_and(|expiry| expiry.date_naive() < today) {
            return Err(AccountsError::DocumentExpired);
        }
        Ok(ValidDocument {
            document_type: self.document_type,
            number: SecretString::from(number),
            issuing_country: self.issuing_country,
            expiry_date,
        })
    }
}

/// A date-only field: an instant at exactly 00:00:00.000 UTC (I-4303).
fn date_only(instant: DateTime<Utc>) -> Result<DateTime<Utc>, AccountsError> {
    kernel::DateTime(instant).date_only().map(|_| instant).ok_or(AccountsError::InvalidDate)
}

/// A percentage from 0 to 100 whose shortest decimal form has at most two decimals, in hundredths (I-4334).
fn ownership_bps(percent: f64) -> Option<i32> {
    if !percent.is_finite() || !(0.0..=100.0).contains(&percent) {
        return None;
    }
    // Rust writes the shortest decimal that reads back as the same number, never in exponent form.
    let written = percent.to_string();
    let decimals = written.split_once('.').map_or(0, |(_, fraction)| fraction.len());
    if decimals > 2 {
        return None;
    }
    // Exact: a number of at most two decimals times 100 rounds to its hundredths.
    Some((percent * 100.0).round() as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).expect("a date")
    }

    fn midnight(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        NaiveDate::from_ymd_opt(y, m, d).and_then(|d| d.and_hms_opt(0, 0, 0)).expect("a date").and_utc()
    }

    fn officer(name: &str, percent: f64, officer_type: CompanyOfficerType, job_title: Option<&str>) -> NewOfficer {
        NewOfficer {
            name: name.to_owned(),
            percent_of_ownership: percent,
            officer_type,
            date_of_birth: None,
            job_title: job_title.map(str::to_owned),
            country: None,
            uploaded_id: None,
        }
    }

    fn code(result: Result<ValidOfficer, AccountsError>) -> Option<&'static str> {
        result.err().map(|e| kernel::ApiError::from(e).code())
    }

    #[test]
    fn ownership_is_kept_in_hundredths_with_at_most_two_decimals() {
        assert_eq!(ownership_bps(25.0), Some(2_500));
        assert_eq!(ownership_bps(33.33), Some(3_333));
        assert_eq!(ownership_bps(0.01), Some(1));
        assert_eq!(ownership_bps(100.0), Some(10_000));
        assert_eq!(ownership_bps(0.0), Some(0));
        assert_eq!(ownership_bps(-0.0), Some(0));
        assert_eq!(ownership_bps(0.1 + 0.2), None, "0.30000000000000004");
        assert_eq!(ownership_bps(33.333), None);
        assert_eq!(ownership_bps(100.01), None);
        assert_eq!(ownership_bps(-1.0), None);
        assert_eq!(ownership_bps(f64::NAN), None);
        assert_eq!(ownership_bps(1e-7), None);
    }

    #[test]
    fn the_rules_are_checked_in_order() {
        use CompanyOfficerType::{Ceo, Ubo};
        assert_eq!(code(officer("  ", 10.0, Ubo, None).validate(today())), Some("I-4404"));
        assert_eq!(code(officer("Ann", 10.0, Ceo, Some(" ")).validate(today())), Some("I-4404"));
        assert_eq!(code(officer(&"a".repeat(101), 10.0, Ubo, None).validate(today())), Some("I-4330"));
        assert_eq!(code(officer("Ann\tLee", 10.0, Ubo, None).validate(today())), Some("I-4330"));
        assert_eq!(code(officer("Ann", 101.0, Ubo, None).validate(today())), Some("I-4334"));
        assert_eq!(code(officer("Ann", 24.99, Ubo, None).validate(today())), Some("I-4336"));
        assert_eq!(code(officer("Ann", 0.0, Ceo, Some("Chef")).validate(today())), Some("I-4327"));
        let mut born_late = officer("Ann", 30.0, Ubo, None);
        born_late.date_of_birth = Some(midnight(2026, 12, 2));
        assert_eq!(code(born_late.validate(today())), Some("I-4329"));
        let mut born_at_noon = officer("Ann", 30.0, Ubo, None);
        born_at_noon.date_of_birth = Some(midnight(1990, 1, 1) + chrono::TimeDelta::hours(12));
        assert_eq!(code(born_at_noon.validate(today())), Some("I-4303"));
        let mut too_old = officer("Ann", 30.0, Ubo, None);
        too_old.date_of_birth = Some(midnight(1899, 12, 31));
        assert_eq!(code(too_old.validate(today())), Some("I-4329"));
    }

    #[test]
    fn a_valid_officer_is_normalised() -> Result<(), AccountsError> {
        let mut ceo = officer("  Ann   Marie  LEE ", 12.5, CompanyOfficerType::Ceo, Some("chief executive officer"));
        ceo.date_of_birth = Some(midnight(2026, 12, 1));
        ceo.uploaded_id = Some(NewDocument {
            document_type: IdDocumentType::Passport,
            document_number: SecretString::from("ab 12-34 c".to_owned()),
            issuing_country: Country::GB,
            expiry_date: Some(midnight(2026, 12, 1)),
        });
        let valid = ceo.validate(today())?;
        assert_eq!(valid.name, "Ann   Marie  LEE");
        assert_eq!(valid.name_key, "ann marie lee");
        assert_eq!(valid.family_name(), "LEE");
        assert_eq!(valid.ownership_bps, 1_250);
        assert_eq!(valid.job_title, Some("Chief Executive Officer"));
        assert_eq!(valid.document.as_ref().map(|d| d.number.expose_secret().to_owned()).as_deref(), Some("AB1234C"));
        Ok(())
    }

    #[test]
    fn document_numbers_and_expiry_dates_are_checked() {
        let with_document = |number: &str, expiry: Option<DateTime<Utc>>| {
            let mut ubo = officer("Bob", 25.0, CompanyOfficerType::Ubo, None);
            ubo.uploaded_id = Some(NewDocument {
                document_type: IdDocumentType::NationalIdentityCard,
                document_number: SecretString::from(number.to_owned()),
                issuing_country: Country::US,
                expiry_date: expiry,
            });
            code(ubo.validate(today()))
        };
        assert_eq!(with_document(" - ", None), Some("I-4330"));
        assert_eq!(with_document(&"1".repeat(41), None), Some("I-4330"));
        assert_eq!(with_document("AB#12", None), Some("I-4330"));
        assert_eq!(with_document("ÄB12", None), Some("I-4330"));
        assert_eq!(with_document(&"1".repeat(40), None), None);
        assert_eq!(with_document("A1", Some(midnight(2026, 11, 30))), Some("I-4344"));
        assert_eq!(with_document("A1", Some(midnight(2027, 1, 1) + chrono::TimeDelta::seconds(1))), Some("I-4303"));
    }
}
