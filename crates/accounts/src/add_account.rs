use chrono::{DateTime, Utc};
use diesel::prelude::*;
use kernel::{AccountId, AccountType, Country, Currency, SessionIdentity};
use store::schema::accounts;
use store::{Tx, UniqueIndex, violated_unique_index};

use crate::{AccountStatus, AccountsError, require_open_account};

/// addAccountToPerson: opens the person's second account, of the other type, in the current account's
/// country and currency, and answers the identity the session moves to. Rules in the page's order; the
/// unique index on (person, type) decides between two concurrent calls.
pub fn add_account_to_person(
    tx: &mut Tx<'_>,
    current: &SessionIdentity,
    account_type: AccountType,
    now: DateTime<Utc>,
) -> Result<SessionIdentity, AccountsError> {
    require_open_account(tx, &current.account_id)?;
    let types: Vec<AccountType> = accounts::table
        .filter(accounts::person_id.eq(&current.person_id))
        .select(accounts::account_type)
        .load(tx.conn())?;
    if types.contains(&AccountType::Personal) && types.contains(&AccountType::Business) {
        return Err(AccountsError::AccountLimitReached);
    }
    if types.contains(&account_type) {
        return Err(AccountsError::AccountTypeExists);
    }
    let (country, currency): (Country, Currency) =
        accounts::table.find(&current.account_id).select((accounts::country, accounts::currency)).first(tx.conn())?;
    let account_id = AccountId::generate();
    tx.savepoint(|tx| {
        diesel::insert_into(accounts::table)
            .values((
                accounts::id.eq(&account_id),
                accounts::person_id.eq(&current.person_id),
                accounts::account_type.eq(account_type),
                accounts::status.eq(AccountStatus::NotSetup),
                accounts::country.eq(country),
                accounts::currency.eq(currency),
                accounts::accepted_terms_at.eq(now.naive_utc()),
                accounts::created_at.eq(now.naive_utc()),
            ))
            .execute(tx.conn())
            .map_err(|error| match violated_unique_index(&error) {
                Some(UniqueIndex::AccountsPersonType) => AccountsError::AccountTypeExists,
                _ => error.into(),
            })
    })?;
    Ok(SessionIdentity { account_id, account_type, ..current.clone() })
}
