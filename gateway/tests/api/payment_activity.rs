//! paymentActivity and paymentActivityById: both sides of one payment, the filters, paging 120 entries with a
//! payment made between page reads, and every refusal.

use std::collections::HashSet;

use chrono::TimeDelta;
use serde_json::{Value, json};

use crate::fixtures::{clock_now, payable_account, verified_personal};
use crate::harness::{Answer, Api, Client, SEED_PASSWORD};

pub const ENTRY_FIELDS: &str = "id type status subAmount totalFeeAmount totalAmount currency description message valueDate createdAt estimatedArrival paymentMethod tradeNumber savingsAmount sessionType refunds { id } refundLimitReached paymentRequestLink reason refundType originalPayment { id } contact { email lastActivityAt account { accountType displayName currency slug } }";
const NOT_FOUND: &str = "There is no payment activity with this id.";

/// A verified US payer (USD) and a Canadian business (CAD) it can pay, each with its own client.
pub struct Parties {
    pub payer: Client,
    pub payer_account: String,
    pub beneficiary: Client,
    pub beneficiary_account: String,
}

pub async fn parties(api: &Api) -> Parties {
    let payer = api.client();
    let payer_account = verified_personal(api, &payer, "payer@example.com", "PayerOne").await;
    let beneficiary = api.client();
    let beneficiary_account =
        payable_account(&beneficiary, "maple@example.com", "BUSINESS", ("CA", "CAD"), "10005").await;
    Parties { payer, payer_account, beneficiary, beneficiary_account }
}

