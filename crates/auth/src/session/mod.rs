//! Server-side sessions behind the `borderless_session` cookie.
//!
//! actix-session carries the cookie; the state lives in a store of ours (this database by default, Redis when
//! configured) that keeps only a digest of each session id, never revives a session that was deleted, and can
//! end every session of a login at once. This module decides what a session holds, when it has expired, and
//! how a resolver's [`SessionChange`](kernel::SessionChange) is applied.

mod cookie;
mod data;
mod db_store;
mod redis_store;
mod state;
mod store;

pub use cookie::{COOKIE_NAME, CookieFollowUp, cookie_key, finish_cookie};
pub use data::{SessionRead, WRONG_PASSWORDS_THAT_END_A_SESSION, finish, read};
pub use db_store::DbSessionStore;
pub use redis_store::RedisSessionStore;
pub use store::{SessionStore, middleware};
