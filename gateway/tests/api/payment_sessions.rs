//! The payment session's start and end (createPaymentSession, clearPaymentSession): who may pay, how the
//! beneficiary is named and found, the funding source, and the stored session following its login session.

use chrono::TimeDelta;
use diesel::prelude::*;
use serde_json::json;
use store::schema::{accounts, payment_sessions};

use crate::fixtures::{
    current_account_status, link_verified_bank_account, personal_setup, second_business_setup, submit_setup,
    unique_personal_setup, verified_business, verified_personal, verify_personal,
};
use crate::harness::{Answer, Api, Client, SEED_PASSWORD};

const CREATE: &str = "mutation Create($email: String, $slug: String, $from: Currency) { createPaymentSession(toEmail: $email, toSlug: $slug, fromCurrency: $from) { message } }";
const CLEAR: &str = "mutation { clearPaymentSession { message } }";
const FIELD: &str = "createPaymentSession";

const CREATED: &str = "Payment session created!";
const CLEARED: &str = "Payment session successfully cleared";
const LOGGED_OUT: &str = "You must be logged in.";
const DISABLED: &str = "This account is disabled. Please contact support.";
const CANNOT_PAY: &str = "You are unable to make payments from your account at this time. Please enable funding balance or wait until your account is approved to use this feature.";
const BOTH: &str = "Do not provide both Email and Handle";
const NEITHER: &str = "You must provide either an email or a handle.";
const INVALID_EMAIL: &str = "This is not a valid email address.";
const SELF: &str = "You cannot pay yourself.";
const CLOSED: &str =
    "You cannot send a payment to this account. The recipient's account is closed. Please contact support.";
const CANNOT_RECEIVE: &str = "This recipient cannot receive payments yet.";
const NO_FUNDING_BALANCE: &str = "Funding balance is not enabled for your account.";
const NO_BANK: &str = "There was an issue accessing your bank account information.";

/// US businesses need no company officers here, so the fixtures verify them with the person's check alone.
const NO_US_OFFICERS: (&str, &str) = ("UBO_REQUIRED_COUNTRIES", "GB");

async fn create(client: &Client, email: Option<&str>, slug: Option<&str>, from: Option<&str>) -> Answer {
    client.graphql(CREATE, json!({ "email": email, "slug": slug, "from": from })).await
}

#[track_caller]
fn assert_created(answer: &Answer) {
    assert_eq!(answer.assert_ok()[FIELD]["message"], CREATED, "{:?}", answer.body);
}

async fn clear(client: &Client) -> Answer {
    client.graphql(CLEAR, json!({})).await
}

#[track_caller]
fn assert_cleared(answer: &Answer) {
    assert_eq!(answer.assert_ok()["clearPaymentSession"]["message"], CLEARED, "{:?}", answer.body);
}

/// A stored payment session, as the table holds it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
struct Row {
    session_key: String,
    login_id: String,
    account_id: String,
    payer_currency: String,
    funding_source: String,
    funding_bank_account_id: Option<String>,
    beneficiary_account_id: Option<String>,
    beneficiary_currency: String,
    named_by: String,
    named_as: String,
}

/// Every stored payment session, oldest first.
fn rows(api: &Api) -> Vec<Row> {
    let mut conn = api.state.pool.get().expect("connection");
    payment_sessions::table
        .order((payment_sessions::created_at.asc(), payment_sessions::session_key.asc()))
        .select((
            payment_sessions::session_key,
            payment_sessions::login_id,
            payment_sessions::account_id,
            payment_sessions::payer_currency,
            payment_sessions::funding_source,
            payment_sessions::funding_bank_account_id,
            payment_sessions::beneficiary_account_id,
            payment_sessions::beneficiary_currency,
            payment_sessions::named_by,
            payment_sessions::named_as,
        ))
        .load(&mut conn)
        .expect("payment sessions")
}

/// The one stored payment session.
#[track_caller]
fn only_row(api: &Api) -> Row {
    let mut all = rows(api);
    assert_eq!(all.len(), 1, "{all:?}");
    all.remove(0)
}

