//! A payment request and the payment that pays it (flows.md section 8, "Payment requests"): submit takes the
//! request under its lock (REQUESTED → PROCESSING, at most one payment however many submit at once),
//! settlement completes it or opens it again, and a closing requester cancels what is still open.

use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::fixtures::{clock_now, link_bank_link_fixture, verified_business, verified_personal, verify_personal};
use crate::harness::{Api, Client, SEED_PASSWORD};
use crate::payment_settlement::{assert_ledger_balanced, status};

const NO_US_OFFICERS: (&str, &str) = ("UBO_REQUIRED_COUNTRIES", "GB");
const SUBMIT: &str = "mutation { submitPaymentSession { id } }";

fn today(now: chrono::DateTime<chrono::Utc>) -> String {
    now.date_naive().format("%Y-%m-%d").to_string()
}

/// `client`'s current account asks `to` for `amount` USD, dated today; answers the request's id.
async fn ask(api: &Api, client: &Client, to: &str, amount: f64) -> String {
    let date = today(clock_now(api).await);
    let answer = client
        .graphql(
            "mutation($data: RequestPaymentInput!) { requestPayment(data: $data) { id } }",
            json!({ "data": { "toEmail": to, "amount": amount, "currency": "USD", "valueDate": date,
                              "description": "Invoice 7" } }),
        )
        .await;
    answer.assert_ok()["requestPayment"]["id"].as_str().expect("an id").to_owned()
}

/// A pay-me request of TestBiz for `amount` USD; answers its id.
async fn pay_me(api: &Api, amount: f64) -> String {
    let answer = api
        .client()
        .graphql(
            "mutation($data: GeneratePayMeRequestInput!) { generatePayMeRequest(data: $data) { paymentRequestId } }",
            json!({ "data": { "slug": "TestBiz", "amount": amount } }),
        )
        .await;
    answer.assert_ok()["generatePayMeRequest"]["paymentRequestId"].as_str().expect("an id").to_owned()
}

/// Opens and prices a payment session of the client for the request: its amount in its currency, basis
/// BENEFICIARY.
async fn prepare(api: &Api, client: &Client, request: &str, amount: f64) {
    let opened = client
        .graphql(
            "mutation($data: CreatePaymentForRequestSessionInput!) { createPaymentForRequestSession(data: $data) { ... on SuccessResult { message } } }",
            json!({ "data": { "paymentRequestId": request, "paymentSessionType": "MAKE_PAYMENT" } }),
        )
        .await;
    assert_eq!(opened.assert_ok()["createPaymentForRequestSession"]["message"], "Payment for request session created!");
    let date = today(clock_now(api).await);
    let priced = client
        .graphql(
            "mutation($data: UpdatePaymentSessionInput!) { updatePaymentSession(data: $data) { ... on SuccessResult { message } } }",
            json!({ "data": { "amount": amount, "description": "Invoice 7", "valueDate": date,
                              "quoteBasis": "BENEFICIARY" } }),
        )
        .await;
    assert_eq!(priced.assert_ok()["updatePaymentSession"]["message"], "Payment session successfully updated");
}

async fn request_status(api: &Api, id: &str) -> String {
    let answer =
        api.client().graphql("query($id: ID!) { paymentRequestById(id: $id) { status } }", json!({ "id": id })).await;
    answer.assert_ok()["paymentRequestById"]["status"].as_str().expect("a status").to_owned()
}

/// Walks every payment through settlement's delays (collection, payout, international arrival).
async fn settle(api: &Api) {
    for seconds in [30, 30, 600] {
        api.advance(chrono::TimeDelta::seconds(seconds)).await;
    }
}

