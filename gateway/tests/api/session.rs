use chrono::TimeDelta;
use serde_json::json;

use crate::harness::{Api, SEED_EMAIL, SEED_PASSWORD};

const LOGGED_OUT: &str = "You must be logged in.";

#[actix_web::test]
async fn logout_deletes_the_session_on_the_server() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    let old = api.cookie();
    let answer = api.graphql("mutation { logout { message } }", json!({})).await;
    assert_eq!(answer.assert_ok()["logout"]["message"], "Logged out");
    let cleared = answer.session_cookie().expect("a removal cookie");
    assert!(cleared.starts_with("borderless_session=;") && cleared.contains("Max-Age=0"), "{cleared}");
    assert_eq!(api.cookie(), None);

    // Replaying the old cookie is anonymous: the server forgot it.
    api.set_cookie(old);
    api.account_id().await.assert_refused("account", "I-4100", LOGGED_OUT);
}

#[actix_web::test]
async fn logout_always_succeeds_and_clears_the_cookie() {
    let api = Api::start().await;
    let answer = api.graphql("mutation { logout { message } }", json!({})).await;
    assert_eq!(answer.assert_ok()["logout"]["message"], "Logged out");
    let cleared = answer.session_cookie().expect("a removal cookie without a session");
    for attribute in ["Max-Age=0", "Path=/", "HttpOnly", "SameSite=Lax"] {
        assert!(cleared.contains(attribute), "{cleared}");
    }
    api.set_cookie(Some("forged-or-forgotten".into()));
    api.graphql("mutation { logout { message } }", json!({})).await.assert_ok();
}

#[actix_web::test]
async fn a_new_session_replaces_the_one_the_request_named() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    let first = api.cookie();
    api.login(SEED_EMAIL, SEED_PASSWORD).await.assert_ok();
    let second = api.cookie();
    assert_ne!(first, second);
    api.set_cookie(first);
    api.account_id().await.assert_refused("account", "I-4100", LOGGED_OUT);

    // A sign-up sent with someone's cookie ends that session too.
    api.set_cookie(second.clone());
    api.sign_up_person("other@example.com").await;
    api.set_cookie(second);
    api.account_id().await.assert_refused("account", "I-4100", LOGGED_OUT);
}

#[actix_web::test]
async fn an_idle_session_expires() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    api.advance(TimeDelta::hours(11)).await;
    api.account_id().await.assert_ok();
    // The use above moved the idle deadline: 11 more hours are fine, 12 without a request are not.
    api.advance(TimeDelta::hours(11)).await;
    api.account_id().await.assert_ok();
    api.advance(TimeDelta::hours(12) + TimeDelta::seconds(1)).await;
    api.account_id().await.assert_refused("account", "I-4100", LOGGED_OUT);
}

#[actix_web::test]
async fn anonymous_operations_do_not_touch_the_session() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    api.advance(TimeDelta::hours(11)).await;
    api.graphql("mutation { healthCheck { message } }", json!({})).await.assert_ok();
    api.advance(TimeDelta::hours(2)).await;
    api.account_id().await.assert_refused("account", "I-4100", LOGGED_OUT);
}

#[actix_web::test]
async fn logout_deletes_even_an_expired_session() {
    use diesel::prelude::*;
    let api = Api::start().await;
    api.sign_up_seed().await;
    api.advance(TimeDelta::days(8)).await;
    api.graphql("mutation { logout { message } }", json!({})).await.assert_ok();
    let mut conn = api.state.pool.get().expect("connection");
    let left: i64 = store::schema::sessions::table.count().get_result(&mut conn).expect("count");
    assert_eq!(left, 0);
}

#[actix_web::test]
async fn a_used_session_still_ends_at_its_absolute_limit() {
    let api = Api::start_with(&[("SESSION_IDLE_TIMEOUT", "1h"), ("SESSION_MAX_AGE", "3h")]).await;
    api.sign_up_seed().await;
    // Used every 50 minutes, it never idles out, but 200 minutes after login it has passed its 3 hours.
    for _ in 0..3 {
        api.advance(TimeDelta::minutes(50)).await;
        api.account_id().await.assert_ok();
    }
    api.advance(TimeDelta::minutes(50)).await;
    api.account_id().await.assert_refused("account", "I-4100", LOGGED_OUT);
}

#[actix_web::test]
async fn logging_in_with_an_expired_cookie_starts_a_fresh_session() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    api.advance(TimeDelta::days(8)).await;
    api.login(SEED_EMAIL, SEED_PASSWORD).await.assert_ok();
    api.account_id().await.assert_ok();
}

#[actix_web::test]
async fn the_server_keeps_only_a_digest_of_the_session_id() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    let cookie = api.cookie().expect("a session cookie");
    let stored = api.stored_session_ids();
    assert_eq!(stored.len(), 1, "one session");
    assert!(stored[0].len() == 64 && stored[0].chars().all(|c| c.is_ascii_hexdigit()), "{stored:?}");
    assert!(!cookie.contains(&stored[0]), "the cookie's id is stored as it is");
}

#[actix_web::test]
async fn requests_in_flight_during_a_logout_never_bring_the_session_back() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    let cookie = api.cookie();
    // Past the write-back step, so each of these requests writes the session's last use when it ends.
    api.advance(TimeDelta::minutes(5)).await;
    let clients: Vec<_> = (0..12).map(|_| api.client()).collect();
    for client in &clients {
        client.set_cookie(cookie.clone());
    }
    let reads = futures_util::future::join_all(clients.iter().map(|c| c.account_id()));
    let logout = api.graphql("mutation { logout { message } }", json!({}));
    let (reads, logout) = futures_util::future::join(reads, logout).await;
    logout.assert_ok();
    assert!(reads.iter().all(|r| r.error_code().is_none() || r.error_code() == Some("I-4100")), "{reads:#?}");
    for client in &clients {
        client.account_id().await.assert_refused("account", "I-4100", LOGGED_OUT);
    }
    assert_eq!(api.stored_session_ids(), Vec::<String>::new(), "a late write recreated the session");
}
