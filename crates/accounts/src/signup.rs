use auth::{AuthConfig, Password, PasswordHasher, create_login, issue_email_verification, login_exists};
use chrono::{DateTime, Utc};
use kernel::{
    AccountType, Clock, Country, Currency, Email, ExposeSecret, FxRates, PublicUrls, SecretString, Services,
    SessionIdentity, secrets_match, with_connection, with_transaction,
};
use std::sync::Arc;

use kernel::AccountId;
use store::{Pool, Tx, UniqueIndex, violated_unique_index};

use crate::{AccountsConfig, AccountsError, NewAccount, check_new_account, create_person_and_account};

/// What createLoginPersonAndAccount is given.
#[derive(Debug, Clone)]
pub struct SignUp {
    pub account_type: AccountType,
    pub country: Country,
    pub currency: Option<Currency>,
    pub accepted_terms_at: Option<DateTime<Utc>>,
    pub email: String,
    pub password: SecretString,
    pub signup_secret: Option<SecretString>,
}

/// What another domain attaches to the first account of a new login, inside the sign-up's transaction
/// (payments: the claim payments held for the address). Registered in the services; none by default.
pub trait AtSignUp: Send + Sync {
    fn account_opened(
        &self,
        tx: &mut Tx<'_>,
        account: (&AccountId, Currency),
        email: &Email,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()>;
}

/// Creates the login, the person and the first account in one transaction, with the verification email in
/// the same transaction's outbox. The rules are checked in the order of the operation's page, every cheap one
/// (the taken email included) before the password is hashed: a sign-up for a taken email costs no bcrypt work.
pub async fn sign_up(
    pool: &Pool,
    clock: &dyn Clock,
    services: &Services,
    input: SignUp,
) -> Result<SessionIdentity, AccountsError> {
    let config = services.get::<AccountsConfig>()?;
    let email = Email::parse(&input.email).ok_or(AccountsError::InvalidEmail)?;
    let password = Password::parse(&input.password).ok_or(AccountsError::WeakPassword)?;
    let currency = check_new_account(config, services.get::<FxRates>()?, input.country, input.currency)?;
    if input.account_type == AccountType::Business && !is_signup_code(config, input.signup_secret.as_ref()) {
        return Err(AccountsError::InvalidSignupCode);
    }
    let lookup = email.clone();
    if with_connection(pool, move |conn| login_exists(conn, &lookup).map_err(AccountsError::from)).await? {
        return Err(AccountsError::EmailTaken);
    }

    let password_hash = services.get::<PasswordHasher>()?.hash(password).await?;
    let now = clock.now();
    let account = NewAccount {
        account_type: input.account_type,
        country: input.country,
        currency,
        accepted_terms_at: input.accepted_terms_at.unwrap_or(now),
    };
    let auth_config = services.shared::<AuthConfig>()?;
    let urls = services.shared::<PublicUrls>()?;
    let at_sign_up = services.get::<Arc<dyn AtSignUp>>().ok().cloned();
    with_transaction(pool, move |tx| {
        let (person_id, account_id) = create_person_and_account(tx, &email, &account, now).map_err(|error| {
            // A concurrent sign-up with this email created the person (and its first account) first.
            match violated_unique_index(&error) {
                Some(UniqueIndex::PersonsEmail | UniqueIndex::AccountsPersonType) => AccountsError::EmailTaken,
                _ => error.into(),
            }
        })?;
        let login_id = create_login(tx, &email, &password_hash, &person_id, now)?;
        issue_email_verification(tx, &login_id, &email, now, &auth_config, &urls)?;
        if let Some(at_sign_up) = &at_sign_up {
            at_sign_up.account_opened(tx, (&account_id, account.currency), &email, now)?;
        }
        Ok(SessionIdentity { login_id, person_id, account_id, account_type: account.account_type })
    })
    .await
}

/// Exact match against every configured code, in constant time so the comparison reveals no prefix.
fn is_signup_code(config: &AccountsConfig, given: Option<&SecretString>) -> bool {
    let Some(given) = given else { return false };
    // Every code is compared, so the time taken does not tell which one came close.
    config
        .signup_secrets
        .iter()
        .fold(false, |found, code| found | secrets_match(code.expose_secret(), given.expose_secret()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(text: &str) -> SecretString {
        SecretString::from(text.to_owned())
    }

    #[test]
    fn signup_codes_match_exactly() {
        let config = AccountsConfig {
            signup_secrets: vec![secret("SECRET-GOES-HERE"), secret("OTHER")],
            ..AccountsConfig::default()
        };
        assert!(is_signup_code(&config, Some(&secret("SECRET-GOES-HERE"))));
        assert!(is_signup_code(&config, Some(&secret("OTHER"))));
        for wrong in [None, Some(""), Some("secret-goes-here"), Some("SECRET-GOES-HER"), Some(" OTHER")] {
            assert!(!is_signup_code(&config, wrong.map(secret).as_ref()), "{wrong:?} accepted");
        }
        assert!(!is_signup_code(&AccountsConfig::default(), Some(&secret(""))));
    }
}
