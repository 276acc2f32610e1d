use actix_session::Session;
use chrono::{DateTime, TimeDelta, Utc};
use kernel::{SessionChange, SessionIdentity, Viewer};

use super::CookieFollowUp;
use crate::{AuthConfig, SessionLifetimes};

/// The key under which the session state is kept in the store.
pub(crate) const STATE_KEY: &str = "borderless";

/// What the server keeps for a session; the cookie holds only its random id.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct SessionData {
    pub identity: SessionIdentity,
    pub created_at: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    pub extended: bool,
}

impl SessionData {
    pub fn lifetimes(&self, config: &AuthConfig) -> SessionLifetimes {
        if self.extended { SessionLifetimes::EXTENDED } else { config.lifetimes }
    }

    /// The moment the session ends unless it is used again: idle limit, never past the absolute limit.
    pub fn deadline(&self, config: &AuthConfig) -> DateTime<Utc> {
        let lifetimes = self.lifetimes(config);
        (self.last_seen + lifetimes.idle).min(self.created_at + lifetimes.max_age)
    }

    /// How often use is written back: a fraction of the idle limit, so a busy session is not rewritten on
    /// every request while its idle deadline stays accurate to within that step.
    fn touch_interval(&self, config: &AuthConfig) -> TimeDelta {
        (self.lifetimes(config).idle / 20).min(TimeDelta::minutes(1))
    }
}

/// What a request's cookie named, read before the operation runs.
#[derive(Debug, Clone)]
pub struct SessionRead {
    pub viewer: Viewer,
    /// The cookie named a session that has expired or cannot be read: it is deleted after the operation,
    /// unless the operation starts a new session, which replaces it anyway.
    stale: bool,
}

/// The caller a request's session names. A session past its deadline counts as none; a live one has its idle
/// deadline moved forward.
pub fn read(session: &Session, config: &AuthConfig, now: DateTime<Utc>) -> SessionRead {
    let stale = SessionRead { viewer: Viewer::Anonymous, stale: true };
    let data = match session.get::<SessionData>(STATE_KEY) {
        Ok(Some(data)) => data,
        Ok(None) => {
            return SessionRead { viewer: Viewer::Anonymous, stale: false };
        }
        Err(error) => {
            tracing::warn!(%error, "unreadable session state dropped");
            return stale;
        }
    };
    if now >= data.deadline(config) {
        return stale;
    }
    if now - data.last_seen >= data.touch_interval(config) {
        let touched = SessionData { last_seen: now, ..data.clone() };
        if let Err(error) = session.insert(STATE_KEY, touched) {
            tracing::warn!(%error, "session use not recorded");
        }
    }
    SessionRead { viewer: Viewer::LoggedIn(data.identity), stale: false }
}

/// Applies what the operation asked for, or deletes a stale session. A new session always gets a new id: the
/// one the request named, if any, is deleted on the server.
pub fn finish(
    session: &Session,
    read: &SessionRead,
    change: Option<SessionChange>,
    now: DateTime<Utc>,
) -> anyhow::Result<CookieFollowUp> {
    match change {
        Some(SessionChange::Start { identity, extended }) => {
            session.clear();
            let data = SessionData { identity, created_at: now, last_seen: now, extended };
            session.insert(STATE_KEY, &data)?;
            session.renew();
            Ok(if extended { CookieFollowUp::MaxAge(SessionLifetimes::EXTENDED.max_age) } else { CookieFollowUp::None })
        }
        Some(SessionChange::End) => {
            session.purge();
            Ok(CookieFollowUp::Clear)
        }
        None if read.stale => {
            session.purge();
            Ok(CookieFollowUp::None)
        }
        None => Ok(CookieFollowUp::None),
    }
}
