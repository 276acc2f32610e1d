//! Personal and business tax ids: their normal form and the rule of each country (isValidPersonalTaxId and
//! isValidBusinessTaxId, "Country rules"). A parsed id holds its number in a [`SecretString`], so it never
//! reaches a log, a `Debug` output or an answer by accident.

use std::fmt;

use kernel::{ContractError, Country, ExposeSecret, SecretString};

use super::TaxIdKey;

/// Numbers the Social Security Administration declared void (used in advertising or misused at large).
const VOID_SSNS: &[&str] = &["078051120", "219099999", "457555462"];

/// First four letters of an individual's RFC that the Mexican tax authority never issues (isValidPersonalTaxId).
const FORBIDDEN_RFC_WORDS: &[&str] = &[
    "BUEI", "BUEY", "CACA", "CACO", "CAGA", "CAGO", "CAKA", "CAKO", "COGE", "COJA", "COJE", "COJI", "COJO", "CULO",
    "FETO", "GUEY", "JOTO", "KACA", "KACO", "KAGA", "KAGO", "KAKA", "KOGE", "KOJO", "KULO", "MAME", "MAMO", "MEAR",
    "MEAS", "MEON", "MION", "MOCO", "MULA", "PEDA", "PEDO", "PENE", "PUTA", "PUTO", "QULO", "RATA", "RUIN",
];

/// The RFCs of the general public and of foreigners: they stand for nobody in particular.
const GENERIC_RFCS: &[&str] = &["XAXX010101000", "XEXX010101000"];

/// The program identifiers a Canadian 15-character program account may carry after its BN9.
const BN_PROGRAMS: &[&str] = &["RC", "RM", "RP", "RR", "RT", "RZ"];

/// The normal form (isValidPersonalTaxId, "Normal form"): trimmed, every space, hyphen and dot removed,
/// letters upper-cased (`ñ` → `Ñ`). Any white space counts as a space, so a number pasted with non-breaking
/// spaces normalises like one typed with ordinary ones.
fn normal_form(text: &str) -> SecretString {
    let normal: String = text
        .trim()
        .chars()
        .filter(|c| !(c.is_whitespace() || *c == '-' || *c == '.'))
        .flat_map(char::to_uppercase)
        .collect();
    SecretString::from(normal)
}

/// Which kind of personal number a [`PersonalTaxId`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonalTaxIdKind {
    /// US Social Security Number.
    Ssn,
    /// US Individual Taxpayer Identification Number (starts with 9).
    Itin,
    /// Canadian Social Insurance Number.
    Sin,
    /// Mexican RFC of an individual (13 characters).
    Rfc,
    /// Any other country's national tax number (4 to 20 letters and digits).
    National,
}

/// Which kind of business number a [`BusinessTaxId`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BusinessTaxIdKind {
    /// US Employer Identification Number.
    Ein,
    /// Canadian 9-digit business number.
    Bn9,
    /// Canadian 15-character program account: a BN9, a program identifier and 4 digits.
    Bn15,
    /// Mexican RFC of a company (12 characters).
    CompanyRfc,
    /// Mexican RFC of an individual trading as a business (13 characters).
    IndividualRfc,
    /// Any other country's business registration or tax number (4 to 20 letters and digits).
    National,
}

/// A personal tax id refused by the rule of the account's country (I-4318). It says nothing of the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidPersonalTaxId;

/// A business tax id refused by the rule of the account's country (I-4319). It says nothing of the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidBusinessTaxId;

impl From<InvalidPersonalTaxId> for ContractError {
    fn from(_: InvalidPersonalTaxId) -> Self {
        Self::InvalidPersonalTaxId
    }
}

impl From<InvalidBusinessTaxId> for ContractError {
    fn from(_: InvalidBusinessTaxId) -> Self {
        Self::InvalidBusinessTaxId
    }
}

/// A personal tax id in its normal form that passed the rule of its country.
#[derive(Clone)]
pub struct PersonalTaxId {
    country: Country,
    kind: PersonalTaxIdKind,
    normal: SecretString,
}

