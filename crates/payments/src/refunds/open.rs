//! submitRefundSession's effects (flows.md sections 8 and 10): the refund made as a payment of the refunding
//! account to the original payer, inside the submit's transaction.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use kernel::{AccountId, Currency, new_id};
use serde_json::{Map, Value, json};
use store::Tx;
use store::schema::refunds;
use webhooks::{EventType, record_event};

use super::{RefundReason, RefundType};
use crate::movement::{self, NewMovement, Recorded};
use crate::notices::major;
use crate::session::FundingKind;
use crate::{FinancialProvider, PaymentEntryStatus, PaymentKind, PaymentSide, PaymentsConfig, PaymentsError, Quote};

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

/// Makes the refund inside the caller's transaction, which holds the original payment's row lock: records it
/// as a payment of kind REFUND ([`movement::record`], exactly as a payment), its refund facts, and writes
/// `refund.received` for the original payer's webhooks. Nothing is posted to the ledger at submit.
pub fn open_refund(
    tx: &mut Tx<'_>,
    (config, provider): (&PaymentsConfig, &Arc<dyn FinancialProvider>),
    refund: &NewRefund<'_>,
    now: DateTime<Utc>,
) -> Result<OpenedRefund, PaymentsError> {
    let id = new_id();
    let movement = NewMovement {
        id: &id,
        kind: PaymentKind::Refund,
        payer: refund.payer,
        funding: (FundingKind::BankAccount, Some(refund.funding_bank_account_id)),
        beneficiary: Some(refund.beneficiary),
        beneficiary_email: None,
        currencies: (refund.payer_currency, refund.beneficiary_currency),
        quote: refund.quote,
        description: refund.description,
        message: refund.message,
        pop_code: None,
        value_date: refund.value_date,
        payment_request_id: None,
    };
    let Recorded { payer, beneficiary, status, trade_number, .. } =
        movement::record(tx, (&config.settlement, provider), &movement, now)?;
    diesel::insert_into(refunds::table)
        .values((
            refunds::payment_id.eq(&id),
            refunds::original_payment_id.eq(refund.original_payment_id),
            refunds::reason.eq(refund.reason.as_str()),
            refunds::refund_type.eq(refund.refund_type.as_str()),
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
