//! paymentActivity, paymentActivityById and contacts: the contract's `PaymentEntry`, `PaymentActivityPage`,
//! `PaymentActivityFilter` and `Contact`, and the objects of refunds that a `PaymentEntry` names.

use chrono::Utc;
use juniper::{GraphQLInputObject, ID, graphql_object};
use kernel::{Context, Currency, DateTime, PublicUrls};

use super::submit::PaymentSessionType;
use crate::activity::{
    ActivityFilter, ActivityPage, EntryKind, ListedEntry, OriginalPaymentFacts, PaymentEntryType, PaymentFacts,
    RefundFacts, RefundMade, estimated_arrival_text,
};
use crate::refunds::{RefundReason, RefundType};
use crate::{FundingKind, PaymentEntryStatus};

/// The contract's `PaymentActivityFilter`.
#[derive(Debug, GraphQLInputObject)]
pub struct PaymentActivityFilter {
    /// Only entries of these types (any type when absent or empty).
    types: Option<Vec<PaymentEntryType>>,
    /// Only entries in these statuses (any status when absent or empty).
    statuses: Option<Vec<PaymentEntryStatus>>,
    /// Only entries created at or after this instant.
    from_date: Option<DateTime>,
    /// Only entries created before this instant (a plain date means before that day starts).
    to_date: Option<DateTime>,
}

impl From<PaymentActivityFilter> for ActivityFilter {
    fn from(filter: PaymentActivityFilter) -> Self {
        Self {
            types: filter.types.unwrap_or_default(),
            statuses: filter.statuses.unwrap_or_default(),
            from: filter.from_date.map(|date| date.0),
            to: filter.to_date.map(|date| date.0),
        }
    }
}

/// The contract's `Contact`: the other side of an entry, or one counterparty of the contacts list.
#[derive(Debug)]
pub struct Contact {
    pub email: Option<String>,
    pub account: Option<accounts::PublicAccount>,
    /// Set in the contacts list only.
    pub last_activity_at: Option<chrono::DateTime<Utc>>,
}

impl From<crate::activity::Contact> for Contact {
    fn from(contact: crate::activity::Contact) -> Self {
        Self { email: contact.email, account: contact.account, last_activity_at: Some(contact.last_activity_at) }
    }
}

#[graphql_object(context = Context)]
impl Contact {
    /// The counterparty's email where this account knows it (it gave it, or the counterparty is a request
    /// addressee); else null.
    fn email(&self) -> Option<&str> {
        self.email.as_deref()
    }

    /// The counterparty's account; null for an email with no account yet.
    fn account(&self) -> Option<accounts::graphql::PublicAccount> {
        self.account.clone().map(accounts::graphql::PublicAccount)
    }

    /// Time of the latest payment, request or refund with this counterparty (set in contacts; null elsewhere).
    fn last_activity_at(&self) -> Option<DateTime> {
        self.last_activity_at.map(DateTime)
    }
}

/// The contract's `RefundDisplayData`: a refund made against a payment.
#[derive(Debug)]
pub struct RefundDisplayData(RefundMade);

#[graphql_object(context = Context)]
impl RefundDisplayData {
    fn id(&self) -> ID {
        self.0.id.clone().into()
    }

    fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    fn status(&self) -> PaymentEntryStatus {
        self.0.status
    }

    fn reason(&self) -> RefundReason {
        self.0.reason
    }

    fn refund_type(&self) -> RefundType {
        self.0.refund_type
    }

    /// Amount that reaches the original payer, in the original payer's currency.
    fn amount(&self) -> f64 {
        self.0.amount.to_major_f64()
    }

    fn currency(&self) -> Currency {
        self.0.amount.currency()
    }
}

/// The contract's `OriginalPayment`: the payment a refund entry refunds, on its payer's side.
#[derive(Debug)]
pub struct OriginalPayment(OriginalPaymentFacts);

#[graphql_object(context = Context)]
impl OriginalPayment {
    fn id(&self) -> ID {
        self.0.id.clone().into()
    }

    fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// Original payer's currency.
    fn currency(&self) -> Currency {
        self.0.sub.currency()
    }

    /// What the original payer sent, before fees.
    fn sub_amount(&self) -> f64 {
        self.0.sub.to_major_f64()
    }

    fn total_amount(&self) -> f64 {
        self.0.total.to_major_f64()
    }

    fn trade_number(&self) -> Option<&str> {
        Some(&self.0.trade_number)
    }
}

/// The contract's `PaymentEntry`: one entry of the current account's activity, from its side.
#[derive(Debug)]
pub struct PaymentEntry(pub ListedEntry);

impl PaymentEntry {
    fn payment(&self) -> Option<&PaymentFacts> {
        match &self.0.entry.kind {
            EntryKind::Payment(facts) => Some(facts),
            EntryKind::Funding | EntryKind::Request => None,
        }
    }

    fn refund(&self) -> Option<&RefundFacts> {
        self.payment().and_then(|facts| facts.refund.as_ref())
    }
}

#[graphql_object(context = Context)]
impl PaymentEntry {
    /// The payment's, refund's or payment request's id (the same id on both sides).
    fn id(&self) -> ID {
        self.0.entry.id.clone().into()
    }

