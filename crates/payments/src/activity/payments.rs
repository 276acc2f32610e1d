//! Payments as activity entries: each row of `payments` is the payer's CREATED_PAYMENT and the beneficiary's
//! RECEIVED_PAYMENT, with the same id and status and each side's own amounts (flows.md section 9).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use diesel::dsl::max;
use diesel::prelude::*;
use kernel::{AccountId, Currency, Money};
use store::DbConnection;
use store::schema::{payment_status_changes, payments};

use super::cursor::Position;
use super::entry::{Counterparty, EntryKind, PaymentEntry, PaymentEntryType, PaymentFacts};
use super::filter::narrowed;
use super::source::{EntrySource, Interaction, Reading};
use super::{ActivityError, ActivityFilter};
use crate::{FundingKind, MidRate, PaymentEntryStatus, PaymentSide, PaymentType};

/// How long after completion a payment can still be refunded (`REFUND_WINDOW`, flows.md section 10). It
/// becomes a setting with the refunds, which are the ones to read it.
const REFUND_WINDOW: TimeDelta = TimeDelta::days(90);

/// A payment as activity reads it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = payments)]
struct PaymentRow {
    id: String,
    payer_account_id: AccountId,
    beneficiary_account_id: AccountId,
    beneficiary_email: Option<String>,
    funding_source: FundingKind,
    payer_currency: Currency,
    payer_sub: i64,
    payer_fee: i64,
    payer_total: i64,
    beneficiary_currency: Currency,
    beneficiary_sub: i64,
    beneficiary_fee: i64,
    beneficiary_total: i64,
    international: bool,
    savings: Option<i64>,
    trade_number: String,
    description: String,
    email_message: Option<String>,
    value_date: NaiveDateTime,
    status: PaymentEntryStatus,
    submitted_at: NaiveDateTime,
}

/// Which side of its payments an account is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Payer,
    Beneficiary,
}

impl Side {
    fn entry_type(self) -> PaymentEntryType {
        match self {
            Self::Payer => PaymentEntryType::CreatedPayment,
            Self::Beneficiary => PaymentEntryType::ReceivedPayment,
        }
    }
}

/// The source of CREATED_PAYMENT and RECEIVED_PAYMENT entries.
pub(crate) struct Payments;

impl EntrySource for Payments {
    fn page(
        &self,
        conn: &mut DbConnection,
        reading: &Reading,
        account: &AccountId,
        filter: &ActivityFilter,
        after: Option<&Position>,
        limit: usize,
    ) -> Result<Vec<PaymentEntry>, ActivityError> {
        let mut rows = Vec::new();
        for side in [Side::Payer, Side::Beneficiary] {
            if filter.admits_type(side.entry_type()) {
                rows.extend(side_page(conn, account, side, filter, after, limit)?);
            }
        }
        entries(conn, reading, account, rows)
    }

    fn find(
        &self,
        conn: &mut DbConnection,
        reading: &Reading,
        account: &AccountId,
        id: &str,
    ) -> Result<Option<PaymentEntry>, ActivityError> {
        let row: Option<PaymentRow> = payments::table
            .find(id)
            .filter(payments::payer_account_id.eq(account).or(payments::beneficiary_account_id.eq(account)))
            .select(PaymentRow::as_select())
            .first(conn)
            .optional()?;
        Ok(entries(conn, reading, account, row.into_iter().collect())?.pop())
    }

    fn interactions(&self, conn: &mut DbConnection, account: &AccountId) -> Result<Vec<Interaction>, ActivityError> {
        // Grouped in the database: one row per counterparty (and email typed for it), however many payments.
        let sent: Vec<(AccountId, Option<String>, Option<NaiveDateTime>)> = payments::table
            .filter(payments::payer_account_id.eq(account))
            .group_by((payments::beneficiary_account_id, payments::beneficiary_email))
            .select((payments::beneficiary_account_id, payments::beneficiary_email, max(payments::submitted_at)))
            .load(conn)?;
        let received: Vec<(AccountId, Option<NaiveDateTime>)> = payments::table
            .filter(payments::beneficiary_account_id.eq(account))
            .group_by(payments::payer_account_id)
            .select((payments::payer_account_id, max(payments::submitted_at)))
            .load(conn)?;
        let sent =
            sent.into_iter().map(|(account_id, email, at)| (Counterparty { account_id: Some(account_id), email }, at));
        let received = received
            .into_iter()
            .map(|(account_id, at)| (Counterparty { account_id: Some(account_id), email: None }, at));
        Ok(sent
            .chain(received)
            .filter_map(|(counterparty, at)| at.map(|at| Interaction { counterparty, at: at.and_utc() }))
            .collect())
    }
}

