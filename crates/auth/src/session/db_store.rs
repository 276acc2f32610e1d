use std::sync::Arc;

use actix_session::storage::{LoadError, SaveError, SessionKey, UpdateError};
use actix_web::cookie::time::Duration;
use diesel::prelude::*;
use kernel::{AccountId, BatchedReads, Clock, LoginId, ServiceClock, SessionIdentity, with_connection};
use store::Pool;
use store::schema::sessions;

use super::state::{Moved, State, deadline, moved_state, new_session_id, session_data, stored_id};
use crate::AuthConfig;

/// Sessions kept in borderless's own database (the default store).
///
/// Each row carries the session's deadline and login, so expired sessions can be swept and every session of
/// a login ended without reading their state.
#[derive(Clone)]
pub struct DbSessionStore {
    pool: Pool,
    clock: Arc<ServiceClock>,
    config: AuthConfig,
    /// Every request reads its session: the reads of concurrent requests share one query.
    states: BatchedReads<String, String>,
}

impl DbSessionStore {
    pub fn new(pool: Pool, clock: Arc<ServiceClock>, config: AuthConfig) -> Self {
        let states = BatchedReads::new(
            pool.clone(),
            |conn, id: &String| Ok(sessions::table.find(id).select(sessions::state).first(conn).optional()?),
            |conn, ids: &[String]| {
                Ok(sessions::table
                    .filter(sessions::id.eq_any(ids))
                    .select((sessions::id, sessions::state))
                    .load(conn)?)
            },
        );
        Self { pool, clock, config, states }
    }

    fn row_facts(&self, state: &State, ttl: &Duration) -> (chrono::NaiveDateTime, Option<String>) {
        let fallback = self.clock.now() + chrono::TimeDelta::seconds(ttl.whole_seconds());
        let login_id = session_data(state).map(|data| data.identity.login_id.to_string());
        (deadline(state, &self.config, fallback).naive_utc(), login_id)
    }

    /// Moves every session of the login whose current account is `from` to `to`, or ends them (`None`).
    pub async fn move_sessions(
        &self,
        login_id: &LoginId,
        from: &AccountId,
        to: Option<SessionIdentity>,
    ) -> anyhow::Result<usize> {
        let (login_id, from) = (login_id.to_string(), from.clone());
        with_connection(&self.pool, move |conn| {
            let rows: Vec<(String, String)> = sessions::table
                .filter(sessions::login_id.eq(&login_id))
                .select((sessions::id, sessions::state))
                .load(conn)?;
            let mut moved = 0;
            for (id, json) in rows {
                moved += match moved_state(&json, &from, to.as_ref()) {
                    Some(Moved::Rewritten(state)) => {
                        diesel::update(sessions::table.find(&id)).set(sessions::state.eq(state)).execute(conn)?
                    }
                    Some(Moved::Ended) => diesel::delete(sessions::table.find(&id)).execute(conn)?,
                    None => 0,
                };
            }
            Ok(moved)
        })
        .await
    }

    /// Ends every session of the login (password changed or reset).
    pub async fn end_all_for_login(&self, login_id: &LoginId) -> anyhow::Result<usize> {
        let login_id = login_id.to_string();
        with_connection(&self.pool, move |conn| {
            Ok(diesel::delete(sessions::table.filter(sessions::login_id.eq(&login_id))).execute(conn)?)
        })
        .await
    }
}

impl actix_session::storage::SessionStore for DbSessionStore {
    async fn load(&self, key: &SessionKey) -> Result<Option<State>, LoadError> {
        let id = stored_id(key.as_ref());
        // Expired rows are returned too: the session layer judges deadlines, and logout must be able to
        // delete a session whatever its state.
        let json = self.states.get(id).await.map_err(LoadError::Other)?;
        json.map(|json| serde_json::from_str(&json).map_err(|e| LoadError::Deserialization(e.into()))).transpose()
    }

    async fn save(&self, state: State, ttl: &Duration) -> Result<SessionKey, SaveError> {
        let id = new_session_id();
        let (expires_at, login_id) = self.row_facts(&state, ttl);
        let json = serde_json::to_string(&state).map_err(|e| SaveError::Serialization(e.into()))?;
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
        .await
        .map_err(SaveError::Other)?;
        SessionKey::try_from(id).map_err(|e| SaveError::Other(e.into()))
    }

    async fn update(&self, key: SessionKey, state: State, ttl: &Duration) -> Result<SessionKey, UpdateError> {
        let (expires_at, login_id) = self.row_facts(&state, ttl);
        let json = serde_json::to_string(&state).map_err(|e| UpdateError::Serialization(e.into()))?;
        let id = stored_id(key.as_ref());
        // A session deleted while this request was in flight (logout, password change) stays deleted: when no
        // row is updated nothing is written, and the cookie names a session the store no longer knows.
        with_connection(&self.pool, move |conn| {
            diesel::update(sessions::table.find(&id))
                .set((sessions::state.eq(&json), sessions::login_id.eq(&login_id), sessions::expires_at.eq(expires_at)))
                .execute(conn)
                .map_err(anyhow::Error::from)
        })
        .await
        .map_err(UpdateError::Other)?;
        Ok(key)
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
