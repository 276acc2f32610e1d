//! paymentSession: what the payment being prepared shows, before and after it is priced, and when there is none.

use chrono::TimeDelta;
use serde_json::{Value, json};

use crate::fixtures::{clock_now, payer_and_session};
use crate::harness::{Api, Client};

const READ: &str = "query { paymentSession { payer { currency bankAccount { id currency } fundingBalanceCurrency } beneficiary { currency contact { email account { slug } lastActivityAt } } tempExchangeRate { rate invertedRate } tempValueDate reviewPayment { description emailMessage popCode payerAcceptedFees quoteBasis paymentObject { type isSettlementQuote quoteId expiresAt expiresIn valueDate payerToBeneficiaryFX savings { borderlessAmount bankAmount savingsAmount currency } payer { currency subAmount totalFeeAmount totalAmount } beneficiary { currency subAmount totalFeeAmount totalAmount } } } } }";
const NO_SESSION: &str = "There is not a payment session with this id.";

async fn read(client: &Client) -> Value {
    client.graphql(READ, json!({})).await.assert_ok()["paymentSession"].clone()
}

#[actix_web::test]
async fn an_unpriced_session_shows_its_parties_and_the_indicative_rate() {
    let api = Api::start().await;
    let (payer, bank) = payer_and_session(&api).await;
    let session = read(&payer).await;
    assert_eq!(
        session["payer"],
        json!({ "currency": "USD", "bankAccount": { "id": bank, "currency": "USD" }, "fundingBalanceCurrency": null })
    );
    assert_eq!(session["beneficiary"]["currency"], "CAD");
    assert_eq!(session["beneficiary"]["contact"]["email"], "maple@example.com");
    assert_eq!(session["beneficiary"]["contact"]["lastActivityAt"], Value::Null);
    // mid(USD→CAD) = 1.365; less the 0.50 % spread: 1.358175; inverted 0.736282.
    assert_eq!(session["tempExchangeRate"], json!({ "rate": 1.358175, "invertedRate": 0.736282 }));
    let today = clock_now(&api).await.date_naive().format("%Y-%m-%dT00:00:00.000Z").to_string();
    assert_eq!(session["tempValueDate"], today.as_str());
    assert_eq!(session["reviewPayment"], Value::Null);
}

#[actix_web::test]
async fn a_priced_session_shows_its_quote_and_the_quote_runs_out() {
    let api = Api::start().await;
    let (payer, _) = payer_and_session(&api).await;
    let today = clock_now(&api).await.date_naive().format("%Y-%m-%d").to_string();
    let defined = payer
        .graphql(
            "mutation($data: UpdatePaymentSessionInput!) { updatePaymentSession(data: $data) { ... on SuccessResult { message } } }",
            json!({ "data": { "amount": 35, "description": "Invoice 1042", "valueDate": today } }),
        )
        .await;
    assert_eq!(defined.assert_ok()["updatePaymentSession"]["message"], "Payment session successfully updated");
    let review = read(&payer).await["reviewPayment"].clone();
    assert_eq!(
        (
            &review["description"],
            &review["emailMessage"],
            &review["popCode"],
            &review["payerAcceptedFees"],
            &review["quoteBasis"]
        ),
        (&json!("Invoice 1042"), &Value::Null, &Value::Null, &json!(false), &json!("PAYER"))
    );
    let quote = &review["paymentObject"];
    assert_eq!((&quote["type"], &quote["isSettlementQuote"]), (&json!("INTERNATIONAL"), &json!(false)));
    assert_eq!(quote["quoteId"], "10000001");
    assert_eq!(quote["payerToBeneficiaryFX"], 1.358175);
    // 35 × 1.358175 = 47.536… → 47.54 CAD, less the 1.50 CAD fee.
    assert_eq!(
        quote["payer"],
        json!({ "currency": "USD", "subAmount": 35.0, "totalFeeAmount": 0.0, "totalAmount": 35.0 })
    );
    assert_eq!(
        quote["beneficiary"],
        json!({ "currency": "CAD", "subAmount": 47.54, "totalFeeAmount": 1.5, "totalAmount": 46.04 })
    );
    // A bank: 46.04 ÷ (1.365 × 0.97) = 34.772… → 34.77 USD, plus its 45.00 USD wire fee.
    assert_eq!(
        quote["savings"],
        json!({ "borderlessAmount": 35.0, "bankAmount": 79.77, "savingsAmount": 44.77, "currency": "USD" })
    );
    assert!((29..=30).contains(&quote["expiresIn"].as_i64().expect("expiresIn")), "{quote}");
    api.advance(TimeDelta::seconds(31)).await;
    let later = read(&payer).await;
    assert_eq!(later["reviewPayment"]["paymentObject"]["expiresIn"], 0, "an expired quote is still shown");
    assert_eq!(later["reviewPayment"]["paymentObject"]["quoteId"], "10000001", "and never refreshed silently");
}

#[actix_web::test]
async fn without_a_live_payment_session_there_is_nothing_to_show() {
    let api = Api::start().await;
    api.client().graphql(READ, json!({})).await.assert_refused("paymentSession", "I-4100", "You must be logged in.");
    let (payer, _) = payer_and_session(&api).await;
    payer.graphql("mutation { clearPaymentSession { message } }", json!({})).await.assert_ok();
    payer.graphql(READ, json!({})).await.assert_refused("paymentSession", "I-4716", NO_SESSION);
    // Each read restarts the idle deadline; a session idle past PAYMENT_SESSION_TTL has ended.
    payer
        .graphql("mutation { createPaymentSession(toEmail: \"maple@example.com\") { message } }", json!({}))
        .await
        .assert_ok();
    read(&payer).await;
    api.advance(TimeDelta::minutes(29)).await;
    read(&payer).await;
    api.advance(TimeDelta::minutes(29)).await;
    read(&payer).await;
    api.advance(TimeDelta::minutes(31)).await;
    payer.graphql(READ, json!({})).await.assert_refused("paymentSession", "I-4716", NO_SESSION);
}
