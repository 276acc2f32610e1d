//! submitPaymentSession: the payment made once from a priced session with a live quote, its trade number,
//! first status and webhook event, and every refusal.

use chrono::TimeDelta;
use diesel::prelude::*;
use futures_util::future::join_all;
use serde_json::{Value, json};
use store::schema::{events, payment_status_changes, payments};

use crate::fixtures::{payer_and_session, price_session};
use crate::harness::{Answer, Api, Client};

const SUBMIT: &str = "mutation { submitPaymentSession { id paymentSessionType payerCurrency payerSubAmount payerTotalFeeAmount payerTotalAmount beneficiaryCurrency beneficiarySubAmount beneficiaryTotalFeeAmount beneficiaryTotalAmount payerToBeneficiaryFX description emailMessage valueDate afexTradeNumber paymentRedirectUrl } }";
const NOT_VALID: &str = "This is not a valid session.";
const EXPIRED: &str = "The quote has expired. Update the quote and try again.";

async fn submit(client: &Client) -> Answer {
    client.graphql(SUBMIT, json!({})).await
}

/// (id, status, payer total, beneficiary total, trade number) of every stored payment.
fn stored_payments(api: &Api) -> Vec<(String, String, i64, i64, String)> {
    let mut conn = api.state.pool.get().expect("connection");
    payments::table
        .order(payments::submitted_at.asc())
        .select((
            payments::id,
            payments::status,
            payments::payer_total,
            payments::beneficiary_total,
            payments::trade_number,
        ))
        .load(&mut conn)
        .expect("payments")
}

#[actix_web::test]
async fn a_priced_session_becomes_one_pending_payment_with_its_event() {
    let api = Api::start().await;
    let (payer, _) = payer_and_session(&api).await;
    price_session(&api, &payer, 35.0).await;
    let answer = submit(&payer).await;
    let made = answer.assert_ok()["submitPaymentSession"].clone();
    let id = made["id"].as_str().expect("an id").to_owned();
    assert_eq!(
        json!({ "paymentSessionType": made["paymentSessionType"], "payerCurrency": made["payerCurrency"],
                "payerSubAmount": made["payerSubAmount"], "payerTotalFeeAmount": made["payerTotalFeeAmount"],
                "payerTotalAmount": made["payerTotalAmount"], "beneficiaryCurrency": made["beneficiaryCurrency"],
                "beneficiarySubAmount": made["beneficiarySubAmount"],
                "beneficiaryTotalFeeAmount": made["beneficiaryTotalFeeAmount"],
                "beneficiaryTotalAmount": made["beneficiaryTotalAmount"], "payerToBeneficiaryFX": made["payerToBeneficiaryFX"],
                "description": made["description"], "emailMessage": made["emailMessage"],
                "afexTradeNumber": made["afexTradeNumber"], "paymentRedirectUrl": made["paymentRedirectUrl"] }),
        json!({ "paymentSessionType": "MAKE_PAYMENT", "payerCurrency": "USD", "payerSubAmount": 35.0,
                "payerTotalFeeAmount": 0.0, "payerTotalAmount": 35.0, "beneficiaryCurrency": "CAD",
                "beneficiarySubAmount": 47.54, "beneficiaryTotalFeeAmount": 1.5, "beneficiaryTotalAmount": 46.04,
                "payerToBeneficiaryFX": 1.358175, "description": "Invoice 1042", "emailMessage": null,
                "afexTradeNumber": "100001", "paymentRedirectUrl": null })
    );
    assert_eq!(stored_payments(&api), [(id.clone(), "PENDING".to_owned(), 3500, 4604, "100001".to_owned())]);
    let mut conn = api.state.pool.get().expect("connection");
    let history: Vec<String> = payment_status_changes::table
        .filter(payment_status_changes::payment_id.eq(&id))
        .select(payment_status_changes::status)
        .load(&mut conn)
        .expect("history");
    assert_eq!(history, ["PENDING"]);
    let received: Vec<String> = events::table
        .filter(events::event.eq("payment.received"))
        .select(events::claims)
        .load(&mut conn)
        .expect("events");
    assert_eq!(received.len(), 1);
    let claims: Value = serde_json::from_str(&received[0]).expect("claims");
    assert_eq!(
        (
            &claims["paymentId"],
            &claims["paymentEntryType"],
            &claims["status"],
            &claims["amount"],
            &claims["fee"],
            &claims["totalAmount"],
            &claims["currency"],
            &claims["tradeNumber"],
            &claims["payer"]["slug"]
        ),
        (
            &json!(id),
            &json!("RECEIVED_PAYMENT"),
            &json!("PENDING"),
            &json!(47.54),
            &json!(1.5),
            &json!(46.04),
            &json!("CAD"),
            &json!("100001"),
            &json!("PayerOne")
        )
    );
    // The session is gone: a second submit, and reading it, find nothing.
    submit(&payer).await.assert_refused("submitPaymentSession", "I-4710", NOT_VALID);
    payer.graphql("query { paymentSession { tempValueDate } }", json!({})).await.assert_refused(
        "paymentSession",
        "I-4716",
        "There is not a payment session with this id.",
    );
}

#[actix_web::test]
async fn an_unpriced_session_or_an_expired_quote_is_not_submitted() {
    let api = Api::start().await;
    api.client().graphql(SUBMIT, json!({})).await.assert_refused(
        "submitPaymentSession",
        "I-4100",
        "You must be logged in.",
    );
    let (payer, _) = payer_and_session(&api).await;
    submit(&payer).await.assert_refused("submitPaymentSession", "I-4710", NOT_VALID);
    price_session(&api, &payer, 35.0).await;
    api.advance(TimeDelta::seconds(31)).await;
    submit(&payer).await.assert_refused("submitPaymentSession", "I-4748", EXPIRED);
    assert!(stored_payments(&api).is_empty(), "a refused submit makes nothing");
    let quoted = payer.graphql("mutation { updateQuote { ... on SuccessResult { message } } }", json!({})).await;
    assert_eq!(quoted.assert_ok()["updateQuote"]["message"], "Quote updated!");
    submit(&payer).await.assert_ok();
    assert_eq!(stored_payments(&api).len(), 1);
}

