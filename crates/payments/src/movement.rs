//! Recording a submitted payment of any kind (a payment, a claim payment, a refund) as settlement will take it:
//! the trade booked, the `payments` row with both sides' amounts, its first status (SCHEDULED for a later value
//! date, else PENDING) and when settlement's first step is due (flows.md section 8). Nothing is posted to the
//! ledger at submit.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use kernel::{AccountId, Currency};
use store::Tx;
use store::schema::{payment_status_changes, payments};

use crate::session::{FundingKind, PaymentSide, side};
use crate::{FinancialProvider, PaymentEntryStatus, PaymentKind, PaymentsError, Quote, SettlementConfig};

/// What a submit records, checked by the caller.
pub(crate) struct NewMovement<'a> {
    pub id: &'a str,
    pub kind: PaymentKind,
    pub payer: &'a AccountId,
    pub funding: (FundingKind, Option<&'a str>),
    /// `None` for a claim payment held for `beneficiary_email`.
    pub beneficiary: Option<&'a AccountId>,
    /// The address the payer typed for the beneficiary, if it named it by email.
    pub beneficiary_email: Option<&'a str>,
    /// Payer and beneficiary currencies.
    pub currencies: (Currency, Currency),
    pub quote: &'a Quote,
    pub description: &'a str,
    pub message: Option<&'a str>,
    pub pop_code: Option<&'a str>,
    pub value_date: NaiveDate,
    pub payment_request_id: Option<&'a str>,
}

/// What was recorded.
pub(crate) struct Recorded {
    pub payer: PaymentSide,
    pub beneficiary: PaymentSide,
    pub status: PaymentEntryStatus,
    pub trade_number: String,
    /// The value date's start.
    pub value_date: DateTime<Utc>,
}

/// Records `new` inside the caller's transaction, booking its trade with the financial provider.
pub(crate) fn record(
    tx: &mut Tx<'_>,
    (settlement, provider): (&SettlementConfig, &Arc<dyn FinancialProvider>),
    new: &NewMovement<'_>,
    now: DateTime<Utc>,
) -> Result<Recorded, PaymentsError> {
    let amounts = &new.quote.amounts;
    let (payer_currency, beneficiary_currency) = new.currencies;
    let payer = side(payer_currency, (amounts.payer_sub, amounts.payer_fee, amounts.payer_total))?;
    let beneficiary =
        side(beneficiary_currency, (amounts.beneficiary_sub, amounts.beneficiary_fee, amounts.beneficiary_total))?;
    let status =
        if new.value_date > now.date_naive() { PaymentEntryStatus::Scheduled } else { PaymentEntryStatus::Pending };
    let trade_number = provider.book_trade(tx, now)?;
    let value_date = kernel::DateTime::of_date(new.value_date).0;
    // Settlement's first step: the value date's start for SCHEDULED, the collection for PENDING.
    let next_step_at = match status {
        PaymentEntryStatus::Scheduled => value_date,
        _ => now + settlement.collect_after,
    };
    diesel::insert_into(payments::table)
        .values((
            payments::id.eq(new.id),
            payments::payer_account_id.eq(new.payer),
            payments::funding_source.eq(new.funding.0),
            payments::funding_bank_account_id.eq(new.funding.1),
            payments::beneficiary_account_id.eq(new.beneficiary),
            payments::payer_currency.eq(payer_currency.code()),
            payments::payer_sub.eq(amounts.payer_sub),
            payments::payer_fee.eq(amounts.payer_fee),
            payments::payer_total.eq(amounts.payer_total),
            payments::beneficiary_currency.eq(beneficiary_currency.code()),
            payments::beneficiary_sub.eq(amounts.beneficiary_sub),
            payments::beneficiary_fee.eq(amounts.beneficiary_fee),
            payments::beneficiary_total.eq(amounts.beneficiary_total),
            payments::rate.eq(new.quote.rate.to_string()),
            payments::international.eq(amounts.international),
            payments::savings.eq(amounts.savings),
            payments::quote_id.eq(new.quote.id),
            payments::trade_number.eq(&trade_number),
            payments::description.eq(new.description),
            payments::email_message.eq(new.message),
            payments::pop_code.eq(new.pop_code),
            payments::value_date.eq(value_date.naive_utc()),
            payments::status.eq(status.as_str()),
            payments::submitted_at.eq(now.naive_utc()),
            payments::next_step_at.eq(next_step_at.naive_utc()),
            payments::beneficiary_email.eq(new.beneficiary_email),
            payments::payment_request_id.eq(new.payment_request_id),
            payments::kind.eq(new.kind.as_str()),
        ))
        .execute(tx.conn())?;
    diesel::insert_into(payment_status_changes::table)
        .values((
            payment_status_changes::payment_id.eq(new.id),
            payment_status_changes::status.eq(status.as_str()),
            payment_status_changes::changed_at.eq(now.naive_utc()),
        ))
        .execute(tx.conn())?;
    Ok(Recorded { payer, beneficiary, status, trade_number, value_date })
}
