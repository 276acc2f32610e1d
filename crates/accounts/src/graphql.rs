use juniper::graphql_object;
use kernel::{ApiError, Context, SessionChange, with_connection};

use crate::{AccountsConfig, AccountsError, PrivateAccount, PrivatePerson, private_account, private_person};

/// The accounts domain's root query fields.
#[derive(Debug, Default, Clone, Copy)]
pub struct AccountsQuery;

#[graphql_object(context = Context)]
impl AccountsQuery {
    /// The current account of the session.
    async fn account(ctx: &Context) -> Result<Option<PrivateAccount>, ApiError> {
        let identity = ctx.require_login()?.clone();
        let config = ctx.services.shared::<AccountsConfig>()?;
        let found = with_connection(&ctx.pool, move |conn| {
            private_account(conn, &config, &identity.person_id, &identity.account_id)
        })
        .await;
        present_or_end_session(ctx, found)
    }

    /// The person behind the current login.
    async fn person(ctx: &Context) -> Result<Option<PrivatePerson>, ApiError> {
        let identity = ctx.require_login()?.clone();
        let found = with_connection(&ctx.pool, move |conn| private_person(conn, &identity.person_id)).await;
        present_or_end_session(ctx, found)
    }
}

/// A live session whose person or account is gone (removed by an operator) is ended: I-4101.
fn present_or_end_session<T>(ctx: &Context, found: Result<Option<T>, AccountsError>) -> Result<Option<T>, ApiError> {
    match found? {
        Some(value) => Ok(Some(value)),
        None => {
            ctx.change_session(SessionChange::End);
            Err(AccountsError::SessionGone.into())
        }
    }
}
