//! Payment activity: the current account's entries (paymentActivity, paymentActivityById) and the
//! counterparties it has dealt with (contacts), computed when read from the stored payments.
//!
//! Entries come from sources, one per kind of entry: payments (CREATED_PAYMENT for the payer, RECEIVED_PAYMENT
//! for the beneficiary, one id), funding movements (CREATED_FUNDING_PAYMENT) and payment requests
//! (CREATED_PAYMENT_REQUEST, RECEIVED_PAYMENT_REQUEST). Refunds join as a source of their own, with their
//! variant of [`EntryKind`].

mod contacts;
mod cursor;
mod entry;
mod error;
mod filter;
mod funding;
mod page;
mod payments;
mod requests;
mod source;

pub use contacts::{Contact, contacts};
pub use entry::{
    Counterparty, EntryKind, OriginalPaymentFacts, PaymentEntry, PaymentEntryType, PaymentFacts, RefundFacts,
    RefundMade, estimated_arrival_text,
};
pub use error::ActivityError;
pub use filter::{ActivityFilter, ActivityRequest, DEFAULT_FIRST, MAX_FIRST};
pub use page::{ActivityPage, ListedEntry, payment_activity, payment_activity_by_id};
pub use source::Reading;

pub(crate) use page::find_entry;
