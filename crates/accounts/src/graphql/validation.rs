//! The validation queries of account setup: isValidSlug, isValidPersonalTaxId, isValidBusinessTaxId. They only
//! answer; nothing is stored or reserved, and tax ids never reach a log.

use juniper::graphql_object;
use kernel::{ApiError, Context, ContractError, ExposeSecret, SecretString, SuccessResult, with_connection};

use crate::{
    AccountsConfig, BusinessTaxId, PersonalTaxId, Slug, TaxIdKey, business_tax_id_taken, find_account,
    personal_tax_id_taken, slug_taken,
};

/// The validation queries' root fields.
#[derive(Debug, Default, Clone, Copy)]
pub struct ValidationQuery;

#[graphql_object(context = Context)]
impl ValidationQuery {
    /// Checks that a PayMe handle (slug) is well formed (3 to 24 letters and digits) and free.
    /// Success message "Valid Handle.".
    async fn is_valid_slug(ctx: &Context, slug: String) -> Result<Option<SuccessResult>, ApiError> {
        // Anonymous: a session, if sent, is ignored, so the caller's own handle counts as taken too.
        let slug = Slug::parse(&slug).map_err(ContractError::from)?;
        let taken = with_connection(&ctx.pool, move |conn| slug_taken(conn, &slug).map_err(ApiError::from)).await?;
        if taken {
            return Err(ContractError::HandleTaken.into());
        }
        Ok(Some(SuccessResult::new("Valid Handle.")))
    }

    /// Checks that a personal tax id has the format of the current account's country and is not already used by
    /// another person. Success message "Valid personal tax id.".
    async fn is_valid_personal_tax_id(
        ctx: &Context,
        personal_tax_id: String,
    ) -> Result<Option<SuccessResult>, ApiError> {
        let identity = ctx.require_login()?.clone();
        let personal_tax_id = SecretString::from(personal_tax_id);
        let config = ctx.services.shared::<AccountsConfig>()?;
        let key = ctx.services.shared::<TaxIdKey>()?;
        with_connection(&ctx.pool, move |conn| {
            let account = find_account(conn, &config, &identity.person_id, &identity.account_id)?
                .ok_or_else(|| anyhow::anyhow!("the session's current account is gone"))?;
            let tax_id =
                PersonalTaxId::parse(account.country, personal_tax_id.expose_secret()).map_err(ContractError::from)?;
            if personal_tax_id_taken(conn, &key, &tax_id, &identity.person_id)? {
                return Err(ContractError::PersonalTaxIdTaken.into());
            }
            Ok::<_, ApiError>(())
        })
        .await?;
        Ok(Some(SuccessResult::new("Valid personal tax id.")))
    }

    /// Checks that a business tax id has the format of the current account's country and is not already used by
    /// another account. Success message "Valid business tax id.".
    async fn is_valid_business_tax_id(
        ctx: &Context,
        business_tax_id: String,
    ) -> Result<Option<SuccessResult>, ApiError> {
        let identity = ctx.require_business()?.clone();
        let business_tax_id = SecretString::from(business_tax_id);
        let config = ctx.services.shared::<AccountsConfig>()?;
        let key = ctx.services.shared::<TaxIdKey>()?;
        with_connection(&ctx.pool, move |conn| {
            let account = find_account(conn, &config, &identity.person_id, &identity.account_id)?
                .ok_or_else(|| anyhow::anyhow!("the session's current account is gone"))?;
            let tax_id =
                BusinessTaxId::parse(account.country, business_tax_id.expose_secret()).map_err(ContractError::from)?;
            if business_tax_id_taken(conn, &key, &tax_id, &identity.account_id)? {
                return Err(ContractError::BusinessTaxIdTaken.into());
            }
            Ok::<_, ApiError>(())
        })
        .await?;
        Ok(Some(SuccessResult::new("Valid business tax id.")))
    }
}
