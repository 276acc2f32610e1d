//! Email addresses (README, "Inputs" -> Emails): compared and stored trimmed and in lower case.

use std::fmt;

/// The longest address accepted, in characters.
const MAX_LEN: usize = 254;
/// The longest local part accepted, in characters.
const MAX_LOCAL_LEN: usize = 64;

/// A valid email address, trimmed and in lower case (README, "Inputs"): exactly one `@`; a local part of 1 to 64
/// characters in the dot-atom form of RFC 5322 (atoms of ASCII letters, digits and ``!#$%&'*+-/=?^_`{|}~``,
/// single dots between atoms); a domain of at least two dot-separated non-empty labels of ASCII letters, digits
/// and hyphens; at most 254 characters in all. Nothing outside ASCII is accepted, before or after lower-casing.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

impl Email {
    /// The address in its stored form, or `None` when `raw` is not a valid address.
    pub fn parse(raw: &str) -> Option<Self> {
        let trimmed = raw.trim();
        // Checked before lower-casing: some non-ASCII letters (the Kelvin sign) lower-case to ASCII ones.
        if !trimmed.is_ascii() {
            return None;
        }
        let email = trimmed.to_ascii_lowercase();
        if email.len() > MAX_LEN {
            return None;
        }
        let (local, domain) = email.split_once('@')?;
        (is_dot_atom(local) && is_domain(domain)).then_some(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The form emails are compared and stored in: trimmed, lower case. For a valid address this is
/// `Email::parse(raw)`'s text.
pub fn normalize_email(raw: &str) -> String {
    raw.trim().to_lowercase()
}

/// RFC 5322 `atext`: the characters an atom of a dot-atom is made of.
fn is_atext(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~".contains(&byte)
}

/// A local part: 1 to 64 characters, non-empty atoms separated by single dots.
fn is_dot_atom(local: &str) -> bool {
    (1..=MAX_LOCAL_LEN).contains(&local.len())
        && local.split('.').all(|atom| !atom.is_empty() && atom.bytes().all(is_atext))
}

/// A domain: at least two non-empty labels of ASCII letters, digits and hyphens, separated by dots.
fn is_domain(domain: &str) -> bool {
    domain.split('.').count() >= 2
        && domain
            .split('.')
            .all(|label| !label.is_empty() && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn parsed(raw: &str) -> Option<String> {
        Email::parse(raw).map(|e| e.as_str().to_owned())
    }

    #[test]
    fn accepts_and_normalizes() {
        assert_eq!(parsed("  DocExample@GetBorderless.com "), Some("docexample@getborderless.com".into()));
        assert_eq!(parsed("\t\nA@B.CO\r\n"), Some("a@b.co".into()));
        for good in [
            "a.b+tag@mail.example-host.co",
            "o'brien+tag@example.co.uk",
            "x_y=z@mail-host.example.com",
            "a@b.c",
            "1@2.3",
            "!#$%&'*+-/=?^_`{|}~@example.com",
            "a.b.c.d@example.com",
            "first.last@sub.domain.example.org",
            "-@-.-",
        ] {
            assert_eq!(parsed(good), Some(good.to_ascii_lowercase()), "{good:?} refused");
        }
    }

    #[test]
    fn refuses_malformed() {
        for bad in [
            // Cases of the older auth::email tests.
            "",
            "plain",
            "a@b",
            "a@@b.com",
            "a b@c.com",
            "@b.com",
            "a@b..com",
            "a@b_c.com",
            "a@b.com@c.com",
            // Dot-atom rules of the local part.
            "nul\u{0}x@example.com",
            "a\u{202e}b@example.com",
            "\"quoted\"@example.com",
            "a..b@example.com",
            ".a@example.com",
            "a.@example.com",
            ".@example.com",
            "é@example.com",
            "a(b)@example.com",
            "a,b@example.com",
            "a;b@example.com",
            "a:b@example.com",
            "a<b>@example.com",
            "a[b]@example.com",
            "a\\b@example.com",
            "a\tb@example.com",
            "a\u{7f}b@example.com",
            "a\u{1b}b@example.com",
            "a\u{a0}b@example.com",
            "a\u{200b}b@example.com",
            // The Kelvin sign lower-cases to an ASCII `k`: still refused.
            "\u{212a}@example.com",
            // Domain rules.
            "a@",
            "a@.com",
            "a@example.",
            "a@example.com.",
            "a@exa mple.com",
            "a@exam+ple.com",
            "a@[127.0.0.1]",
            "a@例え.jp",
            "a@example.com\u{0}",
            "a@ex\u{202e}ample.com",
            "a",
            "@",
        ] {
            assert!(Email::parse(bad).is_none(), "{bad:?} accepted");
        }
    }

    #[test]
    fn enforces_lengths() {
        let longest_local = format!("{}@example.com", "a".repeat(64));
        assert!(Email::parse(&longest_local).is_some());
        let too_long_local = format!("{}@example.com", "a".repeat(65));
        assert!(Email::parse(&too_long_local).is_none());
        // 1 + 1 + 248 + 4 = 254 characters.
        let longest = format!("a@{}.com", "b".repeat(248));
        assert_eq!(longest.len(), 254);
        assert!(Email::parse(&longest).is_some());
        let too_long = format!("a@{}.com", "b".repeat(249));
        assert!(Email::parse(&too_long).is_none());
        // Surrounding white space does not count.
        assert!(Email::parse(&format!("  {longest}  ")).is_some());
        let too_long_old = format!("a@{}.com", "b".repeat(250));
        assert!(Email::parse(&too_long_old).is_none());
    }

    #[test]
    fn displays_and_normalizes_like_parse() {
        let email = Email::parse(" O'Brien@Example.COM ").expect("a valid address");
        assert_eq!(email.to_string(), "o'brien@example.com");
        assert_eq!(normalize_email(" O'Brien@Example.COM "), "o'brien@example.com");
        assert_eq!(normalize_email("  NOT AN EMAIL "), "not an email");
    }

    const ATEXT: &str = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,15}";
    const LABEL: &str = "[A-Za-z0-9-]{1,30}";

    fn valid_address() -> impl Strategy<Value = String> {
        (prop::collection::vec(ATEXT, 1..=4), prop::collection::vec(LABEL, 2..=4))
            .prop_map(|(atoms, labels)| format!("{}@{}", atoms.join("."), labels.join(".")))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn any_string_is_answered_without_panic(raw in any::<String>()) {
            let _ = Email::parse(&raw);
            let _ = normalize_email(&raw);
        }

        #[test]
        fn accepted_addresses_are_in_stored_form(raw in prop_oneof![
            any::<String>(),
            "[ a-zA-Z0-9@.\"(),:;<>\\[\\]\\\\!#$%&'*+/=?^_`{|}~\u{0}\u{202e}é-]{0,80}",
            valid_address(),
        ]) {
            if let Some(email) = Email::parse(&raw) {
                prop_assert_eq!(Email::parse(email.as_str()), Some(email.clone()));
                prop_assert!(email.as_str().chars().count() <= MAX_LEN);
                prop_assert!(email.as_str().is_ascii());
                prop_assert_eq!(email.as_str().matches('@').count(), 1);
                prop_assert_eq!(email.as_str(), normalize_email(&raw));
            }
        }

        #[test]
        fn generated_valid_addresses_are_accepted(address in valid_address(), pad in "[ \t]{0,3}") {
            let raw = format!("{pad}{address}{pad}");
            prop_assert_eq!(parsed(&raw), Some(address.to_ascii_lowercase()));
        }

        #[test]
        fn a_character_outside_the_alphabet_is_refused(
            address in valid_address(),
            bad in prop_oneof![
                Just('"'), Just('('), Just(')'), Just(','), Just(':'), Just(';'), Just('<'), Just('>'),
                Just('['), Just(']'), Just('\\'), Just('\u{0}'), Just('\u{7f}'), Just('\u{202e}'), Just('é'),
            ],
            at in any::<prop::sample::Index>(),
        ) {
            let local_len = address.find('@').expect("a generated address has an @");
            let position = at.index(local_len + 1);
            let mut raw = address.clone();
            raw.insert(position, bad);
            prop_assert!(Email::parse(&raw).is_none(), "{:?} accepted", raw);
        }
    }
}
