use kernel::ContractError;

/// Refusals of paymentActivity, paymentActivityById, contacts and tradeConfirmationForPayment, each with its
/// contract code. The session guard (I-4100) is the resolver's.
#[derive(Debug)]
pub enum ActivityError {
    /// I-4904: the current account has no entry with this id (another account's, unknown and malformed ids
    /// alike).
    NoSuchActivity,
    /// I-4907
    FirstOutOfRange,
    /// I-4908
    InvalidCursor,
    /// I-4909
    DateRangeReversed,
    /// I-4910: a request or funding entry, or a LOCAL payment (no currency trade).
    NoTradeConfirmation,
    /// I-4911
    NotComplete,
    Internal(anyhow::Error),
}

impl From<anyhow::Error> for ActivityError {
    fn from(cause: anyhow::Error) -> Self {
        Self::Internal(cause)
    }
}

impl From<store::DbError> for ActivityError {
    fn from(error: store::DbError) -> Self {
        Self::Internal(error.into())
    }
}

impl From<ActivityError> for kernel::ApiError {
    fn from(error: ActivityError) -> Self {
        let refusal = match error {
            ActivityError::NoSuchActivity => ContractError::NoSuchActivity,
            ActivityError::FirstOutOfRange => ContractError::ActivityFirstOutOfRange,
            ActivityError::InvalidCursor => ContractError::InvalidCursor,
            ActivityError::DateRangeReversed => ContractError::DateRangeReversed,
            ActivityError::NoTradeConfirmation => ContractError::NoTradeConfirmation,
            ActivityError::NotComplete => ContractError::TradeConfirmationNotReady,
            ActivityError::Internal(cause) => return kernel::ApiError::Internal(cause),
        };
        kernel::ApiError::Refused(refusal)
    }
}