/// FUNDING_BALANCE_VERIFIED cannot be reached through the API yet (no operator command funds an account), so
/// the tests set it directly in the database.
fn set_funding_balance_verified(api: &Api, account: &str) {
    let mut conn = api.state.pool.get().expect("connection");
    let changed = diesel::update(accounts::table.find(account))
        .set(accounts::status.eq("FUNDING_BALANCE_VERIFIED"))
        .execute(&mut conn)
        .expect("status set");
    assert_eq!(changed, 1);
}

#[track_caller]
fn refused(answer: Answer, code: &str, message: &str) {
    answer.assert_refused(FIELD, code, message);
}

async fn preferred_bank_account(client: &Client) -> String {
    let answer = client.graphql("query { account { preferredBankAccountId } }", json!({})).await;
    answer.assert_ok()["account"]["preferredBankAccountId"].as_str().expect("a preferred bank account").to_owned()
}

/// Gives the current (NOT_SETUP, PERSONAL) account a PayMe handle by submitting its setup: SETUP_SUBMITTED.
async fn submit_with_handle(client: &Client, slug: &str) {
    submit_setup(client, unique_personal_setup(slug)).await;
}

async fn deactivate(client: &Client) {
    client
        .graphql(
            "mutation($p: String!, $r: String!) { deactivateAccount(password: $p, reason: $r) { message } }",
            json!({ "p": SEED_PASSWORD, "r": "closing" }),
        )
        .await
        .assert_ok();
}

async fn switch(client: &Client, account: &str) {
    client
        .graphql("mutation($id: ID!) { switchAccounts(accountId: $id) { user { loginId } } }", json!({ "id": account }))
        .await
        .assert_ok();
}

#[actix_web::test]
async fn a_payment_session_is_created_by_email_or_handle_replaced_and_cleared() {
    let api = Api::start_with(&[NO_US_OFFICERS]).await;
    let payer = verified_personal(&api, &api, "payer@example.com", "PayerOne").await;
    let bank = preferred_bank_account(&api).await;
    let beneficiary = api.client();
    let business = verified_business(&api, &beneficiary, "bene@example.com", "BeneCo").await;
    assert_eq!(rows(&api), Vec::<Row>::new());

    // By email, trimmed and compared in lower case.
    assert_created(&create(&api, Some("  Bene@EXAMPLE.com "), None, None).await);
    let first = only_row(&api);
    let login = first.login_id.clone();
    assert!(!login.is_empty());
    assert_eq!(
        first,
        Row {
            session_key: first.session_key.clone(),
            login_id: login.clone(),
            account_id: payer.clone(),
            payer_currency: "USD".into(),
            funding_source: "BANK_ACCOUNT".into(),
            funding_bank_account_id: Some(bank.clone()),
            beneficiary_account_id: Some(business.clone()),
            beneficiary_currency: "USD".into(),
            named_by: "EMAIL".into(),
            named_as: "bene@example.com".into(),
        }
    );
    // The key is the login session's own, never its cookie.
    assert_ne!(Some(first.session_key.clone()), api.cookie());

    // By handle, ignoring case: it replaces the first, under the same key.
    assert_created(&create(&api, None, Some(" bENEco "), None).await);
    let second = only_row(&api);
    assert_eq!(second, Row { named_by: "HANDLE".into(), named_as: "bENEco".into(), ..first.clone() },);

    // Cleared, and clearing again succeeds.
    assert_cleared(&clear(&api).await);
    assert_eq!(rows(&api), Vec::<Row>::new());
    assert_cleared(&clear(&api).await);

    // From the funding balance in the currency asked for (the status set by SQL: see the helper).
    set_funding_balance_verified(&api, &payer);
    assert_created(&create(&api, None, Some("BeneCo"), Some("CAD")).await);
    assert_eq!(
        only_row(&api),
        Row {
            payer_currency: "CAD".into(),
            funding_source: "FUNDING_BALANCE".into(),
            funding_bank_account_id: None,
            named_by: "HANDLE".into(),
            named_as: "BeneCo".into(),
            ..first.clone()
        }
    );
    // Without fromCurrency such an account still pays from its preferred bank account.
    assert_created(&create(&api, Some("bene@example.com"), None, None).await);
    assert_eq!(only_row(&api), first);
}

