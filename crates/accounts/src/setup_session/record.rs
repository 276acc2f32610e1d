//! The stored setup session: one row per account in `account_setup_sessions`, its fields one JSON document.
//! Tax ids are in it only as what may be kept: a personal tax id as its keyed digest and masked form (with the
//! financial provider's verdict, taken while the number was at hand), a business tax id in its normal form,
//! which the contract shows in full.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use diesel::prelude::*;
use kernel::{AccountId, Country};
use serde::{Deserialize, Serialize};
use store::DbConnection;
use store::schema::account_setup_sessions;

use crate::AccountsError;

/// An expired session is kept this long after its `expiresAt` (so the answer is I-4310, not I-2001), then swept.
const KEPT_AFTER_EXPIRY: TimeDelta = TimeDelta::days(7);

/// Which US personal number a stored personal tax id is, for the cross-field rule I-4321.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum UsPersonalKind {
    Ssn,
    Itin,
}

/// A personal tax id as the session keeps it: never the number itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StoredPersonalTaxId {
    pub masked: String,
    pub digest: String,
    /// Known when the number was typed into this session (US accounts); `None` when prefilled from the person.
    pub us_kind: Option<UsPersonalKind>,
    /// The local financial provider's verdict on the number (providers.md section 2, "Data checks"), taken
    /// when it was given, because submit no longer has the number.
    pub provider_accepts: bool,
}

/// The fields of a setup session, in their stored (normal) forms; `None` until given.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct SetupData {
    pub slug: Option<String>,
    pub address_line1: Option<String>,
    pub address_line2: Option<String>,
    pub city: Option<String>,
    pub zone_code: Option<String>,
    pub postal_code: Option<String>,
    pub identification_type: Option<String>,
    pub bank_name: Option<String>,
    pub first_name: Option<String>,
    pub middle_name: Option<String>,
    pub last_name: Option<String>,
    /// National significant number, digits only.
    pub phone: Option<String>,
    #[serde(with = "country_code")]
    pub phone_country_code: Option<Country>,
    pub date_of_birth: Option<NaiveDate>,
    pub personal_tax_id: Option<StoredPersonalTaxId>,
    #[serde(with = "country_code")]
    pub citizenship: Option<Country>,
    pub name: Option<String>,
    pub display_name: Option<String>,
    pub business_type: Option<String>,
    /// Normal form.
    pub business_tax_id: Option<String>,
    pub industry: Option<String>,
    /// Minor units of the account's currency.
    pub estimated_monthly_volume: Option<i64>,
    pub estimated_monthly_transactions: Option<i32>,
    pub business_size: Option<i32>,
    pub job_title: Option<String>,
    pub zone_code_of_incorporation: Option<String>,
}

/// A session as stored.
#[derive(Debug, Clone)]
pub(crate) struct StoredSession {
    pub data: SetupData,
    pub expires_at: DateTime<Utc>,
}

impl StoredSession {
    /// Past its `expiresAt` (I-4310).
    pub fn expired(&self, now: DateTime<Utc>) -> bool {
        now > self.expires_at
    }
}

/// The account's setup session, open or expired; `None` when it has none, or only one that expired more than
/// 7 days ago (which the next create sweeps).
pub(crate) fn load(
    conn: &mut DbConnection,
    account_id: &AccountId,
    now: DateTime<Utc>,
) -> Result<Option<StoredSession>, AccountsError> {
    let row: Option<(String, chrono::NaiveDateTime)> = account_setup_sessions::table
        .find(account_id)
        .select((account_setup_sessions::data, account_setup_sessions::expires_at))
        .first(conn)
        .optional()?;
    let Some((data, expires_at)) = row else { return Ok(None) };
    let expires_at = expires_at.and_utc();
    if now > expires_at + KEPT_AFTER_EXPIRY {
        return Ok(None);
    }
    let data = serde_json::from_str(&data).map_err(|e| anyhow::anyhow!("stored setup session: {e}"))?;
    Ok(Some(StoredSession { data, expires_at }))
}

/// Replaces any session of the account by a new one, and sweeps sessions of any account that expired more
/// than 7 days ago.
pub(crate) fn replace(
    conn: &mut DbConnection,
    account_id: &AccountId,
    data: &SetupData,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), AccountsError> {
    diesel::delete(
        account_setup_sessions::table
            .filter(account_setup_sessions::expires_at.lt((now - KEPT_AFTER_EXPIRY).naive_utc())),
    )
    .execute(conn)?;
    delete(conn, account_id)?;
    diesel::insert_into(account_setup_sessions::table)
        .values((
            account_setup_sessions::account_id.eq(account_id),
            account_setup_sessions::data.eq(encode(data)?),
            account_setup_sessions::created_at.eq(now.naive_utc()),
            account_setup_sessions::updated_at.eq(now.naive_utc()),
            account_setup_sessions::expires_at.eq(expires_at.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Writes the merged fields and the new expiry of the account's session.
pub(crate) fn save(
    conn: &mut DbConnection,
    account_id: &AccountId,
    data: &SetupData,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), AccountsError> {
    diesel::update(account_setup_sessions::table.find(account_id))
        .set((
            account_setup_sessions::data.eq(encode(data)?),
            account_setup_sessions::updated_at.eq(now.naive_utc()),
            account_setup_sessions::expires_at.eq(expires_at.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

pub(crate) fn delete(conn: &mut DbConnection, account_id: &AccountId) -> Result<(), AccountsError> {
    diesel::delete(account_setup_sessions::table.find(account_id)).execute(conn)?;
    Ok(())
}

fn encode(data: &SetupData) -> Result<String, AccountsError> {
    Ok(serde_json::to_string(data).map_err(|e| anyhow::anyhow!("setup session to JSON: {e}"))?)
}

/// Countries as their ISO code in the JSON document.
mod country_code {
    use std::str::FromStr;

    use kernel::Country;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(country: &Option<Country>, serializer: S) -> Result<S::Ok, S::Error> {
        match country {
            Some(country) => serializer.serialize_some(country.code()),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Country>, D::Error> {
        Option::<String>::deserialize(deserializer)?
            .map(|code| Country::from_str(&code).map_err(serde::de::Error::custom))
            .transpose()
    }
}
