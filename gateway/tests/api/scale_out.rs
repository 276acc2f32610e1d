//! Several instances on one database behave as one service (issue 16, acceptance 5): two `borderless`
//! processes share the sessions (in the database, or in Redis with `TEST_REDIS_URL`), so a session started on
//! one is used and ended on the other, and the ended one is refused by the first at its next request; the
//! sessions a password change or a deactivation on one end are refused by the other at their next request; the
//! settlement both run in the background takes each payment through each step once.

use std::time::Duration;

use serde_json::{Value, json};

use crate::fixtures::{payer_and_session, price_session};
use crate::harness::{Api, SEED_PASSWORD};
use crate::payment_settlement::{assert_ledger_balanced, history, status, status_events, submit};
use crate::processes::{Browser, Served};

/// Settlement delays of a second each, so the processes' own job runners settle a payment in real time.
const QUICK: &[(&str, &str)] = &[
    ("SETTLEMENT_COLLECT_AFTER", "1s"),
    ("SETTLEMENT_PAYOUT_AFTER", "1s"),
    ("SETTLEMENT_ARRIVE_LOCAL_AFTER", "1s"),
    ("SETTLEMENT_ARRIVE_INTERNATIONAL_AFTER", "1s"),
];

fn code(answer: &Value) -> Option<&str> {
    answer["errors"][0]["extensions"]["code"].as_str()
}

#[actix_web::test]
async fn a_session_started_on_one_instance_is_used_and_ended_on_the_other() {
    let api = Api::start().await;
    let (one, two) = (Served::start(&api, &[]), Served::start(&api, &[]));
    let browser = Browser::default();
    let sign_up = browser
        .graphql(
            &one.address,
            "mutation($data: CreateLoginPersonAndAccountInput!) { createLoginPersonAndAccount(data: $data) { user { loginId } } }",
            json!({ "data": { "accountType": "PERSONAL", "country": "US", "email": "both@example.com",
                              "password": SEED_PASSWORD } }),
        )
        .await;
    assert_eq!(code(&sign_up), None, "{sign_up}");
    let on_two = browser.graphql(&two.address, "query { person { email } }", json!({})).await;
    assert_eq!(on_two["data"]["person"]["email"], "both@example.com", "{on_two}");

    let kept = browser.cookie();
    let logout = browser.graphql(&two.address, "mutation { logout { message } }", json!({})).await;
    assert_eq!(code(&logout), None, "{logout}");
    // The old cookie, sent again to the first instance at once, names no session any more.
    browser.set_cookie(kept);
    let refused = browser.graphql(&one.address, "query { person { email } }", json!({})).await;
    assert_eq!(code(&refused), Some("I-4100"), "{refused}");
}

const SIGN_UP: &str = "mutation($data: CreateLoginPersonAndAccountInput!) { createLoginPersonAndAccount(data: $data) { user { loginId } } }";
const ACCOUNT: &str = "query { account { accountType status } }";

/// Signs up on `one` and logs the same login in again on `two`: two browsers, one session each.
async fn two_sessions(one: &Served, two: &Served, email: &str) -> (Browser, Browser) {
    let first = Browser::default();
    let data = json!({ "accountType": "PERSONAL", "country": "US", "email": email, "password": SEED_PASSWORD });
    let sign_up = first.graphql(&one.address, SIGN_UP, json!({ "data": data })).await;
    assert_eq!(code(&sign_up), None, "{sign_up}");
    let second = Browser::default();
    let login = second
        .graphql(
            &two.address,
            "mutation($data: LoginInput!) { login(data: $data) { user { loginId } } }",
            json!({ "data": { "email": email, "password": SEED_PASSWORD } }),
        )
        .await;
    assert_eq!(code(&login), None, "{login}");
    // Each instance has served each session once, as a cache of sessions would have kept them.
    for (browser, served) in [(&first, one), (&first, two), (&second, one), (&second, two)] {
        let account = browser.graphql(&served.address, ACCOUNT, json!({})).await;
        assert_eq!(account["data"]["account"]["accountType"], "PERSONAL", "{account}");
    }
    (first, second)
}

/// Two sessions of one login, each served by both instances; `mutation` run with the second on instance two
/// must end the first, which instance one then refuses at its next request.
async fn ended_on_two_is_refused_on_one(email: &str, mutation: &str, variables: Value) {
    let api = Api::start().await;
    let (one, two) = (Served::start(&api, &[]), Served::start(&api, &[]));
    let (first, second) = two_sessions(&one, &two, email).await;
    let ended = second.graphql(&two.address, mutation, variables).await;
    assert_eq!(code(&ended), None, "{ended}");
    let refused = first.graphql(&one.address, ACCOUNT, json!({})).await;
    assert_eq!(code(&refused), Some("I-4100"), "{refused}");
}

#[actix_web::test]
async fn a_password_change_on_one_instance_ends_the_login_s_sessions_on_the_other() {
    ended_on_two_is_refused_on_one(
        "changes@example.com",
        "mutation($old: String!, $new: String!) { changePassword(oldPassword: $old, newPassword: $new) { message } }",
        json!({ "old": SEED_PASSWORD, "new": "An0ther-Passw0rd-Here" }),
    )
    .await;
}

#[actix_web::test]
async fn a_deactivation_on_one_instance_is_seen_by_the_other_at_the_next_request() {
    ended_on_two_is_refused_on_one(
        "closes@example.com",
        "mutation($p: String!) { deactivateAccount(password: $p, reason: \"closing\") { message } }",
        json!({ "p": SEED_PASSWORD }),
    )
    .await;
}

#[actix_web::test]
async fn two_instances_settling_in_the_background_take_each_step_once() {
    let api = Api::start_with(QUICK).await;
    let (_one, _two) = (Served::start(&api, QUICK), Served::start(&api, QUICK));
    let (payer, _) = payer_and_session(&api).await;
    price_session(&api, &payer, 35.0).await;
    let id = submit(&payer).await;
    for _ in 0..100 {
        if status(&api, &id) == "COMPLETE" {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    }
    let steps: Vec<String> = history(&api, &id).into_iter().map(|(status, _)| status).collect();
    assert_eq!(steps, ["PENDING", "PROCESSING", "IN_TRANSIT", "COMPLETE"]);
    // Three transitions, each told once to each of the two accounts, and one posting set each.
    assert_eq!(status_events(&api, &id).len(), 6);
    assert_ledger_balanced(&api, 3).await;
}