#[actix_web::test]
async fn who_may_pay_is_checked_first() {
    let api = Api::start_with(&[NO_US_OFFICERS]).await;
    // Both operations need a session.
    let anonymous = api.client();
    create(&anonymous, Some("bene@example.com"), None, None).await.assert_refused(FIELD, "I-4100", LOGGED_OUT);
    clear(&anonymous).await.assert_refused("clearPaymentSession", "I-4100", LOGGED_OUT);

    let beneficiary = api.client();
    verified_business(&api, &beneficiary, "bene@example.com", "BeneCo").await;

    // NOT_SETUP: refused before the arguments are looked at.
    api.sign_up_person("new@example.com").await;
    for (email, slug) in [(Some("bene@example.com"), None), (Some("bene@example.com"), Some("BeneCo")), (None, None)] {
        create(&api, email, slug, None).await.assert_refused(FIELD, "I-4732", CANNOT_PAY);
    }
    create(&api, None, Some("BeneCo"), Some("XAU")).await.assert_refused(FIELD, "I-4732", CANNOT_PAY);
    // SETUP_SUBMITTED.
    submit_setup(&api, personal_setup("NewPerson", "Doe")).await;
    assert_eq!(current_account_status(&api).await.1, "SETUP_SUBMITTED");
    create(&api, Some("bene@example.com"), None, None).await.assert_refused(FIELD, "I-4732", CANNOT_PAY);
    assert_cleared(&clear(&api).await);

    // DISABLED: I-4430, before I-4732; clearing still succeeds.
    let (account, _) = current_account_status(&api).await;
    api.admin(&["disable-account", &account]).await;
    create(&api, Some("bene@example.com"), Some("BeneCo"), None).await.assert_refused(FIELD, "I-4430", DISABLED);
    create(&api, None, None, None).await.assert_refused(FIELD, "I-4430", DISABLED);
    assert_cleared(&clear(&api).await);
    assert_eq!(rows(&api), Vec::<Row>::new());
}

#[actix_web::test]
async fn a_verified_account_in_a_global_payout_country_may_pay_only_from_its_funding_balance() {
    let api = Api::start_with(&[NO_US_OFFICERS, ("GLOBAL_PAYOUT_COUNTRIES", "US")]).await;
    let beneficiary = api.client();
    verified_business(&api, &beneficiary, "bene@example.com", "BeneCo").await;
    let payer = verified_personal(&api, &api, "payer@example.com", "PayerOne").await;
    for (email, slug) in [(Some("bene@example.com"), None), (None, Some("BeneCo")), (Some("x"), Some("y"))] {
        create(&api, email, slug, None).await.assert_refused(FIELD, "I-4732", CANNOT_PAY);
    }
    // The beneficiary, verified in the same country, may not pay either.
    create(&beneficiary, None, Some("PayerOne"), None).await.assert_refused(FIELD, "I-4732", CANNOT_PAY);
    set_funding_balance_verified(&api, &payer);
    create(&api, Some("x"), Some("y"), None).await.assert_refused(FIELD, "I-4701", BOTH);
    assert_created(&create(&api, None, Some("BeneCo"), Some("USD")).await);
    assert_eq!(only_row(&api).funding_source, "FUNDING_BALANCE");
}

