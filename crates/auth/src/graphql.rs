use juniper::graphql_object;
use kernel::{ApiError, Context, PublicUrls, SessionChange, SuccessResult, with_transaction};

use crate::{AuthConfig, AuthError, resend_email_verification};

/// The auth domain's root mutation fields.
#[derive(Debug, Default, Clone, Copy)]
pub struct AuthMutation;

#[graphql_object(context = Context)]
impl AuthMutation {
    /// Ends the current session, if any, and clears the cookie. Always succeeds. Success message "Logged out".
    fn logout(ctx: &Context) -> SuccessResult {
        ctx.change_session(SessionChange::End);
        SuccessResult::new("Logged out")
    }

    /// Sends the login's email a new verification link (older links stop working). At most one per
    /// `EMAIL_VERIFICATION_RESEND_INTERVAL`. Success message "Verification email sent to <email>".
    async fn resend_email_verification(ctx: &Context) -> Result<Option<SuccessResult>, ApiError> {
        let login_id = ctx.require_login()?.login_id.clone();
        let config = ctx.services.shared::<AuthConfig>()?;
        let urls = ctx.services.shared::<PublicUrls>()?;
        let now = kernel::Clock::now(ctx.clock.as_ref());
        let email = with_transaction(&ctx.pool, move |tx| -> Result<_, AuthError> {
            resend_email_verification(tx, &login_id, now, &config, &urls)
        })
        .await?;
        Ok(Some(SuccessResult::new(&format!("Verification email sent to {email}"))))
    }
}
