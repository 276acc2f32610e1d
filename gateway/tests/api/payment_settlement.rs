//! Settlement (flows.md section 8; providers.md section 4): the manual clock walks payments through every path
//! — COMPLETE (LOCAL and INTERNATIONAL), DECLINED, FAILED, RETURNED, CANCELED, SCHEDULED then PENDING — and
//! each test checks the statuses, the history's times, the events of both accounts, the emails, the linked
//! balances that move, and that the ledger holds every invariant afterwards.

use chrono::{DateTime, TimeDelta, Utc};
use diesel::prelude::*;
use serde_json::{Value, json};
use store::schema::{events, local_linked_balances, payment_status_changes, payments};

use crate::fixtures::{
    clock_now, link_bank_link_fixture, payable_account, payer_and_session, price_session, verified_personal,
    verify_personal,
};
use crate::harness::{Api, Client};

const SUBMIT: &str = "mutation { submitPaymentSession { id } }";

/// Submits the client's priced payment session; answers the payment's id.
pub async fn submit(client: &Client) -> String {
    let answer = client.graphql(SUBMIT, json!({})).await;
    answer.assert_ok()["submitPaymentSession"]["id"].as_str().expect("a payment id").to_owned()
}

/// Opens a payment session from the client's current account to `email`, funded from its funding balance in
/// `from` when given.
pub async fn session_to(client: &Client, email: &str, from: Option<&str>) {
    let answer = client
        .graphql(
            "mutation($to: String, $from: Currency) { createPaymentSession(toEmail: $to, fromCurrency: $from) { message } }",
            json!({ "to": email, "from": from }),
        )
        .await;
    assert_eq!(answer.assert_ok()["createPaymentSession"]["message"], "Payment session created!");
}

/// The payment's status as stored (one row: both entries show it).
pub fn status(api: &Api, id: &str) -> String {
    let mut conn = api.state.pool.get().expect("connection");
    payments::table.find(id).select(payments::status).first(&mut conn).expect("the payment")
}

/// The payment's status history, oldest first, each with its time as seconds after the first.
pub fn history(api: &Api, id: &str) -> Vec<(String, i64)> {
    let mut conn = api.state.pool.get().expect("connection");
    let rows: Vec<(String, chrono::NaiveDateTime)> = payment_status_changes::table
        .filter(payment_status_changes::payment_id.eq(id))
        .order(payment_status_changes::changed_at.asc())
        .select((payment_status_changes::status, payment_status_changes::changed_at))
        .load(&mut conn)
        .expect("history");
    let first = rows.first().map(|(_, at)| *at).expect("a first status");
    rows.into_iter().map(|(status, at)| (status, (at - first).num_seconds())).collect()
}

/// When the payment entered `status`.
pub fn entered(api: &Api, id: &str, status: &str) -> DateTime<Utc> {
    let mut conn = api.state.pool.get().expect("connection");
    let at: chrono::NaiveDateTime = payment_status_changes::table
        .filter(payment_status_changes::payment_id.eq(id))
        .filter(payment_status_changes::status.eq(status))
        .select(payment_status_changes::changed_at)
        .first(&mut conn)
        .expect("that status in the history");
    at.and_utc()
}

/// The `payment.status_changed` events of the payment, oldest first: (account id, claims).
pub fn status_events(api: &Api, id: &str) -> Vec<(String, Value)> {
    events_about(api, "payment.status_changed", ("paymentId", id))
}

/// The events named `event` whose claim `claim` is `id`, oldest first: (account id, claims).
pub fn events_about(api: &Api, event: &str, (claim, id): (&str, &str)) -> Vec<(String, Value)> {
    let mut conn = api.state.pool.get().expect("connection");
    let rows: Vec<(String, String)> = events::table
        .filter(events::event.eq(event))
        .order((events::created_at.asc(), events::id.asc()))
        .select((events::account_id, events::claims))
        .load(&mut conn)
        .expect("events");
    rows.into_iter()
        .map(|(account, claims)| (account, serde_json::from_str::<Value>(&claims).expect("claims")))
        .filter(|(_, claims)| claims[claim] == id)
        .collect()
}

/// (previousStatus, status) of the events to `account`, in order.
pub fn changes_seen_by(events: &[(String, Value)], account: &str) -> Vec<(String, String)> {
    events
        .iter()
        .filter(|(to, _)| to == account)
        .map(|(_, claims)| {
            (
                claims["previousStatus"].as_str().expect("previousStatus").to_owned(),
                claims["status"].as_str().expect("status").to_owned(),
            )
        })
        .collect()
}

