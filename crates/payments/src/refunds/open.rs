//! submitRefundSession's effects (flows.md sections 8 and 10): the refund made as a payment of the refunding
//! account to the original payer, inside the submit's transaction.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use kernel::{AccountId, Currency, new_id};
use serde_json::{Map, Value, json};
use store::Tx;
use store::schema::{payment_status_changes, payments, refunds};
use webhooks::{EventType, record_event};

use super::{RefundReason, RefundType};
use crate::notices::major;
use crate::session::{FundingKind, side};
use crate::{FinancialProvider, PaymentEntryStatus, PaymentSide, PaymentsConfig, PaymentsError, Quote};

/// The refund to make: everything the refund session holds, re-checked by the caller.
#[derive(Debug, Clone)]
pub struct NewRefund<'a> {
    pub original_payment_id: &'a str,
    /// The refunding account (the refund's payer) and the bank account it pays from.
    pub payer: &'a AccountId,
    pub funding_bank_account_id: &'a str,
    /// The original payer's account (the refund's beneficiary).
    pub beneficiary: &'a AccountId,
    pub payer_currency: Currency,
    pub beneficiary_currency: Currency,
    pub quote: &'a Quote,
    pub description: &'a str,
    pub message: Option<&'a str>,
    pub value_date: NaiveDate,
    pub reason: RefundReason,
    pub refund_type: RefundType,
}

/// The refund made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedRefund {
    pub id: String,
    pub payer: PaymentSide,
    pub beneficiary: PaymentSide,
    pub trade_number: String,
    pub status: PaymentEntryStatus,
}

/// Makes the refund inside the caller's transaction, which holds the original payment's row lock: books the
/// trade, records it as a payment of kind REFUND (SCHEDULED for a later value date, else PENDING, with when
/// settlement's first step is due, exactly as a payment), its refund facts and its first status, and writes
/// `refund.received` for the original payer's webhooks. Nothing is posted to the ledger at submit.
pub fn open_refund(
    tx: &mut Tx<'_>,
    (config, provider): (&PaymentsConfig, &Arc<dyn FinancialProvider>),
    refund: &NewRefund<'_>,
    now: DateTime<Utc>,
) -> Result<OpenedRefund, PaymentsError> {
    let id = new_id();
    let amounts = &refund.quote.amounts;
    let payer = side(refund.payer_currency, (amounts.payer_sub, amounts.payer_fee, amounts.payer_total))?;
    let beneficiary = side(
        refund.beneficiary_currency,
        (amounts.beneficiary_sub, amounts.beneficiary_fee, amounts.beneficiary_total),
    )?;
    let status =
        if refund.value_date > now.date_naive() { PaymentEntryStatus::Scheduled } else { PaymentEntryStatus::Pending };
    let trade_number = provider.book_trade(tx, now)?;
    let value_date = kernel::DateTime::of_date(refund.value_date);
    // Settlement's first step: the value date's start for SCHEDULED, the collection for PENDING.
    let next_step_at = match status {
        PaymentEntryStatus::Scheduled => value_date.0,
        _ => now + config.settlement.collect_after,
    };
    diesel::insert_into(payments::table)
        .values((
            payments::id.eq(&id),
            payments::payer_account_id.eq(refund.payer),
            payments::funding_source.eq(FundingKind::BankAccount),
            payments::funding_bank_account_id.eq(refund.funding_bank_account_id),
            payments::beneficiary_account_id.eq(refund.beneficiary),
            payments::payer_currency.eq(refund.payer_currency.code()),
            payments::payer_sub.eq(amounts.payer_sub),
            payments::payer_fee.eq(amounts.payer_fee),
            payments::payer_total.eq(amounts.payer_total),
            payments::beneficiary_currency.eq(refund.beneficiary_currency.code()),
            payments::beneficiary_sub.eq(amounts.beneficiary_sub),
            payments::beneficiary_fee.eq(amounts.beneficiary_fee),
            payments::beneficiary_total.eq(amounts.beneficiary_total),
            payments::rate.eq(refund.quote.rate.to_string()),
            payments::international.eq(amounts.international),
            payments::savings.eq(None::<i64>),
            payments::quote_id.eq(refund.quote.id),
            payments::trade_number.eq(&trade_number),
            payments::description.eq(refund.description),
            payments::email_message.eq(refund.message),
            payments::value_date.eq(value_date.0.naive_utc()),
            payments::status.eq(status.as_str()),
            payments::submitted_at.eq(now.naive_utc()),
            payments::next_step_at.eq(next_step_at.naive_utc()),
            payments::kind.eq("REFUND"),
        ))
        .execute(tx.conn())?;
    diesel::insert_into(refunds::table)
        .values((
            refunds::payment_id.eq(&id),
            refunds::original_payment_id.eq(refund.original_payment_id),
            refunds::reason.eq(refund.reason.as_str()),
            refunds::refund_type.eq(refund.refund_type.as_str()),
        ))
        .execute(tx.conn())?;
    diesel::insert_into(payment_status_changes::table)
        .values((
            payment_status_changes::payment_id.eq(&id),
            payment_status_changes::status.eq(status.as_str()),
            payment_status_changes::changed_at.eq(now.naive_utc()),
        ))
        .execute(tx.conn())?;
    let claims: Map<String, Value> = [
        ("refundId", json!(id)),
        ("originalPaymentId", json!(refund.original_payment_id)),
        ("status", json!(status.as_str())),
        ("amount", major(beneficiary.sub)),
        ("currency", json!(refund.beneficiary_currency.code())),
        ("reason", json!(refund.reason.as_str())),
        ("refundType", json!(refund.refund_type.as_str())),
        ("message", json!(refund.message)),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .collect();
    record_event(tx, refund.beneficiary, EventType::RefundReceived, claims, now)?;
    Ok(OpenedRefund { id, payer, beneficiary, trade_number, status })
}
