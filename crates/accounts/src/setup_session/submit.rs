use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use kernel::{AccountType, SessionIdentity};
use store::schema::{account_setup_details, accounts, persons};
use store::{DbError, Tx, UniqueIndex, violated_unique_index};

use super::fields;
use super::read::{AccountFacts, account_facts};
use super::record::{self, SetupData};
use super::update::check_tax_id_matches_type;
use crate::lifecycle::change_status;
use crate::{
    AccountStatus, AccountsConfig, AccountsError, BusinessTaxId, Slug, TaxIdKey, business_tax_id_taken,
    evaluate_verified, record_business_tax_id, require_open_account, slug_taken, zone_codes,
};

/// submitAccountSetupSession: checks the current account's session as a whole (required fields, every stored
/// field again with today's date and data, the financial provider), copies it onto the account and person,
/// deletes it and moves the account NOT_SETUP → SETUP_SUBMITTED (and on to VERIFIED when that rule already
/// holds). One transaction under the account's row lock; any refusal leaves everything as it was.
pub fn submit_setup_session(
    tx: &mut Tx<'_>,
    config: &AccountsConfig,
    key: &TaxIdKey,
    caller: &SessionIdentity,
    now: DateTime<Utc>,
) -> Result<(), AccountsError> {
    let status = require_open_account(tx, &caller.account_id)?;
    if status != AccountStatus::NotSetup {
        return Err(AccountsError::UserExists);
    }
    let stored = record::load(tx.conn(), &caller.account_id, now)?.ok_or(AccountsError::NoSetupSession)?;
    if stored.expired(now) {
        return Err(AccountsError::SetupSessionExpired);
    }
    let facts = account_facts(tx.conn(), caller)?;
    let data = stored.data;
    let missing = missing_fields(facts, &data);
    if !missing.is_empty() {
        return Err(AccountsError::SetupIncomplete(missing));
    }
    check_again(tx, key, caller, facts, &data, now.date_naive())?;
    check_tax_id_matches_type(facts, &data)?;
    if !provider_accepts(facts, &data) {
        return Err(AccountsError::AccountSetupRefused);
    }
    apply(tx, key, caller, facts, &data).map_err(taken_meanwhile)?;
    change_status(tx, &caller.account_id, status, AccountStatus::SetupSubmitted, now)?;
    evaluate_verified(tx, config, &caller.account_id, now)?;
    record::delete(tx.conn(), &caller.account_id)
}

/// Two accounts submitting one value at the same moment both pass rule 7; the unique index lets one write it,
/// and the other is answered as if rule 7 had seen it taken.
fn taken_meanwhile(error: AccountsError) -> AccountsError {
    match error {
        AccountsError::Internal(cause) => match cause.downcast_ref::<DbError>().and_then(violated_unique_index) {
            Some(UniqueIndex::AccountsSlug) => AccountsError::HandleExists,
            Some(UniqueIndex::PersonsPersonalTaxId | UniqueIndex::AccountsBusinessTaxId) => AccountsError::UserExists,
            _ => AccountsError::Internal(cause),
        },
        other => other,
    }
}

