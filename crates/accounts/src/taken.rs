//! Who holds a handle or a tax id. Handles are compared on their lower-case form; tax ids only through their
//! keyed digests (`persons.personal_tax_id_digest`, `accounts.business_tax_id_digest`), so the database never
//! needs the numbers themselves to keep them unique.

use diesel::prelude::*;
use kernel::{AccountId, PersonId};
use store::schema::{accounts, persons};
use store::{DbConnection, DbError};

use crate::{BusinessTaxId, PersonalTaxId, Slug, TaxIdKey};

diesel::define_sql_function! {
    /// SQL `lower`, as the unique index `accounts_slug` is built on.
    fn lower(text: diesel::sql_types::Nullable<diesel::sql_types::Text>) -> diesel::sql_types::Nullable<diesel::sql_types::Text>;
}

/// True when an account, of any status, holds this handle, ignoring case (isValidSlug rule 5).
pub fn slug_taken(conn: &mut DbConnection, slug: &Slug) -> Result<bool, DbError> {
    let holder: Option<AccountId> = accounts::table
        .filter(lower(accounts::slug).eq(slug.comparison_key()))
        .select(accounts::id)
        .first(conn)
        .optional()?;
    Ok(holder.is_some())
}

/// True when a person other than `person_id` holds this personal tax id for its country
/// (isValidPersonalTaxId rule 3).
pub fn personal_tax_id_taken(
    conn: &mut DbConnection,
    key: &TaxIdKey,
    tax_id: &PersonalTaxId,
    person_id: &PersonId,
) -> Result<bool, DbError> {
    let holder: Option<PersonId> = persons::table
        .filter(persons::personal_tax_id_digest.eq(tax_id.digest(key)))
        .filter(persons::id.ne(person_id))
        .select(persons::id)
        .first(conn)
        .optional()?;
    Ok(holder.is_some())
}

/// True when an account other than `account_id`, of any status, holds this business tax id for its country;
/// Canadian numbers compare on their nine-digit root (isValidBusinessTaxId rule 4).
pub fn business_tax_id_taken(
    conn: &mut DbConnection,
    key: &TaxIdKey,
    tax_id: &BusinessTaxId,
    account_id: &AccountId,
) -> Result<bool, DbError> {
    let holder: Option<AccountId> = accounts::table
        .filter(accounts::country.eq(tax_id.country()))
        .filter(accounts::business_tax_id_digest.eq(tax_id.digest(key)))
        .filter(accounts::id.ne(account_id))
        .select(accounts::id)
        .first(conn)
        .optional()?;
    Ok(holder.is_some())
}

/// Gives the person this personal tax id: its digest, for uniqueness, and its masked form, for display. The
/// number itself is not stored. A number another person holds is refused by the unique index
/// `persons_personal_tax_id`, returned as the database error for the caller to answer.
pub fn record_personal_tax_id(
    conn: &mut DbConnection,
    key: &TaxIdKey,
    person_id: &PersonId,
    tax_id: &PersonalTaxId,
) -> Result<(), DbError> {
    diesel::update(persons::table.find(person_id))
        .set((persons::personal_tax_id.eq(tax_id.masked()), persons::personal_tax_id_digest.eq(tax_id.digest(key))))
        .execute(conn)?;
    Ok(())
}

