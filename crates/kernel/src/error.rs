use juniper::{FieldError, IntoFieldError, ScalarValue, graphql_value};

use crate::current_request_id;

/// What a resolver answers when it does not succeed.
///
/// Domain crates keep their own error enums and convert them into this one; it becomes a GraphQL error in one
/// place, [`IntoFieldError`]. It deliberately does not implement `Display`: juniper turns any `Display` type
/// into a client-visible message, and an internal cause must never reach the client.
#[derive(Debug)]
pub enum ApiError {
    /// A refusal of the contract: its code (`I-4202`) and its exact text, without the code.
    Refused { code: &'static str, message: String },
    /// Anything unexpected. The cause goes to the log with the request id; the client sees E-0000.
    Internal(anyhow::Error),
}

impl ApiError {
    pub fn refused(code: &'static str, message: impl Into<String>) -> Self {
        Self::Refused { code, message: message.into() }
    }

    /// I-4100: the operation needs a live session.
    pub fn not_logged_in() -> Self {
        Self::refused("I-4100", "You must be logged in.")
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::Refused { code, .. } => code,
            Self::Internal(_) => "E-0000",
        }
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(cause: anyhow::Error) -> Self {
        Self::Internal(cause)
    }
}

impl<S: ScalarValue> IntoFieldError<S> for ApiError {
    fn into_field_error(self) -> FieldError<S> {
        match self {
            Self::Refused { code, message } => {
                FieldError::new(format!("{message} ({code})"), graphql_value!({ "code": code }))
            }
            Self::Internal(cause) => {
                let request_id = current_request_id();
                tracing::error!(request_id = %request_id, error = ?cause, "internal error");
                FieldError::new(
                    format!("Something went wrong. Reference: {request_id} (E-0000)"),
                    graphql_value!({ "code": "E-0000" }),
                )
            }
        }
    }
}
