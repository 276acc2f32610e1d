use diesel::prelude::*;
use kernel::AccountId;
use store::Tx;
use store::schema::{accounts, bank_accounts};

use super::BankAccountStatus;
use crate::{AccountsError, require_open_account};

/// changePreferredBankAccount: makes bank account `bank_account_id` of account `account_id` its preferred one.
///
/// Under the lock on the account row (taken by the I-4430 guard): the preferred one is the account's
/// `preferred_bank_account_id`, a single column, so concurrent changes leave exactly one, the last to commit.
/// An id of another account's bank account is answered exactly like an unknown one (I-4407).
pub fn change_preferred_bank_account(
    tx: &mut Tx<'_>,
    account_id: &AccountId,
    bank_account_id: &str,
) -> Result<(), AccountsError> {
    require_open_account(tx, account_id)?;
    let status: Option<BankAccountStatus> = bank_accounts::table
        .filter(bank_accounts::id.eq(bank_account_id))
        .filter(bank_accounts::account_id.eq(account_id))
        .select(bank_accounts::status)
        .first(tx.conn())
        .optional()?;
    match status {
        None => Err(AccountsError::NoSuchBankAccount),
        Some(BankAccountStatus::Failed) => Err(AccountsError::BankAccountFailed),
        Some(_) => {
            diesel::update(accounts::table.find(account_id))
                .set(accounts::preferred_bank_account_id.eq(bank_account_id))
                .execute(tx.conn())?;
            Ok(())
        }
    }
}
