//! `refund_processing` (providers.md section 7): the email telling the original payer a refund is on its way.

use kernel::{AccountId, Money};
use mail::OutgoingEmail;
use store::DbConnection;

use super::RefundReason;
use crate::PaymentsError;
use crate::notices::owner_email;

fn reason_text(reason: RefundReason) -> &'static str {
    match reason {
        RefundReason::Duplicate => "duplicate payment",
        RefundReason::Fraudulent => "fraudulent payment",
        RefundReason::RequestedByCustomer => "requested by customer",
        RefundReason::Other => "other",
    }
}

/// The `refund_processing` email to the owner of `original_payer` about a refund of `amount` from
/// `refunder_name`, or `None` when the account has no address (it always has one).
pub fn refund_processing_email(
    conn: &mut DbConnection,
    original_payer: &AccountId,
    (amount, reason, message): (Money, RefundReason, Option<&str>),
    refunder_name: &str,
) -> Result<Option<OutgoingEmail>, PaymentsError> {
    let Some(to) = owner_email(conn, original_payer)? else { return Ok(None) };
    let shown = format!("{} {}", amount.to_decimal(), amount.currency());
    let mut text = format!("{refunder_name} is refunding you {shown}.\n\nReason: {}", reason_text(reason));
    if let Some(message) = message {
        text.push_str(&format!("\n\nMessage from {refunder_name}: {message}"));
    }
    let html = format!("<p>{}</p>", html_escape::encode_text(&text).replace("\n\n", "</p><p>").replace('\n', "<br>"));
    let subject = format!("{refunder_name} is refunding you {shown}");
    Ok(Some(OutgoingEmail { to, template: "refund_processing".to_owned(), subject, text, html, links: Vec::new() }))
}
