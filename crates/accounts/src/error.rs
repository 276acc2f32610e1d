use auth::AuthError;
use kernel::{ApiError, ContractError, Currency};

/// Refusals of the accounts domain, each with its contract code.
#[derive(Debug)]
pub enum AccountsError {
    /// I-4101: the session's person or account no longer exists.
    SessionGone,
    /// I-4204
    InvalidEmail,
    /// I-4203
    WeakPassword,
    /// I-4316
    CountryNotSupported,
    /// I-4740
    CurrencyNotSupported(Currency),
    /// I-4201
    InvalidSignupCode,
    /// I-4202
    EmailTaken,
    /// I-4430: the current account is DISABLED (or closed).
    AccountDisabled,
    Internal(anyhow::Error),
}

impl From<AccountsError> for ApiError {
    fn from(error: AccountsError) -> Self {
        let refusal = match error {
            AccountsError::SessionGone => ContractError::SessionGone,
            AccountsError::InvalidEmail => ContractError::InvalidEmail,
            AccountsError::WeakPassword => ContractError::WeakPassword,
            AccountsError::CountryNotSupported => ContractError::CountryNotSupported,
            AccountsError::CurrencyNotSupported(currency) => ContractError::CurrencyNotSupported { currency },
            AccountsError::InvalidSignupCode => ContractError::InvalidSignupCode,
            AccountsError::EmailTaken => ContractError::EmailTaken,
            AccountsError::AccountDisabled => ContractError::AccountDisabled,
            AccountsError::Internal(cause) => return ApiError::Internal(cause),
        };
        refusal.into()
    }
}

/// The refusals of auth that an accounts operation passes on, converted at the door so errors never nest.
impl From<AuthError> for AccountsError {
    fn from(error: AuthError) -> Self {
        match error {
            AuthError::EmailTaken => Self::EmailTaken,
            AuthError::InvalidCredentials | AuthError::TooManyFailures => {
                Self::Internal(anyhow::anyhow!("unexpected login refusal outside login: {error:?}"))
            }
            AuthError::Internal(cause) => Self::Internal(cause),
        }
    }
}

impl From<anyhow::Error> for AccountsError {
    fn from(cause: anyhow::Error) -> Self {
        Self::Internal(cause)
    }
}

impl From<store::DbError> for AccountsError {
    fn from(cause: store::DbError) -> Self {
        Self::Internal(cause.into())
    }
}
