//! Payment requests: requestPayment and its emails, requestedPayments, paymentRequestById, resendPaymentRequest,
//! declinePaymentRequest, generatePayMeRequest and createPaymentForRequestSession, each with every refusal of
//! its page; and the request's lifecycle as submit and settlement will drive it (take_for_payment,
//! payment_ended, cancel_for_account), called directly on the server's database.

use chrono::{DateTime, TimeDelta, Utc};
use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::fixtures::{
    clock_now, current_account_status, link_bank_link_fixture, payable_account, payer_and_session, price_session,
    verified_business, verified_personal, verify_personal,
};
use crate::harness::{Answer, Api, Client};

const NO_US_OFFICERS: (&str, &str) = ("UBO_REQUIRED_COUNTRIES", "GB");

const REQUEST: &str = "mutation Ask($data: RequestPaymentInput!) { requestPayment(data: $data) { id status currency amount description emailMessage chargeDate paymentLink } }";
const BY_ID: &str = "query Req($id: ID!) { paymentRequestById(id: $id) { id status currency amount description createdBy { account { accountType displayName currency slug } email lastActivityAt } chargeDate requestedToDisplayName redirectUrl } }";
const REQUESTED: &str = "query { requestedPayments { id status amount currency description requestedToDisplayName } }";
const RESEND: &str =
    "mutation Again($data: ResendPaymentRequestInput!) { resendPaymentRequest(data: $data) { message } }";
const DECLINE: &str = "mutation Decline($id: ID!) { declinePaymentRequest(paymentRequestId: $id) { message } }";
const PAY_ME: &str =
    "mutation PayMe($data: GeneratePayMeRequestInput!) { generatePayMeRequest(data: $data) { paymentRequestId } }";
const PAY: &str = "mutation Pay($data: CreatePaymentForRequestSessionInput!) { createPaymentForRequestSession(data: $data) { ... on SuccessResult { message } ... on ActionRequiredForPayment { dataNeeded { idUpload personalTaxId } } } }";

const LOGGED_OUT: &str = "You must be logged in.";
const DISABLED: &str = "This account is disabled. Please contact support.";
const INACCESSIBLE: &str = "There was an error accessing the payment request.";
const NOT_OPEN: &str = "This payment request is no longer open.";
const CANNOT_DECLINE: &str = "You do not have permission to decline this payment request.";

/// A date as the contract's DateTime at midnight UTC.
fn midnight(date: chrono::NaiveDate) -> String {
    format!("{}T00:00:00.000Z", date.format("%Y-%m-%d"))
}

