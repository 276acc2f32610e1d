use std::str::FromStr;
use std::sync::Arc;

use anyhow::Context as _;
use chrono::{DateTime, TimeDelta, Utc};
use kernel::{AccountId, Country, Currency, Money};
use rust_decimal::Decimal;
use serde::Deserialize;

use super::{
    BankAccountType, BankLinkProvider, BankNumbers, LinkedBankAccount, StartedVerification, VerificationOutcome,
};

/// The compiled-in fixtures (providers.md section 6).
const BUILT_IN: &str = include_str!("../../data/bank-link-fixtures.json");

/// The last four digits that make the local provider fail the verification of a typed-in account.
const FAILING_SUFFIX: &str = "0004";

/// The bank accounts the local bank-link provider knows: the built-in ones, or those of `BANK_LINK_FIXTURES`.
#[derive(Debug, Clone)]
pub struct BankLinkFixtures(Arc<Vec<LinkedBankAccount>>);

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Fixture {
    yodlee_bank_account_id: String,
    provider_account_id: String,
    bank_name: String,
    favicon_url: Option<String>,
    account_type: BankAccountType,
    currency: String,
    country: String,
    account_number: String,
    routing_number: Option<String>,
    balance: String,
    balance_as_of: Option<DateTime<Utc>>,
    needs_more_info: bool,
}

impl BankLinkFixtures {
    pub fn built_in() -> anyhow::Result<Self> {
        Self::parse(BUILT_IN).context("the built-in bank-link fixtures")
    }

    /// Reads a replacement file (`BANK_LINK_FIXTURES`): a JSON array in the built-in file's form.
    pub fn from_file(path: &str) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path).with_context(|| format!("BANK_LINK_FIXTURES: cannot read {path}"))?;
        Self::parse(&text).with_context(|| format!("BANK_LINK_FIXTURES: {path}"))
    }

    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let fixtures: Vec<Fixture> = serde_json::from_str(text)?;
        let mut accounts = Vec::with_capacity(fixtures.len());
        for fixture in fixtures {
            let id = fixture.yodlee_bank_account_id;
            if accounts.iter().any(|a: &LinkedBankAccount| a.id == id) {
                anyhow::bail!("yodleeBankAccountId {id} is listed twice");
            }
            let currency = Currency::from_str(&fixture.currency).map_err(|e| anyhow::anyhow!("{id}: {e}"))?;
            let country = Country::from_str(&fixture.country).map_err(|e| anyhow::anyhow!("{id}: {e}"))?;
            let balance = Decimal::from_str(&fixture.balance)
                .map_err(|e| anyhow::anyhow!("{id}: balance {:?}: {e}", fixture.balance))?;
            if currency.exponent().is_none_or(|exponent| balance.normalize().scale() > exponent) {
                anyhow::bail!("{id}: balance {} has more decimals than {currency} allows", fixture.balance);
            }
            let balance = Money::round_half_even(balance, currency).map_err(|e| anyhow::anyhow!("{id}: {e:?}"))?;
            accounts.push(LinkedBankAccount {
                id,
                provider_account_id: fixture.provider_account_id,
                bank_name: fixture.bank_name,
                favicon_url: fixture.favicon_url,
                account_type: fixture.account_type,
                currency,
                country,
                account_number: fixture.account_number,
                routing_number: fixture.routing_number,
                balance,
                balance_as_of: fixture.balance_as_of,
                needs_more_info: fixture.needs_more_info,
            });
        }
        Ok(Self(Arc::new(accounts)))
    }

    fn find(&self, id: &str) -> Option<&LinkedBankAccount> {
        self.0.iter().find(|account| account.id == id)
    }
}

/// The local Yodlee-like provider (providers.md section 6): deterministic, so every outcome can be produced on
/// purpose. Every account's bank-link user sees every fixture. A typed-in account is verified
/// `BANK_VERIFY_DELAY` after it was added, by the service clock: FAILED when its account number ends with
/// `0004`, FULLY_VERIFIED otherwise.
#[derive(Debug, Clone)]
pub struct LocalBankLinkProvider {
    fixtures: BankLinkFixtures,
    verify_delay: TimeDelta,
}

