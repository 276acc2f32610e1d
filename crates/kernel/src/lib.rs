//! The few things every borderless domain shares: the registry of contract errors, ISO codes, money and the FX
//! rates table, typed ids, emails, the service clock, the caller (`Viewer`) and its guards, the `Context`, the
//! job runner and operator commands, and the helpers that keep blocking work off the async workers. Its juniper
//! face (scalars, enums, errors as GraphQL errors) is behind the `graphql` feature.

mod account_status;
mod account_type;
pub mod admin;
mod batched_reads;
mod blocking;
mod clock;
mod codes;
mod context;
mod contract_error;
mod datetime;
mod duration;
mod email;
mod error;
mod fx_rates;
#[cfg(feature = "graphql")]
mod graphql;
mod ids;
mod jobs;
#[cfg(feature = "graphql")]
mod json;
mod links;
mod money;
mod request_id;
mod secrets;
mod services;
mod stored_enum;

pub use account_status::{AccountStatus, locked_account_status};
pub use account_type::AccountType;
pub use batched_reads::BatchedReads;
pub use blocking::{run_blocking, with_connection, with_transaction};
pub use clock::{Clock, ManualClock, ServiceClock};
pub use codes::{Country, Currency, UnknownCode};
pub use context::{Context, SessionChange, SessionIdentity, Viewer};
pub use contract_error::{ContractError, Extension};
pub use datetime::DateTime;
pub use duration::parse_duration;
pub use email::{Email, normalize_email};
pub use error::{ApiError, client_message, internal_error};
pub use fx_rates::FxRates;
#[cfg(feature = "graphql")]
pub use graphql::SuccessResult;
pub use ids::{AccountId, LoginId, PersonId, new_id};
pub use jobs::{Job, JobContext, Jobs};
#[cfg(feature = "graphql")]
pub use json::Json;
pub use links::PublicUrls;
pub use money::{MAX_MINOR_UNITS, Money, MoneyError};
pub use request_id::{REQUEST_ID, current_request_id};
pub use secrecy::{ExposeSecret, SecretString};
pub use secrets::secrets_match;
pub use services::Services;
