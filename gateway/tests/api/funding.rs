//! Funding balances (providers.md section 4; flows.md sections 2 and 8): `borderless admin fund` records a
//! funding payment that completes at the next settlement tick, credits the balance and makes the account
//! FUNDING_BALANCE_VERIFIED; payments funded by the balance are collected from it, or DECLINED when it is too
//! low.

use chrono::TimeDelta;
use diesel::prelude::*;
use serde_json::{Value, json};
use store::schema::{events, local_funding_balances};

use crate::fixtures::{current_account_status, payable_account, price_session, verified_personal};
use crate::harness::Api;
use crate::payment_settlement::{assert_ledger_balanced, history, session_to, status, status_events, submit};

fn funding_balance(api: &Api, account: &str, currency: &str) -> Option<i64> {
    let mut conn = api.state.pool.get().expect("connection");
    local_funding_balances::table
        .find((account, currency))
        .select(local_funding_balances::balance)
        .first(&mut conn)
        .optional()
        .expect("balance")
}

fn entries(api: &Api, account: &str) -> Vec<payments::FundingEntry> {
    let mut conn = api.state.pool.get().expect("connection");
    payments::funding_entries(&mut conn, &kernel::AccountId::from_text(account)).expect("funding entries")
}

async fn fund(api: &Api, account: &str, currency: &str, amount: &str) -> anyhow::Result<Value> {
    gateway::admin::execute(&api.state.admin_context(), &["fund", account, currency, amount]).await
}

#[actix_web::test]
async fn a_funding_payment_completes_at_the_next_tick_and_verifies_the_funding_balance() {
    let api = Api::start().await;
    let owner = api.client();
    let account = verified_personal(&api, &owner, "owner@example.com", "OwnerOne").await;
    let answer = fund(&api, &account, "USD", "250.5").await.expect("funded");
    let id = answer["paymentId"].as_str().expect("a paymentId").to_owned();
    let listed = entries(&api, &account);
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].id.as_str(), listed[0].status.as_str()), (id.as_str(), "PENDING"));
    assert_eq!(listed[0].amount.minor_units(), 25_050);
    assert_eq!(listed[0].completed_at, None);
    assert_eq!(current_account_status(&owner).await.1, "VERIFIED", "nothing happens before the tick");

    api.advance(TimeDelta::seconds(0)).await;
    let listed = entries(&api, &account);
    assert_eq!(listed[0].status.as_str(), "COMPLETE");
    assert!(listed[0].completed_at.is_some());
    assert_eq!(funding_balance(&api, &account, "USD"), Some(25_050));
    assert_eq!(current_account_status(&owner).await.1, "FUNDING_BALANCE_VERIFIED");
    let changed: Vec<String> = {
        let mut conn = api.state.pool.get().expect("connection");
        events::table
            .filter(events::event.eq("account.status_changed"))
            .filter(events::account_id.eq(&account))
            .select(events::claims)
            .load(&mut conn)
            .expect("events")
    };
    let last: Value = serde_json::from_str(changed.last().expect("an account.status_changed")).expect("claims");
    assert_eq!((&last["previousStatus"], &last["status"]), (&json!("VERIFIED"), &json!("FUNDING_BALANCE_VERIFIED")));
    assert_ledger_balanced(&api, 1).await;

    // A second credit adds to the balance; the status stays.
    fund(&api, &account, "USD", "10").await.expect("funded");
    api.advance(TimeDelta::seconds(0)).await;
    assert_eq!(funding_balance(&api, &account, "USD"), Some(26_050));
    assert_eq!(entries(&api, &account).len(), 2);
    assert_ledger_balanced(&api, 2).await;
}

#[actix_web::test]
async fn payments_from_the_funding_balance_are_collected_from_it_or_declined() {
    let api = Api::start().await;
    let payer = api.client();
    let account = verified_personal(&api, &payer, "payer@example.com", "PayerOne").await;
    let shop = api.client();
    payable_account(&shop, "shop@example.com", "BUSINESS", ("US", "USD"), "10002").await;
    fund(&api, &account, "USD", "100").await.expect("funded");
    api.advance(TimeDelta::seconds(0)).await;

    session_to(&payer, "shop@example.com", Some("USD")).await;
    price_session(&api, &payer, 35.0).await;
    let paid = submit(&payer).await;
    api.advance(TimeDelta::seconds(30)).await;
    assert_eq!(status(&api, &paid), "PROCESSING");
    assert_eq!(funding_balance(&api, &account, "USD"), Some(6_500));
    api.advance(TimeDelta::minutes(3)).await;
    assert_eq!(status(&api, &paid), "COMPLETE");

    session_to(&payer, "shop@example.com", Some("USD")).await;
    price_session(&api, &payer, 65.01).await;
    let declined = submit(&payer).await;
    api.advance(TimeDelta::seconds(30)).await;
    assert_eq!(status(&api, &declined), "DECLINED");
    assert_eq!(history(&api, &declined).iter().map(|(s, _)| s.as_str()).collect::<Vec<_>>(), ["PENDING", "DECLINED"]);
    assert_eq!(status_events(&api, &declined).len(), 2);
    assert_eq!(funding_balance(&api, &account, "USD"), Some(6_500), "nothing taken");
    assert!(api.mailbox("payer@example.com").await.iter().any(|m| m["template"] == "payment_problem"));
    // The funding credit and the three steps of the completed payment.
    assert_ledger_balanced(&api, 4).await;
}

#[actix_web::test]
async fn fund_refuses_unknown_accounts_and_amounts_outside_the_money_rules() {
    let api = Api::start().await;
    let owner = api.client();
    let account = verified_personal(&api, &owner, "owner@example.com", "OwnerOne").await;
    let unknown = fund(&api, "0190b5c2-7a4e-7c3d-9f21-5b8e2d4c1a00", "USD", "10").await.expect_err("refused");
    assert!(unknown.to_string().contains("no account"), "{unknown:#}");
    for (currency, amount) in [("USD", "1.234"), ("USD", "0"), ("USD", "-5"), ("USD", "ten"), ("XYZ", "10")] {
        assert!(fund(&api, &account, currency, amount).await.is_err(), "{currency} {amount}");
    }
    assert!(entries(&api, &account).is_empty());
    api.admin(&["disable-account", &account]).await;
    assert!(fund(&api, &account, "USD", "10").await.is_err(), "a closed account is not funded");
}

#[actix_web::test]
async fn check_ledger_reports_a_funding_balance_the_books_do_not_show() {
    let api = Api::start().await;
    let owner = api.client();
    let account = verified_personal(&api, &owner, "owner@example.com", "OwnerOne").await;
    fund(&api, &account, "USD", "250.5").await.expect("funded");
    api.advance(TimeDelta::seconds(0)).await;
    assert_ledger_balanced(&api, 1).await;
    {
        let mut conn = api.state.pool.get().expect("connection");
        diesel::update(local_funding_balances::table.find((account.as_str(), "USD")))
            .set(local_funding_balances::balance.eq(25_051))
            .execute(&mut conn)
            .expect("tampered");
    }
    let refused = gateway::admin::execute(&api.state.admin_context(), &["check-ledger"]).await.expect_err("unbalanced");
    assert_eq!(
        refused.to_string(),
        format!("invariant 5: funding:{account}[USD] is 25050, the funding balance is 25051")
    );
}
