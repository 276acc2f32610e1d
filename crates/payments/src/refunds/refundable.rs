//! What a refund of a payment depends on: the payment's own facts, what is left to refund (R) and how many
//! refunds and attempts it already has.

use accounts::payee;
use chrono::{DateTime, TimeDelta, Utc};
use diesel::prelude::*;
use kernel::{AccountId, AccountStatus, Currency, Money};
use store::DbConnection;
use store::schema::{payment_status_changes, payments, refund_attempts, refunds};

use crate::{PaymentEntryStatus, PaymentsError};

kernel::stored_enum! {
    /// Why a refund is made (`RefundReason`).
    pub enum RefundReason {
        Duplicate = "DUPLICATE",
        Fraudulent = "FRAUDULENT",
        RequestedByCustomer = "REQUESTED_BY_CUSTOMER",
        Other = "OTHER",
    }
}

kernel::stored_enum! {
    /// Whether a refund gives the whole payment back in one go (`RefundType`).
    pub enum RefundType {
        /// The refund returns the whole original payment in one go.
        FullRefund = "FULL_REFUND",
        /// Any other refund.
        PartialRefund = "PARTIAL_REFUND",
    }
}

/// The refund limits of flows.md section 10 (`REFUND_WINDOW`, `REFUND_MAX_COUNT`, `REFUND_MAX_ATTEMPTS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefundLimits {
    pub window: TimeDelta,
    pub max_count: u32,
    pub max_attempts: u32,
}

impl RefundLimits {
    /// Whether no further refund of a payment can be started at `now` (I-4725, I-4723, I-4729, I-4720), from
    /// when it completed, what is left to refund, and its refunds and attempts so far.
    pub fn reached(
        &self,
        completed_at: Option<DateTime<Utc>>,
        remaining: Money,
        (refunds, attempts): (u32, u32),
        now: DateTime<Utc>,
    ) -> bool {
        completed_at.is_none_or(|completed| now >= completed + self.window)
            || !remaining.is_positive()
            || refunds >= self.max_count
            || attempts >= self.max_attempts
    }
}

impl Default for RefundLimits {
    fn default() -> Self {
        Self { window: TimeDelta::days(90), max_count: 5, max_attempts: 10 }
    }
}

/// A payment the account received, as a refund of it needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refundable {
    pub payment_id: String,
    pub status: PaymentEntryStatus,
    /// When it became COMPLETE; `None` before.
    pub completed_at: Option<DateTime<Utc>>,
    pub original_payer: AccountId,
    pub original_payer_status: AccountStatus,
    /// The original payer currency: the refund's beneficiary currency.
    pub payer_currency: Currency,
    pub payer_sub: Money,
    /// R: payerSub less the beneficiary sub amounts of its refunds that were not given back.
    pub remaining: Money,
    /// Its refunds, in any status.
    pub refunds: u32,
    /// The refund attempts counted on it.
    pub attempts: u32,
}

impl Refundable {
    /// Whether the refund window is still open at `now` (it closes `window` after completion).
    pub fn within_window(&self, limits: &RefundLimits, now: DateTime<Utc>) -> bool {
        self.completed_at.is_some_and(|completed| now < completed + limits.window)
    }

    /// `refundLimitReached`: createRefundSession would now refuse for I-4723, I-4725, I-4729 or I-4720. Only
    /// meaningful for a COMPLETE payment.
    pub fn limit_reached(&self, limits: &RefundLimits, now: DateTime<Utc>) -> bool {
        limits.reached(self.completed_at, self.remaining, (self.refunds, self.attempts), now)
    }

    /// The type of a refund of `beneficiary_sub` now: FULL_REFUND when nothing of the payment has been refunded
    /// and the refund gives back the whole original payer sub amount.
    pub fn refund_type(&self, beneficiary_sub: Money) -> RefundType {
        if self.remaining == self.payer_sub && beneficiary_sub == self.payer_sub {
            RefundType::FullRefund
        } else {
            RefundType::PartialRefund
        }
    }
}

/// The payment `payment_id` as a refund of it by `account` needs it, when `account` received it (a payment or
/// a claim payment; refunds and other accounts' payments are `None`). A caller about to act on it locks the
/// payment row first.
pub fn refundable(
    conn: &mut DbConnection,
    account: &AccountId,
    payment_id: &str,
) -> Result<Option<Refundable>, PaymentsError> {
    let row: Option<(String, AccountId, String, i64)> = payments::table
        .find(payment_id)
        .filter(payments::beneficiary_account_id.eq(account))
        .filter(payments::kind.eq_any(["PAYMENT", "CLAIM_PAYMENT"]))
        .select((payments::status, payments::payer_account_id, payments::payer_currency, payments::payer_sub))
        .first(conn)
        .optional()?;
    let Some((status, original_payer, currency, payer_sub)) = row else { return Ok(None) };
    let status: PaymentEntryStatus =
        status.parse().map_err(|_| anyhow::anyhow!("payment {payment_id}: status {status:?}"))?;
    let currency: Currency =
        currency.parse().map_err(|_| anyhow::anyhow!("payment {payment_id}: currency {currency:?}"))?;
    let completed_at: Option<chrono::NaiveDateTime> = payment_status_changes::table
        .filter(payment_status_changes::payment_id.eq(payment_id))
        .filter(payment_status_changes::status.eq(PaymentEntryStatus::Complete.as_str()))
        .select(diesel::dsl::min(payment_status_changes::changed_at))
        .first(conn)?;
    let made: Vec<(String, i64)> = refunds::table
        .inner_join(payments::table)
        .filter(refunds::original_payment_id.eq(payment_id))
        .select((payments::status, payments::beneficiary_sub))
        .load(conn)?;
    let mut refunded = 0_i64;
    for (status, sub) in &made {
        let status: PaymentEntryStatus =
            status.parse().map_err(|_| anyhow::anyhow!("a refund of {payment_id}: status {status:?}"))?;
        if !status.is_given_back() {
            refunded += sub;
        }
    }
    let attempts: Option<i32> =
        refund_attempts::table.find(payment_id).select(refund_attempts::attempts).first(conn).optional()?;
    let payer = payee(conn, &original_payer)?
        .ok_or_else(|| anyhow::anyhow!("payment {payment_id}: its payer account is gone"))?;
    Ok(Some(Refundable {
        payment_id: payment_id.to_owned(),
        status,
        completed_at: completed_at.map(|at| at.and_utc()),
        original_payer,
        original_payer_status: payer.status,
        payer_currency: currency,
        payer_sub: Money::from_minor_units(payer_sub, currency)?,
        remaining: Money::from_minor_units((payer_sub - refunded).max(0), currency)?,
        refunds: u32::try_from(made.len()).unwrap_or(u32::MAX),
        attempts: attempts.and_then(|n| u32::try_from(n).ok()).unwrap_or(0),
    }))
}

/// `PaymentEntry.refundLimitReached` of a payment `account` received: false for anything not COMPLETE or not
/// its to refund.
pub fn refund_limit_reached(
    conn: &mut DbConnection,
    account: &AccountId,
    payment_id: &str,
    limits: &RefundLimits,
    now: DateTime<Utc>,
) -> Result<bool, PaymentsError> {
    Ok(refundable(conn, account, payment_id)?
        .filter(|payment| payment.status == PaymentEntryStatus::Complete)
        .is_some_and(|payment| payment.limit_reached(limits, now)))
}
