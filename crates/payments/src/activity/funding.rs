//! Funding movements as activity entries: each row of `funding_entries` is the account's
//! CREATED_FUNDING_PAYMENT (money paid into its funding balance), with no counterparty and no fee.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use kernel::{AccountId, Currency, Money};
use store::DbConnection;
use store::schema::funding_entries;

use super::cursor::Position;
use super::entry::{EntryKind, PaymentEntry, PaymentEntryType};
use super::filter::narrowed;
use super::source::{EntrySource, Interaction, Reading};
use super::{ActivityError, ActivityFilter};
use crate::{PaymentEntryStatus, PaymentSide};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = funding_entries)]
struct FundingRow {
    id: String,
    currency: Currency,
    amount: i64,
    status: PaymentEntryStatus,
    created_at: NaiveDateTime,
}

/// The source of CREATED_FUNDING_PAYMENT entries.
pub(crate) struct Funding;

impl EntrySource for Funding {
    fn page(
        &self,
        conn: &mut DbConnection,
        _: &Reading,
        account: &AccountId,
        filter: &ActivityFilter,
        after: Option<&Position>,
        limit: usize,
    ) -> Result<Vec<PaymentEntry>, ActivityError> {
        if !filter.admits_type(PaymentEntryType::CreatedFundingPayment) {
            return Ok(Vec::new());
        }
        let query = funding_entries::table.filter(funding_entries::account_id.eq(account.clone())).into_boxed();
        let query =
            narrowed!(query, filter, after, funding_entries::status, funding_entries::created_at, funding_entries::id);
        let limit = i64::try_from(limit).map_err(anyhow::Error::from)?;
        let rows: Vec<FundingRow> = query
            .order((funding_entries::created_at.desc(), funding_entries::id.desc()))
            .limit(limit)
            .select(FundingRow::as_select())
            .load(conn)?;
        rows.into_iter().map(entry).collect()
    }

    fn find(
        &self,
        conn: &mut DbConnection,
        _: &Reading,
        account: &AccountId,
        id: &str,
    ) -> Result<Option<PaymentEntry>, ActivityError> {
        let row: Option<FundingRow> = funding_entries::table
            .find(id)
            .filter(funding_entries::account_id.eq(account))
            .select(FundingRow::as_select())
            .first(conn)
            .optional()?;
        row.map(entry).transpose()
    }

    /// Funding movements have no counterparty.
    fn interactions(&self, _: &mut DbConnection, _: &AccountId) -> Result<Vec<Interaction>, ActivityError> {
        Ok(Vec::new())
    }
}

fn entry(row: FundingRow) -> Result<PaymentEntry, ActivityError> {
    let money = |minor| Money::from_minor_units(minor, row.currency).map_err(|error| anyhow::anyhow!("{error:?}"));
    let created_at = row.created_at.and_utc();
    Ok(PaymentEntry {
        id: row.id,
        entry_type: PaymentEntryType::CreatedFundingPayment,
        status: row.status,
        amounts: PaymentSide { sub: money(row.amount)?, fee: money(0)?, total: money(row.amount)? },
        description: None,
        message: None,
        // No value date is chosen for money paid in: it is the day it was recorded.
        value_date: created_at.date_naive(),
        created_at,
        counterparty: None,
        kind: EntryKind::Funding,
    })
}
