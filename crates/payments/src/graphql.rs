//! The payments domain's GraphQL face.

use juniper::graphql_object;
use kernel::{ApiError, Context, Currency, FxRates, SuccessResult};

use crate::{NewPaymentSession, PaymentsConfig, clear_payment_session, create_payment_session};

/// The payments domain's root mutation fields.
#[derive(Debug, Default, Clone, Copy)]
pub struct PaymentsMutation;

/// A trimmed argument; empty counts as not given.
fn given(text: Option<String>) -> Option<String> {
    text.map(|text| text.trim().to_owned()).filter(|text| !text.is_empty())
}

#[graphql_object(context = Context)]
impl PaymentsMutation {
    /// Starts preparing a payment from the current account to an email or a PayMe handle; replaces any earlier
    /// payment session. Success message "Payment session created!".
    async fn create_payment_session(
        ctx: &Context,
        to_email: Option<String>,
        to_slug: Option<String>,
        from_currency: Option<Currency>,
    ) -> Result<Option<SuccessResult>, ApiError> {
        let current = ctx.require_login()?.clone();
        let session_key = ctx.session_key.clone().ok_or_else(|| anyhow::anyhow!("a live session without a key"))?;
        let config = ctx.services.get::<PaymentsConfig>()?;
        let rates = ctx.services.get::<FxRates>()?;
        let new = NewPaymentSession { to_email: given(to_email), to_slug: given(to_slug), from_currency };
        create_payment_session(&ctx.pool, ctx.clock.as_ref(), (config, rates), &current, &session_key, new).await?;
        Ok(Some(SuccessResult::new("Payment session created!")))
    }

    /// Deletes the login session's payment session, if any. Success message "Payment session successfully
    /// cleared".
    async fn clear_payment_session(ctx: &Context) -> Result<Option<SuccessResult>, ApiError> {
        ctx.require_login()?;
        if let Some(session_key) = &ctx.session_key {
            clear_payment_session(&ctx.pool, session_key).await?;
        }
        Ok(Some(SuccessResult::new("Payment session successfully cleared")))
    }
}