/// The account's payments on one side, in activity order, strictly after `after`.
fn side_page(
    conn: &mut DbConnection,
    account: &AccountId,
    side: Side,
    filter: &ActivityFilter,
    after: Option<&Position>,
    limit: usize,
) -> Result<Vec<PaymentRow>, ActivityError> {
    let query = payments::table.into_boxed();
    let query = match side {
        Side::Payer => query.filter(payments::payer_account_id.eq(account.clone())),
        Side::Beneficiary => query.filter(payments::beneficiary_account_id.eq(account.clone())),
    };
    let query = narrowed!(query, filter, after, payments::status, payments::submitted_at, payments::id);
    let limit = i64::try_from(limit).map_err(anyhow::Error::from)?;
    Ok(query
        .order((payments::submitted_at.desc(), payments::id.desc()))
        .limit(limit)
        .select(PaymentRow::as_select())
        .load(conn)?)
}

/// The rows as the account's entries, with what each needs from other tables read at once for all of them.
fn entries(
    conn: &mut DbConnection,
    reading: &Reading,
    account: &AccountId,
    rows: Vec<PaymentRow>,
) -> Result<Vec<PaymentEntry>, ActivityError> {
    let complete: Vec<&str> =
        rows.iter().filter(|row| row.status == PaymentEntryStatus::Complete).map(|row| row.id.as_str()).collect();
    let completed_at: HashMap<String, NaiveDateTime> = if complete.is_empty() {
        HashMap::new()
    } else {
        payment_status_changes::table
            .filter(payment_status_changes::payment_id.eq_any(complete))
            .filter(payment_status_changes::status.eq(PaymentEntryStatus::Complete.as_str()))
            .select((payment_status_changes::payment_id, payment_status_changes::changed_at))
            .load(conn)?
            .into_iter()
            .collect()
    };
    rows.into_iter()
        .map(|row| {
            let completed = completed_at.get(&row.id).map(|at| at.and_utc());
            entry(reading, account, row, completed)
        })
        .collect()
}

fn entry(
    reading: &Reading,
    account: &AccountId,
    row: PaymentRow,
    completed_at: Option<DateTime<Utc>>,
) -> Result<PaymentEntry, ActivityError> {
    let side = if &row.payer_account_id == account { Side::Payer } else { Side::Beneficiary };
    let payer = money_side(row.payer_currency, (row.payer_sub, row.payer_fee, row.payer_total))?;
    let savings = row.savings.map(|savings| Money::from_minor_units(savings, row.payer_currency)).transpose();
    let savings = savings.map_err(|error| anyhow::anyhow!("payment {}: savings {error:?}", row.id))?;
    let (amounts, counterparty, savings) = match side {
        Side::Payer => (
            payer,
            Counterparty { account_id: Some(row.beneficiary_account_id.clone()), email: row.beneficiary_email.clone() },
            savings,
        ),
        Side::Beneficiary => (
            money_side(row.beneficiary_currency, (row.beneficiary_sub, row.beneficiary_fee, row.beneficiary_total))?,
            Counterparty { account_id: Some(row.payer_account_id.clone()), email: None },
            savings.and_then(|savings| at_mid_rate(reading, savings, row.beneficiary_currency)),
        ),
    };
    let payment_type = if row.international { PaymentType::International } else { PaymentType::Local };
    let value_date = row.value_date.and_utc();
    let arrives = !(row.status == PaymentEntryStatus::Complete || row.status.is_given_back());
    let estimated_arrival = arrives
        .then(|| (reading.now.max(value_date) + reading.settlement.time_to_arrive(row.international)).date_naive());
    let refund_limit_reached = completed_at.is_some_and(|completed| reading.now - completed > REFUND_WINDOW);
    Ok(PaymentEntry {
        id: row.id,
        entry_type: side.entry_type(),
        status: row.status,
        amounts,
        description: Some(row.description),
        message: row.email_message,
        value_date: value_date.date_naive(),
        created_at: row.submitted_at.and_utc(),
        counterparty: Some(counterparty),
        kind: EntryKind::Payment(PaymentFacts {
            trade_number: row.trade_number,
            payment_method: row.funding_source,
            payment_type,
            savings,
            estimated_arrival,
            refund_limit_reached,
        }),
    })
}

fn money_side(currency: Currency, (sub, fee, total): (i64, i64, i64)) -> Result<PaymentSide, ActivityError> {
    let money = |minor| Money::from_minor_units(minor, currency).map_err(|error| anyhow::anyhow!("{error:?}"));
    Ok(PaymentSide { sub: money(sub)?, fee: money(fee)?, total: money(total)? })
}

/// The payer's savings in the beneficiary's currency at the mid rate, rounded half-even once; `None` when the
/// rates table no longer has the pair or the amount rounds to nothing.
fn at_mid_rate(reading: &Reading, savings: Money, beneficiary: Currency) -> Option<Money> {
    let mid = MidRate::between(&reading.rates, savings.currency(), beneficiary)?;
    let converted = savings.to_decimal().checked_mul(mid.to_decimal())?;
    Money::round_half_even(converted, beneficiary).ok().filter(|money| money.is_positive())
}
