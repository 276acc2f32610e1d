//! paymentSession: the payment being prepared, as its review screen shows it.

use std::sync::Arc;

use accounts::{BankAccount, PublicAccount, bank_accounts, public_account};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use kernel::{Clock, Currency, SessionIdentity, with_transaction};
use store::schema::quotes;
use store::{DbConnection, Pool};

use super::define::Definition;
use super::quote::QuotedAmounts;
use super::record::{FundingKind, NamedBy, StoredSession, live_touched};
use crate::{FinancialProvider, PaymentsConfig, PaymentsError, Rate};

/// A quote as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub id: i64,
    pub rate: Rate,
    pub amounts: QuotedAmounts,
    pub expires_at: DateTime<Utc>,
}

/// The priced part of a payment session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub definition: Definition,
    pub quote: Quote,
}

/// What paymentSession shows.
#[derive(Debug, Clone, PartialEq)]
pub struct PaymentSessionView {
    pub payer_currency: Currency,
    /// The funding bank account, masked; `None` when funded from the funding balance.
    pub funding_bank_account: Option<BankAccount>,
    pub funding_balance: bool,
    pub beneficiary_currency: Currency,
    pub beneficiary: Option<PublicAccount>,
    /// The email the payer named the beneficiary by, when it did.
    pub named_email: Option<String>,
    /// The indicative rate P→B now.
    pub indicative_rate: Rate,
    /// The earliest allowed value date.
    pub today: NaiveDate,
    pub review: Option<Review>,
}

pub(crate) fn stored_quote(conn: &mut DbConnection, id: i64) -> Result<Quote, PaymentsError> {
    let (rate, amounts, expires_at): (String, String, chrono::NaiveDateTime) =
        quotes::table.find(id).select((quotes::rate, quotes::amounts, quotes::expires_at)).first(conn)?;
    let rate = rate.parse().map_err(|_| anyhow::anyhow!("quote {id}: rate {rate:?} unreadable"))?;
    let rate = Rate::new(rate).map_err(|error| anyhow::anyhow!("quote {id}: {error}"))?;
    let amounts = serde_json::from_str(&amounts).map_err(anyhow::Error::from)?;
    Ok(Quote { id, rate, amounts, expires_at: expires_at.and_utc() })
}

fn review(conn: &mut DbConnection, session: &StoredSession) -> Result<Option<Review>, PaymentsError> {
    let (Some(definition), Some(quote_id)) = (&session.definition, session.quote_id) else { return Ok(None) };
    let definition: Definition = serde_json::from_str(definition).map_err(anyhow::Error::from)?;
    Ok(Some(Review { definition, quote: stored_quote(conn, quote_id)? }))
}

/// paymentSession: the login session's live payment session (I-4716 without one); reading it restarts its idle
/// deadline.
pub async fn payment_session(
    pool: &Pool,
    clock: &dyn Clock,
    (config, provider): (&PaymentsConfig, &Arc<dyn FinancialProvider>),
    current: &SessionIdentity,
    session_key: &str,
) -> Result<PaymentSessionView, PaymentsError> {
    let now = clock.now();
    let (config, provider, current, session_key) =
        (config.clone(), provider.clone(), current.clone(), session_key.to_owned());
    with_transaction(pool, move |tx| {
        let session = live_touched(tx.conn(), &session_key, &current.account_id, config.payment_session_ttl, now)?
            .ok_or(PaymentsError::NoPaymentSession)?;
        let funding_bank_account = match &session.funding_bank_account_id {
            Some(id) => bank_accounts(tx.conn(), &session.account_id)?.into_iter().find(|bank| &bank.id == id),
            None => None,
        };
        let (payer, beneficiary) = (session.payer_currency, session.beneficiary_currency);
        let indicative_rate = provider
            .indicative_rate(payer, beneficiary)
            .map_err(|error| anyhow::anyhow!("no rate {payer}→{beneficiary}: {error}"))?;
        Ok(PaymentSessionView {
            payer_currency: payer,
            funding_bank_account,
            funding_balance: session.funding_source == FundingKind::FundingBalance,
            beneficiary_currency: beneficiary,
            beneficiary: match &session.beneficiary_account_id {
                Some(account) => public_account(tx.conn(), account)?,
                None => None,
            },
            named_email: (session.named_by == NamedBy::Email).then(|| session.named_as.clone()),
            indicative_rate,
            today: now.date_naive(),
            review: review(tx.conn(), &session)?,
        })
    })
    .await
}
