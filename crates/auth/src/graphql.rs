use accounts::{
    AccountType, AccountsConfig, PrivateAccount, PrivatePerson, count_accounts, private_account, private_person,
};
use juniper::{GraphQLInputObject, GraphQLObject, ID, graphql_object};
use kernel::{
    ApiError, Context, Country, Currency, DateTime, SessionChange, SessionIdentity, SuccessResult, with_connection,
};

use crate::{AuthConfig, AuthError, LogIn, SignUp, log_in, sign_up};

/// The auth domain's root mutation fields.
#[derive(Debug, Default, Clone, Copy)]
pub struct AuthMutation;

#[derive(GraphQLInputObject, Debug)]
pub struct CreateLoginPersonAndAccountInput {
    account_type: AccountType,
    country: Country,
    #[graphql(description = "Defaults to the country's currency.")]
    currency: Option<Currency>,
    #[graphql(description = "When the user accepted the terms; defaults to now.")]
    accepted_terms_timestamp: Option<DateTime>,
    email: String,
    password: String,
    #[graphql(description = "Sign-up code; required for BUSINESS accounts, ignored for PERSONAL.")]
    sign_up_secret: Option<String>,
}

#[derive(GraphQLInputObject, Debug)]
pub struct LoginInput {
    email: String,
    password: String,
    #[graphql(description = "When it matches the configured secret, the session lives longer (see README.md).")]
    extend_expiration_secret: Option<String>,
}

/// What sign-up and login return: who the session now belongs to.
#[derive(GraphQLObject, Debug, Clone)]
#[graphql(
    description = "What sign-up, login, addAccountToPerson and switchAccounts return: who the session now belongs to."
)]
pub struct AuthPayload {
    pub user: AuthUser,
}

#[derive(GraphQLObject, Debug, Clone)]
pub struct AuthUser {
    pub login_id: ID,
    pub person: PrivatePerson,
    #[graphql(description = "The session's current account after the operation.")]
    pub account: PrivateAccount,
    #[graphql(description = "How many accounts the person owns (1 or 2), whatever their status.")]
    pub num_accounts: i32,
    #[graphql(description = "Whether the login's email address has been confirmed through the verification link.")]
    pub email_verified: bool,
}

#[graphql_object(context = Context)]
impl AuthMutation {
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
            password: data.password,
            signup_secret: data.sign_up_secret,
        };
        let identity = sign_up(&ctx.pool, ctx.clock.as_ref(), &ctx.services, input).await?;
        start_session(ctx, identity, false).await.map(Some)
    }

    /// Logs in with email and password and starts a session on the login's oldest account that is not
    /// DEACTIVATED (sets the `borderless_session` cookie).
    async fn login(ctx: &Context, data: LoginInput) -> Result<Option<AuthPayload>, ApiError> {
        let config = ctx.services.get::<AuthConfig>()?;
        let input = LogIn {
            email: data.email,
            password: data.password,
            extend_expiration_secret: data.extend_expiration_secret,
        };
        let logged_in = log_in(&ctx.pool, ctx.clock.as_ref(), config, input).await?;
        start_session(ctx, logged_in.identity, logged_in.extended).await.map(Some)
    }

    /// Ends the current session, if any, and clears the cookie. Always succeeds. Success message "Logged out".
    fn logout(ctx: &Context) -> SuccessResult {
        ctx.change_session(SessionChange::End);
        SuccessResult::new("Logged out")
    }
}

/// Asks for the new session and answers who it belongs to.
async fn start_session(ctx: &Context, identity: SessionIdentity, extended: bool) -> Result<AuthPayload, ApiError> {
    let config = ctx.services.shared::<AccountsConfig>()?;
    let for_payload = identity.clone();
    let user = with_connection(&ctx.pool, move |conn| {
        let identity = for_payload;
        let person = private_person(conn, &identity.person_id)?;
        let account = private_account(conn, &config, &identity.person_id, &identity.account_id)?;
        let num_accounts = count_accounts(conn, &identity.person_id)?;
        let (Some(person), Some(account)) = (person, account) else {
            return Err(AuthError::Internal(anyhow::anyhow!("the new session's person or account is missing")));
        };
        Ok(AuthUser {
            login_id: ID::new(identity.login_id.to_string()),
            email_verified: person.email_verified,
            person,
            account,
            num_accounts,
        })
    })
    .await?;
    ctx.change_session(SessionChange::Start { identity, extended });
    Ok(AuthPayload { user })
}
