use kernel::{ApiError, Currency};

/// Refusals of the accounts domain, each with its contract code.
#[derive(Debug)]
pub enum AccountsError {
    /// I-4101: the session's person or account no longer exists.
    SessionGone,
    /// I-4316
    CountryNotSupported,
    /// I-4740
    CurrencyNotSupported(Currency),
    Internal(anyhow::Error),
}

impl From<AccountsError> for ApiError {
    fn from(error: AccountsError) -> Self {
        match error {
            AccountsError::SessionGone => ApiError::refused("I-4101", "Invalid email or password. Please try again."),
            AccountsError::CountryNotSupported => {
                ApiError::refused("I-4316", "Accounts cannot be opened in this country yet.")
            }
            AccountsError::CurrencyNotSupported(currency) => {
                ApiError::refused("I-4740", format!("Currency {currency} is not supported."))
            }
            AccountsError::Internal(cause) => ApiError::Internal(cause),
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
