use juniper::{GraphQLInputObject, ID, graphql_object};
use kernel::{AccountType, Context, Country, Currency, DateTime, LoginId};

use super::{PrivateAccount, PrivatePerson};
use crate::{Account, Person};

// The inputs hold passwords and secrets as plain strings only until the resolver wraps them; they have no
// `Debug`, so no log line can show them.
#[derive(GraphQLInputObject)]
pub struct CreateLoginPersonAndAccountInput {
    pub account_type: AccountType,
    pub country: Country,
    #[graphql(description = "Defaults to the country's currency.")]
    pub currency: Option<Currency>,
    #[graphql(description = "When the user accepted the terms; defaults to now.")]
    pub accepted_terms_timestamp: Option<DateTime>,
    pub email: String,
    pub password: String,
    #[graphql(description = "Sign-up code; required for BUSINESS accounts, ignored for PERSONAL.")]
    pub sign_up_secret: Option<String>,
}

#[derive(GraphQLInputObject)]
pub struct LoginInput {
    pub email: String,
    pub password: String,
    #[graphql(description = "When it matches the configured secret, the session lives longer (see README.md).")]
    pub extend_expiration_secret: Option<String>,
}

/// What sign-up and login return: who the session now belongs to.
#[derive(Debug, Clone)]
pub struct AuthPayload {
    pub user: AuthUser,
}

#[graphql_object(
    context = Context,
    description = "What sign-up, login, addAccountToPerson and switchAccounts return: who the session now belongs to."
)]
impl AuthPayload {
    fn user(&self) -> &AuthUser {
        &self.user
    }
}

#[derive(Debug, Clone)]
pub struct AuthUser {
    pub login_id: LoginId,
    pub person: Person,
    pub account: Account,
    pub num_accounts: i32,
}

#[graphql_object(context = Context)]
impl AuthUser {
    fn login_id(&self) -> ID {
        self.login_id.clone().into()
    }

    fn person(&self) -> PrivatePerson {
        PrivatePerson(self.person.clone())
    }

    /// The session's current account after the operation.
    fn account(&self) -> PrivateAccount {
        PrivateAccount(self.account.clone())
    }

    /// How many accounts the person owns (1 or 2), whatever their status.
    fn num_accounts(&self) -> i32 {
        self.num_accounts
    }

    /// Whether the login's email address has been confirmed through the verification link.
    fn email_verified(&self) -> bool {
        self.person.email_verified
    }
}
