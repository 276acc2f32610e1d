use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use store::Pool;

use crate::{AccountId, AccountType, ApiError, ContractError, LoginId, PersonId, ServiceClock, Services};

/// Who a logged-in session belongs to and which account it is working on.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SessionIdentity {
    pub login_id: LoginId,
    pub person_id: PersonId,
    pub account_id: AccountId,
    pub account_type: AccountType,
}

/// The caller of a request, as its session cookie names it.
#[derive(Clone, Debug, Default)]
pub enum Viewer {
    #[default]
    Anonymous,
    LoggedIn(SessionIdentity),
}

/// A change to the caller's session asked for by a resolver. juniper's context must be `Sync` and actix's
/// session is not, so resolvers leave the change here and the gateway applies it after execution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionChange {
    /// Replace whatever session the request had by a new one (new id) for this identity.
    Start { identity: SessionIdentity, extended: bool },
    /// Move the session to another account of the same login (switchAccounts, addAccountToPerson,
    /// deactivateAccount): a new id, the same lifetimes.
    Switch { identity: SessionIdentity },
    /// A wrong password was given to an operation of this session; the fifth in a row ends the session.
    WrongPassword,
    /// Delete the request's session on the server and clear the cookie.
    End,
}

/// What every resolver receives: the database, the clock, the services, the caller.
pub struct Context {
    pub pool: Pool,
    pub clock: Arc<ServiceClock>,
    pub services: Arc<Services>,
    pub viewer: Viewer,
    /// Wrong passwords given in a row to operations of the caller's session (its state keeps the count).
    pub wrong_passwords: u32,
    /// The caller's login session, as what lives with it on the server (a payment session) names it; `None`
    /// without a live session.
    pub session_key: Option<String>,
    /// The request's `Idempotency-Key` header, checked for its form (README, "Retrying a submit").
    pub idempotency_key: Option<String>,
    session_change: Mutex<Option<SessionChange>>,
    session_used: AtomicBool,
}

impl Context {
    pub fn new(pool: Pool, clock: Arc<ServiceClock>, services: Arc<Services>, viewer: Viewer) -> Self {
        Self {
            pool,
            clock,
            services,
            viewer,
            wrong_passwords: 0,
            session_key: None,
            idempotency_key: None,
            session_change: Mutex::new(None),
            session_used: AtomicBool::new(false),
        }
    }

    /// The live session's key, as its state holds it.
    pub fn with_session_key(self, session_key: Option<String>) -> Self {
        Self { session_key, ..self }
    }

    /// The request's `Idempotency-Key`.
    pub fn with_idempotency_key(self, idempotency_key: Option<String>) -> Self {
        Self { idempotency_key, ..self }
    }

    /// The session's count of wrong passwords in a row, as its state holds it.
    pub fn with_wrong_passwords(self, wrong_passwords: u32) -> Self {
        Self { wrong_passwords, ..self }
    }

    /// The guard of every `login` operation: the caller's session, or I-4100. Only operations that ask for it
    /// count as using the session (moving its idle deadline); anonymous operations leave it untouched.
    pub fn require_login(&self) -> Result<&SessionIdentity, ApiError> {
        self.session_used.store(true, Ordering::Relaxed);
        match &self.viewer {
            Viewer::LoggedIn(identity) => Ok(identity),
            Viewer::Anonymous => Err(ContractError::NotLoggedIn.into()),
        }
    }

    /// The guard of every `business` operation: I-4100 without a session, then I-4105 when the current
    /// account is PERSONAL.
    pub fn require_business(&self) -> Result<&SessionIdentity, ApiError> {
        let identity = self.require_login()?;
        match identity.account_type {
            AccountType::Business => Ok(identity),
            AccountType::Personal => Err(ContractError::BusinessOnly.into()),
        }
    }

    pub fn change_session(&self, change: SessionChange) {
        if let Ok(mut slot) = self.session_change.lock() {
            *slot = Some(change);
        }
    }

    /// True when an operation needed the caller's session.
    pub fn session_used(&self) -> bool {
        self.session_used.load(Ordering::Relaxed)
    }

    /// The session change the resolvers asked for, taken once by the gateway.
    pub fn take_session_change(&self) -> Option<SessionChange> {
        self.session_change.lock().ok().and_then(|mut slot| slot.take())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(viewer: Viewer) -> anyhow::Result<(Context, store::TestDatabase)> {
        let database = store::TestDatabase::new()?;
        let pool = store::connect_pool(database.url(), 1)?;
        Ok((Context::new(pool, Arc::new(ServiceClock::System), Arc::new(Services::default()), viewer), database))
    }

    fn logged_in(account_type: AccountType) -> Viewer {
        Viewer::LoggedIn(SessionIdentity {
            login_id: LoginId::generate(),
            person_id: PersonId::generate(),
            account_id: AccountId::generate(),
            account_type,
        })
    }

    #[test]
    fn guards_answer_i4100_then_i4105() -> anyhow::Result<()> {
        let (anonymous, _db) = context(Viewer::Anonymous)?;
        assert_eq!(anonymous.require_login().err().map(|e| e.code()), Some("I-4100"));
        assert_eq!(anonymous.require_business().err().map(|e| e.code()), Some("I-4100"));
        assert!(anonymous.session_used(), "asking for the login counts as using the session");
        let (personal, _db) = context(logged_in(AccountType::Personal))?;
        assert!(personal.require_login().is_ok());
        assert_eq!(personal.require_business().err().map(|e| e.code()), Some("I-4105"));
        let (business, _db) = context(logged_in(AccountType::Business))?;
        assert!(business.require_business().is_ok());
        Ok(())
    }
}
