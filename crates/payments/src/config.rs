use chrono::TimeDelta;
use kernel::Country;

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

/// What the payments domain reads from configuration (providers.md section 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentsConfig {
    pub pricing: PricingConfig,
    /// `GLOBAL_PAYOUT_COUNTRIES`: countries whose accounts may pay only once FUNDING_BALANCE_VERIFIED (I-4732).
    pub global_payout_countries: Vec<Country>,
    /// `PAYMENT_SESSION_TTL`: a payment session ends this long after its latest use.
    pub payment_session_ttl: TimeDelta,
    /// `QUOTE_TTL`: how long a quote is live.
    pub quote_ttl: TimeDelta,
    /// `IDEMPOTENCY_KEY_TTL`: how long the first answer of a submit with an `Idempotency-Key` is kept.
    pub idempotency_key_ttl: TimeDelta,
    /// `PAYMENT_REQUEST_MAX_RESENDS`: how many times one payment request may be resent (I-4608).
    pub payment_request_max_resends: u32,
    /// `PAYMENTS_TO_NEW_EMAILS`: claim payments (flows.md section 8) — a payment to an email no login has, or to
    /// an account that cannot receive yet, is held for it instead of refused (I-4704, I-4750). Off by default.
    pub payments_to_new_emails: bool,
    pub settlement: SettlementConfig,
}

/// The delays of settlement (providers.md section 1; flows.md section 8), each counted from the step before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SettlementConfig {
    /// `SETTLEMENT_TICK`: how often the settlement job runs.
    pub tick: TimeDelta,
    /// `SETTLEMENT_COLLECT_AFTER`: PENDING → PROCESSING or DECLINED.
    pub collect_after: TimeDelta,
    /// `SETTLEMENT_PAYOUT_AFTER`: PROCESSING → IN_TRANSIT, FAILED or UNCLAIMED.
    pub payout_after: TimeDelta,
    /// `SETTLEMENT_ARRIVE_LOCAL_AFTER`: IN_TRANSIT → COMPLETE or RETURNED for a LOCAL payment or refund.
    pub arrive_local_after: TimeDelta,
    /// `SETTLEMENT_ARRIVE_INTERNATIONAL_AFTER`: the same for an INTERNATIONAL one.
    pub arrive_international_after: TimeDelta,
    /// `CLAIM_EXPIRY`: UNCLAIMED → CANCELED.
    pub claim_expiry: TimeDelta,
}

impl SettlementConfig {
    /// Submit to arrival when nothing waits: what `estimatedArrival` adds to the later of now and the value date.
    pub fn time_to_arrive(&self, international: bool) -> TimeDelta {
        let arrive = if international { self.arrive_international_after } else { self.arrive_local_after };
        self.collect_after + self.payout_after + arrive
    }
}

impl Default for SettlementConfig {
    fn default() -> Self {
        Self {
            tick: TimeDelta::seconds(5),
            collect_after: TimeDelta::seconds(30),
            payout_after: TimeDelta::seconds(30),
            arrive_local_after: TimeDelta::minutes(2),
            arrive_international_after: TimeDelta::minutes(10),
            claim_expiry: TimeDelta::days(30),
        }
    }
}

impl Default for PaymentsConfig {
    fn default() -> Self {
        Self {
            pricing: PricingConfig::default(),
            global_payout_countries: vec![Country::MX, Country::IN, Country::PH],
            payment_session_ttl: TimeDelta::minutes(30),
            quote_ttl: TimeDelta::seconds(30),
            idempotency_key_ttl: TimeDelta::hours(24),
            payment_request_max_resends: 5,
            payments_to_new_emails: false,
            settlement: SettlementConfig::default(),
        }
    }
}
