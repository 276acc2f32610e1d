//! The session stores called directly, on a real database and, when `TEST_REDIS_URL` is set, on Redis: a
//! login's sessions end together, and a session deleted while a request was in flight never comes back.

use std::collections::HashMap;
use std::sync::Arc;

use actix_session::storage::{SessionKey, SessionStore as _};
use actix_web::cookie::time::Duration;
use auth::AuthConfig;
use auth::session::{DbSessionStore, RedisSessionStore, SessionStore};
use chrono::Utc;
use kernel::{AccountId, AccountType, LoginId, PersonId, ServiceClock, SessionIdentity};
use store::{TestDatabase, connect_pool};

/// The state actix-session would hand the store for a session of `login_id`.
fn state_of(login_id: &LoginId) -> HashMap<String, String> {
    let identity = SessionIdentity {
        login_id: login_id.clone(),
        person_id: PersonId::generate(),
        account_id: AccountId::generate(),
        account_type: AccountType::Personal,
    };
    let data = serde_json::json!({ "identity": identity, "created_at": Utc::now(), "last_seen": Utc::now(), "extended": false });
    HashMap::from([("borderless".to_owned(), data.to_string())])
}

async fn stores() -> anyhow::Result<(Vec<(&'static str, SessionStore)>, TestDatabase)> {
    let database = TestDatabase::new()?;
    let pool = connect_pool(database.url(), 2)?;
    let mut stores = vec![(
        "database",
        SessionStore::Database(DbSessionStore::new(pool, Arc::new(ServiceClock::System), AuthConfig::default())),
    )];
    match std::env::var("TEST_REDIS_URL") {
        Ok(url) => {
            let prefix = format!("borderless-test-{}:", kernel::new_id());
            stores.push(("redis", SessionStore::Redis(RedisSessionStore::connect(&url, &prefix).await?)));
        }
        Err(_) => eprintln!("TEST_REDIS_URL unset: the Redis store is not exercised in this run"),
    }
    Ok((stores, database))
}

#[tokio::test]
async fn every_session_of_a_login_ends_at_once_and_others_stay() -> anyhow::Result<()> {
    let (stores, _database) = stores().await?;
    let ttl = Duration::hours(1);
    for (name, store) in stores {
        let (jane, john) = (LoginId::generate(), LoginId::generate());
        let mut janes = Vec::new();
        for _ in 0..3 {
            janes.push(store.save(state_of(&jane), &ttl).await.map_err(|e| anyhow::anyhow!("{e}"))?);
        }
        let johns = store.save(state_of(&john), &ttl).await.map_err(|e| anyhow::anyhow!("{e}"))?;

        assert_eq!(store.end_all_for_login(&jane).await?, 3, "{name}");
        for key in &janes {
            assert!(store.load(key).await.map_err(|e| anyhow::anyhow!("{e}"))?.is_none(), "{name}: a session lives on");
        }
        assert!(
            store.load(&johns).await.map_err(|e| anyhow::anyhow!("{e}"))?.is_some(),
            "{name}: another login's ended"
        );
    }
    Ok(())
}

#[tokio::test]
async fn a_deleted_session_is_not_brought_back_by_a_late_write() -> anyhow::Result<()> {
    let (stores, _database) = stores().await?;
    let ttl = Duration::hours(1);
    for (name, store) in stores {
        let login = LoginId::generate();
        let key = store.save(state_of(&login), &ttl).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        let key_text = key.as_ref().to_owned();
        store.delete(&key).await?;
        // A request that read the session before the logout now writes back its last use.
        let written = store.update(key, state_of(&login), &ttl).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        let revived = SessionKey::try_from(key_text.clone()).map_err(|e| anyhow::anyhow!("{e}"))?;
        assert!(store.load(&revived).await.map_err(|e| anyhow::anyhow!("{e}"))?.is_none(), "{name}: revived");
        assert!(
            store.load(&written).await.map_err(|e| anyhow::anyhow!("{e}"))?.is_none(),
            "{name}: a new session appeared"
        );
        assert_eq!(store.end_all_for_login(&login).await?, 0, "{name}");
    }
    Ok(())
}

#[tokio::test]
async fn the_sessions_on_a_closed_account_move_to_the_other_one_or_end() -> anyhow::Result<()> {
    let (stores, _database) = stores().await?;
    let ttl = Duration::hours(1);
    for (name, store) in stores {
        let login = LoginId::generate();
        let closing = state_of(&login);
        let closed_account = kernel::AccountId::from_text(
            serde_json::from_str::<serde_json::Value>(&closing["borderless"])?["identity"]["account_id"]
                .as_str()
                .unwrap_or_default(),
        );
        let on_closed = store.save(closing, &ttl).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        let elsewhere = store.save(state_of(&login), &ttl).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        let open = SessionIdentity {
            login_id: login.clone(),
            person_id: PersonId::generate(),
            account_id: AccountId::generate(),
            account_type: AccountType::Business,
        };
        assert_eq!(store.move_sessions(&login, &closed_account, Some(open.clone())).await?, 1, "{name}");
        let moved = store.load(&on_closed).await.map_err(|e| anyhow::anyhow!("{e}"))?.expect("still there");
        let identity = &serde_json::from_str::<serde_json::Value>(&moved["borderless"])?["identity"];
        assert_eq!(identity["account_id"], open.account_id.as_str(), "{name}");
        assert!(store.load(&elsewhere).await.map_err(|e| anyhow::anyhow!("{e}"))?.is_some(), "{name}");

        assert_eq!(store.move_sessions(&login, &open.account_id, None).await?, 1, "{name}");
        assert!(store.load(&on_closed).await.map_err(|e| anyhow::anyhow!("{e}"))?.is_none(), "{name}: not ended");
    }
    Ok(())
}
