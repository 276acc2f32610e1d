use crate::ContractError;

/// What a resolver answers when it does not succeed.
///
/// Domain crates keep their own error enums and convert them into this one; it becomes a GraphQL error in one
/// place (the `graphql` module). It deliberately does not implement `Display`: juniper turns any `Display` type
/// into a client-visible message, and an internal cause must never reach the client.
#[derive(Debug)]
pub enum ApiError {
    /// A refusal (or provider failure) of the contract, with its code and message.
    Refused(ContractError),
    /// Anything unexpected. The cause goes to the log with the request id; the client sees E-0000.
    Internal(anyhow::Error),
}

impl ApiError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Refused(error) => error.code(),
            Self::Internal(_) => ContractError::Internal { request_id: String::new() }.code(),
        }
    }
}

impl From<ContractError> for ApiError {
    fn from(error: ContractError) -> Self {
        Self::Refused(error)
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(cause: anyhow::Error) -> Self {
        Self::Internal(cause)
    }
}

impl From<store::DbError> for ApiError {
    fn from(cause: store::DbError) -> Self {
        Self::Internal(cause.into())
    }
}

/// The whole text a client reads for an error: `<message> (<CODE>)`.
pub fn client_message(error: &ContractError) -> String {
    format!("{} ({})", error.message(), error.code())
}

/// The only thing a client learns of an unexpected failure: E-0000 with the request id to quote.
pub fn internal_error(request_id: &str) -> ContractError {
    ContractError::Internal { request_id: request_id.to_owned() }
}
