use crate::{ContractError, MoneyError};

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

/// The money refusals of README "Money". An amount beyond what a Float carries exactly (more than 15
/// significant digits of minor units) has no code of its own in the contract; it is refused as I-4736,
/// since its minor units are exactly what the Float cannot carry (docs/decisions.md).
impl From<MoneyError> for ContractError {
    fn from(error: MoneyError) -> Self {
        match error {
            MoneyError::CurrencyNotSupported(currency) => Self::CurrencyNotSupported { currency },
            MoneyError::TooManyDecimals(currency) | MoneyError::TooLarge(currency) => {
                Self::TooManyDecimals { currency }
            }
            MoneyError::NotPositive => Self::AmountNotPositive,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Currency, FxRates, Money};

    #[test]
    fn money_refusals_carry_the_readme_codes() -> anyhow::Result<()> {
        let rates = FxRates::built_in()?;
        let code = |value: f64, currency| {
            Money::from_major_positive(value, currency, &rates).map_err(|e| client_message(&ContractError::from(e)))
        };
        assert_eq!(
            code(10.005, Currency::USD).err().as_deref(),
            Some("Amount has more decimal places than USD allows. (I-4736)")
        );
        assert_eq!(code(0.0, Currency::USD).err().as_deref(), Some("Amount must be greater than zero. (I-4737)"));
        assert_eq!(code(1.0, Currency::XAU).err().as_deref(), Some("Currency XAU is not supported. (I-4740)"));
        assert_eq!(
            code(1e20, Currency::USD).err().as_deref(),
            Some("Amount has more decimal places than USD allows. (I-4736)")
        );
        Ok(())
    }
}
