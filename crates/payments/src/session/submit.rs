//! submitPaymentSession: the prepared payment made, once, under the payment session's lock.

use std::sync::Arc;

use ::accounts::{Payee, PayeeByEmail, locked_payee, payee, payee_by_email};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use kernel::{
    AccountId, AccountStatus, Clock, Currency, Email, Money, PublicUrls, SessionIdentity, new_id, with_transaction,
};
use store::schema::{accounts, payment_requests};
use store::{DbConnection, Pool, Tx};
use webhooks::{EventType, record_event};

use super::create::{may_pay, verified_bank_account};
use super::define::Definition;
use super::idempotency::{KeptPayment, KeptRefusal, PaymentAnswer, keep_first_answer, kept_first_answer};
use super::read::{Quote, stored_quote};
use super::record::{NamedBy, StoredSession, delete, live};
use crate::movement::{self, NewMovement, Recorded};
use crate::notices::{self, SideAmounts};
use crate::provider::FinancialProvider;
use crate::requests::take_for_payment;
use crate::{PaymentEntryStatus, PaymentKind, PaymentsConfig, PaymentsError, Rate};

/// One side of a submitted payment, in its currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaymentSide {
    pub sub: Money,
    pub fee: Money,
    pub total: Money,
}

/// What submitPaymentSession made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmittedPayment {
    pub id: String,
    pub payer: PaymentSide,
    pub beneficiary: PaymentSide,
    pub rate: Rate,
    pub description: String,
    pub email_message: Option<String>,
    pub value_date: NaiveDate,
    pub trade_number: String,
    pub status: PaymentEntryStatus,
    /// For a payment of a pay-me request, where the beneficiary sends its payers afterwards.
    pub redirect_url: Option<String>,
}

pub(crate) fn side(currency: Currency, (sub, fee, total): (i64, i64, i64)) -> Result<PaymentSide, PaymentsError> {
    Ok(PaymentSide {
        sub: Money::from_minor_units(sub, currency)?,
        fee: Money::from_minor_units(fee, currency)?,
        total: Money::from_minor_units(total, currency)?,
    })
}

fn sides(side: PaymentSide) -> SideAmounts {
    SideAmounts { sub: side.sub, fee: side.fee, total: side.total }
}

/// The rules 2 to 7 of submitPaymentSession that can refuse, in the page's order; answers the session, its
/// definition and quote, the receiver and the payer (read under its row lock, so it stays as read until commit).
fn check(
    tx: &mut Tx<'_>,
    config: &PaymentsConfig,
    current: &SessionIdentity,
    (session, payment_id): (Option<StoredSession>, &str),
    now: DateTime<Utc>,
) -> Result<(StoredSession, Definition, Quote, Receiver, Payee), PaymentsError> {
    let session = session.ok_or(PaymentsError::SessionNotSubmittable)?;
    let (Some(definition), Some(quote_id)) = (&session.definition, session.quote_id) else {
        return Err(PaymentsError::SessionNotSubmittable);
    };
    let definition: Definition = serde_json::from_str(definition).map_err(anyhow::Error::from)?;
    let quote = stored_quote(tx.conn(), quote_id)?;
    if now >= quote.expires_at {
        return Err(PaymentsError::QuoteExpired);
    }
    if definition.value_date < now.date_naive() {
        return Err(PaymentsError::DateInPast);
    }
    // Taking the request under its lock before the payment exists is what makes a request paid at most once.
    if let Some(request_id) = &session.payment_request_id {
        take_for_payment(tx, request_id, &current.account_id, payment_id, now)?;
    }
    let payer = locked_payee(tx, &current.account_id)?.ok_or(PaymentsError::SessionGone)?;
    if payer.status.is_closed() {
        return Err(PaymentsError::AccountDisabled);
    }
    if !may_pay(config, &payer) {
        return Err(PaymentsError::CannotPay);
    }
    let receiver = receiver(tx.conn(), config, &session)?;
    Ok((session, definition, quote, receiver, payer))
}

/// Who a payment is made to at submit (rule 7).
struct Receiver {
    /// `None` while it is held for an address no login has.
    account: Option<AccountId>,
    /// CLAIM_PAYMENT when it is held until the beneficiary can receive (PAYMENTS_TO_NEW_EMAILS).
    kind: PaymentKind,
}

