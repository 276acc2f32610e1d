use std::collections::HashMap;
use std::sync::Arc;

use actix_session::storage::{LoadError, SaveError, SessionKey, UpdateError};
use actix_web::cookie::time::Duration;
use diesel::prelude::*;
use kernel::{Clock, with_connection};
use sha2::{Digest, Sha256};
use store::Pool;
use store::schema::sessions;

use super::data::{STATE_KEY, SessionData};
use crate::{AuthConfig, secret};

type State = HashMap<String, String>;

/// Sessions kept in borderless's own database (the default store).
///
/// Each row carries the session's deadline and login, so expired sessions can be swept and a login's sessions
/// found without reading their state.
#[derive(Clone)]
pub struct DbSessionStore {
    pool: Pool,
    clock: Arc<dyn Clock>,
    config: AuthConfig,
}

impl DbSessionStore {
    pub fn new(pool: Pool, clock: Arc<dyn Clock>, config: AuthConfig) -> Self {
        Self { pool, clock, config }
    }

    /// The deadline and login of a state; a state that is not a login session lives for the store's TTL.
    fn row_facts(&self, state: &State, ttl: &Duration) -> (chrono::NaiveDateTime, Option<String>) {
        match state.get(STATE_KEY).and_then(|json| serde_json::from_str::<SessionData>(json).ok()) {
            Some(data) => (data.deadline(&self.config).naive_utc(), Some(data.identity.login_id.to_string())),
            None => ((self.clock.now() + chrono::TimeDelta::seconds(ttl.whole_seconds())).naive_utc(), None),
        }
    }

    async fn insert_new(&self, state: State, ttl: &Duration) -> anyhow::Result<SessionKey> {
        let id = new_session_id();
        let (expires_at, login_id) = self.row_facts(&state, ttl);
        let json = serde_json::to_string(&state)?;
        let now = self.clock.now().naive_utc();
        let row_id = stored_id(&id);
        with_connection(&self.pool, move |conn| {
            // Sweeping here keeps the table to live sessions without a separate job.
            diesel::delete(sessions::table.filter(sessions::expires_at.le(now))).execute(conn)?;
            diesel::insert_into(sessions::table)
                .values((
                    sessions::id.eq(&row_id),
                    sessions::state.eq(&json),
                    sessions::login_id.eq(&login_id),
                    sessions::expires_at.eq(expires_at),
                ))
                .execute(conn)?;
            Ok::<_, anyhow::Error>(())
        })
        .await?;
        SessionKey::try_from(id).map_err(|e| anyhow::anyhow!("{e}"))
    }
}

/// What the store keeps in place of a session id: its SHA-256. A leaked table or key list then names no
/// usable session; the id itself exists only in the client's cookie.
pub(crate) fn stored_id(session_id: &str) -> String {
    hex::encode(Sha256::digest(session_id.as_bytes()))
}

/// A new session id: 256 random bits, hex.
fn new_session_id() -> String {
    secret::random_hex::<32>()
}

impl actix_session::storage::SessionStore for DbSessionStore {
    async fn load(&self, key: &SessionKey) -> Result<Option<State>, LoadError> {
        let id = stored_id(key.as_ref());
        // Expired rows are returned too: the session layer judges deadlines, and logout must be able to
        // delete a session whatever its state.
        let json: Option<String> = with_connection(&self.pool, move |conn| {
            sessions::table
                .filter(sessions::id.eq(&id))
                .select(sessions::state)
                .first(conn)
                .optional()
                .map_err(anyhow::Error::from)
        })
        .await
        .map_err(LoadError::Other)?;
        json.map(|json| serde_json::from_str(&json).map_err(|e| LoadError::Deserialization(e.into()))).transpose()
    }

    async fn save(&self, state: State, ttl: &Duration) -> Result<SessionKey, SaveError> {
        self.insert_new(state, ttl).await.map_err(SaveError::Other)
    }

    async fn update(&self, key: SessionKey, state: State, ttl: &Duration) -> Result<SessionKey, UpdateError> {
        let (expires_at, login_id) = self.row_facts(&state, ttl);
        let json = serde_json::to_string(&state).map_err(|e| UpdateError::Serialization(e.into()))?;
        let id = stored_id(key.as_ref());
        let updated = with_connection(&self.pool, move |conn| {
            diesel::update(sessions::table.find(&id))
                .set((sessions::state.eq(&json), sessions::login_id.eq(&login_id), sessions::expires_at.eq(expires_at)))
                .execute(conn)
                .map_err(anyhow::Error::from)
        })
        .await
        .map_err(UpdateError::Other)?;
        if updated == 1 { Ok(key) } else { self.insert_new(state, ttl).await.map_err(UpdateError::Other) }
    }

    async fn update_ttl(&self, _key: &SessionKey, _ttl: &Duration) -> Result<(), anyhow::Error> {
        // A row's deadline follows its state (idle and absolute limits), written by `update`; a bare TTL
        // extension would let a session outlive its absolute limit.
        Ok(())
    }

    async fn delete(&self, key: &SessionKey) -> Result<(), anyhow::Error> {
        let id = stored_id(key.as_ref());
        with_connection(&self.pool, move |conn| {
            diesel::delete(sessions::table.find(&id)).execute(conn).map(|_| ()).map_err(anyhow::Error::from)
        })
        .await
    }
}
