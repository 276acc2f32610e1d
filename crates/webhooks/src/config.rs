use chrono::TimeDelta;

/// What the webhooks domain reads from configuration (providers.md section 1).
#[derive(Debug, Clone)]
pub struct WebhooksConfig {
    /// `WEBHOOKS_ALLOW_PRIVATE_TARGETS`: accept `http` and loopback or private targets (local setups and tests).
    pub allow_private_targets: bool,
    /// `WEBHOOKS_MAX_PER_ACCOUNT`: active webhooks one account may have.
    pub max_per_account: u32,
    /// `WEBHOOK_TIMEOUT`: the longest one attempt may take, connecting included.
    pub timeout: TimeDelta,
    /// `WEBHOOK_RETRY_SCHEDULE`: the waits before attempts 2, 3, …; a delivery has one attempt more than waits.
    pub retry_schedule: Vec<TimeDelta>,
    /// `WEBHOOK_DISABLE_AFTER`: deliveries ending FAILED in a row after which a webhook becomes inactive.
    pub disable_after: u32,
}

impl Default for WebhooksConfig {
    fn default() -> Self {
        Self {
            allow_private_targets: false,
            max_per_account: 5,
            timeout: TimeDelta::seconds(10),
            retry_schedule: vec![
                TimeDelta::minutes(1),
                TimeDelta::minutes(5),
                TimeDelta::minutes(30),
                TimeDelta::hours(2),
                TimeDelta::hours(6),
                TimeDelta::hours(24),
            ],
            disable_after: 5,
        }
    }
}