#[actix_web::test]
async fn the_payment_of_a_request_takes_it_and_completes_it() {
    let api = Api::start_with(&[NO_US_OFFICERS]).await;
    verified_business(&api, &api, "billing@testbiz.com", "TestBiz").await;
    let payer = api.client();
    verified_personal(&api, &payer, "payer@example.com", "PayerOne").await;
    let request = ask(&api, &api, "payer@example.com", 25.0).await;
    prepare(&api, &payer, &request, 25.0).await;
    // A second login session of the payer prepares the same request meanwhile.
    let again = api.client();
    again.login("payer@example.com", SEED_PASSWORD).await.assert_ok();
    prepare(&api, &again, &request, 25.0).await;

    let paid = payer.graphql(SUBMIT, json!({})).await;
    let payment = paid.assert_ok()["submitPaymentSession"]["id"].as_str().expect("a payment id").to_owned();
    assert_eq!(request_status(&api, &request).await, "PROCESSING");
    again.graphql(SUBMIT, json!({})).await.assert_refused(
        "submitPaymentSession",
        "I-4711",
        "This payment request is not valid.",
    );
    // The refused submit left its session as it was.
    let kept = again.graphql("query { paymentSession { reviewPayment { description } } }", json!({})).await;
    assert_eq!(kept.assert_ok()["paymentSession"]["reviewPayment"]["description"], "Invoice 7");

    settle(&api).await;
    assert_eq!(status(&api, &payment), "COMPLETE");
    assert_eq!(request_status(&api, &request).await, "COMPLETE");
    assert_ledger_balanced(&api, 3).await;

    // Both sides list the request under one id, with its status, beside the payment that paid it.
    let query = "query($id: ID!) { paymentActivityById(id: $id) { id type status subAmount totalFeeAmount totalAmount currency description paymentRequestLink contact { email account { slug } } } }";
    let made = api.graphql(query, json!({ "id": request })).await;
    let link = format!("http://localhost:8000/payment-request?id={request}");
    assert_eq!(
        made.assert_ok()["paymentActivityById"],
        json!({ "id": request, "type": "CREATED_PAYMENT_REQUEST", "status": "COMPLETE", "subAmount": 25.0,
                "totalFeeAmount": 0.0, "totalAmount": 25.0, "currency": "USD", "description": "Invoice 7",
                "paymentRequestLink": link,
                "contact": { "email": "payer@example.com", "account": null } })
    );
    let received = payer.graphql(query, json!({ "id": request })).await;
    let received = &received.assert_ok()["paymentActivityById"];
    assert_eq!((&received["type"], &received["status"]), (&json!("RECEIVED_PAYMENT_REQUEST"), &json!("COMPLETE")));
    assert_eq!(received["contact"], json!({ "email": null, "account": { "slug": "TestBiz" } }));
    let listed = payer.graphql("query { paymentActivity { entries { id type } } }", json!({})).await;
    let types: Vec<(String, String)> = listed.assert_ok()["paymentActivity"]["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| (e["type"].as_str().unwrap_or("").to_owned(), e["id"].as_str().unwrap_or("").to_owned()))
        .collect();
    assert_eq!(
        types,
        [("CREATED_PAYMENT".to_owned(), payment.clone()), ("RECEIVED_PAYMENT_REQUEST".to_owned(), request.clone())]
    );
    // Another account's request is not found, like a missing id.
    let stranger = api.client();
    verified_personal(&api, &stranger, "stranger@example.com", "Stranger").await;
    stranger.graphql(query, json!({ "id": request })).await.assert_refused(
        "paymentActivityById",
        "I-4904",
        "There is no payment activity with this id.",
    );
}

#[actix_web::test]
async fn a_request_whose_payment_is_declined_is_open_again() {
    let api = Api::start_with(&[NO_US_OFFICERS]).await;
    verified_business(&api, &api, "billing@testbiz.com", "TestBiz").await;
    let payer = api.client();
    verify_personal(&api, &payer, "payer@example.com", "PayerOne").await;
    // Fixture 10002 holds 40.00: a collection of 50.00 from it is declined.
    link_bank_link_fixture(&payer, "10002").await;
    let request = ask(&api, &api, "payer@example.com", 50.0).await;
    prepare(&api, &payer, &request, 50.0).await;
    let paid = payer.graphql(SUBMIT, json!({})).await;
    let payment = paid.assert_ok()["submitPaymentSession"]["id"].as_str().expect("a payment id").to_owned();
    settle(&api).await;
    assert_eq!(status(&api, &payment), "DECLINED");
    assert_eq!(request_status(&api, &request).await, "REQUESTED");
    assert_ledger_balanced(&api, 0).await;
}

#[actix_web::test]
async fn twenty_submits_from_two_payers_pay_a_request_once() {
    let api = Api::start_with(&[NO_US_OFFICERS]).await;
    verified_business(&api, &api, "billing@testbiz.com", "TestBiz").await;
    let request = pay_me(&api, 5.0).await;
    let mut sessions = Vec::new();
    for (email, slug) in [("first@example.com", "FirstPayer"), ("second@example.com", "SecondPayer")] {
        let payer = api.client();
        verified_personal(&api, &payer, email, slug).await;
        sessions.push(payer);
        for _ in 1..10 {
            let other = api.client();
            other.login(email, SEED_PASSWORD).await.assert_ok();
            sessions.push(other);
        }
    }
    for session in &sessions {
        prepare(&api, session, &request, 5.0).await;
    }

    let answers = join_all(sessions.iter().map(|session| session.graphql(SUBMIT, json!({})))).await;
    let made: Vec<&Value> = answers
        .iter()
        .filter(|answer| answer.body.get("errors").is_none())
        .map(|answer| &answer.body["data"]["submitPaymentSession"]["id"])
        .collect();
    assert_eq!(made.len(), 1, "{answers:#?}");
    for refused in answers.iter().filter(|answer| answer.body.get("errors").is_some()) {
        assert_eq!(refused.error_code(), Some("I-4711"), "{:?}", refused.body);
    }
    assert_eq!(request_status(&api, &request).await, "PROCESSING");
    let received = api.graphql("query { paymentActivity { entries { id type } } }", json!({})).await;
    let entries = received.assert_ok()["paymentActivity"]["entries"].as_array().expect("entries").clone();
    let payments: Vec<&Value> = entries.iter().filter(|e| e["type"] == "RECEIVED_PAYMENT").map(|e| &e["id"]).collect();
    assert_eq!(payments, made);
}

#[actix_web::test]
async fn a_closing_requester_cancels_its_open_requests_at_the_next_run() {
    let api = Api::start_with(&[NO_US_OFFICERS]).await;
    let business = verified_business(&api, &api, "billing@testbiz.com", "TestBiz").await;
    let payer = api.client();
    verified_personal(&api, &payer, "payer@example.com", "PayerOne").await;
    let open = ask(&api, &api, "payer@example.com", 25.0).await;
    let paid = ask(&api, &api, "payer@example.com", 10.0).await;
    prepare(&api, &payer, &paid, 10.0).await;
    let submitted = payer.graphql(SUBMIT, json!({})).await;
    let payment = submitted.assert_ok()["submitPaymentSession"]["id"].as_str().expect("a payment id").to_owned();

    api.admin(&["disable-account", &business]).await;
    api.advance(chrono::TimeDelta::seconds(0)).await;
    assert_eq!(request_status(&api, &open).await, "CANCELED");
    // The request being paid follows its payment, which the closed beneficiary cancels.
    assert_eq!(status(&api, &payment), "CANCELED");
    assert_eq!(request_status(&api, &paid).await, "CANCELED");
    assert_ledger_balanced(&api, 0).await;
}

#[actix_web::test]
async fn the_payment_of_a_pay_me_request_answers_the_businesses_redirect_url() {
    let api = Api::start_with(&[NO_US_OFFICERS]).await;
    verified_business(&api, &api, "billing@testbiz.com", "TestBiz").await;
    let redirect = "https://testbiz.example/thanks";
    api.graphql(
        "mutation($data: UpdateAccountInput!) { updateAccount(data: $data) { message } }",
        json!({ "data": { "redirectUrl": redirect } }),
    )
    .await
    .assert_ok();
    let payer = api.client();
    verified_personal(&api, &payer, "payer@example.com", "PayerOne").await;
    let paid = "mutation { submitPaymentSession { id paymentRedirectUrl } }";

    prepare(&api, &payer, &pay_me(&api, 12.0).await, 12.0).await;
    let answer = payer.graphql(paid, json!({})).await;
    assert_eq!(answer.assert_ok()["submitPaymentSession"]["paymentRedirectUrl"], redirect);
    // A request addressed to the payer is no pay-me request: nowhere to send the payer.
    prepare(&api, &payer, &ask(&api, &api, "payer@example.com", 13.0).await, 13.0).await;
    let answer = payer.graphql(paid, json!({})).await;
    assert_eq!(answer.assert_ok()["submitPaymentSession"]["paymentRedirectUrl"], Value::Null);
}
