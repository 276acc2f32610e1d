//! The Verification group (addOnfidoDocumentToPerson, embedOnfido) and embedVerificationService.

use std::sync::Arc;

use juniper::{GraphQLObject, ID, graphql_object};
use kernel::{ApiError, Context, DateTime, ExposeSecret, PublicUrls, SuccessResult};

use crate::{AccountsConfig, IdentityProvider, attach_identity_document, embed_onfido, issue_verification_link};

/// The contract's `EmbedOnfidoResult`.
#[derive(Debug, GraphQLObject)]
pub struct EmbedOnfidoResult {
    /// The verification provider's applicant id; give it back to addOnfidoDocumentToPerson.
    applicant_id: ID,
    /// Token the provider's widget is started with.
    sdk_token: String,
    expires_at: DateTime,
}

/// The contract's `EmbedVerificationServiceResult`.
#[derive(Debug, GraphQLObject)]
pub struct EmbedVerificationServiceResult {
    /// Hosted verification page, already carrying the token.
    url: String,
    token: String,
    expires_at: DateTime,
}

/// The verification mutations' root fields.
#[derive(Debug, Default, Clone, Copy)]
pub struct VerificationMutation;

#[graphql_object(context = Context)]
impl VerificationMutation {
    /// Attaches the identity document captured by the verification provider's widget (identified by its
    /// applicant id) to the logged-in person and starts the identity check. Success message "Id successfully
    /// added!".
    async fn add_onfido_document_to_person(ctx: &Context, applicant_id: ID) -> Result<Option<SuccessResult>, ApiError> {
        let current = ctx.require_login()?.clone();
        let provider = ctx.services.get::<Arc<dyn IdentityProvider>>()?.clone();
        attach_identity_document(&ctx.pool, ctx.clock.as_ref(), provider, &current, applicant_id.to_string()).await?;
        Ok(Some(SuccessResult::new("Id successfully added!")))
    }

    /// Starts an identity check with the verification provider for the logged-in person and returns what the
    /// provider's widget needs (applicant id and a short-lived SDK token).
    async fn embed_onfido(ctx: &Context) -> Result<Option<EmbedOnfidoResult>, ApiError> {
        let current = ctx.require_login()?.clone();
        let provider = ctx.services.get::<Arc<dyn IdentityProvider>>()?.clone();
        let applicant = embed_onfido(&ctx.pool, ctx.clock.as_ref(), provider, &current).await?;
        Ok(Some(EmbedOnfidoResult {
            applicant_id: applicant.id.into(),
            sdk_token: applicant.sdk_token.expose_secret().to_owned(),
            expires_at: DateTime(applicant.sdk_token_expires_at),
        }))
    }
}

/// The verification queries' root fields.
#[derive(Debug, Default, Clone, Copy)]
pub struct VerificationQuery;

#[graphql_object(context = Context)]
impl VerificationQuery {
    /// A link to the hosted verification page for the current account's pending identity checks.
    async fn embed_verification_service(ctx: &Context) -> Result<Option<EmbedVerificationServiceResult>, ApiError> {
        let current = ctx.require_login()?.clone();
        let config = ctx.services.get::<AccountsConfig>()?;
        let urls = ctx.services.get::<PublicUrls>()?;
        let (token, expires_at) =
            issue_verification_link(&ctx.pool, ctx.clock.as_ref(), config, &current.account_id).await?;
        let token = token.expose_secret().to_owned();
        Ok(Some(EmbedVerificationServiceResult {
            url: format!("{}/verification?token={token}", urls.api),
            token,
            expires_at: DateTime(expires_at),
        }))
    }
}
