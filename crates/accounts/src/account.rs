use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use kernel::{AccountId, AccountType, BatchedReads, Country, Currency, FxRates, Money, PersonId};
use store::schema::{accounts, persons};
use store::{DbConnection, DbError, Pool, Tx};

use crate::{AccountStatus, AccountsConfig, AccountsError, country_info};

/// An account as its owner sees it. Profile fields are empty until account setup fills them.
#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    pub id: AccountId,
    pub person_id: PersonId,
    pub account_type: AccountType,
    pub status: AccountStatus,
    pub country: Country,
    pub currency: Currency,
    pub slug: Option<String>,
    pub name: Option<String>,
    pub display_name: Option<String>,
    pub phone_country_code: Option<Country>,
    pub phone: Option<String>,
    pub address_line1: Option<String>,
    pub address_line2: Option<String>,
    pub city: Option<String>,
    pub zone_code: Option<String>,
    pub postal_code: Option<String>,
    pub identification_type: Option<String>,
    pub industry: Option<String>,
    pub business_type: Option<String>,
    pub business_tax_id: Option<String>,
    pub preferred_bank_account_id: Option<String>,
    pub incorporation_document_filename: Option<String>,
    /// Savings come with completed payments (payments issue); until then there are none to sum.
    pub payment_saving_total: Option<Money>,
    pub beneficiary_saving_total: Option<Money>,
    /// A BUSINESS account in a `UBO_REQUIRED_COUNTRIES` country that has not submitted its officers.
    pub ubo_info_required: bool,
    pub redirect_url: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Queryable, Selectable)]
#[diesel(table_name = accounts)]
struct AccountRow {
    id: AccountId,
    person_id: PersonId,
    account_type: AccountType,
    status: AccountStatus,
    country: Country,
    currency: Currency,
    slug: Option<String>,
    name: Option<String>,
    display_name: Option<String>,
    phone_country_code: Option<Country>,
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

impl AccountRow {
    fn into_account(self, config: &AccountsConfig) -> Account {
        let ubo_info_required = self.account_type == AccountType::Business
            && config.ubo_required_countries.contains(&self.country)
            && !self.company_officers_submitted;
        Account {
            id: self.id,
            person_id: self.person_id,
            account_type: self.account_type,
            status: self.status,
            country: self.country,
            currency: self.currency,
            slug: self.slug,
            name: self.name,
            display_name: self.display_name,
            phone_country_code: self.phone_country_code,
            phone: self.phone,
            address_line1: self.address_line1,
            address_line2: self.address_line2,
            city: self.city,
            zone_code: self.zone_code,
            postal_code: self.postal_code,
            identification_type: self.identification_type,
            industry: self.industry,
            business_type: self.business_type,
            business_tax_id: self.business_tax_id,
            preferred_bank_account_id: self.preferred_bank_account_id,
            incorporation_document_filename: self.incorporation_document_filename,
            payment_saving_total: None,
            beneficiary_saving_total: None,
            ubo_info_required,
            redirect_url: self.redirect_url,
            created_at: self.created_at.and_utc(),
        }
    }
}

/// The person's account `account_id`; `None` when the person has no such account (another person's id
/// answers exactly like an unknown one).
pub fn find_account(
    conn: &mut DbConnection,
    config: &AccountsConfig,
    person_id: &PersonId,
    account_id: &AccountId,
) -> Result<Option<Account>, DbError> {
    let row: Option<AccountRow> = accounts::table
        .filter(accounts::id.eq(account_id))
        .filter(accounts::person_id.eq(person_id))
        .select(AccountRow::as_select())
        .first(conn)
        .optional()?;
    Ok(row.map(|row| row.into_account(config)))
}

/// The account every request of a session reads ([`find_account`]), read for many requests in one query.
#[derive(Clone)]
pub struct AccountReads(BatchedReads<AccountId, AccountRow>);

impl AccountReads {
    pub fn new(pool: Pool) -> Self {
        Self(BatchedReads::new(
            pool,
            |conn, id: &AccountId| {
                Ok(accounts::table.find(id).select(AccountRow::as_select()).first(conn).optional()?)
            },
            |conn, ids: &[AccountId]| {
                let rows: Vec<AccountRow> =
                    accounts::table.filter(accounts::id.eq_any(ids)).select(AccountRow::as_select()).load(conn)?;
                Ok(rows.into_iter().map(|row| (row.id.clone(), row)).collect())
            },
        ))
    }

