//! The login emails a payment request is addressed to and shows: read where they are stored, the person's.

use diesel::prelude::*;
use kernel::{AccountId, PersonId};
use store::schema::{accounts, persons};
use store::{DbConnection, DbError};

/// The login email of the person, in lower case as stored; `None` when there is no such person.
pub(crate) fn person_email(conn: &mut DbConnection, person_id: &PersonId) -> Result<Option<String>, DbError> {
    persons::table.find(person_id).select(persons::email).first(conn).optional()
}

/// The login email of the account's owner.
pub(crate) fn account_email(conn: &mut DbConnection, account_id: &AccountId) -> Result<Option<String>, DbError> {
    accounts::table
        .inner_join(persons::table)
        .filter(accounts::id.eq(account_id))
        .select(persons::email)
        .first(conn)
        .optional()
}

/// The name the other side of a request knows an account by: its display name, else its owner's email.
pub(crate) fn account_name(conn: &mut DbConnection, account_id: &AccountId) -> Result<String, DbError> {
    let found: Option<(Option<String>, String)> = accounts::table
        .inner_join(persons::table)
        .filter(accounts::id.eq(account_id))
        .select((accounts::display_name, persons::email))
        .first(conn)
        .optional()?;
    Ok(match found {
        Some((Some(name), _)) if !name.trim().is_empty() => name,
        Some((_, email)) => email,
        None => String::new(),
    })
}

/// The account's `redirectUrl`, where a payer of its requests is sent after paying.
pub(crate) fn redirect_url(conn: &mut DbConnection, account_id: &AccountId) -> Result<Option<String>, DbError> {
    Ok(accounts::table.find(account_id).select(accounts::redirect_url).first(conn).optional()?.flatten())
}
