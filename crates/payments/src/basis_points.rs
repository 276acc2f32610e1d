use std::fmt;

use rust_decimal::Decimal;

/// A margin taken off a mid-market rate, in basis points (1 bp = 0.01 %): `FX_SPREAD_BPS`, borderless's margin,
/// and `BANK_FX_MARKUP_BPS`, a typical bank's (providers.md sections 1 to 3).
///
/// Below 10 000, so that a positive rate less its margin stays positive and can be divided by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BasisPoints(u32);

/// A margin of 10 000 basis points (100 %) or more.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BasisPointsOutOfRange(pub u32);

impl BasisPoints {
    /// No margin at all.
    pub const ZERO: Self = Self(0);

    pub const fn new(bps: u32) -> Result<Self, BasisPointsOutOfRange> {
        if bps < 10_000 { Ok(Self(bps)) } else { Err(BasisPointsOutOfRange(bps)) }
    }

    pub const fn get(self) -> u32 {
        self.0
    }

    /// `1 − bps ÷ 10 000`, exact: what is left of a rate once the margin is taken.
    pub(crate) fn remainder(self) -> Decimal {
        Decimal::new(i64::from(10_000 - self.0), 4)
    }
}

impl fmt::Display for BasisPointsOutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} basis points is not below 10000 (100 %)", self.0)
    }
}

impl std::error::Error for BasisPointsOutOfRange {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_some_of_the_rate() {
        assert_eq!(BasisPoints::new(50).map(BasisPoints::remainder), Ok(Decimal::new(9950, 4)));
        assert_eq!(BasisPoints::new(300).map(BasisPoints::remainder), Ok(Decimal::new(97, 2)));
        assert_eq!(BasisPoints::ZERO.remainder(), Decimal::ONE);
        assert_eq!(BasisPoints::new(9_999).map(BasisPoints::remainder), Ok(Decimal::new(1, 4)));
        assert_eq!(BasisPoints::new(10_000), Err(BasisPointsOutOfRange(10_000)));
        assert_eq!(BasisPoints::new(u32::MAX), Err(BasisPointsOutOfRange(u32::MAX)));
    }
}
