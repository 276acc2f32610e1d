use chrono::{DateTime, Utc};
use diesel::prelude::*;
use kernel::{Email, LoginId, PersonId};
use store::schema::logins;
use store::{DbConnection, Tx, UniqueIndex, violated_unique_index};

use crate::AuthError;

/// True when a login has this email: sign-up's cheap check, made before any password is hashed.
pub fn login_exists(conn: &mut DbConnection, email: &Email) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(logins::table.filter(logins::email.eq(email.as_str())))).get_result(conn)
}

/// Creates the login of a person inside the caller's transaction. A login that appeared for this email or
/// this person meanwhile (a concurrent sign-up; a person's email is their login's) is I-4202; the savepoint
/// keeps the caller's transaction usable.
pub fn create_login(
    tx: &mut Tx<'_>,
    email: &Email,
    password_hash: &str,
    person_id: &PersonId,
    now: DateTime<Utc>,
) -> Result<LoginId, AuthError> {
    let login_id = LoginId::generate();
    tx.savepoint(|tx| {
        diesel::insert_into(logins::table)
            .values((
                logins::id.eq(&login_id),
                logins::email.eq(email.as_str()),
                logins::password_hash.eq(password_hash),
                logins::person_id.eq(person_id),
                logins::created_at.eq(now.naive_utc()),
            ))
            .execute(tx.conn())
            .map_err(|error| match violated_unique_index(&error) {
                Some(UniqueIndex::LoginsEmail | UniqueIndex::LoginsPerson) => AuthError::EmailTaken,
                _ => error.into(),
            })
    })?;
    Ok(login_id)
}

/// Whether `password` is the login's (deactivateAccount, changePassword). bcrypt runs on the hasher's bounded
/// pool, with no connection held meanwhile.
pub async fn verify_login_password(
    pool: &store::Pool,
    hasher: &crate::PasswordHasher,
    login_id: &LoginId,
    password: kernel::SecretString,
) -> Result<bool, AuthError> {
    let login_id = login_id.clone();
    let hash: Option<String> = kernel::with_connection(pool, move |conn| {
        logins::table.find(&login_id).select(logins::password_hash).first(conn).optional().map_err(AuthError::from)
    })
    .await?;
    Ok(hasher.verify(password, hash).await?)
}
