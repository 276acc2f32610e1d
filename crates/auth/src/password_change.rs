use diesel::prelude::*;
use kernel::{Clock, Email, ExposeSecret, SecretString, Services, SessionIdentity, with_transaction};
use mail::OutgoingEmail;
use store::schema::{logins, password_reset_tokens};
use store::{DbError, Pool, Tx};

use crate::session::{SessionStore, WRONG_PASSWORDS_THAT_END_A_SESSION};
use crate::{AuthError, Password, PasswordHasher, verify_login_password};

/// changePassword, rules in the page's order. `wrong_so_far` is the session's count of wrong passwords in a
/// row: the fifth is answered E-7006 (and the caller ends the session), earlier ones E-7001. On success every
/// other session of the login has ended; the caller renews its own.
pub async fn change_password(
    pool: &Pool,
    clock: &dyn Clock,
    services: &Services,
    caller: &SessionIdentity,
    wrong_so_far: u32,
    old_password: SecretString,
    new_password: SecretString,
) -> Result<(), AuthError> {
    let hasher = services.get::<PasswordHasher>()?;
    if !verify_login_password(pool, hasher, &caller.login_id, old_password.clone()).await? {
        return Err(if wrong_so_far + 1 >= WRONG_PASSWORDS_THAT_END_A_SESSION {
            AuthError::InvalidCredentials
        } else {
            AuthError::IncorrectCredentials
        });
    }
    let new = Password::parse(&new_password).ok_or(AuthError::WeakPassword)?;
    if new_password.expose_secret() == old_password.expose_secret() {
        return Err(AuthError::SamePassword);
    }
    let hash = hasher.hash(new).await?;
    let now = clock.now();
    let login_id = caller.login_id.clone();
    with_transaction(pool, move |tx| store_new_password(tx, &login_id, &hash, now).map_err(anyhow::Error::from))
        .await
        .map_err(|error| {
            tracing::error!(?error, "the new password hash was not stored");
            AuthError::PasswordNotStored
        })?;
    services.get::<SessionStore>()?.end_all_for_login(&caller.login_id).await?;
    Ok(())
}

/// Replaces the login's hash, voids its unused reset links, and queues the `password_changed` email.
pub(crate) fn store_new_password(
    tx: &mut Tx<'_>,
    login_id: &kernel::LoginId,
    hash: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), DbError> {
    let email: String = diesel::update(logins::table.find(login_id))
        .set(logins::password_hash.eq(hash))
        .returning(logins::email)
        .get_result(tx.conn())?;
    diesel::update(
        password_reset_tokens::table
            .filter(password_reset_tokens::login_id.eq(login_id))
            .filter(password_reset_tokens::used_at.is_null())
            .filter(password_reset_tokens::voided_at.is_null()),
    )
    .set(password_reset_tokens::voided_at.eq(now.naive_utc()))
    .execute(tx.conn())?;
    if let Some(email) = Email::parse(&email) {
        mail::queue(tx, &password_changed_email(email, now), now)?;
    }
    Ok(())
}

fn password_changed_email(to: Email, now: chrono::DateTime<chrono::Utc>) -> OutgoingEmail {
    let when = kernel::DateTime(now).render();
    OutgoingEmail {
        to,
        template: "password_changed".to_owned(),
        subject: "Your borderless password was changed".to_owned(),
        text: format!(
            "The password of your borderless login was changed at {when}.\n\nIf you did not change it, reset it at once with \"Forgot password\" and contact support: every session of your login has been ended."
        ),
        html: format!(
            "<p>The password of your borderless login was changed at {when}.</p><p>If you did not change it, reset it at once with \"Forgot password\" and contact support: every session of your login has been ended.</p>"
        ),
        links: Vec::new(),
    }
}
