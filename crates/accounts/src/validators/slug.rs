use std::fmt;

use kernel::ContractError;

/// Shortest and longest handle (isValidSlug rules 2 and 3).
const MIN_LENGTH: usize = 3;
const MAX_LENGTH: usize = 24;

/// Handles that would pass for the service itself or for one of its pages (isValidSlug rule 4), lower case.
const RESERVED: &[&str] = &[
    "admin",
    "administrator",
    "api",
    "app",
    "billing",
    "borderless",
    "checkout",
    "compliance",
    "contact",
    "dashboard",
    "developer",
    "developers",
    "docs",
    "graphiql",
    "graphql",
    "help",
    "invoice",
    "legal",
    "login",
    "logout",
    "mail",
    "null",
    "official",
    "pay",
    "payme",
    "payment",
    "payments",
    "privacy",
    "refund",
    "refunds",
    "register",
    "root",
    "security",
    "settings",
    "signin",
    "signup",
    "staff",
    "status",
    "support",
    "system",
    "terms",
    "undefined",
    "verify",
    "webhook",
    "webhooks",
    "www",
];

/// A PayMe handle that passed isValidSlug rules 1–4: 3 to 24 ASCII letters and digits, not a reserved word.
/// It keeps the case it was given in; every comparison uses [`Slug::comparison_key`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Slug(String);

/// Why a handle was refused, in the order the rules are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlugError {
    /// Rule 1 (I-4306): a character other than ASCII letters and digits.
    Format,
    /// Rule 2 (I-4307): fewer than 3 characters.
    TooShort,
    /// Rule 3 (I-4308): more than 24 characters.
    TooLong,
    /// Rule 4 (I-4317): a reserved word, ignoring case.
    Reserved,
}

