//! The auth services called directly, as an internal team would, on a real database.

use std::sync::Arc;

use accounts::{AccountType, AccountsConfig};
use auth::{
    AuthConfig, AuthError, LogIn, LoginThrottle, SignUp, VerificationMailer, VerificationNotBuilt, log_in, sign_up,
};
use chrono::TimeDelta;
use kernel::{Country, Currency, FxRates, ManualClock, Services};
use store::{Pool, TestDatabase, connect_pool};

struct Fixture {
    pool: Pool,
    clock: ManualClock,
    services: Services,
    _database: TestDatabase,
}

fn fixture() -> anyhow::Result<Fixture> {
    let database = TestDatabase::new()?;
    let pool = connect_pool(database.url(), 4)?;
    let mailer: Arc<dyn VerificationMailer> = Arc::new(VerificationNotBuilt);
    let services = Services::default()
        .with(AuthConfig {
            bcrypt_cost: 4,
            signup_secrets: vec!["CODE".into()],
            login_throttle: LoginThrottle { max_failures: 2, window: TimeDelta::minutes(15) },
            ..AuthConfig::default()
        })
        .with(AccountsConfig::default())
        .with(FxRates::built_in()?)
        .with(mailer);
    Ok(Fixture { pool, clock: ManualClock::default(), services, _database: database })
}

fn personal(email: &str) -> SignUp {
    SignUp {
        account_type: AccountType::Personal,
        country: Country::CA,
        currency: None,
        accepted_terms_at: None,
        email: email.into(),
        password: "Passw0rdPassw0rd".into(),
        signup_secret: None,
    }
}

fn credentials(email: &str, password: &str) -> LogIn {
    LogIn { email: email.into(), password: password.into(), extend_expiration_secret: None }
}

fn config(f: &Fixture) -> anyhow::Result<&AuthConfig> {
    f.services.get::<AuthConfig>()
}

#[tokio::test]
async fn sign_up_then_log_in_lands_on_the_new_account() -> anyhow::Result<()> {
    let f = fixture()?;
    let created = sign_up(&f.pool, &f.clock, &f.services, personal("Jane@Example.com")).await;
    let created = created.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let logged_in = log_in(&f.pool, &f.clock, config(&f)?, credentials("jane@example.com", "Passw0rdPassw0rd")).await;
    let logged_in = logged_in.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    assert_eq!(logged_in.identity, created);
    assert!(!logged_in.extended);
    Ok(())
}

#[tokio::test]
async fn a_second_sign_up_with_the_email_is_refused() -> anyhow::Result<()> {
    let f = fixture()?;
    let first = sign_up(&f.pool, &f.clock, &f.services, personal("jane@example.com")).await;
    assert!(first.is_ok(), "{first:?}");
    let again = sign_up(&f.pool, &f.clock, &f.services, personal(" JANE@example.com ")).await;
    assert!(matches!(again, Err(AuthError::EmailTaken)), "{again:?}");
    Ok(())
}

#[tokio::test]
async fn business_sign_ups_need_a_configured_code() -> anyhow::Result<()> {
    let f = fixture()?;
    let business =
        SignUp { account_type: AccountType::Business, currency: Some(Currency::USD), ..personal("biz@example.com") };
    let refused =
        sign_up(&f.pool, &f.clock, &f.services, SignUp { signup_secret: Some("code".into()), ..business.clone() })
            .await;
    assert!(matches!(refused, Err(AuthError::InvalidSignupCode)), "{refused:?}");
    let accepted =
        sign_up(&f.pool, &f.clock, &f.services, SignUp { signup_secret: Some("CODE".into()), ..business }).await;
    assert!(accepted.is_ok(), "{accepted:?}");
    Ok(())
}

#[tokio::test]
async fn failures_throttle_until_the_window_passes() -> anyhow::Result<()> {
    let f = fixture()?;
    let created = sign_up(&f.pool, &f.clock, &f.services, personal("jane@example.com")).await;
    assert!(created.is_ok(), "{created:?}");
    for _ in 0..2 {
        let wrong = log_in(&f.pool, &f.clock, config(&f)?, credentials("jane@example.com", "nope")).await;
        assert!(matches!(wrong, Err(AuthError::InvalidCredentials)), "{wrong:?}");
    }
    let throttled = log_in(&f.pool, &f.clock, config(&f)?, credentials("jane@example.com", "Passw0rdPassw0rd")).await;
    assert!(matches!(throttled, Err(AuthError::TooManyFailures)), "{throttled:?}");
    f.clock.advance(TimeDelta::minutes(16));
    let allowed = log_in(&f.pool, &f.clock, config(&f)?, credentials("jane@example.com", "Passw0rdPassw0rd")).await;
    assert!(allowed.is_ok(), "{allowed:?}");
    Ok(())
}
