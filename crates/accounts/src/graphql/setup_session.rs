//! The account setup session's GraphQL face: accountSetupSession, createAccountSetupSession,
//! updateAccountSetupSession and submitAccountSetupSession. Tax ids become secrets at the door and never reach
//! a log.

use juniper::{GraphQLInputObject, Nullable, graphql_object};
use kernel::{
    AccountType, ApiError, Clock, Context, Country, DateTime, FxRates, SecretString, SuccessResult, with_connection,
    with_transaction,
};

use crate::{
    AccountsConfig, Patch, SetupSession, SetupSessionUpdate, TaxIdKey, create_setup_session, setup_session,
    submit_setup_session, update_setup_session,
};

/// The setup session's root query field.
#[derive(Debug, Default, Clone, Copy)]
pub struct SetupSessionQuery;

#[graphql_object(context = Context)]
impl SetupSessionQuery {
    /// The current account's active account setup session.
    async fn account_setup_session(ctx: &Context) -> Result<Option<AccountSetupSessionResult>, ApiError> {
        let caller = ctx.require_login()?.clone();
        let now = ctx.clock.now();
        let session =
            with_connection(&ctx.pool, move |conn| setup_session(conn, &caller, now).map_err(ApiError::from)).await?;
        Ok(Some(AccountSetupSessionResult(session)))
    }
}

/// The setup session's root mutation fields.
#[derive(Debug, Default, Clone, Copy)]
pub struct SetupSessionMutation;

#[graphql_object(context = Context)]
impl SetupSessionMutation {
    /// Starts, or restarts, the current account's setup session, prefilled from what is already on record.
    async fn create_account_setup_session(ctx: &Context) -> Result<Option<SuccessResult>, ApiError> {
        let caller = ctx.require_login()?.clone();
        let config = ctx.services.shared::<AccountsConfig>()?;
        let now = ctx.clock.now();
        with_transaction(&ctx.pool, move |tx| create_setup_session(tx, &config, &caller, now)).await?;
        Ok(Some(SuccessResult::new("Account setup session created!")))
    }

    /// Merges the given fields into the current setup session; each given field is validated on its own.
    async fn update_account_setup_session(
        ctx: &Context,
        data: UpdateAccountSetupSessionInput,
    ) -> Result<Option<SuccessResult>, ApiError> {
        let caller = ctx.require_login()?.clone();
        let config = ctx.services.shared::<AccountsConfig>()?;
        let key = ctx.services.shared::<TaxIdKey>()?;
        let rates = ctx.services.shared::<FxRates>()?;
        let now = ctx.clock.now();
        let input = data.into_update();
        with_transaction(&ctx.pool, move |tx| update_setup_session(tx, &config, &key, &rates, &caller, input, now))
            .await?;
        Ok(Some(SuccessResult::new("Account setup session successfully updated")))
    }

    /// Validates the current setup session and applies it to the account (status becomes SETUP_SUBMITTED, and
    /// VERIFIED at once when every check has already passed). Succeeds once per account. Success message
    /// "Account setup complete".
    async fn submit_account_setup_session(ctx: &Context) -> Result<Option<SuccessResult>, ApiError> {
        let caller = ctx.require_login()?.clone();
        let config = ctx.services.shared::<AccountsConfig>()?;
        let key = ctx.services.shared::<TaxIdKey>()?;
        let now = ctx.clock.now();
        with_transaction(&ctx.pool, move |tx| submit_setup_session(tx, &config, &key, &caller, now)).await?;
        Ok(Some(SuccessResult::new("Account setup complete")))
    }
}

/// Fields of AccountSetupSessionResult that can be set (accountType and uploadedId cannot). Absent or empty =
/// unchanged; null clears (null for `country` is ignored). It holds tax ids as plain strings only until
/// the resolver wraps them, and has no `Debug`, so no log line can show them.
#[derive(GraphQLInputObject)]
#[graphql(
    description = "Fields of AccountSetupSessionResult that can be set (accountType and uploadedId cannot). Absent or empty =\nunchanged; null clears (null for `country` is ignored)."
)]
pub struct UpdateAccountSetupSessionInput {
    slug: Nullable<String>,
    address_line1: Nullable<String>,
    address_line2: Nullable<String>,
    city: Nullable<String>,
    zone_code: Nullable<String>,
    postal_code: Nullable<String>,
    #[graphql(description = "Must equal the account's country.")]
    country: Option<Country>,
    identification_type: Nullable<String>,
    bank_name: Nullable<String>,
    first_name: Nullable<String>,
    middle_name: Nullable<String>,
    last_name: Nullable<String>,
    phone: Nullable<String>,
    phone_country_code: Nullable<Country>,
    date_of_birth: Nullable<DateTime>,
    personal_tax_id: Nullable<String>,
    citizenship: Nullable<Country>,
    name: Nullable<String>,
    display_name: Nullable<String>,
    business_type: Nullable<String>,
    business_tax_id: Nullable<String>,
    industry: Nullable<String>,
    estimated_monthly_volume: Nullable<f64>,
    estimated_monthly_transactions: Nullable<i32>,
    business_size: Nullable<i32>,
    job_title: Nullable<String>,
    zone_code_of_incorporation: Nullable<String>,
}