/// The local provider's balance of a linked account, in minor units; `None` while no money has moved on it.
pub fn linked_balance(api: &Api, yodlee_id: &str) -> Option<i64> {
    let mut conn = api.state.pool.get().expect("connection");
    local_linked_balances::table
        .find(yodlee_id)
        .select(local_linked_balances::balance)
        .first(&mut conn)
        .optional()
        .expect("balance")
}

/// The templates of the emails to `email`, oldest first.
pub async fn templates(api: &Api, email: &str) -> Vec<String> {
    let mut sent: Vec<String> =
        api.mailbox(email).await.iter().map(|m| m["template"].as_str().expect("template").to_owned()).collect();
    sent.reverse();
    sent
}

/// Runs `borderless admin check-ledger` and asserts the ledger balances with `sets` posting sets.
pub async fn assert_ledger_balanced(api: &Api, sets: usize) {
    assert_eq!(api.admin(&["check-ledger"]).await, json!({ "balanced": true, "postingSets": sets }));
}

fn steps(list: &[(&str, i64)]) -> Vec<(String, i64)> {
    list.iter().map(|(status, at)| ((*status).to_owned(), *at)).collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect()
}

fn account_of(api: &Api, id: &str) -> (String, String) {
    let mut conn = api.state.pool.get().expect("connection");
    let (payer, beneficiary): (String, Option<String>) = payments::table
        .find(id)
        .select((payments::payer_account_id, payments::beneficiary_account_id))
        .first(&mut conn)
        .expect("the payment");
    (payer, beneficiary.expect("a beneficiary account"))
}

#[actix_web::test]
async fn an_international_payment_is_collected_paid_out_and_arrives_in_one_large_advance() {
    let api = Api::start().await;
    let (payer, _) = payer_and_session(&api).await;
    price_session(&api, &payer, 35.0).await;
    let id = submit(&payer).await;
    let (payer_account, beneficiary_account) = account_of(&api, &id);
    assert_eq!(status(&api, &id), "PENDING");
    api.advance(TimeDelta::seconds(29)).await;
    assert_eq!(status(&api, &id), "PENDING", "the collection is due 30 s after PENDING");

    api.advance(TimeDelta::minutes(11)).await;
    assert_eq!(status(&api, &id), "COMPLETE");
    // Each step recorded at the moment it was due: collection +30 s, payout +30 s, arrival +10 min.
    assert_eq!(history(&api, &id), steps(&[("PENDING", 0), ("PROCESSING", 30), ("IN_TRANSIT", 60), ("COMPLETE", 660)]));
    let events = status_events(&api, &id);
    assert_eq!(events.len(), 6, "three transitions, each for both accounts");
    let walked = pairs(&[("PENDING", "PROCESSING"), ("PROCESSING", "IN_TRANSIT"), ("IN_TRANSIT", "COMPLETE")]);
    assert_eq!(changes_seen_by(&events, &payer_account), walked);
    assert_eq!(changes_seen_by(&events, &beneficiary_account), walked);
    let (_, payer_side) = events.iter().find(|(to, _)| *to == payer_account).expect("a payer event");
    assert_eq!(
        (
            &payer_side["paymentEntryType"],
            &payer_side["amount"],
            &payer_side["fee"],
            &payer_side["totalAmount"],
            &payer_side["currency"],
            &payer_side["description"]
        ),
        (&json!("CREATED_PAYMENT"), &json!(35.0), &json!(0.0), &json!(35.0), &json!("USD"), &json!("Invoice 1042"))
    );
    let (_, beneficiary_side) = events.iter().find(|(to, _)| *to == beneficiary_account).expect("an event");
    assert_eq!(
        (
            &beneficiary_side["paymentEntryType"],
            &beneficiary_side["amount"],
            &beneficiary_side["fee"],
            &beneficiary_side["totalAmount"],
            &beneficiary_side["currency"]
        ),
        (&json!("RECEIVED_PAYMENT"), &json!(47.54), &json!(1.5), &json!(46.04), &json!("CAD"))
    );
    assert!(beneficiary_side["valueDate"].as_str().is_some_and(|date| date.ends_with("T00:00:00.000Z")));
    // 10001 gave 35.00 USD; 10005 received 46.04 CAD.
    assert_eq!(linked_balance(&api, "10001"), Some(2_500_000 - 3_500));
    assert_eq!(linked_balance(&api, "10005"), Some(3_000_000 + 4_604));
    assert!(templates(&api, "payer@example.com").await.contains(&"payment_sent".to_owned()));
    assert_eq!(templates(&api, "maple@example.com").await, ["email_verification", "payment_received"]);
    assert_ledger_balanced(&api, 3).await;
}

