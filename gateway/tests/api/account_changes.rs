//! Account changes and invitations: updateAccount, sendInvitationEmail and sendInvitedRegisterEmail.

use chrono::TimeDelta;
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::harness::{Answer, Api, Client, SEED_EMAIL, SEED_PASSWORD};

const UPDATE: &str = "mutation Profile($data: UpdateAccountInput!) { updateAccount(data: $data) { message } }";
const ACCOUNT: &str = "query { account { id status slug displayName phone phoneCountryCode addressLine1 addressLine2 city zoneCode postalCode redirectUrl } }";
const INVITE: &str = "mutation Invite($to: String!) { sendInvitationEmail(toEmail: $to) { message } }";
const REMIND: &str = "mutation Remind($email: String!) { sendInvitedRegisterEmail(email: $email) { message } }";

const UPDATED: &str = "Account successfully updated";
const LOGIN_REQUIRED: &str = "You must be logged in.";
const NOT_SET_UP: &str = "Finish setting up your account before changing it.";
const DISABLED: &str = "This account is disabled. Please contact support.";
const BAD_DISPLAY_NAME: &str = "Display name must be 1 to 64 characters long.";
const BAD_PHONE: &str = "This is not a valid phone number for the selected country.";
const BAD_ADDRESS: &str = "Address line 1 and city cannot be empty, and no address field may exceed 100 characters.";
const BAD_ZONE: &str = "This is not a valid zone code for your country.";
const BAD_POSTAL: &str = "This is not a valid postal code for your country.";
const HANDLE_FIXED: &str = "Your PayMe Handle cannot be changed once it is set.";
const HANDLE_EXISTS: &str = "A user with this @handle already exists.";
const BUSINESS_ONLY: &str = "This is only available to business accounts.";
const BAD_REDIRECT: &str = "Redirect URL must be an absolute https URL of at most 2048 characters.";
const BAD_EMAIL: &str = "This is not a valid email address.";
const HAS_LOGIN: &str = "An account already exists with this email address.";
const ALREADY_INVITED: &str = "An invitation was already sent to this email address in the last 24 hours.";
const TOO_MANY: &str = "You have sent too many invitations in the last 24 hours. Please try again later.";
const NOTHING_WAITING: &str = "Your account has no payment request or claim payment waiting for this email address.";

/// Moves the clock and logs the seed in again: a day ends any session.
async fn advance(api: &Api, by: TimeDelta) {
    api.advance(by).await;
    api.login(SEED_EMAIL, SEED_PASSWORD).await.assert_ok();
}

async fn update(client: &Client, data: Value) -> Answer {
    client.graphql(UPDATE, json!({ "data": data })).await
}

async fn account(client: &Client) -> Value {
    client.graphql(ACCOUNT, json!({})).await.assert_ok()["account"].clone()
}

async fn invite(client: &Client, to: &str) -> Answer {
    client.graphql(INVITE, json!({ "to": to })).await
}

async fn remind(client: &Client, email: &str) -> Answer {
    client.graphql(REMIND, json!({ "email": email })).await
}

#[track_caller]
fn assert_updated(answer: &Answer) {
    assert_eq!(answer.assert_ok()["updateAccount"]["message"], UPDATED);
}

/// Moves the current account past NOT_SETUP with a direct SQL update through the server's pool: what a
/// submitted setup session would leave, without its many fields (setup_session.rs covers the submit).
async fn mark_set_up(api: &Api, client: &Client) -> String {
    let id = account(client).await["id"].as_str().expect("an account id").to_owned();
    let mut conn = api.state.pool.get().expect("connection");
    diesel::update(store::schema::accounts::table.find(&id))
        .set(store::schema::accounts::status.eq("SETUP_SUBMITTED"))
        .execute(&mut conn)
        .expect("status set");
    id
}

