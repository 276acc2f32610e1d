use auth::session::SessionStore;
use auth::{PasswordHasher, verify_login_password};
use kernel::{Clock, SecretString, Services, SessionIdentity, with_transaction};
use store::Pool;

use crate::{AccountsError, landing_account, lifecycle, require_open_account};

/// The longest reason deactivateAccount takes, in characters.
const REASON_MAX: usize = 500;

/// What deactivateAccount did with the caller's session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AfterDeactivation {
    /// The person has another open account: the session moves to it.
    MovedTo(SessionIdentity),
    /// It was the person's last open account: the session ends.
    Ended,
}

/// deactivateAccount: closes the current account for good, after the login's password (E-7004) and a reason
/// (I-4408), in the page's order. The caller tells a wrong password apart (`IncorrectPassword`) to count it
/// against the session. Every session of the login on the closed account moves as the answer says.
pub async fn deactivate_account(
    pool: &Pool,
    clock: &dyn Clock,
    services: &Services,
    current: &SessionIdentity,
    password: SecretString,
    reason: &str,
) -> Result<AfterDeactivation, AccountsError> {
    let account_id = current.account_id.clone();
    with_transaction(pool, move |tx| require_open_account(tx, &account_id).map(|_| ())).await?;
    let reason = reason.trim().to_owned();
    if reason.is_empty() || reason.chars().count() > REASON_MAX {
        return Err(AccountsError::DeactivationReason);
    }
    if !verify_login_password(pool, services.get::<PasswordHasher>()?, &current.login_id, password).await? {
        return Err(AccountsError::IncorrectPassword);
    }
    let now = clock.now();
    let (login_id, closed) = (current.login_id.clone(), current.account_id.clone());
    let current = current.clone();
    let after = with_transaction(pool, move |tx| {
        // Checked again under the row lock: staff may have blocked the account meanwhile.
        let previous = require_open_account(tx, &current.account_id)?;
        lifecycle::deactivate(tx, &current.account_id, previous, &reason, now)?;
        Ok::<_, AccountsError>(match landing_account(tx.conn(), &current.person_id)? {
            Some((account_id, account_type)) => {
                AfterDeactivation::MovedTo(SessionIdentity { account_id, account_type, ..current })
            }
            None => AfterDeactivation::Ended,
        })
    })
    .await?;
    let to = match &after {
        AfterDeactivation::MovedTo(identity) => Some(identity.clone()),
        AfterDeactivation::Ended => None,
    };
    services.get::<SessionStore>()?.move_sessions(&login_id, &closed, to).await?;
    Ok(after)
}