/// Gives the account this business tax id: the normal form, which the contract shows in full, and the digest
/// of its comparison form. A number another account of the country holds is refused by the unique index
/// `accounts_business_tax_id`.
pub fn record_business_tax_id(
    conn: &mut DbConnection,
    key: &TaxIdKey,
    account_id: &AccountId,
    tax_id: &BusinessTaxId,
) -> Result<(), DbError> {
    diesel::update(accounts::table.find(account_id))
        .set((
            accounts::business_tax_id.eq(tax_id.expose_secret()),
            accounts::business_tax_id_digest.eq(tax_id.digest(key)),
        ))
        .execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use kernel::{AccountType, Country, Currency, Email};
    use store::{TestDatabase, connect_pool, write_transaction};

    use super::*;
    use crate::{NewAccount, create_person_and_account};

    fn open(conn: &mut DbConnection, email: &str, country: Country) -> anyhow::Result<(PersonId, AccountId)> {
        let email = Email::parse(email).ok_or_else(|| anyhow::anyhow!("test email"))?;
        let account = NewAccount {
            account_type: AccountType::Business,
            country,
            currency: Currency::USD,
            accepted_terms_at: Utc::now(),
        };
        Ok(write_transaction(conn, |tx| create_person_and_account(tx, &email, &account, Utc::now()))?)
    }

    fn personal(country: Country, text: &str) -> anyhow::Result<PersonalTaxId> {
        PersonalTaxId::parse(country, text).map_err(|_| anyhow::anyhow!("valid personal tax id"))
    }

    fn business(country: Country, text: &str) -> anyhow::Result<BusinessTaxId> {
        BusinessTaxId::parse(country, text).map_err(|_| anyhow::anyhow!("valid business tax id"))
    }

    #[test]
    fn a_handle_is_taken_by_any_account_ignoring_case() -> anyhow::Result<()> {
        let database = TestDatabase::new()?;
        let mut conn = connect_pool(database.url(), 1)?.get()?;
        let (_, account) = open(&mut conn, "a@example.com", Country::US)?;
        let acme = Slug::parse("AcmeCo").map_err(|_| anyhow::anyhow!("valid"))?;
        assert!(!slug_taken(&mut conn, &acme)?);
        diesel::update(accounts::table.find(&account)).set(accounts::slug.eq("acmeCO")).execute(&mut conn)?;
        assert!(slug_taken(&mut conn, &acme)?);
        assert!(!slug_taken(&mut conn, &Slug::parse("AcmeCo2").map_err(|_| anyhow::anyhow!("valid"))?)?);
        Ok(())
    }

    #[test]
    fn a_personal_tax_id_is_taken_by_another_person_of_the_same_country() -> anyhow::Result<()> {
        let database = TestDatabase::new()?;
        let mut conn = connect_pool(database.url(), 1)?.get()?;
        let key = TaxIdKey::from_bytes([3; 32]);
        let (holder, _) = open(&mut conn, "holder@example.com", Country::US)?;
        let (other, _) = open(&mut conn, "other@example.com", Country::US)?;
        let ssn = personal(Country::US, "123-45-6789")?;
        assert!(!personal_tax_id_taken(&mut conn, &key, &ssn, &other)?);
        record_personal_tax_id(&mut conn, &key, &holder, &ssn)?;
        assert!(personal_tax_id_taken(&mut conn, &key, &ssn, &other)?);
        assert!(!personal_tax_id_taken(&mut conn, &key, &ssn, &holder)?, "the holder itself is not another person");
        // The same digits in another country are another number.
        assert!(!personal_tax_id_taken(&mut conn, &key, &personal(Country::GB, "123456789")?, &other)?);
        // Only the digest and the masked form are stored.
        let (shown, digest): (Option<String>, Option<String>) = persons::table
            .find(&holder)
            .select((persons::personal_tax_id, persons::personal_tax_id_digest))
            .first(&mut conn)?;
        assert_eq!(shown.as_deref(), Some("*****6789"));
        assert_eq!(digest, Some(ssn.digest(&key)));
        // The unique index refuses a second holder.
        let refused = record_personal_tax_id(&mut conn, &key, &other, &ssn).expect_err("held by another person");
        assert_eq!(store::violated_unique_index(&refused), Some(store::UniqueIndex::PersonsPersonalTaxId));
        Ok(())
    }

    #[test]
    fn a_business_tax_id_is_taken_by_another_account_of_the_country_on_its_root() -> anyhow::Result<()> {
        let database = TestDatabase::new()?;
        let mut conn = connect_pool(database.url(), 1)?.get()?;
        let key = TaxIdKey::from_bytes([4; 32]);
        let (_, holder) = open(&mut conn, "holder@example.com", Country::CA)?;
        let (_, other) = open(&mut conn, "other@example.com", Country::CA)?;
        let (_, american) = open(&mut conn, "us@example.com", Country::US)?;
        record_business_tax_id(&mut conn, &key, &holder, &business(Country::CA, "123456782")?)?;
        let program_account = business(Country::CA, "123456782RT0001")?;
        assert!(business_tax_id_taken(&mut conn, &key, &program_account, &other)?);
        assert!(!business_tax_id_taken(&mut conn, &key, &program_account, &holder)?, "its own account");
        assert!(!business_tax_id_taken(&mut conn, &key, &business(Country::CA, "130692544")?, &other)?);
        // The full number is kept: the contract shows business tax ids in full.
        record_business_tax_id(&mut conn, &key, &holder, &program_account)?;
        let shown: Option<String> = accounts::table.find(&holder).select(accounts::business_tax_id).first(&mut conn)?;
        assert_eq!(shown.as_deref(), Some("123456782RT0001"));
        let refused = record_business_tax_id(&mut conn, &key, &other, &business(Country::CA, "123456782RC0002")?)
            .expect_err("the root is held");
        assert_eq!(store::violated_unique_index(&refused), Some(store::UniqueIndex::AccountsBusinessTaxId));
        // An account of another country does not hold a Canadian number.
        assert!(!business_tax_id_taken(&mut conn, &key, &business(Country::US, "12-3456789")?, &american)?);
        Ok(())
    }
}
