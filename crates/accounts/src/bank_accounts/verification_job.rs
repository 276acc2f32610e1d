use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use kernel::{AccountId, Clock, Job, JobContext, with_connection, with_transaction};
use store::schema::{accounts, bank_accounts};
use store::{DbConnection, Tx};

use super::{BankAccountStatus, BankLinkProvider, StartedVerification, VerificationOutcome, bank_link_provider};
use crate::AccountsConfig;

/// Most verifications one run ends, so that one run stays short and several runners share a backlog.
const BATCH: i64 = 100;

/// The typed-in bank verification job (`bank_verifications`): asks the bank-link provider for the outcome of
/// every typed-in bank account whose verification is due, and moves it to FULLY_VERIFIED or FAILED.
///
/// Each verification ends exactly once however many runners there are: each is ended in a transaction of its
/// own that first locks the account row (as addBankAccount and changePreferredBankAccount do) and then updates
/// the bank account only while it is still PENDING_VERIFICATION with the same reference.
#[derive(Debug, Default, Clone, Copy)]
pub struct BankVerifications;

impl Job for BankVerifications {
    fn name(&self) -> &'static str {
        "bank_verifications"
    }

    /// The number of verifications this run ended.
    fn run<'a>(&'a self, ctx: &'a JobContext) -> BoxFuture<'a, anyhow::Result<usize>> {
        async move {
            let config = ctx.services.shared::<AccountsConfig>()?;
            let now = ctx.clock.now();
            let due = with_connection(&ctx.pool, move |conn| due_verifications(conn, now)).await?;
            let mut ended = 0;
            for (bank_account_id, account_id) in due {
                let config = config.clone();
                let done = with_transaction(&ctx.pool, move |tx| -> anyhow::Result<bool> {
                    let provider = bank_link_provider(&config);
                    end_verification(tx, provider.as_ref(), &bank_account_id, &account_id, now)
                })
                .await?;
                ended += usize::from(done);
            }
            Ok(ended)
        }
        .boxed()
    }
}

/// The typed-in bank accounts still pending and due by `now`, oldest due first, with their accounts.
fn due_verifications(conn: &mut DbConnection, now: DateTime<Utc>) -> anyhow::Result<Vec<(String, AccountId)>> {
    Ok(bank_accounts::table
        .filter(bank_accounts::status.eq(BankAccountStatus::PendingVerification))
        .filter(bank_accounts::verification_due_at.le(now.naive_utc()))
        .order((bank_accounts::verification_due_at.asc(), bank_accounts::id.asc()))
        .limit(BATCH)
        .select((bank_accounts::id, bank_accounts::account_id))
        .load(conn)?)
}

/// Ends the verification of bank account `bank_account_id` when the provider has its outcome at `now`.
/// Answers whether this call ended it.
fn end_verification(
    tx: &mut Tx<'_>,
    provider: &dyn BankLinkProvider,
    bank_account_id: &str,
    account_id: &AccountId,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    tx.lock_rows::<accounts::table>(&[account_id.as_str()])?;
    let pending: Option<(Option<String>, Option<NaiveDateTime>, Option<VerificationOutcome>)> = bank_accounts::table
        .find(bank_account_id)
        .filter(bank_accounts::status.eq(BankAccountStatus::PendingVerification))
        .select((
            bank_accounts::verification_reference,
            bank_accounts::verification_due_at,
            bank_accounts::verification_verdict,
        ))
        .first(tx.conn())
        .optional()?;
    let Some((Some(reference), Some(due_at), verdict)) = pending else {
        return Ok(false);
    };
    let verification = StartedVerification { reference, due_at: due_at.and_utc(), verdict };
    let Some(outcome) = provider.verification_outcome(&verification, now)? else {
        return Ok(false);
    };
    let status = match outcome {
        VerificationOutcome::FullyVerified => BankAccountStatus::FullyVerified,
        VerificationOutcome::Failed => BankAccountStatus::Failed,
    };
    let ended = diesel::update(
        bank_accounts::table
            .find(bank_account_id)
            .filter(bank_accounts::status.eq(BankAccountStatus::PendingVerification))
            .filter(bank_accounts::verification_reference.eq(&verification.reference)),
    )
    .set((bank_accounts::status.eq(status), bank_accounts::verified_at.eq(now.naive_utc())))
    .execute(tx.conn())?;
    Ok(ended > 0)
}
