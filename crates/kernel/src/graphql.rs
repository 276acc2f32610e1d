//! The juniper face of the shared types: the `Context`, contract errors as GraphQL errors, the plain success
//! answer. Only built with the `graphql` feature.

use juniper::{FieldError, IntoFieldError, Object, ScalarValue, Value};

use crate::error::{client_message, internal_error};
use crate::{ApiError, Context, ContractError, Extension, current_request_id};

impl juniper::Context for Context {}

/// A refusal becomes `message` = `"<text> (<CODE>)"` and `extensions.code` = `<CODE>` (plus the extra data a
/// few codes carry); an internal failure is logged with the request id and shown only as E-0000.
impl<S: ScalarValue> IntoFieldError<S> for ApiError {
    fn into_field_error(self) -> FieldError<S> {
        let refusal = match self {
            Self::Refused(refusal) => refusal,
            Self::Internal(cause) => {
                let request_id = current_request_id();
                tracing::error!(request_id = %request_id, error = ?cause, "internal error");
                internal_error(&request_id)
            }
        };
        field_error(&refusal)
    }
}

fn field_error<S: ScalarValue>(refusal: &ContractError) -> FieldError<S> {
    let mut extensions = Object::with_capacity(3);
    extensions.add_field("code", Value::scalar(refusal.code().to_owned()));
    for (name, value) in refusal.extensions() {
        let value = match value {
            Extension::Text(text) => Value::scalar(text),
            Extension::Number(number) => i32::try_from(number).map_or(Value::Null, Value::scalar),
        };
        extensions.add_field(name, value);
    }
    FieldError::new(client_message(refusal), Value::Object(extensions))
}

/// A plain success answer with the operation's fixed message.
#[derive(juniper::GraphQLObject, Debug, Clone, PartialEq, Eq)]
#[graphql(
    description = "A plain success answer. `message` is a fixed string per operation (see that operation's page)."
)]
pub struct SuccessResult {
    pub message: String,
}

impl SuccessResult {
    pub fn new(message: &str) -> Self {
        Self { message: message.to_owned() }
    }
}
