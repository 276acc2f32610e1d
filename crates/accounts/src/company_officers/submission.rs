use chrono::{DateTime, Utc};
use diesel::prelude::*;
use kernel::AccountId;
use store::schema::{accounts, company_officers};
use store::{DbConnection, Tx};

use super::CompanyOfficerType;
use crate::{
    AccountStatus, AccountsConfig, AccountsError, IdDocumentType, IdentityCheckStatus, evaluate_verified,
    require_open_account,
};

/// canSubmitCompanyOfficers: whether submitCompanyOfficers would be accepted now (its rules 3 to 9), read
/// without changing anything.
pub fn can_submit_company_officers(conn: &mut DbConnection, account_id: &AccountId) -> Result<(), AccountsError> {
    let status: Option<AccountStatus> =
        accounts::table.find(account_id).select(accounts::status).first(conn).optional()?;
    match status {
        None => Err(AccountsError::SessionGone),
        Some(AccountStatus::Disabled | AccountStatus::Deactivated) => Err(AccountsError::AccountDisabled),
        Some(status) => submission_refusal(conn, account_id, status),
    }
}

/// submitCompanyOfficers: once rules 3 to 9 hold, every officer of the account is submitted, the account no
/// longer owes officer data (`uboInfoRequired` false) and may become VERIFIED.
///
/// Under the lock on the account row: of two concurrent calls one submits and the other answers I-4406. The
/// financial provider (local, providers.md section 2) accepts officers at once, so nothing is sent anywhere yet.
pub fn submit_company_officers(
    tx: &mut Tx<'_>,
    config: &AccountsConfig,
    account_id: &AccountId,
    now: DateTime<Utc>,
) -> Result<(), AccountsError> {
    let status = require_open_account(tx, account_id)?;
    submission_refusal(tx.conn(), account_id, status)?;
    diesel::update(company_officers::table.filter(company_officers::account_id.eq(account_id)))
        .set(company_officers::submitted.eq(true))
        .execute(tx.conn())?;
    diesel::update(accounts::table.find(account_id))
        .set(accounts::company_officers_submitted.eq(true))
        .execute(tx.conn())?;
    evaluate_verified(tx, config, account_id, now)?;
    Ok(())
}

/// Rules 4 to 9 of submitCompanyOfficers, for an open account of status `status`.
fn submission_refusal(
    conn: &mut DbConnection,
    account_id: &AccountId,
    status: AccountStatus,
) -> Result<(), AccountsError> {
    let submitted: bool = accounts::table.find(account_id).select(accounts::company_officers_submitted).first(conn)?;
    if submitted {
        return Err(AccountsError::OfficersAlreadySubmitted);
    }
    if status == AccountStatus::NotSetup {
        return Err(AccountsError::SetupNotSubmitted);
    }
    type Row = (CompanyOfficerType, bool, Option<IdDocumentType>, IdentityCheckStatus);
    let officers: Vec<Row> = company_officers::table
        .filter(company_officers::account_id.eq(account_id))
        .select((
            company_officers::officer_type,
            company_officers::date_of_birth.is_not_null(),
            company_officers::document_type,
            company_officers::identity_check_status,
        ))
        .load(conn)?;
    if !officers.iter().any(|(officer_type, ..)| *officer_type == CompanyOfficerType::Ceo) {
        return Err(AccountsError::CeoMissing);
    }
    if officers.iter().any(|(_, born, document, _)| !born || document.is_none()) {
        return Err(AccountsError::OfficerDataMissing);
    }
    if officers.iter().any(|(.., check)| *check == IdentityCheckStatus::Pending) {
        return Err(AccountsError::OfficerChecksPending);
    }
    if officers.iter().any(|(.., check)| *check == IdentityCheckStatus::Rejected) {
        return Err(AccountsError::OfficerDocumentRejected);
    }
    Ok(())
}
