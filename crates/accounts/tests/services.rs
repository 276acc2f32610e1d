//! The accounts services called directly, on a real database.

use accounts::{
    AccountStatus, AccountType, AccountsConfig, AccountsError, NewAccount, check_new_account, count_accounts,
    create_person_and_account, landing_account, private_account, private_person,
};
use kernel::{Country, Currency, FxRates};
use store::{TestDatabase, connect_pool, write_transaction};

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
    let (person_id, account_id) =
        write_transaction(&mut conn, |conn| create_person_and_account(conn, "jane@example.com", &account, now))?;

    assert_eq!(landing_account(&mut conn, &person_id)?, Some(account_id.clone()));
    assert_eq!(count_accounts(&mut conn, &person_id)?, 1);
    let config = AccountsConfig::default();
    let read = private_account(&mut conn, &config, &person_id, &account_id).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let read = read.ok_or_else(|| anyhow::anyhow!("account missing"))?;
    assert_eq!((read.status, read.currency, read.ubo_info_required), (AccountStatus::NotSetup, Currency::USD, true));
    let person = private_person(&mut conn, &person_id).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    assert_eq!(person.map(|p| p.email), Some("jane@example.com".to_owned()));
    Ok(())
}

#[test]
fn the_database_refuses_a_second_person_with_one_email() -> anyhow::Result<()> {
    let database = TestDatabase::new()?;
    let pool = connect_pool(database.url(), 2)?;
    let mut conn = pool.get()?;
    use diesel::prelude::*;
    use store::schema::persons;
    let now = chrono::Utc::now().naive_utc();
    let insert = |conn: &mut store::DbConnection, id: &str| {
        diesel::insert_into(persons::table)
            .values((persons::id.eq(id), persons::email.eq("jane@example.com"), persons::created_at.eq(now)))
            .execute(conn)
    };
    insert(&mut conn, "p1")?;
    let second = insert(&mut conn, "p2");
    assert!(second.as_ref().is_err_and(store::is_unique_violation), "{second:?}");
    // Upper case cannot slip past the index either: the table only takes normalised emails.
    let shouted = diesel::insert_into(persons::table)
        .values((persons::id.eq("p3"), persons::email.eq("JANE@example.com"), persons::created_at.eq(now)))
        .execute(&mut conn);
    assert!(shouted.is_err());
    Ok(())
}
