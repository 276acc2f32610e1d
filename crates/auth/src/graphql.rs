use juniper::graphql_object;
use kernel::{Context, SessionChange, SuccessResult};

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
}
