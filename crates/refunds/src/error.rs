use payments::PaymentsError;

/// Refusals of the refunds domain's operations, each with its contract code.
#[derive(Debug)]
pub enum RefundsError {
    /// I-4101: the session's account no longer exists.
    SessionGone,
    /// I-4430
    AccountDisabled,
    /// I-4726
    NotRefundable,
    /// I-4724
    NotComplete,
    /// I-4725
    WindowExpired,
    /// I-4723
    AlreadyRefunded,
    /// I-4729
    CountReached,
    /// I-4720
    AttemptsExhausted,
    /// I-4727
    RecipientClosed,
    /// I-4903
    NoFundingBankAccount,
    /// I-4718: updateRefundSession without a refund session.
    NoSessionToUpdate,
    /// I-4722: submitRefundSession without a priced refund session.
    NoSessionToSubmit,
    /// I-4770: refundSession without a refund session.
    NoSession,
    /// I-4771
    QuoteExpired,
    /// I-4728
    TooLarge,
    /// E-6009: the refund was made, but its email could not be handed to the mail transport.
    EmailNotSent {
        refund_id: String,
    },
    /// A refusal the payments domain words (amounts, texts, dates, I-4731, I-4760).
    Payments(PaymentsError),
    Internal(anyhow::Error),
}

impl From<PaymentsError> for RefundsError {
    fn from(error: PaymentsError) -> Self {
        match error {
            PaymentsError::Internal(cause) => Self::Internal(cause),
            other => Self::Payments(other),
        }
    }
}

impl From<anyhow::Error> for RefundsError {
    fn from(cause: anyhow::Error) -> Self {
        Self::Internal(cause)
    }
}

impl From<store::DbError> for RefundsError {
    fn from(error: store::DbError) -> Self {
        Self::Internal(error.into())
    }
}

impl From<kernel::MoneyError> for RefundsError {
    fn from(error: kernel::MoneyError) -> Self {
        Self::Payments(PaymentsError::Money(error))
    }
}

impl From<RefundsError> for kernel::ApiError {
    fn from(error: RefundsError) -> Self {
        use kernel::ContractError as C;
        let refusal = match error {
            RefundsError::SessionGone => C::SessionGone,
            RefundsError::AccountDisabled => C::AccountDisabled,
            RefundsError::NotRefundable => C::NotRefundable,
            RefundsError::NotComplete => C::RefundBeforeComplete,
            RefundsError::WindowExpired => C::RefundWindowExpired,
            RefundsError::AlreadyRefunded => C::AlreadyRefunded,
            RefundsError::CountReached => C::RefundCountReached,
            RefundsError::AttemptsExhausted => C::RefundAttemptsExhausted,
            RefundsError::RecipientClosed => C::RefundRecipientClosed,
            RefundsError::NoFundingBankAccount => C::NoFundingBankAccount,
            RefundsError::NoSessionToUpdate => C::NoRefundSessionToUpdate,
            RefundsError::NoSessionToSubmit => C::NoRefundSessionToSubmit,
            RefundsError::NoSession => C::NoRefundSession,
            RefundsError::QuoteExpired => C::RefundQuoteExpired,
            RefundsError::TooLarge => C::RefundTooLarge,
            RefundsError::EmailNotSent { refund_id } => C::RefundEmailNotSent { refund_id },
            RefundsError::Payments(error) => return error.into(),
            RefundsError::Internal(cause) => return kernel::ApiError::Internal(cause),
        };
        kernel::ApiError::Refused(refusal)
    }
}
