//! The scheduled-international permission (I-4731, flows.md section 7): a flag per account, off by default,
//! that only operations staff set or clear, with `borderless admin scheduled-international` (providers.md
//! section 9). Its read is [`crate::scheduled_international`].

use diesel::prelude::*;
use kernel::AccountId;
use store::Tx;
use store::schema::accounts;

use crate::OperatorRefusal;

/// `borderless admin scheduled-international`: sets (`allowed`) or clears the account's permission to schedule
/// INTERNATIONAL payments and refunds after today, under the account's row lock. Answers the stored value.
pub fn set_scheduled_international(
    tx: &mut Tx<'_>,
    account_id: &AccountId,
    allowed: bool,
) -> Result<bool, OperatorRefusal> {
    tx.lock_rows::<accounts::table>(&[account_id.as_str()])?;
    let changed = diesel::update(accounts::table.find(account_id))
        .set(accounts::scheduled_international.eq(allowed))
        .execute(tx.conn())?;
    if changed == 0 {
        return Err(OperatorRefusal::UnknownAccount(account_id.clone()));
    }
    Ok(allowed)
}
