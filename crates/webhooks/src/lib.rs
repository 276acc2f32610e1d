//! Webhooks (providers.md section 8): the event outbox every domain writes to ([`record_event`], inside the
//! transaction of its change), an account's endpoints ([`create_webhook`], [`account_webhooks`],
//! [`test_webhook`]), and the job that delivers each event to them, signed, retried on a schedule and stored
//! attempt by attempt ([`WebhookDeliveries`]). Targets are checked to be public at creation and again at every
//! attempt.
//!
//! Public API: the configuration ([`WebhooksConfig`]) and the key of the secrets at rest ([`SecretBox`],
//! [`secret_box`]); the HTTP client of every attempt ([`Sender`]); the services above and
//! [`close_account_webhooks`] for a closed account; and behind the `graphql` feature the GraphQL objects
//! ([`graphql`]).

mod address;
mod attempt;
mod config;
mod deliveries;
mod endpoint;
mod error;
mod events;
#[cfg(feature = "graphql")]
pub mod graphql;
mod job;
mod registry;
mod secret_box;
mod sender;
mod signing;
mod test_webhook;

pub use address::is_public;
pub use config::WebhooksConfig;
pub use deliveries::DeliveryStatus;
pub use error::WebhooksError;
pub use events::{EventType, record_event};
pub use job::WebhookDeliveries;
pub use registry::{CreatedWebhook, Webhook, account_webhooks, close_account_webhooks, create_webhook};
pub use secret_box::{SecretBox, secret_box};
pub use sender::{ANSWER_LIMIT, AttemptAnswer, AttemptFailure, Sender};
pub use test_webhook::{TestAnswer, test_webhook};
