use chrono::{DateTime, TimeDelta, Utc};
use kernel::{ExposeSecret, SecretString};

use super::{
    Applicant, CheckOutcome, CheckProgress, IdentityDocument, IdentityProvider, IdentitySubject, StartedCheck,
};

/// The word that makes the local provider reject a check, as a document number or a family name (any case).
const REJECT: &str = "REJECT";

/// The local Onfido-like provider (providers.md section 5): deterministic, so every outcome can be produced on
/// purpose. A check ends `IDENTITY_CHECK_DELAY` after it was requested, by the service clock: REJECTED when the
/// document number is `REJECT` or the subject's family name is `Reject` (any case), CLEAR otherwise. It has no
/// capture widget: every applicant counts as having captured a document.
#[derive(Debug, Clone, Copy)]
pub struct LocalIdentityProvider {
    delay: TimeDelta,
    sdk_token_ttl: TimeDelta,
}

impl LocalIdentityProvider {
    pub fn new(delay: TimeDelta, sdk_token_ttl: TimeDelta) -> Self {
        Self { delay, sdk_token_ttl }
    }

    /// The verdict of the local rule; a person's check has no typed-in document.
    pub fn verdict(subject: &IdentitySubject<'_>, document: Option<&IdentityDocument<'_>>) -> CheckOutcome {
        let rejected = document.is_some_and(|d| d.number.expose_secret().trim().eq_ignore_ascii_case(REJECT))
            || subject.family_name.trim().eq_ignore_ascii_case(REJECT);
        if rejected { CheckOutcome::Rejected } else { CheckOutcome::Clear }
    }

    fn started(&self, verdict: CheckOutcome, requested_at: DateTime<Utc>) -> StartedCheck {
        StartedCheck { reference: uuid_v4(), due_at: requested_at + self.delay, verdict: Some(verdict) }
    }
}

impl IdentityProvider for LocalIdentityProvider {
    fn create_applicant(&self, _subject: &IdentitySubject<'_>, now: DateTime<Utc>) -> anyhow::Result<Applicant> {
        Ok(Applicant {
            id: uuid_v4(),
            sdk_token: SecretString::from(auth::new_token()),
            sdk_token_expires_at: now + self.sdk_token_ttl,
        })
    }

    fn document_captured(&self, _applicant_id: &str) -> anyhow::Result<bool> {
        Ok(true)
    }

    fn start_applicant_check(
        &self,
        _applicant_id: &str,
        subject: &IdentitySubject<'_>,
        requested_at: DateTime<Utc>,
    ) -> anyhow::Result<StartedCheck> {
        Ok(self.started(Self::verdict(subject, None), requested_at))
    }

    fn start_check(
        &self,
        subject: &IdentitySubject<'_>,
        document: &IdentityDocument<'_>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<StartedCheck> {
        Ok(self.started(Self::verdict(subject, Some(document)), now))
    }

    fn progress(&self, check: &StartedCheck, now: DateTime<Utc>) -> anyhow::Result<CheckProgress> {
        if now < check.due_at {
            return Ok(CheckProgress::Running { ask_again_at: check.due_at });
        }
        match check.verdict {
            Some(verdict) => Ok(CheckProgress::Ended(verdict)),
            None => anyhow::bail!("local identity check {} has no verdict", check.reference),
        }
    }
}

/// A provider's id, shaped like Onfido's: a random UUID in lower-case text.
fn uuid_v4() -> String {
    uuid::Uuid::new_v4().to_string()
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
        LocalIdentityProvider::verdict(&IdentitySubject { name, family_name }, Some(&document))
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
        let provider = LocalIdentityProvider::new(TimeDelta::seconds(10), TimeDelta::minutes(90));
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
        let running = CheckProgress::Running { ask_again_at: check.due_at };
        assert_eq!(provider.progress(&check, start + TimeDelta::seconds(9))?, running);
        assert_eq!(
            provider.progress(&check, start + TimeDelta::seconds(10))?,
            CheckProgress::Ended(CheckOutcome::Rejected)
        );
        let other = provider.start_check(&IdentitySubject { name: "Ann Lee", family_name: "Lee" }, &document, start)?;
        assert_ne!(other.reference, check.reference);
        Ok(())
    }

    #[test]
    fn an_applicant_is_a_v4_uuid_with_a_43_character_token_valid_90_minutes() -> anyhow::Result<()> {
        let provider = LocalIdentityProvider::new(TimeDelta::seconds(10), TimeDelta::minutes(90));
        let now = Utc::now();
        let subject = IdentitySubject { name: "Ann Lee", family_name: "Lee" };
        let applicant = provider.create_applicant(&subject, now)?;
        let parsed = uuid::Uuid::parse_str(&applicant.id)?;
        assert_eq!(parsed.get_version_num(), 4);
        assert_eq!(applicant.id, applicant.id.to_lowercase());
        let token = applicant.sdk_token.expose_secret();
        assert_eq!(token.len(), 43);
        assert!(token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{token}");
        assert_eq!(applicant.sdk_token_expires_at, now + TimeDelta::minutes(90));
        assert_ne!(provider.create_applicant(&subject, now)?.id, applicant.id);
        assert!(provider.document_captured(&applicant.id)?);
        Ok(())
    }

    #[test]
    fn a_persons_check_is_rejected_only_by_the_family_name_and_ends_after_the_delay() -> anyhow::Result<()> {
        let provider = LocalIdentityProvider::new(TimeDelta::seconds(10), TimeDelta::minutes(90));
        let requested = Utc::now();
        let outcome = |family_name: &str| -> anyhow::Result<CheckProgress> {
            let subject = IdentitySubject { name: "Ann", family_name };
            let check = provider.start_applicant_check("applicant", &subject, requested)?;
            let running = CheckProgress::Running { ask_again_at: requested + TimeDelta::seconds(10) };
            assert_eq!(provider.progress(&check, requested + TimeDelta::seconds(9))?, running);
            provider.progress(&check, requested + TimeDelta::seconds(10))
        };
        assert_eq!(outcome(" reject ")?, CheckProgress::Ended(CheckOutcome::Rejected));
        assert_eq!(outcome("Lee")?, CheckProgress::Ended(CheckOutcome::Clear));
        assert_eq!(outcome("")?, CheckProgress::Ended(CheckOutcome::Clear), "no last name at all ends CLEAR");
        Ok(())
    }
}
