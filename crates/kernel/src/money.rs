//! Amounts of money (README, "Scalars and values" -> Money; flows.md section 9): integer minor units of the
//! currency's ISO 4217 exponent, never binary floating point. The GraphQL edge carries `Float` major units; this
//! module converts exactly in both directions and rounds computed amounts half-even to the minor unit.

use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::{Currency, FxRates};

/// The largest amount, in minor units, that the service holds: 15 significant digits.
///
/// Amounts leave and enter the API as GraphQL `Float` (an IEEE 754 double). A double carries every decimal of at
/// most 15 significant digits exactly in both directions (decimal -> nearest double -> shortest decimal gives the
/// same decimal back), and no more: with 16 digits two amounts can share a double. Capping amounts at 15 digits
/// of minor units keeps every amount the service writes readable back as the same amount. Amounts lie in
/// `-MAX_MINOR_UNITS..=MAX_MINOR_UNITS`.
pub const MAX_MINOR_UNITS: i64 = 999_999_999_999_999;

/// An amount of money: an integer number of minor units of its currency (2 decimals for USD, 0 for JPY).
///
/// Every `Money` has a currency with an ISO 4217 minor unit and an amount within `±MAX_MINOR_UNITS`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Money {
    minor_units: i64,
    currency: Currency,
}

/// Why an amount cannot be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoneyError {
    /// The currency has no ISO 4217 minor unit or is not in the rates table (I-4740).
    CurrencyNotSupported(Currency),
    /// The amount has more decimals than the currency's minor unit allows (I-4736).
    TooManyDecimals(Currency),
    /// The amount is zero or negative where a positive amount is required (I-4737).
    NotPositive,
    /// The amount is not finite or lies beyond `±MAX_MINOR_UNITS` minor units (I-4736).
    TooLarge(Currency),
}

impl Money {
    /// An amount given in minor units. The currency must have an ISO 4217 minor unit.
    pub fn from_minor_units(minor: i64, currency: Currency) -> Result<Self, MoneyError> {
        currency.exponent().ok_or(MoneyError::CurrencyNotSupported(currency))?;
        if !(-MAX_MINOR_UNITS..=MAX_MINOR_UNITS).contains(&minor) {
            return Err(MoneyError::TooLarge(currency));
        }
        Ok(Self { minor_units: minor, currency })
    }

    /// An amount received at the edge in major units (README, Money): the currency must carry amounts (in the
    /// rates table, with a minor unit); the shortest decimal form of `value` may not have more decimals than the
    /// currency's exponent; the value must be finite and within range. It is then converted exactly, through its
    /// decimal text, never by float arithmetic. Zero and negative amounts are accepted (see
    /// [`Money::from_major_positive`]).
    pub fn from_major(value: f64, currency: Currency, rates: &FxRates) -> Result<Self, MoneyError> {
        if !rates.carries_amounts(currency) {
            return Err(MoneyError::CurrencyNotSupported(currency));
        }
        let exponent = currency.exponent().ok_or(MoneyError::CurrencyNotSupported(currency))?;
        if !value.is_finite() {
            return Err(MoneyError::TooLarge(currency));
        }
        // `Display` of an f64 is the shortest text that reads back as the same double, never with an exponent.
        let text = format!("{value}");
        let decimals = text.split_once('.').map_or(0, |(_, fraction)| fraction.trim_end_matches('0').len());
        if decimals > exponent as usize {
            return Err(MoneyError::TooManyDecimals(currency));
        }
        // Anything this large is out of range for every exponent; it would also not fit a `Decimal`.
        if value.abs() >= 1e16 {
            return Err(MoneyError::TooLarge(currency));
        }
        let exact = Decimal::from_str(&text).map_err(|_| MoneyError::TooLarge(currency))?;
        Self::from_decimal_exact(exact, currency, exponent)
    }

    /// As [`Money::from_major`], and the amount must be greater than zero (checked after the decimals).
    pub fn from_major_positive(value: f64, currency: Currency, rates: &FxRates) -> Result<Self, MoneyError> {
        let money = Self::from_major(value, currency, rates)?;
        if money.is_positive() { Ok(money) } else { Err(MoneyError::NotPositive) }
    }

    /// Rounds an exact decimal amount in major units half-even (banker's rounding) to the currency's minor unit,
    /// once (flows.md section 9, `round_X`).
    pub fn round_half_even(value: Decimal, currency: Currency) -> Result<Self, MoneyError> {
        let exponent = currency.exponent().ok_or(MoneyError::CurrencyNotSupported(currency))?;
        let rounded = value.round_dp_with_strategy(exponent, RoundingStrategy::MidpointNearestEven);
        Self::from_decimal_exact(rounded, currency, exponent)
    }

