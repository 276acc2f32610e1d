//! Payment requests (flows.md section 8, "Payment requests"): a request for money addressed to an email
//! ([`request_payment`]) or made on a business's pay-me page ([`generate_pay_me_request`]); the public view
//! anyone holding its id may read ([`payment_request_by_id`]) and the addressee's inbox
//! ([`requested_payments`]); resending its email, declining it, and starting a payment session that pays it.
//!
//! The lifecycle is driven from elsewhere through [`take_for_payment`] (submit), [`payment_ended`]
//! (settlement) and [`cancel_for_account`] (a closing requester), each inside the caller's transaction.

mod decline;
mod emails;
mod lifecycle;
mod make;
mod pay;
mod people;
mod read;
mod record;
mod resend;
mod waiting;

pub use decline::decline_payment_request;
pub use lifecycle::{cancel_for_account, payment_ended, requested_amount, take_for_payment};
pub use make::{NewPayMeRequest, NewPaymentRequest, generate_pay_me_request, request_payment};
pub use pay::create_payment_for_request_session;
pub(crate) use people::{account_email, person_email};
pub use read::{PaymentRequest, PublicPaymentRequest, payment_request_by_id, requested_payments};
pub use record::PaymentRequestStatus;
pub(crate) use record::StoredRequest;
pub use resend::resend_payment_request;
pub use waiting::HeldForAddress;
