//! The stored payment request and its status.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use kernel::{AccountId, Currency, Money};
use store::schema::payment_requests;
use store::{DbConnection, DbError, Tx};

use crate::PaymentsError;

kernel::stored_enum! {
    /// Where a payment request stands (flows.md section 8); both of its activity entries show it.
    pub enum PaymentRequestStatus {
        /// Open: it can be paid or declined.
        Requested = "REQUESTED",
        /// A payment for it has been submitted and is under way.
        Processing = "PROCESSING",
        /// The payment for it has completed.
        Complete = "COMPLETE",
        /// The addressee declined it.
        Declined = "DECLINED",
        /// Withdrawn because the requesting account was deactivated or disabled.
        Canceled = "CANCELED",
    }
}

/// A payment request as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = payment_requests)]
pub(crate) struct StoredRequest {
    pub id: String,
    pub requester_account_id: AccountId,
    /// Lower case; `None` for a pay-me request.
    pub addressee_email: Option<String>,
    pub currency: Currency,
    /// Minor units of `currency`.
    pub amount: i64,
    pub description: Option<String>,
    pub email_message: Option<String>,
    pub charge_date: NaiveDateTime,
    pub status: PaymentRequestStatus,
    pub resends: i32,
    pub payment_id: Option<String>,
    pub declined_by_account_id: Option<AccountId>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl StoredRequest {
    pub(crate) fn money(&self) -> Result<Money, PaymentsError> {
        Ok(Money::from_minor_units(self.amount, self.currency)?)
    }
}

pub(crate) fn insert(conn: &mut DbConnection, request: &StoredRequest) -> Result<(), DbError> {
    diesel::insert_into(payment_requests::table).values(request).execute(conn)?;
    Ok(())
}

/// The request `id`; `None` when there is none.
pub(crate) fn find(conn: &mut DbConnection, id: &str) -> Result<Option<StoredRequest>, DbError> {
    payment_requests::table.find(id).select(StoredRequest::as_select()).first(conn).optional()
}

/// The request `id` under a lock on its row until the transaction ends: what decides whether it may change
/// (declined, paid, resent) is read and written by one transaction at a time.
pub(crate) fn locked(tx: &mut Tx<'_>, id: &str) -> Result<Option<StoredRequest>, DbError> {
    tx.lock_rows::<payment_requests::table>(&[id])?;
    find(tx.conn(), id)
}

/// Moves the request to `status`, with the payment it is paid by (or none) and who declined it (or none).
pub(crate) fn set_status(
    conn: &mut DbConnection,
    id: &str,
    status: PaymentRequestStatus,
    (payment_id, declined_by): (Option<&str>, Option<&AccountId>),
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::update(payment_requests::table.find(id))
        .set((
            payment_requests::status.eq(status),
            payment_requests::payment_id.eq(payment_id),
            payment_requests::declined_by_account_id.eq(declined_by),
            payment_requests::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}
