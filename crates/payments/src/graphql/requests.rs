//! Payment requests' GraphQL face: the contract's `PrivatePaymentRequest`, `PublicPaymentRequest`, their inputs,
//! and the resolvers the root fields call (parse, call the service, map the answer).

use accounts::AccountsConfig;
use juniper::{GraphQLEnum, GraphQLInputObject, GraphQLObject, GraphQLUnion, ID, graphql_object};
use kernel::{ApiError, Context, Currency, DateTime, FxRates, PublicUrls, SuccessResult};

use super::submit::PaymentSessionType;
use super::{ActionRequiredForPayment, Contact, session_key};
use crate::{
    NewPayMeRequest, NewPaymentRequest, PaymentRequest, PaymentRequestStatus, PaymentsConfig,
    create_payment_for_request_session, decline_payment_request, generate_pay_me_request, payment_request_by_id,
    request_payment, requested_payments, resend_payment_request,
};

/// The contract's `PublicPaymentRequestStatus`.
#[derive(Debug, Clone, Copy, GraphQLEnum)]
#[graphql(description = "Status of a payment request as the public sees it (a subset of PaymentEntryStatus).")]
pub enum PublicPaymentRequestStatus {
    /// Open: it can be paid or declined.
    Requested,
    /// A payment for it has been submitted and is under way.
    Processing,
    /// The payment for it has completed.
    Complete,
    /// The addressee declined it.
    Declined,
    /// Withdrawn because the requesting account was deactivated or disabled.
    Canceled,
}

impl From<PaymentRequestStatus> for PublicPaymentRequestStatus {
    fn from(status: PaymentRequestStatus) -> Self {
        match status {
            PaymentRequestStatus::Requested => Self::Requested,
            PaymentRequestStatus::Processing => Self::Processing,
            PaymentRequestStatus::Complete => Self::Complete,
            PaymentRequestStatus::Declined => Self::Declined,
            PaymentRequestStatus::Canceled => Self::Canceled,
        }
    }
}

/// The contract's `PrivatePaymentRequest`.
#[derive(Debug)]
pub struct PrivatePaymentRequest(pub PaymentRequest);

#[graphql_object(context = Context, description = "A payment request as its creator sees it.")]
impl PrivatePaymentRequest {
    fn id(&self) -> ID {
        self.0.id.clone().into()
    }

    fn status(&self) -> PublicPaymentRequestStatus {
        self.0.status.into()
    }

    fn currency(&self) -> Currency {
        self.0.amount.currency()
    }

    fn amount(&self) -> f64 {
        self.0.amount.to_major_f64()
    }

    fn description(&self) -> &str {
        self.0.description.as_deref().unwrap_or_default()
    }

    fn email_message(&self) -> Option<&str> {
        self.0.email_message.as_deref()
    }

    fn charge_date(&self) -> DateTime {
        DateTime::of_date(self.0.charge_date)
    }

    /// `<public web base URL>/payment-request?id=<id>`.
    fn payment_link(&self) -> &str {
        &self.0.payment_link
    }
}

/// The contract's `PublicPaymentRequest`.
#[derive(Debug)]
pub struct PublicPaymentRequest(pub crate::PublicPaymentRequest);

#[graphql_object(context = Context, description = "A payment request as anyone holding its id sees it.")]
impl PublicPaymentRequest {
    fn id(&self) -> ID {
        self.0.id.clone().into()
    }

    fn status(&self) -> PublicPaymentRequestStatus {
        self.0.status.into()
    }

    fn currency(&self) -> Currency {
        self.0.amount.currency()
    }

    fn amount(&self) -> f64 {
        self.0.amount.to_major_f64()
    }

    fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// The requesting account (and its email only when the request was made by requestPayment).
    fn created_by(&self) -> Contact {
        Contact { email: self.0.requester_email.clone(), account: self.0.requester.clone(), last_activity_at: None }
    }

    /// The date the requester wants to be paid on (requestPayment's valueDate).
    fn charge_date(&self) -> DateTime {
        DateTime::of_date(self.0.charge_date)
    }

    /// The addressee: the email for requestPayment requests; null for pay-me requests.
    fn requested_to_display_name(&self) -> Option<&str> {
        self.0.requested_to.as_deref()
    }

    /// Where to send the payer after paying: the requesting account's redirectUrl, or null.
    fn redirect_url(&self) -> Option<&str> {
        self.0.redirect_url.as_deref()
    }
}

/// The contract's `RequestPaymentInput`.
#[derive(Debug, GraphQLInputObject)]
pub struct RequestPaymentInput {
    to_email: String,
    amount: f64,
    currency: Currency,
    /// The date the requester wants to be paid on (shown as chargeDate).
    value_date: DateTime,
    description: String,
    email_message: Option<String>,
}

