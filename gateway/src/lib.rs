//! The borderless server: configuration, the one GraphQL schema stitched from the domain crates, the
//! actix-web application that serves it, the background job runner and the operator commands. It wires; the
//! rules live in the domain crates.

pub mod admin;
mod app;
mod document_limits;
mod graphiql;
mod graphql_http;
mod health;
mod html_page;
pub mod logging;
mod metrics;
mod prepared_operations;
mod request_id;
mod request_log;
mod schema;
mod settings;
mod trade_confirmation_document;
mod verification_page;
mod verify_email;

pub use app::{AppState, app};
pub use schema::{Schema, schema};
pub use settings::Settings;
