//! The accounts domain's GraphQL face: its root fields and the objects that map its types to the contract.

mod account;
mod account_changes;
mod account_services;
mod auth_payload;
mod bank_accounts;
mod company_officers;
mod person;
mod reference;
mod setup_session;
mod validation;
mod verification;

use auth::LogIn;
use juniper::graphql_object;
use kernel::{
    AccountType, ApiError, Clock, Context, SecretString, SessionChange, SessionIdentity, SuccessResult,
    with_connection, with_transaction,
};

pub use account::PrivateAccount;
pub use account_changes::{AccountChangesMutation, UpdateAccountInput};
pub use account_services::{
    AccountServicesMutation, AccountServicesQuery, CompanyOfficer, PublicAccount, UpdatePersonInput,
};
pub use auth_payload::{AuthPayload, AuthUser, CreateLoginPersonAndAccountInput, LoginInput};
pub use bank_accounts::{
    AddBankAccountInput, BankAccount, BankAccountsMutation, BankAccountsQuery, ManualBankDataInput,
};
pub use company_officers::{
    AddCompanyOfficerToAccountInput, CompanyOfficersMutation, CompanyOfficersQuery, UploadIdInput,
};
pub use person::PrivatePerson;
pub use reference::ReferenceQuery;
pub use setup_session::{
    AccountSetupSessionResult, SetupSessionMutation, SetupSessionQuery, UpdateAccountSetupSessionInput,
};
pub use validation::ValidationQuery;
pub use verification::{EmbedOnfidoResult, EmbedVerificationServiceResult, VerificationMutation, VerificationQuery};

use crate::{
    AccountReads, AccountsConfig, AccountsError, AfterDeactivation, SignUp, add_account_to_person, count_accounts,
    deactivate_account, find_account, find_person, log_in_to_account, sign_up,
};

/// The root fields of a document that hash or verify a password: at most one of them may run per request.
pub const PASSWORD_FIELDS: &[&str] = &["createLoginPersonAndAccount", "login", "deactivateAccount"];

/// The accounts domain's root query fields.
#[derive(Debug, Default, Clone, Copy)]
pub struct AccountsQuery;

#[graphql_object(context = Context)]
impl AccountsQuery {
    /// The current account of the session.
    async fn account(ctx: &Context) -> Result<Option<PrivateAccount>, ApiError> {
        let identity = ctx.require_login()?;
        let config = ctx.services.get::<AccountsConfig>()?;
        let found = ctx.services.get::<AccountReads>()?.find(config, &identity.person_id, &identity.account_id).await;
        present_or_end_session(ctx, found.map_err(AccountsError::from)).map(|account| account.map(PrivateAccount))
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
        let change = SessionChange::Start { identity: identity.clone(), extended: false };
        answer_with_session(ctx, identity, change).await.map(Some)
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
        let change = SessionChange::Start { identity: identity.clone(), extended };
        answer_with_session(ctx, identity, change).await.map(Some)
    }

    /// Opens the person's second account (the other type, in the current account's country and currency) and
    /// makes it the session's current account, with a new session id.
    async fn add_account_to_person(ctx: &Context, account_type: AccountType) -> Result<Option<AuthPayload>, ApiError> {
        let current = ctx.require_login()?.clone();
        let now = ctx.clock.now();
        let identity =
            with_transaction(&ctx.pool, move |tx| add_account_to_person(tx, &current, account_type, now)).await?;
        let change = SessionChange::Switch { identity: identity.clone() };
        answer_with_session(ctx, identity, change).await.map(Some)
    }

    /// Closes the current account for good. The session moves to the person's other open account, or ends.
    /// Success message "Your account has been deactivated."
    async fn deactivate_account(
        ctx: &Context,
        password: String,
        reason: String,
    ) -> Result<Option<SuccessResult>, ApiError> {
        let current = ctx.require_login()?.clone();
        let password = SecretString::from(password);
        match deactivate_account(&ctx.pool, ctx.clock.as_ref(), &ctx.services, &current, password, &reason).await {
            Ok(after) => {
                ctx.change_session(match after {
                    AfterDeactivation::MovedTo(identity) => SessionChange::Switch { identity },
                    AfterDeactivation::Ended => SessionChange::End,
                });
                Ok(Some(SuccessResult::new("Your account has been deactivated.")))
            }
            Err(AccountsError::IncorrectPassword) => {
                ctx.change_session(SessionChange::WrongPassword);
                Err(AccountsError::IncorrectPassword.into())
            }
            Err(error) => Err(error.into()),
        }
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

/// Answers who the session now belongs to, and asks for the session `change` that makes it so.
async fn answer_with_session(
    ctx: &Context,
    identity: SessionIdentity,
    change: SessionChange,
) -> Result<AuthPayload, ApiError> {
    let config = ctx.services.shared::<AccountsConfig>()?;
    let user = with_connection(&ctx.pool, move |conn| {
        let person = find_person(conn, &identity.person_id, &identity.login_id)?;
        let account = find_account(conn, &config, &identity.person_id, &identity.account_id)?;
        let num_accounts = count_accounts(conn, &identity.person_id)?;
        let (Some(person), Some(account)) = (person, account) else {
            return Err(AccountsError::Internal(anyhow::anyhow!("the new session's person or account is missing")));
        };
        Ok(AuthUser { login_id: identity.login_id, person, account, num_accounts })
    })
    .await?;
    ctx.change_session(change);
    Ok(AuthPayload { user })
}
