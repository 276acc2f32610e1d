use juniper::{GraphQLInputObject, graphql_object};
use kernel::{ApiError, Context, PublicUrls, SecretString, SessionChange, SuccessResult, Viewer, with_transaction};

use crate::{
    AuthConfig, AuthError, change_password, request_password_reset, resend_email_verification, reset_password,
};

/// The root fields of auth that hash or verify a password: at most one of them may run per request.
pub const PASSWORD_FIELDS: &[&str] = &["changePassword", "resetPassword"];

// Holds a password as a plain string only until the resolver wraps it; no `Debug`, so no log line shows it.
#[derive(GraphQLInputObject)]
pub struct ResetPasswordInput {
    #[graphql(description = "The token from the password-reset link.")]
    token: String,
    new_password: String,
}

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

    /// Changes the login's password. Success message "Updated password successfully!".
    async fn change_password(
        ctx: &Context,
        old_password: String,
        new_password: String,
    ) -> Result<Option<SuccessResult>, ApiError> {
        let caller = ctx.require_login()?.clone();
        let (old, new) = (SecretString::from(old_password), SecretString::from(new_password));
        let changed =
            change_password(&ctx.pool, ctx.clock.as_ref(), &ctx.services, &caller, ctx.wrong_passwords, old, new);
        match changed.await {
            Ok(()) => {
                // Every other session has ended; the caller's stays, under a new id.
                ctx.change_session(SessionChange::Switch { identity: caller });
                Ok(Some(SuccessResult::new("Updated password successfully!")))
            }
            Err(error @ (AuthError::IncorrectCredentials | AuthError::InvalidCredentials)) => {
                ctx.change_session(SessionChange::WrongPassword);
                Err(error.into())
            }
            Err(error) => Err(error.into()),
        }
    }

    /// Emails a password-reset link if a login with this email exists. The answer is the same whether or not it
    /// exists.
    async fn request_password_reset(ctx: &Context, email: String) -> Result<Option<SuccessResult>, ApiError> {
        request_password_reset(&ctx.pool, ctx.clock.as_ref(), &email).await?;
        Ok(Some(SuccessResult::new("If a login exists for this email, a password reset link has been sent to it.")))
    }

    /// Sets a new password with a token from a password-reset email; ends every session of that login.
    async fn reset_password(ctx: &Context, data: ResetPasswordInput) -> Result<Option<SuccessResult>, ApiError> {
        let password = SecretString::from(data.new_password);
        let login_id = reset_password(&ctx.pool, ctx.clock.as_ref(), &ctx.services, &data.token, password).await?;
        // A session of that login sent with the request has ended with the others: clear its cookie too.
        if matches!(&ctx.viewer, Viewer::LoggedIn(identity) if identity.login_id == login_id) {
            ctx.change_session(SessionChange::End);
        }
        Ok(Some(SuccessResult::new("Your password has been reset. Please log in with your new password.")))
    }
}
