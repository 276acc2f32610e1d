//! The payments domain's GraphQL face.

mod activity;
mod requests;
mod session_view;
mod submit;
mod trade_confirmation;

/// The contract's `RefundReason` and `RefundType` are the stored ones.
pub use crate::refunds::{RefundReason, RefundType};
pub use activity::{
    Contact, OriginalPayment, PaymentActivityFilter, PaymentActivityPage, PaymentEntry, RefundDisplayData,
};
pub use requests::{
    CreatePaymentForRequestResult, CreatePaymentForRequestSessionInput, GeneratePayMeRequestInput,
    GeneratePayMeRequestResult, PrivatePaymentRequest, PublicPaymentRequest, PublicPaymentRequestStatus,
    RequestPaymentInput, ResendPaymentRequestInput,
};
pub use session_view::{
    PaymentBeneficiary, PaymentObject, PaymentPayer, PaymentSessionResult, PaymentTypeValue, TempFxRates, rate_value,
};
pub use submit::{PaymentSessionType, SubmitPaymentResult};
pub use trade_confirmation::{TradeConfirmation, TradeParty};

use std::sync::Arc;

use accounts::AccountsConfig;
use juniper::{GraphQLEnum, GraphQLInputObject, GraphQLObject, GraphQLUnion, ID, graphql_object};
use kernel::{ApiError, Clock as _, Context, Currency, DateTime, FxRates, PublicUrls, SuccessResult};

use crate::activity::{ActivityFilter, ActivityRequest, DEFAULT_FIRST, Reading};
use crate::refunds::RefundLimits;
use crate::{
    ActionRequired, FinancialProvider, NewPaymentSession, PaymentDefinitionInput, PaymentsConfig, Pricing,
    PricingOutcome, QuoteBasis, clear_payment_session, contacts, create_payment_session, payment_activity,
    payment_activity_by_id, payment_session, submit_payment_session, trade_confirmation_for_payment,
    update_payment_session, update_quote,
};

/// The contract's `UpdatePaymentSessionInput`.
#[derive(Debug, GraphQLInputObject)]
pub struct UpdatePaymentSessionInput {
    /// In the payer's currency, or in the beneficiary's when quoteBasis is BENEFICIARY.
    amount: f64,
    description: String,
    /// Message to the beneficiary, sent in the payment email.
    email_message: Option<String>,
    /// Purpose-of-payment code, e.g. "COMM"; required when the beneficiary is a PERSONAL account.
    pop_code: Option<String>,
    /// True: the payer pays the fee on top. False (default): the fee is taken from what the beneficiary receives.
    payer_accepted_fees: Option<bool>,
    value_date: DateTime,
    /// Default PAYER.
    quote_basis: Option<QuoteBasis>,
}

/// The contract's `DataNeededForPayment`.
#[derive(Debug, GraphQLObject)]
#[graphql(description = "Missing personal data; each true flag is a step the user must complete.")]
pub struct DataNeededForPayment {
    /// An identity document must be attached (embedOnfido + addOnfidoDocumentToPerson).
    id_upload: bool,
    /// A personal tax id must be given (updatePerson).
    personal_tax_id: bool,
}

/// The contract's `BalanceRefreshType`.
#[derive(Debug, Clone, Copy, GraphQLEnum)]
pub enum BalanceRefreshType {
    /// The balance known for the linked account is stale; the user must refresh it in the bank-link widget.
    UserBalanceRefreshRequired,
}

/// The contract's `BalanceRefresh`.
#[derive(Debug, GraphQLObject)]
#[graphql(name = "BalanceRefresh")]
pub struct BalanceRefreshObject {
    /// The bank-link provider's id of the login at the bank (what its widget refreshes).
    provider_account_id: ID,
    /// Our id of the linked bank account.
    bank_account_id: ID,
    #[graphql(name = "type")]
    kind: BalanceRefreshType,
}

/// The contract's `ActionRequiredForPayment`.
#[derive(Debug, GraphQLObject)]
pub struct ActionRequiredForPayment {
    data_needed: Option<DataNeededForPayment>,
    balance_refresh_required: Option<BalanceRefreshObject>,
}

impl From<ActionRequired> for ActionRequiredForPayment {
    fn from(action: ActionRequired) -> Self {
        Self {
            data_needed: action.data_needed.map(|needed| DataNeededForPayment {
                id_upload: needed.id_upload,
                personal_tax_id: needed.personal_tax_id,
            }),
            balance_refresh_required: action.balance_refresh.map(|refresh| BalanceRefreshObject {
                provider_account_id: refresh.provider_account_id.into(),
                bank_account_id: refresh.bank_account_id.into(),
                kind: BalanceRefreshType::UserBalanceRefreshRequired,
            }),
        }
    }
}

