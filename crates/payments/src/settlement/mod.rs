//! Settlement (flows.md section 8; providers.md section 4): the job that moves every payment through each
//! step whose due time has come by the service clock, asks the financial provider for each outcome, and
//! completes funding entries. Each transition is one transaction of its own ([`step`]), so one failing payment
//! does not hold up the others and a crash leaves every payment at a step it fully took.

mod record;
mod step;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use kernel::{AccountId, AccountStatus, Clock, Job, JobContext, with_connection, with_transaction};
use store::DbConnection;
use store::schema::{accounts, payment_requests, payments};

pub(crate) use record::{SettlingPayment, money};

use crate::funding::{complete_funding_entry, pending_funding_entries};
use crate::provider::FinancialProvider;
use crate::requests::PaymentRequestStatus;
use crate::{PaymentEntryStatus, PaymentsConfig};

/// Most items one query of the job takes, so that one pass stays short and several runners share a backlog.
const BATCH: i64 = 100;

/// The settlement job (`settlement`): completes pending funding entries, cancels the payments not yet
/// collected whose payer or beneficiary account is closed, then takes every due payment through its steps —
/// a large clock advance takes a payment through several, each recorded at the moment it was due.
///
/// Each transition is applied once however many runners there are: it locks the payment's row and changes
/// the status only from the one it read (`UPDATE … WHERE status = <old>`).
#[derive(Debug, Default, Clone, Copy)]
pub struct Settlement;

impl Job for Settlement {
    fn name(&self) -> &'static str {
        "settlement"
    }

    /// The number of transitions this run made (funding entries included).
    fn run<'a>(&'a self, ctx: &'a JobContext) -> BoxFuture<'a, anyhow::Result<usize>> {
        async move {
            let provider = ctx.services.get::<Arc<dyn FinancialProvider>>()?.clone();
            let config = ctx.services.shared::<PaymentsConfig>()?;
            let now = ctx.clock.now();
            let mut moved = 0;
            let entries = with_connection(&ctx.pool, move |conn| pending_funding_entries(conn, now, BATCH)).await?;
            for id in entries {
                let provider = provider.clone();
                let done = with_transaction(&ctx.pool, {
                    let id = id.clone();
                    move |tx| complete_funding_entry(tx, &provider, &id, now)
                })
                .await;
                moved += counted(done, "complete funding entry", &id);
            }
            let closed = with_connection(&ctx.pool, closed_before_collection).await?;
            for id in closed {
                let done = with_transaction(&ctx.pool, {
                    let id = id.clone();
                    move |tx| step::cancel_if_closed(tx, &id, now)
                })
                .await;
                moved += counted(done, "cancel payment", &id);
            }
            let claimable = with_connection(&ctx.pool, claimable).await?;
            for id in claimable {
                let settlement = config.settlement;
                let done = with_transaction(&ctx.pool, {
                    let id = id.clone();
                    move |tx| step::claim(tx, &settlement, &id, now)
                })
                .await;
                moved += counted(done, "claim payment", &id);
            }
            let requesters = with_connection(&ctx.pool, closed_requesters).await?;
            for account in requesters {
                let done = with_transaction(&ctx.pool, {
                    let account = account.clone();
                    move |tx| crate::cancel_for_account(tx, &account, now).map_err(|error| anyhow::anyhow!("{error:?}"))
                })
                .await;
                moved += done.unwrap_or_else(|error| {
                    tracing::warn!("could not cancel the requests of {account}, retried at the next run: {error:#}");
                    0
                });
            }
            // Each pass takes every payment one step; a payment whose next step is also due comes back in the
            // next pass. A pass that moves nothing ends the run (what failed is tried again at the next tick).
            loop {
                let due = with_connection(&ctx.pool, move |conn| due_payments(conn, now)).await?;
                let mut pass = 0;
                for id in due {
                    let (provider, settlement) = (provider.clone(), config.settlement);
                    let done = with_transaction(&ctx.pool, {
                        let id = id.clone();
                        move |tx| step::advance(tx, &provider, &settlement, &id, now)
                    })
                    .await;
                    pass += counted(done, "settle payment", &id);
                }
                if pass == 0 {
                    break;
                }
                moved += pass;
            }
            Ok(moved)
        }
        .boxed()
    }

    /// Payments with a step due now.
    fn backlog<'a>(&'a self, ctx: &'a JobContext) -> BoxFuture<'a, anyhow::Result<Option<usize>>> {
        async move {
            let now = ctx.clock.now();
            Ok(Some(with_connection(&ctx.pool, move |conn| Self::due_count(conn, now)).await?))
        }
        .boxed()
    }
}

