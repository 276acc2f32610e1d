use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use anyhow::Context as _;
use kernel::{ExposeSecret, SecretString};

use crate::hash_threads::HashThreads;

/// A password that meets the rule: at least 8 characters, an ASCII upper-case letter, lower-case letter and
/// digit, at most 72 bytes (bcrypt ignores what follows, so a longer one would be silently cut). Its `Debug`
/// shows nothing of it.
pub struct Password(SecretString);

impl Password {
    pub fn parse(raw: &SecretString) -> Option<Self> {
        let text = raw.expose_secret();
        let ok = text.chars().count() >= 8
            && text.len() <= 72
            && text.chars().any(|c| c.is_ascii_uppercase())
            && text.chars().any(|c| c.is_ascii_lowercase())
            && text.chars().any(|c| c.is_ascii_digit());
        ok.then(|| Self(raw.clone()))
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password([redacted])")
    }
}

/// Hashes and verifies passwords with bcrypt on `concurrency` threads of its own (off the async workers and
/// the blocking pool, at a lower priority: [`crate::hash_threads`]): a flood of logins then waits its turn
/// instead of taking every core of the process.
#[derive(Clone)]
pub struct PasswordHasher {
    cost: u32,
    threads: Arc<HashThreads>,
    started: Arc<AtomicU64>,
    load: Arc<Load>,
}

/// How much hashing work there is right now (`/metrics`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashLoad {
    /// Hashes and verifications waiting for a thread.
    pub waiting: usize,
    /// Those running on one.
    pub running: usize,
}

#[derive(Default)]
struct Load {
    waiting: AtomicUsize,
    running: AtomicUsize,
}

/// Counts one unit of `count` for as long as it lives, however the work ends (dropped unrun, or panicking).
struct Counted(Arc<Load>, fn(&Load) -> &AtomicUsize);

impl Counted {
    fn new(load: &Arc<Load>, count: fn(&Load) -> &AtomicUsize) -> Self {
        count(load).fetch_add(1, Ordering::Relaxed);
        Self(Arc::clone(load), count)
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        (self.1)(&self.0).fetch_sub(1, Ordering::Relaxed);
    }
}

impl PasswordHasher {
    pub fn new(cost: u32, concurrency: usize) -> Self {
        Self {
            cost,
            threads: Arc::new(HashThreads::start(concurrency)),
            started: Arc::new(AtomicU64::new(0)),
            load: Arc::default(),
        }
    }

    /// The bcrypt hash of a valid password.
    pub async fn hash(&self, password: Password) -> anyhow::Result<String> {
        let cost = self.cost;
        self.run(move || bcrypt::hash(password.0.expose_secret(), cost).context("bcrypt hashing failed")).await
    }

    /// Checks `candidate` against a stored hash; with no stored hash (unknown email) it checks against a dummy
    /// hash of the same cost, so both answers take as long.
    pub async fn verify(&self, candidate: SecretString, stored_hash: Option<String>) -> anyhow::Result<bool> {
        let cost = self.cost;
        self.run(move || match stored_hash {
            Some(hash) => {
                bcrypt::verify(candidate.expose_secret(), &hash).context("stored password hash is unreadable")
            }
            None => {
                bcrypt::verify(candidate.expose_secret(), &dummy_hash(cost)?).context("dummy hash is unreadable")?;
                Ok(false)
            }
        })
        .await
    }

    /// How many hashes and verifications have started since the process began.
    pub fn operations_started(&self) -> u64 {
        self.started.load(Ordering::Relaxed)
    }

    /// The hashes and verifications waiting for a thread and running now.
    pub fn load(&self) -> HashLoad {
        HashLoad {
            waiting: self.load.waiting.load(Ordering::Relaxed),
            running: self.load.running.load(Ordering::Relaxed),
        }
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
    ) -> anyhow::Result<T> {
        let started = Arc::clone(&self.started);
        let load = Arc::clone(&self.load);
        let waiting = Counted::new(&load, |load| &load.waiting);
        self.threads
            .run(move || {
                drop(waiting);
                let _running = Counted::new(&load, |load| &load.running);
                started.fetch_add(1, Ordering::Relaxed);
                work()
            })
            .await
    }
}

fn dummy_hash(cost: u32) -> anyhow::Result<String> {
    static DUMMIES: Mutex<BTreeMap<u32, String>> = Mutex::new(BTreeMap::new());
    let mut dummies = DUMMIES.lock().map_err(|_| anyhow::anyhow!("dummy hash cache poisoned"))?;
    if let Some(hash) = dummies.get(&cost) {
        return Ok(hash.clone());
    }
    let hash = bcrypt::hash("borderless dummy password", cost).context("dummy hash not made")?;
    dummies.insert(cost, hash.clone());
    Ok(hash)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn secret(text: &str) -> SecretString {
        SecretString::from(text.to_owned())
    }

    #[test]
    fn enforces_the_rule() {
        assert!(Password::parse(&secret("stRONgPassW0Rdh3r3")).is_some());
        for weak in ["Short1a", "alllowercase1", "ALLUPPERCASE1", "NoDigitsHere", "ÄÖÜäöü12"] {
            assert!(Password::parse(&secret(weak)).is_none(), "{weak:?} accepted");
        }
        assert!(Password::parse(&secret(&format!("Aa1{}", "x".repeat(69)))).is_some());
        assert!(Password::parse(&secret(&format!("Aa1{}", "x".repeat(70)))).is_none());
    }

    #[test]
    fn debug_shows_nothing_of_the_password() {
        let password = Password::parse(&secret("stRONgPassW0Rd")).expect("valid");
        assert!(!format!("{password:?}").contains("stRONg"));
    }

    #[tokio::test]
    async fn verifies_hashes_and_counts_its_work() -> anyhow::Result<()> {
        let hasher = PasswordHasher::new(4, 1);
        let hash = hasher.hash(Password::parse(&secret("stRONgPassW0Rd")).context("valid")?).await?;
        assert!(hasher.verify(secret("stRONgPassW0Rd"), Some(hash.clone())).await?);
        assert!(!hasher.verify(secret("wrong"), Some(hash)).await?);
        // An unknown login still costs a verification of the configured cost.
        assert!(!hasher.verify(secret("stRONgPassW0Rd"), None).await?);
        assert!(PasswordHasher::new(3, 1).verify(secret("x"), None).await.is_err());
        assert_eq!(hasher.operations_started(), 4);
        Ok(())
    }

    proptest! {
        #[test]
        fn any_text_is_judged_without_panicking(text in any::<String>()) {
            if let Some(password) = Password::parse(&secret(&text)) {
                let accepted = password.0.expose_secret();
                prop_assert!(accepted.len() <= 72 && accepted.chars().count() >= 8);
            }
        }
    }
}
