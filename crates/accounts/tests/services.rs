//! The accounts services called directly, as an internal team would (without GraphQL), on a real database.

use accounts::{
    AccountStatus, AccountType, AccountsConfig, AccountsError, NewAccount, SignUp, check_new_account, count_accounts,
    create_person_and_account, find_account, find_person, landing_account, log_in_to_account, require_open_account,
    sign_up,
};
use auth::{AuthConfig, AuthError, LogIn, LoginThrottle, PasswordHasher};
use chrono::TimeDelta;
use diesel::prelude::*;
use kernel::{Country, Currency, Email, FxRates, PublicUrls, SecretString, ServiceClock, Services, with_connection};
use store::{Pool, TestDatabase, connect_pool, write_transaction};

struct Fixture {
    pool: Pool,
    clock: ServiceClock,
    services: Services,
    _database: TestDatabase,
}

fn fixture() -> anyhow::Result<Fixture> {
    let database = TestDatabase::new()?;
    let pool = connect_pool(database.url(), 4)?;
    let clock = ServiceClock::manual(&mut *pool.get()?)?;
    let auth = AuthConfig {
        bcrypt_cost: 4,
        login_throttle: LoginThrottle { max_failures: 2, window: TimeDelta::minutes(15) },
        ..AuthConfig::default()
    };
    let services = Services::default()
        .with(PasswordHasher::new(auth.bcrypt_cost, 2))
        .with(auth)
        .with(AccountsConfig { signup_secrets: vec![secret("CODE")], ..AccountsConfig::default() })
        .with(FxRates::built_in()?)
        .with(PublicUrls::default());
    Ok(Fixture { pool, clock, services, _database: database })
}

fn secret(text: &str) -> SecretString {
    SecretString::from(text.to_owned())
}

fn personal(email: &str) -> SignUp {
    SignUp {
        account_type: AccountType::Personal,
        country: Country::CA,
        currency: None,
        accepted_terms_at: None,
        email: email.into(),
        password: secret("Passw0rdPassw0rd"),
        signup_secret: None,
    }
}

fn credentials(email: &str, password: &str) -> LogIn {
    LogIn { email: email.into(), password: secret(password), extend_expiration_secret: None }
}

#[test]
fn country_and_currency_are_checked_and_defaulted() -> anyhow::Result<()> {
    let config = AccountsConfig::default();
    let rates = FxRates::built_in()?;
    assert_eq!(check_new_account(&config, &rates, Country::GB, None).ok(), Some(Currency::GBP));
    assert_eq!(check_new_account(&config, &rates, Country::JP, Some(Currency::EUR)).ok(), Some(Currency::EUR));
    assert!(matches!(check_new_account(&config, &rates, Country::BR, None), Err(AccountsError::CountryNotSupported)));
    assert!(matches!(
        check_new_account(&config, &rates, Country::US, Some(Currency::XAU)),
        Err(AccountsError::CurrencyNotSupported(Currency::XAU))
    ));
    Ok(())
}

#[test]
fn a_person_and_first_account_are_created_and_read_back() -> anyhow::Result<()> {
    let database = TestDatabase::new()?;
    let pool = connect_pool(database.url(), 2)?;
    let mut conn = pool.get()?;
    let now = chrono::Utc::now();
    let account = NewAccount {
        account_type: AccountType::Business,
        country: Country::US,
        currency: Currency::USD,
        accepted_terms_at: now,
    };
    let email = Email::parse("jane@example.com").ok_or_else(|| anyhow::anyhow!("valid email"))?;
    let (person_id, account_id) =
        write_transaction(&mut conn, |tx| create_person_and_account(tx, &email, &account, now))?;

    assert_eq!(landing_account(&mut conn, &person_id)?, Some((account_id.clone(), AccountType::Business)));
    assert_eq!(count_accounts(&mut conn, &person_id)?, 1);
    let read = find_account(&mut conn, &AccountsConfig::default(), &person_id, &account_id)?;
    let read = read.ok_or_else(|| anyhow::anyhow!("account missing"))?;
    assert_eq!((read.status, read.currency, read.ubo_info_required), (AccountStatus::NotSetup, Currency::USD, true));
    // Another person's id answers like an unknown one.
    let stranger = kernel::PersonId::generate();
    assert!(find_account(&mut conn, &AccountsConfig::default(), &stranger, &account_id)?.is_none());
    Ok(())
}