    /// The amount of a decimal that has at most `exponent` decimals.
    fn from_decimal_exact(value: Decimal, currency: Currency, exponent: u32) -> Result<Self, MoneyError> {
        let value = value.normalize();
        let scale = value.scale();
        if scale > exponent {
            return Err(MoneyError::TooManyDecimals(currency));
        }
        let minor = 10_i128
            .checked_pow(exponent - scale)
            .and_then(|factor| value.mantissa().checked_mul(factor))
            .and_then(|minor| i64::try_from(minor).ok())
            .ok_or(MoneyError::TooLarge(currency))?;
        Self::from_minor_units(minor, currency)
    }

    pub fn minor_units(self) -> i64 {
        self.minor_units
    }

    pub fn currency(self) -> Currency {
        self.currency
    }

    /// The currency's ISO 4217 minor unit (every `Money` has one).
    pub fn exponent(self) -> u32 {
        self.currency.exponent().unwrap_or(0)
    }

    /// The exact amount in major units (`2534` USD cents -> `25.34`).
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.minor_units, self.exponent())
    }

    /// The amount in major units for the GraphQL `Float` edge: the exact decimal, read as the nearest double (no
    /// float division). Within `±MAX_MINOR_UNITS` that double reads back as the same amount.
    pub fn to_major_f64(self) -> f64 {
        self.to_decimal().to_string().parse::<f64>().expect("a decimal's text is a valid f64")
    }

    /// The sum, when both amounts are in the same currency and the result is within range.
    pub fn checked_add(self, other: Self) -> Option<Self> {
        if self.currency != other.currency {
            return None;
        }
        let sum = self.minor_units.checked_add(other.minor_units)?;
        Self::from_minor_units(sum, self.currency).ok()
    }

    /// The difference, when both amounts are in the same currency and the result is within range.
    pub fn checked_sub(self, other: Self) -> Option<Self> {
        if self.currency != other.currency {
            return None;
        }
        let difference = self.minor_units.checked_sub(other.minor_units)?;
        Self::from_minor_units(difference, self.currency).ok()
    }

    /// True when the amount is greater than zero.
    pub fn is_positive(self) -> bool {
        self.minor_units > 0
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn rates() -> FxRates {
        FxRates::built_in().expect("the built-in rates table parses")
    }

    fn decimal(text: &str) -> Decimal {
        Decimal::from_str(text).expect("a decimal literal")
    }

    fn money(minor: i64, currency: Currency) -> Money {
        Money::from_minor_units(minor, currency).expect("a valid amount")
    }

    #[test]
    fn converts_contract_inputs_exactly() {
        let rates = rates();
        assert_eq!(Money::from_major(25.34, Currency::USD, &rates), Ok(money(2534, Currency::USD)));
        assert_eq!(Money::from_major(35.0, Currency::CAD, &rates), Ok(money(3500, Currency::CAD)));
        assert_eq!(Money::from_major(10.5, Currency::USD, &rates), Ok(money(1050, Currency::USD)));
        assert_eq!(Money::from_major(0.1, Currency::USD, &rates), Ok(money(10, Currency::USD)));
        assert_eq!(Money::from_major(0.29, Currency::EUR, &rates), Ok(money(29, Currency::EUR)));
        assert_eq!(Money::from_major(1234.0, Currency::JPY, &rates), Ok(money(1234, Currency::JPY)));
        assert_eq!(Money::from_major(-3.07, Currency::GBP, &rates), Ok(money(-307, Currency::GBP)));
        assert_eq!(Money::from_major(0.0, Currency::USD, &rates), Ok(money(0, Currency::USD)));
        assert_eq!(Money::from_major(-0.0, Currency::USD, &rates), Ok(money(0, Currency::USD)));
    }

    #[test]
    fn refuses_more_decimals_than_the_currency_has() {
        let rates = rates();
        assert_eq!(Money::from_major(1.5, Currency::JPY, &rates), Err(MoneyError::TooManyDecimals(Currency::JPY)));
        assert_eq!(Money::from_major(10.005, Currency::USD, &rates), Err(MoneyError::TooManyDecimals(Currency::USD)));
        assert_eq!(Money::from_major(1e-300, Currency::USD, &rates), Err(MoneyError::TooManyDecimals(Currency::USD)));
        // The decimals are checked before the sign.
        assert_eq!(
            Money::from_major_positive(-10.005, Currency::USD, &rates),
            Err(MoneyError::TooManyDecimals(Currency::USD))
        );
    }

    #[test]
    fn positive_amounts_only_where_required() {
        let rates = rates();
        assert_eq!(Money::from_major_positive(0.0, Currency::USD, &rates), Err(MoneyError::NotPositive));
        assert_eq!(Money::from_major_positive(-0.0, Currency::USD, &rates), Err(MoneyError::NotPositive));
        assert_eq!(Money::from_major_positive(-1.0, Currency::USD, &rates), Err(MoneyError::NotPositive));
        assert_eq!(Money::from_major_positive(0.01, Currency::USD, &rates), Ok(money(1, Currency::USD)));
    }

    #[test]
    fn refuses_currencies_that_cannot_carry_amounts() {
        let rates = rates();
        // KWD has a minor unit (3) but is not in the rates table.
        assert_eq!(Currency::KWD.exponent(), Some(3));
        assert_eq!(
            Money::from_major(1.234, Currency::KWD, &rates),
            Err(MoneyError::CurrencyNotSupported(Currency::KWD))
        );
        assert_eq!(Money::from_major(1.0, Currency::KWD, &rates), Err(MoneyError::CurrencyNotSupported(Currency::KWD)));
        // Minor units of KWD are still representable.
        assert_eq!(Money::from_minor_units(1234, Currency::KWD).map(Money::to_major_f64), Ok(1.234));
        // XAU has no minor unit at all.
        assert_eq!(Money::from_major(1.0, Currency::XAU, &rates), Err(MoneyError::CurrencyNotSupported(Currency::XAU)));
        assert_eq!(Money::from_minor_units(1, Currency::XAU), Err(MoneyError::CurrencyNotSupported(Currency::XAU)));
        assert_eq!(
            Money::round_half_even(Decimal::ONE, Currency::XAU),
            Err(MoneyError::CurrencyNotSupported(Currency::XAU))
        );
    }

    #[test]
    fn refuses_amounts_out_of_range() {
        let rates = rates();
        for value in [1e300, -1e300, f64::INFINITY, f64::NEG_INFINITY, f64::NAN, f64::MAX, 1e16, 1e15] {
            assert_eq!(Money::from_major(value, Currency::JPY, &rates), Err(MoneyError::TooLarge(Currency::JPY)));
        }
        assert_eq!(
            Money::from_major(999_999_999_999_999.0, Currency::JPY, &rates),
            Ok(money(MAX_MINOR_UNITS, Currency::JPY))
        );
        assert_eq!(
            Money::from_major(9_999_999_999_999.99, Currency::USD, &rates),
            Ok(money(MAX_MINOR_UNITS, Currency::USD))
        );
        assert_eq!(
            Money::from_major(10_000_000_000_000.0, Currency::USD, &rates),
            Err(MoneyError::TooLarge(Currency::USD))
        );
        assert_eq!(
            Money::from_minor_units(MAX_MINOR_UNITS + 1, Currency::USD),
            Err(MoneyError::TooLarge(Currency::USD))
        );
        assert_eq!(
            Money::from_minor_units(-MAX_MINOR_UNITS - 1, Currency::USD),
            Err(MoneyError::TooLarge(Currency::USD))
        );
        assert_eq!(Money::from_minor_units(i64::MIN, Currency::USD), Err(MoneyError::TooLarge(Currency::USD)));
        assert_eq!(
            Money::round_half_even(decimal("10000000000000"), Currency::USD),
            Err(MoneyError::TooLarge(Currency::USD))
        );
        assert_eq!(Money::round_half_even(Decimal::MAX, Currency::USD), Err(MoneyError::TooLarge(Currency::USD)));
    }

    #[test]
    fn writes_major_units() {
        assert_eq!(money(50, Currency::USD).to_major_f64(), 0.5);
        assert_eq!(money(2534, Currency::USD).to_major_f64(), 25.34);
        assert_eq!(money(3500, Currency::CAD).to_major_f64(), 35.0);
        assert_eq!(money(-1, Currency::USD).to_major_f64(), -0.01);
        assert_eq!(money(1515, Currency::JPY).to_major_f64(), 1515.0);
        assert_eq!(money(2534, Currency::USD).to_decimal(), decimal("25.34"));
        assert_eq!(money(2534, Currency::USD).exponent(), 2);
        assert_eq!(money(7, Currency::JPY).exponent(), 0);
        assert_eq!(money(MAX_MINOR_UNITS, Currency::USD).to_major_f64(), 9_999_999_999_999.99);
    }

    #[test]
    fn rounds_half_even_once() -> Result<(), MoneyError> {
        let round = |text: &str, currency| Money::round_half_even(decimal(text), currency).map(Money::minor_units);
        // Worked example of flows.md section 9.
        assert_eq!(round("25.3365", Currency::USD)?, 2534);
        assert_eq!(round("1.38140", Currency::CAD)?, 138);
        // Ties go to the even neighbour.
        assert_eq!(round("25.335", Currency::USD)?, 2534);
        assert_eq!(round("25.345", Currency::USD)?, 2534);
        assert_eq!(round("78.605", Currency::GBP)?, 7860);
        assert_eq!(round("78.615", Currency::GBP)?, 7862);
        assert_eq!(round("-25.345", Currency::USD)?, -2534);
        assert_eq!(round("0.5", Currency::JPY)?, 0);
        assert_eq!(round("1.5", Currency::JPY)?, 2);
        assert_eq!(round("2.5", Currency::JPY)?, 2);
        assert_eq!(round("2.5000001", Currency::JPY)?, 3);
        // Already exact amounts are unchanged, whatever their scale.
        assert_eq!(round("35", Currency::CAD)?, 3500);
        assert_eq!(round("35.000000", Currency::CAD)?, 3500);
        Ok(())
    }

    #[test]
    fn adds_and_subtracts_within_a_currency() {
        let a = money(2534, Currency::USD);
        let b = money(100, Currency::USD);
        assert_eq!(a.checked_add(b), Some(money(2634, Currency::USD)));
        assert_eq!(a.checked_sub(b), Some(money(2434, Currency::USD)));
        assert_eq!(b.checked_sub(a), Some(money(-2434, Currency::USD)));
        assert_eq!(a.checked_add(money(100, Currency::CAD)), None);
        assert_eq!(a.checked_sub(money(100, Currency::CAD)), None);
        let max = money(MAX_MINOR_UNITS, Currency::USD);
        assert_eq!(max.checked_add(money(1, Currency::USD)), None);
        assert_eq!(money(-MAX_MINOR_UNITS, Currency::USD).checked_sub(money(1, Currency::USD)), None);
        assert!(a.is_positive());
        assert!(!money(0, Currency::USD).is_positive());
        assert!(!money(-1, Currency::USD).is_positive());
    }

    fn table_currency() -> impl Strategy<Value = Currency> {
        prop::sample::select(rates().currencies().collect::<Vec<_>>())
    }

    fn amount() -> impl Strategy<Value = i64> {
        prop_oneof![
            -MAX_MINOR_UNITS..=MAX_MINOR_UNITS,
            -1000_i64..=1000,
            (MAX_MINOR_UNITS - 1000)..=MAX_MINOR_UNITS,
            -MAX_MINOR_UNITS..=(-MAX_MINOR_UNITS + 1000),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn every_amount_survives_the_float_edge(currency in table_currency(), minor in amount()) {
            let rates = rates();
            let m = Money::from_minor_units(minor, currency).expect("in range");
            prop_assert_eq!(Money::from_major(m.to_major_f64(), currency, &rates), Ok(m));
        }

        #[test]
        fn rounding_an_exact_amount_changes_nothing(currency in table_currency(), minor in amount()) {
            let m = Money::from_minor_units(minor, currency).expect("in range");
            prop_assert_eq!(Money::round_half_even(m.to_decimal(), currency), Ok(m));
        }

        #[test]
        fn any_float_is_answered_without_panic(bits in any::<u64>(), currency in table_currency()) {
            let rates = rates();
            let value = f64::from_bits(bits);
            let answer = Money::from_major(value, currency, &rates);
            if let Ok(m) = answer {
                prop_assert_eq!(m.to_major_f64(), value);
                prop_assert!(m.minor_units().abs() <= MAX_MINOR_UNITS);
            }
            let _ = Money::from_major_positive(value, currency, &rates);
        }

        #[test]
        fn any_ordinary_float_is_answered_without_panic(value in any::<f64>(), currency in table_currency()) {
            let rates = rates();
            let _ = Money::from_major(value, currency, &rates);
            let _ = Money::from_major_positive(value, currency, &rates);
        }

        #[test]
        fn amounts_with_allowed_decimals_are_exact(currency in table_currency(), minor in amount()) {
            let rates = rates();
            let exponent = currency.exponent().expect("a table currency has a minor unit");
            let text = Decimal::new(minor, exponent).to_string();
            let value: f64 = text.parse().expect("a decimal reads as f64");
            let m = Money::from_major(value, currency, &rates).expect("an amount in range");
            prop_assert_eq!(m.minor_units(), minor);
        }

        #[test]
        fn rounding_lands_within_half_a_minor_unit(
            currency in table_currency(),
            // Up to 12 digits in major units: in range for every exponent up to 3.
            mantissa in -(10_i64.pow(12) - 1)..10_i64.pow(12),
            scale in 0_u32..=8,
        ) {
            let value = Decimal::new(mantissa, scale);
            let m = Money::round_half_even(value, currency).expect("in range");
            let half = Decimal::new(5, m.exponent() + 1);
            prop_assert!((m.to_decimal() - value).abs() <= half);
        }
    }
}
