//! A second account, closing an account, staff blocking one, and confirming the login's email.

use chrono::TimeDelta;
use diesel::prelude::*;
use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::harness::{Api, SEED_EMAIL, SEED_PASSWORD};

const ADD: &str = "mutation Add($t: AccountType!) { addAccountToPerson(accountType: $t) { user { loginId numAccounts emailVerified account { id accountType status country currency } } } }";
const DEACTIVATE: &str =
    "mutation Close($p: String!, $r: String!) { deactivateAccount(password: $p, reason: $r) { message } }";
const DISABLED: &str = "This account is disabled. Please contact support.";

async fn add(api: &Api, account_type: &str) -> crate::harness::Answer {
    api.graphql(ADD, json!({ "t": account_type })).await
}

async fn deactivate(api: &Api, password: &str, reason: &str) -> crate::harness::Answer {
    api.graphql(DEACTIVATE, json!({ "p": password, "r": reason })).await
}

async fn current_account(api: &Api) -> Value {
    api.graphql("query { account { id accountType status } }", json!({})).await.assert_ok()["account"].clone()
}

/// The events recorded for the account, oldest first, as `(event, claims)`.
fn events(api: &Api, account_id: &str) -> Vec<(String, Value)> {
    use store::schema::events;
    let mut conn = api.state.pool.get().expect("connection");
    let rows: Vec<(String, String)> = events::table
        .filter(events::account_id.eq(account_id))
        .order((events::created_at.asc(), events::id.asc()))
        .select((events::event, events::claims))
        .load(&mut conn)
        .expect("events");
    rows.into_iter().map(|(event, claims)| (event, serde_json::from_str(&claims).expect("JSON claims"))).collect()
}

#[actix_web::test]
async fn a_second_account_of_the_other_type_becomes_current_with_a_new_session_id() {
    let api = Api::start().await;
    let first = api.sign_up_seed().await.body["data"]["createLoginPersonAndAccount"]["user"]["account"]["id"].clone();
    let old_cookie = api.cookie();
    let answer = add(&api, "PERSONAL").await;
    let user = &answer.assert_ok()["addAccountToPerson"]["user"];
    assert_eq!(user["numAccounts"], 2);
    assert_eq!(user["account"]["accountType"], "PERSONAL");
    assert_eq!((user["account"]["country"].as_str(), user["account"]["currency"].as_str()), (Some("US"), Some("USD")));
    assert_eq!(user["account"]["status"], "NOT_SETUP");
    assert_ne!(user["account"]["id"], first);
    assert!(answer.session_cookie().is_some() && api.cookie() != old_cookie, "the session id is renewed");
    assert_eq!(current_account(&api).await["id"], user["account"]["id"]);
    let replayed = api.client();
    replayed.set_cookie(old_cookie);
    replayed.account_id().await.assert_refused("account", "I-4100", "You must be logged in.");
    drop(replayed);

    add(&api, "BUSINESS").await.assert_refused(
        "addAccountToPerson",
        "I-4402",
        "You have reached your limit for accounts with this email.",
    );
}

#[actix_web::test]
async fn the_same_type_twice_is_refused_even_when_asked_for_at_once() {
    let api = Api::start().await;
    api.sign_up_person("jane@example.com").await;
    add(&api, "PERSONAL").await.assert_refused(
        "addAccountToPerson",
        "I-4403",
        "You have already created an account of this account type.",
    );
    let cookie = api.cookie();
    let clients: Vec<_> = (0..6).map(|_| api.client()).collect();
    for client in &clients {
        client.set_cookie(cookie.clone());
    }
    let answers = join_all(clients.iter().map(|c| c.graphql(ADD, json!({ "t": "BUSINESS" })))).await;
    let opened = answers.iter().filter(|a| a.body.get("errors").is_none()).count();
    let refused: Vec<_> = answers.iter().filter_map(|a| a.error_code()).collect();
    assert_eq!(opened, 1, "{answers:#?}");
    // The winner renews the session id, so a request that arrives after it finds no session (I-4100).
    assert!(refused.iter().all(|code| ["I-4403", "I-4402", "I-4100"].contains(code)), "{refused:?}");
    let mut conn = api.state.pool.get().expect("connection");
    let business: i64 = store::schema::accounts::table
        .filter(store::schema::accounts::account_type.eq("BUSINESS"))
        .count()
        .get_result(&mut conn)
        .expect("count");
    assert_eq!(business, 1);
}

