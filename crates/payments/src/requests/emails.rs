//! The emails of payment requests (providers.md section 7): `payment_request` and `invited_register` to the
//! addressee, `payment_request_declined` to the requester. Queued in the transaction of the change that sends
//! them, so a rolled-back change sends nothing.

use kernel::{Email, PublicUrls};
use mail::OutgoingEmail;

use super::record::StoredRequest;
use crate::PaymentsError;

fn html_escaped(text: &str) -> String {
    html_escape::encode_double_quoted_attribute(text).into_owned()
}

/// "25.00 USD", the request's amount as the emails show it.
pub(super) fn amount_text(request: &StoredRequest) -> Result<String, PaymentsError> {
    let money = request.money()?;
    Ok(format!("{} {}", money.to_decimal(), money.currency()))
}

/// What the request asks for, in text and HTML: amount, description and the requester's message.
fn details(request: &StoredRequest) -> Result<(String, String), PaymentsError> {
    let amount = amount_text(request)?;
    let mut text = format!("Amount: {amount}\n");
    let mut html = format!("<p>Amount: {amount}</p>");
    if let Some(description) = &request.description {
        text.push_str(&format!("Description: {description}\n"));
        html.push_str(&format!("<p>Description: {}</p>", html_escaped(description)));
    }
    if let Some(message) = &request.email_message {
        text.push_str(&format!("Message: {message}\n"));
        html.push_str(&format!("<p>Message: {}</p>", html_escaped(message)));
    }
    Ok((text, html))
}

/// `payment_request`: the request and the link to its page.
pub(crate) fn payment_request(
    to: Email,
    requester: &str,
    request: &StoredRequest,
    urls: &PublicUrls,
) -> Result<OutgoingEmail, PaymentsError> {
    let link = urls.payment_request(&request.id);
    let (text, html) = details(request)?;
    let name = html_escaped(requester);
    Ok(OutgoingEmail {
        to,
        template: "payment_request".to_owned(),
        subject: format!("{requester} requested {} from you", amount_text(request)?),
        text: format!(
            "{requester} requested a payment from you on borderless.\n\n{text}\nPay or decline it here:\n{link}"
        ),
        html: format!(
            "<p>{name} requested a payment from you on borderless.</p>{html}<p><a href=\"{link}\">Pay or decline it</a></p>"
        ),
        links: vec![link],
    })
}

/// `invited_register`, as requestPayment sends it to an address no login has: the sign-up link and the
/// request waiting there.
pub(crate) fn invited_register(
    to: Email,
    requester: &str,
    request: &StoredRequest,
    urls: &PublicUrls,
) -> Result<OutgoingEmail, PaymentsError> {
    let sign_up = urls.sign_up(to.as_str());
    let link = urls.payment_request(&request.id);
    let (text, html) = details(request)?;
    let name = html_escaped(requester);
    Ok(OutgoingEmail {
        to,
        template: "invited_register".to_owned(),
        subject: format!("{requester} is waiting for you on borderless"),
        text: format!(
            "{requester} requested a payment from you on borderless. Sign up with this address to pay it:\n{sign_up}\n\nWaiting for you:\n{text}{link}"
        ),
        html: format!(
            "<p>{name} requested a payment from you on borderless.</p><p><a href=\"{sign_up}\">Sign up to pay it</a></p><p>Waiting for you:</p>{html}<p><a href=\"{link}\">The request</a></p>"
        ),
        links: vec![sign_up, link],
    })
}

/// `payment_request_declined`: the request's amount and who declined it.
pub(crate) fn declined(to: Email, decliner: &str, request: &StoredRequest) -> Result<OutgoingEmail, PaymentsError> {
    let amount = amount_text(request)?;
    Ok(OutgoingEmail {
        to,
        template: "payment_request_declined".to_owned(),
        subject: format!("{decliner} declined your payment request"),
        text: format!("{decliner} declined your payment request of {amount}."),
        html: format!("<p>{} declined your payment request of {amount}.</p>", html_escaped(decliner)),
        links: Vec::new(),
    })
}
