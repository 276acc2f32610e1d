use std::collections::HashMap;

use chrono::{DateTime, Utc};
use kernel::{AccountId, SessionIdentity};
use sha2::{Digest, Sha256};

use super::data::{STATE_KEY, SessionData};
use crate::AuthConfig;
use crate::random::random_bytes;

/// What actix-session hands a store: its key-value state of one session.
pub(crate) type State = HashMap<String, String>;

/// What the stores keep in place of a session id: its SHA-256. A leaked table or key list then names no
/// usable session; the id itself exists only in the client's cookie.
pub(crate) fn stored_id(session_id: &str) -> String {
    hex::encode(Sha256::digest(session_id.as_bytes()))
}

/// A new session id: 256 random bits, hex.
pub(crate) fn new_session_id() -> String {
    hex::encode(random_bytes::<32>())
}

/// A new login session's key: 256 random bits, hex.
pub(crate) fn new_session_key() -> String {
    hex::encode(random_bytes::<32>())
}

/// The login session a state holds, if it is one.
pub(crate) fn session_data(state: &State) -> Option<SessionData> {
    state.get(STATE_KEY).and_then(|json| serde_json::from_str(json).ok())
}

/// When a state's session ends: its own deadline for a login session, `fallback` for anything else.
pub(crate) fn deadline(state: &State, config: &AuthConfig, fallback: DateTime<Utc>) -> DateTime<Utc> {
    session_data(state).map_or(fallback, |data| data.deadline(config))
}

/// What becomes of a session whose current account closed: moved to `to` (the same login's other open account),
/// or ended. `None` when the session is not one of those.
pub(crate) enum Moved {
    Rewritten(String),
    Ended,
}

/// The state a session of the closed account `from` gets (flows.md section 2, "Closed accounts").
pub(crate) fn moved_state(json: &str, from: &AccountId, to: Option<&SessionIdentity>) -> Option<Moved> {
    let mut state: State = serde_json::from_str(json).ok()?;
    let mut data = session_data(&state).filter(|data| &data.identity.account_id == from)?;
    let Some(to) = to else { return Some(Moved::Ended) };
    data.identity = to.clone();
    data.key = new_session_key();
    state.insert(STATE_KEY.to_owned(), serde_json::to_string(&data).ok()?);
    serde_json::to_string(&state).ok().map(Moved::Rewritten)
}
