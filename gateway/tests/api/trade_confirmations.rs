//! tradeConfirmationForPayment and `GET /trade-confirmations/<paymentId>.pdf`: the confirmation of a completed
//! international payment for either party, and every refusal (a bare 404 for the document).

use actix_web::http::StatusCode;
use chrono::TimeDelta;
use serde_json::{Value, json};

use crate::fixtures::{payable_account, verified_personal};
use crate::harness::{Answer, Api, Client};
use crate::payment_activity::{Parties, To, parties, pay};

const TRADE: &str = "query($id: ID!) { tradeConfirmationForPayment(paymentId: $id) { paymentId tradeNumber tradeDate valueDate status type payerToBeneficiaryFX payer { name displayName email country currency subAmount totalFeeAmount totalAmount } beneficiary { name displayName email country currency subAmount totalFeeAmount totalAmount } description documentUrl } }";

async fn confirmation(client: &Client, id: &str) -> Answer {
    client.graphql(TRADE, json!({ "id": id })).await
}

/// The document as a browser with this client's cookie would fetch it: status, headers and raw bytes.
async fn document(api: &Api, client: &Client, path: &str) -> (StatusCode, actix_web::http::header::HeaderMap, Vec<u8>) {
    let mut request = awc::Client::new().get(format!("http://{}{path}", api.addr()));
    if let Some(cookie) = client.cookie() {
        request = request.insert_header(("cookie", format!("borderless_session={cookie}")));
    }
    let mut response = request.send().await.expect("request sent");
    let body = response.body().limit(4 * 1024 * 1024).await.expect("response body");
    (response.status(), response.headers().clone(), body.to_vec())
}

/// Walks the clock through settlement: collected, paid out, arrived (each delay as its own advance).
async fn settle(api: &Api) {
    api.advance(TimeDelta::seconds(30)).await;
    api.advance(TimeDelta::seconds(30)).await;
    api.advance(TimeDelta::minutes(10)).await;
}

fn pdf_text(bytes: &[u8]) -> String {
    let pdf = lopdf::Document::load_mem(bytes).expect("a PDF that lopdf reads");
    assert_eq!(pdf.get_pages().len(), 1, "one page");
    pdf.extract_text(&[1]).expect("the page's text")
}

