use chrono::NaiveDateTime;
use diesel::prelude::*;
use kernel::{AccountId, Country, Currency};
use store::schema::{accounts, bank_accounts};
use store::{DbConnection, DbError};

use super::{BankAccount, BankAccountStatus, BankAccountType};

#[derive(Queryable, Selectable)]
#[diesel(table_name = bank_accounts)]
struct BankAccountRow {
    id: String,
    bank_name: String,
    country: Country,
    currency: Currency,
    account_type: BankAccountType,
    status: BankAccountStatus,
    account_number_masked: String,
    routing_number_masked: Option<String>,
    favicon_url: Option<String>,
    link_id: Option<String>,
    provider_account_id: Option<String>,
    balance_as_of: Option<NaiveDateTime>,
    created_at: NaiveDateTime,
}

/// bankAccounts: the bank accounts of account `account_id`, the preferred one first, then oldest first.
pub fn bank_accounts(conn: &mut DbConnection, account_id: &AccountId) -> Result<Vec<BankAccount>, DbError> {
    let preferred: Option<String> =
        accounts::table.find(account_id).select(accounts::preferred_bank_account_id).first(conn).optional()?.flatten();
    let rows: Vec<BankAccountRow> = bank_accounts::table
        .filter(bank_accounts::account_id.eq(account_id))
        .order((bank_accounts::created_at.asc(), bank_accounts::id.asc()))
        .select(BankAccountRow::as_select())
        .load(conn)?;
    let mut listed: Vec<BankAccount> = rows
        .into_iter()
        .map(|row| BankAccount {
            preferred: preferred.as_deref() == Some(row.id.as_str()),
            id: row.id,
            account_number: row.account_number_masked,
            routing_number: row.routing_number_masked,
            bank_name: row.bank_name,
            currency: row.currency,
            country: row.country,
            status: row.status,
            account_type: row.account_type,
            favicon_url: row.favicon_url,
            link_id: row.link_id,
            provider_account_id: row.provider_account_id,
            balance_as_of: row.balance_as_of.map(|t| t.and_utc()),
            created_at: row.created_at.and_utc(),
        })
        .collect();
    // A stable sort: the others keep their oldest-first order.
    listed.sort_by_key(|account| !account.preferred);
    Ok(listed)
}
