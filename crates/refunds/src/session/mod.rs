//! The refund session (flows.md section 10): at most one per login session, found by the login session's key,
//! independent of the payment session.

mod checks;
mod clear;
mod create;
mod read;
mod record;
mod submit;
mod update;

pub use clear::clear_refund_session;
pub use create::create_refund_session;
pub use read::{RefundReview, RefundSessionView, refund_session};
pub use submit::{SubmittedRefund, submit_refund_session};
pub use update::{RefundDefinitionInput, update_refund_session};
