use crate::BasisPoints;

/// What pricing reads from configuration (providers.md section 1); the caller reads the environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PricingConfig {
    /// `FX_SPREAD_BPS`: borderless's margin on the mid rate, which gives the customer rate.
    pub fx_spread: BasisPoints,
    /// `BANK_FX_MARKUP_BPS`: a typical bank's margin on the mid rate, which only the savings figure uses.
    pub bank_fx_markup: BasisPoints,
}

impl PricingConfig {
    /// `FX_SPREAD_BPS` when unset: 0.50 %.
    pub const DEFAULT_FX_SPREAD: BasisPoints = constant(50);
    /// `BANK_FX_MARKUP_BPS` when unset: 3 %.
    pub const DEFAULT_BANK_FX_MARKUP: BasisPoints = constant(300);
}

/// A margin known at compile time; an out-of-range one fails the build, not the service.
const fn constant(bps: u32) -> BasisPoints {
    match BasisPoints::new(bps) {
        Ok(margin) => margin,
        Err(_) => panic!("a default margin is below 10000 basis points"),
    }
}

impl Default for PricingConfig {
    fn default() -> Self {
        Self { fx_spread: Self::DEFAULT_FX_SPREAD, bank_fx_markup: Self::DEFAULT_BANK_FX_MARKUP }
    }
}
