use diesel::prelude::*;
use kernel::{AccountId, LoginId, PersonId};
use store::DbConnection;
use store::schema::accounts;

use crate::{Account, AccountStatus, AccountsConfig, AccountsError, find_account, find_person};

/// accounts: the person's accounts that are not DEACTIVATED, oldest first, each exactly as `account` shows it.
/// `None` when the session's login or person no longer exists (rule 2, I-4101).
pub fn list_accounts(
    conn: &mut DbConnection,
    config: &AccountsConfig,
    person_id: &PersonId,
    login_id: &LoginId,
) -> Result<Option<Vec<Account>>, AccountsError> {
    if find_person(conn, person_id, login_id)?.is_none() {
        return Ok(None);
    }
    let ids: Vec<AccountId> = accounts::table
        .filter(accounts::person_id.eq(person_id))
        .filter(accounts::status.ne(AccountStatus::Deactivated))
        .order((accounts::created_at.asc(), accounts::id.asc()))
        .select(accounts::id)
        .load(conn)?;
    let mut listed = Vec::with_capacity(ids.len());
    for id in ids {
        listed.extend(find_account(conn, config, person_id, &id)?);
    }
    Ok(Some(listed))
}
