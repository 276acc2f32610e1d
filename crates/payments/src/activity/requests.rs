//! Payment requests as activity entries: the requester's CREATED_PAYMENT_REQUEST (requestPayment and pay-me
//! requests alike) and, for requests addressed to an email, RECEIVED_PAYMENT_REQUEST for the accounts of the
//! login with that email — one id, the request's amount on both sides, fee 0, in every status it reaches.

use diesel::prelude::*;
use kernel::{AccountId, Money};
use store::DbConnection;
use store::schema::payment_requests;

use super::cursor::Position;
use super::entry::{Counterparty, EntryKind, PaymentEntry, PaymentEntryType};
use super::filter::narrowed;
use super::source::{EntrySource, Interaction, Reading};
use super::{ActivityError, ActivityFilter};
use crate::requests::{PaymentRequestStatus, StoredRequest, account_email};
use crate::{PaymentEntryStatus, PaymentSide};

/// The source of CREATED_PAYMENT_REQUEST and RECEIVED_PAYMENT_REQUEST entries.
pub(crate) struct Requests;

/// Whose entries to read: the account's own requests, and those addressed to its owner's email.
struct Sides {
    created: bool,
    /// The owner's login email when RECEIVED_ entries are wanted.
    received: Option<String>,
}

fn sides(conn: &mut DbConnection, account: &AccountId, filter: &ActivityFilter) -> Result<Sides, ActivityError> {
    let received =
        if filter.admits_type(PaymentEntryType::ReceivedPaymentRequest) { account_email(conn, account)? } else { None };
    Ok(Sides { created: filter.admits_type(PaymentEntryType::CreatedPaymentRequest), received })
}

impl EntrySource for Requests {
    fn page(
        &self,
        conn: &mut DbConnection,
        _: &Reading,
        account: &AccountId,
        filter: &ActivityFilter,
        after: Option<&Position>,
        limit: usize,
    ) -> Result<Vec<PaymentEntry>, ActivityError> {
        let sides = sides(conn, account, filter)?;
        let query = payment_requests::table.into_boxed();
        let query = match (sides.created, &sides.received) {
            (true, Some(email)) => query.filter(
                payment_requests::requester_account_id
                    .eq(account.clone())
                    .or(payment_requests::addressee_email.eq(email.clone())),
            ),
            (true, None) => query.filter(payment_requests::requester_account_id.eq(account.clone())),
            (false, Some(email)) => query.filter(payment_requests::addressee_email.eq(email.clone())),
            (false, None) => return Ok(Vec::new()),
        };
        let query = narrowed!(
            query,
            filter,
            after,
            payment_requests::status,
            payment_requests::created_at,
            payment_requests::id
        );
        let limit = i64::try_from(limit).map_err(anyhow::Error::from)?;
        let rows: Vec<StoredRequest> = query
            .order((payment_requests::created_at.desc(), payment_requests::id.desc()))
            .limit(limit)
            .select(StoredRequest::as_select())
            .load(conn)?;
        rows.into_iter().map(|request| entry(account, request)).collect()
    }

    fn find(
        &self,
        conn: &mut DbConnection,
        _: &Reading,
        account: &AccountId,
        id: &str,
    ) -> Result<Option<PaymentEntry>, ActivityError> {
        let found: Option<StoredRequest> =
            payment_requests::table.find(id).select(StoredRequest::as_select()).first(conn).optional()?;
        let Some(request) = found else { return Ok(None) };
        let addressed_here = match &request.addressee_email {
            Some(to) => account_email(conn, account)?.is_some_and(|email| &email == to),
            None => false,
        };
        if request.requester_account_id != *account && !addressed_here {
            return Ok(None);
        }
        entry(account, request).map(Some)
    }

    /// The addressee's email of each request the account made (a pay-me request has none and counts only
    /// through its payments), and the requester of each request addressed to its owner's email.
    fn interactions(&self, conn: &mut DbConnection, account: &AccountId) -> Result<Vec<Interaction>, ActivityError> {
        let made: Vec<(Option<String>, chrono::NaiveDateTime)> = payment_requests::table
            .filter(payment_requests::requester_account_id.eq(account))
            .filter(payment_requests::addressee_email.is_not_null())
            .select((payment_requests::addressee_email, payment_requests::created_at))
            .load(conn)?;
        let mut interactions: Vec<Interaction> = made
            .into_iter()
            .map(|(email, at)| Interaction { counterparty: Counterparty { account_id: None, email }, at: at.and_utc() })
            .collect();
        if let Some(email) = account_email(conn, account)? {
            let received: Vec<(AccountId, chrono::NaiveDateTime)> = payment_requests::table
                .filter(payment_requests::addressee_email.eq(email))
                .select((payment_requests::requester_account_id, payment_requests::created_at))
                .load(conn)?;
            interactions.extend(received.into_iter().map(|(requester, at)| Interaction {
                counterparty: Counterparty { account_id: Some(requester), email: None },
                at: at.and_utc(),
            }));
        }
        Ok(interactions)
    }
}

/// The request as `account` sees it: CREATED_ when it made it, else RECEIVED_.
fn entry(account: &AccountId, request: StoredRequest) -> Result<PaymentEntry, ActivityError> {
    let created = request.requester_account_id == *account;
    let money = |minor| Money::from_minor_units(minor, request.currency).map_err(|error| anyhow::anyhow!("{error:?}"));
    let amount = money(request.amount)?;
    let counterparty = if created {
        request.addressee_email.clone().map(|email| Counterparty { account_id: None, email: Some(email) })
    } else {
        Some(Counterparty { account_id: Some(request.requester_account_id.clone()), email: None })
    };
    Ok(PaymentEntry {
        entry_type: if created {
            PaymentEntryType::CreatedPaymentRequest
        } else {
            PaymentEntryType::ReceivedPaymentRequest
        },
        status: status(request.status),
        amounts: PaymentSide { sub: amount, fee: money(0)?, total: amount },
        description: request.description,
        message: request.email_message,
        value_date: request.charge_date.date(),
        created_at: request.created_at.and_utc(),
        counterparty,
        kind: EntryKind::Request,
        id: request.id,
    })
}

fn status(status: PaymentRequestStatus) -> PaymentEntryStatus {
    match status {
        PaymentRequestStatus::Requested => PaymentEntryStatus::Requested,
        PaymentRequestStatus::Processing => PaymentEntryStatus::Processing,
        PaymentRequestStatus::Complete => PaymentEntryStatus::Complete,
        PaymentRequestStatus::Declined => PaymentEntryStatus::Declined,
        PaymentRequestStatus::Canceled => PaymentEntryStatus::Canceled,
    }
}
