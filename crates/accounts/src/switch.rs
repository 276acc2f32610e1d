use kernel::{AccountId, SessionIdentity};
use store::DbConnection;

use crate::{AccountStatus, AccountsConfig, AccountsError, find_account};

/// switchAccounts: the identity the session moves to when it makes `account_id` its current account, rules in
/// the page's order. An unknown or malformed id and another person's account answer alike (I-4410); a
/// DEACTIVATED account of the person is refused (I-4411), a DISABLED one is not, so its owner can still read it.
pub fn switch_account(
    conn: &mut DbConnection,
    config: &AccountsConfig,
    current: &SessionIdentity,
    account_id: &str,
) -> Result<SessionIdentity, AccountsError> {
    let account_id = AccountId::from_text(account_id);
    let account = find_account(conn, config, &current.person_id, &account_id)?.ok_or(AccountsError::NotYourAccount)?;
    if account.status == AccountStatus::Deactivated {
        return Err(AccountsError::AccountDeactivated);
    }
    Ok(SessionIdentity { account_id: account.id, account_type: account.account_type, ..current.clone() })
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use diesel::prelude::*;
    use kernel::{AccountType, Country, Currency, Email, LoginId};
    use store::schema::accounts;
    use store::{TestDatabase, connect_pool, write_transaction};

    use super::*;
    use crate::{NewAccount, create_person_and_account};

    fn open(conn: &mut DbConnection, email: &str) -> anyhow::Result<SessionIdentity> {
        let email = Email::parse(email).ok_or_else(|| anyhow::anyhow!("test email"))?;
        let account = NewAccount {
            account_type: AccountType::Personal,
            country: Country::US,
            currency: Currency::USD,
            accepted_terms_at: Utc::now(),
        };
        let (person_id, account_id) =
            write_transaction(conn, |tx| create_person_and_account(tx, &email, &account, Utc::now()))?;
        Ok(SessionIdentity {
            login_id: LoginId::generate(),
            person_id,
            account_id,
            account_type: AccountType::Personal,
        })
    }

    fn code(result: Result<SessionIdentity, AccountsError>) -> Option<&'static str> {
        result.err().map(|error| kernel::ApiError::from(error).code())
    }

    #[test]
    fn only_the_persons_own_open_or_disabled_accounts_can_be_switched_to() -> anyhow::Result<()> {
        let database = TestDatabase::new()?;
        let mut conn = connect_pool(database.url(), 1)?.get()?;
        let config = AccountsConfig::default();
        let me = open(&mut conn, "me@example.com")?;
        let other = open(&mut conn, "other@example.com")?;
        for id in [other.account_id.as_str(), "0190b5c2-7a4e-7c3d-9f21-5b8e2d4c1a00", "not-an-id"] {
            assert_eq!(code(switch_account(&mut conn, &config, &me, id)), Some("I-4410"), "{id}");
        }
        let moved =
            switch_account(&mut conn, &config, &me, me.account_id.as_str()).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        assert_eq!(moved, me);
        diesel::update(accounts::table.find(&me.account_id))
            .set(accounts::status.eq(AccountStatus::Disabled))
            .execute(&mut conn)?;
        assert!(switch_account(&mut conn, &config, &me, me.account_id.as_str()).is_ok());
        diesel::update(accounts::table.find(&me.account_id))
            .set(accounts::status.eq(AccountStatus::Deactivated))
            .execute(&mut conn)?;
        assert_eq!(code(switch_account(&mut conn, &config, &me, me.account_id.as_str())), Some("I-4411"));
        Ok(())
    }
}
