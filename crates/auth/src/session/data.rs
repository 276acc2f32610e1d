use actix_session::Session;
use chrono::{DateTime, TimeDelta, Utc};
use kernel::{SessionChange, SessionIdentity, Viewer};

use super::CookieFollowUp;
use super::state::new_session_key;
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
    /// Wrong passwords given in a row to operations of this session (deactivateAccount, changePassword).
    #[serde(default)]
    pub wrong_passwords: u32,
    /// Names this login session to what lives with it on the server (its payment session) across id renewals;
    /// an account switch gives a new one, ending what lived with the old. Random, and never sent to the client.
    #[serde(default = "new_session_key")]
    pub key: String,
}

/// The wrong password in a row that ends the session it was given in (a stolen cookie cannot be used to guess).
pub const WRONG_PASSWORDS_THAT_END_A_SESSION: u32 = 5;

impl SessionData {
    pub fn lifetimes(&self, config: &AuthConfig) -> SessionLifetimes {
        if self.extended { SessionLifetimes::EXTENDED } else { config.lifetimes }
    }

    /// The moment the session ends unless it is used again: idle limit, never past the absolute limit.
    pub fn deadline(&self, config: &AuthConfig) -> DateTime<Utc> {
        let lifetimes = self.lifetimes(config);
        (self.last_seen + lifetimes.idle).min(self.created_at + lifetimes.max_age)
    }

    /// An extended session's cookie lives until the session's absolute limit, whenever it is (re)written.
    fn cookie_follow_up(&self, now: DateTime<Utc>) -> CookieFollowUp {
        if self.extended {
            CookieFollowUp::MaxAge(self.created_at + SessionLifetimes::EXTENDED.max_age - now)
        } else {
            CookieFollowUp::None
        }
    }

    /// How often use is written back: a fraction of the idle limit, so a busy session is not rewritten on
    /// every request while its idle deadline stays accurate to within that step.
    fn touch_interval(&self, config: &AuthConfig) -> TimeDelta {
        (self.lifetimes(config).idle / 20).min(TimeDelta::minutes(1))
    }
}

/// What a request's cookie named, read before the operation runs. Reading changes nothing: whether the
/// session's use is recorded, or a stale one deleted, depends on what the operation did ([`finish`]).
#[derive(Debug, Clone)]
pub struct SessionRead {
    pub viewer: Viewer,
    state: ReadState,
}

#[derive(Debug, Clone)]
enum ReadState {
    /// No session, or an anonymous one.
    None,
    /// The cookie named a session that has expired or cannot be read.
    Stale,
    /// A live session.
    Live(SessionData),
}

impl SessionRead {
    /// The live session's key (see [`SessionData`]), which the gateway hands to the resolvers.
    pub fn session_key(&self) -> Option<String> {
        match &self.state {
            ReadState::Live(data) => Some(data.key.clone()),
            _ => None,
        }
    }

    /// The live session's count of wrong passwords in a row; 0 without one.
    pub fn wrong_passwords(&self) -> u32 {
        match &self.state {
            ReadState::Live(data) => data.wrong_passwords,
            _ => 0,
        }
    }
}

/// The caller a request's session names; a session past its deadline counts as none.
pub fn read(session: &Session, config: &AuthConfig, now: DateTime<Utc>) -> SessionRead {
    let anonymous = |state| SessionRead { viewer: Viewer::Anonymous, state };
    match session.get::<SessionData>(STATE_KEY) {
        Ok(Some(data)) if now < data.deadline(config) => {
            SessionRead { viewer: Viewer::LoggedIn(data.identity.clone()), state: ReadState::Live(data) }
        }
        Ok(Some(_)) => anonymous(ReadState::Stale),
        Ok(None) => anonymous(ReadState::None),
        Err(error) => {
            tracing::warn!(%error, "unreadable session state dropped");
            anonymous(ReadState::Stale)
        }
    }
}

/// After the operation: applies the change it asked for; otherwise, when it used the session, moves the idle
/// deadline forward or deletes the stale session. A new session always gets a new id: the one the request
/// named, if any, is deleted on the server.
pub fn finish(
    session: &Session,
    read: &SessionRead,
    used: bool,
    change: Option<SessionChange>,
    config: &AuthConfig,
    now: DateTime<Utc>,
) -> anyhow::Result<CookieFollowUp> {
    match (change, &read.state) {
        (Some(SessionChange::Start { identity, extended }), _) => {
            session.clear();
            let data = SessionData {
                identity,
                created_at: now,
                last_seen: now,
                extended,
                wrong_passwords: 0,
                key: new_session_key(),
            };
            session.insert(STATE_KEY, &data)?;
            session.renew();
            Ok(data.cookie_follow_up(now))
        }
        (Some(SessionChange::Switch { identity }), ReadState::Live(data)) => {
            // A new key: what lived with the session on the old account (its payment session) ends with the switch.
            let switched =
                SessionData { identity, last_seen: now, wrong_passwords: 0, key: new_session_key(), ..data.clone() };
            session.insert(STATE_KEY, &switched)?;
            session.renew();
            Ok(switched.cookie_follow_up(now))
        }
        (Some(SessionChange::WrongPassword), ReadState::Live(data)) => {
            let wrong_passwords = data.wrong_passwords + 1;
            if wrong_passwords >= WRONG_PASSWORDS_THAT_END_A_SESSION {
                session.purge();
                return Ok(CookieFollowUp::Clear);
            }
            let counted = SessionData { last_seen: now, wrong_passwords, ..data.clone() };
            session.insert(STATE_KEY, &counted)?;
            Ok(counted.cookie_follow_up(now))
        }
        // Only an operation that required a live session asks for these; without one there is nothing to change.
        (Some(SessionChange::Switch { .. } | SessionChange::WrongPassword), _) => Ok(CookieFollowUp::None),
        (Some(SessionChange::End), _) => {
            session.purge();
            Ok(CookieFollowUp::Clear)
        }
        (None, ReadState::Stale) if used => {
            session.purge();
            Ok(CookieFollowUp::None)
        }
        (None, ReadState::Live(data)) if used && now - data.last_seen >= data.touch_interval(config) => {
            let touched = SessionData { last_seen: now, ..data.clone() };
            session.insert(STATE_KEY, &touched)?;
            Ok(touched.cookie_follow_up(now))
        }
        (None, _) => Ok(CookieFollowUp::None),
    }
}
