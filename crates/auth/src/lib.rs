//! Logins and sessions: sign-up, login with its failure throttle, logout, password hashing, and the server-side
//! session store behind the `borderless_session` cookie.
//!
//! Public API: [`AuthConfig`], the services [`sign_up`] and [`log_in`], the session plumbing the gateway wires
//! ([`session`]), the email-verification seam ([`VerificationMailer`]) and the GraphQL object [`AuthMutation`].

mod config;
mod email;
mod error;
mod graphql;
mod login;
mod password;
mod secret;
pub mod session;
mod signup;
mod throttle;
mod verification;

pub use config::{AuthConfig, LoginThrottle, SessionLifetimes};
pub use email::Email;
pub use error::AuthError;
pub use graphql::{AuthMutation, AuthPayload, AuthUser};
pub use login::{LogIn, LoggedIn, log_in};
pub use password::Password;
pub use signup::{SignUp, sign_up};
pub use verification::{VerificationMailer, VerificationNotBuilt};
