//! Refund attempts (flows.md section 10): each priced updateRefundSession counts one on the payment.

use diesel::prelude::*;
use store::schema::refund_attempts;
use store::{DbError, Tx};

/// Counts one refund attempt on `payment_id` unless it already has `max_attempts`; answers whether it was
/// counted. The caller holds the payment's row lock; the update is guarded as well, so the count can never
/// pass the limit however the callers interleave.
pub fn count_attempt(tx: &mut Tx<'_>, payment_id: &str, max_attempts: u32) -> Result<bool, DbError> {
    let max = i32::try_from(max_attempts).unwrap_or(i32::MAX);
    let counted = diesel::update(refund_attempts::table.find(payment_id).filter(refund_attempts::attempts.lt(max)))
        .set(refund_attempts::attempts.eq(refund_attempts::attempts + 1))
        .execute(tx.conn())?;
    if counted > 0 {
        return Ok(true);
    }
    let exists: i64 = refund_attempts::table.find(payment_id).count().get_result(tx.conn())?;
    if exists > 0 || max < 1 {
        return Ok(false);
    }
    diesel::insert_into(refund_attempts::table)
        .values((refund_attempts::payment_id.eq(payment_id), refund_attempts::attempts.eq(1)))
        .execute(tx.conn())?;
    Ok(true)
}
