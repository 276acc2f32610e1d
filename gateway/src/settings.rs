use std::str::FromStr;

use std::time::Duration;

use accounts::AccountsConfig;
use anyhow::{Context as _, bail};
use auth::{AuthConfig, LoginThrottle, SessionLifetimes};
use kernel::{Country, FxRates, PublicUrls, SecretString, parse_duration};
use mail::{MailConfig, Transport};
use payments::refunds::RefundLimits;
use payments::{BasisPoints, FeeSchedule, PaymentsConfig, PricingConfig, SettlementConfig};
use refunds::RefundsConfig;
use store::DatabaseUrl;
use webhooks::WebhooksConfig;

use crate::logging::LogFormat;

/// Everything the server reads from its environment (README, "Configuration"), checked at start.
#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: DatabaseUrl,
    pub database_pool_size: u32,
    pub bind_addr: String,
    pub redis_url: Option<SecretString>,
    pub redis_key_prefix: String,
    pub manual_clock: bool,
    /// `GRAPHIQL`: whether `GET /graphiql` serves the in-browser IDE (on by default; off for production).
    pub graphiql: bool,
    /// `LOG_FORMAT`: text (the default) or JSON lines.
    pub log_format: LogFormat,
    /// `REQUEST_BODY_TIMEOUT`: a request body that has not fully arrived by then is answered 408.
    pub request_body_timeout: Duration,
    /// `JOB_TICK`: how often the job runner runs every background job.
    pub job_tick: Duration,
    pub public_urls: PublicUrls,
    pub auth: AuthConfig,
    pub accounts: AccountsConfig,
    /// `TAX_ID_KEY`: the key of tax-id digests; unset, the one kept in the database ([`accounts::tax_id_key`]).
    pub tax_id_key: Option<accounts::TaxIdKey>,
    pub mail: MailConfig,
    pub fx_rates: FxRates,
    pub webhooks: WebhooksConfig,
    pub payments: PaymentsConfig,
    pub refunds: RefundsConfig,
    /// `FEES_FILE`: the fee schedule; unset, the built-in one.
    pub fees: FeeSchedule,
    /// `WEBHOOK_SECRETS_KEY`: the key webhook secrets are sealed with; unset, the one kept in the database
    /// ([`webhooks::secret_box`]).
    pub webhook_secrets_key: Option<webhooks::SecretBox>,
}

impl Settings {
    pub fn from_env() -> anyhow::Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// `LOG_FORMAT` alone, for the log that is set up before the rest is read.
    pub fn log_format_from_env() -> anyhow::Result<LogFormat> {
        LogFormat::parse(std::env::var("LOG_FORMAT").ok().as_deref())
    }

    /// Reads settings through `lookup`, so tests can pass their own.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let get = |name: &str| lookup(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let defaults = AuthConfig::default();
        let duration = |name: &str, default| match get(name) {
            Some(text) => parse_duration(&text).with_context(|| name.to_owned()),
            None => Ok(default),
        };
        let number = |name: &str, default: u32| match get(name) {
            Some(text) => text.parse::<u32>().with_context(|| format!("{name} must be a whole number, not {text:?}")),
            None => Ok(default),
        };
        let list = |name: &str| {
            get(name).map(|text| {
                text.split(',').map(|item| item.trim().to_owned()).filter(|i| !i.is_empty()).collect::<Vec<_>>()
            })
        };
        let countries = |name: &str, default: &[Country]| match list(name) {
            Some(codes) => codes
                .iter()
                .map(|c| Country::from_str(c).with_context(|| name.to_owned()))
                .collect::<anyhow::Result<Vec<_>>>(),
            None => Ok(default.to_vec()),
        };