/// Rule 6: the required fields of the account type still empty, in the order of the page's table.
fn missing_fields(facts: AccountFacts, data: &SetupData) -> Vec<&'static str> {
    let has_zones = !zone_codes(facts.country).is_empty();
    let has_postal_format = fields::has_postal_format(facts.country);
    let required: Vec<(&'static str, bool, bool)> = match facts.account_type {
        AccountType::Personal => vec![
            ("slug", data.slug.is_some(), true),
            ("firstName", data.first_name.is_some(), true),
            ("lastName", data.last_name.is_some(), true),
            ("dateOfBirth", data.date_of_birth.is_some(), true),
            ("citizenship", data.citizenship.is_some(), true),
            ("phoneCountryCode", data.phone_country_code.is_some(), true),
            ("phone", data.phone.is_some(), true),
            ("addressLine1", data.address_line1.is_some(), true),
            ("city", data.city.is_some(), true),
            ("zoneCode", data.zone_code.is_some(), has_zones),
            ("postalCode", data.postal_code.is_some(), has_postal_format),
            ("identificationType", data.identification_type.is_some(), true),
            ("personalTaxId", data.personal_tax_id.is_some(), true),
        ],
        AccountType::Business => vec![
            ("slug", data.slug.is_some(), true),
            ("name", data.name.is_some(), true),
            ("businessType", data.business_type.is_some(), true),
            ("identificationType", data.identification_type.is_some(), true),
            ("businessTaxId", data.business_tax_id.is_some(), true),
            ("industry", data.industry.is_some(), true),
            ("estimatedMonthlyVolume", data.estimated_monthly_volume.is_some(), true),
            ("estimatedMonthlyTransactions", data.estimated_monthly_transactions.is_some(), true),
            ("businessSize", data.business_size.is_some(), true),
            ("addressLine1", data.address_line1.is_some(), true),
            ("city", data.city.is_some(), true),
            ("zoneCode", data.zone_code.is_some(), has_zones),
            ("postalCode", data.postal_code.is_some(), has_postal_format),
            ("zoneCodeOfIncorporation", data.zone_code_of_incorporation.is_some(), has_zones),
            ("phoneCountryCode", data.phone_country_code.is_some(), true),
            ("phone", data.phone.is_some(), true),
            ("firstName", data.first_name.is_some(), true),
            ("lastName", data.last_name.is_some(), true),
            ("dateOfBirth", data.date_of_birth.is_some(), true),
            ("jobTitle", data.job_title.is_some(), true),
        ],
    };
    required.into_iter().filter(|(_, present, needed)| *needed && !present).map(|(field, _, _)| field).collect()
}

/// Rule 7: every stored field passes updateAccountSetupSession's rules again, in that page's order, with today's
/// date and data; a handle now held elsewhere is I-4309, a tax id now held elsewhere I-4302. A personal tax id's
/// format was checked when it was given: the session keeps only its digest, so its holder is what is checked.
fn check_again(
    tx: &mut Tx<'_>,
    key: &TaxIdKey,
    caller: &SessionIdentity,
    facts: AccountFacts,
    data: &SetupData,
    today: NaiveDate,
) -> Result<(), AccountsError> {
    let AccountFacts { account_type, country, .. } = facts;
    if let Some(text) = &data.slug {
        let slug = Slug::parse(text).map_err(AccountsError::InvalidSlug)?;
        if slug_taken(tx.conn(), &slug)? {
            return Err(AccountsError::HandleExists);
        }
    }
    for line in [&data.address_line1, &data.address_line2, &data.city].into_iter().flatten() {
        fields::address(line)?;
    }
    if let Some(zone) = &data.zone_code {
        fields::zone_code(country, zone)?;
    }
    if let Some(code) = &data.postal_code {
        fields::postal_code(country, code)?;
    }
    if let Some(kind) = &data.identification_type {
        fields::identification(country, account_type, kind)?;
    }
    if let Some(bank) = &data.bank_name {
        fields::text("bankName", 100, bank)?;
    }
    for (field, value) in
        [("firstName", &data.first_name), ("middleName", &data.middle_name), ("lastName", &data.last_name)]
    {
        if let Some(value) = value {
            fields::text(field, 50, value)?;
        }
    }
    if let Some(phone) = &data.phone {
        fields::phone(data.phone_country_code.unwrap_or(country), phone)?;
    }
    if let Some(phone_country) = data.phone_country_code {
        fields::calling_code(phone_country)?;
    }
    if let Some(date) = data.date_of_birth {
        fields::date_of_birth(date, today)?;
    }
    if let Some(tax_id) = &data.personal_tax_id {
        let holder: Option<kernel::PersonId> = persons::table
            .filter(persons::personal_tax_id_digest.eq(&tax_id.digest))
            .filter(persons::id.ne(&caller.person_id))
            .select(persons::id)
            .first(tx.conn())
            .optional()?;
        if holder.is_some() {
            return Err(AccountsError::UserExists);
        }
    }
    if let Some(name) = &data.name {
        fields::text("name", 120, name)?;
    }
    if let Some(display_name) = &data.display_name {
        fields::display_name(display_name)?;
    }
    if let Some(kind) = &data.business_type {
        fields::business_kind(kind)?;
    }
    if let Some(text) = &data.business_tax_id {
        let tax_id = BusinessTaxId::parse(country, text).map_err(|_| AccountsError::InvalidBusinessTaxId)?;
        if business_tax_id_taken(tx.conn(), key, &tax_id, &caller.account_id)? {
            return Err(AccountsError::UserExists);
        }
    }
    if let Some(industry) = &data.industry {
        fields::industry(industry)?;
    }
    for (field, value) in
        [("estimatedMonthlyTransactions", data.estimated_monthly_transactions), ("businessSize", data.business_size)]
    {
        if let Some(value) = value {
            fields::count(field, value)?;
        }
    }
    if let Some(title) = &data.job_title {
        fields::title(title)?;
    }
    if let Some(zone) = &data.zone_code_of_incorporation {
        fields::zone_code_of_incorporation(zone)?;
    }
    Ok(())
}

