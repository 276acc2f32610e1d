//! Refunds (flows.md section 10; refunds/*.md): a refund session against a completed payment, priced, read,
//! cleared and submitted, each refusal in the pages' order, the refund made as a payment of the refunding
//! account, its event and email, and its settlement.

use chrono::TimeDelta;
use diesel::prelude::*;
use serde_json::{Value, json};
use store::schema::{events, logins, payments, refunds};

use crate::fixtures::{clock_now, verified_personal};
use crate::harness::{Answer, Api, Client};
use crate::payment_settlement::{assert_ledger_balanced, status, templates};

pub const CREATE: &str = "mutation($id: ID!) { createRefundSession(paymentId: $id) { message } }";
pub const UPDATE: &str = "mutation($data: UpdateRefundSessionInput!) { updateRefundSession(data: $data) { ... on SuccessResult { message } ... on ActionRequiredForPayment { dataNeeded { idUpload } } } }";
pub const SUBMIT: &str = "mutation { submitRefundSession { id paymentSessionType payerCurrency payerSubAmount payerTotalFeeAmount payerTotalAmount beneficiaryCurrency beneficiarySubAmount beneficiaryTotalFeeAmount beneficiaryTotalAmount payerToBeneficiaryFX description message reason valueDate afexTradeNumber } }";
pub const SESSION: &str = "query { refundSession { payer { currency bankAccount { id } fundingBalanceCurrency } beneficiary { currency contact { account { slug } email } } tempExchangeRate { rate invertedRate } tempValueDate reviewRefund { paymentObject { type isSettlementQuote savings { savingsAmount } payer { currency subAmount totalAmount totalFeeAmount } beneficiary { currency subAmount totalAmount totalFeeAmount } } description message quoteBasis } reason refundType maxRefundAmount } }";

pub const PAYER_EMAIL: &str = "payer@example.com";
pub const REFUNDER_EMAIL: &str = "bee@example.com";

/// The two sides of a payment to refund: a verified US payer and a verified US person it pays (both USD),
/// each on a client of its own.
pub struct Parties {
    pub payer: Client,
    pub refunder: Client,
    pub payer_account: String,
    pub refunder_account: String,
}

pub async fn parties(api: &Api) -> Parties {
    let payer = api.client();
    let payer_account = verified_personal(api, &payer, PAYER_EMAIL, "PayerOne").await;
    let refunder = api.client();
    let refunder_account = verified_personal(api, &refunder, REFUNDER_EMAIL, "BeeTwo").await;
    Parties { payer, refunder, payer_account, refunder_account }
}

pub async fn today(api: &Api) -> String {
    clock_now(api).await.date_naive().format("%Y-%m-%d").to_string()
}

/// Submits a LOCAL payment of `amount` USD from `payer` to `to`, dated today; answers its id.
pub async fn pay(api: &Api, payer: &Client, to: &str, amount: f64) -> String {
    let created = payer
        .graphql("mutation($to: String) { createPaymentSession(toEmail: $to) { message } }", json!({ "to": to }))
        .await;
    created.assert_ok();
    let data =
        json!({ "amount": amount, "description": "Invoice 7", "popCode": "GIFT", "valueDate": today(api).await });
    let priced = payer
        .graphql(
            "mutation($data: UpdatePaymentSessionInput!) { updatePaymentSession(data: $data) { ... on SuccessResult { message } } }",
            json!({ "data": data }),
        )
        .await;
    assert_eq!(priced.assert_ok()["updatePaymentSession"]["message"], "Payment session successfully updated");
    let submitted = payer.graphql("mutation { submitPaymentSession { id } }", json!({})).await;
    submitted.assert_ok()["submitPaymentSession"]["id"].as_str().expect("a payment id").to_owned()
}

/// A LOCAL payment of `amount` USD from the payer to the refunder, settled to COMPLETE by the clock.
pub async fn completed_payment(api: &Api, parties: &Parties, amount: f64) -> String {
    let id = pay(api, &parties.payer, REFUNDER_EMAIL, amount).await;
    api.advance(TimeDelta::minutes(5)).await;
    assert_eq!(status(api, &id), "COMPLETE");
    id
}