impl PersonalTaxId {
    /// Normalises `text` and checks it against the rule of `country` (the current account's country).
    pub fn parse(country: Country, text: &str) -> Result<Self, InvalidPersonalTaxId> {
        let normal = normal_form(text);
        let number = normal.expose_secret();
        let kind = match country {
            Country::US => us_personal(number),
            Country::CA => canadian_sin(number).then_some(PersonalTaxIdKind::Sin),
            Country::MX => individual_rfc(number).then_some(PersonalTaxIdKind::Rfc),
            _ => national(number).then_some(PersonalTaxIdKind::National),
        };
        let kind = kind.ok_or(InvalidPersonalTaxId)?;
        Ok(Self { country, kind, normal })
    }

    pub fn country(&self) -> Country {
        self.country
    }

    pub fn kind(&self) -> PersonalTaxIdKind {
        self.kind
    }

    /// The page's masked form: every character of the normal form but the last four replaced by `*`
    /// (`123-45-6789` → `*****6789`). The only form of a personal tax id that may be shown.
    pub fn masked(&self) -> String {
        mask(self.normal.expose_secret())
    }

    /// The keyed digest that stands for this number in the database (unique per country).
    pub fn digest(&self, key: &TaxIdKey) -> String {
        key.digest(self.country, self.normal.expose_secret())
    }

    /// The full normal form, for the financial provider only: never for a log or an answer.
    pub fn expose_secret(&self) -> &str {
        self.normal.expose_secret()
    }
}

impl fmt::Debug for PersonalTaxId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PersonalTaxId")
            .field("country", &self.country)
            .field("kind", &self.kind)
            .field("number", &"[REDACTED]")
            .finish()
    }
}

impl PartialEq for PersonalTaxId {
    fn eq(&self, other: &Self) -> bool {
        self.country == other.country
            && self.kind == other.kind
            && self.normal.expose_secret() == other.normal.expose_secret()
    }
}

impl Eq for PersonalTaxId {}

/// A business tax id in its normal form that passed the rule of its country.
#[derive(Clone)]
pub struct BusinessTaxId {
    country: Country,
    kind: BusinessTaxIdKind,
    normal: SecretString,
}

impl BusinessTaxId {
    /// Normalises `text` and checks it against the rule of `country` (the current account's country).
    pub fn parse(country: Country, text: &str) -> Result<Self, InvalidBusinessTaxId> {
        let normal = normal_form(text);
        let number = normal.expose_secret();
        let kind = match country {
            Country::US => ein(number).then_some(BusinessTaxIdKind::Ein),
            Country::CA => canadian_bn(number),
            Country::MX => {
                if company_rfc(number) {
                    Some(BusinessTaxIdKind::CompanyRfc)
                } else {
                    individual_rfc(number).then_some(BusinessTaxIdKind::IndividualRfc)
                }
            }
            _ => national(number).then_some(BusinessTaxIdKind::National),
        };
        let kind = kind.ok_or(InvalidBusinessTaxId)?;
        Ok(Self { country, kind, normal })
    }

    pub fn country(&self) -> Country {
        self.country
    }

    pub fn kind(&self) -> BusinessTaxIdKind {
        self.kind
    }

    /// What another account's number is compared with: the normal form, except that a Canadian program
    /// account is compared on its nine-digit root (`123456782RT0001` and `123456782` are one business).
    pub fn comparison_form(&self) -> &str {
        let number = self.normal.expose_secret();
        match self.kind {
            BusinessTaxIdKind::Bn15 => number.get(..9).unwrap_or(number),
            _ => number,
        }
    }

    /// The keyed digest of the comparison form that stands for this number in the database.
    pub fn digest(&self, key: &TaxIdKey) -> String {
        key.digest(self.country, self.comparison_form())
    }

    /// The full normal form. Business tax ids are shown in full to their account (they identify a business
    /// publicly), but still never logged.
    pub fn expose_secret(&self) -> &str {
        self.normal.expose_secret()
    }
}

impl fmt::Debug for BusinessTaxId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BusinessTaxId")
            .field("country", &self.country)
            .field("kind", &self.kind)
            .field("number", &"[REDACTED]")
            .finish()
    }
}

impl PartialEq for BusinessTaxId {
    fn eq(&self, other: &Self) -> bool {
        self.country == other.country
            && self.kind == other.kind
            && self.normal.expose_secret() == other.normal.expose_secret()
    }
}

impl Eq for BusinessTaxId {}

/// Every character but the last four replaced by `*`.
fn mask(number: &str) -> String {
    let length = number.chars().count();
    number.chars().enumerate().map(|(at, c)| if at + 4 < length { '*' } else { c }).collect()
}

