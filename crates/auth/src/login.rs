use accounts::landing_account;
use diesel::prelude::*;
use kernel::{Clock, LoginId, PersonId, SessionIdentity, run_blocking, with_connection};
use store::Pool;
use store::schema::logins;

use crate::email::normalize;
use crate::throttle::{clear_failures, is_throttled, record_failure};
use crate::{AuthConfig, AuthError, password, secret};

/// What login is given.
#[derive(Debug, Clone)]
pub struct LogIn {
    pub email: String,
    pub password: String,
    pub extend_expiration_secret: Option<String>,
}

/// A successful login: who, and whether the session gets the extended lifetimes.
#[derive(Debug, Clone)]
pub struct LoggedIn {
    pub identity: SessionIdentity,
    pub extended: bool,
}

/// Checks the credentials and picks the account to land on. Unknown email, wrong password and a login with no
/// open account are one answer (E-7006), and take as long as each other: the password is always checked with
/// bcrypt, against a dummy hash when there is no login. No connection is held while bcrypt runs.
pub async fn log_in(pool: &Pool, clock: &dyn Clock, config: &AuthConfig, input: LogIn) -> Result<LoggedIn, AuthError> {
    let email = normalize(&input.email);
    let throttle = config.login_throttle;
    let lookup_email = email.clone();
    let now = clock.now();
    let found = with_connection(pool, move |conn| {
        if is_throttled(conn, throttle, &lookup_email, now)? {
            return Err(AuthError::TooManyFailures);
        }
        let login: Option<(String, String, String)> = logins::table
            .filter(logins::email.eq(&lookup_email))
            .select((logins::id, logins::password_hash, logins::person_id))
            .first(conn)
            .optional()?;
        Ok(login)
    })
    .await?;

    let cost = config.bcrypt_cost;
    let candidate = input.password;
    let stored_hash = found.as_ref().map(|(_, hash, _)| hash.clone());
    let matches = run_blocking(move || password::verify(&candidate, stored_hash.as_deref(), cost)).await?;

    let identity = with_connection(pool, move |conn| {
        let landed = match found {
            Some((login_id, _, person_id)) if matches => {
                let person_id = PersonId::from_stored(person_id);
                landing_account(conn, &person_id)?.map(|account_id| SessionIdentity {
                    login_id: LoginId::from_stored(login_id),
                    person_id,
                    account_id,
                })
            }
            _ => None,
        };
        match &landed {
            Some(_) => clear_failures(conn, &email)?,
            None => record_failure(conn, throttle, &email, now)?,
        }
        Ok::<_, AuthError>(landed)
    })
    .await?
    .ok_or(AuthError::InvalidCredentials)?;

    let extended = is_extend_secret(config, input.extend_expiration_secret.as_deref());
    Ok(LoggedIn { identity, extended })
}

/// A session is extended only by the configured secret, compared in constant time; unset means never.
fn is_extend_secret(config: &AuthConfig, given: Option<&str>) -> bool {
    match (config.extend_secret.as_deref(), given) {
        (Some(expected), Some(given)) if !expected.is_empty() => secret::matches(expected, given),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extends_only_with_the_configured_secret() {
        let config = AuthConfig { extend_secret: Some("KIOSK".into()), ..AuthConfig::default() };
        assert!(is_extend_secret(&config, Some("KIOSK")));
        assert!(!is_extend_secret(&config, Some("kiosk")));
        assert!(!is_extend_secret(&config, None));
        assert!(!is_extend_secret(&AuthConfig::default(), Some("")));
        assert!(!is_extend_secret(
            &AuthConfig { extend_secret: Some(String::new()), ..AuthConfig::default() },
            Some("")
        ));
    }
}