pub async fn create(client: &Client, payment: &str) -> Answer {
    client.graphql(CREATE, json!({ "id": payment })).await
}

pub fn definition(amount: f64, date: &str) -> Value {
    json!({ "amount": amount, "description": "test", "message": "Testing", "valueDate": date, "reason": "DUPLICATE" })
}

pub async fn update_with(client: &Client, data: Value) -> Answer {
    client.graphql(UPDATE, json!({ "data": data })).await
}

/// Prices the client's refund session at `amount` in the original payer's currency, dated today.
pub async fn update(api: &Api, client: &Client, amount: f64) -> Answer {
    update_with(client, definition(amount, &today(api).await)).await
}

#[track_caller]
pub fn assert_updated(answer: &Answer) {
    assert_eq!(answer.assert_ok()["updateRefundSession"]["message"], "Refund session successfully updated");
}

#[track_caller]
pub fn assert_created(answer: &Answer) {
    assert_eq!(answer.assert_ok()["createRefundSession"]["message"], "Refund session created!");
}

pub async fn submit(client: &Client) -> Answer {
    client.graphql(SUBMIT, json!({})).await
}

/// Opens, prices and submits a refund of `amount`; answers the refund's id.
pub async fn refund(api: &Api, client: &Client, payment: &str, amount: f64) -> String {
    assert_created(&create(client, payment).await);
    assert_updated(&update(api, client, amount).await);
    let answer = submit(client).await;
    answer.assert_ok()["submitRefundSession"]["id"].as_str().expect("a refund id").to_owned()
}

pub async fn max_refund_amount(client: &Client) -> Value {
    let answer = client.graphql(SESSION, json!({})).await;
    answer.assert_ok()["refundSession"]["maxRefundAmount"].clone()
}

const NOT_VALID: &str = "This is not a valid refund session.";

