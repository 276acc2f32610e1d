//! requestPayment and generatePayMeRequest: a new payment request, addressed to an email or made on a
//! business's pay-me page.

use accounts::{AccountType, PayeeByEmail, payee, payee_by_email, payee_by_slug};
use chrono::{NaiveDate, TimeDelta};
use kernel::{AccountStatus, Clock, Currency, Email, FxRates, Money, PublicUrls, SessionIdentity, with_transaction};

use super::emails;
use super::people::{account_name, person_email};
use super::read::PaymentRequest;
use super::record::{PaymentRequestStatus, StoredRequest, insert};
use crate::PaymentsError;

/// Longest description, in characters (I-4744).
const DESCRIPTION_MAX: usize = 140;
/// Longest message to the addressee, in characters (I-4745).
const MESSAGE_MAX: usize = 500;
/// Furthest value date, in days after today (I-4739).
const VALUE_DATE_MAX_DAYS: i64 = 365;

/// requestPayment's input, as the client sent it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPaymentRequest {
    pub to_email: String,
    pub amount: f64,
    pub currency: Currency,
    pub value_date: kernel::DateTime,
    pub description: String,
    pub email_message: Option<String>,
}

/// generatePayMeRequest's input, as the visitor sent it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPayMeRequest {
    pub slug: String,
    pub amount: f64,
    pub description: Option<String>,
}

/// requestPayment rule 8, as updatePaymentSession's value date: a plain date, from today to a year ahead.
fn charge_date(value: &kernel::DateTime, today: NaiveDate) -> Result<NaiveDate, PaymentsError> {
    let date = value.date_only().ok_or(PaymentsError::InvalidDate)?;
    if date < today {
        return Err(PaymentsError::DateInPast);
    }
    if date > today + TimeDelta::days(VALUE_DATE_MAX_DAYS) {
        return Err(PaymentsError::DateTooFar);
    }
    Ok(date)
}

/// A description trimmed, of 1 to 140 characters (I-4744).
fn description(text: &str) -> Result<String, PaymentsError> {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed.chars().count() > DESCRIPTION_MAX {
        return Err(PaymentsError::InvalidDescription);
    }
    Ok(trimmed.to_owned())
}

/// requestPayment, its rules in the page's order under the requester account's row lock; the request and its
/// one email (`payment_request` when a login has the address, else `invited_register`) in one transaction.
pub async fn request_payment(
    pool: &store::Pool,
    clock: &dyn Clock,
    (rates, urls): (&FxRates, &PublicUrls),
    current: &SessionIdentity,
    new: NewPaymentRequest,
) -> Result<PaymentRequest, PaymentsError> {
    let now = clock.now();
    let (rates, urls, current) = (rates.clone(), urls.clone(), current.clone());
    with_transaction(pool, move |tx| {
        let status = kernel::locked_account_status(tx, &current.account_id)?.ok_or(PaymentsError::SessionGone)?;
        if status.is_closed() {
            return Err(PaymentsError::AccountDisabled);
        }
        let to = Email::parse(&new.to_email).ok_or(PaymentsError::InvalidEmail)?;
        let own = person_email(tx.conn(), &current.person_id)?.ok_or(PaymentsError::SessionGone)?;
        if own == to.as_str() {
            return Err(PaymentsError::RequestFromSelf);
        }
        let has_login = match payee_by_email(tx.conn(), &to)? {
            PayeeByEmail::Open(_) => true,
            PayeeByEmail::Closed => return Err(PaymentsError::EmailCannotReceiveRequests),
            PayeeByEmail::NoLogin => false,
        };
        if !rates.carries_amounts(new.currency) {
            return Err(PaymentsError::CurrencyNotSupported(new.currency));
        }
        let requester = payee(tx.conn(), &current.account_id)?.ok_or(PaymentsError::SessionGone)?;
        if new.currency != requester.currency {
            return Err(PaymentsError::RequestCurrency);
        }
        let amount = Money::from_major_positive(new.amount, new.currency, &rates)?;
        let charge_date = charge_date(&new.value_date, now.date_naive())?;
        let description = description(&new.description)?;
        let email_message = new.email_message.map(|text| text.trim().to_owned()).filter(|text| !text.is_empty());
        if email_message.as_ref().is_some_and(|text| text.chars().count() > MESSAGE_MAX) {
            return Err(PaymentsError::MessageTooLong);
        }
        let request = StoredRequest {
            id: kernel::new_id(),
            requester_account_id: current.account_id.clone(),
            addressee_email: Some(to.as_str().to_owned()),
            currency: amount.currency(),
            amount: amount.minor_units(),
            description: Some(description),
            email_message,
            charge_date: kernel::DateTime::of_date(charge_date).0.naive_utc(),
            status: PaymentRequestStatus::Requested,
            resends: 0,
            payment_id: None,
            declined_by_account_id: None,
            created_at: now.naive_utc(),
            updated_at: now.naive_utc(),
        };
        insert(tx.conn(), &request)?;
        let name = account_name(tx.conn(), &current.account_id)?;
        let email = if has_login {
            emails::payment_request(to, &name, &request, &urls)?
        } else {
            emails::invited_register(to, &name, &request, &urls)?
        };
        mail::queue(tx, &email, now)?;
        PaymentRequest::of(&request, &urls)
    })
    .await
}

/// generatePayMeRequest, its rules in the page's order: a request in the name of the open business holding the
/// handle, for the visitor's amount in the business's currency, dated today. Answers its id.
pub async fn generate_pay_me_request(
    pool: &store::Pool,
    clock: &dyn Clock,
    rates: &FxRates,
    new: NewPayMeRequest,
) -> Result<String, PaymentsError> {
    let now = clock.now();
    let rates = rates.clone();
    with_transaction(pool, move |tx| {
        let business = payee_by_slug(tx.conn(), new.slug.trim())?
            .filter(|found| !matches!(found.status, AccountStatus::Deactivated | AccountStatus::Disabled))
            .ok_or(PaymentsError::HandleNotInUse)?;
        if business.account_type == AccountType::Personal {
            return Err(PaymentsError::PayMeToPersonal);
        }
        let amount = Money::from_major_positive(new.amount, business.currency, &rates)?;
        let description = match new.description.as_deref().map(str::trim).filter(|text| !text.is_empty()) {
            Some(text) => Some(description(text)?),
            None => None,
        };
        let request = StoredRequest {
            id: kernel::new_id(),
            requester_account_id: business.account_id,
            addressee_email: None,
            currency: amount.currency(),
            amount: amount.minor_units(),
            description,
            email_message: None,
            charge_date: kernel::DateTime::of_date(now.date_naive()).0.naive_utc(),
            status: PaymentRequestStatus::Requested,
            resends: 0,
            payment_id: None,
            declined_by_account_id: None,
            created_at: now.naive_utc(),
            updated_at: now.naive_utc(),
        };
        insert(tx.conn(), &request)?;
        Ok(request.id)
    })
    .await
}
