//! Payments as activity entries: each row of `payments` is the payer's CREATED_ entry and the beneficiary's
//! RECEIVED_ entry of its kind (CREATED_PAYMENT / RECEIVED_PAYMENT, and so on), with the same id and status and
//! each side's own amounts (flows.md section 9). A claim payment held for an address has no beneficiary entry.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::dsl::max;
use diesel::prelude::*;
use kernel::{AccountId, Currency, Money};
use store::DbConnection;
use store::schema::{payment_status_changes, payments, refund_attempts, refunds};

use super::cursor::Position;
use super::entry::{
    Counterparty, EntryKind, OriginalPaymentFacts, PaymentEntry, PaymentEntryType, PaymentFacts, RefundFacts,
    RefundMade,
};
use super::filter::narrowed;
use super::source::{EntrySource, Interaction, Reading};
use super::{ActivityError, ActivityFilter};
use crate::refunds::{RefundReason, RefundType};
use crate::{FundingKind, MidRate, PaymentEntryStatus, PaymentKind, PaymentSide, PaymentType};

/// A payment as activity reads it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = payments)]
struct PaymentRow {
    id: String,
    payer_account_id: AccountId,
    beneficiary_account_id: Option<AccountId>,
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
    kind: PaymentKind,
}

/// Which side of its payments an account is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Payer,
    Beneficiary,
}

impl Side {
    fn entry_type(self, kind: PaymentKind) -> PaymentEntryType {
        let (created, received) = kind.entry_types();
        match self {
            Self::Payer => created,
            Self::Beneficiary => received,
        }
    }
}

