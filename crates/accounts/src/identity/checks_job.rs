use chrono::{DateTime, Utc};
use diesel::prelude::*;
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use kernel::{AccountId, Clock, Job, JobContext, with_connection, with_transaction};
use store::DbConnection;
use store::schema::company_officers;

use super::identity_provider;
use crate::company_officers::end_officer_check;
use crate::{AccountsConfig, IdentityCheckStatus};

/// Most checks one run ends, so that one run stays short and several runners share a backlog.
const BATCH: i64 = 100;

/// The identity-check job (`identity_checks`): asks the identity provider for the outcome of every check whose
/// outcome is due, records it, and re-evaluates the account's status (flows.md section 2).
///
/// Each check ends exactly once however many runners there are: each is ended in a transaction of its own that
/// first locks the officer's account row and then ends the check only if it is still the same running check.
#[derive(Debug, Default, Clone, Copy)]
pub struct IdentityChecks;

impl Job for IdentityChecks {
    fn name(&self) -> &'static str {
        "identity_checks"
    }

    /// The number of checks this run ended.
    fn run<'a>(&'a self, ctx: &'a JobContext) -> BoxFuture<'a, anyhow::Result<usize>> {
        async move {
            let config = ctx.services.shared::<AccountsConfig>()?;
            let now = ctx.clock.now();
            let due = with_connection(&ctx.pool, move |conn| due_checks(conn, now)).await?;
            let mut ended = 0;
            for (officer_id, account_id) in due {
                let config = config.clone();
                let done = with_transaction(&ctx.pool, move |tx| -> anyhow::Result<bool> {
                    let provider = identity_provider(&config);
                    end_officer_check(tx, &config, provider.as_ref(), &officer_id, &account_id, now)
                })
                .await?;
                ended += usize::from(done);
            }
            Ok(ended)
        }
        .boxed()
    }
}

/// The officers whose check is running and due by `now`, oldest due first, with their accounts.
fn due_checks(conn: &mut DbConnection, now: DateTime<Utc>) -> anyhow::Result<Vec<(String, AccountId)>> {
    Ok(company_officers::table
        .filter(company_officers::identity_check_status.eq(IdentityCheckStatus::Pending))
        .filter(company_officers::identity_check_due_at.le(now.naive_utc()))
        .order((company_officers::identity_check_due_at.asc(), company_officers::id.asc()))
        .limit(BATCH)
        .select((company_officers::id, company_officers::account_id))
        .load(conn)?)
}
