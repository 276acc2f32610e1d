//! What the payments domain asks of accounts: who a payment can be sent to (by email or handle), and an
//! account's preferred bank account. Reads only; the payments domain decides what they mean for a payment.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use kernel::{AccountId, AccountStatus, AccountType, Country, Currency, Email, PersonId};
use store::schema::{accounts, bank_accounts, logins};
use store::{DbConnection, DbError, Tx};

use crate::BankAccountStatus;
use crate::taken::lower;

/// An account as a payer sees the account it pays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payee {
    pub account_id: AccountId,
    pub person_id: PersonId,
    pub account_type: AccountType,
    pub status: AccountStatus,
    pub country: Country,
    pub currency: Currency,
    pub display_name: Option<String>,
    pub slug: Option<String>,
}

/// What an email names for a payment (createPaymentSession rule 6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayeeByEmail {
    /// The login's oldest account that is neither DEACTIVATED nor DISABLED.
    Open(Payee),
    /// The login exists, but every account of it is closed.
    Closed,
    /// No login has this email.
    NoLogin,
}

type PayeeRow = (AccountId, PersonId, AccountType, AccountStatus, Country, Currency, Option<String>, Option<String>);

fn payee_of((account_id, person_id, account_type, status, country, currency, display_name, slug): PayeeRow) -> Payee {
    Payee { account_id, person_id, account_type, status, country, currency, display_name, slug }
}

macro_rules! payee_columns {
    () => {
        (
            accounts::id,
            accounts::person_id,
            accounts::account_type,
            accounts::status,
            accounts::country,
            accounts::currency,
            accounts::display_name,
            accounts::slug,
        )
    };
}

/// The account `account_id`, as a payment sees it (the payer's own, too); `None` when it does not exist.
pub fn payee(conn: &mut DbConnection, account_id: &AccountId) -> Result<Option<Payee>, DbError> {
    let found: Option<PayeeRow> = accounts::table.find(account_id).select(payee_columns!()).first(conn).optional()?;
    Ok(found.map(payee_of))
}

/// [`payee`] under a lock on the account's row, for a payment made in the same transaction: one statement, as
/// [`kernel::locked_account_status`] is.
pub fn locked_payee(tx: &mut Tx<'_>, account_id: &AccountId) -> Result<Option<Payee>, DbError> {
    let query = accounts::table.find(account_id).select(payee_columns!());
    let found: Option<PayeeRow> = match tx.conn() {
        DbConnection::Postgres(pg) => query.for_update().first(pg).optional()?,
        conn => query.first(conn).optional()?,
    };
    Ok(found.map(payee_of))
}

/// The account an email names for a payment.
pub fn payee_by_email(conn: &mut DbConnection, email: &Email) -> Result<PayeeByEmail, DbError> {
    let open = accounts::person_id
        .eq(logins::person_id)
        .and(accounts::status.ne_all([AccountStatus::Deactivated, AccountStatus::Disabled]));
    let found: Option<Option<PayeeRow>> = logins::table
        .left_join(accounts::table.on(open))
        .filter(logins::email.eq(email.as_str()))
        .order((accounts::created_at.asc(), accounts::id.asc()))
        .select(payee_columns!().nullable())
        .first(conn)
        .optional()?;
    Ok(match found {
        None => PayeeByEmail::NoLogin,
        Some(None) => PayeeByEmail::Closed,
        Some(Some(row)) => PayeeByEmail::Open(payee_of(row)),
    })
}

/// The account holding the PayMe handle `slug` (compared ignoring case), whatever its status.
pub fn payee_by_slug(conn: &mut DbConnection, slug: &str) -> Result<Option<Payee>, DbError> {
    let found: Option<PayeeRow> = accounts::table
        .filter(lower(accounts::slug).eq(slug.to_lowercase()))
        .select(payee_columns!())
        .first(conn)
        .optional()?;
    Ok(found.map(payee_of))
}

