use chrono::{DateTime, Utc};
use diesel::prelude::*;
use kernel::{AccountId, Country, Currency, FxRates, SecretString, new_id};
use store::schema::{accounts, bank_accounts};
use store::{Tx, UniqueIndex, violated_unique_index};

use super::validation::{BankNumbers, InvalidBankNumbers, masked};
use super::{BankAccountStatus, BankAccountType, BankLinkProvider, LinkedBankAccount, StartedVerification};
use crate::{AccountsError, TaxIdKey, require_open_account};

/// Most bank accounts one account may have, whatever their status (I-4504).
pub const MAX_BANK_ACCOUNTS: i64 = 10;

/// The longest `bankName` (I-4330).
const BANK_NAME_MAX: u32 = 100;

/// addBankAccount's input: exactly one of the two is meant to be given.
pub struct AddBankAccount {
    /// `yodleeBankAccountId`: the bank-link provider's id of a linked account; empty counts as absent.
    pub yodlee_bank_account_id: Option<String>,
    pub manual_bank_data: Option<ManualBankData>,
}

/// A bank account typed in by hand. The account number is secret from the moment it is read.
pub struct ManualBankData {
    pub account_number: SecretString,
    pub routing_number: String,
    pub bank_name: String,
    pub country: Country,
    pub currency: Currency,
    pub account_type: BankAccountType,
}

/// addBankAccount: attaches a linked or typed-in bank account to account `account_id` (rules 2 to 11 of its
/// page, in order). The first bank account becomes the preferred one.
///
/// The account row is locked first (I-4430), so the duplicate check, the limit of 10 and the choice of the
/// preferred one are made against bank accounts no concurrent call is adding.
pub fn add_bank_account(
    tx: &mut Tx<'_>,
    key: &TaxIdKey,
    rates: &FxRates,
    provider: &dyn BankLinkProvider,
    account_id: &AccountId,
    input: AddBankAccount,
    now: DateTime<Utc>,
) -> Result<(), AccountsError> {
    require_open_account(tx, account_id)?;
    let link_id = input.yodlee_bank_account_id.map(|id| id.trim().to_owned()).filter(|id| !id.is_empty());
    let (account_country, account_currency): (Country, Currency) =
        accounts::table.find(account_id).select((accounts::country, accounts::currency)).first(tx.conn())?;
    let same_as_account = |country: Country, currency: Currency| {
        if country == account_country && currency == account_currency {
            Ok(())
        } else {
            Err(AccountsError::BankCountryCurrencyMismatch)
        }
    };
    let new = match (link_id, input.manual_bank_data) {
        (Some(_), Some(_)) => return Err(AccountsError::BankInputsBoth),
        (None, None) => return Err(AccountsError::BankInputsNeither),
        (None, Some(manual)) => {
            let (numbers, bank_name) = check_manual(rates, &manual)?;
            same_as_account(manual.country, manual.currency)?;
            let numbers =
                BankNumbers::parse(manual.country, &manual.routing_number, &numbers).map_err(|e| match e {
                    InvalidBankNumbers::RoutingNumber => AccountsError::InvalidRoutingNumber,
                    InvalidBankNumbers::AccountNumber => AccountsError::InvalidAccountNumber,
                    InvalidBankNumbers::Iban => AccountsError::InvalidIban,
                })?;
            let digest = fingerprint(key, manual.country, numbers.routing_number(), numbers.account_number());
            refuse_duplicate(tx, account_id, &digest)?;
            refuse_over_limit(tx, account_id)?;
            let verification = provider.start_verification(manual.country, &numbers, now)?;
            StoredBankAccount::manual(account_id, &manual, bank_name, &numbers, digest, &verification, now)
        }
        (Some(link_id), None) => {
            let linked =
                provider.linked_account(account_id, &link_id)?.ok_or(AccountsError::NoSuchLinkedBankAccount)?;
            if linked.needs_more_info {
                return Err(AccountsError::BankNeedsInfo);
            }
            same_as_account(linked.country, linked.currency)?;
            // Linking again stands for the user refreshing in the widget: the balance counts as current again.
            let refreshed = diesel::update(
                bank_accounts::table
                    .filter(bank_accounts::account_id.eq(account_id))
                    .filter(bank_accounts::link_id.eq(&link_id)),
            )
            .set(bank_accounts::balance_as_of.eq(now.naive_utc()))
            .execute(tx.conn())?;
            if refreshed > 0 {
                return Ok(());
            }
            refuse_over_limit(tx, account_id)?;
            let routing = linked.routing_number.clone().unwrap_or_default();
            let digest = fingerprint(key, linked.country, &routing, &linked.account_number);
            refuse_duplicate(tx, account_id, &digest)?;
            StoredBankAccount::linked(account_id, &linked, digest, now)
        }
    };
    let id = new.id.clone();
    tx.savepoint(|tx| {
        diesel::insert_into(bank_accounts::table).values(&new).execute(tx.conn()).map_err(|error| {
            match violated_unique_index(&error) {
                Some(UniqueIndex::BankAccountsNumber) => AccountsError::BankAccountExists,
                _ => AccountsError::from(error),
            }
        })
    })?;
    // The first bank account becomes the preferred one; the column is the one source of truth for which.
    diesel::update(accounts::table.find(account_id).filter(accounts::preferred_bank_account_id.is_null()))
        .set(accounts::preferred_bank_account_id.eq(&id))
        .execute(tx.conn())?;
    Ok(())
}

