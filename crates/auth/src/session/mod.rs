//! Server-side sessions behind the `borderless_session` cookie.
//!
//! actix-session carries the cookie and the store (this database by default, Redis when configured); this
//! module decides what a session holds, when it has expired, and how a resolver's [`SessionChange`] is applied.

mod cookie;
mod data;
mod db_store;
mod store;

pub use cookie::{COOKIE_NAME, CookieFollowUp, cookie_key, finish_cookie};
pub use data::{SessionRead, finish, read};
pub use db_store::DbSessionStore;
pub use store::{SessionStore, middleware};
