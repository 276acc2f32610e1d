use chrono::TimeDelta;

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

/// What the auth domain reads from configuration.
#[derive(Clone)]
pub struct AuthConfig {
    /// `BCRYPT_COST`
    pub bcrypt_cost: u32,
    /// `SIGNUP_SECRETS`: codes a BUSINESS sign-up must give; empty means no business can sign up.
    pub signup_secrets: Vec<String>,
    /// `SESSION_IDLE_TIMEOUT`, `SESSION_MAX_AGE`
    pub lifetimes: SessionLifetimes,
    /// `SESSION_EXTEND_SECRET`; `None` turns extended sessions off.
    pub extend_secret: Option<String>,
    /// `LOGIN_MAX_FAILURES`, `LOGIN_FAILURE_WINDOW`
    pub login_throttle: LoginThrottle,
    /// `SESSION_COOKIE_SECURE`: mark the cookie `Secure` (behind https).
    pub cookie_secure: bool,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            bcrypt_cost: 12,
            signup_secrets: Vec::new(),
            lifetimes: SessionLifetimes { idle: TimeDelta::hours(12), max_age: TimeDelta::days(7) },
            extend_secret: None,
            login_throttle: LoginThrottle { max_failures: 10, window: TimeDelta::minutes(15) },
            cookie_secure: false,
        }
    }
}

// Secrets stay out of logs.
impl std::fmt::Debug for AuthConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthConfig")
            .field("bcrypt_cost", &self.bcrypt_cost)
            .field("signup_secrets", &format_args!("{} configured", self.signup_secrets.len()))
            .field("lifetimes", &self.lifetimes)
            .field("extend_secret", &self.extend_secret.as_ref().map(|_| "set"))
            .field("login_throttle", &self.login_throttle)
            .field("cookie_secure", &self.cookie_secure)
            .finish()
    }
}
