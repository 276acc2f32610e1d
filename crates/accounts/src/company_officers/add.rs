use std::sync::Arc;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use kernel::{AccountId, ExposeSecret, new_id, run_blocking, with_transaction};
use store::schema::{accounts, company_officers};
use store::{Pool, Tx};

use super::rules::{ValidDocument, ValidOfficer, WHOLE_BPS};
use super::{CompanyOfficerType, NewOfficer};
use crate::{
    AccountsError, IdentityCheckStatus, IdentityDocument, IdentityProvider, IdentitySubject, StartedCheck, TaxIdKey,
    require_open_account,
};

/// addCompanyOfficerToAccount: records the officer on the business account `account_id`, or replaces the
/// pending officer of the same type and name, and starts its identity check when a document is given.
///
/// The rules are checked under the account's row lock (I-4430 first), so the one-CEO and 100 % rules hold
/// against officers no concurrent call is changing. The provider is asked to start the check between two
/// transactions, never inside one (a real provider is an HTTP service); the second transaction checks the
/// rules again before it stores the officer with the started check.
pub async fn add_company_officer(
    pool: &Pool,
    key: Arc<TaxIdKey>,
    provider: Arc<dyn IdentityProvider>,
    account_id: &AccountId,
    officer: NewOfficer,
    now: DateTime<Utc>,
) -> Result<(), AccountsError> {
    let account = account_id.clone();
    let officer = with_transaction(pool, move |tx| {
        require_addable(tx, &account)?;
        let officer = officer.validate(now.date_naive())?;
        replaced_officer(tx, &account, &officer)?;
        Ok::<_, AccountsError>(officer)
    })
    .await?;
    let officer = Arc::new(officer);
    let check = match officer.document.is_some() {
        true => {
            let officer = officer.clone();
            Some(run_blocking(move || start_check(provider.as_ref(), &officer, now)).await?)
        }
        false => None,
    };
    let account = account_id.clone();
    with_transaction(pool, move |tx| {
        require_addable(tx, &account)?;
        let replaced = replaced_officer(tx, &account, &officer)?;
        let stored = StoredOfficer::new(&key, &officer, check.as_ref());
        match replaced {
            Some(id) => {
                diesel::update(company_officers::table.find(&id)).set(&stored).execute(tx.conn())?;
            }
            None => {
                diesel::insert_into(company_officers::table)
                    .values((
                        company_officers::id.eq(new_id()),
                        company_officers::account_id.eq(&account),
                        company_officers::officer_type.eq(officer.officer_type),
                        company_officers::name_key.eq(&officer.name_key),
                        company_officers::submitted.eq(false),
                        company_officers::created_at.eq(now.naive_utc()),
                        &stored,
                    ))
                    .execute(tx.conn())?;
            }
        }
        Ok(())
    })
    .await
}

/// The account is open (I-4430, locking its row) and its officers are not submitted yet.
fn require_addable(tx: &mut Tx<'_>, account_id: &AccountId) -> Result<(), AccountsError> {
    require_open_account(tx, account_id)?;
    let submitted: bool =
        accounts::table.find(account_id).select(accounts::company_officers_submitted).first(tx.conn())?;
    if submitted {
        return Err(AccountsError::OfficersAlreadySubmitted);
    }
    Ok(())
}

/// The one-CEO and 100 % rules against the officers recorded; answers the officer `officer` replaces (same type
/// and name), if any.
fn replaced_officer(
    tx: &mut Tx<'_>,
    account_id: &AccountId,
    officer: &ValidOfficer,
) -> Result<Option<String>, AccountsError> {
    let recorded: Vec<(String, CompanyOfficerType, String, i32)> = company_officers::table
        .filter(company_officers::account_id.eq(account_id))
        .select((
            company_officers::id,
            company_officers::officer_type,
            company_officers::name_key,
            company_officers::ownership_bps,
        ))
        .load(tx.conn())?;
    let same = |officer_type: CompanyOfficerType, name_key: &str| {
        officer_type == officer.officer_type && name_key == officer.name_key
    };
    if officer.officer_type == CompanyOfficerType::Ceo
        && recorded.iter().any(|(_, t, k, _)| *t == CompanyOfficerType::Ceo && !same(*t, k))
    {
        return Err(AccountsError::CeoExists);
    }
    let others: i64 = recorded.iter().filter(|(_, t, k, _)| !same(*t, k)).map(|(.., bps)| i64::from(*bps)).sum();
    if others + i64::from(officer.ownership_bps) > WHOLE_BPS {
        return Err(AccountsError::OwnershipOver100);
    }
    Ok(recorded.iter().find(|(_, t, k, _)| same(*t, k)).map(|(id, ..)| id.clone()))
}