/// Rule 8: the local financial provider's data checks on the tax ids (providers.md section 2).
fn provider_accepts(facts: AccountFacts, data: &SetupData) -> bool {
    let personal = data.personal_tax_id.as_ref().is_none_or(|tax_id| tax_id.provider_accepts);
    let business = match (facts.account_type, &data.business_tax_id) {
        (AccountType::Business, Some(normal)) => fields::provider_accepts(normal),
        _ => true,
    };
    personal && business
}

/// The effects on the account and the person. Unique violations come back as `Internal` database errors for
/// the caller to name.
fn apply(
    tx: &mut Tx<'_>,
    key: &TaxIdKey,
    caller: &SessionIdentity,
    facts: AccountFacts,
    data: &SetupData,
) -> Result<(), AccountsError> {
    let full_name = || {
        [&data.first_name, &data.middle_name, &data.last_name]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (name, default_display_name) = match facts.account_type {
        AccountType::Personal => {
            let short = [&data.first_name, &data.last_name].into_iter().flatten().cloned().collect::<Vec<_>>();
            (Some(full_name()), Some(short.join(" ")))
        }
        AccountType::Business => (data.name.clone(), data.name.clone()),
    };
    let display_name = data.display_name.clone().or(default_display_name);
    let (business_type, industry) = match facts.account_type {
        AccountType::Business => (data.business_type.clone(), data.industry.clone()),
        AccountType::Personal => (None, None),
    };
    diesel::update(accounts::table.find(&caller.account_id))
        .set((
            accounts::slug.eq(&data.slug),
            accounts::name.eq(name),
            accounts::display_name.eq(display_name),
            accounts::phone.eq(&data.phone),
            accounts::phone_country_code.eq(data.phone_country_code),
            accounts::address_line1.eq(&data.address_line1),
            accounts::address_line2.eq(&data.address_line2),
            accounts::city.eq(&data.city),
            accounts::zone_code.eq(&data.zone_code),
            accounts::postal_code.eq(&data.postal_code),
            accounts::identification_type.eq(&data.identification_type),
            accounts::business_type.eq(business_type),
            accounts::industry.eq(industry),
        ))
        .execute(tx.conn())?;
    if let (AccountType::Business, Some(text)) = (facts.account_type, &data.business_tax_id) {
        let tax_id = BusinessTaxId::parse(facts.country, text).map_err(|_| AccountsError::InvalidBusinessTaxId)?;
        record_business_tax_id(tx.conn(), key, &caller.account_id, &tax_id)?;
    }
    diesel::insert_into(account_setup_details::table)
        .values((
            account_setup_details::account_id.eq(&caller.account_id),
            account_setup_details::bank_name.eq(&data.bank_name),
            account_setup_details::job_title.eq(&data.job_title),
            account_setup_details::zone_code_of_incorporation.eq(&data.zone_code_of_incorporation),
            account_setup_details::business_size.eq(data.business_size),
            account_setup_details::estimated_monthly_volume.eq(data.estimated_monthly_volume),
            account_setup_details::estimated_monthly_transactions.eq(data.estimated_monthly_transactions),
        ))
        .execute(tx.conn())?;
    diesel::update(persons::table.find(&caller.person_id))
        .set((
            persons::first_name.eq(&data.first_name),
            persons::middle_name.eq(&data.middle_name),
            persons::last_name.eq(&data.last_name),
            persons::date_of_birth.eq(data.date_of_birth.and_then(|date| date.and_hms_opt(0, 0, 0))),
            persons::citizenship.eq(data.citizenship),
            persons::phone.eq(&data.phone),
            persons::phone_country_code.eq(data.phone_country_code),
        ))
        .execute(tx.conn())?;
    if let Some(tax_id) = &data.personal_tax_id {
        diesel::update(persons::table.find(&caller.person_id))
            .set((persons::personal_tax_id.eq(&tax_id.masked), persons::personal_tax_id_digest.eq(&tax_id.digest)))
            .execute(tx.conn())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use kernel::{Country, Currency, Email, LoginId};
    use store::{TestDatabase, connect_pool, write_transaction};

    use super::*;
    use crate::{NewAccount, create_person_and_account};

    fn open(tx: &mut Tx<'_>, email: &str) -> anyhow::Result<SessionIdentity> {
        let email = Email::parse(email).ok_or_else(|| anyhow::anyhow!("test email"))?;
        let account = NewAccount {
            account_type: AccountType::Personal,
            country: Country::US,
            currency: Currency::USD,
            accepted_terms_at: Utc::now(),
        };
        let (person_id, account_id) = create_person_and_account(tx, &email, &account, Utc::now())?;
        Ok(SessionIdentity {
            login_id: LoginId::generate(),
            person_id,
            account_id,
            account_type: AccountType::Personal,
        })
    }

    /// What rule 7 cannot see (a value written by a transaction that committed after the check) the unique
    /// indexes refuse, answered with rule 7's codes.
    #[test]
    fn values_taken_after_the_checks_are_refused_with_the_rules_codes() -> anyhow::Result<()> {
        let database = TestDatabase::new()?;
        let mut conn = connect_pool(database.url(), 1)?.get()?;
        let key = TaxIdKey::from_bytes([5; 32]);
        let facts = AccountFacts { account_type: AccountType::Personal, country: Country::US, currency: Currency::USD };
        write_transaction(&mut conn, |tx| {
            let holder = open(tx, "holder@example.com")?;
            let late = open(tx, "late@example.com")?;
            let tax_id =
                crate::PersonalTaxId::parse(Country::US, "123-45-6789").map_err(|_| anyhow::anyhow!("a valid SSN"))?;
            let data = SetupData {
                slug: Some("SameHandle".to_owned()),
                personal_tax_id: Some(super::super::record::StoredPersonalTaxId {
                    masked: tax_id.masked(),
                    digest: tax_id.digest(&key),
                    us_kind: None,
                    provider_accepts: true,
                }),
                ..SetupData::default()
            };
            apply(tx, &key, &holder, facts, &data).map_err(|e| anyhow::anyhow!("{e:?}"))?;
            let slug_refusal = tx.savepoint(|tx| apply(tx, &key, &late, facts, &data).map_err(taken_meanwhile));
            assert!(matches!(slug_refusal, Err(AccountsError::HandleExists)), "{slug_refusal:?}");
            let other_slug = SetupData { slug: Some("OtherHandle".to_owned()), ..data.clone() };
            let tax_id_refusal = tx.savepoint(|tx| apply(tx, &key, &late, facts, &other_slug).map_err(taken_meanwhile));
            assert!(matches!(tax_id_refusal, Err(AccountsError::UserExists)), "{tax_id_refusal:?}");
            Ok::<_, anyhow::Error>(())
        })
    }
}
