//! One settlement transition of one payment (flows.md section 8), in one transaction: the status change,
//! guarded so that it is applied once however many runners try; its ledger posting set; the provider's
//! movement of the money; `payment.status_changed` for both accounts; and `payment_problem` to the payer when
//! the payment ends without arriving.

use std::sync::Arc;

use accounts::{SettlementBankAccount, payee, preferred_bank_account, settlement_bank_account};
use chrono::{DateTime, TimeDelta, Utc};
use diesel::prelude::*;
use kernel::{AccountId, AccountStatus};
use store::Tx;
use store::schema::{payment_status_changes, payments};
use webhooks::{EventType, record_event};

use super::record::SettlingPayment;
use crate::ledger::{self, PostingSet};
use crate::notices::{self, SideAmounts};
use crate::provider::{ArrivalOutcome, CollectionOutcome, FinancialProvider, FundsSource, PayoutOutcome};
use crate::session::FundingKind;
use crate::{PaymentEntryStatus, SettlementConfig};

/// What one step does to a payment.
struct Transition {
    to: PaymentEntryStatus,
    /// When it happened: the moment the step was due (a cancellation: when it was noticed).
    at: DateTime<Utc>,
    /// When the step after it is due; `None` for a final status.
    next: Option<DateTime<Utc>>,
    postings: Option<PostingSet>,
    /// The bank account paid out to, set by the payout.
    paid_out_to: Option<String>,
}

impl Transition {
    fn to(to: PaymentEntryStatus, at: DateTime<Utc>, next: Option<TimeDelta>) -> Self {
        Self { to, at, next: next.map(|delay| at + delay), postings: None, paid_out_to: None }
    }

    fn posting(self, set: PostingSet) -> Self {
        Self { postings: Some(set), ..self }
    }
}

/// The payment locked and read again: `None` when another runner already moved it past `status` (or it is
/// gone), so this runner has nothing to do.
fn locked(tx: &mut Tx<'_>, id: &str) -> anyhow::Result<Option<SettlingPayment>> {
    tx.lock_rows::<payments::table>(&[id])?;
    SettlingPayment::find(tx.conn(), id)
}

/// DEACTIVATED or DISABLED: a payment not yet collected to or from it is CANCELED.
fn closed(tx: &mut Tx<'_>, account: &AccountId) -> anyhow::Result<bool> {
    let status = payee(tx.conn(), account)?.map(|payee| payee.status);
    Ok(matches!(status, None | Some(AccountStatus::Deactivated | AccountStatus::Disabled)))
}

fn bank_account(tx: &mut Tx<'_>, id: &str) -> anyhow::Result<SettlementBankAccount> {
    settlement_bank_account(tx.conn(), id)?.ok_or_else(|| anyhow::anyhow!("bank account {id} is gone"))
}

/// Runs `with` on the payment's funding source as the provider sees it.
fn with_source<T>(
    tx: &mut Tx<'_>,
    payment: &SettlingPayment,
    with: impl FnOnce(&mut Tx<'_>, FundsSource<'_>) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    match (payment.funding_source, &payment.funding_bank_account_id) {
        (FundingKind::BankAccount, Some(id)) => {
            let bank = bank_account(tx, id)?;
            with(tx, FundsSource::BankAccount(&bank))
        }
        (FundingKind::BankAccount, None) => anyhow::bail!("payment {} names no funding bank account", payment.id),
        (FundingKind::FundingBalance, _) => with(tx, FundsSource::FundingBalance(&payment.payer_account_id)),
    }
}

