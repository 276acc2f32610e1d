//! The company-officer operations: addCompanyOfficerToAccount, canSubmitCompanyOfficers, submitCompanyOfficers.

use std::sync::Arc;

use juniper::{GraphQLInputObject, graphql_object};
use kernel::{
    ApiError, Clock, Context, Country, DateTime, SecretString, SuccessResult, with_connection, with_transaction,
};

use crate::{
    AccountsConfig, CompanyOfficerType, IdDocumentType, IdentityProvider, NewDocument, NewOfficer, TaxIdKey,
    add_company_officer, can_submit_company_officers, submit_company_officers,
};

// No `Debug`: the input holds a document number until the resolver wraps it.
#[derive(GraphQLInputObject)]
pub struct AddCompanyOfficerToAccountInput {
    pub name: String,
    #[graphql(description = "0 to 100, at most two decimals; a UBO owns 25 or more.")]
    pub percent_of_ownership: f64,
    #[graphql(name = "type")]
    pub officer_type: CompanyOfficerType,
    pub date_of_birth: Option<DateTime>,
    #[graphql(description = "Required for a CEO; a jobTitles value.")]
    pub job_title: Option<String>,
    #[graphql(description = "The officer's country of residence.")]
    pub country: Option<Country>,
    pub uploaded_id: Option<UploadIdInput>,
}

#[derive(GraphQLInputObject)]
#[graphql(description = "An officer's identity document, checked by the verification provider.")]
pub struct UploadIdInput {
    pub document_type: IdDocumentType,
    pub document_number: String,
    pub issuing_country: Country,
    pub expiry_date: Option<DateTime>,
}

impl From<AddCompanyOfficerToAccountInput> for NewOfficer {
    fn from(data: AddCompanyOfficerToAccountInput) -> Self {
        Self {
            name: data.name,
            percent_of_ownership: data.percent_of_ownership,
            officer_type: data.officer_type,
            date_of_birth: data.date_of_birth.map(|d| d.0),
            job_title: data.job_title,
            country: data.country,
            uploaded_id: data.uploaded_id.map(|id| NewDocument {
                document_type: id.document_type,
                document_number: SecretString::from(id.document_number),
                issuing_country: id.issuing_country,
                expiry_date: id.expiry_date.map(|d| d.0),
            }),
        }
    }
}

/// The company-officer query's root field.
#[derive(Debug, Default, Clone, Copy)]
pub struct CompanyOfficersQuery;

#[graphql_object(context = Context)]
impl CompanyOfficersQuery {
    /// Tells whether submitCompanyOfficers would be accepted now (same checks, same codes); I-4409 while an
    /// officer's identity check is still being processed. Success message "Company officers can be submitted.".
    async fn can_submit_company_officers(ctx: &Context) -> Result<Option<SuccessResult>, ApiError> {
        let identity = ctx.require_business()?.clone();
        with_connection(&ctx.pool, move |conn| can_submit_company_officers(conn, &identity.account_id)).await?;
        Ok(Some(SuccessResult::new("Company officers can be submitted.")))
    }
}

/// The company-officer mutations' root fields.
#[derive(Debug, Default, Clone, Copy)]
pub struct CompanyOfficersMutation;

#[graphql_object(context = Context)]
impl CompanyOfficersMutation {
    /// Adds, or replaces (same type and name), a pending company officer of the current business account.
    /// Success message "Company officers added!".
    async fn add_company_officer_to_account(
        ctx: &Context,
        data: AddCompanyOfficerToAccountInput,
    ) -> Result<Option<SuccessResult>, ApiError> {
        let identity = ctx.require_business()?.clone();
        let provider = ctx.services.get::<Arc<dyn IdentityProvider>>()?.clone();
        let key = ctx.services.shared::<TaxIdKey>()?;
        let officer = NewOfficer::from(data);
        add_company_officer(&ctx.pool, key, provider, &identity.account_id, officer, ctx.clock.now()).await?;
        Ok(Some(SuccessResult::new("Company officers added!")))
    }

    /// Submits every pending company officer of the current business account to the financial provider.
    /// Success message "Company Officer info submitted.".
    async fn submit_company_officers(ctx: &Context) -> Result<Option<SuccessResult>, ApiError> {
        let identity = ctx.require_business()?.clone();
        let config = ctx.services.shared::<AccountsConfig>()?;
        let now = ctx.clock.now();
        with_transaction(&ctx.pool, move |tx| submit_company_officers(tx, &config, &identity.account_id, now)).await?;
        Ok(Some(SuccessResult::new("Company Officer info submitted.")))
    }
}
