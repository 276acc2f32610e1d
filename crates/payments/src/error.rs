use std::fmt;

use kernel::{Currency, MoneyError};

use crate::Rate;

/// Why a payment or refund cannot be priced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PricingError {
    /// I-4737 (`Amount must be greater than zero.`): the entered amount is 0 or less.
    AmountNotPositive,
    /// I-4747 (`The amount is too small to cover the fee.`), answered by updatePaymentSession (and updateQuote
    /// should rates move): the beneficiary total would be 0 or less, the fee borne by the beneficiary eating the
    /// converted amount. Nothing is stored.
    TooSmallToCoverFee,
    /// With basis BENEFICIARY the payer's amount rounds to 0 (a tiny amount into a currency worth much less per
    /// unit): the payer would send nothing. The contract names no code for it; the nearest is I-4737.
    PayerAmountRoundsToZero,
    /// The entered amount is not in the currency its quote basis fixes (P for PAYER, B for BENEFICIARY): a
    /// caller's mistake, not the user's.
    AmountCurrency { expected: Currency, found: Currency },
    /// The payer and beneficiary currencies are the same but the rate is not exactly 1: a caller's mistake.
    LocalRateNotOne(Rate),
    /// The fee schedule has no row for the currency: it was not checked with `FeeSchedule::covers` against the
    /// rates table the currency came from.
    NoFees(Currency),
    /// An amount on the way lies beyond `kernel::MAX_MINOR_UNITS` (`TooLarge`, I-4736), or the currency cannot
    /// carry amounts.
    Money(MoneyError),
}

impl From<MoneyError> for PricingError {
    fn from(error: MoneyError) -> Self {
        Self::Money(error)
    }
}

impl fmt::Display for PricingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::AmountNotPositive => f.write_str("the amount is not positive"),
            Self::TooSmallToCoverFee => f.write_str("the beneficiary total would be 0 or less"),
            Self::PayerAmountRoundsToZero => f.write_str("the payer's amount rounds to 0"),
            Self::AmountCurrency { expected, found } => {
                write!(f, "the amount is in {found} where the quote basis fixes {expected}")
            }
            Self::LocalRateNotOne(rate) => write!(f, "a LOCAL payment priced at rate {rate}, not 1"),
            Self::NoFees(currency) => write!(f, "the fee schedule has no row for {currency}"),
            Self::Money(error) => write!(f, "amount out of range: {error:?}"),
        }
    }
}

impl std::error::Error for PricingError {}

/// Refusals of the payments domain's operations, each with its contract code.
#[derive(Debug)]
pub enum PaymentsError {
    /// I-4101: the session's account no longer exists.
    SessionGone,
    /// I-4430
    AccountDisabled,
    /// I-4732
    CannotPay,
    /// I-4701
    EmailAndHandle,
    /// I-4702
    NoEmailOrHandle,
    /// I-4204
    InvalidEmail,
    /// I-4703
    PaySelf,
    /// I-4704, with the email in lower case.
    NoAccountForEmail(String),
    /// I-4741, with the handle as given.
    NoAccountForHandle(String),
    /// I-4742
    RecipientClosed,
    /// I-4750
    RecipientCannotReceive,
    /// I-4740
    CurrencyNotSupported(Currency),
    /// I-4743
    FundingBalanceNotEnabled,
    /// I-4903
    NoFundingBankAccount,
    /// I-4713: updatePaymentSession without a live payment session.
    NoPaymentSessionToUpdate,
    /// I-4714: updateQuote without a live payment session.
    NoPaymentSessionToQuote,
    /// I-4715
    PaymentNotDefined,
    /// I-4716: paymentSession without a live payment session.
    NoPaymentSession,
    /// I-4710: submitPaymentSession without a live, priced payment session.
    SessionNotSubmittable,
    /// I-4748
    QuoteExpired,
    /// I-4760
    IdempotencyKeyReused,
    /// I-4736 or I-4737 (or I-4740): the amount as Money refused it.
    Money(MoneyError),
    /// I-4737: the payer's side of the amount rounds to nothing.
    AmountNotPositive,
    /// I-4744
    InvalidDescription,
    /// I-4745
    MessageTooLong,
    /// I-4303
    InvalidDate,
    /// I-4738
    DateInPast,
    /// I-4739
    DateTooFar,
    /// I-4731
    ScheduledInternationalNotEnabled,
    /// I-4746
    InvalidPopCode,
    /// I-4735
    PopCodeRequired,
    /// I-4747
    AmountBelowFee,
    /// I-4749
    AmountNotRequested,
    /// I-4602
    PaymentRequestInaccessible,
    /// I-4603
    DeclineNotAllowed,
    /// I-4604
    RequestHasNoRecipient,
    /// I-4605
    RequestFromSelf,
    /// I-4606
    RequestCurrency,
    /// I-4607
    RequestNotOpen,
    /// I-4608
    RequestResentTooOften,
    /// I-4610
    EmailCannotReceiveRequests,
    /// I-4711
    RequestNotValid,
    /// I-4902
    PayOwnRequest,
    /// I-4905
    RequestForSomeoneElse,
    /// I-4906
    RequestNeedsPaymentSession,
    /// I-5101
    HandleNotInUse,
    /// I-5102
    PayMeToPersonal,
    Internal(anyhow::Error),
}