impl LocalBankLinkProvider {
    pub fn new(fixtures: BankLinkFixtures, verify_delay: TimeDelta) -> Self {
        Self { fixtures, verify_delay }
    }
}

impl BankLinkProvider for LocalBankLinkProvider {
    fn linked_account(&self, _account: &AccountId, id: &str) -> anyhow::Result<Option<LinkedBankAccount>> {
        Ok(self.fixtures.find(id).cloned())
    }

    fn start_verification(
        &self,
        _country: Country,
        numbers: &BankNumbers,
        now: DateTime<Utc>,
    ) -> anyhow::Result<StartedVerification> {
        let verdict = if numbers.account_number().ends_with(FAILING_SUFFIX) {
            VerificationOutcome::Failed
        } else {
            VerificationOutcome::FullyVerified
        };
        Ok(StartedVerification { reference: kernel::new_id(), due_at: now + self.verify_delay, verdict: Some(verdict) })
    }

    fn verification_outcome(
        &self,
        verification: &StartedVerification,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<VerificationOutcome>> {
        if now < verification.due_at {
            return Ok(None);
        }
        match verification.verdict {
            Some(verdict) => Ok(Some(verdict)),
            None => anyhow::bail!("local bank verification {} has no verdict", verification.reference),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_fixtures_are_those_of_the_contract() -> anyhow::Result<()> {
        let fixtures = BankLinkFixtures::built_in()?;
        let ids: Vec<&str> = fixtures.0.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["10001", "10002", "10003", "10004", "10005", "10006", "10007", "10008", "10009"]);
        let first = fixtures.find("10001").context("10001")?;
        assert_eq!((first.bank_name.as_str(), first.routing_number.as_deref()), ("Dag Site", Some("121000248")));
        assert_eq!(first.balance.minor_units(), 2_500_000);
        assert!(fixtures.find("10004").is_some_and(|a| a.needs_more_info));
        assert!(fixtures.find("10003").is_some_and(|a| a.balance_as_of.is_some()));
        assert!(fixtures.0.iter().filter(|a| a.id != "10003").all(|a| a.balance_as_of.is_none()));
        let maple = fixtures.find("10005").context("10005")?;
        assert_eq!((maple.country, maple.currency), (Country::CA, Currency::CAD));
        Ok(())
    }

    #[test]
    fn replacement_files_are_checked() {
        assert!(BankLinkFixtures::parse("[]").is_ok());
        assert!(BankLinkFixtures::parse("{}").is_err());
        let twice = BUILT_IN.replace("\"10002\"", "\"10001\"");
        assert!(BankLinkFixtures::parse(&twice).is_err());
        assert!(BankLinkFixtures::parse(&BUILT_IN.replace("\"40.00\"", "\"40.001\"")).is_err());
    }

    #[test]
    fn typed_in_accounts_ending_0004_fail_after_the_delay() -> anyhow::Result<()> {
        let provider = LocalBankLinkProvider::new(BankLinkFixtures::built_in()?, TimeDelta::seconds(30));
        let now: DateTime<Utc> = "2026-12-02T12:00:00Z".parse()?;
        let numbers =
            |account: &str| BankNumbers::parse(Country::US, "121122676", account).map_err(|e| anyhow::anyhow!("{e:?}"));
        let good = provider.start_verification(Country::US, &numbers("11111111111")?, now)?;
        let bad = provider.start_verification(Country::US, &numbers("12340004")?, now)?;
        assert_eq!(provider.verification_outcome(&good, now + TimeDelta::seconds(29))?, None);
        let later = now + TimeDelta::seconds(30);
        assert_eq!(provider.verification_outcome(&good, later)?, Some(VerificationOutcome::FullyVerified));
        assert_eq!(provider.verification_outcome(&bad, later)?, Some(VerificationOutcome::Failed));
        Ok(())
    }
}
