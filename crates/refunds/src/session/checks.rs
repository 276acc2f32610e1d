//! The checks createRefundSession makes and submitRefundSession makes again, on the original payment under its
//! row lock.

use kernel::{AccountId, AccountStatus};
use payments::PaymentEntryStatus;
use payments::refunds::{Refundable, refundable};
use store::Tx;

use crate::{RefundsConfig, RefundsError};

/// Locks the payment `payment_id` and reads it as `account` may refund it; a payment `account` did not
/// receive is I-4726.
pub(crate) fn locked_refundable(
    tx: &mut Tx<'_>,
    account: &AccountId,
    payment_id: &str,
) -> Result<Refundable, RefundsError> {
    tx.lock_rows::<store::schema::payments::table>(&[payment_id])?;
    refundable(tx.conn(), account, payment_id)?.ok_or(RefundsError::NotRefundable)
}

/// The original payer's account can be paid: neither DEACTIVATED nor DISABLED (I-4727).
pub(crate) fn recipient_open(payment: &Refundable) -> Result<(), RefundsError> {
    if matches!(payment.original_payer_status, AccountStatus::Deactivated | AccountStatus::Disabled) {
        return Err(RefundsError::RecipientClosed);
    }
    Ok(())
}

/// createRefundSession rules 4 to 9, in the page's order (flows.md section 10's table).
pub(crate) fn may_start(
    payment: &Refundable,
    config: &RefundsConfig,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), RefundsError> {
    if payment.status != PaymentEntryStatus::Complete {
        return Err(RefundsError::NotComplete);
    }
    if !payment.within_window(&config.limits, now) {
        return Err(RefundsError::WindowExpired);
    }
    if !payment.remaining.is_positive() {
        return Err(RefundsError::AlreadyRefunded);
    }
    if payment.refunds >= config.limits.max_count {
        return Err(RefundsError::CountReached);
    }
    if payment.attempts >= config.limits.max_attempts {
        return Err(RefundsError::AttemptsExhausted);
    }
    recipient_open(payment)
}
