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
    /// I-4204
    InvalidEmail,
    /// I-4203
    WeakPassword,
    /// E-7001: a wrong old password (changePassword), before the fifth in a row.
    IncorrectCredentials,
    /// I-4106
    SamePassword,
    /// E-7002: the new hash could not be stored; nothing changed.
    PasswordNotStored,
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
            AuthError::InvalidEmail => ContractError::InvalidEmail.into(),
            AuthError::WeakPassword => ContractError::WeakPassword.into(),
            AuthError::IncorrectCredentials => ContractError::IncorrectCredentials.into(),
            AuthError::SamePassword => ContractError::SamePassword.into(),
            AuthError::PasswordNotStored => {
                ContractError::PasswordNotStored { reason: "password store unavailable".to_owned() }.into()
            }
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
