use auth::{AuthConfig, AuthError, LogIn, PasswordHasher, log_in};
use kernel::{Clock, Services, SessionIdentity};
use store::Pool;

use crate::landing_account;

/// Logs in (auth checks the credentials) and lands on the person's oldest account that is not DEACTIVATED;
/// a login with none left is refused like a wrong password.
pub async fn log_in_to_account(
    pool: &Pool,
    clock: &dyn Clock,
    services: &Services,
    input: LogIn,
) -> Result<(SessionIdentity, bool), AuthError> {
    let config = services.get::<AuthConfig>()?;
    let hasher = services.get::<PasswordHasher>()?;
    let logged_in = log_in(pool, clock, config, hasher, input, landing_account).await?;
    let (account_id, account_type) = logged_in.landing;
    let identity =
        SessionIdentity { login_id: logged_in.login_id, person_id: logged_in.person_id, account_id, account_type };
    Ok((identity, logged_in.extended))
}