/// The contract's `ResendPaymentRequestInput`.
#[derive(Debug, GraphQLInputObject)]
pub struct ResendPaymentRequestInput {
    payment_request_id: ID,
}

/// The contract's `GeneratePayMeRequestInput`.
#[derive(Debug, GraphQLInputObject)]
pub struct GeneratePayMeRequestInput {
    slug: String,
    /// In the business account's currency.
    amount: f64,
    description: Option<String>,
}

/// The contract's `GeneratePayMeRequestResult`.
#[derive(Debug, GraphQLObject)]
pub struct GeneratePayMeRequestResult {
    payment_request_id: ID,
}

/// The contract's `CreatePaymentForRequestSessionInput`.
#[derive(Debug, GraphQLInputObject)]
pub struct CreatePaymentForRequestSessionInput {
    payment_request_id: ID,
    /// Must be MAKE_PAYMENT.
    payment_session_type: PaymentSessionType,
}

/// The contract's `CreatePaymentForRequestResult`.
#[derive(Debug, GraphQLUnion)]
#[graphql(context = Context)]
pub enum CreatePaymentForRequestResult {
    SuccessResult(SuccessResult),
    ActionRequiredForPayment(ActionRequiredForPayment),
}

pub(super) async fn by_id(ctx: &Context, id: ID) -> Result<Option<PublicPaymentRequest>, ApiError> {
    Ok(Some(PublicPaymentRequest(payment_request_by_id(&ctx.pool, &id).await?)))
}

pub(super) async fn requested(ctx: &Context) -> Result<Vec<PublicPaymentRequest>, ApiError> {
    let current = ctx.require_login()?.clone();
    Ok(requested_payments(&ctx.pool, &current).await?.into_iter().map(PublicPaymentRequest).collect())
}

pub(super) async fn request(
    ctx: &Context,
    data: RequestPaymentInput,
) -> Result<Option<PrivatePaymentRequest>, ApiError> {
    let current = ctx.require_login()?.clone();
    let services = (ctx.services.get::<FxRates>()?, ctx.services.get::<PublicUrls>()?);
    let new = NewPaymentRequest {
        to_email: data.to_email,
        amount: data.amount,
        currency: data.currency,
        value_date: data.value_date,
        description: data.description,
        email_message: data.email_message,
    };
    let made = request_payment(&ctx.pool, ctx.clock.as_ref(), services, &current, new).await?;
    Ok(Some(PrivatePaymentRequest(made)))
}

pub(super) async fn resend(ctx: &Context, data: ResendPaymentRequestInput) -> Result<Option<SuccessResult>, ApiError> {
    let current = ctx.require_login()?.clone();
    let services = (ctx.services.get::<PaymentsConfig>()?, ctx.services.get::<PublicUrls>()?);
    resend_payment_request(&ctx.pool, ctx.clock.as_ref(), services, &current, &data.payment_request_id).await?;
    Ok(Some(SuccessResult::new("Payment Request sent.")))
}

pub(super) async fn decline(ctx: &Context, payment_request_id: ID) -> Result<Option<SuccessResult>, ApiError> {
    let current = ctx.require_login()?.clone();
    decline_payment_request(&ctx.pool, ctx.clock.as_ref(), &current, &payment_request_id).await?;
    Ok(Some(SuccessResult::new("Payment request declined")))
}

pub(super) async fn pay_me(
    ctx: &Context,
    data: GeneratePayMeRequestInput,
) -> Result<Option<GeneratePayMeRequestResult>, ApiError> {
    let rates = ctx.services.get::<FxRates>()?;
    let new = NewPayMeRequest { slug: data.slug, amount: data.amount, description: data.description };
    let id = generate_pay_me_request(&ctx.pool, ctx.clock.as_ref(), rates, new).await?;
    Ok(Some(GeneratePayMeRequestResult { payment_request_id: id.into() }))
}

pub(super) async fn pay(
    ctx: &Context,
    data: CreatePaymentForRequestSessionInput,
) -> Result<Option<CreatePaymentForRequestResult>, ApiError> {
    let current = ctx.require_login()?.clone();
    let session_key = session_key(ctx)?;
    let services = (ctx.services.get::<PaymentsConfig>()?, ctx.services.get::<AccountsConfig>()?);
    let make_payment = matches!(data.payment_session_type, PaymentSessionType::MakePayment);
    let id = data.payment_request_id;
    let outcome = create_payment_for_request_session(
        &ctx.pool,
        ctx.clock.as_ref(),
        services,
        (&current, &session_key),
        &id,
        make_payment,
    )
    .await?;
    Ok(Some(match outcome {
        None => {
            CreatePaymentForRequestResult::SuccessResult(SuccessResult::new("Payment for request session created!"))
        }
        Some(action) => CreatePaymentForRequestResult::ActionRequiredForPayment(action.into()),
    }))
}