/// The contract's `UpdatePaymentSessionResult`.
#[derive(Debug, GraphQLUnion)]
#[graphql(context = Context)]
pub enum UpdatePaymentSessionResult {
    SuccessResult(SuccessResult),
    ActionRequiredForPayment(ActionRequiredForPayment),
}

impl UpdatePaymentSessionResult {
    fn of(outcome: PricingOutcome, message: &str) -> Self {
        match outcome {
            PricingOutcome::Priced => Self::SuccessResult(SuccessResult::new(message)),
            PricingOutcome::ActionRequired(action) => Self::ActionRequiredForPayment(action.into()),
        }
    }
}

/// The services pricing reads, from the request's context.
fn pricing(ctx: &Context) -> anyhow::Result<Pricing<'_>> {
    Ok(Pricing {
        config: ctx.services.get::<PaymentsConfig>()?,
        accounts: ctx.services.get::<AccountsConfig>()?,
        rates: ctx.services.get::<FxRates>()?,
        provider: ctx.services.get::<Arc<dyn FinancialProvider>>()?,
    })
}

/// What reading activity entries needs, from the request's context.
fn reading(ctx: &Context) -> anyhow::Result<Reading> {
    Ok(Reading {
        now: ctx.clock.now(),
        rates: ctx.services.get::<FxRates>()?.clone(),
        settlement: ctx.services.get::<PaymentsConfig>()?.settlement,
        // Refunds register their limits; without them, the contract's defaults.
        refund_limits: ctx.services.get::<RefundLimits>().copied().unwrap_or_default(),
    })
}

/// The caller's login session key: every live session has one.
fn session_key(ctx: &Context) -> anyhow::Result<String> {
    ctx.session_key.clone().ok_or_else(|| anyhow::anyhow!("a live session without a key"))
}

/// The payments domain's root query fields.
#[derive(Debug, Default, Clone, Copy)]
pub struct PaymentsQuery;

#[graphql_object(context = Context)]
impl PaymentsQuery {
    /// The payment being prepared in this login session.
    async fn payment_session(ctx: &Context) -> Result<Option<PaymentSessionResult>, ApiError> {
        let current = ctx.require_login()?.clone();
        let session_key = session_key(ctx)?;
        let services = (ctx.services.get::<PaymentsConfig>()?, ctx.services.get::<Arc<dyn FinancialProvider>>()?);
        let view = payment_session(&ctx.pool, ctx.clock.as_ref(), services, &current, &session_key).await?;
        Ok(Some(PaymentSessionResult(view)))
    }

    /// The current account's payment activity, newest first, one page at a time (at most `first`, 1 to 100,
    /// after the position `after` names).
    async fn payment_activity(
        ctx: &Context,
        filter: Option<PaymentActivityFilter>,
        #[graphql(default = DEFAULT_FIRST)] first: Option<i32>,
        after: Option<String>,
    ) -> Result<Option<PaymentActivityPage>, ApiError> {
        let current = ctx.require_login()?.clone();
        // An explicit `null` means the same as leaving `first` out.
        let first = first.unwrap_or(DEFAULT_FIRST);
        let filter = filter.map(ActivityFilter::from).unwrap_or_default();
        let request = ActivityRequest { filter, first, after };
        let page = payment_activity(&ctx.pool, reading(ctx)?, &current, request).await?;
        Ok(Some(PaymentActivityPage(page)))
    }

    /// One entry of the current account's payment activity, from its side.
    async fn payment_activity_by_id(ctx: &Context, id: ID) -> Result<Option<PaymentEntry>, ApiError> {
        let current = ctx.require_login()?.clone();
        let entry = payment_activity_by_id(&ctx.pool, reading(ctx)?, &current, &id).await?;
        Ok(Some(PaymentEntry(entry)))
    }

    /// Everyone the current account has dealt with, once each, most recent first.
    async fn contacts(ctx: &Context) -> Result<Vec<Contact>, ApiError> {
        let current = ctx.require_login()?.clone();
        Ok(contacts(&ctx.pool, &current).await?.into_iter().map(Contact::from).collect())
    }

    /// The confirmation of the currency trade behind a completed international payment of the current account.
    async fn trade_confirmation_for_payment(
        ctx: &Context,
        payment_id: ID,
    ) -> Result<Option<TradeConfirmation>, ApiError> {
        let current = ctx.require_login()?.clone();
        let confirmation = trade_confirmation_for_payment(&ctx.pool, reading(ctx)?, &current, &payment_id).await?;
        Ok(Some(TradeConfirmation(confirmation)))
    }
    /// The public view of a payment request, for the payment-request and pay-me pages. Needs no session.
    async fn payment_request_by_id(ctx: &Context, id: ID) -> Result<Option<PublicPaymentRequest>, ApiError> {
        requests::by_id(ctx, id).await
    }

