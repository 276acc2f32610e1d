//! The refunds domain's GraphQL face: the five operations of the contract's Refunds group and their objects.

mod session_view;
mod submit;

pub use session_view::{RefundSessionResult, ReviewRefund};
pub use submit::SubmitRefundResult;

use std::sync::Arc;

use accounts::AccountsConfig;
use juniper::{GraphQLInputObject, GraphQLUnion, ID, graphql_object};
use kernel::{ApiError, Context, DateTime, FxRates, SuccessResult};
use mail::Mailer;
use payments::graphql::ActionRequiredForPayment;
use payments::refunds::RefundReason;
use payments::{FinancialProvider, PaymentsConfig, PricingOutcome, QuoteBasis};

use crate::{
    RefundDefinitionInput, RefundsConfig, clear_refund_session, create_refund_session, refund_session,
    submit_refund_session, update_refund_session,
};

/// The contract's `UpdateRefundSessionInput`.
#[derive(Debug, GraphQLInputObject)]
pub struct UpdateRefundSessionInput {
    /// In the original payer's currency by default (quoteBasis BENEFICIARY), or the refunding account's with
    /// PAYER.
    amount: f64,
    description: String,
    /// Message to the original payer, sent in the refund email.
    message: Option<String>,
    value_date: DateTime,
    /// Default BENEFICIARY.
    quote_basis: Option<QuoteBasis>,
    reason: RefundReason,
}

/// The contract's `UpdateRefundSessionResult`.
#[derive(Debug, GraphQLUnion)]
#[graphql(context = Context)]
pub enum UpdateRefundSessionResult {
    SuccessResult(SuccessResult),
    ActionRequiredForPayment(ActionRequiredForPayment),
}

/// The caller's login session key: every live session has one.
fn session_key(ctx: &Context) -> anyhow::Result<String> {
    ctx.session_key.clone().ok_or_else(|| anyhow::anyhow!("a live session without a key"))
}

/// The refunds domain's root query fields.
#[derive(Debug, Default, Clone, Copy)]
pub struct RefundsQuery;

#[graphql_object(context = Context)]
impl RefundsQuery {
    /// The session's active refund session.
    async fn refund_session(ctx: &Context) -> Result<Option<RefundSessionResult>, ApiError> {
        let current = ctx.require_login()?.clone();
        let session_key = session_key(ctx)?;
        let services = (ctx.services.get::<RefundsConfig>()?, ctx.services.get::<Arc<dyn FinancialProvider>>()?);
        let view = refund_session(&ctx.pool, ctx.clock.as_ref(), services, &current, &session_key).await?;
        Ok(Some(RefundSessionResult::new(view)))
    }
}

/// The refunds domain's root mutation fields.
#[derive(Debug, Default, Clone, Copy)]
pub struct RefundsMutation;

#[graphql_object(context = Context)]
impl RefundsMutation {
    /// Deletes the session's refund session, if any.
    async fn clear_refund_session(ctx: &Context) -> Result<Option<SuccessResult>, ApiError> {
        ctx.require_login()?;
        if let Some(session_key) = &ctx.session_key {
            clear_refund_session(&ctx.pool, session_key).await?;
        }
        Ok(Some(SuccessResult::new("Refund session successfully cleared")))
    }

    /// Starts a refund session for a completed payment the current account received (replacing any earlier
    /// refund session). Success message "Refund session created!".
    async fn create_refund_session(ctx: &Context, payment_id: ID) -> Result<Option<SuccessResult>, ApiError> {
        let current = ctx.require_login()?.clone();
        let session_key = session_key(ctx)?;
        let config = ctx.services.get::<RefundsConfig>()?;
        create_refund_session(&ctx.pool, ctx.clock.as_ref(), config, &current, &session_key, &payment_id).await?;
        Ok(Some(SuccessResult::new("Refund session created!")))
    }

    /// Submits the refund session if it is valid and its quote is live, and deletes the refund session in every
    /// case.
    async fn submit_refund_session(ctx: &Context) -> Result<Option<SubmitRefundResult>, ApiError> {
        let current = ctx.require_login()?.clone();
        let session_key = session_key(ctx)?;
        let services = (
            ctx.services.get::<RefundsConfig>()?,
            ctx.services.get::<PaymentsConfig>()?,
            ctx.services.get::<Arc<dyn FinancialProvider>>()?,
            ctx.services.get::<Arc<dyn Mailer>>()?,
        );
        let key = ctx.idempotency_key.as_deref();
        let refund =
            submit_refund_session(&ctx.pool, ctx.clock.as_ref(), services, &current, &session_key, key).await?;
        Ok(Some(SubmitRefundResult(refund)))
    }

    /// Sets the refund's amount, reason, description, date and options and prices it (takes a fresh quote).
    /// Success message "Refund session successfully updated", or the data still needed before refunding.
    async fn update_refund_session(
        ctx: &Context,
        data: UpdateRefundSessionInput,
    ) -> Result<Option<UpdateRefundSessionResult>, ApiError> {
        let current = ctx.require_login()?.clone();
        let session_key = session_key(ctx)?;
        let services = (
            ctx.services.get::<RefundsConfig>()?,
            ctx.services.get::<PaymentsConfig>()?,
            ctx.services.get::<AccountsConfig>()?,
            ctx.services.get::<FxRates>()?,
            ctx.services.get::<Arc<dyn FinancialProvider>>()?,
        );
        let input = RefundDefinitionInput {
            amount: data.amount,
            description: data.description,
            message: data.message,
            value_date: data.value_date,
            quote_basis: data.quote_basis,
            reason: data.reason,
        };
        let outcome =
            update_refund_session(&ctx.pool, ctx.clock.as_ref(), services, &current, &session_key, input).await?;
        Ok(Some(match outcome {
            PricingOutcome::Priced => {
                UpdateRefundSessionResult::SuccessResult(SuccessResult::new("Refund session successfully updated"))
            }
            PricingOutcome::ActionRequired(action) => {
                UpdateRefundSessionResult::ActionRequiredForPayment(action.into())
            }
        }))
    }
}