/// Moves payment `id` through its next step if that step is due by `now`; answers whether it moved.
pub(crate) fn advance(
    tx: &mut Tx<'_>,
    provider: &Arc<dyn FinancialProvider>,
    config: &SettlementConfig,
    id: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let Some(payment) = locked(tx, id)? else { return Ok(false) };
    let Some(due) = payment.due_at().filter(|due| *due <= now) else { return Ok(false) };
    let transition = match payment.status {
        PaymentEntryStatus::Scheduled | PaymentEntryStatus::Pending
            if closed(tx, &payment.payer_account_id)? || closed(tx, &payment.beneficiary_account_id)? =>
        {
            Transition::to(PaymentEntryStatus::Canceled, now, None)
        }
        PaymentEntryStatus::Scheduled => Transition::to(PaymentEntryStatus::Pending, due, Some(config.collect_after)),
        PaymentEntryStatus::Pending => collect(tx, provider, config, &payment, due)?,
        PaymentEntryStatus::Processing => pay_out(tx, provider, config, &payment, due)?,
        PaymentEntryStatus::InTransit => arrive(tx, provider, &payment, due)?,
        other => anyhow::bail!("payment {id} is {other} with a step due"),
    };
    apply(tx, &payment, transition)?;
    Ok(true)
}

/// Cancels payment `id` if it is still SCHEDULED or PENDING and its payer or beneficiary is closed; answers
/// whether it did.
pub(crate) fn cancel_if_closed(tx: &mut Tx<'_>, id: &str, now: DateTime<Utc>) -> anyhow::Result<bool> {
    let Some(payment) = locked(tx, id)? else { return Ok(false) };
    if !matches!(payment.status, PaymentEntryStatus::Scheduled | PaymentEntryStatus::Pending) {
        return Ok(false);
    }
    if !closed(tx, &payment.payer_account_id)? && !closed(tx, &payment.beneficiary_account_id)? {
        return Ok(false);
    }
    apply(tx, &payment, Transition::to(PaymentEntryStatus::Canceled, now, None))?;
    Ok(true)
}

/// PENDING → PROCESSING (collected into clearing) or DECLINED (nothing moved).
fn collect(
    tx: &mut Tx<'_>,
    provider: &Arc<dyn FinancialProvider>,
    config: &SettlementConfig,
    payment: &SettlingPayment,
    at: DateTime<Utc>,
) -> anyhow::Result<Transition> {
    let total = payment.payer_total()?;
    let outcome = with_source(tx, payment, |tx, source| provider.collect(tx, source, total))?;
    Ok(match outcome {
        CollectionOutcome::Collected => {
            let set = ledger::collection(&payment.id, at, &payment.amounts()?, &payment.ledger_source()?);
            Transition::to(PaymentEntryStatus::Processing, at, Some(config.payout_after)).posting(set)
        }
        CollectionOutcome::Declined => Transition::to(PaymentEntryStatus::Declined, at, None),
    })
}

/// PROCESSING → IN_TRANSIT (the trade executed, paid out to the beneficiary's preferred bank account at this
/// moment) or FAILED (the payer total given back).
fn pay_out(
    tx: &mut Tx<'_>,
    provider: &Arc<dyn FinancialProvider>,
    config: &SettlementConfig,
    payment: &SettlingPayment,
    at: DateTime<Utc>,
) -> anyhow::Result<Transition> {
    let destination = match preferred_bank_account(tx.conn(), &payment.beneficiary_account_id)? {
        Some(preferred) => Some(bank_account(tx, &preferred.id)?),
        None => None,
    };
    let amounts = payment.amounts()?;
    match provider.pay_out(tx, destination.as_ref(), payment.beneficiary_total()?)? {
        PayoutOutcome::PaidOut => {
            let arrive_after =
                if payment.international { config.arrive_international_after } else { config.arrive_local_after };
            let transition = Transition::to(PaymentEntryStatus::InTransit, at, Some(arrive_after))
                .posting(ledger::payout(&payment.id, at, &amounts));
            Ok(Transition { paid_out_to: destination.map(|bank| bank.id), ..transition })
        }
        // A claim payment would become UNCLAIMED here on NoReceivingAccount (PAYMENTS_TO_NEW_EMAILS, not built).
        PayoutOutcome::NoReceivingAccount | PayoutOutcome::Refused => {
            let total = payment.payer_total()?;
            with_source(tx, payment, |tx, source| provider.give_back(tx, source, total))?;
            let set = ledger::give_back(&payment.id, at, &amounts, &payment.ledger_source()?);
            Ok(Transition::to(PaymentEntryStatus::Failed, at, None).posting(set))
        }
    }
}

