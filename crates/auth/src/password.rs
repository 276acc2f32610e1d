use std::collections::BTreeMap;
use std::sync::Mutex;

use anyhow::Context as _;

/// A password that meets the rule: at least 8 characters, an ASCII upper-case letter, lower-case letter and
/// digit, at most 72 bytes (bcrypt ignores what follows, so a longer one would be silently cut).
pub struct Password(String);

impl Password {
    pub fn parse(raw: &str) -> Option<Self> {
        let ok = raw.chars().count() >= 8
            && raw.len() <= 72
            && raw.chars().any(|c| c.is_ascii_uppercase())
            && raw.chars().any(|c| c.is_ascii_lowercase())
            && raw.chars().any(|c| c.is_ascii_digit());
        ok.then(|| Self(raw.to_owned()))
    }

    /// The bcrypt hash; slow on purpose, so call it off the async workers.
    pub fn hash(&self, cost: u32) -> anyhow::Result<String> {
        bcrypt::hash(&self.0, cost).context("bcrypt hashing failed")
    }
}

/// Checks `candidate` against a stored hash; with no stored hash (unknown email) it checks against a dummy hash
/// of the same cost, so both answers take as long.
pub fn verify(candidate: &str, stored_hash: Option<&str>, cost: u32) -> anyhow::Result<bool> {
    match stored_hash {
        Some(hash) => bcrypt::verify(candidate, hash).context("stored password hash is unreadable"),
        None => {
            bcrypt::verify(candidate, &dummy_hash(cost)?).context("dummy hash is unreadable")?;
            Ok(false)
        }
    }
}

fn dummy_hash(cost: u32) -> anyhow::Result<String> {
    static DUMMIES: Mutex<BTreeMap<u32, String>> = Mutex::new(BTreeMap::new());
    let mut dummies = DUMMIES.lock().map_err(|_| anyhow::anyhow!("dummy hash cache poisoned"))?;
    if let Some(hash) = dummies.get(&cost) {
        return Ok(hash.clone());
    }
    let hash = bcrypt::hash("borderless dummy password", cost).context("dummy hash not made")?;
    dummies.insert(cost, hash.clone());
    Ok(hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enforces_the_rule() {
        assert!(Password::parse("stRONgPassW0Rdh3r3").is_some());
        for weak in ["Short1a", "alllowercase1", "ALLUPPERCASE1", "NoDigitsHere", "ÄÖÜäöü12"] {
            assert!(Password::parse(weak).is_none(), "{weak:?} accepted");
        }
        assert!(Password::parse(&format!("Aa1{}", "x".repeat(69))).is_some());
        assert!(Password::parse(&format!("Aa1{}", "x".repeat(70))).is_none());
    }

    #[test]
    fn verifies_hashes() -> anyhow::Result<()> {
        let password = Password::parse("stRONgPassW0Rd").context("valid")?;
        let hash = password.hash(4)?;
        assert!(verify("stRONgPassW0Rd", Some(&hash), 4)?);
        assert!(!verify("wrong", Some(&hash), 4)?);
        assert!(!verify("stRONgPassW0Rd", None, 4)?);
        Ok(())
    }

    #[test]
    fn an_unknown_login_still_costs_a_bcrypt_verification() {
        // With no stored hash the candidate is checked against a dummy hash of the configured cost, so the
        // configured cost is used (and an impossible one fails) even though no login exists.
        assert!(verify("anything", None, 3).is_err());
        assert!(dummy_hash(4).is_ok_and(|hash| hash.starts_with("$2b$04$")));
    }
}
