use actix_session::SessionMiddleware;
use actix_session::config::{BrowserSession, CookieContentSecurity, TtlExtensionPolicy};
use actix_session::storage::{LoadError, SaveError, SessionKey, UpdateError};
use actix_web::cookie::time::Duration;
use actix_web::cookie::{Key, SameSite};
use kernel::{AccountId, LoginId, SessionIdentity};

use super::state::State;
use super::{COOKIE_NAME, DbSessionStore, RedisSessionStore};
use crate::{AuthConfig, SessionLifetimes};

/// The session store in use: the database by default, Redis when `REDIS_URL` is set.
#[derive(Clone)]
pub enum SessionStore {
    Database(DbSessionStore),
    Redis(RedisSessionStore),
}

impl SessionStore {
    /// Every session of the login whose current account is `from` (just closed) moves to `to`, the login's
    /// other open account, or ends when there is none (flows.md section 2).
    pub async fn move_sessions(
        &self,
        login_id: &LoginId,
        from: &AccountId,
        to: Option<SessionIdentity>,
    ) -> anyhow::Result<usize> {
        match self {
            Self::Database(store) => store.move_sessions(login_id, from, to).await,
            Self::Redis(store) => store.move_sessions(login_id, from, to).await,
        }
    }

    /// Ends every session of the login, on every instance: the next request of any of them is anonymous.
    pub async fn end_all_for_login(&self, login_id: &LoginId) -> anyhow::Result<usize> {
        match self {
            Self::Database(store) => store.end_all_for_login(login_id).await,
            Self::Redis(store) => store.end_all_for_login(login_id).await,
        }
    }
}

/// The session middleware: cookie `borderless_session`, HttpOnly, SameSite=Lax, Path=/, `Secure` as configured,
/// no `Max-Age` (a browser session; extended sessions get theirs from `finish_cookie`).
pub fn middleware(store: SessionStore, key: Key, config: &AuthConfig) -> SessionMiddleware<SessionStore> {
    // The store's own TTL only bounds how long an abandoned entry lingers; deadlines are enforced on every
    // request from the session's state.
    let longest =
        if config.extend_secret.is_some() { SessionLifetimes::EXTENDED.max_age } else { config.lifetimes.max_age };
    SessionMiddleware::builder(store, key)
        .cookie_name(COOKIE_NAME.to_owned())
        .cookie_http_only(true)
        .cookie_same_site(SameSite::Lax)
        .cookie_path("/".to_owned())
        .cookie_secure(config.cookie_secure)
        .cookie_content_security(CookieContentSecurity::Signed)
        .session_lifecycle(
            BrowserSession::default()
                .state_ttl(Duration::seconds(longest.num_seconds()))
                .state_ttl_extension_policy(TtlExtensionPolicy::OnStateChanges),
        )
        .build()
}

impl actix_session::storage::SessionStore for SessionStore {
    async fn load(&self, key: &SessionKey) -> Result<Option<State>, LoadError> {
        match self {
            Self::Database(store) => store.load(key).await,
            Self::Redis(store) => store.load(key).await,
        }
    }

    async fn save(&self, state: State, ttl: &Duration) -> Result<SessionKey, SaveError> {
        match self {
            Self::Database(store) => store.save(state, ttl).await,
            Self::Redis(store) => store.save(state, ttl).await,
        }
    }

    async fn update(&self, key: SessionKey, state: State, ttl: &Duration) -> Result<SessionKey, UpdateError> {
        match self {
            Self::Database(store) => store.update(key, state, ttl).await,
            Self::Redis(store) => store.update(key, state, ttl).await,
        }
    }

    async fn update_ttl(&self, key: &SessionKey, ttl: &Duration) -> Result<(), anyhow::Error> {
        match self {
            Self::Database(store) => store.update_ttl(key, ttl).await,
            Self::Redis(store) => store.update_ttl(key, ttl).await,
        }
    }

    async fn delete(&self, key: &SessionKey) -> Result<(), anyhow::Error> {
        match self {
            Self::Database(store) => store.delete(key).await,
            Self::Redis(store) => store.delete(key).await,
        }
    }
}
