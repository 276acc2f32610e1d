//! changePassword, requestPasswordReset and resetPassword, followed through the mailbox to the end.

use chrono::TimeDelta;
use futures_util::future::join_all;
use serde_json::json;

use crate::harness::{Api, SEED_EMAIL, SEED_PASSWORD};

const CHANGE: &str =
    "mutation($o: String!, $n: String!) { changePassword(oldPassword: $o, newPassword: $n) { message } }";
const REQUEST: &str = "mutation($e: String!) { requestPasswordReset(email: $e) { message } }";
const RESET: &str =
    "mutation($t: String!, $p: String!) { resetPassword(data: { token: $t, newPassword: $p }) { message } }";
const NEW_PASSWORD: &str = "NewPassw0rdNewPassw0rd";
const REQUESTED: &str = "If a login exists for this email, a password reset link has been sent to it.";
const INVALID_LINK: &str = "This link is invalid or has expired.";
const WEAK: &str =
    "Password must be at least 8 characters long and contain an upper-case letter, a lower-case letter and a digit.";

/// The reset links mailed to `email`, newest first.
async fn reset_links(api: &Api, email: &str) -> Vec<String> {
    api.mailbox(email)
        .await
        .iter()
        .filter(|m| m["template"] == "password_reset")
        .filter_map(|m| m["links"][0].as_str().map(str::to_owned))
        .collect()
}

fn token_of(link: &str) -> String {
    link.split("token=").nth(1).expect("a token").to_owned()
}

#[actix_web::test]
async fn changing_the_password_ends_every_other_session_and_keeps_the_callers_under_a_new_id() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    let phone = api.client();
    phone.login(SEED_EMAIL, SEED_PASSWORD).await.assert_ok();
    let before = api.cookie();

    api.graphql(CHANGE, json!({ "o": SEED_PASSWORD, "n": "weak" })).await.assert_refused(
        "changePassword",
        "I-4203",
        WEAK,
    );
    api.graphql(CHANGE, json!({ "o": SEED_PASSWORD, "n": SEED_PASSWORD })).await.assert_refused(
        "changePassword",
        "I-4106",
        "The new password must be different from the current password.",
    );
    let changed = api.graphql(CHANGE, json!({ "o": SEED_PASSWORD, "n": NEW_PASSWORD })).await;
    assert_eq!(changed.assert_ok()["changePassword"]["message"], "Updated password successfully!");
    assert!(api.cookie().is_some() && api.cookie() != before, "the caller's session id is renewed");
    api.account_id().await.assert_ok();
    phone.account_id().await.assert_refused("account", "I-4100", "You must be logged in.");

    let other = api.client();
    other.login(SEED_EMAIL, SEED_PASSWORD).await.assert_refused(
        "login",
        "E-7006",
        "Invalid email or password. Please try again.",
    );
    other.login(SEED_EMAIL, NEW_PASSWORD).await.assert_ok();
    let mail = api.mailbox(SEED_EMAIL).await;
    assert!(mail.iter().any(|m| m["template"] == "password_changed"), "{mail:?}");
}

#[actix_web::test]
async fn the_fifth_wrong_old_password_in_a_row_ends_the_session() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    for _ in 0..4 {
        api.graphql(CHANGE, json!({ "o": "WrongPassw0rd", "n": NEW_PASSWORD })).await.assert_refused(
            "changePassword",
            "E-7001",
            "Incorrect credentials.",
        );
    }
    let fifth = api.graphql(CHANGE, json!({ "o": "WrongPassw0rd", "n": NEW_PASSWORD })).await;
    fifth.assert_refused("changePassword", "E-7006", "Invalid email or password. Please try again.");
    api.account_id().await.assert_refused("account", "I-4100", "You must be logged in.");
}

