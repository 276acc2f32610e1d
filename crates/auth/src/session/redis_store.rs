use std::time::Duration as StdDuration;

use actix_session::storage::{LoadError, SaveError, SessionKey, UpdateError};
use actix_web::cookie::time::Duration;
use anyhow::Context as _;
use kernel::{AccountId, LoginId, SessionIdentity};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use super::state::{Moved, State, moved_state, new_session_id, session_data, stored_id};

/// How long start-up waits for Redis before it names `REDIS_URL` and gives up.
const CONNECT_TIMEOUT: StdDuration = StdDuration::from_secs(3);

/// Sessions kept in Redis (`REDIS_URL`): `<prefix>session:<digest>` holds a session's state, and
/// `<prefix>login-sessions:<login id>` the digests of a login's sessions, so all of them can be ended at once.
#[derive(Clone)]
pub struct RedisSessionStore {
    connection: ConnectionManager,
    prefix: String,
}

impl RedisSessionStore {
    /// Connects and checks the server answers, failing within seconds when it does not.
    pub async fn connect(url: &str, prefix: &str) -> anyhow::Result<Self> {
        let client = redis::Client::open(url).context("REDIS_URL is not a Redis URL")?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(CONNECT_TIMEOUT)
            .set_response_timeout(CONNECT_TIMEOUT)
            .set_number_of_retries(1);
        let connecting = async {
            let mut connection = ConnectionManager::new_with_config(client, config).await?;
            redis::cmd("PING").query_async::<String>(&mut connection).await?;
            Ok::<_, redis::RedisError>(connection)
        };
        let connection = match tokio::time::timeout(CONNECT_TIMEOUT * 2, connecting).await {
            Ok(Ok(connection)) => connection,
            Ok(Err(error)) => anyhow::bail!("cannot reach Redis at REDIS_URL ({}): {error}", server_of(url)),
            Err(_) => {
                anyhow::bail!(
                    "Redis at REDIS_URL ({}) did not answer within {} s",
                    server_of(url),
                    (CONNECT_TIMEOUT * 2).as_secs()
                )
            }
        };
        Ok(Self { connection, prefix: prefix.to_owned() })
    }

    fn session_key(&self, digest: &str) -> String {
        format!("{}session:{digest}", self.prefix)
    }

    fn login_key(&self, login_id: &str) -> String {
        format!("{}login-sessions:{login_id}", self.prefix)
    }

    /// Moves every session of the login whose current account is `from` to `to`, or ends them (`None`).
    pub async fn move_sessions(
        &self,
        login_id: &LoginId,
        from: &AccountId,
        to: Option<SessionIdentity>,
    ) -> anyhow::Result<usize> {
        let mut connection = self.connection.clone();
        let digests: Vec<String> =
            redis::cmd("SMEMBERS").arg(self.login_key(login_id.as_str())).query_async(&mut connection).await?;
        let mut moved = 0;
        for digest in digests {
            let key = self.session_key(&digest);
            let Some(json) = redis::cmd("GET").arg(&key).query_async::<Option<String>>(&mut connection).await? else {
                continue;
            };
            match moved_state(&json, from, to.as_ref()) {
                Some(Moved::Rewritten(state)) => {
                    // XX and KEEPTTL: only a session that still exists is rewritten, and it keeps its lifetime.
                    redis::cmd("SET")
                        .arg(&key)
                        .arg(state)
                        .arg("XX")
                        .arg("KEEPTTL")
                        .query_async::<()>(&mut connection)
                        .await?;
                    moved += 1;
                }
                Some(Moved::Ended) => {
                    redis::cmd("DEL").arg(&key).query_async::<()>(&mut connection).await?;
                    moved += 1;
                }
                None => {}
            }
        }
        Ok(moved)
    }

    /// Ends every session of the login (password changed or reset).
    pub async fn end_all_for_login(&self, login_id: &LoginId) -> anyhow::Result<usize> {
        let mut connection = self.connection.clone();
        let index = self.login_key(login_id.as_str());
        let digests: Vec<String> = redis::cmd("SMEMBERS").arg(&index).query_async(&mut connection).await?;
        let mut ended = 0;
        if !digests.is_empty() {
            let keys: Vec<String> = digests.iter().map(|digest| self.session_key(digest)).collect();
            ended = redis::cmd("DEL").arg(keys).query_async(&mut connection).await?;
        }
        redis::cmd("DEL").arg(&index).query_async::<()>(&mut connection).await?;
        Ok(ended)
    }
}

/// The host part of a Redis URL, without any password, for error messages.
fn server_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.rsplit_once('@').map_or(rest, |(_, host)| host)
}

impl actix_session::storage::SessionStore for RedisSessionStore {
    async fn load(&self, key: &SessionKey) -> Result<Option<State>, LoadError> {
        let mut connection = self.connection.clone();
        let json: Option<String> = redis::cmd("GET")
            .arg(self.session_key(&stored_id(key.as_ref())))
            .query_async(&mut connection)
            .await
            .map_err(|e| LoadError::Other(e.into()))?;
        json.map(|json| serde_json::from_str(&json).map_err(|e| LoadError::Deserialization(e.into()))).transpose()
    }

    async fn save(&self, state: State, ttl: &Duration) -> Result<SessionKey, SaveError> {
        let id = new_session_id();
        let digest = stored_id(&id);
        let json = serde_json::to_string(&state).map_err(|e| SaveError::Serialization(e.into()))?;
        let seconds = ttl.whole_seconds().max(1);
        let mut pipeline = redis::pipe();
        pipeline.atomic().cmd("SET").arg(self.session_key(&digest)).arg(json).arg("NX").arg("EX").arg(seconds).ignore();
        if let Some(data) = session_data(&state) {
            let index = self.login_key(data.identity.login_id.as_str());
            pipeline.cmd("SADD").arg(&index).arg(&digest).ignore();
            pipeline.cmd("EXPIRE").arg(&index).arg(seconds).ignore();
        }
        let mut connection = self.connection.clone();
        pipeline.query_async::<()>(&mut connection).await.map_err(|e| SaveError::Other(e.into()))?;
        SessionKey::try_from(id).map_err(|e| SaveError::Other(e.into()))
    }

    async fn update(&self, key: SessionKey, state: State, ttl: &Duration) -> Result<SessionKey, UpdateError> {
        let json = serde_json::to_string(&state).map_err(|e| UpdateError::Serialization(e.into()))?;
        let mut connection = self.connection.clone();
        // `XX`: only an existing session is rewritten. One deleted while this request was in flight (logout,
        // password change) stays deleted; actix-session's own Redis store would save it anew instead.
        let _: Option<String> = redis::cmd("SET")
            .arg(self.session_key(&stored_id(key.as_ref())))
            .arg(json)
            .arg("XX")
            .arg("EX")
            .arg(ttl.whole_seconds().max(1))
            .query_async(&mut connection)
            .await
            .map_err(|e| UpdateError::Other(e.into()))?;
        Ok(key)
    }

    async fn update_ttl(&self, _key: &SessionKey, _ttl: &Duration) -> Result<(), anyhow::Error> {
        // As in the database store: the deadline follows the state, rewritten by `update`.
        Ok(())
    }

    async fn delete(&self, key: &SessionKey) -> Result<(), anyhow::Error> {
        let mut connection = self.connection.clone();
        redis::cmd("DEL").arg(self.session_key(&stored_id(key.as_ref()))).query_async::<()>(&mut connection).await?;
        Ok(())
    }
}