#[actix_web::test]
async fn staff_can_block_and_unblock_an_account_and_a_blocked_account_cannot_change() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    let account_id = current_account(&api).await["id"].as_str().expect("id").to_owned();
    assert_eq!(
        api.admin(&["disable-account", &account_id]).await,
        json!({ "accountId": account_id, "status": "DISABLED" })
    );
    assert_eq!(current_account(&api).await["status"], "DISABLED", "its owner can still read it");
    add(&api, "PERSONAL").await.assert_refused("addAccountToPerson", "I-4430", DISABLED);
    deactivate(&api, SEED_PASSWORD, "closing").await.assert_refused("deactivateAccount", "I-4430", DISABLED);
    let again = gateway::admin::execute(&api.state.admin_context(), &["disable-account", &account_id]).await;
    assert!(again.is_err_and(|e| e.to_string().contains("cannot be disabled")));

    assert_eq!(
        api.admin(&["enable-account", &account_id]).await,
        json!({ "accountId": account_id, "status": "NOT_SETUP" })
    );
    add(&api, "PERSONAL").await.assert_ok();
    let unknown = gateway::admin::execute(&api.state.admin_context(), &["enable-account", "no-such-account"]).await;
    assert!(unknown.is_err_and(|e| e.to_string().contains("no account has the id no-such-account")));
    let statuses: Vec<Value> = events(&api, &account_id).into_iter().map(|(_, claims)| claims).collect();
    assert_eq!(
        statuses,
        vec![
            json!({ "previousStatus": "NOT_SETUP", "status": "DISABLED" }),
            json!({ "previousStatus": "DISABLED", "status": "NOT_SETUP" }),
        ]
    );
}

#[actix_web::test]
async fn deactivation_needs_a_reason_and_the_password_and_five_wrong_ones_end_the_session() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    for reason in ["", "   ", &"x".repeat(501)] {
        deactivate(&api, SEED_PASSWORD, reason).await.assert_refused(
            "deactivateAccount",
            "I-4408",
            "A reason of 1 to 500 characters is required to deactivate the account.",
        );
    }
    for _ in 0..4 {
        deactivate(&api, "WrongPassw0rd", "moving on").await.assert_refused(
            "deactivateAccount",
            "E-7004",
            "The password you entered is incorrect.",
        );
        current_account(&api).await;
    }
    let fifth = deactivate(&api, "WrongPassw0rd", "moving on").await;
    fifth.assert_refused("deactivateAccount", "E-7004", "The password you entered is incorrect.");
    assert!(
        fifth.session_cookie().is_some_and(|c| c.contains("Max-Age=0")),
        "the fifth wrong password ends the session"
    );
    api.account_id().await.assert_refused("account", "I-4100", "You must be logged in.");
}

#[actix_web::test]
async fn deactivating_moves_the_session_to_the_other_account_then_closes_the_login() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    let business = current_account(&api).await["id"].as_str().expect("id").to_owned();
    add(&api, "PERSONAL").await.assert_ok();
    let personal = current_account(&api).await["id"].as_str().expect("id").to_owned();
    let other_device = api.client();
    other_device.login(SEED_EMAIL, SEED_PASSWORD).await.assert_ok();

    let closed = deactivate(&api, SEED_PASSWORD, " no longer needed ").await;
    assert_eq!(closed.assert_ok()["deactivateAccount"]["message"], "Your account has been deactivated.");
    assert_eq!(current_account(&api).await["id"], business, "the session moved to the open account");
    // A session of the login on the other account is left as it was.
    assert_eq!(other_device.account_id().await.assert_ok()["account"]["id"], business);
    assert_eq!(events(&api, &personal).last().map(|(_, c)| c["status"].clone()), Some(json!("DEACTIVATED")));
    add(&api, "PERSONAL").await.assert_refused(
        "addAccountToPerson",
        "I-4402",
        "You have reached your limit for accounts with this email.",
    );

    let last = deactivate(&api, SEED_PASSWORD, "done").await;
    last.assert_ok();
    assert!(last.session_cookie().is_some_and(|c| c.contains("Max-Age=0")), "no open account left: session ended");
    other_device.account_id().await.assert_refused("account", "I-4100", "You must be logged in.");
    api.login(SEED_EMAIL, SEED_PASSWORD).await.assert_refused(
        "login",
        "E-7006",
        "Invalid email or password. Please try again.",
    );
}

