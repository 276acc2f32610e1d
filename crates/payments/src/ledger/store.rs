//! The ledger's storage: table `ledger_postings`, one row per posting, appended and never changed (the
//! database refuses UPDATE and DELETE). A set is written inside the caller's transaction, the one that records
//! the status change it belongs to.

use std::fmt;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use kernel::{Currency, new_id};
use store::schema::ledger_postings;
use store::{DbConnection, DbError, Tx};

use crate::ledger::{LedgerAccount, LedgerEntry, LedgerReport, Posting, PostingSet, Step, check_sets};

/// Why a posting set was not written.
#[derive(Debug)]
pub enum PostError {
    /// Invariant 1: these currencies do not sum to zero (currency, sum). Nothing was written.
    Unbalanced(Vec<(Currency, i128)>),
    /// The set has no postings, or a posting of 0: a step that moves no money writes no set.
    NothingMoves,
    Db(DbError),
}

impl From<DbError> for PostError {
    fn from(error: DbError) -> Self {
        Self::Db(error)
    }
}

impl fmt::Display for PostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unbalanced(sums) => {
                f.write_str("the posting set does not balance:")?;
                for (currency, sum) in sums {
                    write!(f, " {currency} {sum:+}")?;
                }
                Ok(())
            }
            Self::NothingMoves => f.write_str("the posting set has no postings or a posting of 0"),
            Self::Db(error) => write!(f, "database: {error}"),
        }
    }
}

impl std::error::Error for PostError {}

/// Writes `set` inside the caller's transaction and returns the new set's id. A set that does not balance per
/// currency is refused before anything is written.
pub fn post(tx: &mut Tx<'_>, set: &PostingSet) -> Result<String, PostError> {
    if set.postings.is_empty() || set.postings.iter().any(|p| p.amount == 0) {
        return Err(PostError::NothingMoves);
    }
    let imbalances = set.imbalances();
    if !imbalances.is_empty() {
        return Err(PostError::Unbalanced(imbalances));
    }
    let set_id = new_id();
    let posted_at = set.posted_at.naive_utc();
    for (position, posting) in set.postings.iter().enumerate() {
        let position = i32::try_from(position).map_err(|e| DbError::SerializationError(Box::new(e)))?;
        diesel::insert_into(ledger_postings::table)
            .values((
                ledger_postings::id.eq(new_id()),
                ledger_postings::set_id.eq(&set_id),
                ledger_postings::entry_id.eq(&set.entry_id),
                ledger_postings::step.eq(set.step.as_str()),
                ledger_postings::posted_at.eq(posted_at),
                ledger_postings::position.eq(position),
                ledger_postings::ledger_account.eq(posting.account.name()),
                ledger_postings::currency.eq(posting.currency.code()),
                ledger_postings::amount.eq(posting.amount),
            ))
            .execute(tx.conn())?;
    }
    Ok(set_id)
}

type Row = (String, String, String, NaiveDateTime, String, String, i64);

/// Every stored posting set, in posting order (time of the step, then the order sets were written).
pub fn load_posting_sets(conn: &mut DbConnection) -> Result<Vec<PostingSet>, DbError> {
    let rows: Vec<Row> = ledger_postings::table
        .select((
            ledger_postings::set_id,
            ledger_postings::entry_id,
            ledger_postings::step,
            ledger_postings::posted_at,
            ledger_postings::ledger_account,
            ledger_postings::currency,
            ledger_postings::amount,
        ))
        .order((ledger_postings::posted_at, ledger_postings::set_id, ledger_postings::position))
        .load(conn)?;
    let mut sets: Vec<(String, PostingSet)> = Vec::new();
    for (set_id, entry_id, step, posted_at, account, currency, amount) in rows {
        let posting = Posting {
            account: LedgerAccount::parse(&account).ok_or_else(|| unreadable(format!("ledger account {account:?}")))?,
            currency: currency.parse().map_err(|_| unreadable(format!("currency {currency:?}")))?,
            amount,
        };
        match sets.last_mut() {
            Some((id, set)) if *id == set_id => set.postings.push(posting),
            _ => {
                let step: Step = step.parse().map_err(|_| unreadable(format!("step {step:?}")))?;
                let set = PostingSet { entry_id, step, posted_at: posted_at.and_utc(), postings: vec![posting] };
                sets.push((set_id, set));
            }
        }
    }
    Ok(sets.into_iter().map(|(_, set)| set).collect())
}

/// Checks the whole stored ledger against the facts of `entries` (every payment and refund, or at least every
/// open one and those to check): what `borderless admin check-ledger` reports, and what tests run after each
/// scenario.
pub fn check_ledger(conn: &mut DbConnection, entries: &[LedgerEntry]) -> Result<LedgerReport, DbError> {
    Ok(check_sets(&load_posting_sets(conn)?, entries))
}

fn unreadable(what: String) -> DbError {
    DbError::DeserializationError(format!("ledger_postings holds an unknown {what}").into())
}
