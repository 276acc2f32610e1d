use diesel::prelude::*;
use kernel::{
    Clock, ExposeSecret, LoginId, PersonId, SecretString, normalize_email, secrets_match, with_connection,
    with_transaction,
};
use store::schema::logins;
use store::{DbConnection, DbError, Pool};

use crate::throttle::{clear_failures, reserve_attempt};
use crate::{AuthConfig, AuthError, PasswordHasher};

/// What login is given.
#[derive(Debug, Clone)]
pub struct LogIn {
    pub email: String,
    pub password: SecretString,
    pub extend_expiration_secret: Option<SecretString>,
}

/// A successful login: who, where it lands, and whether the session gets the extended lifetimes.
#[derive(Debug, Clone)]
pub struct LoggedIn<Landing> {
    pub login_id: LoginId,
    pub person_id: PersonId,
    pub landing: Landing,
    pub extended: bool,
}

/// Checks the credentials and asks `land` where the login lands (the accounts domain decides; auth knows
/// nothing of accounts). Unknown email, wrong password and a login with nowhere to land are one answer
/// (E-7006), and take as long as each other: the password is always checked with bcrypt, against a dummy hash
/// when there is no login. No connection is held while bcrypt runs.
pub async fn log_in<Landing: Send + 'static>(
    pool: &Pool,
    clock: &dyn Clock,
    config: &AuthConfig,
    hasher: &PasswordHasher,
    input: LogIn,
    land: impl FnOnce(&mut DbConnection, &PersonId) -> Result<Option<Landing>, DbError> + Send + 'static,
) -> Result<LoggedIn<Landing>, AuthError> {
    let email = normalize_email(&input.email);
    let throttle = config.login_throttle;
    let now = clock.now();
    let lookup_email = email.clone();
    let found = with_transaction(pool, move |tx| {
        if !reserve_attempt(tx, throttle, &lookup_email, now)? {
            return Err(AuthError::TooManyFailures);
        }
        let login: Option<(LoginId, String, PersonId)> = logins::table
            .filter(logins::email.eq(&lookup_email))
            .select((logins::id, logins::password_hash, logins::person_id))
            .first(tx.conn())
            .optional()?;
        Ok(login)
    })
    .await?;

    let stored_hash = found.as_ref().map(|(_, hash, _)| hash.clone());
    let matches = hasher.verify(input.password, stored_hash).await?;

    let logged_in = with_connection(pool, move |conn| {
        let landed = match found {
            Some((login_id, _, person_id)) if matches => {
                land(conn, &person_id)?.map(|landing| (login_id, person_id, landing))
            }
            _ => None,
        };
        // A failure keeps the attempt's reservation: it now counts as one of the email's failures.
        if landed.is_some() {
            clear_failures(conn, &email)?;
        }
        Ok::<_, AuthError>(landed)
    })
    .await?;
    let (login_id, person_id, landing) = logged_in.ok_or(AuthError::InvalidCredentials)?;
    let extended = is_extend_secret(config, input.extend_expiration_secret.as_ref());
    Ok(LoggedIn { login_id, person_id, landing, extended })
}

/// A session is extended only by the configured secret, compared in constant time; unset means never.
fn is_extend_secret(config: &AuthConfig, given: Option<&SecretString>) -> bool {
    match (&config.extend_secret, given) {
        (Some(expected), Some(given)) if !expected.expose_secret().is_empty() => {
            secrets_match(expected.expose_secret(), given.expose_secret())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(text: &str) -> SecretString {
        SecretString::from(text.to_owned())
    }

    #[test]
    fn extends_only_with_the_configured_secret() {
        let config = AuthConfig { extend_secret: Some(secret("KIOSK")), ..AuthConfig::default() };
        assert!(is_extend_secret(&config, Some(&secret("KIOSK"))));
        assert!(!is_extend_secret(&config, Some(&secret("kiosk"))));
        assert!(!is_extend_secret(&config, None));
        assert!(!is_extend_secret(&AuthConfig::default(), Some(&secret(""))));
        let empty = AuthConfig { extend_secret: Some(secret("")), ..AuthConfig::default() };
        assert!(!is_extend_secret(&empty, Some(&secret(""))));
    }
}