/// The token of the newest verification link sent to `email`.
async fn newest_link(api: &Api, email: &str) -> String {
    let mail = api.mailbox(email).await;
    mail.iter()
        .find(|m| m["template"] == "email_verification")
        .and_then(|m| m["links"][0].as_str())
        .expect("a link")
        .to_owned()
}

async fn open(api: &Api, link: &str) -> crate::harness::Answer {
    let path =
        link.split_once("/verify-email").map(|(_, rest)| format!("/verify-email{rest}")).expect("a verify-email link");
    api.get(&path).await
}

#[actix_web::test]
async fn the_emailed_link_confirms_the_address_once() {
    let api = Api::start().await;
    api.sign_up_person("jane@example.com").await;
    let link = newest_link(&api, "jane@example.com").await;
    let confirmed = open(&api, &link).await;
    assert_eq!(confirmed.status, actix_web::http::StatusCode::OK);
    assert!(
        confirmed
            .body
            .as_str()
            .is_some_and(|page| page.contains("confirmed") && page.contains("http://localhost:8000"))
    );
    let person = api.graphql("query { person { emailVerified } }", json!({})).await;
    assert_eq!(person.assert_ok()["person"]["emailVerified"], true);

    let again = open(&api, &link).await;
    assert_eq!(again.status, actix_web::http::StatusCode::BAD_REQUEST);
    assert!(again.body.as_str().is_some_and(|page| page.contains("This link is invalid or has expired. (I-4104)")));
    for bad in ["/verify-email?token=nonsense", "/verify-email"] {
        assert_eq!(api.get(bad).await.status, actix_web::http::StatusCode::BAD_REQUEST, "{bad}");
    }
    api.graphql("mutation { resendEmailVerification { message } }", json!({})).await.assert_refused(
        "resendEmailVerification",
        "I-4341",
        "This email address is already verified.",
    );
}

#[actix_web::test]
async fn a_new_link_waits_a_minute_voids_the_old_one_and_links_expire() {
    let api = Api::start().await;
    api.sign_up_person("jane@example.com").await;
    let resend = "mutation { resendEmailVerification { message } }";
    api.graphql(resend, json!({})).await.assert_refused(
        "resendEmailVerification",
        "I-4342",
        "A verification email was sent less than a minute ago. Please wait before asking again.",
    );
    let first = newest_link(&api, "jane@example.com").await;
    api.advance(TimeDelta::seconds(61)).await;
    let sent = api.graphql(resend, json!({})).await;
    assert_eq!(sent.assert_ok()["resendEmailVerification"]["message"], "Verification email sent to jane@example.com");
    let second = newest_link(&api, "jane@example.com").await;
    assert_ne!(first, second);
    assert_eq!(open(&api, &first).await.status, actix_web::http::StatusCode::BAD_REQUEST, "the older link is void");

    api.advance(TimeDelta::days(7) + TimeDelta::seconds(1)).await;
    assert_eq!(open(&api, &second).await.status, actix_web::http::StatusCode::BAD_REQUEST, "expired");
    api.graphql("mutation { resendEmailVerification { message } }", json!({})).await.assert_refused(
        "resendEmailVerification",
        "I-4100",
        "You must be logged in.",
    );
}
