//! Funding entries (flows.md section 8, "Funding entries"; providers.md section 4, "Funding balances"): money
//! paid into an account's funding balance. With the local provider only the operator command
//! `borderless admin fund` makes them: a CREATED_FUNDING_PAYMENT entry in PENDING that completes at the next
//! settlement tick, crediting the balance and making a VERIFIED account FUNDING_BALANCE_VERIFIED.

use std::sync::Arc;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use kernel::{AccountId, Currency, Money, new_id};
use store::schema::funding_entries;
use store::{DbConnection, DbError, Tx};

use crate::PaymentEntryStatus;
use crate::ledger;
use crate::provider::FinancialProvider;

/// A funding entry as the activity list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FundingEntry {
    /// Its PaymentEntry id.
    pub id: String,
    pub amount: Money,
    /// PENDING, then COMPLETE (or DECLINED).
    pub status: PaymentEntryStatus,
    pub created_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
}

/// Why `borderless admin fund` was refused; the operator reads the text.
#[derive(Debug)]
pub enum FundingRefusal {
    UnknownAccount(AccountId),
    /// The account is DEACTIVATED or DISABLED.
    Closed(AccountId),
    Internal(anyhow::Error),
}

impl std::fmt::Display for FundingRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::UnknownAccount(id) => write!(f, "no account has the id {id}"),
            Self::Closed(id) => write!(f, "account {id} is closed and cannot be funded"),
            Self::Internal(cause) => write!(f, "{cause:#}"),
        }
    }
}

impl std::error::Error for FundingRefusal {}

impl From<DbError> for FundingRefusal {
    fn from(error: DbError) -> Self {
        Self::Internal(error.into())
    }
}

impl From<anyhow::Error> for FundingRefusal {
    fn from(cause: anyhow::Error) -> Self {
        Self::Internal(cause)
    }
}

/// `borderless admin fund`: records a CREATED_FUNDING_PAYMENT entry of `amount` for the account, PENDING until
/// the next settlement tick; answers its id.
pub fn fund_account(
    tx: &mut Tx<'_>,
    account_id: &AccountId,
    amount: Money,
    now: DateTime<Utc>,
) -> Result<String, FundingRefusal> {
    let status = kernel::locked_account_status(tx, account_id)?
        .ok_or_else(|| FundingRefusal::UnknownAccount(account_id.clone()))?;
    if status.is_closed() {
        return Err(FundingRefusal::Closed(account_id.clone()));
    }
    let id = new_id();
    diesel::insert_into(funding_entries::table)
        .values((
            funding_entries::id.eq(&id),
            funding_entries::account_id.eq(account_id),
            funding_entries::currency.eq(amount.currency().code()),
            funding_entries::amount.eq(amount.minor_units()),
            funding_entries::status.eq(PaymentEntryStatus::Pending.as_str()),
            funding_entries::created_at.eq(now.naive_utc()),
        ))
        .execute(tx.conn())?;
    Ok(id)
}

type Row = (String, Currency, i64, PaymentEntryStatus, NaiveDateTime, Option<NaiveDateTime>);

/// The account's funding entries, newest first.
pub fn funding_entries(conn: &mut DbConnection, account_id: &AccountId) -> anyhow::Result<Vec<FundingEntry>> {
    let rows: Vec<Row> = funding_entries::table
        .filter(funding_entries::account_id.eq(account_id))
        .order((funding_entries::created_at.desc(), funding_entries::id.desc()))
        .select((
            funding_entries::id,
            funding_entries::currency,
            funding_entries::amount,
            funding_entries::status,
            funding_entries::created_at,
            funding_entries::completed_at,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, currency, amount, status, created_at, completed_at)| {
            Ok(FundingEntry {
                id,
                amount: crate::settlement::money(amount, currency)?,
                status,
                created_at: created_at.and_utc(),
                completed_at: completed_at.map(|at| at.and_utc()),
            })
        })
        .collect()
}

/// Funding entries still PENDING that were made by `now`, oldest first.
pub(crate) fn pending_funding_entries(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    limit: i64,
) -> anyhow::Result<Vec<String>> {
    Ok(funding_entries::table
        .filter(funding_entries::status.eq(PaymentEntryStatus::Pending.as_str()))
        .filter(funding_entries::created_at.le(now.naive_utc()))
        .order((funding_entries::created_at.asc(), funding_entries::id.asc()))
        .limit(limit)
        .select(funding_entries::id)
        .load(conn)?)
}

/// Completes funding entry `id` if still PENDING, in the caller's transaction: COMPLETE, the funding-credit
/// posting set, the provider's balance credited, and the account VERIFIED → FUNDING_BALANCE_VERIFIED. Answers
/// whether it did.
pub(crate) fn complete_funding_entry(
    tx: &mut Tx<'_>,
    provider: &Arc<dyn FinancialProvider>,
    id: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    tx.lock_rows::<funding_entries::table>(&[id])?;
    let row: Option<(AccountId, Currency, i64)> = funding_entries::table
        .find(id)
        .filter(funding_entries::status.eq(PaymentEntryStatus::Pending.as_str()))
        .select((funding_entries::account_id, funding_entries::currency, funding_entries::amount))
        .first(tx.conn())
        .optional()?;
    let Some((account_id, currency, amount)) = row else { return Ok(false) };
    let amount = crate::settlement::money(amount, currency)?;
    diesel::update(
        funding_entries::table.find(id).filter(funding_entries::status.eq(PaymentEntryStatus::Pending.as_str())),
    )
    .set((
        funding_entries::status.eq(PaymentEntryStatus::Complete.as_str()),
        funding_entries::completed_at.eq(now.naive_utc()),
    ))
    .execute(tx.conn())?;
    ledger::post(tx, &ledger::funding_credit(id, now, &account_id, amount))?;
    provider.credit_funding(tx, &account_id, amount)?;
    accounts::funding_balance_credited(tx, &account_id, now)?;
    Ok(true)
}
