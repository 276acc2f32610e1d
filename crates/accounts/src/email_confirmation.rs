use kernel::{Clock, with_transaction};
use store::Pool;

use crate::{AccountsConfig, AccountsError, evaluate_verified_for_login};

/// `GET /verify-email?token=…` (flows.md section 4): confirms the login's email and re-evaluates the VERIFIED
/// rule of the person's accounts, in one transaction. An unusable token is I-4104.
pub async fn confirm_email(
    pool: &Pool,
    clock: &dyn Clock,
    config: std::sync::Arc<AccountsConfig>,
    token: String,
) -> Result<(), AccountsError> {
    let now = clock.now();
    with_transaction(pool, move |tx| {
        let login_id = auth::confirm_email(tx, &token, now)?;
        Ok(evaluate_verified_for_login(tx, &config, &login_id, now)?)
    })
    .await
}
