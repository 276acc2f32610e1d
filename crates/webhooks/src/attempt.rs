use diesel::prelude::*;
use kernel::{Clock, SecretString, with_connection};
use store::Pool;
use store::schema::webhooks;
use url::Url;

use crate::signing::{jwt, signature_header};
use crate::{AttemptAnswer, SecretBox, Sender};

/// Where an attempt goes and what signs it.
pub(crate) struct Target {
    pub url: Url,
    pub secret: SecretString,
}

/// The webhook's endpoint and current secret; `None` when the webhook is gone.
pub(crate) async fn target(pool: &Pool, keys: &SecretBox, webhook_id: &str) -> anyhow::Result<Option<Target>> {
    let id = webhook_id.to_owned();
    let row: Option<(String, String)> = with_connection(pool, move |conn| -> anyhow::Result<_> {
        Ok(webhooks::table.find(&id).select((webhooks::endpoint, webhooks::sealed_secret)).first(conn).optional()?)
    })
    .await?;
    let Some((endpoint, sealed)) = row else { return Ok(None) };
    Ok(Some(Target { url: Url::parse(&endpoint)?, secret: keys.open(webhook_id, &sealed)? }))
}

/// One attempt of a delivery: the payload as a JWT signed with the current secret, and the headers of
/// providers.md section 8 with a fresh `t`.
pub(crate) async fn attempt(
    sender: &Sender,
    clock: &dyn Clock,
    target: &Target,
    event: &str,
    delivery_id: &str,
    payload: &serde_json::Value,
) -> anyhow::Result<AttemptAnswer> {
    let body = jwt(payload, &target.secret)?;
    let signature = signature_header(clock.now().timestamp(), &body, &target.secret);
    let headers = [
        ("Borderless-Signature", signature),
        ("Borderless-Event", event.to_owned()),
        ("Borderless-Delivery", delivery_id.to_owned()),
    ];
    Ok(sender.post(&target.url, body, &headers).await)
}
