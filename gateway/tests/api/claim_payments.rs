//! Claim payments (flows.md section 8, "Claim payments"; `PAYMENTS_TO_NEW_EMAILS`): with the switch off a
//! payment to an address no login has, or to an account that cannot receive, is refused; with it on the
//! payment is held (UNCLAIMED at the payout moment, the money in clearing), picked up by the address's sign-up
//! in the account's currency, paid out once the beneficiary can receive, and given back when the claim
//! expires. The ledger check runs after each scenario.

use chrono::TimeDelta;
use diesel::prelude::*;
use serde_json::{Value, json};
use store::schema::events;

use crate::fixtures::{clock_now, link_bank_link_fixture, verified_personal};
use crate::harness::{Answer, Api, Client, SEED_PASSWORD};
use crate::payment_settlement::{assert_ledger_balanced, history, session_to, status, submit, templates};

const CLAIMS_ON: &[(&str, &str)] = &[("PAYMENTS_TO_NEW_EMAILS", "true")];

const ENTRY: &str = "query($id: ID!) { paymentActivityById(id: $id) { type status totalAmount currency contact { email account { slug } } } }";

async fn entry(client: &Client, id: &str) -> Answer {
    client.graphql(ENTRY, json!({ "id": id })).await
}

/// Prices the client's payment session: `amount` today, with the purpose code a person (or an address) needs.
async fn price(api: &Api, client: &Client, amount: f64, pop_code: Option<&str>) -> Answer {
    let today = clock_now(api).await.date_naive().format("%Y-%m-%d").to_string();
    client
        .graphql(
            "mutation($data: UpdatePaymentSessionInput!) { updatePaymentSession(data: $data) { ... on SuccessResult { message } } }",
            json!({ "data": { "amount": amount, "description": "Dinner", "valueDate": today, "popCode": pop_code } }),
        )
        .await
}

/// The `payment.received` events to `account`: their claims.
fn received_events(api: &Api, account: &str) -> Vec<Value> {
    let mut conn = api.state.pool.get().expect("connection");
    let rows: Vec<String> = events::table
        .filter(events::event.eq("payment.received"))
        .filter(events::account_id.eq(account))
        .select(events::claims)
        .load(&mut conn)
        .expect("events");
    rows.iter().map(|claims| serde_json::from_str(claims).expect("claims")).collect()
}

fn statuses(api: &Api, id: &str) -> Vec<String> {
    history(api, id).into_iter().map(|(status, _)| status).collect()
}

/// A verified US payer holding a priced payment session of 25 USD to `to`; answers the payer's client.
async fn payer_paying(api: &Api, to: &str) -> Client {
    let payer = api.client();
    verified_personal(api, &payer, "payer@example.com", "PayerOne").await;
    session_to(&payer, to, None).await;
    assert_eq!(
        price(api, &payer, 25.0, Some("GIFT")).await.assert_ok()["updatePaymentSession"]["message"],
        "Payment session successfully updated"
    );
    payer
}

#[actix_web::test]
async fn with_the_switch_off_an_unknown_address_and_an_account_that_cannot_receive_are_refused() {
    let api = Api::start().await;
    let payer = api.client();
    verified_personal(&api, &payer, "payer@example.com", "PayerOne").await;
    let create = "mutation($to: String) { createPaymentSession(toEmail: $to) { message } }";
    let unknown = payer.graphql(create, json!({ "to": "Newcomer@Example.com" })).await;
    unknown.assert_refused("createPaymentSession", "I-4704", "No account exists for email: newcomer@example.com");
    api.client().sign_up_person("nobank@example.com").await;
    let cannot = payer.graphql(create, json!({ "to": "nobank@example.com" })).await;
    cannot.assert_refused("createPaymentSession", "I-4750", "This recipient cannot receive payments yet.");
}

