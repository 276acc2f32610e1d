use diesel::prelude::*;
use kernel::{AccountType, Currency};
use store::DbConnection;
use store::schema::accounts;

use crate::taken::lower;
use crate::{AccountStatus, AccountsError, Slug};

/// The holder of a handle: its type, status, display name, currency and slug as stored.
type Holder = (AccountType, AccountStatus, Option<String>, Currency, Option<String>);

/// What anyone may know of a business account (the contract's `PublicAccount`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicAccount {
    pub account_type: AccountType,
    pub display_name: Option<String>,
    pub currency: Currency,
    /// As stored, in its original letter case; `None` until account setup gives the account a PayMe handle.
    pub slug: Option<String>,
}

/// publicAccountBySlug: the business account holding `slug` (trimmed, compared ignoring case), rules in the
/// page's order. A value that is not a well-formed handle can be held by no account, so it answers I-5103 like
/// any unknown handle; the type is checked before the status, so a closed PERSONAL account answers I-5104.
pub fn public_account_by_slug(conn: &mut DbConnection, slug: &str) -> Result<PublicAccount, AccountsError> {
    let slug = Slug::parse(slug.trim()).map_err(|_| AccountsError::NoAccountForHandle)?;
    let holder: Option<Holder> = accounts::table
        .filter(lower(accounts::slug).eq(slug.comparison_key()))
        .select((accounts::account_type, accounts::status, accounts::display_name, accounts::currency, accounts::slug))
        .first(conn)
        .optional()?;
    let (account_type, status, display_name, currency, stored) = holder.ok_or(AccountsError::NoAccountForHandle)?;
    if account_type != AccountType::Business {
        return Err(AccountsError::NoBusinessForHandle);
    }
    if matches!(status, AccountStatus::Deactivated | AccountStatus::Disabled) {
        return Err(AccountsError::NotAValidAccount);
    }
    let slug = stored.ok_or_else(|| anyhow::anyhow!("an account matched by its slug has none"))?;
    Ok(PublicAccount { account_type, display_name, currency, slug: Some(slug) })
}

/// The account `account_id` as anyone may see it, when it has a handle (a payment session's beneficiary, a
/// request's requester), whatever its status.
pub fn public_account(
    conn: &mut DbConnection,
    account_id: &kernel::AccountId,
) -> Result<Option<PublicAccount>, store::DbError> {
    let found: Option<(AccountType, Option<String>, Currency, Option<String>)> = accounts::table
        .find(account_id)
        .select((accounts::account_type, accounts::display_name, accounts::currency, accounts::slug))
        .first(conn)
        .optional()?;
    Ok(found.and_then(|(account_type, display_name, currency, slug)| {
        slug.is_some().then_some(PublicAccount { account_type, display_name, currency, slug })
    }))
}

/// What [`public_accounts`] reads of an account: type, display name, currency and slug.
type Shown = (AccountType, Option<String>, Currency, Option<String>);

/// Several accounts as anyone may see them, in one query, keyed by account id: the counterparties of a page of
/// payment activity or of the contacts list. Unlike [`public_account`], an account without a handle is
/// included (with `slug` `None`): it is still the counterparty's account.
pub fn public_accounts(
    conn: &mut DbConnection,
    ids: &[kernel::AccountId],
) -> Result<std::collections::HashMap<kernel::AccountId, PublicAccount>, store::DbError> {
    if ids.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    let found: Vec<(kernel::AccountId, Shown)> = accounts::table
        .filter(accounts::id.eq_any(ids))
        .select((accounts::id, (accounts::account_type, accounts::display_name, accounts::currency, accounts::slug)))
        .load(conn)?;
    Ok(found
        .into_iter()
        .map(|(id, (account_type, display_name, currency, slug))| {
            (id, PublicAccount { account_type, display_name, currency, slug })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use kernel::{AccountId, Country, Email};
    use store::{TestDatabase, connect_pool, write_transaction};

    use super::*;
    use crate::{NewAccount, create_person_and_account};

    fn open(conn: &mut DbConnection, email: &str, account_type: AccountType, slug: &str) -> anyhow::Result<AccountId> {
        let email = Email::parse(email).ok_or_else(|| anyhow::anyhow!("test email"))?;
        let account =
            NewAccount { account_type, country: Country::US, currency: Currency::USD, accepted_terms_at: Utc::now() };
        let (_, id) = write_transaction(conn, |tx| create_person_and_account(tx, &email, &account, Utc::now()))?;
        diesel::update(accounts::table.find(&id)).set(accounts::slug.eq(slug)).execute(conn)?;
        Ok(id)
    }

    fn code(conn: &mut DbConnection, slug: &str) -> Option<&'static str> {
        public_account_by_slug(conn, slug).err().map(|error| kernel::ApiError::from(error).code())
    }

    #[test]
    fn a_handle_finds_its_business_ignoring_case_and_refuses_the_rest_in_order() -> anyhow::Result<()> {
        let database = TestDatabase::new()?;
        let mut conn = connect_pool(database.url(), 1)?.get()?;
        let business = open(&mut conn, "b@example.com", AccountType::Business, "AcmeCo")?;
        open(&mut conn, "p@example.com", AccountType::Personal, "JaneDoe")?;
        let found = public_account_by_slug(&mut conn, " acmeco ").map_err(|e| anyhow::anyhow!("{e:?}"))?;
        assert_eq!(
            found,
            PublicAccount {
                account_type: AccountType::Business,
                display_name: None,
                currency: Currency::USD,
                slug: Some("AcmeCo".to_owned())
            }
        );
        assert_eq!(code(&mut conn, "nobody"), Some("I-5103"));
        assert_eq!(code(&mut conn, "@AcmeCo"), Some("I-5103"));
        assert_eq!(code(&mut conn, "JANEDOE"), Some("I-5104"));
        for status in [AccountStatus::Disabled, AccountStatus::Deactivated] {
            diesel::update(accounts::table.find(&business)).set(accounts::status.eq(status)).execute(&mut conn)?;
            assert_eq!(code(&mut conn, "AcmeCo"), Some("I-5105"));
        }
        Ok(())
    }
}
