use std::sync::Arc;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use kernel::{AccountId, Clock, Job, JobContext, PersonId, with_connection};
use store::DbConnection;
use store::schema::{company_officers, persons};

use super::IdentityProvider;
use super::person_check::{end_person_check, start_person_check};
use crate::company_officers::end_officer_check;
use crate::{AccountsConfig, IdentityCheckStatus};

/// Most checks one run ends, so that one run stays short and several runners share a backlog.
const BATCH: i64 = 100;

/// The identity-check job (`identity_checks`): starts the persons' checks whose start failed, asks the identity
/// provider for the outcome of every check whose outcome is due (persons' and company officers'), records it,
/// and re-evaluates the account's status (flows.md section 2).
///
/// Each check ends exactly once however many runners there are: the provider is asked outside any transaction,
/// and its answer is written in a transaction of its own that first locks the account rows and then ends the
/// check only if it is still the same running check.
#[derive(Debug, Default, Clone, Copy)]
pub struct IdentityChecks;

impl Job for IdentityChecks {
    fn name(&self) -> &'static str {
        "identity_checks"
    }

    /// The number of checks this run started or ended.
    fn run<'a>(&'a self, ctx: &'a JobContext) -> BoxFuture<'a, anyhow::Result<usize>> {
        async move {
            let config = ctx.services.shared::<AccountsConfig>()?;
            let provider = ctx.services.get::<Arc<dyn IdentityProvider>>()?.clone();
            let now = ctx.clock.now();
            let mut done = 0;
            let unstarted = with_connection(&ctx.pool, unstarted_person_checks).await?;
            for person_id in unstarted {
                let started = start_person_check(&ctx.pool, provider.clone(), &person_id).await;
                done += counted(started, "start the identity check of person", person_id.as_str());
            }
            let due = with_connection(&ctx.pool, move |conn| due_person_checks(conn, now)).await?;
            for person_id in due {
                let ended = end_person_check(&ctx.pool, config.clone(), provider.clone(), &person_id, now).await;
                done += counted(ended, "end the identity check of person", person_id.as_str());
            }
            let due = with_connection(&ctx.pool, move |conn| due_officer_checks(conn, now)).await?;
            for (officer_id, account_id) in due {
                let ended =
                    end_officer_check(&ctx.pool, config.clone(), provider.clone(), &officer_id, &account_id, now).await;
                done += counted(ended, "end the identity check of company officer", &officer_id);
            }
            Ok(done)
        }
        .boxed()
    }
}

/// One check's result as a count; a failure (the provider unreachable, say) is logged and the check is tried
/// again at the next run, so that one failing check does not hold up the others.
fn counted(result: anyhow::Result<bool>, what: &str, id: &str) -> usize {
    match result {
        Ok(done) => usize::from(done),
        Err(error) => {
            tracing::warn!("could not {what} {id}, retried at the next run: {error:#}");
            0
        }
    }
}

/// Persons whose document is attached but whose check the provider has not started (it could not be reached).
fn unstarted_person_checks(conn: &mut DbConnection) -> anyhow::Result<Vec<PersonId>> {
    Ok(persons::table
        .filter(persons::identity_check_status.eq(IdentityCheckStatus::Pending))
        .filter(persons::identity_check_reference.is_null())
        .order((persons::identity_document_attached_at.asc(), persons::id.asc()))
        .limit(BATCH)
        .select(persons::id)
        .load(conn)?)
}

/// The persons whose check is running and due by `now`, oldest due first.
fn due_person_checks(conn: &mut DbConnection, now: DateTime<Utc>) -> anyhow::Result<Vec<PersonId>> {
    Ok(persons::table
        .filter(persons::identity_check_status.eq(IdentityCheckStatus::Pending))
        .filter(persons::identity_check_due_at.le(now.naive_utc()))
        .order((persons::identity_check_due_at.asc(), persons::id.asc()))
        .limit(BATCH)
        .select(persons::id)
        .load(conn)?)
}

/// The officers whose check is running and due by `now`, oldest due first, with their accounts.
fn due_officer_checks(conn: &mut DbConnection, now: DateTime<Utc>) -> anyhow::Result<Vec<(String, AccountId)>> {
    Ok(company_officers::table
        .filter(company_officers::identity_check_status.eq(IdentityCheckStatus::Pending))
        .filter(company_officers::identity_check_due_at.le(now.naive_utc()))
        .order((company_officers::identity_check_due_at.asc(), company_officers::id.asc()))
        .limit(BATCH)
        .select((company_officers::id, company_officers::account_id))
        .load(conn)?)
}
