//! resendPaymentRequest: the `payment_request` email again, counted under the request's lock.

use diesel::prelude::*;
use kernel::{Clock, Email, PublicUrls, SessionIdentity, with_transaction};
use store::Pool;
use store::schema::payment_requests;

use super::emails;
use super::people::account_name;
use super::record::{PaymentRequestStatus, locked};
use crate::{PaymentsConfig, PaymentsError};

/// resendPaymentRequest, its rules in the page's order: one of the current account's own open requests to an
/// email, resent fewer than `PAYMENT_REQUEST_MAX_RESENDS` times. The count and the queued email are one
/// transaction, under the request's row lock, so concurrent resends count exactly.
pub async fn resend_payment_request(
    pool: &Pool,
    clock: &dyn Clock,
    (config, urls): (&PaymentsConfig, &PublicUrls),
    current: &SessionIdentity,
    request_id: &str,
) -> Result<(), PaymentsError> {
    let now = clock.now();
    let (max_resends, urls, current, id) =
        (config.payment_request_max_resends, urls.clone(), current.clone(), request_id.to_owned());
    with_transaction(pool, move |tx| {
        // Another account's request answers as an unknown one.
        let request = locked(tx, &id)?
            .filter(|request| request.requester_account_id == current.account_id)
            .ok_or(PaymentsError::PaymentRequestInaccessible)?;
        let addressee = request.addressee_email.as_deref().ok_or(PaymentsError::RequestHasNoRecipient)?;
        if request.status != PaymentRequestStatus::Requested {
            return Err(PaymentsError::RequestNotOpen);
        }
        if i64::from(request.resends) >= i64::from(max_resends) {
            return Err(PaymentsError::RequestResentTooOften);
        }
        let to = Email::parse(addressee).ok_or_else(|| anyhow::anyhow!("a stored addressee is not an email"))?;
        diesel::update(payment_requests::table.find(&id))
            .set(payment_requests::resends.eq(payment_requests::resends + 1))
            .execute(tx.conn())?;
        let name = account_name(tx.conn(), &current.account_id)?;
        let email = emails::payment_request(to, &name, &request, &urls)?;
        mail::queue(tx, &email, now)?;
        Ok(())
    })
    .await
}