#[actix_web::test]
async fn parties_that_can_no_longer_pay_or_be_paid_are_refused() {
    let api = Api::start().await;
    let (payer, _) = payer_and_session(&api).await;
    price_session(&api, &payer, 35.0).await;
    let beneficiary: String = {
        let mut conn = api.state.pool.get().expect("connection");
        let beneficiary: Option<String> = store::schema::payment_sessions::table
            .select(store::schema::payment_sessions::beneficiary_account_id)
            .first(&mut conn)
            .expect("the session's beneficiary");
        beneficiary.expect("an account")
    };
    api.admin(&["disable-account", &beneficiary]).await;
    submit(&payer).await.assert_refused(
        "submitPaymentSession",
        "I-4742",
        "You cannot send a payment to this account. The recipient's account is closed. Please contact support.",
    );
    api.admin(&["enable-account", &beneficiary]).await;
    let payer_account =
        payer.account_id().await.assert_ok()["account"]["id"].as_str().expect("the payer's account").to_owned();
    api.admin(&["disable-account", &payer_account]).await;
    submit(&payer).await.assert_refused(
        "submitPaymentSession",
        "I-4430",
        "This account is disabled. Please contact support.",
    );
    api.admin(&["enable-account", &payer_account]).await;
    submit(&payer).await.assert_ok();
}

#[actix_web::test]
async fn of_many_submits_of_one_session_at_once_exactly_one_makes_a_payment() {
    let api = Api::start().await;
    let (payer, _) = payer_and_session(&api).await;
    price_session(&api, &payer, 35.0).await;
    let answers = join_all((0..20).map(|_| submit(&payer))).await;
    let made = answers.iter().filter(|answer| answer.body.get("errors").is_none()).count();
    assert_eq!(made, 1, "{answers:?}");
    for refused in answers.iter().filter(|answer| answer.body.get("errors").is_some()) {
        refused.assert_refused("submitPaymentSession", "I-4710", NOT_VALID);
    }
    assert_eq!(stored_payments(&api).len(), 1);
}

async fn submit_with_key(client: &Client, key: &str) -> Answer {
    client.graphql_with(SUBMIT, json!({}), &[("Idempotency-Key", key)]).await
}

#[actix_web::test]
async fn a_submit_retried_with_its_idempotency_key_gets_the_first_answer_again() {
    let api = Api::start().await;
    let (payer, _) = payer_and_session(&api).await;
    price_session(&api, &payer, 35.0).await;
    let first = submit_with_key(&payer, "retry-7f3a").await;
    let made = first.assert_ok()["submitPaymentSession"].clone();
    let again = submit_with_key(&payer, "retry-7f3a").await;
    assert_eq!(again.assert_ok()["submitPaymentSession"], made, "the same payment, not a second one");
    assert_eq!(stored_payments(&api).len(), 1);
    // Without the key, the session is gone.
    submit(&payer).await.assert_refused("submitPaymentSession", "I-4710", NOT_VALID);

    // The same key for another payment session is refused; a new key makes the new payment.
    payer
        .graphql("mutation { createPaymentSession(toEmail: \"maple@example.com\") { message } }", json!({}))
        .await
        .assert_ok();
    price_session(&api, &payer, 10.0).await;
    submit_with_key(&payer, "retry-7f3a").await.assert_refused(
        "submitPaymentSession",
        "I-4760",
        "This Idempotency-Key was already used for another request.",
    );
    assert_eq!(stored_payments(&api).len(), 1);
    submit_with_key(&payer, "retry-8b4c").await.assert_ok();
    assert_eq!(stored_payments(&api).len(), 2);
}

#[actix_web::test]
async fn a_first_refusal_is_answered_again_and_concurrent_submits_with_one_key_run_once() {
    let api = Api::start().await;
    let (payer, _) = payer_and_session(&api).await;
    price_session(&api, &payer, 35.0).await;
    api.advance(TimeDelta::seconds(31)).await;
    submit_with_key(&payer, "first-refused").await.assert_refused("submitPaymentSession", "I-4748", EXPIRED);
    payer.graphql("mutation { updateQuote { ... on SuccessResult { message } } }", json!({})).await.assert_ok();
    // The key's first answer stands, even though the quote is live again.
    submit_with_key(&payer, "first-refused").await.assert_refused("submitPaymentSession", "I-4748", EXPIRED);
    assert!(stored_payments(&api).is_empty());

    let answers = join_all((0..10).map(|_| submit_with_key(&payer, "together"))).await;
    let bodies: Vec<&Value> = answers.iter().map(|answer| &answer.assert_ok()["submitPaymentSession"]).collect();
    assert!(bodies.iter().all(|body| *body == bodies[0]), "{bodies:?}");
    assert_eq!(stored_payments(&api).len(), 1);
    let refused = payer.graphql_with(SUBMIT, json!({}), &[("Idempotency-Key", "")]).await;
    assert_eq!(refused.status, actix_web::http::StatusCode::BAD_REQUEST);
    let too_long = "k".repeat(256);
    let refused = payer.graphql_with(SUBMIT, json!({}), &[("Idempotency-Key", too_long.as_str())]).await;
    assert_eq!(refused.status, actix_web::http::StatusCode::BAD_REQUEST);
}
