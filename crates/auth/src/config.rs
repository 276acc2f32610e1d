use chrono::TimeDelta;
use kernel::SecretString;

/// How long a session lives: without a request (`idle`) and since login (`max_age`), whichever ends first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionLifetimes {
    pub idle: TimeDelta,
    pub max_age: TimeDelta,
}

impl SessionLifetimes {
    /// An extended session (login with the configured `extendExpirationSecret`): 30 days idle, 90 in all.
    pub const EXTENDED: SessionLifetimes = SessionLifetimes { idle: TimeDelta::days(30), max_age: TimeDelta::days(90) };
}

/// The failed-login throttle: this many failures for one email within the window answer I-4102.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginThrottle {
    pub max_failures: u32,
    pub window: TimeDelta,
}

/// What the auth domain reads from configuration. Its `Debug` shows no secret (they are `SecretString`s).
#[derive(Debug, Clone)]
pub struct AuthConfig {
    /// `BCRYPT_COST`
    pub bcrypt_cost: u32,
    /// `PASSWORD_HASH_CONCURRENCY`: most password hashes or verifications running at once.
    pub hash_concurrency: usize,
    /// `SESSION_IDLE_TIMEOUT`, `SESSION_MAX_AGE`
    pub lifetimes: SessionLifetimes,
    /// `SESSION_EXTEND_SECRET`; `None` turns extended sessions off.
    pub extend_secret: Option<SecretString>,
    /// `LOGIN_MAX_FAILURES`, `LOGIN_FAILURE_WINDOW`
    pub login_throttle: LoginThrottle,
    /// `SESSION_COOKIE_SECURE`: mark the cookie `Secure` (behind https).
    pub cookie_secure: bool,
    /// `EMAIL_VERIFICATION_TTL`
    pub email_verification_ttl: TimeDelta,
    /// `EMAIL_VERIFICATION_RESEND_INTERVAL`: least time between two verification emails of a login.
    pub email_verification_resend_interval: TimeDelta,
    /// `PASSWORD_RESET_TTL`: lifetime of a password-reset link.
    pub password_reset_ttl: TimeDelta,
    /// `PASSWORD_RESET_RESEND_INTERVAL`: least time between two reset emails of a login.
    pub password_reset_resend_interval: TimeDelta,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            bcrypt_cost: 12,
            // One core is left to everything else, so a flood of logins cannot take the whole machine.
            hash_concurrency: std::thread::available_parallelism()
                .map_or(1, |cores| cores.get().saturating_sub(1).max(1)),
            lifetimes: SessionLifetimes { idle: TimeDelta::hours(12), max_age: TimeDelta::days(7) },
            extend_secret: None,
            login_throttle: LoginThrottle { max_failures: 10, window: TimeDelta::minutes(15) },
            cookie_secure: false,
            email_verification_ttl: TimeDelta::days(7),
            email_verification_resend_interval: TimeDelta::seconds(60),
            password_reset_ttl: TimeDelta::hours(1),
            password_reset_resend_interval: TimeDelta::seconds(60),
        }
    }
}
