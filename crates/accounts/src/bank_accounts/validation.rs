//! The numbers of a bank account typed in by hand, checked per country (addBankAccount, "Manual numbers by
//! country"). Parse, don't validate: a [`BankNumbers`] exists only when both numbers are valid for the country,
//! and holds them in their normal form.

use iban::{Iban, IbanLike};
use kernel::Country;

/// Why typed-in numbers were refused, in the order addBankAccount checks them (rule 9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvalidBankNumbers {
    /// I-4507
    RoutingNumber,
    /// I-4508
    AccountNumber,
    /// I-4509
    Iban,
}

/// A bank account's routing number (ABA, transit + institution, BSB, sort code or BIC, as its country uses)
/// and account number (or IBAN), both in their normal form: spaces and hyphens removed, upper case; a Canadian
/// routing number in its electronic form `0IIITTTTT`.
#[derive(Clone, PartialEq, Eq)]
pub struct BankNumbers {
    routing_number: String,
    account_number: String,
}

// Account numbers are kept out of logs: only their masked forms are shown.
impl std::fmt::Debug for BankNumbers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BankNumbers")
            .field("routing_number", &masked(&self.routing_number))
            .field("account_number", &masked(&self.account_number))
            .finish()
    }
}

impl BankNumbers {
    /// Checks `routing` and then `account` against the rules of `country`.
    pub fn parse(country: Country, routing: &str, account: &str) -> Result<Self, InvalidBankNumbers> {
        let routing = normal_form(routing);
        let account = normal_form(account);
        let routing_number = match country {
            Country::US => aba_routing_number(&routing),
            Country::CA => canadian_routing_number(&routing),
            Country::AU => bsb(&routing),
            Country::GB if !starts_with_letters(&account) => sort_code(&routing),
            _ => bic(&routing),
        }
        .ok_or(InvalidBankNumbers::RoutingNumber)?;
        let valid_account = match country {
            Country::US => digits_between(&account, 4, 17),
            Country::CA => digits_between(&account, 7, 12),
            Country::AU => digits_between(&account, 5, 9),
            Country::MX => is_clabe(&account),
            Country::GB if !starts_with_letters(&account) => digits_between(&account, 8, 8),
            Country::GB => return iban(country, account, routing_number),
            _ if in_iban_registry(country) => return iban(country, account, routing_number),
            _ => (4..=34).contains(&account.len()) && account.bytes().all(|b| b.is_ascii_alphanumeric()),
        };
        if !valid_account {
            return Err(InvalidBankNumbers::AccountNumber);
        }
        Ok(Self { routing_number, account_number: account })
    }

    pub fn routing_number(&self) -> &str {
        &self.routing_number
    }

    pub fn account_number(&self) -> &str {
        &self.account_number
    }
}

/// What bankAccounts shows of a number: `**` followed by its last four characters.
pub fn masked(number: &str) -> String {
    let length = number.chars().count();
    let last_four: String = number.chars().skip(length.saturating_sub(4)).collect();
    format!("**{last_four}")
}

/// Spaces (any white space) and hyphens removed, letters upper-cased.
fn normal_form(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace() && *c != '-').flat_map(char::to_uppercase).collect()
}

fn all_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

fn digits_between(text: &str, min: usize, max: usize) -> bool {
    all_digits(text) && (min..=max).contains(&text.len())
}

fn starts_with_letters(text: &str) -> bool {
    text.len() >= 2 && text.as_bytes()[..2].iter().all(u8::is_ascii_alphabetic)
}

fn digit_values(text: &str) -> Vec<u32> {
    text.bytes().map(|b| u32::from(b - b'0')).collect()
}

/// A US ABA routing number: 9 digits, a prefix in 00–12, 21–32, 61–72 or 80, and the weighted checksum
/// 3·(d1+d4+d7) + 7·(d2+d5+d8) + (d3+d6+d9) divisible by 10.
fn aba_routing_number(text: &str) -> Option<String> {
    if !digits_between(text, 9, 9) {
        return None;
    }
    let d = digit_values(text);
    let prefix = d[0] * 10 + d[1];
    if !matches!(prefix, 0..=12 | 21..=32 | 61..=72 | 80) {
        return None;
    }
    let sum = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8]);
    sum.is_multiple_of(10).then(|| text.to_owned())
}

/// A Canadian transit number (5 digits) and institution number (3), written `TTTTTIII` (the hyphen is already
/// gone) or in the 9-digit electronic form `0IIITTTTT`; answered in the electronic form.
fn canadian_routing_number(text: &str) -> Option<String> {
    if !all_digits(text) {
        return None;
    }
    match text.len() {
        8 => Some(format!("0{}{}", &text[5..8], &text[0..5])),
        9 if text.starts_with('0') => Some(text.to_owned()),
        _ => None,
    }
}

/// An Australian BSB: 6 digits.
fn bsb(text: &str) -> Option<String> {
    digits_between(text, 6, 6).then(|| text.to_owned())
}

