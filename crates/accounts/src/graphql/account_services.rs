//! The account-services operations of this domain: accounts, companyOfficers, publicAccountBySlug,
//! switchAccounts and updatePerson.

use juniper::{GraphQLInputObject, ID, Nullable, graphql_object};
use kernel::{
    AccountType, ApiError, Context, Country, Currency, DateTime, SecretString, SessionChange, SuccessResult,
    with_connection, with_transaction,
};

use super::{AuthPayload, PrivateAccount, answer_with_session, present_or_end_session};
use crate::{
    AccountsConfig, AccountsError, CompanyOfficerType, IdentityCheckStatus, Patch, PersonUpdate, TaxIdKey,
    company_officers, list_accounts, public_account_by_slug, switch_account, update_person,
};

// Holds a personal tax id as a plain string only until the resolver wraps it; no `Debug`, so no log line can
// show it.
#[derive(GraphQLInputObject)]
pub struct UpdatePersonInput {
    phone: Nullable<String>,
    phone_country_code: Nullable<Country>,
    personal_tax_id: Nullable<String>,
}

fn patch<T>(value: Nullable<T>) -> Patch<T> {
    match value {
        Nullable::ImplicitNull => Patch::Absent,
        Nullable::ExplicitNull => Patch::Clear,
        Nullable::Some(value) => Patch::Set(value),
    }
}

impl From<UpdatePersonInput> for PersonUpdate {
    fn from(data: UpdatePersonInput) -> Self {
        Self {
            phone: patch(data.phone),
            phone_country_code: patch(data.phone_country_code),
            personal_tax_id: match patch(data.personal_tax_id) {
                Patch::Set(text) => Patch::Set(SecretString::from(text)),
                Patch::Clear => Patch::Clear,
                Patch::Absent => Patch::Absent,
            },
        }
    }
}

/// The contract's `PublicAccount`.
#[derive(Debug, Clone)]
pub struct PublicAccount(pub crate::PublicAccount);

#[graphql_object(context = Context, description = "What anyone may see of an account.")]
impl PublicAccount {
    fn account_type(&self) -> AccountType {
        self.0.account_type
    }

    fn display_name(&self) -> Option<&str> {
        self.0.display_name.as_deref()
    }

    fn currency(&self) -> Currency {
        self.0.currency
    }

    fn slug(&self) -> Option<&str> {
        self.0.slug.as_deref()
    }
}

/// The contract's `CompanyOfficer`.
#[derive(Debug, Clone)]
pub struct CompanyOfficer(pub crate::CompanyOfficer);

#[graphql_object(context = Context)]
impl CompanyOfficer {
    fn id(&self) -> ID {
        ID::new(self.0.id.clone())
    }

    fn name(&self) -> &str {
        &self.0.name
    }

    /// 0 to 100.
    fn percent_of_ownership(&self) -> f64 {
        self.0.percent_of_ownership()
    }

    #[graphql(name = "type")]
    fn officer_type(&self) -> CompanyOfficerType {
        self.0.officer_type
    }

    fn date_of_birth(&self) -> Option<DateTime> {
        self.0.date_of_birth.map(DateTime)
    }

    fn job_title(&self) -> Option<&str> {
        self.0.job_title.as_deref()
    }

    fn country(&self) -> Option<Country> {
        self.0.country
    }

    /// Whether an identity document was given for this officer.
    fn uploaded_id(&self) -> bool {
        self.0.uploaded_id
    }

    fn identity_check_status(&self) -> IdentityCheckStatus {
        self.0.identity_check_status
    }

    /// True once submitCompanyOfficers has sent this officer to the financial provider.
    fn submitted(&self) -> bool {
        self.0.submitted
    }

    fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}

/// The account-services queries' root fields.
#[derive(Debug, Default, Clone, Copy)]
pub struct AccountServicesQuery;

#[graphql_object(context = Context)]
impl AccountServicesQuery {
    /// Every account of the logged-in person that is not DEACTIVATED (at most one PERSONAL and one BUSINESS),
    /// oldest first.
    async fn accounts(ctx: &Context) -> Result<Vec<PrivateAccount>, ApiError> {
        let identity = ctx.require_login()?.clone();
        let config = ctx.services.shared::<AccountsConfig>()?;
        let found = with_connection(&ctx.pool, move |conn| {
            list_accounts(conn, &config, &identity.person_id, &identity.login_id)
        })
        .await;
        let listed = present_or_end_session(ctx, found)?.unwrap_or_default();
        Ok(listed.into_iter().map(PrivateAccount).collect())
    }

    /// The current business account's company officers, oldest first.
    async fn company_officers(ctx: &Context) -> Result<Vec<CompanyOfficer>, ApiError> {
        let identity = ctx.require_business()?.clone();
        let officers = with_connection(&ctx.pool, move |conn| {
            company_officers(conn, &identity.account_id).map_err(AccountsError::from)
        })
        .await?;
        Ok(officers.into_iter().map(CompanyOfficer).collect())
    }

    /// Public profile of a BUSINESS account found by its PayMe handle.
    async fn public_account_by_slug(ctx: &Context, slug: String) -> Result<Option<PublicAccount>, ApiError> {
        ctx.require_login()?;
        let found = with_connection(&ctx.pool, move |conn| public_account_by_slug(conn, &slug)).await?;
        Ok(Some(PublicAccount(found)))
    }
}

/// The account-services mutations' root fields.
#[derive(Debug, Default, Clone, Copy)]
pub struct AccountServicesMutation;

#[graphql_object(context = Context)]
impl AccountServicesMutation {
    /// Makes another account of the logged-in person the session's current account.
    async fn switch_accounts(ctx: &Context, account_id: ID) -> Result<Option<AuthPayload>, ApiError> {
        let current = ctx.require_login()?.clone();
        let config = ctx.services.shared::<AccountsConfig>()?;
        let identity =
            with_connection(&ctx.pool, move |conn| switch_account(conn, &config, &current, &account_id)).await?;
        let change = SessionChange::Switch { identity: identity.clone() };
        answer_with_session(ctx, identity, change).await.map(Some)
    }

    /// Updates the person's phone and personal tax id; a changed tax id is re-verified with the financial provider.
    /// Success message "Person updated sucessfully" (spelling kept as the original API has it).
    async fn update_person(ctx: &Context, data: UpdatePersonInput) -> Result<Option<SuccessResult>, ApiError> {
        let current = ctx.require_login()?.clone();
        let key = ctx.services.shared::<TaxIdKey>()?;
        let input = PersonUpdate::from(data);
        with_transaction(&ctx.pool, move |tx| update_person(tx, &key, &current, input)).await?;
        Ok(Some(SuccessResult::new("Person updated sucessfully")))
    }
}
