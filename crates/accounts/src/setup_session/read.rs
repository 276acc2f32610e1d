use chrono::{DateTime, Utc};
use diesel::prelude::*;
use kernel::{AccountType, Country, Currency, Money, SessionIdentity};
use store::DbConnection;
use store::schema::{accounts, persons};

use super::SetupSession;
use super::record::{self, StoredSession};
use crate::AccountsError;

/// What a setup operation needs of the current account.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AccountFacts {
    pub account_type: AccountType,
    pub country: Country,
    pub currency: Currency,
}

pub(crate) fn account_facts(conn: &mut DbConnection, caller: &SessionIdentity) -> Result<AccountFacts, AccountsError> {
    let (account_type, country, currency) = accounts::table
        .find(&caller.account_id)
        .filter(accounts::person_id.eq(&caller.person_id))
        .select((accounts::account_type, accounts::country, accounts::currency))
        .first(conn)
        .optional()?
        .ok_or(AccountsError::SessionGone)?;
    Ok(AccountFacts { account_type, country, currency })
}

/// The current account's open session: I-2001 when it has none, I-4310 when it is past its `expiresAt`.
pub(crate) fn open_session(
    conn: &mut DbConnection,
    caller: &SessionIdentity,
    now: DateTime<Utc>,
) -> Result<StoredSession, AccountsError> {
    let stored = record::load(conn, &caller.account_id, now)?.ok_or(AccountsError::NoSetupSession)?;
    if stored.expired(now) {
        return Err(AccountsError::SetupSessionExpired);
    }
    Ok(stored)
}

/// accountSetupSession: the current account's setup session as stored, the personal tax id masked and
/// `uploadedId` read live from the person. Reading does not extend it.
pub fn setup_session(
    conn: &mut DbConnection,
    caller: &SessionIdentity,
    now: DateTime<Utc>,
) -> Result<SetupSession, AccountsError> {
    let facts = account_facts(conn, caller)?;
    let StoredSession { data, expires_at } = open_session(conn, caller, now)?;
    let uploaded_id: bool = persons::table.find(&caller.person_id).select(persons::uploaded_id).first(conn)?;
    let estimated_monthly_volume = data
        .estimated_monthly_volume
        .map(|minor| Money::from_minor_units(minor, facts.currency))
        .transpose()
        .map_err(|e| anyhow::anyhow!("stored estimated volume: {e:?}"))?;
    Ok(SetupSession {
        account_type: facts.account_type,
        country: facts.country,
        uploaded_id,
        slug: data.slug,
        address_line1: data.address_line1,
        address_line2: data.address_line2,
        city: data.city,
        zone_code: data.zone_code,
        postal_code: data.postal_code,
        identification_type: data.identification_type,
        bank_name: data.bank_name,
        first_name: data.first_name,
        middle_name: data.middle_name,
        last_name: data.last_name,
        phone: data.phone,
        phone_country_code: data.phone_country_code,
        date_of_birth: data.date_of_birth,
        personal_tax_id_masked: data.personal_tax_id.map(|tax_id| tax_id.masked),
        citizenship: data.citizenship,
        name: data.name,
        display_name: data.display_name,
        business_type: data.business_type,
        business_tax_id: data.business_tax_id,
        industry: data.industry,
        estimated_monthly_volume,
        estimated_monthly_transactions: data.estimated_monthly_transactions,
        business_size: data.business_size,
        job_title: data.job_title,
        zone_code_of_incorporation: data.zone_code_of_incorporation,
        expires_at,
    })
}