/// A UK sort code: 6 digits.
fn sort_code(text: &str) -> Option<String> {
    digits_between(text, 6, 6).then(|| text.to_owned())
}

/// A BIC: 4 letters (bank), 2 letters (country), 2 letters or digits (location), optionally 3 letters or digits
/// (branch).
fn bic(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let valid = (b.len() == 8 || b.len() == 11)
        && b[..6].iter().all(u8::is_ascii_uppercase)
        && b[6..].iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    valid.then(|| text.to_owned())
}

/// A Mexican CLABE: 18 digits, the last the check digit of the first 17 under the weights 3, 7, 1.
fn is_clabe(text: &str) -> bool {
    if !digits_between(text, 18, 18) {
        return false;
    }
    let d = digit_values(text);
    let sum: u32 = d[..17].iter().zip([3, 7, 1].iter().cycle()).map(|(digit, weight)| (digit * weight) % 10).sum();
    (10 - sum % 10) % 10 == d[17]
}

/// An IBAN of `country`: that country's prefix and registry length, and the mod-97 check (through the
/// maintained `iban_validate` crate, which carries the registry).
fn iban(country: Country, account: String, routing_number: String) -> Result<BankNumbers, InvalidBankNumbers> {
    match account.parse::<Iban>() {
        Ok(parsed) if parsed.country_code() == country.code() => {
            Ok(BankNumbers { routing_number, account_number: account })
        }
        _ => Err(InvalidBankNumbers::Iban),
    }
}

/// Countries of the SWIFT IBAN registry (release 99), where an account number must be an IBAN. GB is handled
/// on its own (an 8-digit account number or an IBAN).
const IBAN_REGISTRY: &[&str] = &[
    "AD", "AE", "AL", "AT", "AZ", "BA", "BE", "BG", "BH", "BI", "BR", "BY", "CH", "CR", "CY", "CZ", "DE", "DJ", "DK",
    "DO", "EE", "EG", "ES", "FI", "FK", "FO", "FR", "GB", "GE", "GI", "GL", "GR", "GT", "HR", "HU", "IE", "IL", "IQ",
    "IS", "IT", "JO", "KW", "KZ", "LB", "LC", "LI", "LT", "LU", "LV", "LY", "MC", "MD", "ME", "MK", "MN", "MR", "MT",
    "MU", "NI", "NL", "NO", "OM", "PK", "PL", "PS", "PT", "QA", "RO", "RS", "RU", "SA", "SC", "SD", "SE", "SI", "SK",
    "SM", "SO", "ST", "SV", "TL", "TN", "TR", "UA", "VA", "VG", "XK", "YE",
];

