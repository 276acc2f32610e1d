//! What a payment tells its parties (providers.md sections 7 and 8): the emails `payment_sent`,
//! `payment_received` and `payment_problem`, and the claims of `payment.status_changed`. Each is queued inside
//! the transaction of the change it reports.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::dsl::{exists, not};
use diesel::prelude::*;
use kernel::{AccountId, Email, Money, PublicUrls};
use mail::OutgoingEmail;
use serde_json::{Map, Value, json};
use store::schema::{accounts, logins, webhooks};
use store::{DbConnection, DbError};

use ::accounts::Payee;

use crate::PaymentEntryStatus;
use crate::activity::PaymentEntryType;

/// The login email of the account's owner, where emails about the account go; `None` when it has none that
/// parses (it always has one).
pub(crate) fn owner_email(conn: &mut DbConnection, account_id: &AccountId) -> Result<Option<Email>, DbError> {
    let email: Option<String> = accounts::table
        .inner_join(logins::table.on(logins::person_id.eq(accounts::person_id)))
        .filter(accounts::id.eq(account_id))
        .select(logins::email)
        .first(conn)
        .optional()?;
    Ok(email.as_deref().and_then(Email::parse))
}

/// The owner's login email for a payment the account received, unless it has an active webhook: it is then
/// told by events, not by email.
pub(crate) fn email_unless_webhook(conn: &mut DbConnection, account_id: &AccountId) -> Result<Option<Email>, DbError> {
    let active_webhook =
        webhooks::table.filter(webhooks::account_id.eq(accounts::id)).filter(webhooks::active.eq(true));
    let email: Option<String> = accounts::table
        .inner_join(logins::table.on(logins::person_id.eq(accounts::person_id)))
        .filter(accounts::id.eq(account_id))
        .filter(not(exists(active_webhook)))
        .select(logins::email)
        .first(conn)
        .optional()?;
    Ok(email.as_deref().and_then(Email::parse))
}

/// An amount as emails show it: `35.00 CAD`.
fn shown(money: Money) -> String {
    format!("{} {}", money.to_decimal(), money.currency())
}

/// A JSON number of an amount in major units, as webhook payloads carry amounts.
pub(crate) fn major(money: Money) -> Value {
    serde_json::Number::from_f64(money.to_major_f64()).map_or(Value::Null, Value::Number)
}

/// `estimatedArrival`'s form: `Jun 19, 2020`.
pub(crate) fn arrival_date(date: NaiveDate) -> String {
    date.format("%b %-d, %Y").to_string()
}

fn email(to: Email, template: &str, subject: String, text: String) -> OutgoingEmail {
    let html = format!("<p>{}</p>", html_escape::encode_text(&text).replace("\n\n", "</p><p>").replace('\n', "<br>"));
    OutgoingEmail { to, template: template.to_owned(), subject, text, html, links: Vec::new() }
}

/// One side of a payment as the emails to that side describe it.
pub(crate) struct SideAmounts {
    pub sub: Money,
    pub fee: Money,
    pub total: Money,
}

/// `payment_sent`, to the payer: amounts, trade number, estimated arrival.
pub(crate) fn payment_sent(
    to: Email,
    payer: &SideAmounts,
    beneficiary_total: Money,
    trade_number: &str,
    estimated_arrival: NaiveDate,
) -> OutgoingEmail {
    let text = format!(
        "Your payment is on its way.\n\nYou pay {} (amount {}, fee {}). The beneficiary receives {}.\n\nTrade number: {trade_number}\nEstimated arrival: {}",
        shown(payer.total),
        shown(payer.sub),
        shown(payer.fee),
        shown(beneficiary_total),
        arrival_date(estimated_arrival),
    );
    email(to, "payment_sent", format!("You sent {}", shown(payer.total)), text)
}

/// `payment_received`, to the beneficiary: amounts, payer, the payer's message.
pub(crate) fn payment_received(
    to: Email,
    beneficiary: &SideAmounts,
    payer_name: &str,
    message: Option<&str>,
) -> OutgoingEmail {
    let mut text = format!(
        "{payer_name} sent you a payment: you receive {} (amount {}, fee {}).",
        shown(beneficiary.total),
        shown(beneficiary.sub),
        shown(beneficiary.fee),
    );
    if let Some(message) = message {
        text.push_str(&format!("\n\nMessage from {payer_name}: {message}"));
    }
    email(to, "payment_received", format!("{payer_name} sent you {}", shown(beneficiary.total)), text)
}