/// requestPayment's input: 25 USD from `to`, dated `date`, with `overrides` on top.
fn ask(to: &str, date: &str, overrides: Value) -> Value {
    let mut data =
        json!({ "toEmail": to, "amount": 25, "currency": "USD", "valueDate": date, "description": "Invoice 7" });
    if let (Some(data), Some(extra)) = (data.as_object_mut(), overrides.as_object()) {
        data.extend(extra.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    data
}

async fn request(client: &Client, data: Value) -> Answer {
    client.graphql(REQUEST, json!({ "data": data })).await
}

/// Makes a request of 25 USD from `to`, dated today; answers its id.
async fn request_from(api: &Api, client: &Client, to: &str) -> String {
    let today = midnight(clock_now(api).await.date_naive());
    let answer = request(client, ask(to, &today, json!({}))).await;
    answer.assert_ok()["requestPayment"]["id"].as_str().expect("an id").to_owned()
}

async fn by_id(client: &Client, id: &str) -> Answer {
    client.graphql(BY_ID, json!({ "id": id })).await
}

async fn resend(client: &Client, id: &str) -> Answer {
    client.graphql(RESEND, json!({ "data": { "paymentRequestId": id } })).await
}

async fn decline(client: &Client, id: &str) -> Answer {
    client.graphql(DECLINE, json!({ "id": id })).await
}

async fn pay_me(client: &Client, data: Value) -> Answer {
    client.graphql(PAY_ME, json!({ "data": data })).await
}

async fn pay(client: &Client, id: &str, kind: &str) -> Answer {
    client.graphql(PAY, json!({ "data": { "paymentRequestId": id, "paymentSessionType": kind } })).await
}

/// The ids of the client's requestedPayments, in order.
async fn inbox(client: &Client) -> Vec<String> {
    let answer = client.graphql(REQUESTED, json!({})).await;
    answer.assert_ok()["requestedPayments"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|r| r["id"].as_str().expect("an id").to_owned())
        .collect()
}

fn status_of(answer: &Answer) -> String {
    answer.assert_ok()["paymentRequestById"]["status"].as_str().expect("a status").to_owned()
}

/// A verified business requester (USD, handle "TestBiz", display name from its setup) and a verified personal
/// payer, payer@example.com; the api's own client is the requester.
async fn requester_and_payer(api: &Api) -> Client {
    verified_business(api, api, "billing@testbiz.com", "TestBiz").await;
    let payer = api.client();
    verified_personal(api, &payer, "payer@example.com", "PayerOne").await;
    payer
}

#[actix_web::test]
async fn a_request_is_stored_emailed_listed_and_shown_publicly() {
    let api = Api::start_with(&[NO_US_OFFICERS]).await;
    let payer = requester_and_payer(&api).await;
    let today = clock_now(&api).await.date_naive();
    let date = midnight(today + TimeDelta::days(3));
    let answer = request(
        &api,
        ask(" Payer@Example.com ", &date, json!({ "description": " Invoice 7 ", "emailMessage": "Thanks!" })),
    )
    .await;
    let made = answer.assert_ok()["requestPayment"].clone();
    let id = made["id"].as_str().expect("an id").to_owned();
    let link = format!("http://localhost:8000/payment-request?id={id}");
    assert_eq!(
        made,
        json!({ "id": id, "status": "REQUESTED", "currency": "USD", "amount": 25.0, "description": "Invoice 7",
                "emailMessage": "Thanks!", "chargeDate": date, "paymentLink": link })
    );

    let mail = api.mailbox("payer@example.com").await;
    let sent: Vec<&Value> = mail.iter().filter(|m| m["template"] == "payment_request").collect();
    assert_eq!(sent.len(), 1, "{mail:?}");
    assert_eq!(sent[0]["links"], json!([link]));
    let text = sent[0]["text"].as_str().expect("a text body");
    for shown in ["25.00 USD", "Invoice 7", "Thanks!", link.as_str()] {
        assert!(text.contains(shown), "{shown} not in {text}");
    }
    assert!(api.mailbox("payer@example.com").await.iter().all(|m| m["template"] != "invited_register"));

    assert_eq!(inbox(&payer).await, vec![id.clone()]);
    assert!(inbox(&api).await.is_empty(), "the requester's own request is not in its inbox");

    // Anyone holding the id sees the public fields only, logged in or not.
    let public = json!({
        "id": id, "status": "REQUESTED", "currency": "USD", "amount": 25.0, "description": "Invoice 7",
        "createdBy": { "account": { "accountType": "BUSINESS", "displayName": "Acme Widgets LLC", "currency": "USD",
                                    "slug": "TestBiz" },
                       "email": "billing@testbiz.com", "lastActivityAt": null },
        "chargeDate": date, "requestedToDisplayName": "payer@example.com", "redirectUrl": null,
    });
    assert_eq!(by_id(&api.client(), &id).await.assert_ok()["paymentRequestById"], public);
    assert_eq!(by_id(&payer, &id).await.assert_ok()["paymentRequestById"], public);
    let private = api
        .client()
        .graphql("query($id: ID!) { paymentRequestById(id: $id) { emailMessage } }", json!({ "id": id }))
        .await;
    assert!(private.body["errors"][0]["message"].as_str().is_some_and(|m| m.contains("emailMessage")), "{private:?}");
}

#[actix_web::test]
async fn an_address_without_a_login_is_invited_and_sees_the_request_once_signed_up() {
    let api = Api::start_with(&[NO_US_OFFICERS]).await;
    verified_business(&api, &api, "billing@testbiz.com", "TestBiz").await;
    let id = request_from(&api, &api, "New.Person@Example.com").await;
    let mail = api.mailbox("new.person@example.com").await;
    assert_eq!(mail.len(), 1, "exactly one email per request: {mail:?}");
    assert_eq!(mail[0]["template"], "invited_register");
    assert_eq!(
        mail[0]["links"],
        json!([
            "http://localhost:8000/sign-up?email=new.person%40example.com",
            format!("http://localhost:8000/payment-request?id={id}")
        ])
    );

    // The login created after the request sees it, from each of its accounts.
    let newcomer = api.client();
    newcomer.sign_up_person("new.person@example.com").await;
    assert_eq!(inbox(&newcomer).await, vec![id.clone()]);
    let added = newcomer
        .graphql("mutation { addAccountToPerson(accountType: BUSINESS) { user { account { id } } } }", json!({}))
        .await;
    added.assert_ok();
    assert_eq!(inbox(&newcomer).await, vec![id.clone()], "the second account of the login sees it too");
    // Newest first.
    let later = request_from(&api, &api, "new.person@example.com").await;
    assert_eq!(inbox(&newcomer).await, [later, id]);
}

#[actix_web::test]
async fn request_payment_refuses_each_rule_in_order() {
    let api = Api::start_with(&[NO_US_OFFICERS]).await;
    let today = clock_now(&api).await.date_naive();
    let date = midnight(today);
    let field = "requestPayment";
    request(&api, ask("payer@example.com", &date, json!({}))).await.assert_refused(field, "I-4100", LOGGED_OUT);
    let requester = api.client();
    verified_business(&api, &requester, "billing@testbiz.com", "TestBiz").await;
    // An address whose every account is closed.
    let closed = api.client();
    closed.sign_up_person("closed@example.com").await;
    let (closed_account, _) = current_account_status(&closed).await;
    api.admin(&["disable-account", &closed_account]).await;

    let refusals: Vec<(Value, &str, String)> = vec![
        (ask("not an email", &date, json!({})), "I-4204", "This is not a valid email address.".into()),
        (ask("Billing@TestBiz.com", &date, json!({})), "I-4605", "You cannot request a payment from yourself.".into()),
        (ask("closed@example.com", &date, json!({})), "I-4610", "This email cannot receive payment requests.".into()),
        (ask("a@example.com", &date, json!({ "currency": "XAU" })), "I-4740", "Currency XAU is not supported.".into()),
        (
            ask("a@example.com", &date, json!({ "currency": "CAD" })),
            "I-4606",
            "Payment requests must be in your account's currency.".into(),
        ),
        (
            ask("a@example.com", &date, json!({ "amount": 25.001 })),
            "I-4736",
            "Amount has more decimal places than USD allows.".into(),
        ),
        (ask("a@example.com", &date, json!({ "amount": 0 })), "I-4737", "Amount must be greater than zero.".into()),
        (
            ask("a@example.com", &format!("{}T10:30:00.000Z", today.format("%Y-%m-%d")), json!({})),
            "I-4303",
            "This is not a valid date. Must strictly match format: YYYY-MM-DD".into(),
        ),
        (
            ask("a@example.com", &midnight(today - TimeDelta::days(1)), json!({})),
            "I-4738",
            "The selected date cannot be before today.".into(),
        ),
        (
            ask("a@example.com", &midnight(today + TimeDelta::days(366)), json!({})),
            "I-4739",
            "You cannot schedule a payment more than a year in advance from the current day.".into(),
        ),
        (
            ask("a@example.com", &date, json!({ "description": "  " })),
            "I-4744",
            "Description must be 1 to 140 characters.".into(),
        ),
        (
            ask("a@example.com", &date, json!({ "description": "x".repeat(141) })),
            "I-4744",
            "Description must be 1 to 140 characters.".into(),
        ),
        (
            ask("a@example.com", &date, json!({ "emailMessage": "m".repeat(501) })),
            "I-4745",
            "Message must be at most 500 characters.".into(),
        ),
    ];
    for (data, code, message) in refusals {
        request(&requester, data).await.assert_refused(field, code, &message);
    }
    // The limits themselves are accepted.
    let edge = ask(
        "a@example.com",
        &midnight(today + TimeDelta::days(365)),
        json!({ "description": "x".repeat(140), "emailMessage": "m".repeat(500) }),
    );
    request(&requester, edge).await.assert_ok();
    // DISABLED comes before the address's checks.
    let (account, _) = current_account_status(&requester).await;
    api.admin(&["disable-account", &account]).await;
    request(&requester, ask("not an email", &date, json!({}))).await.assert_refused(field, "I-4430", DISABLED);
    assert!(api.mailbox("closed@example.com").await.iter().all(|m| m["template"] != "payment_request"));
}

#[actix_web::test]
async fn an_unknown_id_is_refused_by_the_public_view() {
    let api = Api::start().await;
    for id in ["0190b5c9-8a10-7f42-b3c4-d5e6f7081920", "not-an-id", ""] {
        by_id(&api, id).await.assert_refused("paymentRequestById", "I-4602", INACCESSIBLE);
    }
    api.client().graphql(REQUESTED, json!({})).await.assert_refused("requestedPayments", "I-4100", LOGGED_OUT);
}

#[actix_web::test]
async fn resend_sends_the_email_again_up_to_the_limit() {
    let api = Api::start_with(&[NO_US_OFFICERS, ("PAYMENT_REQUEST_MAX_RESENDS", "2")]).await;
    let payer = requester_and_payer(&api).await;
    let field = "resendPaymentRequest";
    let id = request_from(&api, &api, "payer@example.com").await;
    api.client()
        .graphql(RESEND, json!({ "data": { "paymentRequestId": id } }))
        .await
        .assert_refused(field, "I-4100", LOGGED_OUT);
    resend(&api, "0190b5c9-8a10-7f42-b3c4-d5e6f7081920").await.assert_refused(field, "I-4602", INACCESSIBLE);
    // Another account's request answers as an unknown one, even to its addressee.
    resend(&payer, &id).await.assert_refused(field, "I-4602", INACCESSIBLE);
    for _ in 0..2 {
        assert_eq!(resend(&api, &id).await.assert_ok()[field]["message"], "Payment Request sent.");
    }
    resend(&api, &id).await.assert_refused(field, "I-4608", "This payment request has been resent too many times.");
    let sent = api.mailbox("payer@example.com").await;
    let links: Vec<&Value> = sent.iter().filter(|m| m["template"] == "payment_request").map(|m| &m["links"]).collect();
    assert_eq!(links.len(), 3, "the request's email and two resends");
    assert!(links.iter().all(|l| **l == json!([format!("http://localhost:8000/payment-request?id={id}")])));

    // A pay-me request has no addressee; a declined one is no longer open.
    let pay_me_id = pay_me(&api.client(), json!({ "slug": "TestBiz", "amount": 5 })).await.assert_ok()
        ["generatePayMeRequest"]["paymentRequestId"]
        .as_str()
        .expect("an id")
        .to_owned();
    resend(&api, &pay_me_id).await.assert_refused(field, "I-4604", "This payment request does not have a recipient.");
    let other = request_from(&api, &api, "payer@example.com").await;
    decline(&payer, &other).await.assert_ok();
    resend(&api, &other).await.assert_refused(field, "I-4607", NOT_OPEN);
}

#[actix_web::test]
async fn concurrent_resends_count_exactly() {
    let api = Api::start_with(&[NO_US_OFFICERS, ("PAYMENT_REQUEST_MAX_RESENDS", "3")]).await;
    verified_business(&api, &api, "billing@testbiz.com", "TestBiz").await;
    let id = request_from(&api, &api, "someone@example.com").await;
    let answers = join_all((0..8).map(|_| resend(&api, &id))).await;
    let sent = answers.iter().filter(|a| a.body.get("errors").is_none()).count();
    assert_eq!(sent, 3, "{answers:?}");
    assert!(answers.iter().filter(|a| a.body.get("errors").is_some()).all(|a| a.error_code() == Some("I-4608")));
}

#[actix_web::test]
async fn the_addressee_declines_and_the_requester_is_told() {
    let api = Api::start_with(&[NO_US_OFFICERS]).await;
    let payer = requester_and_payer(&api).await;
    let field = "declinePaymentRequest";
    let id = request_from(&api, &api, "payer@example.com").await;
    api.client().graphql(DECLINE, json!({ "id": id })).await.assert_refused(field, "I-4100", LOGGED_OUT);
    decline(&payer, "0190b5c9-8a10-7f42-b3c4-d5e6f7081920").await.assert_refused(field, "I-4602", INACCESSIBLE);
    // The requester itself, another login, and anyone for a pay-me request may not decline.
    decline(&api, &id).await.assert_refused(field, "I-4603", CANNOT_DECLINE);
    let stranger = api.client();
    stranger.sign_up_person("stranger@example.com").await;
    decline(&stranger, &id).await.assert_refused(field, "I-4603", CANNOT_DECLINE);
    let pay_me_id = pay_me(&api.client(), json!({ "slug": "testbiz", "amount": 5 })).await.assert_ok()
        ["generatePayMeRequest"]["paymentRequestId"]
        .as_str()
        .expect("an id")
        .to_owned();
    decline(&payer, &pay_me_id).await.assert_refused(field, "I-4603", CANNOT_DECLINE);

    assert_eq!(decline(&payer, &id).await.assert_ok()[field]["message"], "Payment request declined");
    assert_eq!(status_of(&by_id(&api, &id).await), "DECLINED");
    assert!(inbox(&payer).await.is_empty());
    decline(&payer, &id).await.assert_refused(field, "I-4603", CANNOT_DECLINE);
    let told = api.mailbox("billing@testbiz.com").await;
    let declined: Vec<&Value> = told.iter().filter(|m| m["template"] == "payment_request_declined").collect();
    assert_eq!(declined.len(), 1, "{told:?}");
    let text = declined[0]["text"].as_str().expect("a text body");
    assert!(text.contains("25.00 USD") && text.contains("Jane Doe"), "{text}");
}

#[actix_web::test]
async fn a_pay_me_request_is_made_for_an_open_business_only() {
    let api = Api::start_with(&[NO_US_OFFICERS]).await;
    let field = "generatePayMeRequest";
    verified_business(&api, &api, "billing@testbiz.com", "TestBiz").await;
    let personal = api.client();
    verify_personal(&api, &personal, "jane@example.com", "JaneDoe").await;
    let closed = api.client();
    verified_business(&api, &closed, "closed@example.com", "ClosedBiz").await;
    let (closed_account, _) = current_account_status(&closed).await;
    api.admin(&["disable-account", &closed_account]).await;
    let visitor = api.client();
    let not_in_use = "This PayMe Handle is not in use.";
    for slug in ["nobody", "pay-me", "ClosedBiz"] {
        pay_me(&visitor, json!({ "slug": slug, "amount": 5 })).await.assert_refused(field, "I-5101", not_in_use);
    }
    pay_me(&visitor, json!({ "slug": "JaneDoe", "amount": 5 })).await.assert_refused(
        field,
        "I-5102",
        "Generating payments to personal accounts is not currently supported.",
    );
    pay_me(&visitor, json!({ "slug": "TestBiz", "amount": 5.001 })).await.assert_refused(
        field,
        "I-4736",
        "Amount has more decimal places than USD allows.",
    );
    pay_me(&visitor, json!({ "slug": "TestBiz", "amount": -1 })).await.assert_refused(
        field,
        "I-4737",
        "Amount must be greater than zero.",
    );
    pay_me(&visitor, json!({ "slug": "TestBiz", "amount": 5, "description": "d".repeat(141) })).await.assert_refused(
        field,
        "I-4744",
        "Description must be 1 to 140 characters.",
    );

    let made = pay_me(&visitor, json!({ "slug": "  testbiz ", "amount": 50, "description": " testing " })).await;
    let id = made.assert_ok()[field]["paymentRequestId"].as_str().expect("an id").to_owned();
    let today = midnight(clock_now(&api).await.date_naive());
    assert_eq!(
        by_id(&visitor, &id).await.assert_ok()["paymentRequestById"],
        json!({ "id": id, "status": "REQUESTED", "currency": "USD", "amount": 50.0, "description": "testing",
                "createdBy": { "account": { "accountType": "BUSINESS", "displayName": "Acme Widgets LLC",
                                            "currency": "USD", "slug": "TestBiz" },
                               "email": null, "lastActivityAt": null },
                "chargeDate": today, "requestedToDisplayName": null, "redirectUrl": null })
    );
    let blank = pay_me(&visitor, json!({ "slug": "TestBiz", "amount": 1, "description": "  " })).await;
    let blank_id = blank.assert_ok()[field]["paymentRequestId"].as_str().expect("an id").to_owned();
    assert_eq!(by_id(&visitor, &blank_id).await.assert_ok()["paymentRequestById"]["description"], Value::Null);
    // No email, and nobody's inbox.
    assert!(api.mailbox("billing@testbiz.com").await.iter().all(|m| m["template"] != "payment_request"));
    // The business's redirectUrl is where the page sends the payer afterwards.
    api.graphql(
        "mutation Profile($data: UpdateAccountInput!) { updateAccount(data: $data) { message } }",
        json!({ "data": { "redirectUrl": "https://testbiz.example/thanks" } }),
    )
    .await
    .assert_ok();
    let shown = by_id(&visitor, &id).await;
    assert_eq!(shown.assert_ok()["paymentRequestById"]["redirectUrl"], "https://testbiz.example/thanks");
}

#[actix_web::test]
async fn a_payment_session_for_a_request_pays_the_requester_its_amount() {
    let api = Api::start_with(&[NO_US_OFFICERS]).await;
    let payer = requester_and_payer(&api).await;
    let field = "createPaymentForRequestSession";
    let id = request_from(&api, &api, "payer@example.com").await;
    api.client()
        .graphql(PAY, json!({ "data": { "paymentRequestId": id, "paymentSessionType": "MAKE_PAYMENT" } }))
        .await
        .assert_refused(field, "I-4100", LOGGED_OUT);
    pay(&payer, &id, "REFUND").await.assert_refused(
        field,
        "I-4906",
        "Payment requests can only be paid with a MAKE_PAYMENT session.",
    );
    pay(&payer, "0190b5c9-8a10-7f42-b3c4-d5e6f7081920", "MAKE_PAYMENT").await.assert_refused(
        field,
        "I-4602",
        INACCESSIBLE,
    );
    pay(&api, &id, "MAKE_PAYMENT").await.assert_refused(field, "I-4902", "You cannot pay yourself.");
    let stranger = api.client();
    verified_personal(&api, &stranger, "stranger@example.com", "Stranger").await;
    pay(&stranger, &id, "MAKE_PAYMENT").await.assert_refused(
        field,
        "I-4905",
        "This payment request is addressed to someone else.",
    );

    let answer = pay(&payer, &id, "MAKE_PAYMENT").await;
    assert_eq!(answer.assert_ok()[field]["message"], "Payment for request session created!");
    let session = payer
        .graphql(
            "query { paymentSession { payer { currency } beneficiary { currency contact { account { slug } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        session.assert_ok()["paymentSession"],
        json!({ "payer": { "currency": "USD" },
                "beneficiary": { "currency": "USD", "contact": { "account": { "slug": "TestBiz" } } } })
    );
    // A pay-me request may be paid by anyone, the stranger included; the request stays open meanwhile.
    let pay_me_id = pay_me(&api.client(), json!({ "slug": "TestBiz", "amount": 5 })).await.assert_ok()
        ["generatePayMeRequest"]["paymentRequestId"]
        .as_str()
        .expect("an id")
        .to_owned();
    pay(&stranger, &pay_me_id, "MAKE_PAYMENT").await.assert_ok();
    assert_eq!(status_of(&by_id(&api, &id).await), "REQUESTED");

    // Declined: no longer open.
    decline(&payer, &id).await.assert_ok();
    pay(&payer, &id, "MAKE_PAYMENT").await.assert_refused(field, "I-4607", NOT_OPEN);
    // DISABLED payer: I-4430 before anything else.
    let (stranger_account, _) = current_account_status(&stranger).await;
    api.admin(&["disable-account", &stranger_account]).await;
    pay(&stranger, &pay_me_id, "REFUND").await.assert_refused(field, "I-4430", DISABLED);
}

#[actix_web::test]
async fn a_request_is_paid_only_by_a_payer_and_to_a_requester_that_can() {
    let api = Api::start_with(&[NO_US_OFFICERS]).await;
    let field = "createPaymentForRequestSession";
    // A requester with no bank account yet.
    api.sign_up_seed().await;
    let unpayable = request_from(&api, &api, "payer@example.com").await;
    let requester = api.client();
    verified_business(&api, &requester, "billing@testbiz.com", "TestBiz").await;
    let payable = request_from(&api, &requester, "payer@example.com").await;
    let open_to_all = request_from(&api, &requester, "notsetup@example.com").await;

    // A payer that cannot pay yet (NOT_SETUP, with a bank account).
    let not_setup = api.client();
    payable_account(&not_setup, "notsetup@example.com", "PERSONAL", ("US", "USD"), "10001").await;
    pay(&not_setup, &open_to_all, "MAKE_PAYMENT").await.assert_refused(
        field,
        "I-4732",
        "You are unable to make payments from your account at this time. Please enable funding balance or wait until your account is approved to use this feature.",
    );
    // A payer that may pay but has no bank account.
    let payer = api.client();
    verify_personal(&api, &payer, "payer@example.com", "PayerOne").await;
    pay(&payer, &unpayable, "MAKE_PAYMENT").await.assert_refused(
        field,
        "I-4750",
        "This recipient cannot receive payments yet.",
    );
    pay(&payer, &payable, "MAKE_PAYMENT").await.assert_refused(
        field,
        "I-4903",
        "There was an issue accessing your bank account information.",
    );
}

/// The lifecycle steps, run as submit and settlement will run them: in a transaction on the server's database.
async fn in_transaction<T: Send + 'static>(
    api: &Api,
    work: impl FnOnce(&mut store::Tx<'_>) -> Result<T, payments::PaymentsError> + Send + 'static,
) -> Result<T, payments::PaymentsError> {
    kernel::with_transaction(&api.state.pool, work).await
}

/// take_for_payment in a transaction of its own; answers the refusal's code, if any.
async fn take(api: &Api, id: &str, account: &kernel::AccountId, payment: &str, now: DateTime<Utc>) -> Option<String> {
    let (id, account, payment) = (id.to_owned(), account.clone(), payment.to_owned());
    refusal_code(in_transaction(api, move |tx| payments::take_for_payment(tx, &id, &account, &payment, now)).await)
}

fn refusal_code(result: Result<(), payments::PaymentsError>) -> Option<String> {
    match result {
        Ok(()) => None,
        Err(error) => match kernel::ApiError::from(error) {
            kernel::ApiError::Refused(refusal) => Some(refusal.code().to_owned()),
            other => Some(format!("{other:?}")),
        },
    }
}

/// A submitted payment of the payer@example.com account (to a Canadian business): what a request's payment
/// would be, for the lifecycle steps to name. Answers (payer client, payer account id, payment id).
async fn a_payment(api: &Api) -> (Client, kernel::AccountId, String) {
    let (payer, _) = payer_and_session(api).await;
    price_session(api, &payer, 10.0).await;
    let submitted = payer.graphql("mutation { submitPaymentSession { id } }", json!({})).await;
    let payment = submitted.assert_ok()["submitPaymentSession"]["id"].as_str().expect("a payment").to_owned();
    let (account, _) = current_account_status(&payer).await;
    (payer, kernel::AccountId::from_text(account), payment)
}

#[actix_web::test]
async fn a_request_moves_through_processing_to_complete_or_back_to_requested() {
    let api = Api::start_with(&[NO_US_OFFICERS]).await;
    let (payer, payer_account, payment) = a_payment(&api).await;
    let requester = api.client();
    verified_business(&api, &requester, "billing@testbiz.com", "TestBiz").await;
    let id = request_from(&api, &requester, "payer@example.com").await;
    let now: DateTime<Utc> = clock_now(&api).await;

    // What updatePaymentSession will hold a session for it to.
    let fixed = payments::requested_amount(&mut api.state.pool.get().expect("connection"), &id).expect("read");
    assert_eq!(fixed.map(|m| (m.minor_units(), m.currency().code())), Some((2500, "USD")));
    assert_eq!(take(&api, &id, &payer_account, &payment, now).await, None);
    assert_eq!(status_of(&by_id(&api, &id).await), "PROCESSING");
    assert!(inbox(&payer).await.is_empty(), "a request under way leaves the inbox");
    // Taken once: a second payment, and a decline, are refused.
    assert_eq!(take(&api, &id, &payer_account, &payment, now).await.as_deref(), Some("I-4711"));
    decline(&payer, &id).await.assert_refused("declinePaymentRequest", "I-4603", CANNOT_DECLINE);
    pay(&payer, &id, "MAKE_PAYMENT").await.assert_refused("createPaymentForRequestSession", "I-4607", NOT_OPEN);
    resend(&requester, &id).await.assert_refused("resendPaymentRequest", "I-4607", NOT_OPEN);

    // The payment fails: open again, back in the inbox.
    let (ended, failed) = (payment.clone(), payments::PaymentEntryStatus::Failed);
    let changed = in_transaction(&api, move |tx| payments::payment_ended(tx, &ended, failed, now)).await;
    assert_eq!(changed.ok().flatten().map(|(_, s)| s), Some(payments::PaymentRequestStatus::Requested));
    assert_eq!(status_of(&by_id(&api, &id).await), "REQUESTED");
    assert_eq!(inbox(&payer).await, vec![id.clone()]);

    // Taken again, and this time the payment completes.
    assert_eq!(take(&api, &id, &payer_account, &payment, now).await, None);
    let (ended, pending) = (payment.clone(), payments::PaymentEntryStatus::InTransit);
    let unchanged = in_transaction(&api, move |tx| payments::payment_ended(tx, &ended, pending, now)).await;
    assert_eq!(unchanged.ok().flatten(), None, "IN_TRANSIT is not an end");
    let (ended, complete) = (payment.clone(), payments::PaymentEntryStatus::Complete);
    let changed = in_transaction(&api, move |tx| payments::payment_ended(tx, &ended, complete, now)).await;
    assert_eq!(changed.ok().flatten(), Some((id.clone(), payments::PaymentRequestStatus::Complete)));
    assert_eq!(status_of(&by_id(&api, &id).await), "COMPLETE");

    // Someone else's account may not take a request addressed to payer@example.com.
    let other = request_from(&api, &requester, "payer@example.com").await;
    let (requester_account, _) = current_account_status(&requester).await;
    let requester_account = kernel::AccountId::from_text(requester_account);
    assert_eq!(take(&api, &other, &requester_account, &payment, now).await.as_deref(), Some("I-4711"));
    assert_eq!(take(&api, "no-such-request", &payer_account, &payment, now).await.as_deref(), Some("I-4711"));
}

#[actix_web::test]
async fn a_closing_requester_cancels_its_open_requests() {
    let api = Api::start_with(&[NO_US_OFFICERS]).await;
    let (payer, payer_account, payment) = a_payment(&api).await;
    let requester = api.client();
    verified_business(&api, &requester, "billing@testbiz.com", "TestBiz").await;
    let open = request_from(&api, &requester, "payer@example.com").await;
    let under_way = request_from(&api, &requester, "payer@example.com").await;
    let now = clock_now(&api).await;
    let (taken, account, paid_by) = (under_way.clone(), payer_account.clone(), payment.clone());
    in_transaction(&api, move |tx| payments::take_for_payment(tx, &taken, &account, &paid_by, now))
        .await
        .expect("taken");
    let (requester_account, _) = current_account_status(&requester).await;
    api.admin(&["disable-account", &requester_account]).await;
    let closing = kernel::AccountId::from_text(requester_account);
    let cancelled = in_transaction(&api, move |tx| payments::cancel_for_account(tx, &closing, now)).await;
    assert_eq!(cancelled.ok(), Some(1));
    assert_eq!(status_of(&by_id(&api, &open).await), "CANCELED");
    assert_eq!(status_of(&by_id(&api, &under_way).await), "PROCESSING");
    assert!(inbox(&payer).await.is_empty());
    // Its payment then fails: the request does not reopen for a closed requester.
    let (ended, returned) = (payment.clone(), payments::PaymentEntryStatus::Returned);
    let changed = in_transaction(&api, move |tx| payments::payment_ended(tx, &ended, returned, now)).await;
    assert_eq!(changed.ok().flatten().map(|(_, s)| s), Some(payments::PaymentRequestStatus::Canceled));
    assert!(inbox(&payer).await.is_empty());
}

#[actix_web::test]
async fn a_request_is_taken_for_one_payment_only_however_many_submits_race() {
    let api = Api::start_with(&[NO_US_OFFICERS]).await;
    let (_, payer_account, payment) = a_payment(&api).await;
    let requester = api.client();
    verified_business(&api, &requester, "billing@testbiz.com", "TestBiz").await;
    let id = request_from(&api, &requester, "payer@example.com").await;
    let now = clock_now(&api).await;
    let attempts = (0..20).map(|_| {
        let (id, account, payment) = (id.clone(), payer_account.clone(), payment.clone());
        in_transaction(&api, move |tx| payments::take_for_payment(tx, &id, &account, &payment, now))
    });
    let results: Vec<Option<String>> = join_all(attempts).await.into_iter().map(refusal_code).collect();
    assert_eq!(results.iter().filter(|r| r.is_none()).count(), 1, "{results:?}");
    assert!(results.iter().flatten().all(|code| code == "I-4711"), "{results:?}");
}

#[actix_web::test]
async fn a_payer_with_a_stale_balance_gets_the_session_and_the_action_to_take() {
    let api = Api::start_with(&[NO_US_OFFICERS, ("BANK_BALANCE_MAX_AGE", "10m")]).await;
    verified_business(&api, &api, "billing@testbiz.com", "TestBiz").await;
    let payer = api.client();
    verify_personal(&api, &payer, "payer@example.com", "PayerOne").await;
    // Fixture 10003 has a balance as of 2000-01-01.
    link_bank_link_fixture(&payer, "10003").await;
    let id = request_from(&api, &api, "payer@example.com").await;
    let answer = payer
        .graphql(
            "mutation Pay($data: CreatePaymentForRequestSessionInput!) { createPaymentForRequestSession(data: $data) { __typename ... on ActionRequiredForPayment { dataNeeded { idUpload } balanceRefreshRequired { type } } } }",
            json!({ "data": { "paymentRequestId": id, "paymentSessionType": "MAKE_PAYMENT" } }),
        )
        .await;
    assert_eq!(
        answer.assert_ok()["createPaymentForRequestSession"],
        json!({ "__typename": "ActionRequiredForPayment", "dataNeeded": null,
                "balanceRefreshRequired": { "type": "USER_BALANCE_REFRESH_REQUIRED" } })
    );
    let session = payer.graphql("query { paymentSession { beneficiary { currency } } }", json!({})).await;
    assert_eq!(session.assert_ok()["paymentSession"]["beneficiary"]["currency"], "USD");
}

const DEFINE: &str = "mutation Define($data: UpdatePaymentSessionInput!) { updatePaymentSession(data: $data) { __typename ... on SuccessResult { message } } }";
const REVIEW: &str = "query { paymentSession { reviewPayment { description quoteBasis paymentObject { quoteId payer { currency subAmount totalAmount } beneficiary { currency subAmount totalAmount } } } } }";
const NOT_REQUESTED: &str = "The amount must equal the payment request's amount.";

/// updatePaymentSession's input for a request's session: `amount`, dated today, with `overrides` on top.
async fn define(api: &Api, client: &Client, amount: Value, overrides: Value) -> Answer {
    let today = clock_now(api).await.date_naive().format("%Y-%m-%d").to_string();
    let mut data = json!({ "amount": amount, "description": "Invoice 7", "valueDate": today });
    if let (Some(data), Some(extra)) = (data.as_object_mut(), overrides.as_object()) {
        data.extend(extra.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    client.graphql(DEFINE, json!({ "data": data })).await
}

async fn review(client: &Client) -> Value {
    client.graphql(REVIEW, json!({})).await.assert_ok()["paymentSession"]["reviewPayment"].clone()
}

#[actix_web::test]
async fn a_session_for_a_request_is_priced_only_at_the_requested_amount() {
    let api = Api::start_with(&[NO_US_OFFICERS]).await;
    let payer = requester_and_payer(&api).await;
    let id = request_from(&api, &api, "payer@example.com").await;
    pay(&payer, &id, "MAKE_PAYMENT").await.assert_ok();
    let field = "updatePaymentSession";

    // Rule 3 comes before rule 4: a malformed amount is reported as such, whatever the request says.
    let too_precise = "Amount has more decimal places than USD allows.";
    define(&api, &payer, json!(25.001), json!({})).await.assert_refused(field, "I-4736", too_precise);
    let not_positive = "Amount must be greater than zero.";
    define(&api, &payer, json!(0), json!({})).await.assert_refused(field, "I-4737", not_positive);
    // Another amount, or the right one fixed on the payer's side, is refused; rule 4 before the description.
    define(&api, &payer, json!(30), json!({})).await.assert_refused(field, "I-4749", NOT_REQUESTED);
    define(&api, &payer, json!(24.99), json!({ "quoteBasis": "BENEFICIARY" })).await.assert_refused(
        field,
        "I-4749",
        NOT_REQUESTED,
    );
    define(&api, &payer, json!(25), json!({ "quoteBasis": "PAYER" })).await.assert_refused(
        field,
        "I-4749",
        NOT_REQUESTED,
    );
    define(&api, &payer, json!(30), json!({ "description": " " })).await.assert_refused(field, "I-4749", NOT_REQUESTED);
    assert_eq!(review(&payer).await, Value::Null, "a refusal prices nothing");

    // The request's amount, basis BENEFICIARY by default (or given), is priced.
    let priced = define(&api, &payer, json!(25), json!({})).await;
    assert_eq!(priced.assert_ok()[field]["message"], "Payment session successfully updated");
    let shown = review(&payer).await;
    assert_eq!(shown["quoteBasis"], "BENEFICIARY");
    assert_eq!(shown["paymentObject"]["beneficiary"]["currency"], "USD");
    assert_eq!(shown["paymentObject"]["beneficiary"]["subAmount"], json!(25.0));
    let first_quote = shown["paymentObject"]["quoteId"].clone();
    define(&api, &payer, json!(25), json!({ "quoteBasis": "BENEFICIARY" })).await.assert_ok();

    // A refused change leaves the priced definition and its quote as they were; updateQuote keeps the amount.
    let before = review(&payer).await;
    assert_ne!(before["paymentObject"]["quoteId"], first_quote, "every update takes a new quote");
    define(&api, &payer, json!(26), json!({ "description": "Changed" })).await.assert_refused(
        field,
        "I-4749",
        NOT_REQUESTED,
    );
    assert_eq!(review(&payer).await, before);
    let requoted = payer.graphql("mutation { updateQuote { ... on SuccessResult { message } } }", json!({})).await;
    assert_eq!(requoted.assert_ok()["updateQuote"]["message"], "Quote updated!");
    let after = review(&payer).await;
    assert_eq!(after["paymentObject"]["beneficiary"]["subAmount"], json!(25.0));
    assert_eq!(after["quoteBasis"], "BENEFICIARY");
}

#[actix_web::test]
async fn a_session_not_for_a_request_keeps_any_amount_and_basis_payer_by_default() {
    let api = Api::start_with(&[NO_US_OFFICERS]).await;
    let payer = requester_and_payer(&api).await;
    // A request exists, but this session names the requester directly: nothing fixes its amount.
    request_from(&api, &api, "payer@example.com").await;
    let created = payer.graphql("mutation { createPaymentSession(toSlug: \"TestBiz\") { message } }", json!({})).await;
    created.assert_ok();
    define(&api, &payer, json!(30), json!({})).await.assert_ok();
    let shown = review(&payer).await;
    assert_eq!(shown["quoteBasis"], "PAYER");
    assert_eq!(shown["paymentObject"]["payer"]["subAmount"], json!(30.0));
}