/// IN_TRANSIT → COMPLETE (arrived in the bank account paid out to) or RETURNED (the payout reversed, the payer
/// total given back).
fn arrive(
    tx: &mut Tx<'_>,
    provider: &Arc<dyn FinancialProvider>,
    payment: &SettlingPayment,
    at: DateTime<Utc>,
) -> anyhow::Result<Transition> {
    let paid_to = payment
        .payout_bank_account_id
        .as_deref()
        .ok_or_else(|| anyhow::anyhow!("payment {} is IN_TRANSIT without a payout bank account", payment.id))?;
    let destination = bank_account(tx, paid_to)?;
    let amounts = payment.amounts()?;
    match provider.arrive(tx, &destination, payment.beneficiary_total()?)? {
        ArrivalOutcome::Arrived => {
            let set = ledger::arrival(&payment.id, at, &amounts, paid_to);
            Ok(Transition::to(PaymentEntryStatus::Complete, at, None).posting(set))
        }
        ArrivalOutcome::Returned => {
            let total = payment.payer_total()?;
            with_source(tx, payment, |tx, source| provider.give_back(tx, source, total))?;
            let set = ledger::give_back_after_payout(&payment.id, at, &amounts, &payment.ledger_source()?);
            Ok(Transition::to(PaymentEntryStatus::Returned, at, None).posting(set))
        }
    }
}

/// Records `transition`: the guarded status change, the history row, the postings, both accounts' events and
/// the payer's email when the payment ends without arriving.
fn apply(tx: &mut Tx<'_>, payment: &SettlingPayment, transition: Transition) -> anyhow::Result<()> {
    let Transition { to, at, next, postings, paid_out_to } = transition;
    // The row is locked, so this always matches; the guard keeps a double application impossible even so.
    let changed =
        diesel::update(payments::table.find(&payment.id).filter(payments::status.eq(payment.status.as_str())))
            .set((
                payments::status.eq(to.as_str()),
                payments::next_step_at.eq(next.map(|at| at.naive_utc())),
                payments::payout_bank_account_id.eq(paid_out_to.as_ref().or(payment.payout_bank_account_id.as_ref())),
            ))
            .execute(tx.conn())?;
    if changed != 1 {
        anyhow::bail!("payment {} changed status under its lock", payment.id);
    }
    diesel::insert_into(payment_status_changes::table)
        .values((
            payment_status_changes::payment_id.eq(&payment.id),
            payment_status_changes::status.eq(to.as_str()),
            payment_status_changes::changed_at.eq(at.naive_utc()),
        ))
        .execute(tx.conn())?;
    if let Some(set) = &postings {
        ledger::post(tx, set)?;
    }
    // A payment of a payment request completes it, or opens it again when it ends without arriving.
    crate::payment_ended(tx, &payment.id, to, at)
        .map_err(|error| anyhow::anyhow!("the request of payment {}: {error:?}", payment.id))?;
    let amounts = payment.amounts()?;
    let payer = SideAmounts { sub: amounts.payer_sub, fee: amounts.payer_fee, total: amounts.payer_total };
    let beneficiary =
        SideAmounts { sub: amounts.beneficiary_sub, fee: amounts.beneficiary_fee, total: amounts.beneficiary_total };
    let value_date = payment.value_date.and_utc();
    let change = (payment.status, to);
    for (account, entry_type, side) in [
        (&payment.payer_account_id, "CREATED_PAYMENT", &payer),
        (&payment.beneficiary_account_id, "RECEIVED_PAYMENT", &beneficiary),
    ] {
        let claims =
            notices::status_changed_claims(&payment.id, entry_type, change, side, &payment.description, value_date);
        record_event(tx, account, EventType::PaymentStatusChanged, claims, at)?;
    }
    if to.is_given_back()
        && let Some(email) = notices::owner_email(tx.conn(), &payment.payer_account_id)?
    {
        let problem = notices::payment_problem(email, to, payment.payer_total()?);
        mail::queue(tx, &problem, at)?;
    }
    Ok(())
}