fn start_check(
    provider: &dyn IdentityProvider,
    officer: &ValidOfficer,
    now: DateTime<Utc>,
) -> anyhow::Result<StartedCheck> {
    let Some(document) = &officer.document else { anyhow::bail!("officer {} has no document to check", officer.name) };
    let subject = IdentitySubject { name: &officer.name, family_name: officer.family_name() };
    let document = IdentityDocument {
        document_type: document.document_type,
        number: &document.number,
        issuing_country: document.issuing_country,
        expiry_date: document.expiry_date,
    };
    provider.start_check(&subject, &document, now)
}

/// Every field an officer takes from addCompanyOfficerToAccount: a replacement sets them all, so an absent
/// optional field becomes null and an earlier check is discarded.
#[derive(AsChangeset, Insertable)]
#[diesel(table_name = company_officers, treat_none_as_null = true)]
struct StoredOfficer {
    name: String,
    ownership_bps: i32,
    date_of_birth: Option<chrono::NaiveDateTime>,
    job_title: Option<&'static str>,
    country: Option<kernel::Country>,
    document_type: Option<crate::IdDocumentType>,
    document_number_digest: Option<String>,
    document_number_masked: Option<String>,
    document_issuing_country: Option<kernel::Country>,
    document_expiry_date: Option<chrono::NaiveDateTime>,
    identity_check_status: IdentityCheckStatus,
    identity_check_reference: Option<String>,
    identity_check_due_at: Option<chrono::NaiveDateTime>,
    identity_check_verdict: Option<crate::CheckOutcome>,
    identity_checked_at: Option<chrono::NaiveDateTime>,
}

impl StoredOfficer {
    fn new(key: &TaxIdKey, officer: &ValidOfficer, check: Option<&StartedCheck>) -> Self {
        let document = officer.document.as_ref();
        Self {
            name: officer.name.clone(),
            ownership_bps: officer.ownership_bps,
            date_of_birth: officer.date_of_birth.map(|d| d.naive_utc()),
            job_title: officer.job_title,
            country: officer.country,
            document_type: document.map(|d| d.document_type),
            document_number_digest: document.map(|d| document_digest(key, d)),
            document_number_masked: document.map(|d| masked(d.number.expose_secret())),
            document_issuing_country: document.map(|d| d.issuing_country),
            document_expiry_date: document.and_then(|d| d.expiry_date).map(|d| d.naive_utc()),
            identity_check_status: match check {
                Some(_) => IdentityCheckStatus::Pending,
                None => IdentityCheckStatus::NotStarted,
            },
            identity_check_reference: check.map(|c| c.reference.clone()),
            identity_check_due_at: check.map(|c| c.due_at.naive_utc()),
            identity_check_verdict: check.and_then(|c| c.verdict),
            identity_checked_at: None,
        }
    }
}

/// The keyed digest that stands for the document number: HMAC-SHA256 under `TAX_ID_KEY` of
/// `<issuing country>:<document type>:<number>`, so it never equals a tax id's digest.
fn document_digest(key: &TaxIdKey, document: &ValidDocument) -> String {
    key.digest(document.issuing_country, &format!("{}:{}", document.document_type, document.number.expose_secret()))
}

/// The number for staff to recognise: its last four characters, the rest `*`; a number of four characters or
/// fewer is not shown at all.
fn masked(number: &str) -> String {
    let length = number.chars().count();
    if length <= 4 {
        return "*".repeat(length);
    }
    let shown: String = number.chars().skip(length - 4).collect();
    format!("{}{shown}", "*".repeat(length - 4))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_numbers_are_masked_but_their_last_four() {
        assert_eq!(masked("P1234567"), "****4567");
        assert_eq!(masked("12345"), "*2345");
        assert_eq!(masked("1234"), "****");
        assert_eq!(masked("A"), "*");
    }
}
