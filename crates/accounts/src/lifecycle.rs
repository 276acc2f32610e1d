//! How an account's status changes (flows.md section 2): the VERIFIED rule in one place, closing by the owner,
//! and blocking by staff. Every change records `account.status_changed` in the event outbox in the same
//! transaction.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use kernel::{AccountId, AccountType, LoginId, PersonId};
use serde_json::{Map, Value};
use store::schema::{account_setup_sessions, accounts, logins, persons};
use store::{DbError, Tx};
use webhooks::{EventType, record_event};

use crate::company_officers::officers_all_clear;
use crate::{AccountStatus, AccountsConfig, IdentityCheckStatus};

/// Sets the account's status and records the change for its webhooks; a closed account's webhooks become
/// inactive.
pub(crate) fn change_status(
    tx: &mut Tx<'_>,
    account_id: &AccountId,
    previous: AccountStatus,
    status: AccountStatus,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::update(accounts::table.find(account_id)).set(accounts::status.eq(status)).execute(tx.conn())?;
    if status.is_closed() {
        webhooks::close_account_webhooks(tx, account_id)?;
    }
    let mut claims = Map::new();
    claims.insert("previousStatus".to_owned(), Value::from(previous.as_str()));
    claims.insert("status".to_owned(), Value::from(status.as_str()));
    record_event(tx, account_id, EventType::AccountStatusChanged, claims, now)
}

/// The VERIFIED rule, evaluated whenever one of its parts changes: a SETUP_SUBMITTED account becomes
/// VERIFIED once its person's identity check is CLEAR, its login's email is verified, and — for a BUSINESS
/// account of a `UBO_REQUIRED_COUNTRIES` country — its company officers are submitted and every officer's
/// identity check is CLEAR. Answers whether the account moved.
pub fn evaluate_verified(
    tx: &mut Tx<'_>,
    config: &AccountsConfig,
    account_id: &AccountId,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    tx.lock_rows::<accounts::table>(&[account_id.as_str()])?;
    let (status, account_type, country, person_id, officers_submitted): (
        AccountStatus,
        AccountType,
        kernel::Country,
        PersonId,
        bool,
    ) = accounts::table
        .find(account_id)
        .select((
            accounts::status,
            accounts::account_type,
            accounts::country,
            accounts::person_id,
            accounts::company_officers_submitted,
        ))
        .first(tx.conn())?;
    if status != AccountStatus::SetupSubmitted {
        return Ok(false);
    }
    let identity: IdentityCheckStatus =
        persons::table.find(&person_id).select(persons::identity_check_status).first(tx.conn())?;
    let email_verified: bool = logins::table
        .filter(logins::person_id.eq(&person_id))
        .select(logins::email_verified)
        .first::<bool>(tx.conn())
        .optional()?
        .unwrap_or(false);
    let officers_done = account_type == AccountType::Personal
        || !config.ubo_required_countries.contains(&country)
        || (officers_submitted && officers_all_clear(tx.conn(), account_id)?);
    if identity == IdentityCheckStatus::Clear && email_verified && officers_done {
        change_status(tx, account_id, status, AccountStatus::Verified, now)?;
        return Ok(true);
    }
    Ok(false)
}

/// The first credit to the account's funding balance completed (flows.md section 2): a VERIFIED account becomes
/// FUNDING_BALANCE_VERIFIED. Answers whether the account moved; in any other status it stays as it is.
pub fn funding_balance_credited(tx: &mut Tx<'_>, account_id: &AccountId, now: DateTime<Utc>) -> Result<bool, DbError> {
    tx.lock_rows::<accounts::table>(&[account_id.as_str()])?;
    let status: Option<AccountStatus> =
        accounts::table.find(account_id).select(accounts::status).first(tx.conn()).optional()?;
    if status != Some(AccountStatus::Verified) {
        return Ok(false);
    }
    change_status(tx, account_id, AccountStatus::Verified, AccountStatus::FundingBalanceVerified, now)?;
    Ok(true)
}

