//! A `PaymentEntry`: one payment, refund, request or funding movement seen from one account's
//! side, with that side's amounts (flows.md section 9) and the status both sides share (section 8).

use chrono::{DateTime, NaiveDate, Utc};
use kernel::{AccountId, Money};

use super::cursor::Position;
use crate::refunds::{RefundReason, RefundType};
use crate::{FundingKind, PaymentEntryStatus, PaymentSide, PaymentType};

kernel::stored_enum! {
    /// What a payment-activity entry is, seen from the current account (CREATED_* = this account started it).
    pub enum PaymentEntryType {
        /// A payment this account sent.
        CreatedPayment = "CREATED_PAYMENT",
        /// A payment this account received.
        ReceivedPayment = "RECEIVED_PAYMENT",
        /// A payment request this account sent.
        CreatedPaymentRequest = "CREATED_PAYMENT_REQUEST",
        /// A payment request addressed to this account's email.
        ReceivedPaymentRequest = "RECEIVED_PAYMENT_REQUEST",
        /// A refund this account sent (of a payment it had received).
        CreatedRefund = "CREATED_REFUND",
        /// A refund this account received (of a payment it had sent).
        ReceivedRefund = "RECEIVED_REFUND",
        /// A payment this account sent to a beneficiary that could not receive it yet, held until claimed (only
        /// with claim payments enabled).
        CreatedClaimPayment = "CREATED_CLAIM_PAYMENT",
        /// A payment held for this account until it can receive it (only with claim payments enabled).
        ReceivedClaimPayment = "RECEIVED_CLAIM_PAYMENT",
        /// Money paid into this account's funding balance.
        CreatedFundingPayment = "CREATED_FUNDING_PAYMENT",
        /// A conversion between two currencies of this account's funding balance.
        CreatedFundingExchange = "CREATED_FUNDING_EXCHANGE",
        /// A withdrawal from this account's funding balance to its bank account.
        CreatedFundingWithdraw = "CREATED_FUNDING_WITHDRAW",
    }
}

/// The other side of an entry, as the current account knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counterparty {
    /// `None` for an email that has no account (a request's addressee).
    pub account_id: Option<AccountId>,
    /// The address the current account itself typed for this counterparty; never the email behind an account.
    pub email: Option<String>,
}

/// One entry of the current account's payment activity.
#[derive(Debug, Clone, PartialEq)]
pub struct PaymentEntry {
    /// The payment's id: the same on both sides.
    pub id: String,
    pub entry_type: PaymentEntryType,
    pub status: PaymentEntryStatus,
    /// This side's sub amount, fee and total, in this side's currency.
    pub amounts: PaymentSide,
    pub description: Option<String>,
    /// The payer's email message.
    pub message: Option<String>,
    pub value_date: NaiveDate,
    pub created_at: DateTime<Utc>,
    /// `None` for entries without one (funding movements).
    pub counterparty: Option<Counterparty>,
    pub kind: EntryKind,
}

/// What an entry holds beyond what every entry has, by its kind (a refund is a payment with refund facts).
#[derive(Debug, Clone, PartialEq)]
pub enum EntryKind {
    Payment(PaymentFacts),
    /// Money paid into the funding balance: nothing beyond the common fields.
    Funding,
    /// A payment request: nothing beyond the common fields (its link is made from its id).
    Request,
}

/// The facts of a payment entry.
#[derive(Debug, Clone, PartialEq)]
pub struct PaymentFacts {
    pub trade_number: String,
    /// How the payer funded it.
    pub payment_method: FundingKind,
    pub payment_type: PaymentType,
    /// What the payer saved against a typical bank, in this entry's currency; `None` for LOCAL payments and
    /// when there were no savings.
    pub savings: Option<Money>,
    /// The day it is expected to arrive; `None` once it has arrived or will not.
    pub estimated_arrival: Option<NaiveDate>,
    /// No further refund can be started (flows.md section 10).
    pub refund_limit_reached: bool,
    /// A refund entry's own facts; `None` for payments and claim payments.
    pub refund: Option<RefundFacts>,
    /// A payment's refunds, oldest first (empty for a refund).
    pub refunds: Vec<RefundMade>,
}

/// What a refund entry shows beyond a payment's facts.
#[derive(Debug, Clone, PartialEq)]
pub struct RefundFacts {
    pub reason: RefundReason,
    pub refund_type: RefundType,
    pub original: OriginalPaymentFacts,
}

/// The payment a refund refunds, as its entry shows it: the original payer's side.
#[derive(Debug, Clone, PartialEq)]
pub struct OriginalPaymentFacts {
    pub id: String,
    pub created_at: DateTime<Utc>,
    pub sub: Money,
    pub total: Money,
    pub trade_number: String,
}

/// A refund as its original payment's entry lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct RefundMade {
    pub id: String,
    pub created_at: DateTime<Utc>,
    pub status: PaymentEntryStatus,
    pub reason: RefundReason,
    pub refund_type: RefundType,
    /// What reaches the original payer, in its currency.
    pub amount: Money,
}

impl PaymentEntry {
    /// Where the entry stands in the activity order.
    pub(crate) fn position(&self) -> Position {
        Position { created_at: self.created_at, id: self.id.clone() }
    }
}

/// `estimatedArrival` as the contract writes it: `Jun 19, 2020`.
pub fn estimated_arrival_text(date: NaiveDate) -> String {
    date.format("%b %-d, %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_arrival_like_the_contract() {
        let date = NaiveDate::from_ymd_opt(2020, 6, 9).expect("a date");
        assert_eq!(estimated_arrival_text(date), "Jun 9, 2020");
        let date = NaiveDate::from_ymd_opt(2020, 12, 19).expect("a date");
        assert_eq!(estimated_arrival_text(date), "Dec 19, 2020");
    }
}
