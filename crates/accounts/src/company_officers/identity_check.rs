use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use kernel::AccountId;
use store::schema::{accounts, company_officers};
use store::{DbConnection, DbError, Tx};

use crate::{
    AccountsConfig, CheckOutcome, CheckProgress, IdentityCheckStatus, IdentityProvider, StartedCheck, evaluate_verified,
};

/// Ends the running identity check of officer `officer_id` of account `account_id` when the provider has its
/// outcome at `now`, records it, and re-evaluates the account's status. Answers whether this call ended it.
///
/// The account row is locked first, as addCompanyOfficerToAccount and submitCompanyOfficers lock it, so the
/// check read next is not being replaced meanwhile; a check another runner ended, or that a new document
/// replaced, is no longer the running check read here and is left alone.
pub(crate) fn end_officer_check(
    tx: &mut Tx<'_>,
    config: &AccountsConfig,
    provider: &dyn IdentityProvider,
    officer_id: &str,
    account_id: &AccountId,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    tx.lock_rows::<accounts::table>(&[account_id.as_str()])?;
    let running: Option<(Option<String>, Option<NaiveDateTime>, Option<CheckOutcome>)> = company_officers::table
        .find(officer_id)
        .filter(company_officers::account_id.eq(account_id))
        .filter(company_officers::identity_check_status.eq(IdentityCheckStatus::Pending))
        .select((
            company_officers::identity_check_reference,
            company_officers::identity_check_due_at,
            company_officers::identity_check_verdict,
        ))
        .first(tx.conn())
        .optional()?;
    let Some((Some(reference), Some(due_at), verdict)) = running else {
        return Ok(false);
    };
    let check = StartedCheck { reference, due_at: due_at.and_utc(), verdict };
    let outcome = match provider.progress(&check, now)? {
        CheckProgress::Ended(outcome) => outcome,
        CheckProgress::Running { ask_again_at } => {
            diesel::update(
                company_officers::table
                    .find(officer_id)
                    .filter(company_officers::identity_check_status.eq(IdentityCheckStatus::Pending))
                    .filter(company_officers::identity_check_reference.eq(&check.reference)),
            )
            .set(company_officers::identity_check_due_at.eq(ask_again_at.naive_utc()))
            .execute(tx.conn())?;
            return Ok(false);
        }
    };
    let ended = diesel::update(
        company_officers::table
            .find(officer_id)
            .filter(company_officers::identity_check_status.eq(IdentityCheckStatus::Pending))
            .filter(company_officers::identity_check_reference.eq(&check.reference)),
    )
    .set((
        company_officers::identity_check_status.eq(IdentityCheckStatus::from(outcome)),
        company_officers::identity_checked_at.eq(now.naive_utc()),
    ))
    .execute(tx.conn())?;
    if ended == 0 {
        return Ok(false);
    }
    evaluate_verified(tx, config, account_id, now)?;
    Ok(true)
}

/// True when every officer of the account has a CLEAR identity check (and there is at least one).
pub(crate) fn officers_all_clear(conn: &mut DbConnection, account_id: &AccountId) -> Result<bool, DbError> {
    let statuses: Vec<IdentityCheckStatus> = company_officers::table
        .filter(company_officers::account_id.eq(account_id))
        .select(company_officers::identity_check_status)
        .load(conn)?;
    Ok(!statuses.is_empty() && statuses.iter().all(|status| *status == IdentityCheckStatus::Clear))
}