/// A verified US payer paying from fixture 10001, and a US business paid into `yodlee_id`; the payer's client
/// holds a payment session to the business, priced at `amount` USD.
async fn local_payment(api: &Api, yodlee_id: &str, amount: f64) -> (Client, Client, String) {
    let payer = api.client();
    verified_personal(api, &payer, "payer@example.com", "PayerOne").await;
    let shop = api.client();
    payable_account(&shop, "shop@example.com", "BUSINESS", ("US", "USD"), yodlee_id).await;
    session_to(&payer, "shop@example.com", None).await;
    price_session(api, &payer, amount).await;
    let id = submit(&payer).await;
    (payer, shop, id)
}

#[actix_web::test]
async fn a_local_payment_completes_after_the_local_delays() {
    let api = Api::start().await;
    let (_payer, _shop, id) = local_payment(&api, "10002", 12.5).await;
    api.advance(TimeDelta::seconds(30)).await;
    assert_eq!(status(&api, &id), "PROCESSING");
    assert_eq!(linked_balance(&api, "10001"), Some(2_500_000 - 1_250));
    api.advance(TimeDelta::seconds(30)).await;
    assert_eq!(status(&api, &id), "IN_TRANSIT");
    api.advance(TimeDelta::seconds(119)).await;
    assert_eq!(status(&api, &id), "IN_TRANSIT", "a LOCAL payment arrives 2 min after IN_TRANSIT");
    api.advance(TimeDelta::seconds(1)).await;
    assert_eq!(history(&api, &id), steps(&[("PENDING", 0), ("PROCESSING", 30), ("IN_TRANSIT", 60), ("COMPLETE", 180)]));
    // 10002 started at 40.00 USD.
    assert_eq!(linked_balance(&api, "10002"), Some(4_000 + 1_250));
    let events = status_events(&api, &id);
    assert_eq!(events.len(), 6);
    assert!(events.iter().all(|(_, claims)| claims["fee"] == json!(0.0) && claims["amount"] == json!(12.5)));
    assert!(!templates(&api, "payer@example.com").await.contains(&"payment_problem".to_owned()));
    assert_ledger_balanced(&api, 3).await;
}

#[actix_web::test]
async fn a_payment_from_a_bank_account_ending_0003_is_declined_and_nothing_moves() {
    let api = Api::start().await;
    let payer = api.client();
    verify_personal(&api, &payer, "payer@example.com", "PayerOne").await;
    let manual = json!({ "accountNumber": "9876540003", "routingNumber": "121122676", "bankName": "Chase",
                         "country": "US", "currency": "USD", "accountType": "CHECKING" });
    payer
        .graphql(
            "mutation($data: AddBankAccountInput!) { addBankAccount(data: $data) { message } }",
            json!({ "data": { "manualBankData": manual } }),
        )
        .await
        .assert_ok();
    api.advance(TimeDelta::seconds(30)).await;
    let shop = api.client();
    payable_account(&shop, "shop@example.com", "BUSINESS", ("US", "USD"), "10002").await;
    session_to(&payer, "shop@example.com", None).await;
    price_session(&api, &payer, 20.0).await;
    let id = submit(&payer).await;
    api.advance(TimeDelta::minutes(5)).await;
    assert_eq!(status(&api, &id), "DECLINED");
    assert_eq!(history(&api, &id), steps(&[("PENDING", 0), ("DECLINED", 30)]));
    let events = status_events(&api, &id);
    assert_eq!(events.len(), 2);
    assert!(events.iter().all(|(_, claims)| claims["status"] == "DECLINED" && claims["previousStatus"] == "PENDING"));
    assert_eq!(linked_balance(&api, "10002"), None, "nothing was paid in");
    let mail = api.mailbox("payer@example.com").await;
    assert!(mail.iter().any(|m| m["template"] == "payment_sent"));
    let problem = mail.iter().find(|m| m["template"] == "payment_problem").expect("payment_problem to the payer");
    assert!(problem["text"].as_str().is_some_and(|text| text.contains("20.00 USD") && text.contains("DECLINED")));
    assert_ledger_balanced(&api, 0).await;
}

