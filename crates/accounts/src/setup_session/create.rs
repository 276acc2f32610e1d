use chrono::{DateTime, Utc};
use diesel::prelude::*;
use kernel::{Country, SessionIdentity};
use store::Tx;
use store::schema::persons;

use super::record::{self, SetupData, StoredPersonalTaxId};
use crate::{AccountStatus, AccountsConfig, AccountsError, require_open_account};

/// createAccountSetupSession: discards any earlier session of the current account and opens a new one,
/// prefilled with what the person already has on record (their names, phone, date of birth, citizenship and
/// personal tax id); it expires `SETUP_SESSION_TTL` from now.
pub fn create_setup_session(
    tx: &mut Tx<'_>,
    config: &AccountsConfig,
    caller: &SessionIdentity,
    now: DateTime<Utc>,
) -> Result<(), AccountsError> {
    let status = require_open_account(tx, &caller.account_id)?;
    if status != AccountStatus::NotSetup {
        return Err(AccountsError::AlreadySetUp);
    }
    let data = prefilled(tx, caller)?;
    record::replace(tx.conn(), &caller.account_id, &data, now, now + config.setup_session_ttl)
}

type PersonOnRecord = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<chrono::NaiveDateTime>,
    Option<Country>,
    Option<String>,
    Option<String>,
    Option<Country>,
    Option<String>,
);

fn prefilled(tx: &mut Tx<'_>, caller: &SessionIdentity) -> Result<SetupData, AccountsError> {
    let (first_name, middle_name, last_name, date_of_birth, citizenship, masked, digest, phone_country_code, phone): PersonOnRecord =
        persons::table
            .find(&caller.person_id)
            .select((
                persons::first_name,
                persons::middle_name,
                persons::last_name,
                persons::date_of_birth,
                persons::citizenship,
                persons::personal_tax_id,
                persons::personal_tax_id_digest,
                persons::phone_country_code,
                persons::phone,
            ))
            .first(tx.conn())
            .optional()?
            .ok_or(AccountsError::SessionGone)?;
    // A number on record was accepted by the financial provider when it was given.
    let personal_tax_id = masked.zip(digest).map(|(masked, digest)| StoredPersonalTaxId {
        masked,
        digest,
        us_kind: None,
        provider_accepts: true,
    });
    Ok(SetupData {
        first_name,
        middle_name,
        last_name,
        date_of_birth: date_of_birth.map(|d| d.date()),
        citizenship,
        personal_tax_id,
        phone_country_code,
        phone,
        ..SetupData::default()
    })
}
