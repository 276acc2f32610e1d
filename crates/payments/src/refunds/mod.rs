//! The payments side of refunds (flows.md section 10). A refund is a row of `payments` (kind REFUND) so that
//! settlement, the ledger and the activity treat it as the payment it is, the refunding account paying; what
//! only a refund has (its original payment, reason and type) is in `refunds`, and the attempts counted on a
//! payment in `refund_attempts`.
//!
//! The refund session itself belongs to the refunds crate; this module gives it the facts of a refundable
//! payment ([`refundable`], [`RefundLimits`]), counts attempts ([`count_attempt`]), prices a refund with a
//! recorded quote ([`quote_refund`]), tells what the refunding payer must do first ([`refund_action_required`]),
//! makes the refund at submit ([`open_refund`]) and keeps a submit's first answer ([`keep_first_answer`]).

mod attempt;
mod notice;
mod open;
mod pricing;
mod refundable;

pub use crate::session::{KeptAnswer, KeptPricing, keep_first_answer, kept_first_answer};
pub use attempt::count_attempt;
pub use notice::refund_processing_email;
pub use open::{NewRefund, OpenedRefund, open_refund};
pub use pricing::{quote_refund, refund_action_required, refund_quote};
pub use refundable::{RefundLimits, RefundReason, RefundType, Refundable, refund_limit_reached, refundable};