/// After a login's email was confirmed: every account of its person that the confirmation makes VERIFIED.
pub fn evaluate_verified_for_login(
    tx: &mut Tx<'_>,
    config: &AccountsConfig,
    login_id: &LoginId,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let person_id: PersonId = logins::table.find(login_id).select(logins::person_id).first(tx.conn())?;
    let account_ids: Vec<AccountId> =
        accounts::table.filter(accounts::person_id.eq(&person_id)).select(accounts::id).load(tx.conn())?;
    for account_id in account_ids {
        evaluate_verified(tx, config, &account_id, now)?;
    }
    Ok(())
}

/// Closes the account for good (deactivateAccount), with its reason; an open setup session of it is deleted.
pub(crate) fn deactivate(
    tx: &mut Tx<'_>,
    account_id: &AccountId,
    previous: AccountStatus,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    change_status(tx, account_id, previous, AccountStatus::Deactivated, now)?;
    diesel::delete(account_setup_sessions::table.filter(account_setup_sessions::account_id.eq(account_id)))
        .execute(tx.conn())?;
    diesel::update(accounts::table.find(account_id))
        .set((accounts::deactivated_at.eq(now.naive_utc()), accounts::deactivation_reason.eq(reason)))
        .execute(tx.conn())
        .map(|_| ())
}

/// Why an operator command was refused; the operator reads the text.
#[derive(Debug)]
pub enum OperatorRefusal {
    UnknownAccount(AccountId),
    Refused(String),
    Internal(anyhow::Error),
}

impl std::fmt::Display for OperatorRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::UnknownAccount(id) => write!(f, "no account has the id {id}"),
            Self::Refused(reason) => f.write_str(reason),
            Self::Internal(cause) => write!(f, "{cause:#}"),
        }
    }
}

impl std::error::Error for OperatorRefusal {}

impl From<anyhow::Error> for OperatorRefusal {
    fn from(cause: anyhow::Error) -> Self {
        Self::Internal(cause)
    }
}

impl From<DbError> for OperatorRefusal {
    fn from(error: DbError) -> Self {
        Self::Internal(error.into())
    }
}

fn locked_status(tx: &mut Tx<'_>, account_id: &AccountId) -> Result<AccountStatus, OperatorRefusal> {
    tx.lock_rows::<accounts::table>(&[account_id.as_str()])?;
    accounts::table
        .find(account_id)
        .select(accounts::status)
        .first(tx.conn())
        .optional()?
        .ok_or_else(|| OperatorRefusal::UnknownAccount(account_id.clone()))
}

/// `borderless admin disable-account`: blocks the account, remembering the status it returns to.
pub fn disable_account(tx: &mut Tx<'_>, account_id: &AccountId, now: DateTime<Utc>) -> Result<(), OperatorRefusal> {
    let status = locked_status(tx, account_id)?;
    if matches!(status, AccountStatus::Deactivated | AccountStatus::Disabled) {
        return Err(OperatorRefusal::Refused(format!("account {account_id} is {status} and cannot be disabled")));
    }
    diesel::update(accounts::table.find(account_id))
        .set(accounts::status_before_disabled.eq(status))
        .execute(tx.conn())?;
    Ok(change_status(tx, account_id, status, AccountStatus::Disabled, now)?)
}

/// `borderless admin enable-account`: lifts the block; the account returns to the status it had.
pub fn enable_account(
    tx: &mut Tx<'_>,
    account_id: &AccountId,
    now: DateTime<Utc>,
) -> Result<AccountStatus, OperatorRefusal> {
    let status = locked_status(tx, account_id)?;
    if status != AccountStatus::Disabled {
        return Err(OperatorRefusal::Refused(format!("account {account_id} is {status}, not DISABLED")));
    }
    let before: Option<AccountStatus> =
        accounts::table.find(account_id).select(accounts::status_before_disabled).first(tx.conn())?;
    let restored = before.unwrap_or(AccountStatus::NotSetup);
    diesel::update(accounts::table.find(account_id))
        .set(accounts::status_before_disabled.eq(None::<AccountStatus>))
        .execute(tx.conn())?;
    change_status(tx, account_id, status, restored, now)?;
    Ok(restored)
}