#[actix_web::test]
async fn every_refusal_about_the_beneficiary_in_order() {
    let api = Api::start_with(&[NO_US_OFFICERS]).await;
    let beneficiary = api.client();
    verified_business(&api, &beneficiary, "bene@example.com", "BeneCo").await;

    // A login whose only account is DEACTIVATED, with a handle.
    let gone = api.client();
    gone.sign_up_person("gone@example.com").await;
    submit_with_handle(&gone, "GoneAway").await;
    link_verified_bank_account(&gone).await;
    deactivate(&gone).await;
    // A DISABLED account with a handle, the only account of its login.
    let blocked = api.client();
    blocked.sign_up_person("blocked@example.com").await;
    submit_with_handle(&blocked, "Blocked").await;
    link_verified_bank_account(&blocked).await;
    let (blocked_account, _) = current_account_status(&blocked).await;
    api.admin(&["disable-account", &blocked_account]).await;
    // An account with no bank account yet.
    let unready = api.client();
    unready.sign_up_person("unready@example.com").await;
    submit_with_handle(&unready, "Unready").await;

    // The payer, with a second account of the same person that has a handle.
    let payer = verified_personal(&api, &api, "payer@example.com", "PayerOne").await;
    api.graphql("mutation { addAccountToPerson(accountType: BUSINESS) { user { loginId } } }", json!({}))
        .await
        .assert_ok();
    let (payer_business, _) = current_account_status(&api).await;
    submit_setup(&api, second_business_setup("PayerBiz")).await;
    switch(&api, &payer).await;

    // Both, then neither (empty strings and blanks count as not given).
    refused(create(&api, Some("bene@example.com"), Some("BeneCo"), None).await, "I-4701", BOTH);
    refused(create(&api, Some("not an email"), Some("@nobody"), Some("XAU")).await, "I-4701", BOTH);
    for (email, slug) in [(None, None), (Some(""), Some("")), (Some("  "), None), (None, Some(" "))] {
        refused(create(&api, email, slug, None).await, "I-4702", NEITHER);
    }
    // By email.
    for invalid in ["not an email", "bene@", "bené@example.com"] {
        refused(create(&api, Some(invalid), None, None).await, "I-4204", INVALID_EMAIL);
    }
    refused(create(&api, Some(" PAYER@example.com "), None, None).await, "I-4703", SELF);
    refused(create(&api, Some("gone@example.com"), None, None).await, "I-4742", CLOSED);
    refused(create(&api, Some("Blocked@Example.com"), None, None).await, "I-4742", CLOSED);
    refused(
        create(&api, Some("  NoBody@Example.COM "), None, None).await,
        "I-4704",
        "No account exists for email: nobody@example.com",
    );
    refused(create(&api, Some("unready@example.com"), None, None).await, "I-4750", CANNOT_RECEIVE);
    // By handle.
    refused(
        create(&api, None, Some(" NoSuchHandle "), None).await,
        "I-4741",
        "No account exists for handle: NoSuchHandle",
    );
    refused(create(&api, None, Some("@BeneCo"), None).await, "I-4741", "No account exists for handle: @BeneCo");
    refused(create(&api, None, Some("Bene-Co"), None).await, "I-4741", "No account exists for handle: Bene-Co");
    refused(create(&api, None, Some("goneaway"), None).await, "I-4741", "No account exists for handle: goneaway");
    refused(create(&api, None, Some("payerone"), None).await, "I-4703", SELF);
    refused(create(&api, None, Some("PAYERBIZ"), None).await, "I-4703", SELF);
    // One's own account is refused as such even when it is DISABLED.
    api.admin(&["disable-account", &payer_business]).await;
    refused(create(&api, None, Some("PayerBiz"), None).await, "I-4703", SELF);
    refused(create(&api, None, Some("blocked"), None).await, "I-4742", CLOSED);
    refused(create(&api, None, Some("Unready"), None).await, "I-4750", CANNOT_RECEIVE);
    // The beneficiary's checks come before the funding source's.
    refused(create(&api, None, Some("Unready"), Some("XAU")).await, "I-4750", CANNOT_RECEIVE);
    assert_eq!(rows(&api), Vec::<Row>::new(), "a refused create stores nothing");

    // A typed-in bank account is PENDING_VERIFICATION until the provider's delay has passed.
    unready
        .graphql(
            "mutation($data: AddBankAccountInput!) { addBankAccount(data: $data) { message } }",
            json!({ "data": { "manualBankData": { "accountNumber": "11111111111", "routingNumber": "121122676",
                "bankName": "Chase", "country": "US", "currency": "USD", "accountType": "SAVINGS" } } }),
        )
        .await
        .assert_ok();
    refused(create(&api, None, Some("Unready"), None).await, "I-4750", CANNOT_RECEIVE);
    api.advance(TimeDelta::seconds(30)).await;
    assert_created(&create(&api, None, Some("Unready"), None).await);
    assert_created(&create(&api, Some("UNREADY@example.com"), None, None).await);
    assert_eq!(only_row(&api).named_as, "unready@example.com");
}

