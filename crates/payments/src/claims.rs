//! Claim payments held for an address no login has (flows.md section 8, "Claim payments";
//! `PAYMENTS_TO_NEW_EMAILS`): what waits for the address, and the pick-up by the first account of a login
//! that signs up with it ([`ClaimPickUp`], which accounts calls through [`accounts::AtSignUp`]).

use accounts::{AtSignUp, payee};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use kernel::{AccountId, Currency, Email, Money};
use store::schema::payments;
use store::{DbConnection, DbError, Tx};
use webhooks::{EventType, record_event};

use crate::notices::{self, Received, SideAmounts};
use crate::settlement::money;
use crate::{PaymentEntryStatus, PaymentKind};

/// The statuses a held payment can still be picked up in: not yet final.
const OPEN: [PaymentEntryStatus; 4] = [
    PaymentEntryStatus::Scheduled,
    PaymentEntryStatus::Pending,
    PaymentEntryStatus::Processing,
    PaymentEntryStatus::Unclaimed,
];

/// A held claim payment, the columns its pick-up and its mention in an email need.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = payments)]
struct HeldPayment {
    id: String,
    payer_account_id: AccountId,
    beneficiary_currency: Currency,
    beneficiary_sub: i64,
    beneficiary_fee: i64,
    beneficiary_total: i64,
    description: String,
    value_date: NaiveDateTime,
    trade_number: String,
    payment_request_id: Option<String>,
    submitted_at: NaiveDateTime,
}

fn held_for(conn: &mut DbConnection, email: &Email) -> Result<Vec<HeldPayment>, DbError> {
    payments::table
        .filter(payments::beneficiary_account_id.is_null())
        .filter(payments::beneficiary_email.eq(email.as_str()))
        .filter(payments::kind.eq(PaymentKind::ClaimPayment.as_str()))
        .filter(payments::status.eq_any(OPEN.map(PaymentEntryStatus::as_str)))
        .order((payments::submitted_at.asc(), payments::id.asc()))
        .select(HeldPayment::as_select())
        .load(conn)
}

/// The claim payments `payer` holds for `email`, oldest first: (what reaches the beneficiary, when it was
/// submitted — and so when the address was emailed).
pub(crate) fn held_by_payer(
    conn: &mut DbConnection,
    payer: &AccountId,
    email: &Email,
) -> anyhow::Result<Vec<(Money, NaiveDateTime)>> {
    held_for(conn, email)?
        .into_iter()
        .filter(|held| &held.payer_account_id == payer)
        .map(|held| Ok((money(held.beneficiary_total, held.beneficiary_currency)?, held.submitted_at)))
        .collect()
}

/// Attaches the claim payments held for a new login's address to its first account, when claim payments
/// are enabled: each held payment still open and in the account's currency gets the account as beneficiary
/// (its RECEIVED_CLAIM_PAYMENT entry) and `payment.received` for it. One in another currency stays held until
/// it expires.
#[derive(Debug, Clone, Copy)]
pub struct ClaimPickUp {
    enabled: bool,
}

impl ClaimPickUp {
    /// `enabled` is `PAYMENTS_TO_NEW_EMAILS`.
    pub fn new(enabled: bool) -> Self {
        Self { enabled }
    }
}

impl AtSignUp for ClaimPickUp {
    fn account_opened(
        &self,
        tx: &mut Tx<'_>,
        (account, currency): (&AccountId, Currency),
        email: &Email,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        if !self.enabled {
            return Ok(());
        }
        let candidates: Vec<HeldPayment> =
            held_for(tx.conn(), email)?.into_iter().filter(|held| held.beneficiary_currency == currency).collect();
        for held in candidates {
            tx.lock_rows::<payments::table>(&[held.id.as_str()])?;
            // Read again under the lock: settlement may have moved it (or given it back) meanwhile.
            let open = OPEN.map(PaymentEntryStatus::as_str);
            let attached = diesel::update(
                payments::table
                    .find(&held.id)
                    .filter(payments::beneficiary_account_id.is_null())
                    .filter(payments::status.eq_any(open)),
            )
            .set(payments::beneficiary_account_id.eq(account))
            .execute(tx.conn())?;
            if attached == 0 {
                continue;
            }
            let status: PaymentEntryStatus =
                payments::table.find(&held.id).select(payments::status).first(tx.conn())?;
            let payer = payee(tx.conn(), &held.payer_account_id)?
                .ok_or_else(|| anyhow::anyhow!("payment {} has no payer account", held.id))?;
            let side = SideAmounts {
                sub: money(held.beneficiary_sub, currency)?,
                fee: money(held.beneficiary_fee, currency)?,
                total: money(held.beneficiary_total, currency)?,
            };
            let claims = notices::payment_received_claims(&Received {
                payment_id: &held.id,
                entry_type: PaymentKind::ClaimPayment.entry_types().1,
                status,
                side: &side,
                description: &held.description,
                value_date: held.value_date.and_utc(),
                payment_request_id: held.payment_request_id.as_deref(),
                trade_number: &held.trade_number,
                payer: &payer,
            });
            record_event(tx, account, EventType::PaymentReceived, claims, now)?;
        }
        Ok(())
    }
}
