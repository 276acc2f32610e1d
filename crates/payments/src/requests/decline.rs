//! declinePaymentRequest: the addressee refuses a request, for good.

use kernel::{Clock, Email, SessionIdentity, with_transaction};
use store::Pool;

use super::emails;
use super::people::{account_email, account_name, person_email};
use super::record::{PaymentRequestStatus, locked, set_status};
use crate::PaymentsError;

/// declinePaymentRequest, its rules in the page's order, under the request's row lock (a decline and a submitted
/// payment of the same request cannot both succeed): a REQUESTED request addressed to the caller's login email
/// becomes DECLINED, with the declining account, and the requester's `payment_request_declined` email is queued.
pub async fn decline_payment_request(
    pool: &Pool,
    clock: &dyn Clock,
    current: &SessionIdentity,
    request_id: &str,
) -> Result<(), PaymentsError> {
    let now = clock.now();
    let (current, id) = (current.clone(), request_id.to_owned());
    with_transaction(pool, move |tx| {
        let request = locked(tx, &id)?.ok_or(PaymentsError::PaymentRequestInaccessible)?;
        let own = person_email(tx.conn(), &current.person_id)?.ok_or(PaymentsError::SessionGone)?;
        if request.addressee_email.as_deref() != Some(own.as_str()) || request.status != PaymentRequestStatus::Requested
        {
            return Err(PaymentsError::DeclineNotAllowed);
        }
        set_status(tx.conn(), &id, PaymentRequestStatus::Declined, (None, Some(&current.account_id)), now.naive_utc())?;
        let requester = account_email(tx.conn(), &request.requester_account_id)?.and_then(|email| Email::parse(&email));
        if let Some(to) = requester {
            let decliner = account_name(tx.conn(), &current.account_id)?;
            mail::queue(tx, &emails::declined(to, &decliner, &request)?, now)?;
        }
        Ok(())
    })
    .await
}