/// Whether operations staff let the account schedule INTERNATIONAL payments after today (I-4731).
pub fn scheduled_international(conn: &mut DbConnection, account_id: &AccountId) -> Result<bool, DbError> {
    Ok(accounts::table
        .find(account_id)
        .select(accounts::scheduled_international)
        .first::<bool>(conn)
        .optional()?
        .unwrap_or(false))
}

/// An account's preferred bank account, as paying from or into it needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreferredBankAccount {
    pub id: String,
    pub status: BankAccountStatus,
    pub currency: Currency,
    /// The bank-link provider's account of a linked bank account (for a balance refresh); `None` when typed in.
    pub provider_account_id: Option<String>,
    /// When the linked balance was last read; `None` for a typed-in account or an always-fresh one.
    pub balance_as_of: Option<NaiveDateTime>,
    /// Linked through the bank-link provider rather than typed in.
    pub linked: bool,
}

/// The account's preferred bank account, if it has one.
pub fn preferred_bank_account(
    conn: &mut DbConnection,
    account_id: &AccountId,
) -> Result<Option<PreferredBankAccount>, DbError> {
    // One statement: this runs several times in every payment step.
    let row: Option<BankRow> = accounts::table
        .inner_join(bank_accounts::table.on(accounts::preferred_bank_account_id.eq(bank_accounts::id.nullable())))
        .filter(accounts::id.eq(account_id))
        .select(BankRow::as_select())
        .first(conn)
        .optional()?;
    Ok(row.map(|row| PreferredBankAccount {
        id: row.id,
        status: row.status,
        currency: row.currency,
        provider_account_id: row.provider_account_id,
        balance_as_of: row.balance_as_of,
        linked: row.link_id.is_some(),
    }))
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = bank_accounts)]
struct BankRow {
    id: String,
    status: BankAccountStatus,
    currency: Currency,
    provider_account_id: Option<String>,
    balance_as_of: Option<NaiveDateTime>,
    link_id: Option<String>,
}

/// A bank account as settlement hands it to the financial provider: whose it is, whether it may receive, the
/// last four digits of its number (what the local provider's outcome rules read) and, for a linked one, the
/// bank-link provider's id of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettlementBankAccount {
    pub id: String,
    pub account_id: AccountId,
    pub status: BankAccountStatus,
    pub currency: Currency,
    pub number_last_four: String,
    /// `yodleeBankAccountId` of a linked account; `None` when typed in.
    pub link_id: Option<String>,
}

type SettlementRow = (String, AccountId, BankAccountStatus, Currency, String, Option<String>);

/// The bank account `id` as settlement needs it, whatever its status; `None` when it does not exist.
pub fn settlement_bank_account(conn: &mut DbConnection, id: &str) -> Result<Option<SettlementBankAccount>, DbError> {
    let row: Option<SettlementRow> = bank_accounts::table
        .find(id)
        .select((
            bank_accounts::id,
            bank_accounts::account_id,
            bank_accounts::status,
            bank_accounts::currency,
            bank_accounts::account_number_masked,
            bank_accounts::link_id,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(|(id, account_id, status, currency, masked, link_id)| {
        // The masked form is `**` and the last four characters of the number.
        let number_last_four = masked.strip_prefix("**").unwrap_or(&masked).to_owned();
        SettlementBankAccount { id, account_id, status, currency, number_last_four, link_id }
    }))
}

/// Those of `candidates` whose preferred bank account is FULLY_VERIFIED: the accounts that can receive now.
pub fn accounts_that_can_receive(conn: &mut DbConnection, candidates: &[AccountId]) -> Result<Vec<AccountId>, DbError> {
    let preferred: Vec<String> = accounts::table
        .filter(accounts::id.eq_any(candidates))
        .filter(accounts::preferred_bank_account_id.is_not_null())
        .select(accounts::preferred_bank_account_id.assume_not_null())
        .load(conn)?;
    bank_accounts::table
        .filter(bank_accounts::id.eq_any(&preferred))
        .filter(bank_accounts::status.eq(BankAccountStatus::FullyVerified))
        .select(bank_accounts::account_id)
        .load(conn)
}