fn receiver(
    conn: &mut DbConnection,
    config: &PaymentsConfig,
    session: &StoredSession,
) -> Result<Receiver, PaymentsError> {
    let account = match &session.beneficiary_account_id {
        Some(account) => account.clone(),
        // An address no login had when the session was made: whoever signed up with it since is paid, if in
        // the currency the payment was priced in; else it stays held for the address.
        None => {
            let email = Email::parse(&session.named_as).ok_or(PaymentsError::InvalidEmail)?;
            match payee_by_email(conn, &email)? {
                PayeeByEmail::Open(payee) if payee.currency == session.beneficiary_currency => payee.account_id,
                PayeeByEmail::Closed => return Err(PaymentsError::RecipientClosed),
                _ if config.payments_to_new_emails => {
                    return Ok(Receiver { account: None, kind: PaymentKind::ClaimPayment });
                }
                _ => return Err(PaymentsError::NoAccountForEmail(email.as_str().to_owned())),
            }
        }
    };
    let beneficiary = payee(conn, &account)?.ok_or(PaymentsError::RecipientClosed)?;
    if matches!(beneficiary.status, AccountStatus::Deactivated | AccountStatus::Disabled) {
        return Err(PaymentsError::RecipientClosed);
    }
    if verified_bank_account(conn, &account)?.is_some() {
        Ok(Receiver { account: Some(account), kind: PaymentKind::Payment })
    } else if config.payments_to_new_emails {
        Ok(Receiver { account: Some(account), kind: PaymentKind::ClaimPayment })
    } else {
        Err(PaymentsError::RecipientCannotReceive)
    }
}

/// The beneficiary's redirectUrl when the payment pays a pay-me request (one with no addressee).
fn pay_me_redirect(
    conn: &mut DbConnection,
    request_id: Option<&String>,
    beneficiary: Option<&AccountId>,
) -> Result<Option<String>, PaymentsError> {
    let (Some(request_id), Some(beneficiary)) = (request_id, beneficiary) else { return Ok(None) };
    let addressee: Option<String> =
        payment_requests::table.find(request_id).select(payment_requests::addressee_email).first(conn)?;
    if addressee.is_some() {
        return Ok(None);
    }
    Ok(accounts::table.find(beneficiary).select(accounts::redirect_url).first(conn)?)
}

