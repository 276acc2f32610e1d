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
    /// I-4402
    AccountLimitReached,
    /// I-4403
    AccountTypeExists,
    /// I-4408
    DeactivationReason,
    /// E-7004
    IncorrectPassword,
    /// I-4104
    InvalidLink,
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
            AccountsError::AccountLimitReached => ContractError::AccountLimitReached,
            AccountsError::AccountTypeExists => ContractError::AccountTypeExists,
            AccountsError::DeactivationReason => ContractError::DeactivationReason,
            AccountsError::IncorrectPassword => ContractError::IncorrectPassword,
            AccountsError::InvalidLink => ContractError::InvalidLink,
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
            AuthError::InvalidLink => Self::InvalidLink,
            AuthError::InvalidCredentials
            | AuthError::TooManyFailures
            | AuthError::EmailAlreadyVerified
            | AuthError::VerificationEmailTooSoon => {
                Self::Internal(anyhow::anyhow!("a refusal of auth that no accounts operation passes on: {error:?}"))
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