#[actix_web::test]
async fn a_refund_is_priced_shown_submitted_and_made_as_a_payment_back_to_the_original_payer() {
    let api = Api::start().await;
    let parties = parties(&api).await;
    let payment = completed_payment(&api, &parties, 100.0).await;
    let refunder = &parties.refunder;

    assert_created(&create(refunder, &payment).await);
    let shown = refunder.graphql(SESSION, json!({})).await;
    let session = &shown.assert_ok()["refundSession"];
    assert_eq!(session["reviewRefund"], Value::Null);
    assert_eq!((&session["reason"], &session["refundType"]), (&Value::Null, &Value::Null));
    assert_eq!(session["maxRefundAmount"], json!(100.0));
    assert_eq!(session["payer"]["currency"], "USD");
    assert_eq!(session["payer"]["fundingBalanceCurrency"], Value::Null);
    assert_eq!(session["beneficiary"]["contact"]["account"]["slug"], "PayerOne");
    assert_eq!(session["tempExchangeRate"], json!({ "rate": 1.0, "invertedRate": 1.0 }));

    assert_updated(&update(&api, refunder, 40.0).await);
    let shown = refunder.graphql(SESSION, json!({})).await;
    let session = &shown.assert_ok()["refundSession"];
    assert_eq!(session["refundType"], "PARTIAL_REFUND");
    assert_eq!(session["reason"], "DUPLICATE");
    let review = &session["reviewRefund"];
    assert_eq!(review["paymentObject"]["type"], "LOCAL");
    assert_eq!(review["paymentObject"]["savings"], Value::Null);
    assert_eq!(
        review["paymentObject"]["beneficiary"],
        json!({ "currency": "USD", "subAmount": 40.0, "totalAmount": 40.0, "totalFeeAmount": 0.0 })
    );
    assert_eq!(
        (&review["description"], &review["message"], &review["quoteBasis"]),
        (&json!("test"), &json!("Testing"), &json!("BENEFICIARY"))
    );

    let answer = submit(refunder).await;
    let made = &answer.assert_ok()["submitRefundSession"];
    assert_eq!(made["paymentSessionType"], "REFUND");
    assert_eq!(
        (&made["payerSubAmount"], &made["payerTotalFeeAmount"], &made["payerTotalAmount"]),
        (&json!(40.0), &json!(0.0), &json!(40.0))
    );
    assert_eq!((&made["beneficiarySubAmount"], &made["beneficiaryTotalAmount"]), (&json!(40.0), &json!(40.0)));
    assert_eq!(
        (&made["reason"], &made["message"], &made["payerToBeneficiaryFX"]),
        (&json!("DUPLICATE"), &json!("Testing"), &json!(1.0))
    );
    let id = made["id"].as_str().expect("an id").to_owned();

    // The session is gone; the refund is a payment of the refunding account to the original payer.
    refunder.graphql(SESSION, json!({})).await.assert_refused("refundSession", "I-4770", "There is no refund session.");
    submit(refunder).await.assert_refused("submitRefundSession", "I-4722", NOT_VALID);
    let mut conn = api.state.pool.get().expect("connection");
    let (kind, payer, beneficiary, state): (String, String, Option<String>, String) = payments::table
        .find(&id)
        .select((payments::kind, payments::payer_account_id, payments::beneficiary_account_id, payments::status))
        .first(&mut conn)
        .expect("the refund row");
    assert_eq!((kind.as_str(), state.as_str()), ("REFUND", "PENDING"));
    assert_eq!((payer, beneficiary), (parties.refunder_account.clone(), Some(parties.payer_account.clone())));
    let (original, refund_type): (String, String) = refunds::table
        .find(&id)
        .select((refunds::original_payment_id, refunds::refund_type))
        .first(&mut conn)
        .expect("its refund facts");
    assert_eq!((original.as_str(), refund_type.as_str()), (payment.as_str(), "PARTIAL_REFUND"));
    let received: Vec<(String, String)> = events::table
        .filter(events::event.eq("refund.received"))
        .select((events::account_id, events::claims))
        .load(&mut conn)
        .expect("events");
    drop(conn);
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].0, parties.payer_account);
    let claims: Value = serde_json::from_str(&received[0].1).expect("claims");
    assert_eq!(claims["refundId"], id.as_str());
    assert_eq!(claims["originalPaymentId"], payment.as_str());
    assert_eq!(
        (&claims["amount"], &claims["currency"], &claims["status"]),
        (&json!(40.0), &json!("USD"), &json!("PENDING"))
    );
    assert_eq!(
        (&claims["reason"], &claims["refundType"], &claims["message"]),
        (&json!("DUPLICATE"), &json!("PARTIAL_REFUND"), &json!("Testing"))
    );
    assert!(templates(&api, PAYER_EMAIL).await.contains(&"refund_processing".to_owned()));

    // R dropped by the refund.
    assert_created(&create(refunder, &payment).await);
    assert_eq!(max_refund_amount(refunder).await, json!(60.0));

    // Settlement takes the refund through the payment lifecycle, the refunding account paying.
    api.advance(TimeDelta::minutes(5)).await;
    assert_eq!(status(&api, &id), "COMPLETE");
    assert_ledger_balanced(&api, 6).await;
}

