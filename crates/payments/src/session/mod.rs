//! The payment session (flows.md section 6): the payment a login session is preparing, kept server-side and
//! found by the login session's key.

mod clear;
mod create;
mod define;
mod idempotency;
mod quote;
mod read;
mod readiness;
mod record;
mod submit;

pub use clear::clear_payment_session;
pub use create::{NewPaymentSession, create_payment_session};
pub(crate) use create::{RequestToPay, start_request_session};
pub use define::Definition;
pub use define::{PaymentDefinitionInput, Pricing, PricingOutcome, update_payment_session, update_quote};
pub use idempotency::{KeptAnswer, KeptPricing, keep_first_answer, kept_first_answer};
pub use quote::QuotedAmounts;
pub(crate) use quote::take_quote;
pub(crate) use read::stored_quote;
pub use read::{PaymentSessionView, Quote, Review, payment_session};
pub(crate) use readiness::action_required_for;
pub use readiness::{ActionRequired, BalanceRefresh, DataNeeded};
pub use record::{FundingKind, NamedBy};
pub(crate) use submit::side;
pub use submit::{PaymentSide, SubmittedPayment, submit_payment_session};