    /// What [`find_account`] answers, read by a query that starts after this call.
    pub async fn find(
        &self,
        config: &AccountsConfig,
        person_id: &PersonId,
        account_id: &AccountId,
    ) -> anyhow::Result<Option<Account>> {
        let row = self.0.get(account_id.clone()).await?;
        Ok(row.filter(|row| &row.person_id == person_id).map(|row| row.into_account(config)))
    }
}

/// The first account of a new person, already checked by [`check_new_account`].
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub account_type: AccountType,
    pub country: Country,
    pub currency: Currency,
    pub accepted_terms_at: DateTime<Utc>,
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

/// Creates the person of `email` (or reuses one that exists without a login) and their first account, inside
/// the caller's transaction. Database errors are returned as they are, so the caller can tell a unique
/// violation.
pub fn create_person_and_account(
    tx: &mut Tx<'_>,
    email: &kernel::Email,
    account: &NewAccount,
    now: DateTime<Utc>,
) -> Result<(PersonId, AccountId), DbError> {
    let now = now.naive_utc();
    let existing: Option<PersonId> =
        persons::table.filter(persons::email.eq(email.as_str())).select(persons::id).first(tx.conn()).optional()?;
    let person_id = match existing {
        Some(id) => id,
        None => {
            let id = PersonId::generate();
            diesel::insert_into(persons::table)
                .values((persons::id.eq(&id), persons::email.eq(email.as_str()), persons::created_at.eq(now)))
                .execute(tx.conn())?;
            id
        }
    };
    let account_id = AccountId::generate();
    diesel::insert_into(accounts::table)
        .values((
            accounts::id.eq(&account_id),
            accounts::person_id.eq(&person_id),
            accounts::account_type.eq(account.account_type),
            accounts::status.eq(AccountStatus::NotSetup),
            accounts::country.eq(account.country),
            accounts::currency.eq(account.currency),
            accounts::accepted_terms_at.eq(account.accepted_terms_at.naive_utc()),
            accounts::created_at.eq(now),
        ))
        .execute(tx.conn())?;
    Ok((person_id, account_id))
}

/// The account a login lands on: the person's oldest one that is not DEACTIVATED (login, rule 4).
pub fn landing_account(
    conn: &mut DbConnection,
    person_id: &PersonId,
) -> Result<Option<(AccountId, AccountType)>, DbError> {
    accounts::table
        .filter(accounts::person_id.eq(person_id))
        .filter(accounts::status.ne(AccountStatus::Deactivated))
        .order((accounts::created_at.asc(), accounts::id.asc()))
        .select((accounts::id, accounts::account_type))
        .first(conn)
        .optional()
}

/// How many accounts the person owns, whatever their status.
pub fn count_accounts(conn: &mut DbConnection, person_id: &PersonId) -> Result<i32, DbError> {
    let count: i64 = accounts::table.filter(accounts::person_id.eq(person_id)).count().get_result(conn)?;
    Ok(i32::try_from(count).unwrap_or(i32::MAX))
}

/// The guard every operation that changes an account runs first (flows.md section 2): the account is open,
/// neither DISABLED nor DEACTIVATED, or I-4430. Inside the operation's transaction, so the status read is the
/// one the change is made under.
pub fn require_open_account(tx: &mut Tx<'_>, account_id: &AccountId) -> Result<AccountStatus, AccountsError> {
    match kernel::locked_account_status(tx, account_id)? {
        Some(status) if status.is_closed() => Err(AccountsError::AccountDisabled),
        Some(status) => Ok(status),
        None => Err(AccountsError::SessionGone),
    }
}