#[actix_web::test]
async fn a_refund_of_the_whole_payment_at_once_is_a_full_refund_and_anything_else_partial() {
    let api = Api::start().await;
    let parties = parties(&api).await;
    let payment = completed_payment(&api, &parties, 100.0).await;
    let refunder = &parties.refunder;
    assert_created(&create(refunder, &payment).await);
    assert_updated(&update(&api, refunder, 99.99).await);
    let shown = refunder.graphql(SESSION, json!({})).await;
    assert_eq!(shown.assert_ok()["refundSession"]["refundType"], "PARTIAL_REFUND");
    assert_updated(&update(&api, refunder, 100.0).await);
    let shown = refunder.graphql(SESSION, json!({})).await;
    assert_eq!(shown.assert_ok()["refundSession"]["refundType"], "FULL_REFUND");

    // After a partial refund, refunding the rest is PARTIAL_REFUND too.
    let other = completed_payment(&api, &parties, 50.0).await;
    refund(&api, refunder, &other, 20.0).await;
    assert_created(&create(refunder, &other).await);
    assert_updated(&update(&api, refunder, 30.0).await);
    let shown = refunder.graphql(SESSION, json!({})).await;
    assert_eq!(shown.assert_ok()["refundSession"]["refundType"], "PARTIAL_REFUND");
    submit(refunder).await.assert_ok();
    // Nothing is left: R = 0.
    create(refunder, &other).await.assert_refused(
        "createRefundSession",
        "I-4723",
        "This payment has already been refunded.",
    );
}

#[actix_web::test]
async fn create_refuses_in_the_pages_order() {
    let api = Api::start().await;
    let parties = parties(&api).await;
    let refunder = &parties.refunder;
    let anonymous = api.client();
    create(&anonymous, "x").await.assert_refused("createRefundSession", "I-4100", "You must be logged in.");

    let not_mine = "You can only refund payments made to your account.";
    create(refunder, "0190b512-7d3e-7c21-a0b1-c2d3e4f5a6b7").await.assert_refused(
        "createRefundSession",
        "I-4726",
        not_mine,
    );
    let payment = pay(&api, &parties.payer, REFUNDER_EMAIL, 100.0).await;
    // The payer cannot refund its own payment; the beneficiary cannot refund it before it completes.
    create(&parties.payer, &payment).await.assert_refused("createRefundSession", "I-4726", not_mine);
    create(refunder, &payment).await.assert_refused(
        "createRefundSession",
        "I-4724",
        "You can only refund payments once they are complete.",
    );
    api.advance(TimeDelta::minutes(5)).await;
    assert_created(&create(refunder, &payment).await);
    // A refund is not itself refundable.
    let made = refund(&api, refunder, &payment, 10.0).await;
    api.advance(TimeDelta::minutes(5)).await;
    create(&parties.payer, &made).await.assert_refused("createRefundSession", "I-4726", not_mine);

    // A refund is funded from the refunding account's preferred bank account, which must be FULLY_VERIFIED: a
    // typed-in one made preferred is not yet.
    let verified = refunder.graphql("query { account { preferredBankAccountId } }", json!({})).await;
    let verified = verified.assert_ok()["account"]["preferredBankAccountId"].clone();
    refunder
        .graphql(
            "mutation($data: AddBankAccountInput!) { addBankAccount(data: $data) { message } }",
            json!({ "data": { "manualBankData": { "accountNumber": "11111111111", "routingNumber": "121122676",
                "bankName": "Chase", "country": "US", "currency": "USD", "accountType": "SAVINGS" } } }),
        )
        .await
        .assert_ok();
    let listed = refunder.graphql("query { bankAccounts { id status } }", json!({})).await;
    let banks = listed.assert_ok()["bankAccounts"].as_array().expect("bank accounts").clone();
    let pending = banks.iter().find(|bank| bank["status"] == "PENDING_VERIFICATION").expect("the typed-in one");
    let prefer = "mutation($id: ID!) { changePreferredBankAccount(bankAccountId: $id) { message } }";
    refunder.graphql(prefer, json!({ "id": pending["id"] })).await.assert_ok();
    create(refunder, &payment).await.assert_refused(
        "createRefundSession",
        "I-4903",
        "There was an issue accessing your bank account information.",
    );
    refunder.graphql(prefer, json!({ "id": verified })).await.assert_ok();

    // The original payer closed by staff.
    api.admin(&["disable-account", &parties.payer_account]).await;
    create(refunder, &payment).await.assert_refused(
        "createRefundSession",
        "I-4727",
        "You cannot send a refund to this account. The recipient's account has been disabled. Please contact support.",
    );
    // The refunding account closed by staff comes first.
    api.admin(&["disable-account", &parties.refunder_account]).await;
    create(refunder, &payment).await.assert_refused(
        "createRefundSession",
        "I-4430",
        "This account is disabled. Please contact support.",
    );
}

