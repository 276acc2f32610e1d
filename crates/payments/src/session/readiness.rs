//! Whether the payer is ready to pay (flows.md section 6, ActionRequiredForPayment): the acting person has an
//! identity document and a personal tax id, and a linked funding bank account has a fresh balance.

use accounts::{AccountsConfig, balance_is_stale, find_person, preferred_bank_account};
use chrono::{DateTime, Utc};
use kernel::SessionIdentity;
use store::DbConnection;

use super::record::{FundingKind, StoredSession};
use crate::PaymentsError;

/// The personal data the acting person still has to give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataNeeded {
    pub id_upload: bool,
    pub personal_tax_id: bool,
}

/// A linked bank account whose balance must be refreshed in the bank-link widget first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BalanceRefresh {
    pub provider_account_id: String,
    pub bank_account_id: String,
}

/// What the payer must do before the payment can be priced; at least one part is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionRequired {
    pub data_needed: Option<DataNeeded>,
    pub balance_refresh: Option<BalanceRefresh>,
}

/// What stands between the payer and pricing, or `None` when nothing does.
pub(crate) fn action_required(
    conn: &mut DbConnection,
    accounts_config: &AccountsConfig,
    current: &SessionIdentity,
    session: &StoredSession,
    now: DateTime<Utc>,
) -> Result<Option<ActionRequired>, PaymentsError> {
    let funding = (session.funding_source, session.funding_bank_account_id.as_deref());
    action_required_for(conn, accounts_config, current, funding, now)
}

/// [`action_required`] for a payer funded from `funding` (a refund's payer funds from its bank account).
pub(crate) fn action_required_for(
    conn: &mut DbConnection,
    accounts_config: &AccountsConfig,
    current: &SessionIdentity,
    funding: (FundingKind, Option<&str>),
    now: DateTime<Utc>,
) -> Result<Option<ActionRequired>, PaymentsError> {
    let person = find_person(conn, &current.person_id, &current.login_id)?.ok_or(PaymentsError::SessionGone)?;
    let needed =
        DataNeeded { id_upload: !person.uploaded_id, personal_tax_id: person.personal_tax_id_masked.is_none() };
    let data_needed = (needed.id_upload || needed.personal_tax_id).then_some(needed);
    let balance_refresh = match funding {
        (FundingKind::BankAccount, Some(funding)) => preferred_bank_account(conn, &current.account_id)?
            .filter(|bank| bank.id == funding && bank.linked)
            .filter(|bank| {
                balance_is_stale(bank.balance_as_of.map(|at| at.and_utc()), now, accounts_config.bank_balance_max_age)
            })
            .and_then(|bank| {
                bank.provider_account_id
                    .map(|provider_account_id| BalanceRefresh { provider_account_id, bank_account_id: bank.id })
            }),
        _ => None,
    };
    Ok((data_needed.is_some() || balance_refresh.is_some()).then_some(ActionRequired { data_needed, balance_refresh }))
}
