use chrono::{DateTime, TimeDelta, Utc};
use kernel::{Currency, FxRates};

use super::{MarketQuote, QuoteError};
use crate::{FeeSchedule, MidRate, PaymentDefinition, PaymentsConfig, PricingConfig, Rate, RateError, price_payment};

/// The local provider's market (providers.md sections 2 and 3): the rates table with borderless's spread, the
/// fee schedule, the bank margin the savings figure assumes, and quotes that hold for `QUOTE_TTL`. Every figure
/// comes from the pure arithmetic module; this only picks its inputs.
#[derive(Debug, Clone)]
pub struct LocalMarket {
    rates: FxRates,
    fees: FeeSchedule,
    pricing: PricingConfig,
    quote_ttl: TimeDelta,
}

impl LocalMarket {
    /// The market of the configured tables (`FX_RATES_FILE`, `FEES_FILE`), margins and `QUOTE_TTL`.
    pub fn new(rates: FxRates, fees: FeeSchedule, config: &PaymentsConfig) -> Self {
        Self { rates, fees, pricing: config.pricing, quote_ttl: config.quote_ttl }
    }

    pub(super) fn rate(&self, payer: Currency, beneficiary: Currency) -> Result<Rate, RateError> {
        Rate::between(&self.rates, payer, beneficiary, self.pricing.fx_spread)
    }

    pub(super) fn quote(&self, definition: &PaymentDefinition, now: DateTime<Utc>) -> Result<MarketQuote, QuoteError> {
        let (payer, beneficiary) = (definition.payer_currency, definition.beneficiary_currency);
        let rate = self.rate(payer, beneficiary)?;
        let mid =
            MidRate::between(&self.rates, payer, beneficiary).ok_or(RateError::NoMidRate { payer, beneficiary })?;
        let amounts = price_payment(definition, rate, mid, &self.fees, self.pricing.bank_fx_markup)?;
        Ok(MarketQuote { amounts, expires_at: now + self.quote_ttl })
    }
}