impl Slug {
    /// Trims the handle (README "Inputs") and checks rules 1–4 in the page's order: the format before the
    /// length, so a long handle with a hyphen is a format error.
    pub fn parse(text: &str) -> Result<Self, SlugError> {
        let text = text.trim();
        if !text.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(SlugError::Format);
        }
        // Only ASCII from here on: bytes are characters.
        if text.len() < MIN_LENGTH {
            return Err(SlugError::TooShort);
        }
        if text.len() > MAX_LENGTH {
            return Err(SlugError::TooLong);
        }
        let lower = text.to_ascii_lowercase();
        if RESERVED.contains(&lower.as_str()) {
            return Err(SlugError::Reserved);
        }
        Ok(Self(text.to_owned()))
    }

    /// The handle as it was given (`AcmeCo`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What handles are compared and indexed on: the lower-case form (`Acme`, `ACME` and `acme` are one handle).
    pub fn comparison_key(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<SlugError> for ContractError {
    fn from(error: SlugError) -> Self {
        match error {
            SlugError::Format => Self::HandleFormat,
            SlugError::TooShort => Self::HandleTooShort,
            SlugError::TooLong => Self::HandleTooLong,
            SlugError::Reserved => Self::HandleReserved,
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn the_pages_test_points() {
        assert_eq!(Slug::parse("ab"), Err(SlugError::TooShort));
        assert_eq!(Slug::parse(&"a".repeat(24)).map(|s| s.as_str().len()), Ok(24));
        assert_eq!(Slug::parse(&"a".repeat(25)), Err(SlugError::TooLong));
        assert_eq!(Slug::parse("abc_1"), Err(SlugError::Format));
        assert_eq!(Slug::parse("Admin"), Err(SlugError::Reserved));
        assert_eq!(Slug::parse(" abc ").map(|s| s.to_string()), Ok("abc".to_owned()));
        assert_eq!(Slug::parse("abc").map(|s| s.to_string()), Ok("abc".to_owned()));
    }

    #[test]
    fn format_is_checked_before_length() {
        let long_with_hyphen = format!("{}-{}", "a".repeat(15), "b".repeat(15));
        assert_eq!(Slug::parse(&long_with_hyphen), Err(SlugError::Format));
        assert_eq!(Slug::parse("a-"), Err(SlugError::Format));
        assert_eq!(Slug::parse("pay-me"), Err(SlugError::Format));
        assert_eq!(Slug::parse("testing-slug"), Err(SlugError::Format));
    }

    #[test]
    fn only_ascii_letters_and_digits() {
        for refused in
            ["a b c", "abc.def", "abc_def", "@acme", "café", "acme!", "ａｂｃ", "abc\u{0}", "a\tbc", "ab\u{200b}c"]
        {
            assert_eq!(Slug::parse(refused), Err(SlugError::Format), "{refused:?}");
        }
        for accepted in ["abc", "ABC", "Acme2024", "123", "a1b2c3d4e5f6g7h8i9j0k1l2"] {
            assert!(Slug::parse(accepted).is_ok(), "{accepted:?}");
        }
    }

    #[test]
    fn empty_and_blank_are_too_short() {
        assert_eq!(Slug::parse(""), Err(SlugError::TooShort));
        assert_eq!(Slug::parse("   "), Err(SlugError::TooShort));
        assert_eq!(Slug::parse("\t\n"), Err(SlugError::TooShort));
    }

    #[test]
    fn every_reserved_word_in_any_case() {
        for word in RESERVED {
            assert_eq!(Slug::parse(word), Err(SlugError::Reserved), "{word}");
            assert_eq!(Slug::parse(&word.to_ascii_uppercase()), Err(SlugError::Reserved), "{word}");
        }
        assert_eq!(RESERVED.len(), 46, "the page lists 46 reserved words");
        // Close to a reserved word is not reserved.
        for free in ["admins", "payme1", "wwww", "apis", "paymentz"] {
            assert!(Slug::parse(free).is_ok(), "{free}");
        }
    }

    #[test]
    fn case_is_kept_and_compared_away() -> Result<(), SlugError> {
        let slug = Slug::parse("AcmeCo")?;
        assert_eq!(slug.as_str(), "AcmeCo");
        assert_eq!(slug.comparison_key(), "acmeco");
        assert_eq!(Slug::parse("ACMECO")?.comparison_key(), slug.comparison_key());
        Ok(())
    }

    #[test]
    fn refusals_carry_the_contract_codes() {
        let code = |error: SlugError| ContractError::from(error).code();
        assert_eq!(code(SlugError::Format), "I-4306");
        assert_eq!(code(SlugError::TooShort), "I-4307");
        assert_eq!(code(SlugError::TooLong), "I-4308");
        assert_eq!(code(SlugError::Reserved), "I-4317");
    }

    proptest! {
        #[test]
        fn any_text_parses_or_is_refused_without_panicking(text in any::<String>()) {
            let _ = Slug::parse(&text);
        }

        #[test]
        fn an_accepted_handle_parses_to_itself(text in "[ \t]{0,2}[A-Za-z0-9]{0,30}[ \t]{0,2}") {
            if let Ok(slug) = Slug::parse(&text) {
                prop_assert_eq!(Slug::parse(slug.as_str()), Ok(slug.clone()));
                prop_assert!((3..=24).contains(&slug.as_str().len()));
                prop_assert_eq!(slug.as_str(), text.trim());
            }
        }

        #[test]
        fn letters_and_digits_of_the_right_length_are_accepted_unless_reserved(text in "[A-Za-z0-9]{3,24}") {
            let reserved = RESERVED.contains(&text.to_ascii_lowercase().as_str());
            prop_assert_eq!(Slug::parse(&text).is_ok(), !reserved);
        }

        #[test]
        fn any_other_character_is_a_format_error(
            before in "[A-Za-z0-9]{0,30}",
            odd in any::<char>().prop_filter("not a letter or digit", |c| !c.is_ascii_alphanumeric() && !c.is_whitespace()),
            after in "[A-Za-z0-9]{0,30}",
        ) {
            prop_assert_eq!(Slug::parse(&format!("{before}{odd}{after}")), Err(SlugError::Format));
        }
    }
}
