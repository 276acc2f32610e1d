//! The scheduled-international permission (I-4731) written and read directly, as the operator command does.

use accounts::{
    AccountType, NewAccount, OperatorRefusal, create_person_and_account, scheduled_international,
    set_scheduled_international,
};
use kernel::{AccountId, Country, Currency, Email};
use store::{TestDatabase, connect_pool, write_transaction};

#[test]
fn the_permission_is_off_by_default_and_is_set_and_cleared_per_account() -> anyhow::Result<()> {
    let database = TestDatabase::new()?;
    let pool = connect_pool(database.url(), 2)?;
    let mut conn = pool.get()?;
    let now = chrono::Utc::now();
    let account = NewAccount {
        account_type: AccountType::Personal,
        country: Country::US,
        currency: Currency::USD,
        accepted_terms_at: now,
    };
    let mut open = |email: &str| -> anyhow::Result<AccountId> {
        let email = Email::parse(email).ok_or_else(|| anyhow::anyhow!("valid email"))?;
        Ok(write_transaction(&mut conn, |tx| create_person_and_account(tx, &email, &account, now))?.1)
    };
    let (jane, john) = (open("jane@example.com")?, open("john@example.com")?);
    assert!(!scheduled_international(&mut conn, &jane)?);

    let set = write_transaction(&mut conn, |tx| set_scheduled_international(tx, &jane, true));
    assert!(matches!(set, Ok(true)), "{set:?}");
    assert!(scheduled_international(&mut conn, &jane)?);
    assert!(!scheduled_international(&mut conn, &john)?, "another account keeps its own flag");

    let cleared = write_transaction(&mut conn, |tx| set_scheduled_international(tx, &jane, false));
    assert!(matches!(cleared, Ok(false)), "{cleared:?}");
    assert!(!scheduled_international(&mut conn, &jane)?);

    let unknown = AccountId::from_text("no-such-account".to_owned());
    let refused = write_transaction(&mut conn, |tx| set_scheduled_international(tx, &unknown, true));
    assert!(matches!(&refused, Err(OperatorRefusal::UnknownAccount(id)) if *id == unknown), "{refused:?}");
    assert_eq!(refused.map_err(|e| e.to_string()).err().as_deref(), Some("no account has the id no-such-account"));
    Ok(())
}