#[actix_web::test]
async fn a_payment_above_the_linked_balance_is_declined() {
    let api = Api::start().await;
    let payer = api.client();
    verify_personal(&api, &payer, "payer@example.com", "PayerOne").await;
    link_bank_link_fixture(&payer, "10002").await;
    let shop = api.client();
    payable_account(&shop, "shop@example.com", "BUSINESS", ("US", "USD"), "10001").await;
    session_to(&payer, "shop@example.com", None).await;
    price_session(&api, &payer, 40.01).await;
    let declined = submit(&payer).await;
    api.advance(TimeDelta::seconds(30)).await;
    assert_eq!(status(&api, &declined), "DECLINED");
    assert_eq!(linked_balance(&api, "10002"), Some(4_000), "the balance is untouched");
    // Exactly the balance is collected.
    session_to(&payer, "shop@example.com", None).await;
    price_session(&api, &payer, 40.0).await;
    let collected = submit(&payer).await;
    api.advance(TimeDelta::seconds(30)).await;
    assert_eq!(status(&api, &collected), "PROCESSING");
    assert_eq!(linked_balance(&api, "10002"), Some(0));
    assert_ledger_balanced(&api, 1).await;
}

#[actix_web::test]
async fn a_payout_to_an_account_ending_0001_fails_and_the_payer_gets_its_money_back() {
    let api = Api::start().await;
    let (_payer, _shop, id) = local_payment(&api, "10008", 100.0).await;
    let (payer_account, beneficiary_account) = account_of(&api, &id);
    api.advance(TimeDelta::seconds(30)).await;
    assert_eq!(linked_balance(&api, "10001"), Some(2_500_000 - 10_000));
    api.advance(TimeDelta::seconds(30)).await;
    assert_eq!(status(&api, &id), "FAILED");
    assert_eq!(history(&api, &id), steps(&[("PENDING", 0), ("PROCESSING", 30), ("FAILED", 60)]));
    assert_eq!(linked_balance(&api, "10001"), Some(2_500_000), "given back at once");
    assert_eq!(linked_balance(&api, "10008"), None);
    let events = status_events(&api, &id);
    let walked = pairs(&[("PENDING", "PROCESSING"), ("PROCESSING", "FAILED")]);
    assert_eq!(changes_seen_by(&events, &payer_account), walked);
    assert_eq!(changes_seen_by(&events, &beneficiary_account), walked);
    assert!(templates(&api, "payer@example.com").await.contains(&"payment_problem".to_owned()));
    assert!(!templates(&api, "shop@example.com").await.contains(&"payment_problem".to_owned()));
    // Collection, then the give-back.
    assert_ledger_balanced(&api, 2).await;
}

#[actix_web::test]
async fn a_payout_fails_when_the_preferred_bank_account_changed_to_one_not_verified() {
    let api = Api::start().await;
    let (_payer, shop, id) = local_payment(&api, "10002", 10.0).await;
    // Ends with 0004: its verification fails, so it is never FULLY_VERIFIED.
    let manual = json!({ "accountNumber": "11112220004", "routingNumber": "121122676", "bankName": "Chase",
                         "country": "US", "currency": "USD", "accountType": "CHECKING" });
    shop.graphql(
        "mutation($data: AddBankAccountInput!) { addBankAccount(data: $data) { message } }",
        json!({ "data": { "manualBankData": manual } }),
    )
    .await
    .assert_ok();
    let listed = shop.graphql("query { bankAccounts { id status } }", json!({})).await;
    let pending = listed.assert_ok()["bankAccounts"]
        .as_array()
        .expect("bank accounts")
        .iter()
        .find(|bank| bank["status"] == "PENDING_VERIFICATION")
        .and_then(|bank| bank["id"].as_str())
        .expect("the typed-in account")
        .to_owned();
    shop.graphql(
        "mutation($id: ID!) { changePreferredBankAccount(bankAccountId: $id) { message } }",
        json!({ "id": pending }),
    )
    .await
    .assert_ok();
    api.advance(TimeDelta::seconds(30)).await;
    assert_eq!(status(&api, &id), "PROCESSING");
    api.advance(TimeDelta::seconds(30)).await;
    assert_eq!(status(&api, &id), "FAILED");
    assert_eq!(linked_balance(&api, "10001"), Some(2_500_000));
    assert_eq!(status_events(&api, &id).len(), 4);
    assert_ledger_balanced(&api, 2).await;
}

