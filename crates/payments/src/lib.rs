//! Payments: what a payment costs and delivers, and the payment being prepared.
//!
//! The pricing, pure and without storage: the customer and mid rates and their margins ([`Rate`], [`MidRate`],
//! [`BasisPoints`], [`PricingConfig`]), the fee schedule ([`FeeSchedule`], `data/fees.csv`), and the money
//! arithmetic of flows.md section 9 ([`price_payment`], [`price_refund`]) that turns a [`PaymentDefinition`]
//! into both sides of a payment ([`PaymentAmounts`]) or refuses it ([`PricingError`]).
//!
//! The double-entry ledger of flows.md section 11 ([`ledger`]) records, in table `ledger_postings`, the posting
//! set of every step that moves money and checks the books against the payments' facts. A completed trade's
//! confirmation renders as a PDF ([`trade_confirmation`]).
//!
//! The payment session of flows.md section 6: [`create_payment_session`], [`update_payment_session`] (priced
//! with a quote, or [`ActionRequired`]), [`update_quote`] and [`clear_payment_session`], refused with
//! [`PaymentsError`]; the configuration is [`PaymentsConfig`]. Behind the `graphql` feature, the GraphQL
//! objects ([`graphql`]).
//!
//! Still to come with the rest of the Payments issue: reading the session, submission and the entry statuses,
//! settlement, activity and contacts.

mod arithmetic;
mod basis_points;
mod config;
mod error;
mod fees;
#[cfg(feature = "graphql")]
pub mod graphql;
pub mod ledger;
mod rates;
mod session;
mod statuses;
pub mod trade_confirmation;

pub use arithmetic::{PaymentAmounts, PaymentDefinition, PaymentType, QuoteBasis, price_payment, price_refund};
pub use basis_points::{BasisPoints, BasisPointsOutOfRange};
pub use config::{PaymentsConfig, PricingConfig, SettlementConfig};
pub use error::{PaymentsError, PricingError};
pub use fees::FeeSchedule;
pub use rates::{MidRate, Rate, RateError};
pub use session::{
    ActionRequired, BalanceRefresh, DataNeeded, Definition, FundingKind, NamedBy, NewPaymentSession,
    PaymentDefinitionInput, PaymentSessionView, PaymentSide, Pricing, PricingOutcome, Quote, QuotedAmounts, Review,
    SubmittedPayment, clear_payment_session, create_payment_session, payment_session, submit_payment_session,
    update_payment_session, update_quote,
};
pub use statuses::PaymentEntryStatus;
pub use trade_confirmation::{TradeConfirmation, TradeParty};
