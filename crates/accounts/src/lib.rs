//! Accounts and the persons who own them.
//!
//! Public API: the configuration ([`AccountsConfig`]), the service functions other domains call inside their
//! own transactions ([`check_new_account`], [`create_person_and_account`], [`landing_account`],
//! [`private_account`], [`private_person`]), the reference data ([`countries`]), and the GraphQL objects
//! ([`AccountsQuery`], [`PrivateAccount`], [`PrivatePerson`]).

mod config;
mod countries;
mod error;
mod graphql;
mod person;
mod records;
mod statuses;

pub use config::AccountsConfig;
pub use countries::{CountryInfo, countries, country_info};
pub use error::AccountsError;
pub use graphql::AccountsQuery;
pub use person::{PrivatePerson, private_person};
pub use records::{
    NewAccount, PrivateAccount, check_new_account, count_accounts, create_person_and_account, landing_account,
    private_account,
};
pub use statuses::{AccountStatus, AccountType, IdentityCheckStatus};
