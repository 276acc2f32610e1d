use diesel::prelude::*;
use kernel::{AccountId, Country, ExposeSecret as _, SecretString, SessionIdentity};
use store::schema::{account_setup_details, accounts, persons};
use store::{Tx, UniqueIndex, violated_unique_index};

use crate::setup_session::fields;
use crate::{AccountsError, Patch, PersonalTaxId, TaxIdKey, personal_tax_id_taken, record_personal_tax_id};

/// The fields of updatePerson's input. None of them can be cleared: `null` is refused with the field's code.
/// No `Debug`: it holds a personal tax id.
#[derive(Clone, Default)]
pub struct PersonUpdate {
    pub phone: Patch<String>,
    pub phone_country_code: Patch<Country>,
    pub personal_tax_id: Patch<SecretString>,
}

/// A string empty after trimming counts as absent (README, "Inputs").
fn trimmed(patch: Patch<String>) -> Patch<String> {
    match patch {
        Patch::Set(text) if text.trim().is_empty() => Patch::Absent,
        Patch::Set(text) => Patch::Set(text.trim().to_owned()),
        other => other,
    }
}

/// updatePerson: changes the logged-in person's phone and personal tax id, rules in the page's order, in one
/// transaction; the first refusal leaves everything as it was. The person is the login's, whichever account is
/// current; the current account gives the country for the tax id and the phone's fallback country.
pub fn update_person(
    tx: &mut Tx<'_>,
    key: &TaxIdKey,
    caller: &SessionIdentity,
    input: PersonUpdate,
) -> Result<(), AccountsError> {
    // The person's accounts are locked so that a setup submitted meanwhile (which sends the person to the
    // financial provider) cannot slip between rule 4's question and the write.
    let account_ids: Vec<AccountId> =
        accounts::table.filter(accounts::person_id.eq(&caller.person_id)).select(accounts::id).load(tx.conn())?;
    tx.lock_rows::<accounts::table>(&account_ids.iter().map(AccountId::as_str).collect::<Vec<_>>())?;
    let (stored_phone, stored_phone_country, stored_digest): (Option<String>, Option<Country>, Option<String>) =
        persons::table
            .find(&caller.person_id)
            .select((persons::phone, persons::phone_country_code, persons::personal_tax_id_digest))
            .first(tx.conn())?;
    let account_country: Country =
        accounts::table.find(&caller.account_id).select(accounts::country).first(tx.conn())?;

    // Rule 2, as updateAccount rule 5 with the person's stored phone and country.
    let phone = match trimmed(input.phone) {
        Patch::Clear => return Err(AccountsError::InvalidPhone),
        Patch::Set(text) => Some(text),
        Patch::Absent => None,
    };
    let phone_country = match input.phone_country_code {
        Patch::Clear => return Err(AccountsError::InvalidPhone),
        Patch::Set(country) => {
            fields::calling_code(country)?;
            Some(country)
        }
        Patch::Absent => None,
    };
    let phone_change = if phone.is_some() || phone_country.is_some() {
        let country = phone_country.or(stored_phone_country).unwrap_or(account_country);
        let national = match phone.as_deref().or(stored_phone.as_deref()) {
            Some(number) => Some(fields::phone(country, number)?),
            None => None,
        };
        Some((national, country))
    } else {
        None
    };

    // Rule 3: the number in isValidPersonalTaxId's normal form, for the current account's country.
    let tax_id_change = match input.personal_tax_id {
        Patch::Absent => None,
        Patch::Set(text) if text.expose_secret().trim().is_empty() => None,
        Patch::Clear => return Err(AccountsError::InvalidPersonalTaxId),
        Patch::Set(text) => {
            let tax_id = PersonalTaxId::parse(account_country, text.expose_secret().trim())
                .map_err(|_| AccountsError::InvalidPersonalTaxId)?;
            if personal_tax_id_taken(tx.conn(), key, &tax_id, &caller.person_id)? {
                return Err(AccountsError::PersonalTaxIdTaken);
            }
            (stored_digest.as_deref() != Some(tax_id.digest(key).as_str())).then_some(tax_id)
        }
    };

    // Rule 4: a person already sent to the financial provider (a setup of theirs was submitted) has the new
    // number confirmed by it first; the local provider refuses only zeros and numbers ending with 9999.
    if let Some(tax_id) = &tax_id_change {
        let submitted: i64 = account_setup_details::table
            .filter(account_setup_details::account_id.eq_any(&account_ids))
            .count()
            .get_result(tx.conn())?;
        if submitted > 0 && !fields::provider_accepts(tax_id.expose_secret()) {
            return Err(AccountsError::FinancialInstitutionRefused);
        }
    }

    if let Some((national, country)) = phone_change {
        diesel::update(persons::table.find(&caller.person_id))
            .set((persons::phone.eq(national), persons::phone_country_code.eq(country)))
            .execute(tx.conn())?;
    }
    if let Some(tax_id) = tax_id_change {
        // Two people giving one number at once both pass rule 3; the unique index refuses the second write.
        tx.savepoint(|tx| {
            record_personal_tax_id(tx.conn(), key, &caller.person_id, &tax_id).map_err(|error| {
                match violated_unique_index(&error) {
                    Some(UniqueIndex::PersonsPersonalTaxId) => AccountsError::PersonalTaxIdTaken,
                    _ => error.into(),
                }
            })
        })?;
    }
    Ok(())
}
