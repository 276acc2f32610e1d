use std::str::FromStr;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use juniper::{GraphQLObject, ID};
use kernel::{AccountId, Country, Currency, DateTime, FxRates, PersonId};
use store::DbConnection;
use store::schema::{accounts, persons};

use crate::{AccountStatus, AccountType, AccountsConfig, AccountsError, country_info};

/// An account as its owner sees it. Profile fields are null until account setup fills them.
#[derive(GraphQLObject, Debug, Clone)]
#[graphql(description = "An account as its owner sees it. Profile fields are null until account setup fills them.")]
pub struct PrivateAccount {
    pub id: ID,
    #[graphql(description = "PayMe handle; null until chosen.")]
    pub slug: Option<String>,
    pub status: AccountStatus,
    #[graphql(description = "Legal name (the person's full name for PERSONAL, the company name for BUSINESS).")]
    pub name: Option<String>,
    #[graphql(description = "Name shown to counterparties.")]
    pub display_name: Option<String>,
    pub phone_country_code: Option<Country>,
    pub phone: Option<String>,
    pub address_line1: Option<String>,
    pub address_line2: Option<String>,
    pub city: Option<String>,
    #[graphql(description = "ISO 3166-2 code of the account's state/province, e.g. \"US-CA\".")]
    pub zone_code: Option<String>,
    pub postal_code: Option<String>,
    #[graphql(description = "The account's home currency: what it receives in and, by default, pays in.")]
    pub currency: Currency,
    pub account_type: AccountType,
    pub country: Country,
    #[graphql(description = "An accountIdentificationTypes value, e.g. \"SSN\".")]
    pub identification_type: Option<String>,
    #[graphql(description = "NAICS code of the business.")]
    pub industry: Option<String>,
    #[graphql(description = "A businessTypes value.")]
    pub business_type: Option<String>,
    pub business_tax_id: Option<String>,
    pub preferred_bank_account_id: Option<ID>,
    pub incorporation_document_filename: Option<String>,
    #[graphql(
        description = "Total saved on payments this account sent, in its currency; null before its first completed payment."
    )]
    pub payment_saving_total: Option<f64>,
    #[graphql(
        description = "Total saved by beneficiaries on payments this account received, in its currency; null before the first."
    )]
    pub beneficiary_saving_total: Option<f64>,
    #[graphql(
        description = "True for a BUSINESS account whose country requires beneficial-owner data that has not been submitted yet."
    )]
    pub ubo_info_required: bool,
    #[graphql(description = "Where the pay-me page sends the payer after paying this account; null if not set.")]
    pub redirect_url: Option<String>,
    pub created_at: DateTime,
}

/// The first account of a new person, already checked by [`check_new_account`].
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub account_type: AccountType,
    pub country: Country,
    pub currency: Currency,
    pub accepted_terms_at: chrono::DateTime<chrono::Utc>,
}

/// Checks the country and currency of an account to open (rules I-4316 then I-4740) and settles its currency:
/// the one asked for, or the country's own.
pub fn check_new_account(
    config: &AccountsConfig,
    rates: &FxRates,
    country: Country,
    currency: Option<Currency>,
) -> Result<Currency, AccountsError> {
    if !config.supported_countries.contains(&country) {
        return Err(AccountsError::CountryNotSupported);
    }
    let currency = match currency {
        Some(currency) => currency,
        None => country_info(country)?
            .currency
            .ok_or_else(|| anyhow::anyhow!("supported country {country} has no currency"))?,
    };
    if !rates.carries_amounts(currency) {
        return Err(AccountsError::CurrencyNotSupported(currency));
    }
    Ok(currency)
}

#[derive(Insertable)]
#[diesel(table_name = persons)]
struct NewPersonRow<'a> {
    id: &'a str,
    email: &'a str,
    created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = accounts)]
struct NewAccountRow<'a> {
    id: &'a str,
    person_id: &'a str,
    account_type: &'a str,
    status: &'a str,
    country: &'a str,
    currency: &'a str,
    accepted_terms_at: NaiveDateTime,
    created_at: NaiveDateTime,
}