#[actix_web::test]
async fn a_reset_request_answers_alike_for_every_email_and_mails_only_a_known_one() {
    let api = Api::start_with(&[("PUBLIC_WEB_URL", "https://app.example.test")]).await;
    api.sign_up_seed().await;
    api.graphql(REQUEST, json!({ "e": "not an email" })).await.assert_refused(
        "requestPasswordReset",
        "I-4204",
        "This is not a valid email address.",
    );
    for email in ["nobody@example.com", " DocExample@GetBorderless.com "] {
        let answer = api.graphql(REQUEST, json!({ "e": email })).await;
        assert_eq!(answer.assert_ok()["requestPasswordReset"]["message"], REQUESTED);
    }
    assert!(api.mailbox("nobody@example.com").await.is_empty());
    let links = reset_links(&api, SEED_EMAIL).await;
    assert_eq!(links.len(), 1);
    assert!(links[0].starts_with("https://app.example.test/reset-password?token="), "{links:?}");
    assert_eq!(token_of(&links[0]).len(), 43);

    // Inside the resend interval nothing more is sent, and the first link stays the one that works.
    api.graphql(REQUEST, json!({ "e": SEED_EMAIL })).await.assert_ok();
    assert_eq!(reset_links(&api, SEED_EMAIL).await.len(), 1);
    api.advance(TimeDelta::seconds(61)).await;
    api.graphql(REQUEST, json!({ "e": SEED_EMAIL })).await.assert_ok();
    let links = reset_links(&api, SEED_EMAIL).await;
    assert_eq!(links.len(), 2);
    let older = token_of(&links[1]);
    api.graphql(RESET, json!({ "t": older, "p": NEW_PASSWORD })).await.assert_refused(
        "resetPassword",
        "I-4104",
        INVALID_LINK,
    );
}

#[actix_web::test]
async fn a_reset_sets_the_password_once_ends_every_session_and_verifies_the_email() {
    let api = Api::start_with(&[("LOGIN_MAX_FAILURES", "3")]).await;
    api.sign_up_seed().await;
    let laptop = api.client();
    laptop.login(SEED_EMAIL, SEED_PASSWORD).await.assert_ok();
    let stranger = api.client();
    for _ in 0..3 {
        stranger.login(SEED_EMAIL, "WrongPassw0rd").await;
    }
    api.graphql(REQUEST, json!({ "e": SEED_EMAIL })).await.assert_ok();
    let token = token_of(&reset_links(&api, SEED_EMAIL).await[0]);

    api.graphql(RESET, json!({ "t": "unknown", "p": NEW_PASSWORD })).await.assert_refused(
        "resetPassword",
        "I-4104",
        INVALID_LINK,
    );
    api.graphql(RESET, json!({ "t": token, "p": "weak" })).await.assert_refused("resetPassword", "I-4203", WEAK);
    let reset = api.graphql(RESET, json!({ "t": token, "p": NEW_PASSWORD })).await;
    assert_eq!(
        reset.assert_ok()["resetPassword"]["message"],
        "Your password has been reset. Please log in with your new password."
    );
    assert!(reset.session_cookie().is_some_and(|c| c.contains("Max-Age=0")), "the caller's session of that login ends");
    laptop.account_id().await.assert_refused("account", "I-4100", "You must be logged in.");
    api.graphql(RESET, json!({ "t": token, "p": NEW_PASSWORD })).await.assert_refused(
        "resetPassword",
        "I-4104",
        INVALID_LINK,
    );

    // The failed logins were cleared and the email counts as verified.
    stranger.login(SEED_EMAIL, SEED_PASSWORD).await.assert_refused(
        "login",
        "E-7006",
        "Invalid email or password. Please try again.",
    );
    let login = stranger.login(SEED_EMAIL, NEW_PASSWORD).await;
    assert_eq!(login.assert_ok()["login"]["user"]["emailVerified"], true);
}

#[actix_web::test]
async fn a_reset_link_expires_and_two_uses_at_once_give_one_reset() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    api.graphql(REQUEST, json!({ "e": SEED_EMAIL })).await.assert_ok();
    let first = token_of(&reset_links(&api, SEED_EMAIL).await[0]);
    api.advance(TimeDelta::hours(1) + TimeDelta::seconds(1)).await;
    api.graphql(RESET, json!({ "t": first, "p": NEW_PASSWORD })).await.assert_refused(
        "resetPassword",
        "I-4104",
        INVALID_LINK,
    );

    api.graphql(REQUEST, json!({ "e": SEED_EMAIL })).await.assert_ok();
    let second = token_of(&reset_links(&api, SEED_EMAIL).await[0]);
    let clients: Vec<_> = (0..6).map(|_| api.client()).collect();
    let answers = join_all(clients.iter().map(|c| c.graphql(RESET, json!({ "t": second, "p": NEW_PASSWORD })))).await;
    let reset = answers.iter().filter(|a| a.body.get("errors").is_none()).count();
    let refused = answers.iter().filter(|a| a.error_code() == Some("I-4104")).count();
    assert_eq!((reset, refused), (1, 5), "{answers:#?}");
}
