use chrono::{DateTime, TimeDelta, Utc};
use kernel::ExposeSecret;

use super::{CheckOutcome, IdentityDocument, IdentityProvider, IdentitySubject, StartedCheck};

/// The word that makes the local provider reject a check, as a document number or a family name (any case).
const REJECT: &str = "REJECT";

/// The local Onfido-like provider (providers.md section 5): deterministic, so every outcome can be produced on
/// purpose. A check ends `IDENTITY_CHECK_DELAY` after it started, by the service clock: REJECTED when the
/// document number is `REJECT` or the subject's family name is `Reject` (any case), CLEAR otherwise.
#[derive(Debug, Clone, Copy)]
pub struct LocalIdentityProvider {
    delay: TimeDelta,
}

impl LocalIdentityProvider {
    pub fn new(delay: TimeDelta) -> Self {
        Self { delay }
    }

    /// The verdict of the local rule.
    pub fn verdict(subject: &IdentitySubject<'_>, document: &IdentityDocument<'_>) -> CheckOutcome {
        let rejected = document.number.expose_secret().trim().eq_ignore_ascii_case(REJECT)
            || subject.family_name.trim().eq_ignore_ascii_case(REJECT);
        if rejected { CheckOutcome::Rejected } else { CheckOutcome::Clear }
    }
}

impl IdentityProvider for LocalIdentityProvider {
    fn start_check(
        &self,
        subject: &IdentitySubject<'_>,
        document: &IdentityDocument<'_>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<StartedCheck> {
        Ok(StartedCheck {
            reference: uuid_v4(),
            due_at: now + self.delay,
            verdict: Some(Self::verdict(subject, document)),
        })
    }

    fn outcome(&self, check: &StartedCheck, now: DateTime<Utc>) -> anyhow::Result<Option<CheckOutcome>> {
        if now < check.due_at {
            return Ok(None);
        }
        match check.verdict {
            Some(verdict) => Ok(Some(verdict)),
            None => anyhow::bail!("local identity check {} has no verdict", check.reference),
        }
    }
}

/// A provider's check id, shaped like Onfido's: a random UUID in lower-case text.
fn uuid_v4() -> String {
    let mut bytes: [u8; 16] = rand::random();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = hex::encode(bytes);
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

#[cfg(test)]
mod tests {
    use kernel::{Country, SecretString};

    use super::*;
    use crate::IdDocumentType;

    fn verdict(name: &str, family_name: &str, number: &str) -> CheckOutcome {
        let number = SecretString::from(number.to_owned());
        let document = IdentityDocument {
            document_type: IdDocumentType::Passport,
            number: &number,
            issuing_country: Country::US,
            expiry_date: None,
        };
        LocalIdentityProvider::verdict(&IdentitySubject { name, family_name }, &document)
    }

    #[test]
    fn the_document_number_reject_in_any_case_is_rejected() {
        assert_eq!(verdict("Bob Lee", "Lee", "REJECT"), CheckOutcome::Rejected);
        assert_eq!(verdict("Bob Lee", "Lee", "reject"), CheckOutcome::Rejected);
        assert_eq!(verdict("Bob Lee", "Lee", "ReJeCt"), CheckOutcome::Rejected);
        assert_eq!(verdict("Bob Lee", "Lee", "REJECT1"), CheckOutcome::Clear);
        assert_eq!(verdict("Bob Lee", "Lee", "XREJECT"), CheckOutcome::Clear);
    }

    #[test]
    fn the_family_name_reject_in_any_case_is_rejected() {
        assert_eq!(verdict("Bob Reject", "Reject", "P1234567"), CheckOutcome::Rejected);
        assert_eq!(verdict("Bob REJECT", "REJECT", "P1234567"), CheckOutcome::Rejected);
        assert_eq!(verdict("Bob reject", " reject ", "P1234567"), CheckOutcome::Rejected);
        assert_eq!(verdict("Bob Rejected", "Rejected", "P1234567"), CheckOutcome::Clear);
        assert_eq!(verdict("Reject Lee", "Lee", "P1234567"), CheckOutcome::Clear, "only the family name counts");
    }

    #[test]
    fn a_check_ends_after_the_delay_with_the_verdict_of_its_start() -> anyhow::Result<()> {
        let provider = LocalIdentityProvider::new(TimeDelta::seconds(10));
        let number = SecretString::from("REJECT".to_owned());
        let document = IdentityDocument {
            document_type: IdDocumentType::DrivingLicence,
            number: &number,
            issuing_country: Country::GB,
            expiry_date: None,
        };
        let start = Utc::now();
        let check = provider.start_check(&IdentitySubject { name: "Ann Lee", family_name: "Lee" }, &document, start)?;
        assert_eq!(check.due_at, start + TimeDelta::seconds(10));
        assert_eq!(check.reference.len(), 36);
        assert_eq!(check.reference.as_bytes()[14], b'4', "a version 4 UUID");
        assert_eq!(provider.outcome(&check, start + TimeDelta::seconds(9))?, None);
        assert_eq!(provider.outcome(&check, start + TimeDelta::seconds(10))?, Some(CheckOutcome::Rejected));
        let other = provider.start_check(&IdentitySubject { name: "Ann Lee", family_name: "Lee" }, &document, start)?;
        assert_ne!(other.reference, check.reference);
        Ok(())
    }
}