#[actix_web::test]
async fn update_refuses_in_the_pages_order_and_a_refusal_counts_no_attempt() {
    let api = Api::start().await;
    let parties = parties(&api).await;
    let refunder = &parties.refunder;
    let payment = completed_payment(&api, &parties, 100.0).await;
    let date = today(&api).await;
    update(&api, refunder, 5.0).await.assert_refused("updateRefundSession", "I-4718", NOT_VALID);
    assert_created(&create(refunder, &payment).await);
    let refused = |data: Value, code: &'static str, message: &'static str| {
        let client = refunder;
        async move { update_with(client, data).await.assert_refused("updateRefundSession", code, message) }
    };
    refused(definition(10.005, &date), "I-4736", "Amount has more decimal places than USD allows.").await;
    refused(definition(0.0, &date), "I-4737", "Amount must be greater than zero.").await;
    let mut data = definition(5.0, &date);
    data["description"] = json!("  ");
    refused(data, "I-4744", "Description must be 1 to 140 characters.").await;
    let mut data = definition(5.0, &date);
    data["message"] = json!("m".repeat(501));
    refused(data, "I-4745", "Message must be at most 500 characters.").await;
    let now = clock_now(&api).await;
    refused(
        definition(5.0, &now.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()),
        "I-4303",
        "This is not a valid date. Must strictly match format: YYYY-MM-DD",
    )
    .await;
    let yesterday = (now - TimeDelta::days(1)).format("%Y-%m-%d").to_string();
    refused(definition(5.0, &yesterday), "I-4738", "The selected date cannot be before today.").await;
    let too_far = (now + TimeDelta::days(366)).format("%Y-%m-%d").to_string();
    refused(
        definition(5.0, &too_far),
        "I-4739",
        "You cannot schedule a payment more than a year in advance from the current day.",
    )
    .await;
    refused(
        definition(100.01, &date),
        "I-4728",
        "You cannot refund more than the original payment. Try an amount equal or less than the refundable amount.",
    )
    .await;
    // None of the refusals counted: ten priced updates are still allowed.
    for _ in 0..10 {
        assert_updated(&update(&api, refunder, 5.0).await);
    }
    update(&api, refunder, 5.0).await.assert_refused(
        "updateRefundSession",
        "I-4720",
        "You have reached your maximum refund attempts for this payment.",
    );
}

