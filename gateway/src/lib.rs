//! The borderless server: configuration, the one GraphQL schema stitched from the domain crates, and the
//! actix-web application that serves it. It wires; the rules live in the domain crates.

mod app;
mod graphql_http;
mod health;
mod request_id;
mod schema;
mod settings;

pub use app::{AppState, app};
pub use schema::{Schema, schema};
pub use settings::Settings;