#[actix_web::test]
async fn by_email_the_beneficiary_is_the_oldest_open_account_of_the_login() {
    let api = Api::start_with(&[NO_US_OFFICERS]).await;
    verified_personal(&api, &api, "payer@example.com", "PayerOne").await;
    // A login with a PERSONAL account (no bank account) and a newer BUSINESS one that can receive.
    let mixed = api.client();
    mixed.sign_up_person("mixed@example.com").await;
    let (personal, _) = current_account_status(&mixed).await;
    api.advance(TimeDelta::seconds(1)).await;
    mixed
        .graphql("mutation { addAccountToPerson(accountType: BUSINESS) { user { loginId } } }", json!({}))
        .await
        .assert_ok();
    let (business, _) = current_account_status(&mixed).await;
    link_verified_bank_account(&mixed).await;

    // Both open: the oldest is named, and it cannot receive.
    refused(create(&api, Some("mixed@example.com"), None, None).await, "I-4750", CANNOT_RECEIVE);
    // The oldest DISABLED: the next one.
    api.admin(&["disable-account", &personal]).await;
    assert_created(&create(&api, Some("Mixed@example.com"), None, None).await);
    assert_eq!(only_row(&api).beneficiary_account_id.as_ref(), Some(&business));
    // One DISABLED, one DEACTIVATED: closed.
    deactivate(&mixed).await;
    refused(create(&api, Some("mixed@example.com"), None, None).await, "I-4742", CLOSED);
    assert_eq!(
        only_row(&api).beneficiary_account_id.as_ref(),
        Some(&business),
        "the refused create left the session as it was"
    );
}

#[actix_web::test]
async fn every_refusal_about_the_funding_source_in_order() {
    let api = Api::start_with(&[NO_US_OFFICERS]).await;
    let beneficiary = api.client();
    verified_business(&api, &beneficiary, "bene@example.com", "BeneCo").await;
    let payer = verify_personal(&api, &api, "payer@example.com", "PayerOne").await;

    // No bank account at all.
    create(&api, None, Some("BeneCo"), None).await.assert_refused(FIELD, "I-4903", NO_BANK);
    // fromCurrency: first a currency without amounts, then the account's status.
    create(&api, None, Some("BeneCo"), Some("XAU")).await.assert_refused(
        FIELD,
        "I-4740",
        "Currency XAU is not supported.",
    );
    create(&api, None, Some("BeneCo"), Some("XXX")).await.assert_refused(
        FIELD,
        "I-4740",
        "Currency XXX is not supported.",
    );
    create(&api, None, Some("BeneCo"), Some("CAD")).await.assert_refused(FIELD, "I-4743", NO_FUNDING_BALANCE);
    create(&api, None, Some("BeneCo"), Some("USD")).await.assert_refused(FIELD, "I-4743", NO_FUNDING_BALANCE);

    // A preferred bank account still PENDING_VERIFICATION.
    api.graphql(
        "mutation($data: AddBankAccountInput!) { addBankAccount(data: $data) { message } }",
        json!({ "data": { "manualBankData": { "accountNumber": "22222222", "routingNumber": "121122676",
            "bankName": "Chase", "country": "US", "currency": "USD", "accountType": "SAVINGS" } } }),
    )
    .await
    .assert_ok();
    create(&api, Some("bene@example.com"), None, None).await.assert_refused(FIELD, "I-4903", NO_BANK);
    // A FULLY_VERIFIED one that is not preferred does not count.
    link_verified_bank_account_not_preferred(&api).await;
    create(&api, Some("bene@example.com"), None, None).await.assert_refused(FIELD, "I-4903", NO_BANK);
    assert_eq!(rows(&api), Vec::<Row>::new());
    api.advance(TimeDelta::seconds(30)).await;
    assert_created(&create(&api, Some("bene@example.com"), None, None).await);
    assert_eq!(only_row(&api).account_id, payer);

    // On a FUNDING_BALANCE_VERIFIED account (set by SQL) the currency is still checked.
    set_funding_balance_verified(&api, &payer);
    create(&api, None, Some("BeneCo"), Some("XAU")).await.assert_refused(
        FIELD,
        "I-4740",
        "Currency XAU is not supported.",
    );
    assert_eq!(only_row(&api).funding_source, "BANK_ACCOUNT", "a refused create leaves the session as it was");
}

/// Links the fixture 10001 to an account that already has a preferred bank account: it is FULLY_VERIFIED but
/// not preferred.
async fn link_verified_bank_account_not_preferred(client: &Client) {
    let before = preferred_bank_account(client).await;
    client
        .graphql(
            "mutation($data: AddBankAccountInput!) { addBankAccount(data: $data) { message } }",
            json!({ "data": { "yodleeBankAccountId": "10001" } }),
        )
        .await
        .assert_ok();
    assert_eq!(preferred_bank_account(client).await, before);
}

