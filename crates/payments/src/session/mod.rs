//! The payment session (flows.md section 6): the payment a login session is preparing, kept server-side and
//! found by the login session's key.

mod clear;
mod create;
mod record;

pub use clear::clear_payment_session;
pub use create::{NewPaymentSession, create_payment_session};
pub use record::{FundingKind, NamedBy};
