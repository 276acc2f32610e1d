//! Persistence for borderless: one diesel schema served by SQLite or PostgreSQL, picked from the URL scheme.
//!
//! Domain crates get a [`Pool`], borrow a [`DbConnection`] inside blocking work, and open business transactions
//! with [`write_transaction`], whose [`Tx`] locks what a check-then-write needs. Tests get a fresh database each
//! from [`TestDatabase`].

mod backend;
mod connection;
mod migrations;
mod pool;
mod prepared_sessions;
pub mod schema;
mod server_secrets;
mod test_database;
mod transaction;
mod unique;

pub use backend::{Backend, DatabaseUrl};
pub use connection::DbConnection;
pub use pool::{Pool, PooledConnection, connect_pool};
pub use server_secrets::stored_secret;
pub use test_database::TestDatabase;
pub use transaction::{Tx, write_transaction};
pub use unique::{UniqueIndex, violated_unique_index};

/// Errors of the database layer; domain crates map them to their own `Internal` variant.
pub type DbError = diesel::result::Error;
