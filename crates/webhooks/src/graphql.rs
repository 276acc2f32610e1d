//! The webhooks domain's GraphQL face: accountWebhooks, createWebhook and testWebhook.

use juniper::{GraphQLEnum, GraphQLInputObject, GraphQLObject, ID, graphql_object};
use kernel::{ApiError, Context, DateTime, ExposeSecret, Json};
use serde_json::{Value, json};

use crate::{DeliveryStatus, SecretBox, Sender, WebhooksConfig, account_webhooks, create_webhook, test_webhook};

/// The contract's `WebhookDeliveryStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, GraphQLEnum)]
pub enum WebhookDeliveryStatus {
    /// The endpoint answered 2xx.
    Delivered,
    /// The last attempt failed and another attempt is scheduled.
    Retrying,
    /// Every attempt failed; the delivery was given up.
    Failed,
}

/// The contract's `Webhook`.
#[derive(Debug, GraphQLObject)]
pub struct Webhook {
    id: ID,
    /// The URL events are posted to (https unless WEBHOOKS_ALLOW_PRIVATE_TARGETS is on).
    webhook_endpoint: String,
    created_at: DateTime,
    /// Inactive webhooks get no events.
    active: bool,
    /// Result of the latest delivery; null before the first.
    last_delivery_status: Option<WebhookDeliveryStatus>,
    last_delivery_at: Option<DateTime>,
}

impl From<crate::Webhook> for Webhook {
    fn from(webhook: crate::Webhook) -> Self {
        let status = webhook.last_delivery.and_then(|(status, _)| match status {
            DeliveryStatus::Delivered => Some(WebhookDeliveryStatus::Delivered),
            DeliveryStatus::Retrying => Some(WebhookDeliveryStatus::Retrying),
            DeliveryStatus::Failed => Some(WebhookDeliveryStatus::Failed),
            DeliveryStatus::Pending => None,
        });
        Self {
            id: webhook.id.into(),
            webhook_endpoint: webhook.endpoint,
            created_at: DateTime(webhook.created_at),
            active: webhook.active,
            last_delivery_status: status,
            last_delivery_at: webhook.last_delivery.map(|(_, at)| DateTime(at)),
        }
    }
}

/// The contract's `CreateWebhookInput`.
#[derive(Debug, GraphQLInputObject)]
pub struct CreateWebhookInput {
    webhook_endpoint: String,
}

/// The contract's `CreateWebhookResult`.
#[derive(GraphQLObject)]
pub struct CreateWebhookResult {
    message: String,
    /// The webhook's id.
    id: ID,
    /// Signing secret (a UUID). Shown only here.
    webhook_secret: String,
}

/// The contract's `TestWebhookResult`.
#[derive(Debug, GraphQLObject)]
pub struct TestWebhookResult {
    /// The decoded event that was sent (the JWT claims).
    payload: Json,
    /// The endpoint's HTTP response: {status, body}, where body is parsed JSON when possible, else text.
    response: Json,
}

/// The webhooks domain's root query fields.
#[derive(Debug, Default, Clone, Copy)]
pub struct WebhooksQuery;

#[graphql_object(context = Context)]
impl WebhooksQuery {
    /// The current business account's webhooks, oldest first. The signing secret is never shown again.
    async fn account_webhooks(ctx: &Context) -> Result<Vec<Webhook>, ApiError> {
        let identity = ctx.require_business()?;
        let listed = account_webhooks(&ctx.pool, &identity.account_id).await?;
        Ok(listed.into_iter().map(Webhook::from).collect())
    }
}

/// The webhooks domain's root mutation fields.
#[derive(Debug, Default, Clone, Copy)]
pub struct WebhooksMutation;

#[graphql_object(context = Context)]
impl WebhooksMutation {
    /// Registers an endpoint for the account's events; answers its id and signing secret (shown only here).
    /// Success message "Webhook successfully created.".
    async fn create_webhook(ctx: &Context, data: CreateWebhookInput) -> Result<Option<CreateWebhookResult>, ApiError> {
        let identity = ctx.require_business()?.clone();
        let config = ctx.services.get::<WebhooksConfig>()?;
        let keys = ctx.services.get::<SecretBox>()?;
        let created =
            create_webhook(&ctx.pool, ctx.clock.as_ref(), config, keys, &identity.account_id, &data.webhook_endpoint)
                .await?;
        Ok(Some(CreateWebhookResult {
            message: "Webhook successfully created.".to_owned(),
            id: created.id.into(),
            webhook_secret: created.secret.expose_secret().to_owned(),
        }))
    }

    /// Posts a signed test event to one of the current account's webhooks now and answers what was sent and
    /// what the endpoint answered.
    async fn test_webhook(ctx: &Context, id: ID) -> Result<Option<TestWebhookResult>, ApiError> {
        let identity = ctx.require_business()?.clone();
        let services =
            (ctx.services.get::<WebhooksConfig>()?, ctx.services.get::<Sender>()?, ctx.services.get::<SecretBox>()?);
        let answer = test_webhook(&ctx.pool, ctx.clock.as_ref(), services, &identity.account_id, &id).await?;
        let body = serde_json::from_str::<Value>(&answer.body).unwrap_or(Value::String(answer.body));
        Ok(Some(TestWebhookResult {
            payload: Json(answer.payload),
            response: Json(json!({ "status": answer.status, "body": body })),
        }))
    }
}