#[actix_web::test]
async fn the_payment_session_follows_the_login_session() {
    let api = Api::start_with(&[NO_US_OFFICERS]).await;
    let beneficiary = api.client();
    verified_business(&api, &beneficiary, "bene@example.com", "BeneCo").await;
    let personal = verified_personal(&api, &api, "payer@example.com", "PayerOne").await;

    assert_created(&create(&api, Some("bene@example.com"), None, None).await);
    let first = only_row(&api);
    // A refused create leaves it as it was.
    create(&api, Some("nobody@example.com"), None, None).await.assert_refused(
        FIELD,
        "I-4704",
        "No account exists for email: nobody@example.com",
    );
    create(&api, Some("bene@example.com"), Some("BeneCo"), None).await.assert_refused(FIELD, "I-4701", BOTH);
    assert_eq!(only_row(&api), first);

    // A second browser of the same login has a payment session of its own.
    let laptop = api.client();
    laptop.login("payer@example.com", SEED_PASSWORD).await.assert_ok();
    assert_cleared(&clear(&laptop).await);
    assert_eq!(only_row(&api), first, "clearing in another login session leaves this one's");
    assert_created(&create(&laptop, None, Some("BeneCo"), None).await);
    let both = rows(&api);
    assert_eq!(both.len(), 2, "{both:?}");
    assert_eq!(both[0], first);
    assert_ne!(both[1].session_key, first.session_key);
    assert_eq!((&both[1].login_id, &both[1].named_by), (&first.login_id, &"HANDLE".to_owned()));
    assert_cleared(&clear(&laptop).await);
    assert_eq!(rows(&api), vec![first.clone()]);

    // After logout and a new login the old payment session is not the new login session's.
    api.graphql("mutation { logout { message } }", json!({})).await.assert_ok();
    api.login("payer@example.com", SEED_PASSWORD).await.assert_ok();
    assert_cleared(&clear(&api).await);
    assert_eq!(rows(&api), vec![first.clone()], "the new session had none to clear");
    assert_created(&create(&api, None, Some("BeneCo"), None).await);
    let now = rows(&api);
    assert_eq!(now.len(), 2, "{now:?}");
    assert_eq!(now[0], first);
    let renewed = now[1].clone();
    assert_ne!(renewed.session_key, first.session_key);

    // Idle past PAYMENT_SESSION_TTL (30 minutes): the old one is swept by the next create.
    api.advance(TimeDelta::minutes(31)).await;
    api.login("payer@example.com", SEED_PASSWORD).await.assert_ok();
    assert_created(&create(&api, Some("bene@example.com"), None, None).await);
    let swept = only_row(&api);
    assert!(swept.session_key != first.session_key && swept.session_key != renewed.session_key);

    // A switch of account ends the payment session (the login session gets a new key, so the old row is never
    // found again); the next create is made from the account switched to.
    api.graphql("mutation { addAccountToPerson(accountType: BUSINESS) { user { loginId } } }", json!({}))
        .await
        .assert_ok();
    let (business, status) = current_account_status(&api).await;
    assert_eq!(status, "NOT_SETUP");
    create(&api, Some("bene@example.com"), None, None).await.assert_refused(FIELD, "I-4732", CANNOT_PAY);
    submit_setup(&api, second_business_setup("PayerBiz")).await;
    assert_eq!(current_account_status(&api).await.1, "VERIFIED", "the person's check is already CLEAR");
    let business_bank = link_verified_bank_account(&api).await;
    assert_created(&create(&api, Some("bene@example.com"), None, None).await);
    let from_business = rows(&api).into_iter().find(|row| row.account_id == business).expect("the business's");
    assert_ne!(from_business.session_key, swept.session_key, "a switch gives a new key");
    assert_eq!(from_business.funding_bank_account_id, Some(business_bank));
    switch(&api, &personal).await;
    assert_created(&create(&api, None, Some("BeneCo"), None).await);
    let from_personal = rows(&api).into_iter().find(|row| row.named_as == "BeneCo").expect("the personal one's");
    assert_eq!(from_personal.account_id, personal);
    assert_ne!(from_personal.session_key, from_business.session_key, "switching back gives yet another key");
}