#[actix_web::test]
async fn a_payout_to_an_account_ending_0002_is_returned_and_given_back() {
    let api = Api::start().await;
    let (_payer, _shop, id) = local_payment(&api, "10009", 75.25).await;
    api.advance(TimeDelta::seconds(60)).await;
    assert_eq!(status(&api, &id), "IN_TRANSIT");
    assert_eq!(linked_balance(&api, "10001"), Some(2_500_000 - 7_525));
    api.advance(TimeDelta::minutes(2)).await;
    assert_eq!(status(&api, &id), "RETURNED");
    assert_eq!(history(&api, &id), steps(&[("PENDING", 0), ("PROCESSING", 30), ("IN_TRANSIT", 60), ("RETURNED", 180)]));
    assert_eq!(linked_balance(&api, "10001"), Some(2_500_000));
    assert_eq!(linked_balance(&api, "10009"), None, "nothing arrived");
    let events = status_events(&api, &id);
    assert_eq!(events.len(), 6);
    assert_eq!(events.last().map(|(_, claims)| claims["status"].clone()), Some(json!("RETURNED")));
    assert!(templates(&api, "payer@example.com").await.contains(&"payment_problem".to_owned()));
    assert_ledger_balanced(&api, 3).await;
}

#[actix_web::test]
async fn a_payment_whose_beneficiary_is_closed_before_collection_is_canceled() {
    let api = Api::start().await;
    let (_payer, _shop, id) = local_payment(&api, "10002", 10.0).await;
    let (payer_account, beneficiary_account) = account_of(&api, &id);
    api.advance(TimeDelta::seconds(10)).await;
    api.admin(&["disable-account", &beneficiary_account]).await;
    let now = clock_now(&api).await;
    assert_eq!(status(&api, &id), "CANCELED");
    let canceled_at = entered(&api, &id, "CANCELED");
    assert!((now - canceled_at).num_seconds().abs() <= 1, "canceled by the tick that noticed it");
    api.advance(TimeDelta::minutes(5)).await;
    assert_eq!(status(&api, &id), "CANCELED", "nothing happens after a final status");
    assert_eq!(linked_balance(&api, "10001"), None, "nothing moved");
    let events = status_events(&api, &id);
    assert_eq!(changes_seen_by(&events, &payer_account), pairs(&[("PENDING", "CANCELED")]));
    assert_eq!(changes_seen_by(&events, &beneficiary_account), pairs(&[("PENDING", "CANCELED")]));
    assert!(templates(&api, "payer@example.com").await.contains(&"payment_problem".to_owned()));
    assert_ledger_balanced(&api, 0).await;
}

#[actix_web::test]
async fn a_scheduled_payment_waits_for_its_value_date_then_settles() {
    let api = Api::start().await;
    let payer = api.client();
    verified_personal(&api, &payer, "payer@example.com", "PayerOne").await;
    let shop = api.client();
    payable_account(&shop, "shop@example.com", "BUSINESS", ("US", "USD"), "10002").await;
    session_to(&payer, "shop@example.com", None).await;
    let now = clock_now(&api).await;
    let tomorrow = now.date_naive() + TimeDelta::days(1);
    let answer = payer
        .graphql(
            "mutation($data: UpdatePaymentSessionInput!) { updatePaymentSession(data: $data) { ... on SuccessResult { message } } }",
            json!({ "data": { "amount": 15.0, "description": "Rent", "valueDate": tomorrow.format("%Y-%m-%d").to_string() } }),
        )
        .await;
    assert_eq!(answer.assert_ok()["updatePaymentSession"]["message"], "Payment session successfully updated");
    let id = submit(&payer).await;
    assert_eq!(status(&api, &id), "SCHEDULED");
    let midnight = kernel::DateTime::of_date(tomorrow).0;
    let until = (midnight - clock_now(&api).await).num_seconds();
    if until > 5 {
        api.advance(TimeDelta::seconds(until - 5)).await;
        assert_eq!(status(&api, &id), "SCHEDULED", "nothing moves before the value date");
        assert_eq!(linked_balance(&api, "10001"), None);
    }
    api.advance(TimeDelta::seconds(10)).await;
    assert_eq!(status(&api, &id), "PENDING");
    assert_eq!(entered(&api, &id, "PENDING"), midnight, "recorded at 00:00 UTC of the value date");
    api.advance(TimeDelta::seconds(30)).await;
    assert_eq!(status(&api, &id), "PROCESSING");
    assert_eq!(entered(&api, &id, "PROCESSING"), midnight + TimeDelta::seconds(30));
    let events = status_events(&api, &id);
    assert_eq!(events.len(), 4);
    assert_eq!(events[0].1["previousStatus"], "SCHEDULED");
    assert_ledger_balanced(&api, 1).await;
}

