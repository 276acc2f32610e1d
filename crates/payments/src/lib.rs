//! Payments: what a payment costs and delivers, and the payment being prepared.
//!
//! The pricing, pure and without storage: the customer and mid rates and their margins ([`Rate`], [`MidRate`],
//! [`BasisPoints`], [`PricingConfig`]), the fee schedule ([`FeeSchedule`], `data/fees.csv`), and the money
//! arithmetic of flows.md section 9 ([`price_payment`], [`price_refund`]) that turns a [`PaymentDefinition`]
//! into both sides of a payment ([`PaymentAmounts`]) or refuses it ([`PricingError`]).
//!
//! The double-entry ledger of flows.md section 11 ([`ledger`]) records, in table `ledger_postings`, the posting
//! set of every step that moves money and checks the books against the payments' facts. A completed trade's
//! confirmation renders as a PDF ([`trade_confirmation`]), read for either party of a completed international
//! payment ([`trade_confirmation_for_payment`]).
//!
//! What an account has done, read back: its payment activity and contacts ([`activity`]), refused with
//! [`ActivityError`].
//!
//! The payment session of flows.md section 6: [`create_payment_session`], [`update_payment_session`] (priced
//! with a quote, or [`ActionRequired`]), [`update_quote`] and [`clear_payment_session`], refused with
//! [`PaymentsError`]; the configuration is [`PaymentsConfig`]. Payment requests (flows.md section 8):
//! [`request_payment`], [`generate_pay_me_request`], [`payment_request_by_id`], [`requested_payments`],
//! [`resend_payment_request`], [`decline_payment_request`] and [`create_payment_for_request_session`], with the
//! lifecycle steps [`take_for_payment`], [`payment_ended`] and [`cancel_for_account`]. Behind the `graphql` feature, the GraphQL
//! objects ([`graphql`]).
//!
//! Settlement (flows.md section 8): the [`Settlement`] job moves every submitted payment through its steps by
//! the service clock, asking the [`FinancialProvider`] (the local one: [`LocalFinancialProvider`], made by
//! [`financial_provider`]) for each outcome, posting each step's set to the ledger and telling both accounts.
//! Funding balances are credited through funding entries ([`fund_account`], listed by [`funding_entries`]); the
//! operator commands [`Fund`] and [`CheckLedger`] (over [`check_whole_ledger`]) are the payments domain's.

pub mod activity;
mod arithmetic;
mod basis_points;
mod claims;
mod config;
mod error;
mod fees;
mod funding;
#[cfg(feature = "graphql")]
pub mod graphql;
pub mod ledger;
mod movement;
mod notices;
mod operator_commands;
pub mod provider;
mod rates;
pub mod refunds;
mod requests;
mod session;
mod settlement;
mod statuses;
pub mod trade_confirmation;

pub use activity::{ActivityError, contacts, payment_activity, payment_activity_by_id};
pub use arithmetic::{PaymentAmounts, PaymentDefinition, PaymentType, QuoteBasis, price_payment, price_refund};
pub use basis_points::{BasisPoints, BasisPointsOutOfRange};
pub use claims::ClaimPickUp;
pub use config::{PaymentsConfig, PricingConfig, SettlementConfig};
pub use error::{PaymentsError, PricingError};
pub use fees::FeeSchedule;
pub use funding::{FundingEntry, FundingRefusal, fund_account, funding_entries};
pub use operator_commands::{CheckLedger, Fund, check_whole_ledger};
pub use provider::{
    FinancialProvider, LocalFinancialProvider, LocalMarket, MarketQuote, QuoteError, financial_provider,
};
pub use rates::{MidRate, Rate, RateError};
pub use requests::{
    HeldForAddress, NewPayMeRequest, NewPaymentRequest, PaymentRequest, PaymentRequestStatus, PublicPaymentRequest,
    cancel_for_account, create_payment_for_request_session, decline_payment_request, generate_pay_me_request,
    payment_ended, payment_request_by_id, request_payment, requested_amount, requested_payments,
    resend_payment_request, take_for_payment,
};
pub use session::{
    ActionRequired, BalanceRefresh, DataNeeded, Definition, FundingKind, NamedBy, NewPaymentSession,
    PaymentDefinitionInput, PaymentSessionView, PaymentSide, Pricing, PricingOutcome, Quote, QuotedAmounts, Review,
    SubmittedPayment, clear_payment_session, create_payment_session, payment_session, submit_payment_session,
    update_payment_session, update_quote,
};
pub use settlement::Settlement;
pub use statuses::{PaymentEntryStatus, PaymentKind};
pub use trade_confirmation::{
    TradeConfirmation, TradeParty, trade_confirmation_document, trade_confirmation_for_payment,
};
