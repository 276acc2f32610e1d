use accounts::AccountsError;
use kernel::ApiError;

/// Refusals of sign-up and login, each with its contract code.
#[derive(Debug)]
pub enum AuthError {
    /// I-4204
    InvalidEmail,
    /// I-4203
    WeakPassword,
    /// I-4201
    InvalidSignupCode,
    /// I-4202
    EmailTaken,
    /// E-7006: unknown email, wrong password, or no account left to land on; told apart by nothing.
    InvalidCredentials,
    /// I-4102
    TooManyFailures,
    /// A refusal of the account being opened (I-4316, I-4740).
    Accounts(AccountsError),
    Internal(anyhow::Error),
}

impl From<AuthError> for ApiError {
    fn from(error: AuthError) -> Self {
        match error {
            AuthError::InvalidEmail => ApiError::refused("I-4204", "This is not a valid email address."),
            AuthError::WeakPassword => ApiError::refused(
                "I-4203",
                "Password must be at least 8 characters long and contain an upper-case letter, a lower-case letter and a digit.",
            ),
            AuthError::InvalidSignupCode => ApiError::refused("I-4201", "Invalid sign-up code provided."),
            AuthError::EmailTaken => {
                ApiError::refused("I-4202", "This email already has an account. Sign in to add another.")
            }
            AuthError::InvalidCredentials => {
                ApiError::refused("E-7006", "Invalid email or password. Please try again.")
            }
            AuthError::TooManyFailures => {
                ApiError::refused("I-4102", "Too many failed login attempts. Please try again later.")
            }
            AuthError::Accounts(error) => error.into(),
            AuthError::Internal(cause) => ApiError::Internal(cause),
        }
    }
}

impl From<AccountsError> for AuthError {
    fn from(error: AccountsError) -> Self {
        Self::Accounts(error)
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
