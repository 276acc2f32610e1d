//! Payments: what a payment costs and delivers.
//!
//! Holds now the first slice of the Payments issue, pure and without storage: the customer and mid rates and
//! their margins ([`Rate`], [`MidRate`], [`BasisPoints`], [`PricingConfig`]), the fee schedule ([`FeeSchedule`],
//! `data/fees.csv`), and the money arithmetic of flows.md section 9 ([`price_payment`], [`price_refund`]) that
//! turns a [`PaymentDefinition`] into both sides of a payment ([`PaymentAmounts`]) or refuses it
//! ([`PricingError`]).
//!
//! The double-entry ledger of flows.md section 11 ([`ledger`]) records, in table `ledger_postings`, the posting set
//! of every step that moves money and checks the books against the payments' facts.
//!
//! The rest of the Payments issue builds on it: payment and refund sessions, quotes, submission and the entry
//! statuses, settlement, and behind the `graphql` feature the GraphQL objects.

mod arithmetic;
mod basis_points;
mod config;
mod error;
mod fees;
pub mod ledger;
mod rates;
pub mod trade_confirmation;

pub use arithmetic::{PaymentAmounts, PaymentDefinition, PaymentType, QuoteBasis, price_payment, price_refund};
pub use basis_points::{BasisPoints, BasisPointsOutOfRange};
pub use config::PricingConfig;
pub use error::PricingError;
pub use fees::FeeSchedule;
pub use rates::{MidRate, Rate, RateError};
pub use trade_confirmation::{TradeConfirmation, TradeParty};