fn patch<T>(value: Nullable<T>) -> Patch<T> {
    match value {
        Nullable::ImplicitNull => Patch::Absent,
        Nullable::ExplicitNull => Patch::Clear,
        Nullable::Some(value) => Patch::Set(value),
    }
}

fn secret(value: Nullable<String>) -> Patch<SecretString> {
    match patch(value) {
        Patch::Set(text) => Patch::Set(SecretString::from(text)),
        Patch::Clear => Patch::Clear,
        Patch::Absent => Patch::Absent,
    }
}

impl UpdateAccountSetupSessionInput {
    fn into_update(self) -> SetupSessionUpdate {
        SetupSessionUpdate {
            slug: patch(self.slug),
            address_line1: patch(self.address_line1),
            address_line2: patch(self.address_line2),
            city: patch(self.city),
            zone_code: patch(self.zone_code),
            postal_code: patch(self.postal_code),
            country: self.country,
            identification_type: patch(self.identification_type),
            bank_name: patch(self.bank_name),
            first_name: patch(self.first_name),
            middle_name: patch(self.middle_name),
            last_name: patch(self.last_name),
            phone: patch(self.phone),
            phone_country_code: patch(self.phone_country_code),
            date_of_birth: patch(self.date_of_birth),
            personal_tax_id: secret(self.personal_tax_id),
            citizenship: patch(self.citizenship),
            name: patch(self.name),
            display_name: patch(self.display_name),
            business_type: patch(self.business_type),
            business_tax_id: secret(self.business_tax_id),
            industry: patch(self.industry),
            estimated_monthly_volume: patch(self.estimated_monthly_volume),
            estimated_monthly_transactions: patch(self.estimated_monthly_transactions),
            business_size: patch(self.business_size),
            job_title: patch(self.job_title),
            zone_code_of_incorporation: patch(self.zone_code_of_incorporation),
        }
    }
}

/// The contract's `AccountSetupSessionResult`.
#[derive(Debug, Clone)]
pub struct AccountSetupSessionResult(pub SetupSession);

#[graphql_object(
    context = Context,
    description = "The data gathered by an account setup session. Fields are null until given."
)]
impl AccountSetupSessionResult {
    fn slug(&self) -> Option<&str> {
        self.0.slug.as_deref()
    }

    fn account_type(&self) -> AccountType {
        self.0.account_type
    }

    fn address_line1(&self) -> Option<&str> {
        self.0.address_line1.as_deref()
    }

    fn address_line2(&self) -> Option<&str> {
        self.0.address_line2.as_deref()
    }

    fn city(&self) -> Option<&str> {
        self.0.city.as_deref()
    }

    fn zone_code(&self) -> Option<&str> {
        self.0.zone_code.as_deref()
    }

    fn postal_code(&self) -> Option<&str> {
        self.0.postal_code.as_deref()
    }

    fn country(&self) -> Country {
        self.0.country
    }

    /// Whether the person has an identity document attached.
    fn uploaded_id(&self) -> bool {
        self.0.uploaded_id
    }

    fn identification_type(&self) -> Option<&str> {
        self.0.identification_type.as_deref()
    }

    fn bank_name(&self) -> Option<&str> {
        self.0.bank_name.as_deref()
    }

    fn first_name(&self) -> Option<&str> {
        self.0.first_name.as_deref()
    }

    fn middle_name(&self) -> Option<&str> {
        self.0.middle_name.as_deref()
    }

    fn last_name(&self) -> Option<&str> {
        self.0.last_name.as_deref()
    }

    fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }

    fn phone_country_code(&self) -> Option<Country> {
        self.0.phone_country_code
    }

    fn date_of_birth(&self) -> Option<DateTime> {
        self.0.date_of_birth.map(DateTime::of_date)
    }

    /// Masked like PrivatePerson.personalTaxId.
    fn personal_tax_id(&self) -> Option<&str> {
        self.0.personal_tax_id_masked.as_deref()
    }

    fn citizenship(&self) -> Option<Country> {
        self.0.citizenship
    }

    fn name(&self) -> Option<&str> {
        self.0.name.as_deref()
    }

    fn display_name(&self) -> Option<&str> {
        self.0.display_name.as_deref()
    }

    fn business_type(&self) -> Option<&str> {
        self.0.business_type.as_deref()
    }

    fn business_tax_id(&self) -> Option<&str> {
        self.0.business_tax_id.as_deref()
    }

    fn industry(&self) -> Option<&str> {
        self.0.industry.as_deref()
    }

    /// Expected monthly payment volume in the account's currency.
    fn estimated_monthly_volume(&self) -> Option<f64> {
        self.0.estimated_monthly_volume.map(|money| money.to_major_f64())
    }

    fn estimated_monthly_transactions(&self) -> Option<i32> {
        self.0.estimated_monthly_transactions
    }

    /// Number of employees.
    fn business_size(&self) -> Option<i32> {
        self.0.business_size
    }

    fn job_title(&self) -> Option<&str> {
        self.0.job_title.as_deref()
    }

    fn zone_code_of_incorporation(&self) -> Option<&str> {
        self.0.zone_code_of_incorporation.as_deref()
    }

    /// When the setup session expires unless updated (every update extends it).
    fn expires_at(&self) -> DateTime {
        DateTime(self.0.expires_at)
    }
}