#[actix_web::test]
async fn update_account_saves_the_given_fields_and_leaves_the_others() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    mark_set_up(&api, &api).await;

    assert_updated(
        &update(
            &api,
            json!({ "displayName": " Acme ", "phone": "(201) 555-0123", "addressLine1": "1 Market St",
                    "addressLine2": "Suite 5", "city": "San Francisco", "zoneCode": "us-ca", "postalCode": "94105",
                    "slug": "AcmeWidgets", "redirectUrl": "https://acme.example/thanks" }),
        )
        .await,
    );
    let saved = account(&api).await;
    assert_eq!(saved["displayName"], "Acme");
    assert_eq!(saved["phone"], "2015550123");
    assert_eq!(saved["zoneCode"], "US-CA");
    assert_eq!(saved["addressLine2"], "Suite 5");
    assert_eq!(saved["slug"], "AcmeWidgets");
    assert_eq!(saved["redirectUrl"], "https://acme.example/thanks");
    assert_eq!(saved["status"], "SETUP_SUBMITTED");

    // No field, empty strings: nothing changes. `null` clears addressLine2 and redirectUrl only.
    assert_updated(&update(&api, json!({})).await);
    assert_updated(&update(&api, json!({ "displayName": "  ", "city": "" })).await);
    assert_updated(&update(&api, json!({ "addressLine2": null, "redirectUrl": null, "slug": "AcmeWidgets" })).await);
    let after = account(&api).await;
    assert_eq!(after["displayName"], "Acme");
    assert_eq!(after["city"], "San Francisco");
    assert_eq!(after["addressLine2"], Value::Null);
    assert_eq!(after["redirectUrl"], Value::Null);
    assert_eq!(after["slug"], "AcmeWidgets");

    // The phone's country alone re-checks the stored number for it.
    update(&api, json!({ "phoneCountryCode": "FR" })).await.assert_refused("updateAccount", "I-4415", BAD_PHONE);
    assert_updated(&update(&api, json!({ "phone": "+1 201 555 0123", "phoneCountryCode": "US" })).await);
    assert_eq!(account(&api).await["phoneCountryCode"], "US");
}

#[actix_web::test]
async fn update_account_refuses_each_rule_in_order() {
    let api = Api::start().await;
    update(&api, json!({})).await.assert_refused("updateAccount", "I-4100", LOGIN_REQUIRED);
    api.sign_up_seed().await;
    update(&api, json!({ "displayName": "Acme" })).await.assert_refused("updateAccount", "I-4413", NOT_SET_UP);
    let id = mark_set_up(&api, &api).await;

    let long = "a".repeat(101);
    let cases = [
        (json!({ "displayName": "x".repeat(65) }), "I-4416", BAD_DISPLAY_NAME),
        (json!({ "displayName": null }), "I-4416", BAD_DISPLAY_NAME),
        (json!({ "displayName": "x".repeat(65), "phone": "123" }), "I-4416", BAD_DISPLAY_NAME),
        (json!({ "phone": "123" }), "I-4415", BAD_PHONE),
        (json!({ "phone": null }), "I-4415", BAD_PHONE),
        (json!({ "phoneCountryCode": "AQ" }), "I-4415", BAD_PHONE),
        (json!({ "addressLine1": long }), "I-4417", BAD_ADDRESS),
        (json!({ "addressLine2": "a\u{7}b" }), "I-4417", BAD_ADDRESS),
        (json!({ "city": null }), "I-4417", BAD_ADDRESS),
        (json!({ "zoneCode": "GB-LND" }), "I-4418", BAD_ZONE),
        (json!({ "postalCode": "9410" }), "I-4419", BAD_POSTAL),
        (json!({ "slug": "acme-co" }), "I-4306", "Invalid Handle: Handle format is incorrect"),
        (json!({ "slug": "ab" }), "I-4307", "Invalid Handle: Handle must be 3 or more characters"),
        (json!({ "slug": "a".repeat(25) }), "I-4308", "Invalid Handle: Handle must be less than 25 characters"),
        (json!({ "slug": "Admin" }), "I-4317", "This PayMe Handle is reserved."),
        (json!({ "redirectUrl": "http://acme.example/thanks" }), "I-4431", BAD_REDIRECT),
        (json!({ "redirectUrl": "https://user:pw@acme.example/" }), "I-4431", BAD_REDIRECT),
        (json!({ "redirectUrl": format!("https://acme.example/{}", "a".repeat(2048)) }), "I-4431", BAD_REDIRECT),
    ];
    for (data, code, message) in cases {
        let answer = update(&api, data.clone()).await;
        assert_eq!(answer.error_code(), Some(code), "{data}: {:?}", answer.body);
        answer.assert_refused("updateAccount", code, message);
    }
    // The first failure saves nothing.
    update(&api, json!({ "displayName": "Acme", "postalCode": "x" })).await.assert_refused(
        "updateAccount",
        "I-4419",
        BAD_POSTAL,
    );
    assert_eq!(account(&api).await["displayName"], Value::Null);

    // Handles: held elsewhere (ignoring case), then fixed once set.
    let other = api.client();
    other.sign_up_person("taken@example.com").await;
    mark_set_up(&api, &other).await;
    assert_updated(&update(&other, json!({ "slug": "TakenOne" })).await);
    update(&api, json!({ "slug": "takenone" })).await.assert_refused("updateAccount", "I-4309", HANDLE_EXISTS);
    assert_updated(&update(&api, json!({ "slug": null })).await);
    assert_updated(&update(&api, json!({ "slug": "Mine" })).await);
    update(&api, json!({ "slug": "Other" })).await.assert_refused("updateAccount", "I-4414", HANDLE_FIXED);
    update(&api, json!({ "slug": "mine" })).await.assert_refused("updateAccount", "I-4414", HANDLE_FIXED);
    update(&api, json!({ "slug": null })).await.assert_refused("updateAccount", "I-4414", HANDLE_FIXED);

    // A personal account has no redirect URL, `null` included.
    for data in [json!({ "redirectUrl": "https://acme.example/" }), json!({ "redirectUrl": null })] {
        update(&other, data).await.assert_refused("updateAccount", "I-4105", BUSINESS_ONLY);
    }

    api.admin(&["disable-account", &id]).await;
    update(&api, json!({ "displayName": "Acme" })).await.assert_refused("updateAccount", "I-4430", DISABLED);
}