/// `invited_register` for a claim payment held for an address no login has (providers.md section 7): the
/// sign-up link and what waits there.
pub(crate) fn claim_invitation(to: Email, payer_name: &str, amount: Money, urls: &PublicUrls) -> OutgoingEmail {
    let sign_up = urls.sign_up(to.as_str());
    let text = format!(
        "{payer_name} sent you a payment on borderless. Sign up with this address to receive it:\n{sign_up}\n\nWaiting for you:\n{} from {payer_name}",
        shown(amount)
    );
    let subject = format!("{payer_name} sent you {}", shown(amount));
    OutgoingEmail { links: vec![sign_up], ..email(to, "invited_register", subject, text) }
}

/// `payment_problem`, to the payer of a payment entering DECLINED, FAILED, RETURNED or CANCELED: the status,
/// the amount, what happens to the money (a claim payment canceled unclaimed had been collected).
pub(crate) fn payment_problem(
    to: Email,
    (previous, status): (PaymentEntryStatus, PaymentEntryStatus),
    payer_total: Money,
) -> OutgoingEmail {
    let what = match status {
        PaymentEntryStatus::Declined => "Your funds could not be collected, so nothing was taken.",
        PaymentEntryStatus::Canceled if previous == PaymentEntryStatus::Unclaimed => {
            "Nobody claimed it in time, so the whole amount has been given back to where it came from."
        }
        PaymentEntryStatus::Canceled => "It was canceled before any money moved, so nothing was taken.",
        _ => "The whole amount has been given back to where it came from.",
    };
    let text = format!("Your payment of {} is {status}.\n\n{what}", shown(payer_total));
    email(to, "payment_problem", format!("Your payment of {} is {status}", shown(payer_total)), text)
}

/// A payment as `payment.received` tells its beneficiary account of it.
pub(crate) struct Received<'a> {
    pub payment_id: &'a str,
    pub entry_type: PaymentEntryType,
    pub status: PaymentEntryStatus,
    pub side: &'a SideAmounts,
    pub description: &'a str,
    pub value_date: DateTime<Utc>,
    pub payment_request_id: Option<&'a str>,
    pub trade_number: &'a str,
    pub payer: &'a Payee,
}

/// The event-specific claims of `payment.received` (providers.md section 8), at submit or, for a claim payment
/// held for an address, when the address's new account picks it up.
pub(crate) fn payment_received_claims(received: &Received<'_>) -> Map<String, Value> {
    let side = received.side;
    [
        ("paymentId", json!(received.payment_id)),
        ("paymentEntryType", json!(received.entry_type.as_str())),
        ("status", json!(received.status.as_str())),
        ("amount", major(side.sub)),
        ("fee", major(side.fee)),
        ("totalAmount", major(side.total)),
        ("currency", json!(side.total.currency().code())),
        ("description", json!(received.description)),
        ("valueDate", json!(kernel::DateTime(received.value_date).render())),
        ("paymentRequestId", json!(received.payment_request_id)),
        ("tradeNumber", json!(received.trade_number)),
        ("payer", json!({ "displayName": received.payer.display_name, "slug": received.payer.slug })),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .collect()
}

/// The event-specific claims of `refund.status_changed` for one side (providers.md section 8).
pub(crate) fn refund_status_changed_claims(
    refund_id: &str,
    original_payment_id: &str,
    entry_type: PaymentEntryType,
    (previous, status): (PaymentEntryStatus, PaymentEntryStatus),
    side: &SideAmounts,
) -> Map<String, Value> {
    [
        ("refundId", json!(refund_id)),
        ("originalPaymentId", json!(original_payment_id)),
        ("paymentEntryType", json!(entry_type.as_str())),
        ("previousStatus", json!(previous.as_str())),
        ("status", json!(status.as_str())),
        ("amount", major(side.sub)),
        ("currency", json!(side.total.currency().code())),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .collect()
}

/// The event-specific claims of `payment.status_changed` for one side.
pub(crate) fn status_changed_claims(
    payment_id: &str,
    entry_type: &str,
    (previous, status): (PaymentEntryStatus, PaymentEntryStatus),
    side: &SideAmounts,
    description: &str,
    value_date: DateTime<Utc>,
) -> Map<String, Value> {
    [
        ("paymentId", json!(payment_id)),
        ("paymentEntryType", json!(entry_type)),
        ("previousStatus", json!(previous.as_str())),
        ("status", json!(status.as_str())),
        ("amount", major(side.sub)),
        ("fee", major(side.fee)),
        ("totalAmount", major(side.total)),
        ("currency", json!(side.total.currency().code())),
        ("description", json!(description)),
        ("valueDate", json!(kernel::DateTime(value_date).render())),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .collect()
}
