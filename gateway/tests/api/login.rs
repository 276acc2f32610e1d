use chrono::TimeDelta;
use diesel::prelude::*;
use serde_json::json;

use crate::harness::{Api, SEED_EMAIL, SEED_PASSWORD};

const INVALID: &str = "Invalid email or password. Please try again.";
const THROTTLED: &str = "Too many failed login attempts. Please try again later.";

#[actix_web::test]
async fn logs_in_on_the_first_account_with_a_new_session() {
    let api = Api::start().await;
    let signed_up = api.sign_up_seed().await;
    let sign_up_cookie = api.cookie();
    api.set_cookie(None);

    let answer = api.login(" DocExample@GetBorderless.com ", SEED_PASSWORD).await;
    let user = &answer.assert_ok()["login"]["user"];
    let created = &signed_up.body["data"]["createLoginPersonAndAccount"]["user"];
    assert_eq!(user["loginId"], created["loginId"]);
    assert_eq!(user["account"]["id"], created["account"]["id"]);
    assert_eq!(user["person"]["email"], SEED_EMAIL);
    assert_eq!((user["numAccounts"].as_i64(), user["emailVerified"].as_bool()), (Some(1), Some(false)));
    assert!(api.cookie().is_some() && api.cookie() != sign_up_cookie, "login issues a new session id");
    assert_eq!(api.account_id().await.assert_ok()["account"]["id"], created["account"]["id"]);
    // Other devices stay logged in.
    api.set_cookie(sign_up_cookie);
    api.account_id().await.assert_ok();
}

#[actix_web::test]
async fn unknown_email_wrong_password_and_malformed_email_get_one_answer() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    api.set_cookie(None);
    for (email, password) in
        [(SEED_EMAIL, "WrongPassw0rd"), ("nobody@example.com", SEED_PASSWORD), ("not an email", SEED_PASSWORD)]
    {
        let answer = api.login(email, password).await;
        answer.assert_refused("login", "E-7006", INVALID);
        assert!(answer.session_cookie().is_none());
    }
}

#[actix_web::test]
async fn a_login_whose_accounts_are_all_deactivated_cannot_log_in() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    let mut conn = api.state.pool.get().expect("connection");
    diesel::update(store::schema::accounts::table)
        .set(store::schema::accounts::status.eq("DEACTIVATED"))
        .execute(&mut conn)
        .expect("deactivated");
    api.set_cookie(None);
    api.login(SEED_EMAIL, SEED_PASSWORD).await.assert_refused("login", "E-7006", INVALID);
}

#[actix_web::test]
async fn ten_failures_in_fifteen_minutes_throttle_the_email() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    api.set_cookie(None);
    for _ in 0..10 {
        api.login(SEED_EMAIL, "WrongPassw0rd").await.assert_refused("login", "E-7006", INVALID);
    }
    // Even the right password is refused now, without being checked.
    api.login(SEED_EMAIL, SEED_PASSWORD).await.assert_refused("login", "I-4102", THROTTLED);
    // Unknown emails are throttled alike, so the throttle reveals nothing.
    for _ in 0..10 {
        api.login("ghost@example.com", SEED_PASSWORD).await.assert_refused("login", "E-7006", INVALID);
    }
    api.login(" GHOST@example.com", SEED_PASSWORD).await.assert_refused("login", "I-4102", THROTTLED);

    api.advance(TimeDelta::minutes(15) + TimeDelta::seconds(1)).await;
    api.login(SEED_EMAIL, SEED_PASSWORD).await.assert_ok();
}

#[actix_web::test]
async fn a_successful_login_clears_the_failure_count() {
    let api = Api::start_with(&[("LOGIN_MAX_FAILURES", "3")]).await;
    api.sign_up_seed().await;
    api.set_cookie(None);
    for _ in 0..2 {
        api.login(SEED_EMAIL, "WrongPassw0rd").await.assert_refused("login", "E-7006", INVALID);
    }
    api.login(SEED_EMAIL, SEED_PASSWORD).await.assert_ok();
    for _ in 0..2 {
        api.login(SEED_EMAIL, "WrongPassw0rd").await.assert_refused("login", "E-7006", INVALID);
    }
    api.login(SEED_EMAIL, SEED_PASSWORD).await.assert_ok();
}

#[actix_web::test]
async fn the_extend_secret_gives_a_long_lived_cookie_and_session() {
    let api = Api::start_with(&[("SESSION_EXTEND_SECRET", "KIOSK-SECRET")]).await;
    api.sign_up_seed().await;
    api.set_cookie(None);
    let login = "mutation Login($data: LoginInput!) { login(data: $data) { user { loginId } } }";

    let wrong = api.graphql(login, json!({ "data": { "email": SEED_EMAIL, "password": SEED_PASSWORD, "extendExpirationSecret": "kiosk-secret" } })).await;
    wrong.assert_ok();
    assert!(!wrong.session_cookie().unwrap_or_default().contains("Max-Age"), "a wrong secret gives a default session");

    let extended = api.graphql(login, json!({ "data": { "email": SEED_EMAIL, "password": SEED_PASSWORD, "extendExpirationSecret": "KIOSK-SECRET" } })).await;
    extended.assert_ok();
    let cookie = extended.session_cookie().expect("cookie");
    assert!(cookie.contains(&format!("Max-Age={}", 90 * 24 * 3600)), "{cookie}");

    // Past the default limits (12 h idle, 7 days in all) the extended session lives on, until its own 30 days idle.
    api.advance(TimeDelta::days(8)).await;
    let used = api.account_id().await;
    used.assert_ok();
    // Rewriting the session keeps the cookie alive until the session's own limit, 82 days from here.
    let cookie = used.session_cookie().expect("the session's use is written back");
    let max_age: i64 = cookie
        .split("Max-Age=")
        .nth(1)
        .and_then(|v| v.split(';').next())
        .and_then(|v| v.parse().ok())
        .expect("Max-Age");
    assert!((82 * 24 * 3600 - 5..=82 * 24 * 3600).contains(&max_age), "{cookie}");
    api.advance(TimeDelta::days(30) + TimeDelta::seconds(1)).await;
    api.account_id().await.assert_refused("account", "I-4100", "You must be logged in.");
}

#[actix_web::test]
async fn the_extend_secret_does_nothing_when_unset() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    api.set_cookie(None);
    let answer = api
        .graphql(
            "mutation { login(data: { email: \"docexample@getborderless.com\", password: \"stRONgPassW0Rdh3r3\", extendExpirationSecret: \"\" }) { user { loginId } } }",
            json!({}),
        )
        .await;
    answer.assert_ok();
    assert!(!answer.session_cookie().unwrap_or_default().contains("Max-Age"));
}

#[actix_web::test]
async fn parallel_wrong_passwords_get_at_most_the_allowed_failures_and_then_the_throttle() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    let clients: Vec<_> = (0..40).map(|_| api.client()).collect();
    let answers = futures_util::future::join_all(clients.iter().map(|c| c.login(SEED_EMAIL, "WrongPassw0rd"))).await;
    let failed = answers.iter().filter(|a| a.error_code() == Some("E-7006")).count();
    let throttled = answers.iter().filter(|a| a.error_code() == Some("I-4102")).count();
    assert_eq!(failed + throttled, 40, "{answers:#?}");
    assert_eq!(failed, 10, "exactly LOGIN_MAX_FAILURES attempts were checked");
    api.login(SEED_EMAIL, SEED_PASSWORD).await.assert_refused("login", "I-4102", THROTTLED);
}