#[actix_web::test]
async fn both_parties_read_the_confirmation_of_a_completed_international_payment() {
    let api = Api::start().await;
    let Parties { payer, beneficiary, .. } = parties(&api).await;
    let id = pay(&api, &payer, To::Email("maple@example.com"), 35.0).await;
    let submitted = crate::payment_activity::entry(&payer, &id).await.assert_ok()["paymentActivityById"].clone();
    settle(&api).await;
    let status = crate::payment_activity::entry(&payer, &id).await;
    assert_eq!(status.assert_ok()["paymentActivityById"]["status"], "COMPLETE");

    let seen_by_payer = confirmation(&payer, &id).await.assert_ok()["tradeConfirmationForPayment"].clone();
    let payer_name = seen_by_payer["payer"]["name"].clone();
    let payer_display_name = seen_by_payer["payer"]["displayName"].clone();
    let expected = |payer_email: Value, beneficiary_email: Value| {
        json!({ "paymentId": id, "tradeNumber": "100001", "tradeDate": submitted["createdAt"],
                "valueDate": submitted["valueDate"], "status": "COMPLETE", "type": "INTERNATIONAL",
                "payerToBeneficiaryFX": 1.358175,
                "payer": { "name": payer_name, "displayName": payer_display_name, "email": payer_email, "country": "US",
                           "currency": "USD", "subAmount": 35.0, "totalFeeAmount": 0.0, "totalAmount": 35.0 },
                "beneficiary": { "name": null, "displayName": null, "email": beneficiary_email, "country": "CA",
                                 "currency": "CAD", "subAmount": 47.54, "totalFeeAmount": 1.5, "totalAmount": 46.04 },
                "description": "Invoice 1042",
                "documentUrl": format!("http://127.0.0.1:8080/trade-confirmations/{id}.pdf") })
    };
    // Each side sees its own login email only.
    assert_eq!(seen_by_payer, expected(json!("payer@example.com"), Value::Null));
    let seen_by_beneficiary = confirmation(&beneficiary, &id).await.assert_ok()["tradeConfirmationForPayment"].clone();
    assert_eq!(seen_by_beneficiary, expected(Value::Null, json!("maple@example.com")));

    let (status, headers, bytes) = document(&api, &payer, &format!("/trade-confirmations/{id}.pdf")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers.get("content-type").and_then(|v| v.to_str().ok()), Some("application/pdf"));
    assert_eq!(
        headers.get("content-disposition").and_then(|v| v.to_str().ok()),
        Some("inline; filename=\"trade-confirmation-100001.pdf\"")
    );
    assert!(bytes.starts_with(b"%PDF-"));
    let text = pdf_text(&bytes);
    for expected in
        ["100001", id.as_str(), "35.00 USD", "0.00 USD", "47.54 CAD", "1.50 CAD", "46.04 CAD", "1 USD = 1.358175 CAD"]
    {
        assert!(text.contains(expected), "{expected:?} is missing from {text:?}");
    }
    // Generated from the stored payment: the same document every time, for either party's own view.
    let (_, _, again) = document(&api, &payer, &format!("/trade-confirmations/{id}.pdf")).await;
    assert_eq!(again, bytes);
    let (status, _, theirs) = document(&api, &beneficiary, &format!("/trade-confirmations/{id}.pdf")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(pdf_text(&theirs).contains("maple@example.com"));
}

#[actix_web::test]
async fn refusals_and_the_404_of_the_document() {
    let api = Api::start().await;
    let Parties { payer, .. } = parties(&api).await;
    let local = api.client();
    payable_account(&local, "local@example.com", "BUSINESS", ("US", "USD"), "10002").await;
    let international = pay(&api, &payer, To::Email("maple@example.com"), 35.0).await;

    let anonymous = api.client();
    confirmation(&anonymous, &international).await.assert_refused(
        "tradeConfirmationForPayment",
        "I-4100",
        "You must be logged in.",
    );
    // Not complete yet.
    let not_ready = "The trade confirmation is available once the payment is complete.";
    confirmation(&payer, &international).await.assert_refused("tradeConfirmationForPayment", "I-4911", not_ready);
    let pdf = format!("/trade-confirmations/{international}.pdf");
    assert_eq!(document(&api, &payer, &pdf).await.0, StatusCode::NOT_FOUND);

    settle(&api).await;
    confirmation(&payer, &international).await.assert_ok();
    // Another account's payment is not found, like an unknown or malformed id.
    let other = api.client();
    verified_personal(&api, &other, "other@example.com", "OtherOne").await;
    let foreign = confirmation(&other, &international).await;
    foreign.assert_refused("tradeConfirmationForPayment", "I-4904", "There is no payment activity with this id.");
    for missing in ["0190b5d4-2e1f-7a3c-9b12-4c5d6e7f8091", "not-an-id"] {
        assert_eq!(confirmation(&other, missing).await.body, foreign.body, "{missing}");
    }
    // A LOCAL payment has no currency trade, even once complete.
    let same_currency = pay(&api, &payer, To::Email("local@example.com"), 5.0).await;
    let no_trade = "This payment has no trade confirmation.";
    confirmation(&payer, &same_currency).await.assert_refused("tradeConfirmationForPayment", "I-4910", no_trade);
    api.advance(TimeDelta::seconds(30)).await;
    api.advance(TimeDelta::seconds(30)).await;
    api.advance(TimeDelta::minutes(2)).await;
    let local_status = crate::payment_activity::entry(&payer, &same_currency).await;
    assert_eq!(local_status.assert_ok()["paymentActivityById"]["status"], "COMPLETE");
    confirmation(&payer, &same_currency).await.assert_refused("tradeConfirmationForPayment", "I-4910", no_trade);

    // Every refused case is a bare 404 for the document; the payer's own completed one is served.
    for (client, path) in [
        (&anonymous, pdf.clone()),
        (&other, pdf.clone()),
        (&payer, format!("/trade-confirmations/{same_currency}.pdf")),
        (&payer, "/trade-confirmations/0190b5d4-2e1f-7a3c-9b12-4c5d6e7f8091.pdf".to_owned()),
        (&payer, format!("/trade-confirmations/{international}")),
    ] {
        let (status, _, body) = document(&api, client, &path).await;
        assert_eq!((status, body.len()), (StatusCode::NOT_FOUND, 0), "{path}");
    }
    assert_eq!(document(&api, &payer, &pdf).await.0, StatusCode::OK);
}
