use std::fmt;

use kernel::{Currency, FxRates};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::BasisPoints;

/// A mid-market rate mid(P→B), units of B per unit of P, exact from the rates table and never rounded
/// (providers.md, "Rates"). Always positive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MidRate(Decimal);

impl MidRate {
    /// The mid rate of a currency to itself.
    pub const ONE: Self = Self(Decimal::ONE);

    /// `None` unless the value is positive.
    pub fn new(value: Decimal) -> Option<Self> {
        (value > Decimal::ZERO).then_some(Self(value))
    }

    /// mid(payer→beneficiary) from the table; `None` when either currency is not in it.
    pub fn between(rates: &FxRates, payer: Currency, beneficiary: Currency) -> Option<Self> {
        rates.mid(payer, beneficiary).and_then(Self::new)
    }

    pub fn to_decimal(self) -> Decimal {
        self.0
    }

    /// `mid × (1 − margin ÷ 10 000)`, not rounded; `None` only if the product underflows to zero.
    pub(crate) fn less(self, margin: BasisPoints) -> Option<Decimal> {
        self.0.checked_mul(margin.remainder()).filter(|rate| *rate > Decimal::ZERO)
    }
}

/// The customer rate r (`payerToBeneficiaryFX`): units of B per unit of P with exactly 6 decimals, positive
/// (flows.md section 9, step 1). A quote freezes it; the arithmetic takes it as given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate(Decimal);

/// Why a rate cannot be made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateError {
    /// A currency of the pair is not in the rates table.
    NoMidRate { payer: Currency, beneficiary: Currency },
    /// The rate is zero or negative, or rounds to zero at 6 decimals.
    NotPositive,
    /// The rate has more than 6 decimals.
    TooManyDecimals,
}

impl Rate {
    /// The number of decimals of every rate.
    pub const DECIMALS: u32 = 6;

    /// The rate of a LOCAL payment: exactly 1, no spread.
    pub const ONE: Self = Self(Decimal::from_parts(1_000_000, 0, 0, false, Self::DECIMALS));

    /// A rate given as a decimal (a stored quote's, or the contract's worked examples): positive, at most
    /// 6 decimals. It is held with exactly 6.
    pub fn new(value: Decimal) -> Result<Self, RateError> {
        if value <= Decimal::ZERO {
            return Err(RateError::NotPositive);
        }
        if value.normalize().scale() > Self::DECIMALS {
            return Err(RateError::TooManyDecimals);
        }
        let mut six = value;
        six.rescale(Self::DECIMALS);
        Ok(Self(six))
    }

    /// r = mid × (1 − spread ÷ 10 000), rounded half-even to 6 decimals once (providers.md, "Rates").
    pub fn customer(mid: MidRate, spread: BasisPoints) -> Result<Self, RateError> {
        let less_spread = mid.less(spread).ok_or(RateError::NotPositive)?;
        let rounded = less_spread.round_dp_with_strategy(Self::DECIMALS, RoundingStrategy::MidpointNearestEven);
        Self::new(rounded)
    }

    /// The customer rate of a pair from the table: exactly 1 when payer and beneficiary currencies are the same
    /// (LOCAL, no spread), otherwise [`Rate::customer`] of the mid rate.
    pub fn between(
        rates: &FxRates,
        payer: Currency,
        beneficiary: Currency,
        spread: BasisPoints,
    ) -> Result<Self, RateError> {
        let mid = MidRate::between(rates, payer, beneficiary).ok_or(RateError::NoMidRate { payer, beneficiary })?;
        if payer == beneficiary { Ok(Self::ONE) } else { Self::customer(mid, spread) }
    }

    /// The rate, with 6 decimals.
    pub fn to_decimal(self) -> Decimal {
        self.0
    }

    /// `invertedRate`: 1 ÷ r rounded half-even to 6 decimals, for display only (amounts never use it). A rate
    /// above 2 000 000 inverts to 0.000000.
    pub fn inverted(self) -> Decimal {
        let mut inverted =
            (Decimal::ONE / self.0).round_dp_with_strategy(Self::DECIMALS, RoundingStrategy::MidpointNearestEven);
        inverted.rescale(Self::DECIMALS);
        inverted
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Display for RateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoMidRate { payer, beneficiary } => write!(f, "no mid rate for {payer} to {beneficiary}"),
            Self::NotPositive => f.write_str("the rate is not positive at 6 decimals"),
            Self::TooManyDecimals => f.write_str("the rate has more than 6 decimals"),
        }
    }
}

