use chrono::TimeDelta;
use payments::refunds::RefundLimits;

/// What the refunds domain reads from configuration (providers.md section 1); the caller reads the environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefundsConfig {
    /// `REFUND_WINDOW`, `REFUND_MAX_COUNT`, `REFUND_MAX_ATTEMPTS`.
    pub limits: RefundLimits,
    /// `REFUND_SESSION_TTL`: a refund session ends this long after its latest use.
    pub session_ttl: TimeDelta,
}

impl Default for RefundsConfig {
    fn default() -> Self {
        Self { limits: RefundLimits::default(), session_ttl: TimeDelta::minutes(30) }
    }
}