/// Creates the person of `email` (or reuses one that exists without a login) and their first account, inside the
/// caller's transaction. Database errors are returned as they are, so the caller can tell a unique violation.
pub fn create_person_and_account(
    conn: &mut DbConnection,
    email: &str,
    account: &NewAccount,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(PersonId, AccountId), store::DbError> {
    let now = now.naive_utc();
    let existing: Option<String> =
        persons::table.filter(persons::email.eq(email)).select(persons::id).first(conn).optional()?;
    let person_id = match existing {
        Some(id) => PersonId::from_stored(id),
        None => {
            let id = PersonId::generate();
            diesel::insert_into(persons::table)
                .values(NewPersonRow { id: id.as_str(), email, created_at: now })
                .execute(conn)?;
            id
        }
    };
    let account_id = AccountId::generate();
    diesel::insert_into(accounts::table)
        .values(NewAccountRow {
            id: account_id.as_str(),
            person_id: person_id.as_str(),
            account_type: account.account_type.as_str(),
            status: AccountStatus::NotSetup.as_str(),
            country: account.country.code(),
            currency: account.currency.code(),
            accepted_terms_at: account.accepted_terms_at.naive_utc(),
            created_at: now,
        })
        .execute(conn)?;
    Ok((person_id, account_id))
}

/// The account a login lands on: the person's oldest one that is not DEACTIVATED (login, rule 4).
pub fn landing_account(conn: &mut DbConnection, person_id: &PersonId) -> Result<Option<AccountId>, store::DbError> {
    let id: Option<String> = accounts::table
        .filter(accounts::person_id.eq(person_id.as_str()))
        .filter(accounts::status.ne(AccountStatus::Deactivated.as_str()))
        .order((accounts::created_at.asc(), accounts::id.asc()))
        .select(accounts::id)
        .first(conn)
        .optional()?;
    Ok(id.map(AccountId::from_stored))
}

/// How many accounts the person owns, whatever their status.
pub fn count_accounts(conn: &mut DbConnection, person_id: &PersonId) -> Result<i32, store::DbError> {
    let count: i64 = accounts::table.filter(accounts::person_id.eq(person_id.as_str())).count().get_result(conn)?;
    Ok(i32::try_from(count).unwrap_or(i32::MAX))
}

#[derive(Queryable)]
#[allow(dead_code, reason = "every column is read so the row matches the table; some fields come with later issues")]
struct AccountRow {
    id: String,
    person_id: String,
    account_type: String,
    status: String,
    country: String,
    currency: String,
    accepted_terms_at: NaiveDateTime,
    slug: Option<String>,
    name: Option<String>,
    display_name: Option<String>,
    phone_country_code: Option<String>,
    phone: Option<String>,
    address_line1: Option<String>,
    address_line2: Option<String>,
    city: Option<String>,
    zone_code: Option<String>,
    postal_code: Option<String>,
    identification_type: Option<String>,
    industry: Option<String>,
    business_type: Option<String>,
    business_tax_id: Option<String>,
    preferred_bank_account_id: Option<String>,
    incorporation_document_filename: Option<String>,
    redirect_url: Option<String>,
    company_officers_submitted: bool,
    created_at: NaiveDateTime,
}

/// The person's account `account_id` as its owner sees it; `None` when the person has no such account.
pub fn private_account(
    conn: &mut DbConnection,
    config: &AccountsConfig,
    person_id: &PersonId,
    account_id: &AccountId,
) -> Result<Option<PrivateAccount>, AccountsError> {
    let row: Option<AccountRow> = accounts::table
        .filter(accounts::id.eq(account_id.as_str()))
        .filter(accounts::person_id.eq(person_id.as_str()))
        .first(conn)
        .optional()?;
    row.map(|row| to_private(row, config)).transpose()
}

fn to_private(row: AccountRow, config: &AccountsConfig) -> Result<PrivateAccount, AccountsError> {
    let account_type = AccountType::from_str(&row.account_type)?;
    let country = Country::from_str(&row.country).map_err(anyhow::Error::from)?;
    let ubo_info_required = account_type == AccountType::Business
        && config.ubo_required_countries.contains(&country)
        && !row.company_officers_submitted;
    Ok(PrivateAccount {
        id: ID::new(row.id),
        slug: row.slug,
        status: AccountStatus::from_str(&row.status)?,
        name: row.name,
        display_name: row.display_name,
        phone_country_code: row
            .phone_country_code
            .map(|c| Country::from_str(&c))
            .transpose()
            .map_err(anyhow::Error::from)?,
        phone: row.phone,
        address_line1: row.address_line1,
        address_line2: row.address_line2,
        city: row.city,
        zone_code: row.zone_code,
        postal_code: row.postal_code,
        currency: Currency::from_str(&row.currency).map_err(anyhow::Error::from)?,
        account_type,
        country,
        identification_type: row.identification_type,
        industry: row.industry,
        business_type: row.business_type,
        business_tax_id: row.business_tax_id,
        preferred_bank_account_id: row.preferred_bank_account_id.map(ID::new),
        incorporation_document_filename: row.incorporation_document_filename,
        // Savings come with completed payments (payments issue); until then there are none to sum.
        payment_saving_total: None,
        beneficiary_saving_total: None,
        ubo_info_required,
        redirect_url: row.redirect_url,
        created_at: row.created_at.into(),
    })
}
