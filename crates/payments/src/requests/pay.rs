//! createPaymentForRequestSession: a payment session that pays a payment request.

use accounts::AccountsConfig;
use kernel::{Clock, SessionIdentity, with_transaction};
use store::Pool;

use super::people::person_email;
use super::record::{PaymentRequestStatus, find};
use crate::session::{RequestToPay, start_request_session};
use crate::{ActionRequired, PaymentsConfig, PaymentsError};

/// createPaymentForRequestSession, its rules in the page's order under the payer account's row lock: a
/// MAKE_PAYMENT session (`make_payment`) for an open request that is not the caller's own and, when addressed,
/// is addressed to the caller's login email. The login session's payment session is replaced by one to the
/// requester for the request's amount (basis BENEFICIARY); answers what the payer must still complete, if
/// anything. The request itself is not changed: submit moves it on.
pub async fn create_payment_for_request_session(
    pool: &Pool,
    clock: &dyn Clock,
    (config, accounts): (&PaymentsConfig, &AccountsConfig),
    (current, session_key): (&SessionIdentity, &str),
    request_id: &str,
    make_payment: bool,
) -> Result<Option<ActionRequired>, PaymentsError> {
    let now = clock.now();
    let (config, accounts, current, session_key, id) =
        (config.clone(), accounts.clone(), current.clone(), session_key.to_owned(), request_id.to_owned());
    with_transaction(pool, move |tx| {
        let status = kernel::locked_account_status(tx, &current.account_id)?.ok_or(PaymentsError::SessionGone)?;
        if status.is_closed() {
            return Err(PaymentsError::AccountDisabled);
        }
        if !make_payment {
            return Err(PaymentsError::RequestNeedsPaymentSession);
        }
        let request = find(tx.conn(), &id)?.ok_or(PaymentsError::PaymentRequestInaccessible)?;
        let requester = accounts::payee(tx.conn(), &request.requester_account_id)?
            .ok_or(PaymentsError::PaymentRequestInaccessible)?;
        if requester.person_id == current.person_id {
            return Err(PaymentsError::PayOwnRequest);
        }
        if let Some(addressee) = &request.addressee_email {
            let own = person_email(tx.conn(), &current.person_id)?.ok_or(PaymentsError::SessionGone)?;
            if &own != addressee {
                return Err(PaymentsError::RequestForSomeoneElse);
            }
        }
        if request.status != PaymentRequestStatus::Requested {
            return Err(PaymentsError::RequestNotOpen);
        }
        let to_pay = RequestToPay { amount: request.money()?, id: request.id, requester: request.requester_account_id };
        start_request_session(tx, (&config, &accounts), &current, &session_key, to_pay, now)
    })
    .await
}
