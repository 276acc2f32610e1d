//! The few things every borderless domain shares: contract errors, ISO codes, the FX rates table, typed ids,
//! the clock, the caller (`Viewer`), the GraphQL `Context`, and the helper that keeps blocking work off the
//! async workers.

mod blocking;
mod clock;
mod codes;
mod context;
mod datetime;
mod duration;
mod error;
mod fx_rates;
mod ids;
mod request_id;
mod services;
mod success;

pub use blocking::{run_blocking, with_connection};
pub use clock::{Clock, ManualClock, SystemClock};
pub use codes::{Country, Currency, UnknownCode};
pub use context::{Context, SessionChange, SessionIdentity, Viewer};
pub use datetime::DateTime;
pub use duration::parse_duration;
pub use error::ApiError;
pub use fx_rates::FxRates;
pub use ids::{AccountId, LoginId, PersonId, new_id};
pub use request_id::{REQUEST_ID, current_request_id};
pub use services::Services;
pub use success::SuccessResult;
