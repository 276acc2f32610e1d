use std::sync::Arc;

use accounts::{AccountType, AccountsConfig, NewAccount, check_new_account, create_person_and_account};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use kernel::{Clock, Country, Currency, FxRates, LoginId, Services, SessionIdentity, run_blocking, with_connection};
use store::schema::logins;
use store::{Pool, is_unique_violation, write_transaction};

use crate::{AuthConfig, AuthError, Email, Password, VerificationMailer, secret};

/// What createLoginPersonAndAccount is given.
#[derive(Debug, Clone)]
pub struct SignUp {
    pub account_type: AccountType,
    pub country: Country,
    pub currency: Option<Currency>,
    pub accepted_terms_at: Option<DateTime<Utc>>,
    pub email: String,
    pub password: String,
    pub signup_secret: Option<String>,
}

/// Creates the login, the person and the first account in one transaction, then asks for the verification
/// email. The rules are checked in the order of the operation's page.
pub async fn sign_up(
    pool: &Pool,
    clock: &dyn Clock,
    services: &Services,
    input: SignUp,
) -> Result<SessionIdentity, AuthError> {
    let config = services.get::<AuthConfig>()?;
    let email = Email::parse(&input.email).ok_or(AuthError::InvalidEmail)?;
    let password = Password::parse(&input.password).ok_or(AuthError::WeakPassword)?;
    let currency = check_new_account(
        services.get::<AccountsConfig>()?,
        services.get::<FxRates>()?,
        input.country,
        input.currency,
    )?;
    if input.account_type == AccountType::Business && !is_signup_code(config, input.signup_secret.as_deref()) {
        return Err(AuthError::InvalidSignupCode);
    }

    let cost = config.bcrypt_cost;
    let password_hash = run_blocking(move || password.hash(cost)).await?;
    let now = clock.now();
    let account = NewAccount {
        account_type: input.account_type,
        country: input.country,
        currency,
        accepted_terms_at: input.accepted_terms_at.unwrap_or(now),
    };
    let stored_email = email.clone();
    let identity = with_connection(pool, move |conn| {
        write_transaction(conn, |conn| {
            let (person_id, account_id) = create_person_and_account(conn, stored_email.as_str(), &account, now)?;
            let login_id = LoginId::generate();
            diesel::insert_into(logins::table)
                .values((
                    logins::id.eq(login_id.as_str()),
                    logins::email.eq(stored_email.as_str()),
                    logins::password_hash.eq(&password_hash),
                    logins::person_id.eq(person_id.as_str()),
                    logins::created_at.eq(now.naive_utc()),
                ))
                .execute(conn)?;
            Ok::<_, store::DbError>(SessionIdentity { login_id, person_id, account_id })
        })
        .map_err(|e| if is_unique_violation(&e) { AuthError::EmailTaken } else { e.into() })
    })
    .await?;

    let mailer = Arc::clone(services.get::<Arc<dyn VerificationMailer>>()?);
    if let Err(cause) = mailer.send_verification(&identity.login_id, &email) {
        tracing::error!(login_id = %identity.login_id, error = ?cause, "verification email not sent");
    }
    Ok(identity)
}

/// Exact match against every configured code, in constant time so the comparison reveals no prefix.
fn is_signup_code(config: &AuthConfig, given: Option<&str>) -> bool {
    let Some(given) = given else { return false };
    // Every code is compared, so the time taken does not tell which one came close.
    config.signup_secrets.iter().fold(false, |found, code| found | secret::matches(code, given))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signup_codes_match_exactly() {
        let config =
            AuthConfig { signup_secrets: vec!["SECRET-GOES-HERE".into(), "OTHER".into()], ..AuthConfig::default() };
        assert!(is_signup_code(&config, Some("SECRET-GOES-HERE")));
        assert!(is_signup_code(&config, Some("OTHER")));
        for wrong in [None, Some(""), Some("secret-goes-here"), Some("SECRET-GOES-HER"), Some(" OTHER")] {
            assert!(!is_signup_code(&config, wrong), "{wrong:?} accepted");
        }
        assert!(!is_signup_code(&AuthConfig::default(), Some("")));
    }
}