    #[graphql(name = "type")]
    fn entry_type(&self) -> PaymentEntryType {
        self.0.entry.entry_type
    }

    fn sub_amount(&self) -> f64 {
        self.0.entry.amounts.sub.to_major_f64()
    }

    fn total_amount(&self) -> f64 {
        self.0.entry.amounts.total.to_major_f64()
    }

    fn total_fee_amount(&self) -> f64 {
        self.0.entry.amounts.fee.to_major_f64()
    }

    fn description(&self) -> Option<&str> {
        self.0.entry.description.as_deref()
    }

    /// Human-readable expected arrival, e.g. "Jun 19, 2020"; null when not applicable.
    fn estimated_arrival(&self) -> Option<String> {
        self.payment().and_then(|facts| facts.estimated_arrival).map(estimated_arrival_text)
    }

    fn value_date(&self) -> DateTime {
        DateTime::of_date(self.0.entry.value_date)
    }

    fn created_at(&self) -> DateTime {
        DateTime(self.0.entry.created_at)
    }

    /// The payer's email message (payments, requests) or the refund message (refunds).
    fn message(&self) -> Option<&str> {
        self.0.entry.message.as_deref()
    }

    /// The other side.
    fn contact(&self) -> Option<Contact> {
        self.0.entry.counterparty.as_ref().map(|counterparty| Contact {
            email: counterparty.email.clone(),
            account: self.0.counterparty_account.clone(),
            last_activity_at: None,
        })
    }

    fn status(&self) -> PaymentEntryStatus {
        self.0.entry.status
    }

    /// Currency of the amounts above.
    fn currency(&self) -> Currency {
        self.0.entry.amounts.total.currency()
    }

    /// Refund entries only.
    fn reason(&self) -> Option<RefundReason> {
        self.refund().map(|refund| refund.reason)
    }

    /// Refund entries only.
    fn refund_type(&self) -> Option<RefundType> {
        self.refund().map(|refund| refund.refund_type)
    }

    /// How the payer funded it: "BANK_ACCOUNT" or "FUNDING_BALANCE"; null for requests.
    fn payment_method(&self) -> Option<&'static str> {
        self.payment().map(|facts| match facts.payment_method {
            FundingKind::BankAccount => "BANK_ACCOUNT",
            FundingKind::FundingBalance => "FUNDING_BALANCE",
        })
    }

    /// Trade number of the FX trade or payout; null for requests.
    fn trade_number(&self) -> Option<&str> {
        self.payment().map(|facts| facts.trade_number.as_str())
    }

    /// What the payer saved against a typical bank (flows.md section 9, step 6), in this entry's currency: on
    /// CREATED_ entries the savingsAmount in P; on RECEIVED_ entries the same amount converted to B at the mid
    /// rate, rounded half-even; null for LOCAL payments, refunds, requests and funding entries, and when there
    /// were no savings.
    fn savings_amount(&self) -> Option<f64> {
        self.payment().and_then(|facts| facts.savings).map(kernel::Money::to_major_f64)
    }

    /// MAKE_PAYMENT for payments, REFUND for refunds; null for requests and funding entries.
    fn session_type(&self) -> Option<PaymentSessionType> {
        self.payment().map(|facts| match facts.refund {
            Some(_) => PaymentSessionType::Refund,
            None => PaymentSessionType::MakePayment,
        })
    }

    /// Refund entries only: the payment that was refunded.
    fn original_payment(&self) -> Option<OriginalPayment> {
        self.refund().map(|refund| OriginalPayment(refund.original.clone()))
    }

    /// Payment entries: the refunds made against it, oldest first (empty if none or not a payment).
    fn refunds(&self) -> Vec<RefundDisplayData> {
        self.payment().map(|facts| facts.refunds.iter().cloned().map(RefundDisplayData).collect()).unwrap_or_default()
    }

    /// Request entries only: the link to the payment-request page.
    fn payment_request_link(&self, ctx: &Context) -> Option<String> {
        let is_request = matches!(
            self.0.entry.entry_type,
            PaymentEntryType::CreatedPaymentRequest | PaymentEntryType::ReceivedPaymentRequest
        );
        let urls = ctx.services.get::<PublicUrls>().ok()?;
        is_request.then(|| urls.payment_request(&self.0.entry.id))
    }

    /// Payment entries: true when no further refund can be started (nothing left, 90 days passed, 5 refunds or
    /// 10 attempts; flows.md); false otherwise.
    fn refund_limit_reached(&self) -> bool {
        self.payment().is_some_and(|facts| facts.refund_limit_reached)
    }
}

/// The contract's `PaymentActivityPage`.
#[derive(Debug)]
pub struct PaymentActivityPage(pub ActivityPage);

#[graphql_object(context = Context)]
impl PaymentActivityPage {
    fn entries(&self) -> Vec<PaymentEntry> {
        self.0.entries.iter().cloned().map(PaymentEntry).collect()
    }

    /// Pass as `after` for the next page; null on the last page.
    fn next_cursor(&self) -> Option<&str> {
        self.0.next_cursor.as_deref()
    }
}
