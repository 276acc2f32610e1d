use std::sync::Arc;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use kernel::{AccountId, run_blocking, with_connection, with_transaction};
use store::schema::{accounts, company_officers};
use store::{DbConnection, DbError, Pool};

use crate::{
    AccountsConfig, CheckOutcome, CheckProgress, IdentityCheckStatus, IdentityProvider, StartedCheck, evaluate_verified,
};

/// Ends the running identity check of officer `officer_id` of account `account_id` when the provider has its
/// outcome at `now`, records it, and re-evaluates the account's status. Answers whether this call ended it.
///
/// The provider is asked outside any transaction. What it answered is written under the account's row lock (the
/// lock addCompanyOfficerToAccount and submitCompanyOfficers take) and only while the officer's running check
/// is still the one asked about: a check another runner ended, or that a new document replaced, is left alone.
pub(crate) async fn end_officer_check(
    pool: &Pool,
    config: Arc<AccountsConfig>,
    provider: Arc<dyn IdentityProvider>,
    officer_id: &str,
    account_id: &AccountId,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let (officer, account) = (officer_id.to_owned(), account_id.clone());
    let running = with_connection(pool, move |conn| -> anyhow::Result<_> {
        Ok(company_officers::table
            .find(&officer)
            .filter(company_officers::account_id.eq(&account))
            .filter(company_officers::identity_check_status.eq(IdentityCheckStatus::Pending))
            .select((
                company_officers::identity_check_reference,
                company_officers::identity_check_due_at,
                company_officers::identity_check_verdict,
            ))
            .first::<(Option<String>, Option<NaiveDateTime>, Option<CheckOutcome>)>(conn)
            .optional()?)
    })
    .await?;
    let Some((Some(reference), Some(due_at), verdict)) = running else { return Ok(false) };
    let check = StartedCheck { reference, due_at: due_at.and_utc(), verdict };
    let asked = check.clone();
    let progress = run_blocking(move || provider.progress(&asked, now)).await?;
    let (officer, account) = (officer_id.to_owned(), account_id.clone());
    with_transaction(pool, move |tx| -> anyhow::Result<bool> {
        tx.lock_rows::<accounts::table>(&[account.as_str()])?;
        let same_check = company_officers::table
            .find(&officer)
            .filter(company_officers::identity_check_status.eq(IdentityCheckStatus::Pending))
            .filter(company_officers::identity_check_reference.eq(&check.reference));
        let outcome = match progress {
            CheckProgress::Ended(outcome) => outcome,
            CheckProgress::Running { ask_again_at } => {
                diesel::update(same_check)
                    .set(company_officers::identity_check_due_at.eq(ask_again_at.naive_utc()))
                    .execute(tx.conn())?;
                return Ok(false);
            }
        };
        let ended = diesel::update(same_check)
            .set((
                company_officers::identity_check_status.eq(IdentityCheckStatus::from(outcome)),
                company_officers::identity_checked_at.eq(now.naive_utc()),
            ))
            .execute(tx.conn())?;
        if ended == 0 {
            return Ok(false);
        }
        evaluate_verified(tx, &config, &account, now)?;
        Ok(true)
    })
    .await
}

/// True when every officer of the account has a CLEAR identity check (and there is at least one).
pub(crate) fn officers_all_clear(conn: &mut DbConnection, account_id: &AccountId) -> Result<bool, DbError> {
    let statuses: Vec<IdentityCheckStatus> = company_officers::table
        .filter(company_officers::account_id.eq(account_id))
        .select(company_officers::identity_check_status)
        .load(conn)?;
    Ok(!statuses.is_empty() && statuses.iter().all(|status| *status == IdentityCheckStatus::Clear))
}
