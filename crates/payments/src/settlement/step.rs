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
use store::schema::{payment_status_changes, payments, refunds};
use webhooks::{EventType, record_event};

use super::record::SettlingPayment;
use crate::ledger::{self, PostingSet};
use crate::notices::{self, SideAmounts};
use crate::provider::{ArrivalOutcome, CollectionOutcome, FinancialProvider, FundsSource, PayoutOutcome};
use crate::session::FundingKind;
use crate::{PaymentEntryStatus, PaymentKind, SettlementConfig};

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

/// Whether the payer or the beneficiary account (a held address has none) is closed.
fn either_closed(tx: &mut Tx<'_>, payment: &SettlingPayment) -> anyhow::Result<bool> {
    Ok(closed(tx, &payment.payer_account_id)?
        || match &payment.beneficiary_account_id {
            Some(beneficiary) => closed(tx, beneficiary)?,
            None => false,
        })
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
        PaymentEntryStatus::Scheduled | PaymentEntryStatus::Pending if either_closed(tx, &payment)? => {
            Transition::to(PaymentEntryStatus::Canceled, now, None)
        }
        PaymentEntryStatus::Scheduled => Transition::to(PaymentEntryStatus::Pending, due, Some(config.collect_after)),
        PaymentEntryStatus::Pending => collect(tx, provider, config, &payment, due)?,
        PaymentEntryStatus::Processing => pay_out(tx, provider, config, &payment, due)?,
        PaymentEntryStatus::InTransit => arrive(tx, provider, &payment, due)?,
        // Its next step is the claim expiry: nobody claimed it, so it is given back.
        PaymentEntryStatus::Unclaimed => give_back(tx, provider, &payment, (PaymentEntryStatus::Canceled, due))?,
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
    if !either_closed(tx, &payment)? {
        return Ok(false);
    }
    apply(tx, &payment, Transition::to(PaymentEntryStatus::Canceled, now, None))?;
    Ok(true)
}

/// UNCLAIMED → PROCESSING for claim payment `id` once its beneficiary can receive (flows.md section 8): the
/// payout then follows after `SETTLEMENT_PAYOUT_AFTER`, the money still in clearing. Answers whether it moved.
pub(crate) fn claim(tx: &mut Tx<'_>, config: &SettlementConfig, id: &str, now: DateTime<Utc>) -> anyhow::Result<bool> {
    let Some(payment) = locked(tx, id)? else { return Ok(false) };
    if payment.status != PaymentEntryStatus::Unclaimed {
        return Ok(false);
    }
    let Some(beneficiary) = &payment.beneficiary_account_id else { return Ok(false) };
    if accounts::accounts_that_can_receive(tx.conn(), std::slice::from_ref(beneficiary))?.is_empty() {
        return Ok(false);
    }
    apply(tx, &payment, Transition::to(PaymentEntryStatus::Processing, now, Some(config.payout_after)))?;
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
    let preferred = match &payment.beneficiary_account_id {
        Some(beneficiary) => preferred_bank_account(tx.conn(), beneficiary)?,
        None => None,
    };
    let destination = match preferred {
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
        // Held, the money in clearing, until the beneficiary can receive or the claim expires.
        PayoutOutcome::NoReceivingAccount if payment.kind == PaymentKind::ClaimPayment => {
            Ok(Transition::to(PaymentEntryStatus::Unclaimed, at, Some(config.claim_expiry)))
        }
        PayoutOutcome::NoReceivingAccount | PayoutOutcome::Refused => {
            give_back(tx, provider, payment, (PaymentEntryStatus::Failed, at))
        }
    }
}

/// PROCESSING or UNCLAIMED → `to`: the payer total, collected but not paid out, given back to its source.
fn give_back(
    tx: &mut Tx<'_>,
    provider: &Arc<dyn FinancialProvider>,
    payment: &SettlingPayment,
    (to, at): (PaymentEntryStatus, DateTime<Utc>),
) -> anyhow::Result<Transition> {
    let total = payment.payer_total()?;
    with_source(tx, payment, |tx, source| provider.give_back(tx, source, total))?;
    let set = ledger::give_back(&payment.id, at, &payment.amounts()?, &payment.ledger_source()?);
    Ok(Transition::to(to, at, None).posting(set))
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

/// The payment refund `id` refunds.
fn original_payment(tx: &mut Tx<'_>, id: &str) -> anyhow::Result<String> {
    Ok(refunds::table.find(id).select(refunds::original_payment_id).first(tx.conn())?)
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
    let beneficiary_side =
        SideAmounts { sub: amounts.beneficiary_sub, fee: amounts.beneficiary_fee, total: amounts.beneficiary_total };
    let value_date = payment.value_date.and_utc();
    let change = (payment.status, to);
    let (created, received) = payment.kind.entry_types();
    let sides = [
        Some((&payment.payer_account_id, created, &payer)),
        payment.beneficiary_account_id.as_ref().map(|beneficiary| (beneficiary, received, &beneficiary_side)),
    ];
    let original = match payment.kind {
        PaymentKind::Refund => Some(original_payment(tx, &payment.id)?),
        PaymentKind::Payment | PaymentKind::ClaimPayment => None,
    };
    for (account, entry_type, side) in sides.into_iter().flatten() {
        let (event, claims) = match &original {
            Some(original) => (
                EventType::RefundStatusChanged,
                notices::refund_status_changed_claims(&payment.id, original, entry_type, change, side),
            ),
            None => (
                EventType::PaymentStatusChanged,
                notices::status_changed_claims(
                    &payment.id,
                    entry_type.as_str(),
                    change,
                    side,
                    &payment.description,
                    value_date,
                ),
            ),
        };
        record_event(tx, account, event, claims, at)?;
    }
    // A refund's payer is told of a problem by its events; payment_problem is about payments (providers.md).
    if to.is_given_back()
        && original.is_none()
        && let Some(email) = notices::owner_email(tx.conn(), &payment.payer_account_id)?
    {
        let problem = notices::payment_problem(email, change, payment.payer_total()?);
        mail::queue(tx, &problem, at)?;
    }
    Ok(())
}
