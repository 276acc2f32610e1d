use kernel::{ApiError, ContractError};

use crate::AttemptFailure;

/// Refusals of the webhooks domain, each with its contract code.
#[derive(Debug)]
pub enum WebhooksError {
    /// I-4101: the session's account no longer exists.
    SessionGone,
    /// I-4430
    AccountDisabled,
    /// I-2203
    InvalidUrl,
    /// I-2204
    NeedsHttps,
    /// I-2205
    PrivateTarget,
    /// I-2206
    HostNotFound,
    /// I-2207
    TooManyWebhooks,
    /// I-2201
    NoSuchWebhook,
    /// I-2202w, with why the attempt failed.
    TestFailed(AttemptFailure),
    Internal(anyhow::Error),
}

impl From<anyhow::Error> for WebhooksError {
    fn from(cause: anyhow::Error) -> Self {
        Self::Internal(cause)
    }
}

impl From<store::DbError> for WebhooksError {
    fn from(error: store::DbError) -> Self {
        Self::Internal(error.into())
    }
}

impl From<WebhooksError> for ApiError {
    fn from(error: WebhooksError) -> Self {
        let refusal = match error {
            WebhooksError::SessionGone => ContractError::SessionGone,
            WebhooksError::AccountDisabled => ContractError::AccountDisabled,
            WebhooksError::InvalidUrl => ContractError::InvalidWebhookUrl,
            WebhooksError::NeedsHttps => ContractError::WebhookNeedsHttps,
            WebhooksError::PrivateTarget => ContractError::WebhookTargetPrivate,
            WebhooksError::HostNotFound => ContractError::WebhookHostNotFound,
            WebhooksError::TooManyWebhooks => ContractError::TooManyWebhooks,
            WebhooksError::NoSuchWebhook => ContractError::NoSuchWebhook,
            WebhooksError::TestFailed(failure) => {
                ContractError::TestWebhookFailed { reason: failure.reason().to_owned(), status: failure.status() }
            }
            WebhooksError::Internal(cause) => return ApiError::Internal(cause),
        };
        ApiError::Refused(refusal)
    }
}