#[actix_web::test]
async fn submit_refuses_in_the_pages_order_and_deletes_the_session_each_time() {
    let api = Api::start().await;
    let parties = parties(&api).await;
    let refunder = &parties.refunder;
    let payment = completed_payment(&api, &parties, 100.0).await;
    let anonymous = api.client();
    submit(&anonymous).await.assert_refused("submitRefundSession", "I-4100", "You must be logged in.");
    submit(refunder).await.assert_refused("submitRefundSession", "I-4722", NOT_VALID);
    // Never priced: refused, and gone.
    assert_created(&create(refunder, &payment).await);
    submit(refunder).await.assert_refused("submitRefundSession", "I-4722", NOT_VALID);
    refunder.graphql(SESSION, json!({})).await.assert_refused("refundSession", "I-4770", "There is no refund session.");
    // The quote expired: refused, and gone.
    assert_created(&create(refunder, &payment).await);
    assert_updated(&update(&api, refunder, 5.0).await);
    api.advance(TimeDelta::seconds(31)).await;
    submit(refunder).await.assert_refused(
        "submitRefundSession",
        "I-4771",
        "The quote has expired. Start a new refund session.",
    );
    refunder.graphql(SESSION, json!({})).await.assert_refused("refundSession", "I-4770", "There is no refund session.");
    // Two sessions of 60 on 100: the second finds R = 40.
    let second = api.client();
    second.login(REFUNDER_EMAIL, crate::harness::SEED_PASSWORD).await.assert_ok();
    assert_created(&create(refunder, &payment).await);
    assert_updated(&update(&api, refunder, 60.0).await);
    assert_created(&create(&second, &payment).await);
    assert_updated(&update(&api, &second, 60.0).await);
    submit(refunder).await.assert_ok();
    submit(&second).await.assert_refused(
        "submitRefundSession",
        "I-4728",
        "You cannot refund more than the original payment. Try an amount equal or less than the refundable amount.",
    );
    second.graphql(SESSION, json!({})).await.assert_refused("refundSession", "I-4770", "There is no refund session.");
    // The original payer closed between pricing and submit.
    assert_created(&create(refunder, &payment).await);
    assert_updated(&update(&api, refunder, 5.0).await);
    api.admin(&["disable-account", &parties.payer_account]).await;
    submit(refunder).await.assert_refused(
        "submitRefundSession",
        "I-4727",
        "You cannot send a refund to this account. The recipient's account has been disabled. Please contact support.",
    );
    // The refunding account closed between pricing and submit comes before it.
    api.admin(&["enable-account", &parties.payer_account]).await;
    assert_created(&create(refunder, &payment).await);
    assert_updated(&update(&api, refunder, 5.0).await);
    api.admin(&["disable-account", &parties.payer_account]).await;
    api.admin(&["disable-account", &parties.refunder_account]).await;
    submit(refunder).await.assert_refused(
        "submitRefundSession",
        "I-4430",
        "This account is disabled. Please contact support.",
    );
    refunder.graphql(SESSION, json!({})).await.assert_refused("refundSession", "I-4770", "There is no refund session.");
}

#[actix_web::test]
async fn clearing_throws_the_session_away_and_keeps_the_attempts() {
    let api = Api::start().await;
    let parties = parties(&api).await;
    let refunder = &parties.refunder;
    let payment = completed_payment(&api, &parties, 100.0).await;
    let cleared = refunder.graphql("mutation { clearRefundSession { message } }", json!({})).await;
    assert_eq!(cleared.assert_ok()["clearRefundSession"]["message"], "Refund session successfully cleared");
    assert_created(&create(refunder, &payment).await);
    assert_updated(&update(&api, refunder, 5.0).await);
    refunder.graphql("mutation { clearRefundSession { message } }", json!({})).await.assert_ok();
    refunder.graphql(SESSION, json!({})).await.assert_refused("refundSession", "I-4770", "There is no refund session.");
    update(&api, refunder, 5.0).await.assert_refused("updateRefundSession", "I-4718", NOT_VALID);
    let mut conn = api.state.pool.get().expect("connection");
    let attempts: i32 = store::schema::refund_attempts::table
        .find(&payment)
        .select(store::schema::refund_attempts::attempts)
        .first(&mut conn)
        .expect("the attempts");
    assert_eq!(attempts, 1);
    let anonymous = api.client();
    anonymous.graphql("mutation { clearRefundSession { message } }", json!({})).await.assert_refused(
        "clearRefundSession",
        "I-4100",
        "You must be logged in.",
    );
}

#[actix_web::test]
async fn a_retried_submit_replays_the_first_answer_and_a_key_of_another_session_is_refused() {
    let api = Api::start().await;
    let parties = parties(&api).await;
    let refunder = &parties.refunder;
    let payment = completed_payment(&api, &parties, 100.0).await;
    assert_created(&create(refunder, &payment).await);
    assert_updated(&update(&api, refunder, 10.0).await);
    let first = refunder.graphql_with(SUBMIT, json!({}), &[("Idempotency-Key", "refund-1")]).await;
    let again = refunder.graphql_with(SUBMIT, json!({}), &[("Idempotency-Key", "refund-1")]).await;
    assert_eq!(first.assert_ok(), again.assert_ok());
    let mut conn = api.state.pool.get().expect("connection");
    let made: i64 =
        refunds::table.filter(refunds::original_payment_id.eq(&payment)).count().get_result(&mut conn).expect("count");
    drop(conn);
    assert_eq!(made, 1, "a retry makes no second refund");
    assert_created(&create(refunder, &payment).await);
    assert_updated(&update(&api, refunder, 10.0).await);
    refunder.graphql_with(SUBMIT, json!({}), &[("Idempotency-Key", "refund-1")]).await.assert_refused(
        "submitRefundSession",
        "I-4760",
        "This Idempotency-Key was already used for another request.",
    );
}

