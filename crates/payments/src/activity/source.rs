//! Where entries come from. Each kind of entry (payments of every kind — claim payments and refunds too —,
//! funding movements, payment requests) is a source that lists its entries of an account in activity order, finds one by id, and names
//! the counterparties the account dealt with; a page merges the sources, so a new kind is one more source.

use chrono::{DateTime, Utc};
use kernel::{AccountId, FxRates};
use store::DbConnection;

use super::cursor::Position;
use super::entry::{Counterparty, PaymentEntry};
use super::{ActivityError, ActivityFilter};
use crate::SettlementConfig;
use crate::refunds::RefundLimits;

/// What reading entries needs besides the database: the moment they are read at (estimated arrival, refund
/// window), the rates table (savings on the beneficiary's side), the settlement delays and the refund limits.
#[derive(Debug, Clone)]
pub struct Reading {
    pub now: DateTime<Utc>,
    pub rates: FxRates,
    pub settlement: SettlementConfig,
    pub refund_limits: RefundLimits,
}

/// The latest interaction of the account with a counterparty, as one source knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Interaction {
    pub counterparty: Counterparty,
    pub at: DateTime<Utc>,
}

pub(crate) trait EntrySource: Sync {
    /// The account's entries matching `filter` strictly after `after` in activity order, at most `limit`, in
    /// that order.
    fn page(
        &self,
        conn: &mut DbConnection,
        reading: &Reading,
        account: &AccountId,
        filter: &ActivityFilter,
        after: Option<&Position>,
        limit: usize,
    ) -> Result<Vec<PaymentEntry>, ActivityError>;

    /// The account's entry with this id.
    fn find(
        &self,
        conn: &mut DbConnection,
        reading: &Reading,
        account: &AccountId,
        id: &str,
    ) -> Result<Option<PaymentEntry>, ActivityError>;

    /// The account's latest interaction with each counterparty (and each email it typed for one).
    fn interactions(&self, conn: &mut DbConnection, account: &AccountId) -> Result<Vec<Interaction>, ActivityError>;
}

/// Every source of entries.
pub(crate) const SOURCES: &[&dyn EntrySource] =
    &[&super::payments::Payments, &super::funding::Funding, &super::requests::Requests];