impl Settlement {
    /// Payments with a step due by `now`.
    fn due_count(conn: &mut DbConnection, now: DateTime<Utc>) -> anyhow::Result<usize> {
        let due: i64 = payments::table.filter(payments::next_step_at.le(now.naive_utc())).count().get_result(conn)?;
        Ok(usize::try_from(due)?)
    }
}

/// One item's result as a count; a failure is logged and the item tried again at the next run.
fn counted(result: anyhow::Result<bool>, what: &str, id: &str) -> usize {
    match result {
        Ok(done) => usize::from(done),
        Err(error) => {
            tracing::warn!("could not {what} {id}, retried at the next run: {error:#}");
            0
        }
    }
}

/// Payments whose next step is due by `now`, the earliest first.
fn due_payments(conn: &mut DbConnection, now: DateTime<Utc>) -> anyhow::Result<Vec<String>> {
    Ok(payments::table
        .filter(payments::next_step_at.le(now.naive_utc()))
        .order((payments::next_step_at.asc(), payments::id.asc()))
        .limit(BATCH)
        .select(payments::id)
        .load(conn)?)
}

/// SCHEDULED and PENDING payments whose payer or beneficiary is DEACTIVATED or DISABLED.
fn closed_before_collection(conn: &mut DbConnection) -> anyhow::Result<Vec<String>> {
    let closed: Vec<AccountId> = accounts::table
        .filter(accounts::status.eq_any([AccountStatus::Deactivated, AccountStatus::Disabled]))
        .select(accounts::id)
        .load(conn)?;
    if closed.is_empty() {
        return Ok(Vec::new());
    }
    Ok(payments::table
        .filter(payments::status.eq_any([PaymentEntryStatus::Scheduled.as_str(), PaymentEntryStatus::Pending.as_str()]))
        .filter(payments::payer_account_id.eq_any(&closed).or(payments::beneficiary_account_id.eq_any(&closed)))
        .order(payments::id.asc())
        .limit(BATCH)
        .select(payments::id)
        .load(conn)?)
}

/// UNCLAIMED claim payments whose beneficiary account can now receive (a FULLY_VERIFIED preferred bank
/// account). Every held payment is looked at: they are few, and one that stays held must not hide the others.
fn claimable(conn: &mut DbConnection) -> anyhow::Result<Vec<String>> {
    let held: Vec<(String, Option<AccountId>)> = payments::table
        .filter(payments::status.eq(PaymentEntryStatus::Unclaimed.as_str()))
        .filter(payments::beneficiary_account_id.is_not_null())
        .select((payments::id, payments::beneficiary_account_id))
        .load(conn)?;
    let beneficiaries: Vec<AccountId> = held.iter().filter_map(|(_, account)| account.clone()).collect();
    if beneficiaries.is_empty() {
        return Ok(Vec::new());
    }
    let receiving = ::accounts::accounts_that_can_receive(conn, &beneficiaries)?;
    Ok(held
        .into_iter()
        .filter(|(_, account)| account.as_ref().is_some_and(|account| receiving.contains(account)))
        .map(|(id, _)| id)
        .take(BATCH as usize)
        .collect())
}

/// DEACTIVATED and DISABLED accounts that still have open (REQUESTED) payment requests: a closing requester's
/// requests are canceled here, since accounts cannot call payments (flows.md section 8).
fn closed_requesters(conn: &mut DbConnection) -> anyhow::Result<Vec<AccountId>> {
    let requesters: Vec<AccountId> = payment_requests::table
        .filter(payment_requests::status.eq(PaymentRequestStatus::Requested))
        .select(payment_requests::requester_account_id)
        .distinct()
        .load(conn)?;
    if requesters.is_empty() {
        return Ok(Vec::new());
    }
    Ok(accounts::table
        .filter(accounts::id.eq_any(&requesters))
        .filter(accounts::status.eq_any([AccountStatus::Deactivated, AccountStatus::Disabled]))
        .select(accounts::id)
        .limit(BATCH)
        .load(conn)?)
}
