//! createRefundSession.

use accounts::{BankAccountStatus, preferred_bank_account};
use kernel::{Clock, SessionIdentity, with_transaction};
use store::Pool;

use super::checks::{locked_refundable, may_start};
use super::record::{StoredSession, replace};
use crate::{RefundsConfig, RefundsError};

/// createRefundSession, its rules in the page's order: an open current account (under its row lock), a
/// payment it received, that payment still refundable (the limits of flows.md section 10, under the payment's
/// row lock), an open original payer, and a FULLY_VERIFIED preferred bank account to refund from. The login
/// session's earlier refund session, if any, is replaced; no attempt is counted.
pub async fn create_refund_session(
    pool: &Pool,
    clock: &dyn Clock,
    config: &RefundsConfig,
    current: &SessionIdentity,
    session_key: &str,
    payment_id: &str,
) -> Result<(), RefundsError> {
    let now = clock.now();
    let (config, current, session_key, payment_id) =
        (*config, current.clone(), session_key.to_owned(), payment_id.to_owned());
    with_transaction(pool, move |tx| {
        let status = kernel::locked_account_status(tx, &current.account_id)?.ok_or(RefundsError::SessionGone)?;
        if status.is_closed() {
            return Err(RefundsError::AccountDisabled);
        }
        let payment = locked_refundable(tx, &current.account_id, &payment_id)?;
        may_start(&payment, &config, now)?;
        let bank = preferred_bank_account(tx.conn(), &current.account_id)?
            .filter(|bank| bank.status == BankAccountStatus::FullyVerified)
            .ok_or(RefundsError::NoFundingBankAccount)?;
        let session = StoredSession {
            session_key,
            id: kernel::new_id(),
            login_id: current.login_id,
            account_id: current.account_id,
            original_payment_id: payment.payment_id,
            payer_currency: bank.currency,
            funding_bank_account_id: bank.id,
            beneficiary_account_id: payment.original_payer,
            beneficiary_currency: payment.payer_currency,
            definition: None,
            quote_id: None,
            created_at: now.naive_utc(),
            used_at: now.naive_utc(),
        };
        Ok(replace(tx.conn(), &session, config.session_ttl, now)?)
    })
    .await
}