fn in_iban_registry(country: Country) -> bool {
    IBAN_REGISTRY.contains(&country.code())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(country: Country, routing: &str, account: &str) -> Result<BankNumbers, InvalidBankNumbers> {
        BankNumbers::parse(country, routing, account)
    }

    #[test]
    fn us_routing_numbers_pass_the_aba_checksum() {
        for good in ["121122676", "121000248", "011000015", "021000021", "322271627", "000000000"] {
            assert!(aba_routing_number(good).is_some(), "{good}");
        }
        for bad in ["121122677", "12112267", "1211226760", "131122676", "811000015", "12112267A"] {
            assert!(aba_routing_number(bad).is_none(), "{bad}");
        }
        // Prefix 80 is allowed when the checksum holds.
        assert!(aba_routing_number("800000080").is_some());
    }

    #[test]
    fn us_accounts_have_4_to_17_digits() {
        assert!(parse(Country::US, "121122676", "1111").is_ok());
        assert!(parse(Country::US, "121-122-676", " 11111111111 ").is_ok());
        assert_eq!(parse(Country::US, "121122676", "111"), Err(InvalidBankNumbers::AccountNumber));
        assert_eq!(parse(Country::US, "121122676", "123456789012345678"), Err(InvalidBankNumbers::AccountNumber));
        assert_eq!(parse(Country::US, "121122676", "1234A678"), Err(InvalidBankNumbers::AccountNumber));
        assert_eq!(parse(Country::US, "121122677", "1234A678"), Err(InvalidBankNumbers::RoutingNumber));
    }

    #[test]
    fn canadian_routing_numbers_are_stored_electronically() -> Result<(), InvalidBankNumbers> {
        assert_eq!(parse(Country::CA, "12345-002", "1234567")?.routing_number(), "000212345");
        assert_eq!(parse(Country::CA, "12345002", "1234567")?.routing_number(), "000212345");
        assert_eq!(parse(Country::CA, "000212345", "123456789012")?.routing_number(), "000212345");
        assert_eq!(parse(Country::CA, "100212345", "1234567"), Err(InvalidBankNumbers::RoutingNumber));
        assert_eq!(parse(Country::CA, "1234-002", "1234567"), Err(InvalidBankNumbers::RoutingNumber));
        assert_eq!(parse(Country::CA, "12345-002", "123456"), Err(InvalidBankNumbers::AccountNumber));
        assert_eq!(parse(Country::CA, "12345-002", "1234567890123"), Err(InvalidBankNumbers::AccountNumber));
        Ok(())
    }

    #[test]
    fn australian_bsb_and_accounts() {
        assert!(parse(Country::AU, "062-000", "12345").is_ok());
        assert!(parse(Country::AU, "062000", "123456789").is_ok());
        assert_eq!(parse(Country::AU, "06200", "12345"), Err(InvalidBankNumbers::RoutingNumber));
        assert_eq!(parse(Country::AU, "062000", "1234"), Err(InvalidBankNumbers::AccountNumber));
        assert_eq!(parse(Country::AU, "062000", "1234567890"), Err(InvalidBankNumbers::AccountNumber));
    }

    #[test]
    fn gb_sort_code_with_account_number_or_bic_with_iban() {
        assert!(parse(Country::GB, "40-05-15", "12345678").is_ok());
        assert_eq!(parse(Country::GB, "400515", "1234567"), Err(InvalidBankNumbers::AccountNumber));
        assert_eq!(parse(Country::GB, "NWBKGB2L", "12345678"), Err(InvalidBankNumbers::RoutingNumber));
        assert!(parse(Country::GB, "NWBKGB2L", "GB29 NWBK 6016 1331 9268 19").is_ok());
        assert_eq!(parse(Country::GB, "NWBKGB2L", "GB29NWBK60161331926818"), Err(InvalidBankNumbers::Iban));
        assert_eq!(parse(Country::GB, "400515", "GB29NWBK60161331926819"), Err(InvalidBankNumbers::RoutingNumber));
    }

    #[test]
    fn iban_countries_need_a_bic_and_an_iban_of_their_own() {
        assert!(parse(Country::DE, "DEUTDEFF", "DE89 3704 0044 0532 0130 00").is_ok());
        assert!(parse(Country::DE, "deutdeff500", "de89370400440532013000").is_ok());
        assert_eq!(parse(Country::DE, "DEUTDEFF", "DE89370400440532013001"), Err(InvalidBankNumbers::Iban));
        assert_eq!(parse(Country::DE, "DEUTDEFF", "8800017777"), Err(InvalidBankNumbers::Iban));
        assert_eq!(parse(Country::DE, "DEUTDEFF", "GB29NWBK60161331926819"), Err(InvalidBankNumbers::Iban));
        assert_eq!(parse(Country::DE, "DEUTDEFF", "DE8937040044053201300"), Err(InvalidBankNumbers::Iban));
        assert_eq!(parse(Country::FR, "BNPAFRPP", "FR1420041010050500013M02606").map(|_| ()), Ok(()));
        assert_eq!(parse(Country::DE, "DEUT1EFF", "DE89370400440532013000"), Err(InvalidBankNumbers::RoutingNumber));
        assert_eq!(parse(Country::DE, "DEUTDEF", "DE89370400440532013000"), Err(InvalidBankNumbers::RoutingNumber));
    }

    #[test]
    fn clabe_check_digit() {
        assert!(is_clabe("032180000118359719"));
        assert!(is_clabe("002010077777777771"));
        assert!(!is_clabe("032180000118359718"));
        assert!(!is_clabe("03218000011835971"));
        assert!(parse(Country::MX, "BNMXMXMM", "032180000118359719").is_ok());
        assert_eq!(parse(Country::MX, "BNMXMXMM", "032180000118359710"), Err(InvalidBankNumbers::AccountNumber));
        assert_eq!(parse(Country::MX, "12345678", "032180000118359719"), Err(InvalidBankNumbers::RoutingNumber));
    }

    #[test]
    fn other_countries_take_a_bic_and_4_to_34_letters_and_digits() {
        assert!(parse(Country::SG, "DBSSSGSG", "0123456789").is_ok());
        assert!(parse(Country::JP, "MHCBJPJT", "ab12").is_ok());
        assert_eq!(parse(Country::SG, "DBSSSGSG", "123"), Err(InvalidBankNumbers::AccountNumber));
        assert_eq!(parse(Country::SG, "DBSSSGSG", &"1".repeat(35)), Err(InvalidBankNumbers::AccountNumber));
        assert_eq!(parse(Country::SG, "DBSSSGSG", "12/34"), Err(InvalidBankNumbers::AccountNumber));
    }

    #[test]
    fn masks_keep_the_last_four_characters() {
        assert_eq!(masked("11111111111"), "**1111");
        assert_eq!(masked("121122676"), "**2676");
        assert_eq!(masked("DE89370400440532013000"), "**3000");
        assert_eq!(masked("123"), "**123");
    }

    #[test]
    fn debug_hides_the_numbers() -> Result<(), InvalidBankNumbers> {
        let shown = format!("{:?}", parse(Country::US, "121122676", "5030011111")?);
        assert!(!shown.contains("5030011111") && shown.contains("**1111"), "{shown}");
        Ok(())
    }
}
