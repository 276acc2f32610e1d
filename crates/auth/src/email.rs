use std::fmt;

/// A well-formed email address, trimmed and in lower case (README, "Inputs"): one `@`, a local part of 1 to 64
/// characters without spaces, a domain of at least two dot-separated labels of letters, digits and hyphens, at
/// most 254 characters in all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Option<Self> {
        let email = normalize(raw);
        let (local, domain) = email.split_once('@')?;
        let local_ok = (1..=64).contains(&local.chars().count()) && !local.chars().any(char::is_whitespace);
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels
                .iter()
                .all(|label| !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
        (email.chars().count() <= 254 && local_ok && domain_ok).then_some(Self(email))
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

/// The form emails are compared and stored in: trimmed, lower case.
pub fn normalize(raw: &str) -> String {
    raw.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::Email;

    #[test]
    fn accepts_and_normalizes() {
        assert_eq!(
            Email::parse("  DocExample@GetBorderless.com ").map(|e| e.0),
            Some("docexample@getborderless.com".into())
        );
        assert!(Email::parse("a.b+tag@mail.example-host.co").is_some());
    }

    #[test]
    fn refuses_malformed() {
        let too_long_local = format!("{}@example.com", "a".repeat(65));
        let too_long = format!("a@{}.com", "b".repeat(250));
        for bad in ["", "plain", "a@b", "a@@b.com", "a b@c.com", "@b.com", "a@b..com", "a@b_c.com", "a@b.com@c.com"] {
            assert!(Email::parse(bad).is_none(), "{bad:?} accepted");
        }
        assert!(Email::parse(&too_long_local).is_none());
        assert!(Email::parse(&too_long).is_none());
    }
}
