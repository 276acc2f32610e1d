//! What an account holds for an address with no login yet — its payment requests and, with claim payments
//! enabled, its held claim payments — for the registration email of sendInvitedRegisterEmail (accounts asks
//! through [`accounts::WaitingForEmail`]).

use accounts::{Waiting, WaitingForEmail};
use diesel::prelude::*;
use kernel::{AccountId, Email, PublicUrls};
use store::Tx;
use store::schema::payment_requests;

use super::emails::amount_text;
use super::record::{PaymentRequestStatus, StoredRequest};

/// The account's open (REQUESTED) requests addressed to an email, each with its page and the moment its own
/// email went out; then, when `claims` (`PAYMENTS_TO_NEW_EMAILS`), the claim payments it holds for the email.
pub struct HeldForAddress {
    urls: PublicUrls,
    claims: bool,
}

impl HeldForAddress {
    pub fn new(urls: PublicUrls, claims: bool) -> Self {
        Self { urls, claims }
    }
}

impl WaitingForEmail for HeldForAddress {
    fn waiting(&self, tx: &mut Tx<'_>, account: &AccountId, email: &Email) -> anyhow::Result<Vec<Waiting>> {
        let open: Vec<StoredRequest> = payment_requests::table
            .filter(payment_requests::requester_account_id.eq(account))
            .filter(payment_requests::addressee_email.eq(email.as_str()))
            .filter(payment_requests::status.eq(PaymentRequestStatus::Requested))
            .order((payment_requests::created_at.asc(), payment_requests::id.asc()))
            .select(StoredRequest::as_select())
            .load(tx.conn())?;
        let requests = open.into_iter().map(|request| {
            let amount = amount_text(&request).map_err(|error| anyhow::anyhow!("request {}: {error:?}", request.id))?;
            let summary = match &request.description {
                Some(description) => format!("{amount}: {description}"),
                None => amount,
            };
            // No login has the address (or it could not be waiting), so none had it when the request was made:
            // its email was the `invited_register`.
            let link = Some(self.urls.payment_request(&request.id));
            Ok(Waiting { summary, link, emailed_at: Some(request.created_at) })
        });
        let mut waiting = requests.collect::<anyhow::Result<Vec<_>>>()?;
        if self.claims {
            let held = crate::claims::held_by_payer(tx.conn(), account, email)?;
            // Its submit sent the address the registration email.
            waiting.extend(held.into_iter().map(|(amount, submitted_at)| Waiting {
                summary: format!("A payment of {} {}", amount.to_decimal(), amount.currency()),
                link: None,
                emailed_at: Some(submitted_at),
            }));
        }
        Ok(waiting)
    }
}