#[tokio::test]
async fn sign_up_then_log_in_lands_on_the_new_account_with_its_verification_email_queued() -> anyhow::Result<()> {
    let f = fixture()?;
    let created = sign_up(&f.pool, &f.clock, &f.services, personal("Jane@Example.com")).await;
    let created = created.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let logged_in =
        log_in_to_account(&f.pool, &f.clock, &f.services, credentials("jane@example.com", "Passw0rdPassw0rd")).await;
    let (identity, extended) = logged_in.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    assert_eq!(identity, created);
    assert!(!extended);
    let (login_id, person_id) = (identity.login_id.clone(), identity.person_id.clone());
    let person =
        with_connection(&f.pool, move |conn| Ok::<_, anyhow::Error>(find_person(conn, &person_id, &login_id)?)).await?;
    assert_eq!(person.map(|p| (p.email, p.email_verified)), Some(("jane@example.com".to_owned(), false)));
    let queued: Vec<String> = with_connection(&f.pool, |conn| {
        use store::schema::email_outbox;
        Ok::<_, anyhow::Error>(email_outbox::table.select(email_outbox::template).load(conn)?)
    })
    .await?;
    assert_eq!(queued, vec!["email_verification".to_owned()]);
    Ok(())
}

#[tokio::test]
async fn a_taken_email_is_refused_before_any_password_is_hashed() -> anyhow::Result<()> {
    let f = fixture()?;
    let first = sign_up(&f.pool, &f.clock, &f.services, personal("jane@example.com")).await;
    assert!(first.is_ok(), "{first:?}");
    let hashed = f.services.get::<PasswordHasher>()?.operations_started();
    let again = sign_up(&f.pool, &f.clock, &f.services, personal(" JANE@example.com ")).await;
    assert!(matches!(again, Err(AccountsError::EmailTaken)), "{again:?}");
    assert_eq!(f.services.get::<PasswordHasher>()?.operations_started(), hashed, "the refusal cost bcrypt work");
    Ok(())
}

#[tokio::test]
async fn business_sign_ups_need_a_configured_code() -> anyhow::Result<()> {
    let f = fixture()?;
    let business =
        SignUp { account_type: AccountType::Business, currency: Some(Currency::USD), ..personal("biz@example.com") };
    let refused =
        sign_up(&f.pool, &f.clock, &f.services, SignUp { signup_secret: Some(secret("code")), ..business.clone() })
            .await;
    assert!(matches!(refused, Err(AccountsError::InvalidSignupCode)), "{refused:?}");
    let accepted =
        sign_up(&f.pool, &f.clock, &f.services, SignUp { signup_secret: Some(secret("CODE")), ..business }).await;
    assert!(accepted.is_ok(), "{accepted:?}");
    Ok(())
}

#[tokio::test]
async fn failures_throttle_until_the_window_passes() -> anyhow::Result<()> {
    let f = fixture()?;
    let created = sign_up(&f.pool, &f.clock, &f.services, personal("jane@example.com")).await;
    assert!(created.is_ok(), "{created:?}");
    for _ in 0..2 {
        let wrong = log_in_to_account(&f.pool, &f.clock, &f.services, credentials("jane@example.com", "nope")).await;
        assert!(matches!(wrong, Err(AuthError::InvalidCredentials)), "{wrong:?}");
    }
    let throttled =
        log_in_to_account(&f.pool, &f.clock, &f.services, credentials("jane@example.com", "Passw0rdPassw0rd")).await;
    assert!(matches!(throttled, Err(AuthError::TooManyFailures)), "{throttled:?}");
    f.clock.advance(&mut *f.pool.get()?, TimeDelta::minutes(16))?;
    let allowed =
        log_in_to_account(&f.pool, &f.clock, &f.services, credentials("jane@example.com", "Passw0rdPassw0rd")).await;
    assert!(allowed.is_ok(), "{allowed:?}");
    Ok(())
}

#[tokio::test]
async fn only_an_open_account_can_be_changed() -> anyhow::Result<()> {
    let f = fixture()?;
    let created = sign_up(&f.pool, &f.clock, &f.services, personal("jane@example.com")).await;
    let account_id = created.map_err(|e| anyhow::anyhow!("{e:?}"))?.account_id;
    let mut conn = f.pool.get()?;
    let status = write_transaction(&mut conn, |tx| require_open_account(tx, &account_id));
    assert!(matches!(status, Ok(AccountStatus::NotSetup)), "{status:?}");
    for closed in [AccountStatus::Disabled, AccountStatus::Deactivated] {
        use store::schema::accounts;
        diesel::update(accounts::table).set(accounts::status.eq(closed)).execute(&mut conn)?;
        let refused = write_transaction(&mut conn, |tx| require_open_account(tx, &account_id));
        assert!(matches!(refused, Err(AccountsError::AccountDisabled)), "{refused:?}");
    }
    Ok(())
}