/// Who a payment goes to, as createPaymentSession names it.
pub enum To<'a> {
    Email(&'a str),
    Slug(&'a str),
}

/// Pays `amount` of the payer's currency to `to`, dated today, fee borne by the beneficiary; answers the id.
pub async fn pay(api: &Api, payer: &Client, to: To<'_>, amount: f64) -> String {
    let today = clock_now(api).await.date_naive().format("%Y-%m-%d").to_string();
    pay_on(payer, to, amount, &today).await
}

/// [`pay`] with the day already known (no operator command in between: nothing settles meanwhile).
pub async fn pay_on(payer: &Client, to: To<'_>, amount: f64, today: &str) -> String {
    let (argument, value) = match to {
        To::Email(email) => ("toEmail", email),
        To::Slug(slug) => ("toSlug", slug),
    };
    let created = payer
        .graphql(
            &format!("mutation($to: String) {{ createPaymentSession({argument}: $to) {{ message }} }}"),
            json!({ "to": value }),
        )
        .await;
    assert_eq!(created.assert_ok()["createPaymentSession"]["message"], "Payment session created!");
    let priced = payer
        .graphql(
            "mutation($data: UpdatePaymentSessionInput!) { updatePaymentSession(data: $data) { ... on SuccessResult { message } } }",
            json!({ "data": { "amount": amount, "description": "Invoice 1042", "emailMessage": "Thanks!", "popCode": "COMM", "valueDate": today } }),
        )
        .await;
    assert_eq!(priced.assert_ok()["updatePaymentSession"]["message"], "Payment session successfully updated");
    let submitted = payer.graphql("mutation { submitPaymentSession { id } }", json!({})).await;
    submitted.assert_ok()["submitPaymentSession"]["id"].as_str().expect("a payment id").to_owned()
}

pub async fn entry(client: &Client, id: &str) -> Answer {
    client
        .graphql(
            &format!("query($id: ID!) {{ paymentActivityById(id: $id) {{ {ENTRY_FIELDS} }} }}"),
            json!({ "id": id }),
        )
        .await
}

async fn activity(client: &Client, variables: Value) -> Answer {
    client
        .graphql(
            "query($filter: PaymentActivityFilter, $first: Int, $after: String) { paymentActivity(filter: $filter, first: $first, after: $after) { entries { id type status createdAt } nextCursor } }",
            variables,
        )
        .await
}

/// The ids of a page, and its cursor.
fn page(answer: &Answer) -> (Vec<String>, Option<String>) {
    let page = &answer.assert_ok()["paymentActivity"];
    let ids = page["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|entry| entry["id"].as_str().expect("an id").to_owned())
        .collect();
    (ids, page["nextCursor"].as_str().map(str::to_owned))
}

/// The arrival estimate of a payment read now: now plus the three delays of an INTERNATIONAL payment.
async fn arrival_now(api: &Api) -> String {
    (clock_now(api).await + TimeDelta::minutes(11)).format("%b %-d, %Y").to_string()
}

#[actix_web::test]
async fn both_sides_see_one_payment_with_their_own_amounts() {
    let api = Api::start().await;
    let Parties { payer, payer_account, beneficiary, beneficiary_account } = parties(&api).await;
    let id = pay(&api, &payer, To::Email("Maple@Example.com"), 35.0).await;
    let today = clock_now(&api).await.date_naive().format("%Y-%m-%dT00:00:00.000Z").to_string();
    let arrival = arrival_now(&api).await;

    let sent = entry(&payer, &id).await.assert_ok()["paymentActivityById"].clone();
    let created_at = sent["createdAt"].clone();
    assert_eq!(
        sent,
        json!({ "id": id, "type": "CREATED_PAYMENT", "status": "PENDING", "subAmount": 35.0, "totalFeeAmount": 0.0,
                "totalAmount": 35.0, "currency": "USD", "description": "Invoice 1042", "message": "Thanks!",
                "valueDate": today, "createdAt": created_at, "estimatedArrival": arrival,
                "paymentMethod": "BANK_ACCOUNT", "tradeNumber": "100001",
                // bankAmount = round_USD(46.04 ÷ (1.365 × 0.97)) + 45.00 = 79.77; less the 35.00 paid.
                "savingsAmount": 44.77, "sessionType": "MAKE_PAYMENT", "refunds": [], "refundLimitReached": false,
                "paymentRequestLink": null, "reason": null, "refundType": null, "originalPayment": null,
                // The payer typed the beneficiary's email: it shows, in lower case; the account has no handle yet.
                "contact": { "email": "maple@example.com", "lastActivityAt": null,
                             "account": { "accountType": "BUSINESS", "displayName": null, "currency": "CAD", "slug": null } } })
    );
    let received = entry(&beneficiary, &id).await.assert_ok()["paymentActivityById"].clone();
    assert_eq!(
        received,
        json!({ "id": id, "type": "RECEIVED_PAYMENT", "status": "PENDING", "subAmount": 47.54, "totalFeeAmount": 1.5,
                "totalAmount": 46.04, "currency": "CAD", "description": "Invoice 1042", "message": "Thanks!",
                "valueDate": today, "createdAt": created_at, "estimatedArrival": arrival,
                "paymentMethod": "BANK_ACCOUNT", "tradeNumber": "100001",
                // 44.77 USD at the mid rate 1.365 = 61.11105, half-even to the cent.
                "savingsAmount": 61.11, "sessionType": "MAKE_PAYMENT", "refunds": [], "refundLimitReached": false,
                "paymentRequestLink": null, "reason": null, "refundType": null, "originalPayment": null,
                // The beneficiary never typed the payer's email: the account only.
                "contact": { "email": null, "lastActivityAt": null,
                             "account": { "accountType": "PERSONAL", "displayName": "Jane Doe", "currency": "USD", "slug": "PayerOne" } } })
    );
    // The lists hold the same entries.
    let listed = |answer: Answer| answer.assert_ok()["paymentActivity"]["entries"].clone();
    assert_eq!(
        listed(activity(&payer, json!({})).await),
        json!([{ "id": id, "type": "CREATED_PAYMENT", "status": "PENDING", "createdAt": created_at }])
    );
    assert_eq!(
        listed(activity(&beneficiary, json!({})).await),
        json!([{ "id": id, "type": "RECEIVED_PAYMENT", "status": "PENDING", "createdAt": created_at }])
    );
    assert!(!payer_account.is_empty() && !beneficiary_account.is_empty());
}

#[actix_web::test]
async fn an_entry_of_another_account_is_not_found_like_a_missing_or_malformed_id() {
    let api = Api::start().await;
    let Parties { payer, .. } = parties(&api).await;
    let id = pay(&api, &payer, To::Email("maple@example.com"), 10.0).await;
    let other = api.client();
    verified_personal(&api, &other, "other@example.com", "OtherOne").await;
    let foreign = entry(&other, &id).await;
    foreign.assert_refused("paymentActivityById", "I-4904", NOT_FOUND);
    for missing in ["0190b5d4-2e1f-7a3c-9b12-4c5d6e7f8091", "not an id", ""] {
        let answer = entry(&other, missing).await;
        assert_eq!(answer.body, foreign.body, "{missing:?} is answered like another account's id");
    }
    // Nor does another account list it.
    let listed = activity(&other, json!({})).await;
    assert_eq!(listed.assert_ok()["paymentActivity"], json!({ "entries": [], "nextCursor": null }));
}

#[actix_web::test]
async fn every_refusal_in_the_pages_order() {
    let api = Api::start().await;
    let anonymous = api.client();
    activity(&anonymous, json!({ "first": 0, "after": "x" })).await.assert_refused(
        "paymentActivity",
        "I-4100",
        "You must be logged in.",
    );
    entry(&anonymous, "x").await.assert_refused("paymentActivityById", "I-4100", "You must be logged in.");
    api.sign_up_seed().await;
    let reversed = json!({ "fromDate": "2024-06-10", "toDate": "2024-06-01" });
    for first in [0, 101, -1] {
        activity(&api, json!({ "first": first, "after": "x", "filter": reversed })).await.assert_refused(
            "paymentActivity",
            "I-4907",
            "first must be between 1 and 100.",
        );
    }
    for after in ["x", "", "MTcxODQ0MzgwMDAwMDp4"] {
        activity(&api, json!({ "first": 100, "after": after, "filter": reversed })).await.assert_refused(
            "paymentActivity",
            "I-4908",
            "This is not a valid cursor.",
        );
    }
    activity(&api, json!({ "filter": reversed })).await.assert_refused(
        "paymentActivity",
        "I-4909",
        "fromDate must not be after toDate.",
    );
    // The same instant for both is an empty range, not a reversed one; `first: null` means the default.
    let same = json!({ "first": null, "filter": { "fromDate": "2024-06-10", "toDate": "2024-06-10T00:00:00.000Z" } });
    assert_eq!(activity(&api, same).await.assert_ok()["paymentActivity"], json!({ "entries": [], "nextCursor": null }));
}

#[actix_web::test]
async fn filters_combine_types_and_statuses_by_or_and_dates_half_open() {
    let api = Api::start().await;
    let Parties { payer, beneficiary, .. } = parties(&api).await;
    // Day 1: the payer pays the business; a day later the payment is complete.
    let first_day = clock_now(&api).await.date_naive();
    let early = pay(&api, &payer, To::Email("maple@example.com"), 20.0).await;
    api.advance(TimeDelta::days(1)).await;
    // A day is longer than a login session lives.
    payer.login("payer@example.com", SEED_PASSWORD).await.assert_ok();
    beneficiary.login("maple@example.com", SEED_PASSWORD).await.assert_ok();
    // Day 2: another payment, still PENDING.
    let second_day = clock_now(&api).await.date_naive();
    let late = pay(&api, &payer, To::Email("maple@example.com"), 30.0).await;

    let ids = |answer: Answer| page(&answer).0;
    let day = |date: chrono::NaiveDate| date.format("%Y-%m-%d").to_string();
    assert_eq!(ids(activity(&payer, json!({})).await), [late.clone(), early.clone()]);
    let complete = json!({ "filter": { "statuses": ["COMPLETE"] } });
    assert_eq!(ids(activity(&payer, complete).await), [early.as_str()]);
    let either = json!({ "filter": { "statuses": ["PENDING", "COMPLETE"] } });
    assert_eq!(ids(activity(&payer, either).await), [late.clone(), early.clone()]);
    let none = json!({ "filter": { "statuses": ["DECLINED"] } });
    assert!(ids(activity(&payer, none).await).is_empty());
    // Types: the payer only sent; the business only received; both types together list each side's all.
    let sent = json!({ "filter": { "types": ["CREATED_PAYMENT"], "statuses": [] } });
    assert_eq!(ids(activity(&payer, sent.clone()).await), [late.clone(), early.clone()]);
    assert!(ids(activity(&beneficiary, sent).await).is_empty());
    let both = json!({ "filter": { "types": ["RECEIVED_PAYMENT", "CREATED_PAYMENT"] } });
    assert_eq!(ids(activity(&beneficiary, both).await), [late.clone(), early.clone()]);
    let received_complete = json!({ "filter": { "types": ["RECEIVED_PAYMENT"], "statuses": ["COMPLETE"] } });
    assert_eq!(ids(activity(&beneficiary, received_complete).await), [early.as_str()]);
    // Dates: from ≤ createdAt < to; a plain date is that day's first instant.
    let from_second = json!({ "filter": { "fromDate": day(second_day) } });
    assert_eq!(ids(activity(&payer, from_second).await), [late.as_str()]);
    let to_second = json!({ "filter": { "toDate": day(second_day) } });
    assert_eq!(ids(activity(&payer, to_second).await), [early.as_str()]);
    let first_only = json!({ "filter": { "fromDate": day(first_day), "toDate": day(second_day) } });
    assert_eq!(ids(activity(&payer, first_only).await), [early.as_str()]);
    let created_at = entry(&payer, &late).await.assert_ok()["paymentActivityById"]["createdAt"].clone();
    let at_the_instant = json!({ "filter": { "fromDate": created_at.clone() } });
    assert_eq!(ids(activity(&payer, at_the_instant).await), [late.as_str()]);
    let before_the_instant = json!({ "filter": { "fromDate": day(second_day), "toDate": created_at } });
    assert!(ids(activity(&payer, before_the_instant).await).is_empty());
}

#[actix_web::test]
async fn pages_of_fifty_read_120_entries_once_each_and_ignore_payments_made_meanwhile() {
    let api = Api::start().await;
    let Parties { payer, .. } = parties(&api).await;
    let today = clock_now(&api).await.date_naive().format("%Y-%m-%d").to_string();
    let mut made = Vec::new();
    for _ in 0..120 {
        made.push(pay_on(&payer, To::Email("maple@example.com"), 2.0, &today).await);
    }
    let (first, cursor) = page(&activity(&payer, json!({})).await);
    assert_eq!(first.len(), 50);
    let cursor = cursor.expect("a cursor after the first page");
    // A payment made between two page reads sorts first: it is not on the next page.
    let meanwhile = pay_on(&payer, To::Email("maple@example.com"), 3.0, &today).await;
    let (second, cursor) = page(&activity(&payer, json!({ "first": 50, "after": cursor })).await);
    assert_eq!(second.len(), 50);
    let (third, cursor) = page(&activity(&payer, json!({ "first": 50, "after": cursor.expect("a cursor") })).await);
    assert_eq!(third.len(), 20);
    assert_eq!(cursor, None, "the last page has no cursor");
    let read: Vec<&String> = first.iter().chain(&second).chain(&third).collect();
    assert_eq!(read.iter().collect::<HashSet<_>>().len(), 120, "no entry twice");
    assert!(!read.contains(&&meanwhile));
    // Newest first: the order the payments were made in, reversed.
    made.reverse();
    assert_eq!(read, made.iter().collect::<Vec<_>>());
    // Starting again shows the new payment first.
    let (again, _) = page(&activity(&payer, json!({ "first": 1 })).await);
    assert_eq!(again, [meanwhile]);
}

#[actix_web::test]
async fn money_paid_into_the_funding_balance_is_a_funding_entry_among_the_payments() {
    let api = Api::start().await;
    let Parties { payer, payer_account, .. } = parties(&api).await;
    let paid = pay(&api, &payer, To::Email("maple@example.com"), 10.0).await;
    api.advance(TimeDelta::seconds(1)).await;
    let funded = api.admin(&["fund", &payer_account, "USD", "250.5"]).await;
    let funding = funded["paymentId"].as_str().expect("the funding entry's id").to_owned();
    let pending = entry(&payer, &funding).await.assert_ok()["paymentActivityById"].clone();
    let created_at = pending["createdAt"].clone();
    let day = format!("{}T00:00:00.000Z", &created_at.as_str().expect("an instant")[..10]);
    assert_eq!(
        pending,
        json!({ "id": funding, "type": "CREATED_FUNDING_PAYMENT", "status": "PENDING", "subAmount": 250.5,
                "totalFeeAmount": 0.0, "totalAmount": 250.5, "currency": "USD", "description": null, "message": null,
                "valueDate": day, "createdAt": created_at, "estimatedArrival": null, "paymentMethod": null,
                "tradeNumber": null, "savingsAmount": null, "sessionType": null, "refunds": [],
                "refundLimitReached": false, "paymentRequestLink": null, "reason": null, "refundType": null,
                "originalPayment": null, "contact": null })
    );
    assert_eq!(page(&activity(&payer, json!({})).await).0, [funding.clone(), paid.clone()]);
    let only_funding = json!({ "filter": { "types": ["CREATED_FUNDING_PAYMENT"] } });
    assert_eq!(page(&activity(&payer, only_funding).await).0, [funding.as_str()]);
    // The next settlement tick credits the balance; the payment to the business is still PENDING.
    api.advance(TimeDelta::seconds(5)).await;
    let complete = json!({ "filter": { "statuses": ["COMPLETE"] } });
    assert_eq!(page(&activity(&payer, complete).await).0, [funding.as_str()]);
    // A cursor that ends on the funding entry continues with the payment.
    let (_, cursor) = page(&activity(&payer, json!({ "first": 1 })).await);
    let (rest, cursor) = page(&activity(&payer, json!({ "first": 1, "after": cursor.expect("a cursor") })).await);
    assert_eq!((rest, cursor), (vec![paid], None));
    // A funding entry has no counterparty and no trade.
    let no_trade = "This payment has no trade confirmation.";
    let trade = payer
        .graphql(
            "query($id: ID!) { tradeConfirmationForPayment(paymentId: $id) { tradeNumber } }",
            json!({ "id": funding }),
        )
        .await;
    trade.assert_refused("tradeConfirmationForPayment", "I-4910", no_trade);
    let contacts = payer.graphql("query { contacts { email } }", json!({})).await;
    assert_eq!(contacts.assert_ok()["contacts"], json!([{ "email": "maple@example.com" }]));
}