/// The values of `number`'s digits when it is exactly `N` ASCII digits.
fn digits<const N: usize>(number: &str) -> Option<[u32; N]> {
    let bytes = number.as_bytes();
    if bytes.len() != N || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut values = [0; N];
    for (value, byte) in values.iter_mut().zip(bytes) {
        *value = u32::from(byte - b'0');
    }
    Some(values)
}

/// The number written by `digits` in base ten.
fn value_of(digits: &[u32]) -> u32 {
    digits.iter().fold(0, |acc, d| acc * 10 + d)
}

/// The Luhn checksum (ISO/IEC 7812) of Canadian SINs and business numbers.
fn luhn_holds(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(at, &d)| {
            if at % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// US: 9 digits; starting with 9 an ITIN (its 4th–5th digits in 50–65, 70–88, 90–92, 94–99), otherwise an SSN
/// (area not 000 or 666, group not 00, serial not 0000, not one of the void numbers).
fn us_personal(number: &str) -> Option<PersonalTaxIdKind> {
    let d = digits::<9>(number)?;
    if d[0] == 9 {
        let group = value_of(&d[3..5]);
        return matches!(group, 50..=65 | 70..=88 | 90..=92 | 94..=99).then_some(PersonalTaxIdKind::Itin);
    }
    let area = value_of(&d[..3]);
    let valid =
        area != 0 && area != 666 && value_of(&d[3..5]) != 0 && value_of(&d[5..]) != 0 && !VOID_SSNS.contains(&number);
    valid.then_some(PersonalTaxIdKind::Ssn)
}

/// CA: 9 digits, the first not 0 or 8, the Luhn checksum holds.
fn canadian_sin(number: &str) -> bool {
    digits::<9>(number).is_some_and(|d| d[0] != 0 && d[0] != 8 && luhn_holds(&d))
}

/// US: 9 digits whose first two are an assigned IRS campus prefix.
fn ein(number: &str) -> bool {
    digits::<9>(number).is_some_and(|d| {
        matches!(value_of(&d[..2]), 1..=6 | 10..=16 | 20..=27 | 30..=48 | 50..=68 | 71..=77 | 80..=88 | 90..=95 | 98 | 99)
    })
}

/// CA: a BN9 whose Luhn checksum holds, or a BN15: a valid BN9, a program identifier, 4 digits.
fn canadian_bn(number: &str) -> Option<BusinessTaxIdKind> {
    let bn9 = |root: &str| digits::<9>(root).is_some_and(|d| luhn_holds(&d));
    match number.len() {
        9 => bn9(number).then_some(BusinessTaxIdKind::Bn9),
        15 if number.is_ascii() => {
            let (root, rest) = number.split_at(9);
            let (program, reference) = rest.split_at(2);
            let valid = bn9(root) && BN_PROGRAMS.contains(&program) && digits::<4>(reference).is_some();
            valid.then_some(BusinessTaxIdKind::Bn15)
        }
        _ => None,
    }
}

/// The letters of an RFC's name part: `A`–`Z`, `Ñ` and `&`.
fn rfc_letter(c: char) -> bool {
    c.is_ascii_uppercase() || c == 'Ñ' || c == '&'
}

/// The homoclave: letters or digits.
fn rfc_check_part(c: char) -> bool {
    c.is_ascii_uppercase() || c.is_ascii_digit()
}

/// Six digits forming a real date `YYMMDD`; 29 February only when `YY` is divisible by 4.
fn rfc_date(part: &[char]) -> bool {
    if part.len() != 6 || !part.iter().all(char::is_ascii_digit) {
        return false;
    }
    let number = |from: usize| part[from..from + 2].iter().fold(0, |acc, c| acc * 10 + c.to_digit(10).unwrap_or(0));
    let (year, month, day) = (number(0), number(2), number(4));
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days_in_month).contains(&day)
}

/// MX individual: 4 letters, a date, 3 letters or digits; not a forbidden word, not a generic RFC. The check
/// character is not verified (many issued numbers do not satisfy it).
fn individual_rfc(number: &str) -> bool {
    let chars: Vec<char> = number.chars().collect();
    if chars.len() != 13 {
        return false;
    }
    let name: String = chars[..4].iter().collect();
    chars[..4].iter().all(|&c| rfc_letter(c))
        && rfc_date(&chars[4..10])
        && chars[10..].iter().all(|&c| rfc_check_part(c))
        && !FORBIDDEN_RFC_WORDS.contains(&name.as_str())
        && !GENERIC_RFCS.contains(&number)
}

/// MX company: 3 letters, a date, 3 letters or digits.
fn company_rfc(number: &str) -> bool {
    let chars: Vec<char> = number.chars().collect();
    chars.len() == 12
        && chars[..3].iter().all(|&c| rfc_letter(c))
        && rfc_date(&chars[3..9])
        && chars[9..].iter().all(|&c| rfc_check_part(c))
}

/// Any other country: 4 to 20 ASCII letters and digits.
fn national(number: &str) -> bool {
    (4..=20).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn personal(country: Country, text: &str) -> Result<PersonalTaxIdKind, InvalidPersonalTaxId> {
        PersonalTaxId::parse(country, text).map(|id| id.kind())
    }

    fn business(country: Country, text: &str) -> Result<BusinessTaxIdKind, InvalidBusinessTaxId> {
        BusinessTaxId::parse(country, text).map(|id| id.kind())
    }

    #[test]
    fn the_normal_form_drops_separators_and_upper_cases() -> Result<(), InvalidPersonalTaxId> {
        for spelling in ["123-45-6789", "123 45 6789", "123456789", " 123.45.6789 ", "123\u{a0}45\u{a0}6789"] {
            assert_eq!(PersonalTaxId::parse(Country::US, spelling)?.expose_secret(), "123456789", "{spelling:?}");
        }
        assert_eq!(PersonalTaxId::parse(Country::MX, "gode-561231-gr8")?.expose_secret(), "GODE561231GR8");
        assert_eq!(PersonalTaxId::parse(Country::MX, "muñe561231gr8")?.expose_secret(), "MUÑE561231GR8");
        assert_eq!(PersonalTaxId::parse(Country::GB, "ab 12 34 56 c")?.expose_secret(), "AB123456C");
        Ok(())
    }

    #[test]
    fn the_personal_pages_test_values() {
        assert_eq!(personal(Country::US, "123-45-6789"), Ok(PersonalTaxIdKind::Ssn));
        assert_eq!(personal(Country::US, "912-70-1234"), Ok(PersonalTaxIdKind::Itin));
        assert_eq!(personal(Country::CA, "130 692 544"), Ok(PersonalTaxIdKind::Sin));
        assert_eq!(personal(Country::MX, "GODE561231GR8"), Ok(PersonalTaxIdKind::Rfc));
        for (country, refused) in [
            (Country::US, "666-12-3456"),
            (Country::US, "123-00-4567"),
            (Country::US, "912-66-1234"),
            (Country::CA, "046 454 286"),
            (Country::CA, "130 692 545"),
            (Country::MX, "GODE561301GR8"),
            (Country::MX, "XAXX010101000"),
        ] {
            assert_eq!(personal(country, refused), Err(InvalidPersonalTaxId), "{country} {refused}");
        }
    }

    #[test]
    fn us_ssn_areas_groups_serials_and_void_numbers() {
        for refused in [
            "000-12-3456",
            "666-12-3456",
            "123-00-4567",
            "123-45-0000",
            "078-05-1120",
            "219-09-9999",
            "457-55-5462",
            "12345678",
            "1234567890",
            "12345678A",
            "",
            "---",
        ] {
            assert_eq!(personal(Country::US, refused), Err(InvalidPersonalTaxId), "{refused:?}");
        }
        for accepted in ["001-01-0001", "665-99-9999", "667-01-0001", "899-99-9999", "078-05-1121", "219-09-9998"] {
            assert_eq!(personal(Country::US, accepted), Ok(PersonalTaxIdKind::Ssn), "{accepted}");
        }
    }

    #[test]
    fn us_itin_groups() {
        for group in 0..100 {
            let number = format!("900{group:02}1234");
            let expected = matches!(group, 50..=65 | 70..=88 | 90..=92 | 94..=99);
            assert_eq!(personal(Country::US, &number).is_ok(), expected, "{number}");
            if expected {
                assert_eq!(personal(Country::US, &number), Ok(PersonalTaxIdKind::Itin));
            }
        }
        // An ITIN has no SSN-style serial rule: the page lists none.
        assert_eq!(personal(Country::US, "970-88-0000"), Ok(PersonalTaxIdKind::Itin));
    }

    #[test]
    fn canadian_sins() {
        assert_eq!(personal(Country::CA, "130-692-544"), Ok(PersonalTaxIdKind::Sin));
        assert_eq!(personal(Country::CA, "193456787"), Ok(PersonalTaxIdKind::Sin));
        // Luhn holds but the first digit is 0 or 8.
        assert_eq!(personal(Country::CA, "046454286"), Err(InvalidPersonalTaxId));
        assert_eq!(personal(Country::CA, "800000002"), Err(InvalidPersonalTaxId));
        for refused in ["130692545", "13069254", "1306925440", "13069254A", "test"] {
            assert_eq!(personal(Country::CA, refused), Err(InvalidPersonalTaxId), "{refused}");
        }
    }

    #[test]
    fn luhn_matches_known_numbers() {
        let check = |number: &str| digits::<9>(number).is_some_and(|d| luhn_holds(&d));
        assert!(check("130692544") && check("123456782") && check("046454286") && check("800000002"));
        assert!(!check("130692545") && !check("123456789"));
    }

    #[test]
    fn mexican_individual_rfcs() {
        for accepted in ["GODE561231GR8", "GODE000229GR8", "MUÑE561231GR8", "&ODE561231GR8", "GODE561231AAA"] {
            assert_eq!(personal(Country::MX, accepted), Ok(PersonalTaxIdKind::Rfc), "{accepted}");
        }
        for refused in [
            "GODE561301GR8", // month 13
            "GODE560001GR8", // month 0
            "GODE561200GR8", // day 0
            "GODE560431GR8", // 31 April
            "GODE010229GR8", // 29 February, 01 not divisible by 4
            "GODE561232GR8",
            "GODE561231GR",
            "GODE561231GR89",
            "GOD1561231GR8",
            "GODE5612A1GR8",
            "GODE561231G-8",
            "GODE561231GÑ8", // Ñ is a name letter, not a homoclave character
            "XAXX010101000",
            "XEXX010101000",
            "test",
        ] {
            assert_eq!(personal(Country::MX, refused), Err(InvalidPersonalTaxId), "{refused}");
        }
        for word in FORBIDDEN_RFC_WORDS {
            assert_eq!(personal(Country::MX, &format!("{word}561231GR8")), Err(InvalidPersonalTaxId), "{word}");
        }
    }

    #[test]
    fn other_countries_take_4_to_20_letters_and_digits() {
        for (country, accepted) in
            [(Country::GB, "test"), (Country::DE, "12345678901"), (Country::JP, "A".repeat(20).as_str())]
        {
            assert_eq!(personal(country, accepted), Ok(PersonalTaxIdKind::National), "{accepted}");
            assert_eq!(business(country, accepted), Ok(BusinessTaxIdKind::National), "{accepted}");
        }
        for refused in ["", "   ", "abc", "A".repeat(21).as_str(), "AB_CD", "ÄBCD", "AB/CD"] {
            assert_eq!(personal(Country::GB, refused), Err(InvalidPersonalTaxId), "{refused}");
            assert_eq!(business(Country::GB, refused), Err(InvalidBusinessTaxId), "{refused}");
        }
        // Separators are dropped before the length is counted.
        assert_eq!(personal(Country::GB, "A-B-C"), Err(InvalidPersonalTaxId));
        assert_eq!(personal(Country::GB, "A-B-C-D"), Ok(PersonalTaxIdKind::National));
        // The original's example: refused in the US, CA and MX, accepted elsewhere.
        for country in [Country::US, Country::CA, Country::MX] {
            assert_eq!(personal(country, "test"), Err(InvalidPersonalTaxId));
            assert_eq!(business(country, "test"), Err(InvalidBusinessTaxId));
        }
    }

    #[test]
    fn the_business_pages_test_values() {
        assert_eq!(business(Country::US, "12-3456789"), Ok(BusinessTaxIdKind::Ein));
        assert_eq!(business(Country::US, "98-7654321"), Ok(BusinessTaxIdKind::Ein));
        assert_eq!(business(Country::CA, "123456782"), Ok(BusinessTaxIdKind::Bn9));
        assert_eq!(business(Country::CA, "123456782RT0001"), Ok(BusinessTaxIdKind::Bn15));
        assert_eq!(business(Country::MX, "ABC680524P73"), Ok(BusinessTaxIdKind::CompanyRfc));
        assert_eq!(business(Country::MX, "GODE561231GR8"), Ok(BusinessTaxIdKind::IndividualRfc));
        for (country, refused) in [
            (Country::US, "07-1234567"),
            (Country::US, "1234567"),
            (Country::CA, "123456789"),
            (Country::CA, "123456782XX0001"),
            (Country::MX, "ABC681324P73"),
        ] {
            assert_eq!(business(country, refused), Err(InvalidBusinessTaxId), "{country} {refused}");
        }
    }

    #[test]
    fn ein_prefixes() {
        let assigned =
            |p: u32| matches!(p, 1..=6 | 10..=16 | 20..=27 | 30..=48 | 50..=68 | 71..=77 | 80..=88 | 90..=95 | 98 | 99);
        let refused = [0, 7, 8, 9, 17, 18, 19, 28, 29, 49, 69, 70, 78, 79, 89, 96, 97];
        for prefix in 0..100 {
            let number = format!("{prefix:02}-1234567");
            assert_eq!(business(Country::US, &number).is_ok(), assigned(prefix), "{number}");
            assert_eq!(refused.contains(&prefix), !assigned(prefix), "the page's two lists cover {prefix}");
        }
        for wrong in ["12-345678", "12-34567890", "12-345678A", "", "123456789RT0001"] {
            assert_eq!(business(Country::US, wrong), Err(InvalidBusinessTaxId), "{wrong}");
        }
    }

    #[test]
    fn canadian_business_numbers() {
        for program in BN_PROGRAMS {
            assert_eq!(business(Country::CA, &format!("123456782{program}0001")), Ok(BusinessTaxIdKind::Bn15));
            assert_eq!(
                business(Country::CA, &format!("123456782 {program} 0001").to_lowercase()),
                Ok(BusinessTaxIdKind::Bn15)
            );
        }
        for refused in [
            "123456789RT0001", // the root's Luhn fails
            "123456782RA0001",
            "123456782RT001",
            "123456782RT00011",
            "123456782RT000A",
            "12345678",
            "1234567820",
            "ÑÑÑÑÑÑÑ",
        ] {
            assert_eq!(business(Country::CA, refused), Err(InvalidBusinessTaxId), "{refused}");
        }
    }

    #[test]
    fn canadian_program_accounts_compare_on_their_root() -> Result<(), InvalidBusinessTaxId> {
        let key = TaxIdKey::from_bytes([7; 32]);
        let program = BusinessTaxId::parse(Country::CA, "123456782RT0001")?;
        let root = BusinessTaxId::parse(Country::CA, "123456782")?;
        assert_eq!(program.comparison_form(), "123456782");
        assert_eq!(program.digest(&key), root.digest(&key));
        assert_eq!(program.expose_secret(), "123456782RT0001", "the number itself keeps its program account");
        let other_program = BusinessTaxId::parse(Country::CA, "123456782RC0002")?;
        assert_eq!(other_program.digest(&key), root.digest(&key));
        // Elsewhere the whole normal form is compared.
        let ein = BusinessTaxId::parse(Country::US, "12-3456789")?;
        assert_eq!(ein.comparison_form(), "123456789");
        Ok(())
    }

    #[test]
    fn mexican_business_rfcs() {
        for accepted in ["ABC680524P73", "AÑC680524P73", "A&C000229P73", "abc-680524-p73"] {
            assert_eq!(business(Country::MX, accepted), Ok(BusinessTaxIdKind::CompanyRfc), "{accepted}");
        }
        for refused in [
            "ABC681324P73",
            "ABC010229P73",
            "AB1680524P73",
            "ABC680524P7",
            "XAXX010101000",
            "XEXX010101000",
            "CACA561231GR8",
        ] {
            assert_eq!(business(Country::MX, refused), Err(InvalidBusinessTaxId), "{refused}");
        }
    }

    #[test]
    fn masking_keeps_the_last_four() -> Result<(), InvalidPersonalTaxId> {
        assert_eq!(PersonalTaxId::parse(Country::US, "123-45-6789")?.masked(), "*****6789");
        assert_eq!(PersonalTaxId::parse(Country::MX, "MUÑE561231GR8")?.masked(), "*********1GR8");
        assert_eq!(PersonalTaxId::parse(Country::GB, "ABCD")?.masked(), "ABCD");
        assert_eq!(PersonalTaxId::parse(Country::GB, "ABCDE")?.masked(), "*BCDE");
        Ok(())
    }

    #[test]
    fn debug_never_shows_the_number() -> anyhow::Result<()> {
        let personal = PersonalTaxId::parse(Country::US, "123-45-6789").map_err(|_| anyhow::anyhow!("valid"))?;
        let business = BusinessTaxId::parse(Country::US, "12-3456789").map_err(|_| anyhow::anyhow!("valid"))?;
        for shown in [format!("{personal:?}"), format!("{personal:#?}"), format!("{business:?}")] {
            assert!(!shown.contains("6789") && shown.contains("REDACTED"), "{shown}");
        }
        Ok(())
    }

    #[test]
    fn refusals_carry_the_contract_codes() {
        assert_eq!(ContractError::from(InvalidPersonalTaxId).code(), "I-4318");
        assert_eq!(ContractError::from(InvalidBusinessTaxId).code(), "I-4319");
    }

    /// Countries with a rule of their own and one that takes the general rule.
    fn country() -> impl Strategy<Value = Country> {
        prop_oneof![Just(Country::US), Just(Country::CA), Just(Country::MX), Just(Country::GB), Just(Country::JP)]
    }

    /// Text that often looks like a tax id: digits, letters, separators, the odd `Ñ` and `&`.
    fn tax_id_like() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "[0-9 .-]{0,20}",
            "[A-Za-zÑñ&0-9 -]{0,20}",
            "[0-9]{9}(R[CMPRTZ][0-9]{4})?",
            // Shaped like an RFC, a real date or not.
            "[A-Za-zÑ&]{3,4}[0-9]{2}[01][0-9][0-3][0-9][A-Za-z0-9]{3}",
        ]
    }

    proptest! {
        #[test]
        fn any_text_parses_or_is_refused_without_panicking(country in country(), text in tax_id_like()) {
            let _ = PersonalTaxId::parse(country, &text).map(|id| id.masked());
            let _ = BusinessTaxId::parse(country, &text).map(|id| id.comparison_form().len());
        }

        #[test]
        fn accepted_personal_ids_parse_to_themselves(country in country(), text in tax_id_like()) {
            if let Ok(id) = PersonalTaxId::parse(country, &text) {
                let again = PersonalTaxId::parse(country, id.expose_secret());
                prop_assert_eq!(again.as_ref(), Ok(&id));
                prop_assert!(!id.expose_secret().is_empty());
                let (masked, normal): (Vec<char>, Vec<char>) = (id.masked().chars().collect(), id.expose_secret().chars().collect());
                prop_assert_eq!(masked.len(), normal.len());
                let shown = normal.len().saturating_sub(4);
                prop_assert!(masked[..shown].iter().all(|c| *c == '*'));
                prop_assert_eq!(&masked[shown..], &normal[shown..]);
            }
        }

        #[test]
        fn accepted_business_ids_parse_to_themselves(country in country(), text in tax_id_like()) {
            if let Ok(id) = BusinessTaxId::parse(country, &text) {
                let again = BusinessTaxId::parse(country, id.expose_secret());
                prop_assert_eq!(again.as_ref(), Ok(&id));
                prop_assert!(!id.expose_secret().is_empty());
            }
        }

        #[test]
        fn valid_bn9_roots_take_any_program_account(root in "[0-9]{8}", program in "R[CMPRTZ]", reference in "[0-9]{4}") {
            let check = (0..10).find(|d| {
                let candidate = format!("{root}{d}");
                digits::<9>(&candidate).is_some_and(|digits| luhn_holds(&digits))
            });
            prop_assert!(check.is_some(), "every 8 digits have one Luhn check digit");
            if let Some(check) = check {
                let bn9 = format!("{root}{check}");
                prop_assert_eq!(business(Country::CA, &bn9), Ok(BusinessTaxIdKind::Bn9));
                prop_assert_eq!(business(Country::CA, &format!("{bn9}{program}{reference}")), Ok(BusinessTaxIdKind::Bn15));
            }
        }

        #[test]
        fn separators_and_case_never_change_the_outcome(country in country(), text in "[A-Za-z0-9]{0,16}") {
            let spaced: String = text.chars().flat_map(|c| [c, '-']).collect();
            prop_assert_eq!(PersonalTaxId::parse(country, &text).ok(), PersonalTaxId::parse(country, &spaced.to_lowercase()).ok());
            prop_assert_eq!(BusinessTaxId::parse(country, &text).ok(), BusinessTaxId::parse(country, &spaced.to_lowercase()).ok());
        }
    }
}