impl From<MoneyError> for PaymentsError {
    fn from(error: MoneyError) -> Self {
        Self::Money(error)
    }
}

impl From<anyhow::Error> for PaymentsError {
    fn from(cause: anyhow::Error) -> Self {
        Self::Internal(cause)
    }
}

impl From<store::DbError> for PaymentsError {
    fn from(error: store::DbError) -> Self {
        Self::Internal(error.into())
    }
}

impl From<PaymentsError> for kernel::ApiError {
    fn from(error: PaymentsError) -> Self {
        use kernel::ContractError as C;
        let refusal = match error {
            PaymentsError::SessionGone => C::SessionGone,
            PaymentsError::AccountDisabled => C::AccountDisabled,
            PaymentsError::CannotPay => C::CannotPay,
            PaymentsError::EmailAndHandle => C::EmailAndHandle,
            PaymentsError::NoEmailOrHandle => C::NoEmailOrHandle,
            PaymentsError::InvalidEmail => C::InvalidEmail,
            PaymentsError::PaySelf => C::PaySelf,
            PaymentsError::NoAccountForEmail(email) => C::NoAccountForEmail { email },
            PaymentsError::NoAccountForHandle(handle) => C::NoAccountForHandle { handle },
            PaymentsError::RecipientClosed => C::RecipientClosed,
            PaymentsError::RecipientCannotReceive => C::RecipientCannotReceive,
            PaymentsError::CurrencyNotSupported(currency) => C::CurrencyNotSupported { currency },
            PaymentsError::FundingBalanceNotEnabled => C::FundingBalanceNotEnabled,
            PaymentsError::NoFundingBankAccount => C::NoFundingBankAccount,
            PaymentsError::NoPaymentSessionToUpdate => C::NoPaymentSessionToUpdate,
            PaymentsError::NoPaymentSessionToQuote => C::NoPaymentSessionToQuote,
            PaymentsError::PaymentNotDefined => C::PaymentNotDefined,
            PaymentsError::NoPaymentSession => C::NoPaymentSession,
            PaymentsError::SessionNotSubmittable => C::SessionNotSubmittable,
            PaymentsError::QuoteExpired => C::QuoteExpired,
            PaymentsError::IdempotencyKeyReused => C::IdempotencyKeyReused,
            PaymentsError::Money(error) => C::from(error),
            PaymentsError::AmountNotPositive => C::AmountNotPositive,
            PaymentsError::InvalidDescription => C::InvalidDescription,
            PaymentsError::MessageTooLong => C::MessageTooLong,
            PaymentsError::InvalidDate => C::InvalidDate,
            PaymentsError::DateInPast => C::DateInPast,
            PaymentsError::DateTooFar => C::DateTooFar,
            PaymentsError::ScheduledInternationalNotEnabled => C::ScheduledInternationalNotEnabled,
            PaymentsError::InvalidPopCode => C::InvalidPopCode,
            PaymentsError::PopCodeRequired => C::PopCodeRequired,
            PaymentsError::AmountBelowFee => C::AmountBelowFee,
            PaymentsError::AmountNotRequested => C::AmountNotRequested,
            PaymentsError::PaymentRequestInaccessible => C::PaymentRequestInaccessible,
            PaymentsError::DeclineNotAllowed => C::DeclineNotAllowed,
            PaymentsError::RequestHasNoRecipient => C::RequestHasNoRecipient,
            PaymentsError::RequestFromSelf => C::RequestFromSelf,
            PaymentsError::RequestCurrency => C::RequestCurrency,
            PaymentsError::RequestNotOpen => C::RequestNotOpen,
            PaymentsError::RequestResentTooOften => C::RequestResentTooOften,
            PaymentsError::EmailCannotReceiveRequests => C::EmailCannotReceiveRequests,
            PaymentsError::RequestNotValid => C::RequestNotValid,
            PaymentsError::PayOwnRequest => C::PayOwnRequest,
            PaymentsError::RequestForSomeoneElse => C::RequestForSomeoneElse,
            PaymentsError::RequestNeedsPaymentSession => C::RequestNeedsPaymentSession,
            PaymentsError::HandleNotInUse => C::HandleNotInUse,
            PaymentsError::PayMeToPersonal => C::PayMeToPersonal,
            PaymentsError::Internal(cause) => return kernel::ApiError::Internal(cause),
        };
        kernel::ApiError::Refused(refusal)
    }
}