#[actix_web::test]
async fn a_payment_to_a_new_address_is_held_picked_up_at_sign_up_and_paid_once_the_account_can_receive() {
    let api = Api::start_with(CLAIMS_ON).await;
    let payer = api.client();
    verified_personal(&api, &payer, "payer@example.com", "PayerOne").await;
    session_to(&payer, "Newcomer@Example.com", None).await;
    // An address may be a person's: it needs a purpose code.
    price(&api, &payer, 25.0, None).await.assert_refused(
        "updatePaymentSession",
        "I-4735",
        "POP Code is required for payments to personal accounts.",
    );
    price(&api, &payer, 25.0, Some("GIFT")).await.assert_ok();
    let id = submit(&payer).await;

    let sent = entry(&payer, &id).await;
    let sent = &sent.assert_ok()["paymentActivityById"];
    assert_eq!((&sent["type"], &sent["status"]), (&json!("CREATED_CLAIM_PAYMENT"), &json!("PENDING")));
    assert_eq!(sent["contact"], json!({ "email": "newcomer@example.com", "account": null }));
    let invitation = api.mailbox("newcomer@example.com").await;
    assert_eq!(invitation.len(), 1, "{invitation:?}");
    assert_eq!(invitation[0]["template"], "invited_register");
    assert!(invitation[0]["text"].as_str().expect("a text").contains("25.00 USD"), "{invitation:?}");
    // The held payment is what waits for the address, and its submit was the registration email.
    let remind = "mutation($email: String!) { sendInvitedRegisterEmail(email: $email) { message } }";
    payer.graphql(remind, json!({ "email": "newcomer@example.com" })).await.assert_refused(
        "sendInvitedRegisterEmail",
        "I-4433",
        "An invitation was already sent to this email address in the last 24 hours.",
    );

    api.advance(TimeDelta::seconds(60)).await;
    assert_eq!(status(&api, &id), "UNCLAIMED");
    assert_ledger_balanced(&api, 1).await;

    let newcomer = api.client();
    newcomer.sign_up_person("newcomer@example.com").await;
    let account = newcomer.account_id().await.assert_ok()["account"]["id"].as_str().expect("an id").to_owned();
    let received = entry(&newcomer, &id).await;
    let received = &received.assert_ok()["paymentActivityById"];
    assert_eq!((&received["type"], &received["status"]), (&json!("RECEIVED_CLAIM_PAYMENT"), &json!("UNCLAIMED")));
    let told = received_events(&api, &account);
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!((&told[0]["paymentId"], &told[0]["paymentEntryType"]), (&json!(id), &json!("RECEIVED_CLAIM_PAYMENT")));

    // Held until the account can receive, then paid out as any payment.
    api.advance(TimeDelta::days(2)).await;
    assert_eq!(status(&api, &id), "UNCLAIMED");
    newcomer.login("newcomer@example.com", SEED_PASSWORD).await.assert_ok();
    link_bank_link_fixture(&newcomer, "10002").await;
    api.advance(TimeDelta::seconds(1)).await;
    assert_eq!(status(&api, &id), "PROCESSING");
    api.advance(TimeDelta::seconds(30)).await;
    api.advance(TimeDelta::minutes(2)).await;
    assert_eq!(status(&api, &id), "COMPLETE");
    assert_eq!(statuses(&api, &id), ["PENDING", "PROCESSING", "UNCLAIMED", "PROCESSING", "IN_TRANSIT", "COMPLETE"]);
    assert_ledger_balanced(&api, 3).await;
}

#[actix_web::test]
async fn a_held_payment_in_another_currency_stays_held_and_is_given_back_when_the_claim_expires() {
    let api = Api::start_with(CLAIMS_ON).await;
    let payer = payer_paying(&api, "canuck@example.com").await;
    let id = submit(&payer).await;
    api.advance(TimeDelta::seconds(60)).await;
    assert_eq!(status(&api, &id), "UNCLAIMED");

    let canuck = api.client();
    canuck
        .sign_up(json!({ "accountType": "PERSONAL", "country": "CA", "currency": "CAD",
                         "email": "canuck@example.com", "password": SEED_PASSWORD }))
        .await
        .assert_ok();
    entry(&canuck, &id).await.assert_refused(
        "paymentActivityById",
        "I-4904",
        "There is no payment activity with this id.",
    );

    api.advance(TimeDelta::days(29)).await;
    assert_eq!(status(&api, &id), "UNCLAIMED");
    api.advance(TimeDelta::days(1)).await;
    assert_eq!(status(&api, &id), "CANCELED");
    let steps = history(&api, &id);
    let unclaimed = steps.iter().find(|(status, _)| status == "UNCLAIMED").expect("UNCLAIMED").1;
    assert_eq!(steps.last().map(|(_, at)| at - unclaimed), Some(TimeDelta::days(30).num_seconds()));
    // Collected, then given back whole: the collection and the give-back.
    assert_ledger_balanced(&api, 2).await;
    let sent = templates(&api, "payer@example.com").await;
    assert_eq!(sent.last().map(String::as_str), Some("payment_problem"), "{sent:?}");
}

#[actix_web::test]
async fn an_account_that_cannot_receive_yet_gets_a_claim_payment_paid_out_once_it_can() {
    let api = Api::start_with(CLAIMS_ON).await;
    let beneficiary = api.client();
    beneficiary.sign_up_person("nobank@example.com").await;
    let payer = payer_paying(&api, "nobank@example.com").await;
    let id = submit(&payer).await;
    let received = entry(&beneficiary, &id).await;
    let received = &received.assert_ok()["paymentActivityById"];
    assert_eq!((&received["type"], &received["status"]), (&json!("RECEIVED_CLAIM_PAYMENT"), &json!("PENDING")));
    assert_eq!(templates(&api, "nobank@example.com").await, ["email_verification", "payment_received"]);

    api.advance(TimeDelta::seconds(60)).await;
    assert_eq!(status(&api, &id), "UNCLAIMED");
    assert_ledger_balanced(&api, 1).await;
    link_bank_link_fixture(&beneficiary, "10002").await;
    api.advance(TimeDelta::seconds(1)).await;
    api.advance(TimeDelta::seconds(30)).await;
    api.advance(TimeDelta::minutes(2)).await;
    assert_eq!(status(&api, &id), "COMPLETE");
    assert_ledger_balanced(&api, 3).await;
}
