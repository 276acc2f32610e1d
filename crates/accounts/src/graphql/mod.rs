//! The accounts domain's GraphQL face: its root fields and the objects that map its types to the contract.

mod account;
mod auth_payload;
mod person;

use auth::LogIn;
use juniper::graphql_object;
use kernel::{ApiError, Context, SecretString, SessionChange, SessionIdentity, with_connection};

pub use account::PrivateAccount;
pub use auth_payload::{AuthPayload, AuthUser, CreateLoginPersonAndAccountInput, LoginInput};
pub use person::PrivatePerson;

use crate::{
    AccountsConfig, AccountsError, SignUp, count_accounts, find_account, find_person, log_in_to_account, sign_up,
};

/// The root fields of a document that hash or verify a password: at most one of them may run per request.
pub const PASSWORD_FIELDS: &[&str] = &["createLoginPersonAndAccount", "login"];

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
            find_account(conn, &config, &identity.person_id, &identity.account_id).map_err(AccountsError::from)
        })
        .await;
        present_or_end_session(ctx, found).map(|account| account.map(PrivateAccount))
    }

    /// The person behind the current login.
    async fn person(ctx: &Context) -> Result<Option<PrivatePerson>, ApiError> {
        let identity = ctx.require_login()?.clone();
        let found = with_connection(&ctx.pool, move |conn| {
            find_person(conn, &identity.person_id, &identity.login_id).map_err(AccountsError::from)
        })
        .await;
        present_or_end_session(ctx, found).map(|person| person.map(PrivatePerson))
    }
}

/// The accounts domain's root mutation fields: the operations that open or pick an account for a login.
#[derive(Debug, Default, Clone, Copy)]
pub struct AccountsMutation;

#[graphql_object(context = Context)]
impl AccountsMutation {
    /// Signs up: creates the login, the person (or reuses the person of that email) and the first account, and
    /// starts a session (sets the `borderless_session` cookie).
    async fn create_login_person_and_account(
        ctx: &Context,
        data: CreateLoginPersonAndAccountInput,
    ) -> Result<Option<AuthPayload>, ApiError> {
        let input = SignUp {
            account_type: data.account_type,
            country: data.country,
            currency: data.currency,
            accepted_terms_at: data.accepted_terms_timestamp.map(|t| t.0),
            email: data.email,
            password: SecretString::from(data.password),
            signup_secret: data.sign_up_secret.map(SecretString::from),
        };
        let identity = sign_up(&ctx.pool, ctx.clock.as_ref(), &ctx.services, input).await?;
        start_session(ctx, identity, false).await.map(Some)
    }

    /// Logs in with email and password and starts a session on the login's oldest account that is not
    /// DEACTIVATED (sets the `borderless_session` cookie).
    async fn login(ctx: &Context, data: LoginInput) -> Result<Option<AuthPayload>, ApiError> {
        let input = LogIn {
            email: data.email,
            password: SecretString::from(data.password),
            extend_expiration_secret: data.extend_expiration_secret.map(SecretString::from),
        };
        let (identity, extended) = log_in_to_account(&ctx.pool, ctx.clock.as_ref(), &ctx.services, input).await?;
        start_session(ctx, identity, extended).await.map(Some)
    }
}

/// A live session whose login, person or account is gone (removed by an operator) is ended: I-4101.
fn present_or_end_session<T>(ctx: &Context, found: Result<Option<T>, AccountsError>) -> Result<Option<T>, ApiError> {
    match found? {
        Some(value) => Ok(Some(value)),
        None => {
            ctx.change_session(SessionChange::End);
            Err(AccountsError::SessionGone.into())
        }
    }
}

/// Asks for the new session and answers who it belongs to.
async fn start_session(ctx: &Context, identity: SessionIdentity, extended: bool) -> Result<AuthPayload, ApiError> {
    let config = ctx.services.shared::<AccountsConfig>()?;
    let for_payload = identity.clone();
    let user = with_connection(&ctx.pool, move |conn| {
        let identity = for_payload;
        let person = find_person(conn, &identity.person_id, &identity.login_id)?;
        let account = find_account(conn, &config, &identity.person_id, &identity.account_id)?;
        let num_accounts = count_accounts(conn, &identity.person_id)?;
        let (Some(person), Some(account)) = (person, account) else {
            return Err(AccountsError::Internal(anyhow::anyhow!("the new session's person or account is missing")));
        };
        Ok(AuthUser { login_id: identity.login_id, person, account, num_accounts })
    })
    .await?;
    ctx.change_session(SessionChange::Start { identity, extended });
    Ok(AuthPayload { user })
}