#[actix_web::test]
async fn submit_emails_the_payer_and_the_beneficiary_unless_it_has_an_active_webhook() {
    let api = Api::start_with(&[("WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true")]).await;
    let (payer, _) = payer_and_session(&api).await;
    price_session(&api, &payer, 35.0).await;
    let submitted_at = clock_now(&api).await;
    submit(&payer).await;
    let mail = api.mailbox("payer@example.com").await;
    let sent = mail.iter().find(|m| m["template"] == "payment_sent").expect("payment_sent to the payer");
    let text = sent["text"].as_str().expect("a text");
    // An INTERNATIONAL payment dated today: 30 s + 30 s + 10 min after now.
    let arrival = (submitted_at + TimeDelta::minutes(11)).date_naive().format("%b %-d, %Y").to_string();
    for expected in ["35.00 USD", "46.04 CAD", "100001", arrival.as_str()] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    let received = api.mailbox("maple@example.com").await;
    let received = received.iter().find(|m| m["template"] == "payment_received").expect("payment_received");
    let text = received["text"].as_str().expect("a text");
    assert!(text.contains("46.04 CAD") && text.contains("47.54 CAD") && text.contains("1.50 CAD"), "{text}");

    // A beneficiary with an active webhook is told by its events only.
    let shop = api.client();
    payable_account(&shop, "shop@example.com", "BUSINESS", ("US", "USD"), "10002").await;
    shop.graphql(
        "mutation($data: CreateWebhookInput!) { createWebhook(data: $data) { message } }",
        json!({ "data": { "webhookEndpoint": "http://127.0.0.1:9/hooks" } }),
    )
    .await
    .assert_ok();
    session_to(&payer, "shop@example.com", None).await;
    price_session(&api, &payer, 5.0).await;
    submit(&payer).await;
    assert!(!templates(&api, "shop@example.com").await.contains(&"payment_received".to_owned()));
    assert_eq!(templates(&api, "payer@example.com").await.iter().filter(|t| *t == "payment_sent").count(), 2);
}

#[actix_web::test]
async fn two_instances_settling_at_once_apply_each_transition_once() {
    let api = Api::start().await;
    let payer = api.client();
    verified_personal(&api, &payer, "payer@example.com", "PayerOne").await;
    let shop = api.client();
    payable_account(&shop, "shop@example.com", "BUSINESS", ("US", "USD"), "10002").await;
    let mut ids = Vec::new();
    for amount in [1.0, 2.0, 3.0, 4.0, 5.0, 6.0] {
        session_to(&payer, "shop@example.com", None).await;
        price_session(&api, &payer, amount).await;
        ids.push(submit(&payer).await);
    }
    let other = Api::start_beside(&api, &[]).await;
    // Both instances run every job at once, over and over, while the clock passes every step.
    for _ in 0..4 {
        // Moved without running the jobs, so that the two runs below find the steps due.
        let mut conn = api.state.pool.get().expect("connection");
        api.state.clock.advance(&mut conn, TimeDelta::seconds(60)).expect("the clock moved");
        drop(conn);
        let (one, two) = futures_util::future::join(api.admin(&["run-jobs"]), other.admin(&["run-jobs"])).await;
        assert!(one.is_object() && two.is_object());
    }
    for id in &ids {
        assert_eq!(status(&api, id), "COMPLETE");
        assert_eq!(
            history(&api, id).iter().map(|(status, _)| status.as_str()).collect::<Vec<_>>(),
            ["PENDING", "PROCESSING", "IN_TRANSIT", "COMPLETE"]
        );
        assert_eq!(status_events(&api, id).len(), 6, "one event per transition and account");
    }
    // 1 + 2 + … + 6 = 21.00 USD, once each way.
    assert_eq!(linked_balance(&api, "10001"), Some(2_500_000 - 2_100));
    assert_eq!(linked_balance(&api, "10002"), Some(4_000 + 2_100));
    assert_ledger_balanced(&api, 18).await;
}
