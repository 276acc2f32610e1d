use accounts::{
    BankAccountStatus, Payee, PayeeByEmail, locked_payee, payee, payee_by_email, payee_by_slug, preferred_bank_account,
};
use kernel::{AccountStatus, Clock, Currency, Email, FxRates, SessionIdentity, with_transaction};
use store::{DbConnection, Pool};

use super::record::{FundingKind, NamedBy, StoredSession, replace};
use crate::{PaymentsConfig, PaymentsError};

/// createPaymentSession's arguments, trimmed, an empty string counting as not given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewPaymentSession {
    pub to_email: Option<String>,
    pub to_slug: Option<String>,
    pub from_currency: Option<Currency>,
}

/// Whether an account in this status and country may pay (flows.md section 2): FUNDING_BALANCE_VERIFIED, or
/// VERIFIED outside `GLOBAL_PAYOUT_COUNTRIES`.
pub(crate) fn may_pay(config: &PaymentsConfig, payer: &Payee) -> bool {
    match payer.status {
        AccountStatus::FundingBalanceVerified => true,
        AccountStatus::Verified => !config.global_payout_countries.contains(&payer.country),
        _ => false,
    }
}

/// Who the payer named: an account, or (claim payments only) an email address no login has.
pub(crate) enum Named {
    Account(Payee),
    Address,
}

/// The beneficiary the payer named, by the rules 6 and 7 of createPaymentSession; an email no login has is
/// refused (I-4704) unless `claims_enabled`.
fn beneficiary(
    conn: &mut DbConnection,
    current: &SessionIdentity,
    named: &(NamedBy, String),
    claims_enabled: bool,
) -> Result<Named, PaymentsError> {
    match named {
        (NamedBy::Email, raw) => {
            let email = Email::parse(raw).ok_or(PaymentsError::InvalidEmail)?;
            match payee_by_email(conn, &email)? {
                // The caller's own login email: a person has one login, and the caller's account is open.
                PayeeByEmail::Open(payee) if payee.person_id == current.person_id => Err(PaymentsError::PaySelf),
                PayeeByEmail::Open(payee) => Ok(Named::Account(payee)),
                PayeeByEmail::Closed => Err(PaymentsError::RecipientClosed),
                PayeeByEmail::NoLogin if claims_enabled => Ok(Named::Address),
                PayeeByEmail::NoLogin => Err(PaymentsError::NoAccountForEmail(email.as_str().to_owned())),
            }
        }
        (NamedBy::Handle, handle) => {
            let found = payee_by_slug(conn, handle)?.filter(|payee| payee.status != AccountStatus::Deactivated);
            let payee = found.ok_or_else(|| PaymentsError::NoAccountForHandle(handle.clone()))?;
            if payee.person_id == current.person_id {
                return Err(PaymentsError::PaySelf);
            }
            if payee.status == AccountStatus::Disabled {
                return Err(PaymentsError::RecipientClosed);
            }
            Ok(Named::Account(payee))
        }
    }
}

/// Whether a payment to `account` may be prepared or submitted: it can receive (a FULLY_VERIFIED preferred
/// bank account), or claim payments are enabled and it will be held until it can (I-4750 otherwise).
pub(crate) fn may_be_paid(
    conn: &mut DbConnection,
    config: &PaymentsConfig,
    account: &kernel::AccountId,
) -> Result<(), PaymentsError> {
    if config.payments_to_new_emails || verified_bank_account(conn, account)?.is_some() {
        Ok(())
    } else {
        Err(PaymentsError::RecipientCannotReceive)
    }
}

/// A FULLY_VERIFIED preferred bank account of the account, if it has one: (its id, its currency).
pub(crate) fn verified_bank_account(
    conn: &mut DbConnection,
    account: &kernel::AccountId,
) -> Result<Option<(String, Currency)>, PaymentsError> {
    Ok(preferred_bank_account(conn, account)?
        .filter(|bank| bank.status == BankAccountStatus::FullyVerified)
        .map(|bank| (bank.id, bank.currency)))
}

