use kernel::{ApiError, ContractError};

/// Refusals of the auth domain, each with its contract code.
#[derive(Debug)]
pub enum AuthError {
    /// E-7006: unknown email, wrong password, or no account left to land on; told apart by nothing.
    InvalidCredentials,
    /// I-4102
    TooManyFailures,
    /// I-4202: a login with this email exists.
    EmailTaken,
    /// I-4341
    EmailAlreadyVerified,
    /// I-4342
    VerificationEmailTooSoon,
    /// I-4104: the link's token is unknown, used, voided or expired.
    InvalidLink,
    Internal(anyhow::Error),
}

impl From<AuthError> for ApiError {
    fn from(error: AuthError) -> Self {
        match error {
            AuthError::InvalidCredentials => ContractError::InvalidCredentials.into(),
            AuthError::TooManyFailures => ContractError::TooManyLoginFailures.into(),
            AuthError::EmailTaken => ContractError::EmailTaken.into(),
            AuthError::EmailAlreadyVerified => ContractError::EmailAlreadyVerified.into(),
            AuthError::VerificationEmailTooSoon => ContractError::VerificationEmailTooSoon.into(),
            AuthError::InvalidLink => ContractError::InvalidLink.into(),
            AuthError::Internal(cause) => ApiError::Internal(cause),
        }
    }
}

impl From<anyhow::Error> for AuthError {
    fn from(cause: anyhow::Error) -> Self {
        Self::Internal(cause)
    }
}

impl From<store::DbError> for AuthError {
    fn from(cause: store::DbError) -> Self {
        Self::Internal(cause.into())
    }
}
