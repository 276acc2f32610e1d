//! Accounts and the persons who own them, and the operations that open or pick an account for a login
//! (sign-up, login): auth checks the credentials, this crate decides the accounts.
//!
//! Public API: the configuration ([`AccountsConfig`]), the services ([`sign_up`], [`log_in_to_account`]), the
//! records and their reads ([`Account`], [`Person`], [`find_account`], [`find_person`], [`landing_account`],
//! [`count_accounts`]), the guard of every account change ([`require_open_account`]), the reference data
//! ([`countries`]), and behind the `graphql` feature the GraphQL objects ([`graphql`]).

mod account;
mod config;
mod countries;
mod error;
#[cfg(feature = "graphql")]
pub mod graphql;
mod login;
mod person;
mod signup;
mod statuses;

pub use account::{
    Account, NewAccount, check_new_account, count_accounts, create_person_and_account, find_account, landing_account,
    require_open_account,
};
pub use config::AccountsConfig;
pub use countries::{CountryInfo, countries, country_info};
pub use error::AccountsError;
pub use kernel::AccountType;
pub use login::log_in_to_account;
pub use person::{Person, find_person};
pub use signup::{SignUp, sign_up};
pub use statuses::{AccountStatus, IdentityCheckStatus};