/// createPaymentSession, its rules in the page's order, checked under the payer account's row lock: an open
/// account that may pay, exactly one way of naming the beneficiary, a beneficiary that exists, is not the payer
/// and can receive, and a funding source. The login session's earlier payment session, if any, is replaced.
pub async fn create_payment_session(
    pool: &Pool,
    clock: &dyn Clock,
    (config, rates): (&PaymentsConfig, &FxRates),
    current: &SessionIdentity,
    session_key: &str,
    new: NewPaymentSession,
) -> Result<(), PaymentsError> {
    let now = clock.now();
    let (config, current, session_key) = (config.clone(), current.clone(), session_key.to_owned());
    let usable = new.from_currency.map(|currency| rates.carries_amounts(currency));
    with_transaction(pool, move |tx| {
        let payer = locked_payee(tx, &current.account_id)?.ok_or(PaymentsError::SessionGone)?;
        if payer.status.is_closed() {
            return Err(PaymentsError::AccountDisabled);
        }
        if !may_pay(&config, &payer) {
            return Err(PaymentsError::CannotPay);
        }
        let named = match (new.to_email, new.to_slug) {
            (Some(_), Some(_)) => return Err(PaymentsError::EmailAndHandle),
            (None, None) => return Err(PaymentsError::NoEmailOrHandle),
            (Some(email), None) => (NamedBy::Email, email),
            (None, Some(handle)) => (NamedBy::Handle, handle),
        };
        let beneficiary = beneficiary(tx.conn(), &current, &named, config.payments_to_new_emails)?;
        if let Named::Account(payee) = &beneficiary {
            may_be_paid(tx.conn(), &config, &payee.account_id)?;
        }
        let (funding_source, funding_bank_account_id, payer_currency) = match new.from_currency {
            Some(currency) => {
                if usable != Some(true) {
                    return Err(PaymentsError::CurrencyNotSupported(currency));
                }
                if payer.status != AccountStatus::FundingBalanceVerified {
                    return Err(PaymentsError::FundingBalanceNotEnabled);
                }
                (FundingKind::FundingBalance, None, currency)
            }
            None => {
                let (bank, currency) =
                    verified_bank_account(tx.conn(), &payer.account_id)?.ok_or(PaymentsError::NoFundingBankAccount)?;
                (FundingKind::BankAccount, Some(bank), currency)
            }
        };
        // A payment to an address is LOCAL: the beneficiary currency is the payer's (flows.md section 8).
        let (beneficiary_account_id, beneficiary_currency) = match beneficiary {
            Named::Account(payee) => (Some(payee.account_id), payee.currency),
            Named::Address => (None, payer_currency),
        };
        let named_as = match named.0 {
            NamedBy::Email => named.1.trim().to_lowercase(),
            NamedBy::Handle => named.1,
        };
        let session = StoredSession {
            session_key,
            id: kernel::new_id(),
            login_id: current.login_id,
            account_id: current.account_id,
            payer_currency,
            funding_source,
            funding_bank_account_id,
            beneficiary_account_id,
            beneficiary_currency,
            named_by: named.0,
            named_as,
            definition: None,
            quote_id: None,
            created_at: now.naive_utc(),
            used_at: now.naive_utc(),
            payment_request_id: None,
        };
        Ok(replace(tx.conn(), &session, config.payment_session_ttl, now)?)
    })
    .await
}

/// The payment request a payment session is started for (createPaymentForRequestSession): its requester is the
/// beneficiary, and its amount in its currency is the fixed amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RequestToPay {
    pub id: String,
    pub requester: kernel::AccountId,
    pub amount: kernel::Money,
}

/// createPaymentForRequestSession rules 8 to 11, in the page's order, inside the caller's transaction (which
/// holds the payer account's row lock): the payer may pay, the requester can receive, the payer has a funding
/// bank account. The login session's earlier payment session, if any, is replaced by one funded from that bank
/// account; answers what the payer must still complete, if anything.
pub(crate) fn start_request_session(
    tx: &mut store::Tx<'_>,
    (config, accounts): (&PaymentsConfig, &accounts::AccountsConfig),
    current: &SessionIdentity,
    session_key: &str,
    request: RequestToPay,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<super::ActionRequired>, PaymentsError> {
    let payer = payee(tx.conn(), &current.account_id)?.ok_or(PaymentsError::SessionGone)?;
    if !may_pay(config, &payer) {
        return Err(PaymentsError::CannotPay);
    }
    let requester = payee(tx.conn(), &request.requester)?.ok_or(PaymentsError::PaymentRequestInaccessible)?;
    may_be_paid(tx.conn(), config, &requester.account_id)?;
    let (bank, payer_currency) =
        verified_bank_account(tx.conn(), &payer.account_id)?.ok_or(PaymentsError::NoFundingBankAccount)?;
    // The beneficiary is named by its handle where it has one, as a pay-me page names it; else by its login
    // email, which the request showed the payer.
    let (named_by, named_as) = match requester.slug {
        Some(slug) => (NamedBy::Handle, slug),
        None => {
            let email = crate::requests::person_email(tx.conn(), &requester.person_id)?;
            (NamedBy::Email, email.ok_or(PaymentsError::PaymentRequestInaccessible)?)
        }
    };
    let session = StoredSession {
        session_key: session_key.to_owned(),
        id: kernel::new_id(),
        login_id: current.login_id.clone(),
        account_id: current.account_id.clone(),
        payer_currency,
        funding_source: FundingKind::BankAccount,
        funding_bank_account_id: Some(bank),
        beneficiary_account_id: Some(requester.account_id),
        beneficiary_currency: request.amount.currency(),
        named_by,
        named_as,
        definition: None,
        quote_id: None,
        created_at: now.naive_utc(),
        used_at: now.naive_utc(),
        payment_request_id: Some(request.id),
    };
    replace(tx.conn(), &session, config.payment_session_ttl, now)?;
    super::readiness::action_required(tx.conn(), accounts, current, &session, now)
}