        let flag = |name: &str| match get(name).as_deref() {
            None | Some("false") => Ok(false),
            Some("true") => Ok(true),
            Some(other) => Err(anyhow::anyhow!("{name} must be `true` or `false`, not {other:?}")),
        };
        let secret = |name: &str| get(name).map(SecretString::from);
        let bcrypt_cost = number("BCRYPT_COST", defaults.bcrypt_cost)?;
        if !(4..=31).contains(&bcrypt_cost) {
            bail!("BCRYPT_COST must be between 4 and 31, not {bcrypt_cost}");
        }
        let manual_clock = match get("CLOCK").as_deref() {
            None | Some("system") => false,
            Some("manual") => true,
            Some(other) => bail!("CLOCK must be `system` or `manual`, not {other:?}"),
        };
        let accounts_defaults = AccountsConfig::default();
        let webhooks_defaults = WebhooksConfig::default();
        let payments_defaults = PaymentsConfig::default();
        let settlement_defaults = payments_defaults.settlement;
        let refunds_defaults = RefundsConfig::default();
        let basis_points = |name: &str, default: BasisPoints| -> anyhow::Result<BasisPoints> {
            let bps = number(name, default.get())?;
            BasisPoints::new(bps).map_err(|_| anyhow::anyhow!("{name} must be below 10000, not {bps}"))
        };
        let supported_countries = countries("SUPPORTED_COUNTRIES", &accounts_defaults.supported_countries)?;
        let ubo_required_countries = countries("UBO_REQUIRED_COUNTRIES", &supported_countries)?;
        let fx_rates = match get("FX_RATES_FILE") {
            Some(path) => FxRates::from_file(&path)?,
            None => FxRates::built_in()?,
        };
        let fees = match get("FEES_FILE") {
            Some(path) => FeeSchedule::from_file(&path)?,
            None => FeeSchedule::built_in()?,
        };
        fees.covers(&fx_rates)?;
        let database_url = DatabaseUrl::parse(&get("DATABASE_URL").unwrap_or_else(|| "./borderless.db".to_owned()))?;
        let default_pool = match database_url.backend() {
            store::Backend::Sqlite => 8,
            store::Backend::Postgres => 16,
        };
        let hash_concurrency = number("PASSWORD_HASH_CONCURRENCY", defaults.hash_concurrency.try_into().unwrap_or(1))?;
        if hash_concurrency == 0 {
            bail!("PASSWORD_HASH_CONCURRENCY must be at least 1");
        }
        let mail_defaults = MailConfig::default();
        let transport = match get("EMAIL_TRANSPORT").as_deref() {
            None | Some("mailbox") => Transport::Mailbox,
            Some("smtp") => {
                Transport::Smtp { url: secret("SMTP_URL").context("SMTP_URL must be set when EMAIL_TRANSPORT=smtp")? }
            }
            Some(other) => bail!("EMAIL_TRANSPORT must be `mailbox` or `smtp`, not {other:?}"),
        };
        let url = |name: &str, default: &str| -> anyhow::Result<String> {
            let value = get(name).unwrap_or_else(|| default.to_owned());
            if !(value.starts_with("http://") || value.starts_with("https://")) {
                bail!("{name} must be an http:// or https:// address, not {value:?}");
            }
            Ok(value)
        };
        let url_defaults = PublicUrls::default();
        let std_duration = |name: &str, default: Duration| -> anyhow::Result<Duration> {
            Ok(match get(name) {
                Some(text) => parse_duration(&text).with_context(|| name.to_owned())?.to_std()?,
                None => default,
            })
        };
        Ok(Self {
            database_pool_size: number("DATABASE_POOL_SIZE", default_pool)?.max(1),
            database_url,
            bind_addr: get("BIND_ADDR").unwrap_or_else(|| "127.0.0.1:8080".to_owned()),
            redis_url: secret("REDIS_URL"),
            redis_key_prefix: get("REDIS_KEY_PREFIX").unwrap_or_else(|| "borderless:".to_owned()),
            manual_clock,
            graphiql: match get("GRAPHIQL").as_deref() {
                None | Some("true") => true,
                Some("false") => false,
                Some(other) => bail!("GRAPHIQL must be `true` or `false`, not {other:?}"),
            },
            log_format: LogFormat::parse(get("LOG_FORMAT").as_deref())?,
            request_body_timeout: std_duration("REQUEST_BODY_TIMEOUT", Duration::from_secs(10))?,
            job_tick: std_duration("JOB_TICK", Duration::from_secs(1))?,
            public_urls: PublicUrls::new(
                &url("PUBLIC_WEB_URL", &url_defaults.web)?,
                &url("PUBLIC_API_URL", &url_defaults.api)?,
            ),
            mail: MailConfig { transport, from: get("EMAIL_FROM").unwrap_or(mail_defaults.from) },
            auth: AuthConfig {
                bcrypt_cost,
                hash_concurrency: hash_concurrency as usize,
                email_verification_ttl: duration("EMAIL_VERIFICATION_TTL", defaults.email_verification_ttl)?,
                email_verification_resend_interval: duration(
                    "EMAIL_VERIFICATION_RESEND_INTERVAL",
                    defaults.email_verification_resend_interval,
                )?,
                password_reset_ttl: duration("PASSWORD_RESET_TTL", defaults.password_reset_ttl)?,
                password_reset_resend_interval: duration(
                    "PASSWORD_RESET_RESEND_INTERVAL",
                    defaults.password_reset_resend_interval,
                )?,
                lifetimes: SessionLifetimes {
                    idle: duration("SESSION_IDLE_TIMEOUT", defaults.lifetimes.idle)?,
                    max_age: duration("SESSION_MAX_AGE", defaults.lifetimes.max_age)?,
                },
                extend_secret: secret("SESSION_EXTEND_SECRET"),
                login_throttle: LoginThrottle {
                    max_failures: number("LOGIN_MAX_FAILURES", defaults.login_throttle.max_failures)?.max(1),
                    window: duration("LOGIN_FAILURE_WINDOW", defaults.login_throttle.window)?,
                },
                cookie_secure: match get("SESSION_COOKIE_SECURE").as_deref() {
                    None | Some("false") => false,
                    Some("true") => true,
                    Some(other) => {
                        bail!("SESSION_COOKIE_SECURE must be `true` or `false`, not {other:?}")
                    }
                },
            },
            accounts: AccountsConfig {
                supported_countries,
                ubo_required_countries,
                signup_secrets: list("SIGNUP_SECRETS")
                    .unwrap_or_default()
                    .into_iter()
                    .map(SecretString::from)
                    .collect(),
                setup_session_ttl: duration("SETUP_SESSION_TTL", accounts_defaults.setup_session_ttl)?,
                identity_check_delay: duration("IDENTITY_CHECK_DELAY", accounts_defaults.identity_check_delay)?,
                identity_sdk_token_ttl: duration("IDENTITY_SDK_TOKEN_TTL", accounts_defaults.identity_sdk_token_ttl)?,
                identity_provider: match get("IDENTITY_PROVIDER") {
                    Some(kind) => kind
                        .parse()
                        .map_err(|_| anyhow::anyhow!("IDENTITY_PROVIDER must be `local` or `http`, not {kind:?}"))?,
                    None => accounts_defaults.identity_provider,
                },
                identity_provider_url: get("IDENTITY_PROVIDER_URL"),
                identity_provider_token: get("IDENTITY_PROVIDER_TOKEN").map(SecretString::from),
                verification_link_ttl: duration("VERIFICATION_LINK_TTL", accounts_defaults.verification_link_ttl)?,
                bank_link_fixtures: match get("BANK_LINK_FIXTURES") {
                    Some(path) => accounts::BankLinkFixtures::from_file(&path)?,
                    None => accounts_defaults.bank_link_fixtures.clone(),
                },
                bank_verify_delay: duration("BANK_VERIFY_DELAY", accounts_defaults.bank_verify_delay)?,
                bank_balance_max_age: duration("BANK_BALANCE_MAX_AGE", accounts_defaults.bank_balance_max_age)?,
                invitations_per_day: number("INVITATIONS_PER_DAY", accounts_defaults.invitations_per_day)?,
            },
            tax_id_key: get("TAX_ID_KEY").map(|key| accounts::TaxIdKey::from_hex(&key)).transpose()?,
            fx_rates,
            webhooks: WebhooksConfig {
                allow_private_targets: flag("WEBHOOKS_ALLOW_PRIVATE_TARGETS")?,
                max_per_account: number("WEBHOOKS_MAX_PER_ACCOUNT", webhooks_defaults.max_per_account)?,
                timeout: duration("WEBHOOK_TIMEOUT", webhooks_defaults.timeout)?,
                retry_schedule: match list("WEBHOOK_RETRY_SCHEDULE") {
                    Some(waits) => waits
                        .iter()
                        .map(|wait| parse_duration(wait).context("WEBHOOK_RETRY_SCHEDULE"))
                        .collect::<anyhow::Result<_>>()?,
                    None => webhooks_defaults.retry_schedule,
                },
                disable_after: number("WEBHOOK_DISABLE_AFTER", webhooks_defaults.disable_after)?,
            },
            payments: PaymentsConfig {
                pricing: PricingConfig {
                    fx_spread: basis_points("FX_SPREAD_BPS", payments_defaults.pricing.fx_spread)?,
                    bank_fx_markup: basis_points("BANK_FX_MARKUP_BPS", payments_defaults.pricing.bank_fx_markup)?,
                },
                global_payout_countries: countries(
                    "GLOBAL_PAYOUT_COUNTRIES",
                    &payments_defaults.global_payout_countries,
                )?,
                payment_session_ttl: duration("PAYMENT_SESSION_TTL", payments_defaults.payment_session_ttl)?,
                quote_ttl: duration("QUOTE_TTL", payments_defaults.quote_ttl)?,
                idempotency_key_ttl: duration("IDEMPOTENCY_KEY_TTL", payments_defaults.idempotency_key_ttl)?,
                payment_request_max_resends: number(
                    "PAYMENT_REQUEST_MAX_RESENDS",
                    payments_defaults.payment_request_max_resends,
                )?,
                payments_to_new_emails: flag("PAYMENTS_TO_NEW_EMAILS")?,
                settlement: SettlementConfig {
                    tick: duration("SETTLEMENT_TICK", settlement_defaults.tick)?,
                    collect_after: duration("SETTLEMENT_COLLECT_AFTER", settlement_defaults.collect_after)?,
                    payout_after: duration("SETTLEMENT_PAYOUT_AFTER", settlement_defaults.payout_after)?,
                    arrive_local_after: duration(
                        "SETTLEMENT_ARRIVE_LOCAL_AFTER",
                        settlement_defaults.arrive_local_after,
                    )?,
                    arrive_international_after: duration(
                        "SETTLEMENT_ARRIVE_INTERNATIONAL_AFTER",
                        settlement_defaults.arrive_international_after,
                    )?,
                    claim_expiry: duration("CLAIM_EXPIRY", settlement_defaults.claim_expiry)?,
                },
            },
            refunds: RefundsConfig {
                limits: RefundLimits {
                    window: duration("REFUND_WINDOW", refunds_defaults.limits.window)?,
                    max_count: number("REFUND_MAX_COUNT", refunds_defaults.limits.max_count)?,
                    max_attempts: number("REFUND_MAX_ATTEMPTS", refunds_defaults.limits.max_attempts)?,
                },
                session_ttl: duration("REFUND_SESSION_TTL", refunds_defaults.session_ttl)?,
            },
            fees,
            webhook_secrets_key: get("WEBHOOK_SECRETS_KEY")
                .map(|key| webhooks::SecretBox::from_hex(&key))
                .transpose()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(pairs: &[(&str, &str)]) -> anyhow::Result<Settings> {
        let pairs: Vec<(String, String)> = pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        Settings::from_lookup(move |name| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
    }

    #[test]
    fn defaults_match_the_contract() -> anyhow::Result<()> {
        let s = settings(&[])?;
        assert_eq!(s.bind_addr, "127.0.0.1:8080");
        assert_eq!(s.database_url.target(), "./borderless.db");
        assert_eq!(s.auth.bcrypt_cost, 12);
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        assert_eq!(s.auth.hash_concurrency, cores.saturating_sub(1).max(1));
        assert_eq!(s.log_format, LogFormat::Text);
        assert_eq!(s.auth.lifetimes.idle, chrono::TimeDelta::hours(12));
        assert_eq!(s.auth.lifetimes.max_age, chrono::TimeDelta::days(7));
        assert!(s.accounts.signup_secrets.is_empty() && s.auth.extend_secret.is_none() && !s.auth.cookie_secure);
        assert_eq!(s.request_body_timeout, Duration::from_secs(10));
        assert_eq!(s.public_urls, PublicUrls::new("http://localhost:8000", "http://127.0.0.1:8080"));
        assert_eq!(s.accounts.supported_countries.len(), 17);
        assert_eq!(s.accounts.bank_verify_delay, chrono::TimeDelta::seconds(30));
        assert_eq!(s.accounts.bank_balance_max_age, chrono::TimeDelta::hours(24));
        assert!(settings(&[("BANK_LINK_FIXTURES", "/nonexistent/fixtures.json")]).is_err());
        Ok(())
    }

    #[test]
    fn reads_lists_and_refuses_nonsense() -> anyhow::Result<()> {
        let s = settings(&[("SIGNUP_SECRETS", " A-CODE , B-CODE,"), ("SESSION_IDLE_TIMEOUT", "30m")])?;
        let codes: Vec<&str> = s.accounts.signup_secrets.iter().map(kernel::ExposeSecret::expose_secret).collect();
        assert_eq!(codes, vec!["A-CODE", "B-CODE"]);
        assert!(!format!("{s:?}").contains("A-CODE"), "secrets stay out of Debug");
        assert_eq!(s.auth.lifetimes.idle, chrono::TimeDelta::minutes(30));
        assert!(settings(&[("BCRYPT_COST", "3")]).is_err());
        assert!(settings(&[("PASSWORD_HASH_CONCURRENCY", "0")]).is_err());
        assert_eq!(settings(&[("PASSWORD_HASH_CONCURRENCY", "3")])?.auth.hash_concurrency, 3);
        assert_eq!(settings(&[("LOG_FORMAT", "json")])?.log_format, LogFormat::Json);
        assert!(settings(&[("LOG_FORMAT", "yaml")]).is_err());
        assert!(settings(&[("SESSION_MAX_AGE", "forever")]).is_err());
        assert!(settings(&[("SUPPORTED_COUNTRIES", "US,XX")]).is_err());
        assert!(settings(&[("DATABASE_URL", "mysql://db")]).is_err());
        Ok(())
    }
}