#[actix_web::test]
async fn an_invitation_reaches_the_transport_and_names_the_inviter() {
    let api = Api::start().await;
    invite(&api, "new@example.com").await.assert_refused("sendInvitationEmail", "I-4100", LOGIN_REQUIRED);
    api.sign_up_seed().await;

    let answer = invite(&api, " New.Person@Example.com ").await;
    assert_eq!(answer.assert_ok()["sendInvitationEmail"]["message"], "Invitation email sent to new.person@example.com");
    let mail = api.mailbox("new.person@example.com").await;
    assert_eq!(mail.len(), 1, "{mail:?}");
    assert_eq!(mail[0]["template"], "invitation");
    assert_eq!(mail[0]["links"][0], "http://localhost:8000/sign-up?email=new.person%40example.com");
    assert!(mail[0]["text"].as_str().is_some_and(|text| text.contains(SEED_EMAIL)), "{mail:?}");

    // Named by the display name once there is one.
    mark_set_up(&api, &api).await;
    assert_updated(&update(&api, json!({ "displayName": "Acme Widgets" })).await);
    invite(&api, "second@example.com").await.assert_ok();
    let mail = api.mailbox("second@example.com").await;
    assert!(mail[0]["text"].as_str().is_some_and(|text| text.contains("Acme Widgets")), "{mail:?}");
}

#[actix_web::test]
async fn invitation_refusals_in_order() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    invite(&api, "not-an-email").await.assert_refused("sendInvitationEmail", "I-4204", BAD_EMAIL);
    invite(&api, &SEED_EMAIL.to_uppercase()).await.assert_refused("sendInvitationEmail", "I-4901", HAS_LOGIN);
    let other = api.client();
    other.sign_up_person("member@example.com").await;
    invite(&api, "member@example.com").await.assert_refused("sendInvitationEmail", "I-4901", HAS_LOGIN);

    // The transport's refusal is answered, and neither recorded nor counted.
    for _ in 0..2 {
        invite(&api, "Someone@Fail.test").await.assert_refused(
            "sendInvitationEmail",
            "E-7101",
            "Could not send invitation email to someone@fail.test: recipient refused",
        );
    }

    invite(&api, "friend@example.com").await.assert_ok();
    invite(&api, "FRIEND@example.com").await.assert_refused("sendInvitationEmail", "I-4433", ALREADY_INVITED);
    advance(&api, TimeDelta::hours(24) + TimeDelta::seconds(1)).await;
    invite(&api, "friend@example.com").await.assert_ok();

    let id = account(&api).await["id"].as_str().expect("an account id").to_owned();
    api.admin(&["disable-account", &id]).await;
    invite(&api, "not-an-email").await.assert_refused("sendInvitationEmail", "I-4430", DISABLED);
}

#[actix_web::test]
async fn twenty_invitations_a_rolling_day() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    for n in 0..10 {
        invite(&api, &format!("early{n}@example.com")).await.assert_ok();
    }
    advance(&api, TimeDelta::hours(12)).await;
    for n in 0..10 {
        invite(&api, &format!("late{n}@example.com")).await.assert_ok();
    }
    invite(&api, "one.more@example.com").await.assert_refused("sendInvitationEmail", "I-4432", TOO_MANY);
    // sendInvitedRegisterEmail shares the limit; its own rule 5 comes first.
    remind(&api, "one.more@example.com").await.assert_refused("sendInvitedRegisterEmail", "I-4434", NOTHING_WAITING);
    // The same address within 24 hours is I-4433 before the count.
    invite(&api, "late0@example.com").await.assert_refused("sendInvitationEmail", "I-4433", ALREADY_INVITED);
    // Twelve hours and a second later the first ten have left the window.
    advance(&api, TimeDelta::hours(12) + TimeDelta::seconds(1)).await;
    invite(&api, "one.more@example.com").await.assert_ok();
}