/// submitPaymentSession: under a lock on the payment session (two submits of one session run one after the
/// other; the second finds it gone, I-4710), checks it is priced with a live quote and that both parties can
/// still pay and be paid; then, in one transaction, books the trade with the financial provider, records the
/// payment (SCHEDULED for a later value date, else PENDING) with its first status and when settlement's first
/// step is due, writes `payment.received` for the beneficiary's webhooks, queues `payment_sent` to the payer and
/// `payment_received` to the beneficiary (unless it has an active webhook), and deletes the session. A refusal
/// changes nothing.
///
/// With an `Idempotency-Key` the first answer (the payment, or a refusal) is kept for the login, and a later
/// submit with that key gets it again without running; the key used for another payment session is refused
/// (I-4760). Two submits with one key run one after the other, under a lock on the key.
pub async fn submit_payment_session(
    pool: &Pool,
    clock: &dyn Clock,
    (config, provider, urls): (&PaymentsConfig, &Arc<dyn FinancialProvider>, &PublicUrls),
    current: &SessionIdentity,
    session_key: &str,
    idempotency_key: Option<&str>,
) -> Result<SubmittedPayment, PaymentsError> {
    let now = clock.now();
    let (provider, urls) = (Arc::clone(provider), urls.clone());
    let key = idempotency_key.map(str::to_owned);
    let (config, current, session_key) = (config.clone(), current.clone(), session_key.to_owned());
    let (for_refusal, refusal_key) = ((config.clone(), current.clone(), session_key.clone()), key.clone());
    let result = with_transaction(pool, move |tx| {
        if let Some(key) = &key {
            tx.lock_key(&format!("idempotency:{}:{key}", current.login_id))?;
            if let Some((for_session, answer)) =
                kept_first_answer::<PaymentAnswer>(tx.conn(), &current.login_id, key, now - config.idempotency_key_ttl)?
            {
                let live_session = live(tx.conn(), &session_key, &current.account_id, config.payment_session_ttl, now)?;
                if live_session.is_some_and(|session| Some(session.id) != for_session) {
                    return Err(PaymentsError::IdempotencyKeyReused);
                }
                return answer.replay();
            }
        }
        tx.lock_key(&format!("payment-session:{session_key}"))?;
        let found = live(tx.conn(), &session_key, &current.account_id, config.payment_session_ttl, now)?;
        let id = new_id();
        let (session, definition, quote, Receiver { account: beneficiary_account, kind }, payer_account) =
            check(tx, &config, &current, (found, &id), now)?;
        let movement = NewMovement {
            id: &id,
            kind,
            payer: &session.account_id,
            funding: (session.funding_source, session.funding_bank_account_id.as_deref()),
            beneficiary: beneficiary_account.as_ref(),
            beneficiary_email: (session.named_by == NamedBy::Email).then_some(session.named_as.as_str()),
            currencies: (session.payer_currency, session.beneficiary_currency),
            quote: &quote,
            description: &definition.description,
            message: definition.email_message.as_deref(),
            pop_code: definition.pop_code.as_deref(),
            value_date: definition.value_date,
            payment_request_id: session.payment_request_id.as_deref(),
        };
        let Recorded { payer, beneficiary, status, trade_number, value_date } =
            movement::record(tx, (&config.settlement, &provider), &movement, now)?;
        let international = quote.amounts.international;
        let claims = notices::payment_received_claims(&notices::Received {
            payment_id: &id,
            entry_type: kind.entry_types().1,
            status,
            side: &sides(beneficiary),
            description: &definition.description,
            value_date,
            payment_request_id: session.payment_request_id.as_deref(),
            trade_number: &trade_number,
            payer: &payer_account,
        });
        let estimated_arrival = (now.max(value_date) + config.settlement.time_to_arrive(international)).date_naive();
        if let Some(to) = notices::owner_email(tx.conn(), &session.account_id)? {
            let email = notices::payment_sent(to, &sides(payer), beneficiary.total, &trade_number, estimated_arrival);
            mail::queue(tx, &email, now)?;
        }
        let payer_name = payer_account.display_name.as_deref().or(payer_account.slug.as_deref());
        let payer_name = payer_name.unwrap_or("A borderless user");
        match &beneficiary_account {
            Some(account) => {
                record_event(tx, account, EventType::PaymentReceived, claims, now)?;
                if let Some(to) = notices::email_unless_webhook(tx.conn(), account)? {
                    let message = definition.email_message.as_deref();
                    let email = notices::payment_received(to, &sides(beneficiary), payer_name, message);
                    mail::queue(tx, &email, now)?;
                }
            }
            // Held for an address: it is invited to sign up and claim it.
            None => {
                let to = Email::parse(&session.named_as).ok_or(PaymentsError::InvalidEmail)?;
                let email = notices::claim_invitation(to, payer_name, beneficiary.total, &urls);
                mail::queue(tx, &email, now)?;
            }
        }
        let redirect_url =
            pay_me_redirect(tx.conn(), session.payment_request_id.as_ref(), beneficiary_account.as_ref())?;
        delete(tx.conn(), &session_key)?;
        let payment = SubmittedPayment {
            id,
            payer,
            beneficiary,
            rate: quote.rate,
            description: definition.description,
            email_message: definition.email_message,
            value_date: definition.value_date,
            trade_number,
            status,
            redirect_url,
        };
        if let Some(key) = &key {
            let ttl = config.idempotency_key_ttl;
            let made = PaymentAnswer::made(KeptPayment::from(&payment));
            keep_first_answer(tx.conn(), (&current.login_id, key), Some(&session.id), &made, (now, ttl))?;
        }
        Ok(payment)
    })
    .await;
    match (refusal_key, result) {
        // A refusal is kept in a transaction of its own: the submit's rolled back.
        (Some(key), Err(error)) => {
            let Some(refusal) = KeptRefusal::of(&error) else { return Err(error) };
            let kept_refusal = PaymentAnswer::Refused { refusal };
            let (config, current, session_key) = for_refusal;
            with_transaction(pool, move |tx| {
                tx.lock_key(&format!("idempotency:{}:{key}", current.login_id))?;
                let since = now - config.idempotency_key_ttl;
                if kept_first_answer::<PaymentAnswer>(tx.conn(), &current.login_id, &key, since)?.is_some() {
                    return Ok(());
                }
                let session = live(tx.conn(), &session_key, &current.account_id, config.payment_session_ttl, now)?;
                let for_session = session.map(|session| session.id);
                let kept_for = (now, config.idempotency_key_ttl);
                keep_first_answer(tx.conn(), (&current.login_id, &key), for_session.as_deref(), &kept_refusal, kept_for)
            })
            .await?;
            Err(error)
        }
        (_, result) => result,
    }
}