    /// Open payment requests (status REQUESTED) that other accounts sent to the current login's email, newest
    /// first.
    async fn requested_payments(ctx: &Context) -> Result<Vec<PublicPaymentRequest>, ApiError> {
        requests::requested(ctx).await
    }
}

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
        let session_key = session_key(ctx)?;
        let config = ctx.services.get::<PaymentsConfig>()?;
        let rates = ctx.services.get::<FxRates>()?;
        let new = NewPaymentSession { to_email: given(to_email), to_slug: given(to_slug), from_currency };
        create_payment_session(&ctx.pool, ctx.clock.as_ref(), (config, rates), &current, &session_key, new).await?;
        Ok(Some(SuccessResult::new("Payment session created!")))
    }

    /// Defines the payment being prepared and prices it with a fresh quote, or answers what the payer must do
    /// first. Success message "Payment session successfully updated".
    async fn update_payment_session(
        ctx: &Context,
        data: UpdatePaymentSessionInput,
    ) -> Result<Option<UpdatePaymentSessionResult>, ApiError> {
        let current = ctx.require_login()?.clone();
        let session_key = session_key(ctx)?;
        let input = PaymentDefinitionInput {
            amount: data.amount,
            description: data.description,
            email_message: data.email_message,
            pop_code: data.pop_code,
            payer_accepted_fees: data.payer_accepted_fees,
            value_date: data.value_date,
            quote_basis: data.quote_basis,
        };
        let outcome =
            update_payment_session(&ctx.pool, ctx.clock.as_ref(), pricing(ctx)?, &current, &session_key, input).await?;
        Ok(Some(UpdatePaymentSessionResult::of(outcome, "Payment session successfully updated")))
    }

    /// Prices the payment session's definition again with a fresh quote. Success message "Quote updated!".
    async fn update_quote(ctx: &Context) -> Result<Option<UpdatePaymentSessionResult>, ApiError> {
        let current = ctx.require_login()?.clone();
        let session_key = session_key(ctx)?;
        let outcome = update_quote(&ctx.pool, ctx.clock.as_ref(), pricing(ctx)?, &current, &session_key).await?;
        Ok(Some(UpdatePaymentSessionResult::of(outcome, "Quote updated!")))
    }

    /// Makes the prepared payment, once: its quote must still be live. The payment session is deleted.
    async fn submit_payment_session(ctx: &Context) -> Result<Option<SubmitPaymentResult>, ApiError> {
        let current = ctx.require_login()?.clone();
        let session_key = session_key(ctx)?;
        let services = (
            ctx.services.get::<PaymentsConfig>()?,
            ctx.services.get::<Arc<dyn FinancialProvider>>()?,
            ctx.services.get::<PublicUrls>()?,
        );
        let key = ctx.idempotency_key.as_deref();
        let payment =
            submit_payment_session(&ctx.pool, ctx.clock.as_ref(), services, &current, &session_key, key).await?;
        Ok(Some(SubmitPaymentResult(payment)))
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
    /// Starts a payment session that pays an open payment request (replacing any earlier payment session).
    /// Success message "Payment for request session created!", or the data still needed before paying.
    async fn create_payment_for_request_session(
        ctx: &Context,
        data: CreatePaymentForRequestSessionInput,
    ) -> Result<Option<CreatePaymentForRequestResult>, ApiError> {
        requests::pay(ctx, data).await
    }

    /// Declines a payment request addressed to the current login's email. Success message "Payment request
    /// declined".
    async fn decline_payment_request(ctx: &Context, payment_request_id: ID) -> Result<Option<SuccessResult>, ApiError> {
        requests::decline(ctx, payment_request_id).await
    }

    /// Creates a payment request in the name of the BUSINESS account with this PayMe handle, for its public
    /// pay-me page. Needs no session.
    async fn generate_pay_me_request(
        ctx: &Context,
        data: GeneratePayMeRequestInput,
    ) -> Result<Option<GeneratePayMeRequestResult>, ApiError> {
        requests::pay_me(ctx, data).await
    }

    /// Requests a payment from an email address; any account of that email may pay it. The email is notified.
    async fn request_payment(
        ctx: &Context,
        data: RequestPaymentInput,
    ) -> Result<Option<PrivatePaymentRequest>, ApiError> {
        requests::request(ctx, data).await
    }

    /// Sends the notification email of an open payment request again. Success message "Payment Request sent.".
    async fn resend_payment_request(
        ctx: &Context,
        data: ResendPaymentRequestInput,
    ) -> Result<Option<SuccessResult>, ApiError> {
        requests::resend(ctx, data).await
    }
}