#[actix_web::test]
async fn the_daily_limit_is_configurable() {
    let api = Api::start_with(&[("INVITATIONS_PER_DAY", "1")]).await;
    api.sign_up_seed().await;
    invite(&api, "first@example.com").await.assert_ok();
    invite(&api, "second@example.com").await.assert_refused("sendInvitationEmail", "I-4432", TOO_MANY);
}

#[actix_web::test]
async fn a_registration_email_needs_something_waiting() {
    let api = Api::start().await;
    remind(&api, "new@example.com").await.assert_refused("sendInvitedRegisterEmail", "I-4100", LOGIN_REQUIRED);
    api.sign_up_seed().await;
    remind(&api, "not-an-email").await.assert_refused("sendInvitedRegisterEmail", "I-4204", BAD_EMAIL);
    remind(&api, SEED_EMAIL).await.assert_refused("sendInvitedRegisterEmail", "I-4901", HAS_LOGIN);
    // No payment request of the account is addressed there.
    remind(&api, "new.client@example.com").await.assert_refused("sendInvitedRegisterEmail", "I-4434", NOTHING_WAITING);
    assert!(api.mailbox("new.client@example.com").await.is_empty());

    let id = account(&api).await["id"].as_str().expect("an account id").to_owned();
    api.admin(&["disable-account", &id]).await;
    remind(&api, "not-an-email").await.assert_refused("sendInvitedRegisterEmail", "I-4430", DISABLED);
}

/// The seed asks `to` for 25 USD (Invoice 7), dated today.
async fn request_from(api: &Api, to: &str) -> String {
    let today = crate::fixtures::clock_now(api).await.date_naive().format("%Y-%m-%d").to_string();
    let answer = api
        .graphql(
            "mutation($data: RequestPaymentInput!) { requestPayment(data: $data) { id } }",
            json!({ "data": { "toEmail": to, "amount": 25, "currency": "USD", "valueDate": today,
                              "description": "Invoice 7" } }),
        )
        .await;
    answer.assert_ok()["requestPayment"]["id"].as_str().expect("a request id").to_owned()
}

#[actix_web::test]
async fn a_registration_email_lists_the_open_requests_within_the_limits() {
    let api = Api::start_with(&[("INVITATIONS_PER_DAY", "2")]).await;
    api.sign_up_seed().await;
    let request = request_from(&api, "new.client@example.com").await;
    request_from(&api, "Refused@Fail.test").await;
    request_from(&api, "third@example.com").await;
    // requestPayment's own email to the address counts as the one of the day, for both operations.
    remind(&api, "new.client@example.com").await.assert_refused("sendInvitedRegisterEmail", "I-4433", ALREADY_INVITED);
    invite(&api, "new.client@example.com").await.assert_refused("sendInvitationEmail", "I-4433", ALREADY_INVITED);

    advance(&api, TimeDelta::hours(24) + TimeDelta::seconds(1)).await;
    let sent = remind(&api, "NEW.client@example.com").await;
    assert_eq!(
        sent.assert_ok()["sendInvitedRegisterEmail"]["message"],
        "Registration email sent to new.client@example.com"
    );
    let mail = api.mailbox("new.client@example.com").await;
    assert_eq!(mail.len(), 2, "{mail:?}");
    assert_eq!(mail[0]["template"], "invited_register");
    assert_eq!(
        mail[0]["links"],
        json!([
            "http://localhost:8000/sign-up?email=new.client%40example.com",
            format!("http://localhost:8000/payment-request?id={request}"),
        ])
    );
    assert!(mail[0]["text"].as_str().is_some_and(|text| text.contains("25.00 USD: Invoice 7")), "{:?}", mail[0]);
    // The transport's refusal is answered and not counted.
    remind(&api, "refused@fail.test").await.assert_refused(
        "sendInvitedRegisterEmail",
        "E-7101",
        "Could not send invitation email to refused@fail.test: recipient refused",
    );
    invite(&api, "friend@example.com").await.assert_ok();
    remind(&api, "third@example.com").await.assert_refused("sendInvitedRegisterEmail", "I-4432", TOO_MANY);
}
