//! Refunds (flows.md section 10): the refund a login session prepares against a payment its account received,
//! and its submission.
//!
//! [`create_refund_session`] checks that the payment can still be refunded and opens the session;
//! [`update_refund_session`] defines and prices it (one refund attempt counted on the payment), or answers
//! what the payer must do first; [`refund_session`] shows it; [`clear_refund_session`] throws it away; and
//! [`submit_refund_session`] re-checks everything under the original payment's lock and makes the refund
//! through the payments domain, which settles and posts it as a payment. Refusals are [`RefundsError`]; the
//! limits and lifetimes are [`RefundsConfig`]. Behind the `graphql` feature, the five operations ([`graphql`]).

mod config;
mod error;
#[cfg(feature = "graphql")]
pub mod graphql;
mod session;

pub use config::RefundsConfig;
pub use error::RefundsError;
pub use session::{
    RefundDefinitionInput, RefundReview, RefundSessionView, SubmittedRefund, clear_refund_session,
    create_refund_session, refund_session, submit_refund_session, update_refund_session,
};
