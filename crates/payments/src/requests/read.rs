//! paymentRequestById and requestedPayments: the public view of a payment request, and the addressee's inbox.

use accounts::PublicAccount;
use chrono::NaiveDate;
use diesel::prelude::*;
use kernel::{Money, PublicUrls, SessionIdentity, with_connection};
use store::schema::payment_requests;
use store::{DbConnection, Pool};

use super::people::{account_email, person_email, redirect_url};
use super::record::{PaymentRequestStatus, StoredRequest, find};
use crate::PaymentsError;

/// A payment request as its requester sees it (the contract's `PrivatePaymentRequest`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRequest {
    pub id: String,
    pub status: PaymentRequestStatus,
    pub amount: Money,
    pub description: Option<String>,
    pub email_message: Option<String>,
    pub charge_date: NaiveDate,
    pub payment_link: String,
}

impl PaymentRequest {
    pub(crate) fn of(request: &StoredRequest, urls: &PublicUrls) -> Result<Self, PaymentsError> {
        Ok(Self {
            id: request.id.clone(),
            status: request.status,
            amount: request.money()?,
            description: request.description.clone(),
            email_message: request.email_message.clone(),
            charge_date: request.charge_date.date(),
            payment_link: urls.payment_request(&request.id),
        })
    }
}

/// A payment request as anyone holding its id sees it (the contract's `PublicPaymentRequest`): nothing private
/// to the requester (no message, no resends, no payment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicPaymentRequest {
    pub id: String,
    pub status: PaymentRequestStatus,
    pub amount: Money,
    pub description: Option<String>,
    /// The requesting account, when it has a handle to show.
    pub requester: Option<PublicAccount>,
    /// The requester's login email, for a request addressed to an email; `None` for a pay-me request.
    pub requester_email: Option<String>,
    pub charge_date: NaiveDate,
    /// The addressee's email; `None` for a pay-me request.
    pub requested_to: Option<String>,
    /// The requesting account's `redirectUrl`.
    pub redirect_url: Option<String>,
}

fn public_view(conn: &mut DbConnection, request: StoredRequest) -> Result<PublicPaymentRequest, PaymentsError> {
    let requester = accounts::public_account(conn, &request.requester_account_id)?;
    let requester_email = match request.addressee_email {
        Some(_) => account_email(conn, &request.requester_account_id)?,
        None => None,
    };
    let redirect_url = redirect_url(conn, &request.requester_account_id)?;
    Ok(PublicPaymentRequest {
        amount: request.money()?,
        id: request.id,
        status: request.status,
        description: request.description,
        requester,
        requester_email,
        charge_date: request.charge_date.date(),
        requested_to: request.addressee_email,
        redirect_url,
    })
}

/// paymentRequestById: the public view of the request `id`, whoever asks; any id that names no request
/// (malformed ones included) is refused I-4602.
pub async fn payment_request_by_id(pool: &Pool, id: &str) -> Result<PublicPaymentRequest, PaymentsError> {
    let id = id.to_owned();
    with_connection(pool, move |conn| {
        let request = find(conn, &id)?.ok_or(PaymentsError::PaymentRequestInaccessible)?;
        public_view(conn, request)
    })
    .await
}

/// requestedPayments: the REQUESTED requests addressed to the caller's login email, newest first (by creation
/// time, then id). Matched by the email at read time, so a login created after the request sees it too.
pub async fn requested_payments(
    pool: &Pool,
    current: &SessionIdentity,
) -> Result<Vec<PublicPaymentRequest>, PaymentsError> {
    let current = current.clone();
    with_connection(pool, move |conn| {
        let Some(email) = person_email(conn, &current.person_id)? else { return Ok(Vec::new()) };
        let open: Vec<StoredRequest> = payment_requests::table
            .filter(payment_requests::addressee_email.eq(&email))
            .filter(payment_requests::status.eq(PaymentRequestStatus::Requested))
            .order((payment_requests::created_at.desc(), payment_requests::id.desc()))
            .select(StoredRequest::as_select())
            .load(conn)?;
        open.into_iter().map(|request| public_view(conn, request)).collect()
    })
    .await
}
