//! The request's lifecycle as payments and accounts drive it (flows.md section 8): REQUESTED → PROCESSING when
//! a payment for it is submitted, → COMPLETE with that payment or back to REQUESTED when it ends otherwise,
//! CANCELED when the requesting account closes. Each runs inside the caller's transaction.

use diesel::prelude::*;
use kernel::{AccountId, AccountStatus};
use store::Tx;
use store::schema::payment_requests;

use super::people::account_email;
use super::record::{PaymentRequestStatus, locked, set_status};
use crate::{PaymentEntryStatus, PaymentsError};

/// At submit, under the request's row lock: the request `request_id` is still REQUESTED and may be paid by
/// `payer_account` (not the requester's own person; when addressed, an account of the addressee's login), and
/// becomes PROCESSING with `payment_id`. Otherwise I-4711, and the caller's transaction must roll back. Two
/// submits for one request thus give one payment: the second finds it PROCESSING.
///
/// The payment row may be inserted before or after this call in the same transaction (the reference from the
/// request to the payment is checked at commit).
pub fn take_for_payment(
    tx: &mut Tx<'_>,
    request_id: &str,
    payer_account: &AccountId,
    payment_id: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), PaymentsError> {
    let request = locked(tx, request_id)?.ok_or(PaymentsError::RequestNotValid)?;
    if request.status != PaymentRequestStatus::Requested {
        return Err(PaymentsError::RequestNotValid);
    }
    let payer_email = account_email(tx.conn(), payer_account)?.ok_or(PaymentsError::RequestNotValid)?;
    let requester_email = account_email(tx.conn(), &request.requester_account_id)?;
    let addressed_elsewhere = request.addressee_email.as_ref().is_some_and(|to| to != &payer_email);
    if addressed_elsewhere || requester_email.as_deref() == Some(payer_email.as_str()) {
        return Err(PaymentsError::RequestNotValid);
    }
    set_status(tx.conn(), request_id, PaymentRequestStatus::Processing, (Some(payment_id), None), now.naive_utc())?;
    Ok(())
}

/// When the payment `payment_id` enters `status`: the request it pays, if any, becomes COMPLETE with it
/// (COMPLETE), or open again (DECLINED, CANCELED, FAILED, RETURNED) — CANCELED instead when its requesting
/// account has closed in the meantime. Other statuses change nothing. Answers the request's id and new status
/// when one changed.
pub fn payment_ended(
    tx: &mut Tx<'_>,
    payment_id: &str,
    status: PaymentEntryStatus,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<(String, PaymentRequestStatus)>, PaymentsError> {
    let id: Option<String> = payment_requests::table
        .filter(payment_requests::payment_id.eq(payment_id))
        .select(payment_requests::id)
        .first(tx.conn())
        .optional()?;
    let Some(id) = id else { return Ok(None) };
    let Some(request) = locked(tx, &id)? else { return Ok(None) };
    if request.status != PaymentRequestStatus::Processing {
        return Ok(None);
    }
    let next = if status == PaymentEntryStatus::Complete {
        set_status(tx.conn(), &id, PaymentRequestStatus::Complete, (Some(payment_id), None), now.naive_utc())?;
        PaymentRequestStatus::Complete
    } else if status.is_given_back() {
        let requester = kernel::locked_account_status(tx, &request.requester_account_id)?;
        let reopened = match requester {
            Some(AccountStatus::Deactivated | AccountStatus::Disabled) | None => PaymentRequestStatus::Canceled,
            Some(_) => PaymentRequestStatus::Requested,
        };
        set_status(tx.conn(), &id, reopened, (None, None), now.naive_utc())?;
        reopened
    } else {
        return Ok(None);
    };
    Ok(Some((id, next)))
}

/// When the account `account_id` becomes DEACTIVATED or DISABLED: its open (REQUESTED) requests become
/// CANCELED and leave every inbox. A request whose payment is under way is left to that payment
/// ([`payment_ended`] cancels it should the payment not complete). Answers how many were cancelled.
pub fn cancel_for_account(
    tx: &mut Tx<'_>,
    account_id: &AccountId,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<usize, PaymentsError> {
    Ok(diesel::update(
        payment_requests::table
            .filter(payment_requests::requester_account_id.eq(account_id))
            .filter(payment_requests::status.eq(PaymentRequestStatus::Requested)),
    )
    .set((
        payment_requests::status.eq(PaymentRequestStatus::Canceled),
        payment_requests::updated_at.eq(now.naive_utc()),
    ))
    .execute(tx.conn())?)
}

/// What updatePaymentSession fixes for a payment session that pays the request `request_id`: the request's
/// amount in its currency, which the definition's amount must equal (basis BENEFICIARY, else I-4749); `None`
/// when there is no such request.
pub fn requested_amount(
    conn: &mut store::DbConnection,
    request_id: &str,
) -> Result<Option<kernel::Money>, PaymentsError> {
    super::record::find(conn, request_id)?.map(|request| request.money()).transpose()
}