impl std::error::Error for RateError {}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn decimal(text: &str) -> Decimal {
        Decimal::from_str(text).expect("a decimal literal")
    }

    fn spread() -> BasisPoints {
        BasisPoints::new(50).expect("in range")
    }

    #[test]
    fn documented_rates() -> anyhow::Result<()> {
        let rates = FxRates::built_in()?;
        // providers.md, "Rates": mid(CAD→USD) = 1 ÷ 1.365.
        let cad_usd = Rate::between(&rates, Currency::CAD, Currency::USD, spread())?;
        assert_eq!(cad_usd.to_decimal(), decimal("0.728938"));
        assert_eq!(cad_usd.to_string(), "0.728938");
        assert_eq!(cad_usd.inverted(), decimal("1.371859"));
        // providers.md section 3: mid(USD→GBP) = 0.79, r = round6(0.786050).
        let usd_gbp = Rate::between(&rates, Currency::USD, Currency::GBP, spread())?;
        assert_eq!(usd_gbp.to_string(), "0.786050");
        // The same pair always gives the same rate.
        assert_eq!(Rate::between(&rates, Currency::USD, Currency::GBP, spread())?, usd_gbp);
        Ok(())
    }

    #[test]
    fn local_rate_is_exactly_one() -> anyhow::Result<()> {
        let rates = FxRates::built_in()?;
        for currency in rates.currencies() {
            let rate = Rate::between(&rates, currency, currency, spread())?;
            assert_eq!(rate, Rate::ONE);
            assert_eq!(rate.to_string(), "1.000000");
            assert_eq!(rate.inverted(), Decimal::ONE);
        }
        Ok(())
    }

    #[test]
    fn rounds_half_even_at_six_decimals() -> Result<(), RateError> {
        let mid = |text| MidRate::new(decimal(text)).ok_or(RateError::NotPositive);
        assert_eq!(Rate::customer(mid("0.0000005")?, BasisPoints::ZERO), Err(RateError::NotPositive));
        assert_eq!(Rate::customer(mid("0.0000015")?, BasisPoints::ZERO)?.to_decimal(), decimal("0.000002"));
        assert_eq!(Rate::customer(mid("0.0000025")?, BasisPoints::ZERO)?.to_decimal(), decimal("0.000002"));
        assert_eq!(Rate::customer(mid("0.00000250001")?, BasisPoints::ZERO)?.to_decimal(), decimal("0.000003"));
        Ok(())
    }

    #[test]
    fn refuses_rates_that_are_not_six_decimal_positives() {
        assert_eq!(Rate::new(decimal("0.7239")).map(Rate::to_decimal), Ok(decimal("0.723900")));
        assert_eq!(Rate::new(decimal("0.72390000")).map(Rate::to_decimal), Ok(decimal("0.7239")));
        assert_eq!(Rate::new(decimal("0.0000001")), Err(RateError::TooManyDecimals));
        assert_eq!(Rate::new(Decimal::ZERO), Err(RateError::NotPositive));
        assert_eq!(Rate::new(decimal("-1")), Err(RateError::NotPositive));
        assert_eq!(MidRate::new(Decimal::ZERO), None);
    }

    #[test]
    fn needs_both_currencies_in_the_table() -> anyhow::Result<()> {
        let rates = FxRates::built_in()?;
        let missing = RateError::NoMidRate { payer: Currency::USD, beneficiary: Currency::KWD };
        assert_eq!(Rate::between(&rates, Currency::USD, Currency::KWD, spread()), Err(missing));
        let missing = RateError::NoMidRate { payer: Currency::KWD, beneficiary: Currency::KWD };
        assert_eq!(Rate::between(&rates, Currency::KWD, Currency::KWD, spread()), Err(missing));
        Ok(())
    }

    #[test]
    fn inverts_for_display() -> Result<(), RateError> {
        assert_eq!(Rate::new(decimal("0.786050"))?.inverted(), decimal("1.272184"));
        assert_eq!(Rate::new(decimal("2000001"))?.inverted(), decimal("0.000000"));
        assert_eq!(Rate::new(decimal("0.000001"))?.inverted(), decimal("1000000"));
        Ok(())
    }
}