/// Rules 5 to 7 for typed-in data: the required texts, the bank name's length, the currency. Answers the
/// trimmed account number and bank name.
fn check_manual(rates: &FxRates, manual: &ManualBankData) -> Result<(String, String), AccountsError> {
    use kernel::ExposeSecret;
    let account_number = manual.account_number.expose_secret().trim().to_owned();
    let bank_name = manual.bank_name.trim().to_owned();
    if account_number.is_empty() || manual.routing_number.trim().is_empty() || bank_name.is_empty() {
        return Err(AccountsError::BankNeedsInfo);
    }
    if bank_name.chars().count() > BANK_NAME_MAX as usize || bank_name.chars().any(char::is_control) {
        return Err(AccountsError::TextLength { field: "bankName", max: BANK_NAME_MAX });
    }
    if !rates.carries_amounts(manual.currency) {
        return Err(AccountsError::CurrencyNotSupported(manual.currency));
    }
    Ok((account_number, bank_name))
}

/// The keyed fingerprint of a bank account: HMAC-SHA256 under `TAX_ID_KEY` of
/// `<country>:bank:<routing number>:<account number>` (normal forms), so it never equals a tax id's digest.
fn fingerprint(key: &TaxIdKey, country: Country, routing: &str, account: &str) -> String {
    key.digest(country, &format!("bank:{routing}:{account}"))
}

fn refuse_duplicate(tx: &mut Tx<'_>, account_id: &AccountId, digest: &str) -> Result<(), AccountsError> {
    let existing: i64 = bank_accounts::table
        .filter(bank_accounts::account_id.eq(account_id))
        .filter(bank_accounts::number_digest.eq(digest))
        .count()
        .get_result(tx.conn())?;
    if existing > 0 { Err(AccountsError::BankAccountExists) } else { Ok(()) }
}

fn refuse_over_limit(tx: &mut Tx<'_>, account_id: &AccountId) -> Result<(), AccountsError> {
    let count: i64 =
        bank_accounts::table.filter(bank_accounts::account_id.eq(account_id)).count().get_result(tx.conn())?;
    if count >= MAX_BANK_ACCOUNTS { Err(AccountsError::TooManyBankAccounts) } else { Ok(()) }
}

#[derive(Insertable)]
#[diesel(table_name = bank_accounts)]
struct StoredBankAccount {
    id: String,
    account_id: AccountId,
    bank_name: String,
    country: Country,
    currency: Currency,
    account_type: BankAccountType,
    status: BankAccountStatus,
    account_number_masked: String,
    routing_number_masked: Option<String>,
    number_digest: String,
    favicon_url: Option<String>,
    link_id: Option<String>,
    provider_account_id: Option<String>,
    balance_as_of: Option<chrono::NaiveDateTime>,
    verification_reference: Option<String>,
    verification_due_at: Option<chrono::NaiveDateTime>,
    verification_verdict: Option<super::VerificationOutcome>,
    created_at: chrono::NaiveDateTime,
}

impl StoredBankAccount {
    fn manual(
        account_id: &AccountId,
        manual: &ManualBankData,
        bank_name: String,
        numbers: &BankNumbers,
        number_digest: String,
        verification: &StartedVerification,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            id: new_id(),
            account_id: account_id.clone(),
            bank_name,
            country: manual.country,
            currency: manual.currency,
            account_type: manual.account_type,
            status: BankAccountStatus::PendingVerification,
            account_number_masked: masked(numbers.account_number()),
            routing_number_masked: Some(masked(numbers.routing_number())),
            number_digest,
            favicon_url: None,
            link_id: None,
            provider_account_id: None,
            balance_as_of: None,
            verification_reference: Some(verification.reference.clone()),
            verification_due_at: Some(verification.due_at.naive_utc()),
            verification_verdict: verification.verdict,
            created_at: now.naive_utc(),
        }
    }

    fn linked(account_id: &AccountId, linked: &LinkedBankAccount, number_digest: String, now: DateTime<Utc>) -> Self {
        Self {
            id: new_id(),
            account_id: account_id.clone(),
            bank_name: linked.bank_name.clone(),
            country: linked.country,
            currency: linked.currency,
            account_type: linked.account_type,
            // The link proved ownership.
            status: BankAccountStatus::FullyVerified,
            account_number_masked: masked(&linked.account_number),
            routing_number_masked: linked.routing_number.as_deref().map(masked),
            number_digest,
            favicon_url: linked.favicon_url.clone(),
            link_id: Some(linked.id.clone()),
            provider_account_id: Some(linked.provider_account_id.clone()),
            balance_as_of: linked.balance_as_of.map(|t| t.naive_utc()),
            verification_reference: None,
            verification_due_at: None,
            verification_verdict: None,
            created_at: now.naive_utc(),
        }
    }
}