#[actix_web::test]
async fn a_refund_whose_email_is_refused_stands_and_names_itself_in_e_6009() {
    let api = Api::start().await;
    let parties = parties(&api).await;
    let refunder = &parties.refunder;
    let payment = completed_payment(&api, &parties, 100.0).await;
    // The original payer's address moves to the local mailbox's refusing domain.
    let mut conn = api.state.pool.get().expect("connection");
    diesel::update(logins::table.filter(logins::email.eq(PAYER_EMAIL)))
        .set(logins::email.eq("payer@fail.test"))
        .execute(&mut conn)
        .expect("address moved");
    drop(conn);
    assert_created(&create(refunder, &payment).await);
    assert_updated(&update(&api, refunder, 10.0).await);
    let answer = submit(refunder).await;
    answer.assert_refused("submitRefundSession", "E-6009", "Error sending beneficiary refund processing email");
    let id = answer.body["errors"][0]["extensions"]["refundId"].as_str().expect("the refund's id").to_owned();
    assert_eq!(status(&api, &id), "PENDING");
    submit(refunder).await.assert_refused("submitRefundSession", "I-4722", NOT_VALID);
}

#[actix_web::test]
async fn an_international_refund_is_priced_at_the_rate_without_fee_and_settles_to_complete() {
    let api = Api::start().await;
    let payer = api.client();
    let payer_account = verified_personal(&api, &payer, PAYER_EMAIL, "PayerOne").await;
    // A Canadian business paid in CAD refunds from its CAD bank account: the refund is CAD → USD. Its person
    // gives what refunding needs (an identity document and a personal tax id).
    let refunder = api.client();
    let refunder_account =
        crate::fixtures::payable_account(&refunder, "maple@example.com", "BUSINESS", ("CA", "CAD"), "10005").await;
    crate::fixtures::attach_identity_document(&refunder).await;
    let tax_id = "130 692 544";
    refunder
        .graphql(
            "mutation($data: UpdatePersonInput!) { updatePerson(data: $data) { message } }",
            json!({ "data": { "personalTaxId": tax_id } }),
        )
        .await
        .assert_ok();
    let payment = pay(&api, &payer, "maple@example.com", 100.0).await;
    api.advance(TimeDelta::minutes(15)).await;
    assert_eq!(status(&api, &payment), "COMPLETE");
    assert_created(&create(&refunder, &payment).await);
    // An international refund dated later needs the scheduled-international permission, as a payment does.
    let tomorrow = (clock_now(&api).await + TimeDelta::days(1)).date_naive().format("%Y-%m-%d").to_string();
    update_with(&refunder, definition(50.0, &tomorrow)).await.assert_refused(
        "updateRefundSession",
        "I-4731",
        "Contact our support team to enable international scheduled payments for your account.",
    );
    assert_updated(&update(&api, &refunder, 50.0).await);
    let shown = refunder.graphql(SESSION, json!({})).await;
    let session = &shown.assert_ok()["refundSession"];
    let object = &session["reviewRefund"]["paymentObject"];
    assert_eq!(
        (&object["type"], &object["isSettlementQuote"], &object["savings"]),
        (&json!("INTERNATIONAL"), &json!(false), &Value::Null)
    );
    assert_eq!(
        object["beneficiary"],
        json!({ "currency": "USD", "subAmount": 50.0, "totalAmount": 50.0, "totalFeeAmount": 0.0 })
    );
    assert_eq!((&object["payer"]["currency"], &object["payer"]["totalFeeAmount"]), (&json!("CAD"), &json!(0.0)));
    assert_eq!((&session["refundType"], &session["maxRefundAmount"]), (&json!("PARTIAL_REFUND"), &json!(100.0)));
    let answer = submit(&refunder).await;
    let made = &answer.assert_ok()["submitRefundSession"];
    assert_eq!((&made["payerCurrency"], &made["beneficiaryCurrency"]), (&json!("CAD"), &json!("USD")));
    assert_eq!(made["payerSubAmount"], object["payer"]["subAmount"]);
    let id = made["id"].as_str().expect("an id").to_owned();
    let mut conn = api.state.pool.get().expect("connection");
    let (payer_of_refund, beneficiary_of_refund): (String, Option<String>) = payments::table
        .find(&id)
        .select((payments::payer_account_id, payments::beneficiary_account_id))
        .first(&mut conn)
        .expect("the refund row");
    drop(conn);
    assert_eq!((payer_of_refund, beneficiary_of_refund), (refunder_account, Some(payer_account)));
    api.advance(TimeDelta::minutes(15)).await;
    assert_eq!(status(&api, &id), "COMPLETE");
    assert_ledger_balanced(&api, 6).await;
}