/// The source of the entries of every kind of payment (payments, claim payments, refunds).
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
            let kinds: Vec<PaymentKind> =
                PaymentKind::VALUES.iter().copied().filter(|kind| filter.admits_type(side.entry_type(*kind))).collect();
            if !kinds.is_empty() {
                rows.extend(side_page(conn, account, (side, &kinds), filter, after, limit)?);
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
        let sent: Vec<(Option<AccountId>, Option<String>, Option<NaiveDateTime>)> = payments::table
            .filter(payments::payer_account_id.eq(account))
            .group_by((payments::beneficiary_account_id, payments::beneficiary_email))
            .select((payments::beneficiary_account_id, payments::beneficiary_email, max(payments::submitted_at)))
            .load(conn)?;
        let received: Vec<(AccountId, Option<NaiveDateTime>)> = payments::table
            .filter(payments::beneficiary_account_id.eq(account))
            .group_by(payments::payer_account_id)
            .select((payments::payer_account_id, max(payments::submitted_at)))
            .load(conn)?;
        let sent = sent.into_iter().map(|(account_id, email, at)| (Counterparty { account_id, email }, at));
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
    (side, kinds): (Side, &[PaymentKind]),
    filter: &ActivityFilter,
    after: Option<&Position>,
    limit: usize,
) -> Result<Vec<PaymentRow>, ActivityError> {
    let query = payments::table.filter(payments::kind.eq_any(kinds.iter().map(|kind| kind.as_str()))).into_boxed();
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

/// The refunds of a set of payments, and the facts of a set of refunds, read at once for a page of entries.
#[derive(Default)]
struct RefundContext {
    /// Per payment, its refunds oldest first.
    made: HashMap<String, Vec<RefundMade>>,
    /// Per refund, its own facts.
    facts: HashMap<String, RefundFacts>,
    /// Per payment, the refund attempts counted on it.
    attempts: HashMap<String, u32>,
}

type RefundRow = (String, String, NaiveDateTime, PaymentEntryStatus, i64, Currency, RefundReason, RefundType);

impl RefundContext {
    fn read(conn: &mut DbConnection, rows: &[PaymentRow]) -> Result<Self, ActivityError> {
        let (refund_rows, payment_rows): (Vec<&PaymentRow>, Vec<&PaymentRow>) =
            rows.iter().partition(|row| row.kind == PaymentKind::Refund);
        let mut context = Self::default();
        let payments: Vec<&str> = payment_rows.iter().map(|row| row.id.as_str()).collect();
        if !payments.is_empty() {
            let made: Vec<RefundRow> = refunds::table
                .inner_join(payments::table)
                .filter(refunds::original_payment_id.eq_any(&payments))
                .order((payments::submitted_at.asc(), payments::id.asc()))
                .select((
                    refunds::original_payment_id,
                    payments::id,
                    payments::submitted_at,
                    payments::status,
                    payments::beneficiary_sub,
                    payments::beneficiary_currency,
                    refunds::reason,
                    refunds::refund_type,
                ))
                .load(conn)?;
            for (original, id, created_at, status, sub, currency, reason, refund_type) in made {
                let amount =
                    Money::from_minor_units(sub, currency).map_err(|e| anyhow::anyhow!("refund {id}: {e:?}"))?;
                let refund = RefundMade { id, created_at: created_at.and_utc(), status, reason, refund_type, amount };
                context.made.entry(original).or_default().push(refund);
            }
            let attempts: Vec<(String, i32)> = refund_attempts::table
                .filter(refund_attempts::payment_id.eq_any(&payments))
                .select((refund_attempts::payment_id, refund_attempts::attempts))
                .load(conn)?;
            context.attempts = attempts.into_iter().map(|(id, n)| (id, u32::try_from(n).unwrap_or(u32::MAX))).collect();
        }
        let refunds: Vec<&str> = refund_rows.iter().map(|row| row.id.as_str()).collect();
        if !refunds.is_empty() {
            let of: Vec<(String, String, RefundReason, RefundType)> = refunds::table
                .filter(refunds::payment_id.eq_any(&refunds))
                .select((refunds::payment_id, refunds::original_payment_id, refunds::reason, refunds::refund_type))
                .load(conn)?;
            let originals: Vec<&str> = of.iter().map(|(_, original, ..)| original.as_str()).collect();
            let found: Vec<(String, NaiveDateTime, Currency, i64, i64, String)> = payments::table
                .filter(payments::id.eq_any(&originals))
                .select((
                    payments::id,
                    payments::submitted_at,
                    payments::payer_currency,
                    payments::payer_sub,
                    payments::payer_total,
                    payments::trade_number,
                ))
                .load(conn)?;
            let mut originals: HashMap<String, OriginalPaymentFacts> = HashMap::new();
            for (id, created_at, currency, sub, total, trade_number) in found {
                let money =
                    |minor| Money::from_minor_units(minor, currency).map_err(|e| anyhow::anyhow!("{id}: {e:?}"));
                let facts = OriginalPaymentFacts {
                    id: id.clone(),
                    created_at: created_at.and_utc(),
                    sub: money(sub)?,
                    total: money(total)?,
                    trade_number,
                };
                originals.insert(id, facts);
            }
            for (refund, original, reason, refund_type) in of {
                let original = originals
                    .remove(&original)
                    .ok_or_else(|| anyhow::anyhow!("refund {refund}: no original payment"))?;
                context.facts.insert(refund, RefundFacts { reason, refund_type, original });
            }
        }
        Ok(context)
    }

    /// `refundLimitReached` of a payment row: the limits of flows.md section 10 against its refunds so far.
    fn limit_reached(&self, reading: &Reading, row: &PaymentRow, completed_at: Option<DateTime<Utc>>) -> bool {
        if row.kind == PaymentKind::Refund {
            return false;
        }
        let made = self.made.get(&row.id).map(Vec::as_slice).unwrap_or_default();
        let counted: i64 =
            made.iter().filter(|refund| !refund.status.is_given_back()).map(|refund| refund.amount.minor_units()).sum();
        let Ok(remaining) = Money::from_minor_units((row.payer_sub - counted).max(0), row.payer_currency) else {
            return true;
        };
        let refunds = u32::try_from(made.len()).unwrap_or(u32::MAX);
        let attempts = self.attempts.get(&row.id).copied().unwrap_or(0);
        reading.refund_limits.reached(completed_at, remaining, (refunds, attempts), reading.now)
    }
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
    let mut context = RefundContext::read(conn, &rows)?;
    rows.into_iter()
        .map(|row| {
            let completed = completed_at.get(&row.id).map(|at| at.and_utc());
            entry(reading, account, row, completed, &mut context)
        })
        .collect()
}

fn entry(
    reading: &Reading,
    account: &AccountId,
    row: PaymentRow,
    completed_at: Option<DateTime<Utc>>,
    context: &mut RefundContext,
) -> Result<PaymentEntry, ActivityError> {
    let side = if &row.payer_account_id == account { Side::Payer } else { Side::Beneficiary };
    let payer = money_side(row.payer_currency, (row.payer_sub, row.payer_fee, row.payer_total))?;
    let savings = row.savings.map(|savings| Money::from_minor_units(savings, row.payer_currency)).transpose();
    let savings = savings.map_err(|error| anyhow::anyhow!("payment {}: savings {error:?}", row.id))?;
    let (amounts, counterparty, savings) = match side {
        Side::Payer => (
            payer,
            Counterparty { account_id: row.beneficiary_account_id.clone(), email: row.beneficiary_email.clone() },
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
    let refund_limit_reached =
        row.status == PaymentEntryStatus::Complete && context.limit_reached(reading, &row, completed_at);
    let refund = context.facts.remove(&row.id);
    let refunds = context.made.remove(&row.id).unwrap_or_default();
    Ok(PaymentEntry {
        id: row.id,
        entry_type: side.entry_type(row.kind),
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
            refund,
            refunds,
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
