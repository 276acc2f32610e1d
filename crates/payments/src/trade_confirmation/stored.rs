//! The trade confirmation of a stored payment, for an account that sent or received it
//! (tradeConfirmationForPayment.md, rules 2 to 4 in order), and its PDF document.

use accounts::trade_party_account;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use kernel::{AccountId, Currency, DateTime, Money, SessionIdentity, with_connection};
use store::schema::payments;
use store::{DbConnection, Pool};

use super::{TradeConfirmation, TradeParty, render_pdf};
use crate::activity::{ActivityError, EntryKind, Reading, find_entry};
use crate::{PaymentEntryStatus, PaymentType, Rate};

/// A payment as its trade confirmation reads it.
#[derive(Queryable, Selectable)]
#[diesel(table_name = payments)]
struct TradeRow {
    payer_account_id: AccountId,
    /// Always set on a completed payment: a claim payment has its beneficiary before it is paid out.
    beneficiary_account_id: Option<AccountId>,
    payer_currency: Currency,
    payer_sub: i64,
    payer_fee: i64,
    payer_total: i64,
    beneficiary_currency: Currency,
    beneficiary_sub: i64,
    beneficiary_fee: i64,
    beneficiary_total: i64,
    rate: String,
    trade_number: String,
    description: String,
    value_date: NaiveDateTime,
    submitted_at: NaiveDateTime,
}

/// tradeConfirmationForPayment: the confirmation of the current account's completed INTERNATIONAL payment.
/// Another account's payment answers I-4904 like an unknown id; a LOCAL payment (or an entry that is no
/// payment) I-4910; a payment not yet COMPLETE I-4911.
pub async fn trade_confirmation_for_payment(
    pool: &Pool,
    reading: Reading,
    current: &SessionIdentity,
    payment_id: &str,
) -> Result<TradeConfirmation, ActivityError> {
    let (account, payment_id) = (current.account_id.clone(), payment_id.to_owned());
    with_connection(pool, move |conn| confirmation(conn, &reading, &account, &payment_id)).await
}

/// The confirmation's PDF document (`GET /trade-confirmations/<paymentId>.pdf`), with its trade number; refused
/// exactly when [`trade_confirmation_for_payment`] is.
pub async fn trade_confirmation_document(
    pool: &Pool,
    reading: Reading,
    current: &SessionIdentity,
    payment_id: &str,
) -> Result<(String, Vec<u8>), ActivityError> {
    let (account, payment_id) = (current.account_id.clone(), payment_id.to_owned());
    with_connection(pool, move |conn| {
        let confirmation = confirmation(conn, &reading, &account, &payment_id)?;
        let document = render_pdf(&confirmation)?;
        Ok((confirmation.trade_number, document))
    })
    .await
}

fn confirmation(
    conn: &mut DbConnection,
    reading: &Reading,
    account: &AccountId,
    payment_id: &str,
) -> Result<TradeConfirmation, ActivityError> {
    let entry = find_entry(conn, reading, account, payment_id)?.ok_or(ActivityError::NoSuchActivity)?;
    let international = match &entry.kind {
        EntryKind::Payment(facts) => facts.payment_type == PaymentType::International,
        EntryKind::Funding | EntryKind::Request => false,
    };
    if !international {
        return Err(ActivityError::NoTradeConfirmation);
    }
    if entry.status != PaymentEntryStatus::Complete {
        return Err(ActivityError::NotComplete);
    }
    let row: TradeRow = payments::table.find(payment_id).select(TradeRow::as_select()).first(conn)?;
    let rate = row.rate.parse().map_err(|_| anyhow::anyhow!("payment {payment_id}: rate {:?} unreadable", row.rate))?;
    let rate = Rate::new(rate).map_err(|error| anyhow::anyhow!("payment {payment_id}: {error}"))?;
    let payer = party(
        conn,
        (&row.payer_account_id, &row.payer_account_id == account),
        row.payer_currency,
        (row.payer_sub, row.payer_fee, row.payer_total),
    )?;
    let beneficiary_account = row
        .beneficiary_account_id
        .as_ref()
        .ok_or_else(|| anyhow::anyhow!("completed payment {payment_id} has no beneficiary account"))?;
    let beneficiary = party(
        conn,
        (beneficiary_account, beneficiary_account == account),
        row.beneficiary_currency,
        (row.beneficiary_sub, row.beneficiary_fee, row.beneficiary_total),
    )?;
    Ok(TradeConfirmation {
        payment_id: entry.id,
        trade_number: row.trade_number,
        trade_date: DateTime::from(row.submitted_at),
        value_date: DateTime::from(row.value_date),
        status: PaymentEntryStatus::Complete.as_str().to_owned(),
        payment_type: PaymentType::International,
        rate,
        payer,
        beneficiary,
        description: Some(row.description),
    })
}

/// One side of the trade; the login email only on the current account's own side.
fn party(
    conn: &mut DbConnection,
    (account_id, own_side): (&AccountId, bool),
    currency: Currency,
    (sub, fee, total): (i64, i64, i64),
) -> Result<TradeParty, ActivityError> {
    let found = trade_party_account(conn, account_id)?
        .ok_or_else(|| anyhow::anyhow!("the account {account_id} of a payment is gone"))?;
    let money = |minor| Money::from_minor_units(minor, currency).map_err(|error| anyhow::anyhow!("{error:?}"));
    Ok(TradeParty {
        name: found.name,
        display_name: found.display_name,
        email: own_side.then_some(found.login_email),
        country: Some(found.country),
        currency,
        sub_amount: money(sub)?,
        total_fee_amount: money(fee)?,
        total_amount: money(total)?,
    })
}