/// Makes the bank-link fixture `yodlee_id` the client's preferred bank account.
async fn prefer(client: &Client, yodlee_id: &str) {
    client
        .graphql(
            "mutation($data: AddBankAccountInput!) { addBankAccount(data: $data) { message } }",
            json!({ "data": { "yodleeBankAccountId": yodlee_id } }),
        )
        .await
        .assert_ok();
    let listed = client.graphql("query { bankAccounts { id accountNumber } }", json!({})).await;
    let banks = listed.assert_ok()["bankAccounts"].as_array().expect("bank accounts").clone();
    let suffix = if yodlee_id == "10008" { "0001" } else { "0002" };
    let bank = banks.iter().find(|bank| bank["accountNumber"].as_str().is_some_and(|n| n.ends_with(suffix)));
    let id = bank.expect("the new bank account")["id"].clone();
    client
        .graphql(
            "mutation($id: ID!) { changePreferredBankAccount(bankAccountId: $id) { message } }",
            json!({ "id": id }),
        )
        .await
        .assert_ok();
}

#[actix_web::test]
async fn a_refund_that_fails_or_is_returned_gives_the_refunding_account_its_money_back_and_r_back() {
    let api = Api::start().await;
    let parties = parties(&api).await;
    let refunder = &parties.refunder;
    let payment = completed_payment(&api, &parties, 100.0).await;
    // The original payer's bank refuses payouts (number ending 0001): the refund FAILS.
    prefer(&parties.payer, "10008").await;
    let failed = refund(&api, refunder, &payment, 100.0).await;
    api.advance(TimeDelta::minutes(5)).await;
    assert_eq!(status(&api, &failed), "FAILED");
    assert_eq!(api.admin(&["check-ledger"]).await["balanced"], json!(true));
    // A failed refund gives R back (but counts among the refunds).
    assert_created(&create(refunder, &payment).await);
    assert_eq!(max_refund_amount(refunder).await, json!(100.0));
    // The original payer's bank sends payouts back (number ending 0002): the refund is RETURNED.
    prefer(&parties.payer, "10009").await;
    assert_updated(&update(&api, refunder, 30.0).await);
    let answer = submit(refunder).await;
    let returned = answer.assert_ok()["submitRefundSession"]["id"].as_str().expect("an id").to_owned();
    api.advance(TimeDelta::minutes(5)).await;
    assert_eq!(status(&api, &returned), "RETURNED");
    assert_eq!(api.admin(&["check-ledger"]).await["balanced"], json!(true));
    assert_created(&create(refunder, &payment).await);
    assert_eq!(max_refund_amount(refunder).await, json!(100.0));
}
