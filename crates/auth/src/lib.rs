//! Logins: passwords (bcrypt, on a bounded pool), the failed-login throttle, email verification tokens, and
//! the server-side sessions behind the `borderless_session` cookie. It knows nothing of accounts: the
//! operations that also open or pick accounts (sign-up, login) are orchestrated by the accounts crate, which
//! hands [`log_in`] the rule that chooses where a login lands.
//!
//! Public API: [`AuthConfig`], [`Password`] and [`PasswordHasher`], the login services ([`login_exists`],
//! [`create_login`], [`log_in`]), [`issue_email_verification`], the session plumbing the
//! gateway wires ([`session`]), and behind the `graphql` feature the GraphQL object [`AuthMutation`].

mod config;
mod email_verification;
mod error;
#[cfg(feature = "graphql")]
mod graphql;
mod hash_threads;
mod login;
mod logins;
mod password;
mod password_change;
mod password_reset;
mod random;
pub mod session;
mod throttle;
mod tokens;

pub use config::{AuthConfig, LoginThrottle, SessionLifetimes};
pub use email_verification::{confirm_email, issue_email_verification, resend_email_verification};
pub use error::AuthError;
#[cfg(feature = "graphql")]
pub use graphql::{AuthMutation, PASSWORD_FIELDS};
pub use login::{LogIn, LoggedIn, log_in};
pub use logins::{create_login, login_exists, verify_login_password};
pub use password::{HashLoad, Password, PasswordHasher};
pub use password_change::change_password;
pub use password_reset::{PasswordResets, request_password_reset, reset_password};
pub use tokens::{new_token, token_digest};
