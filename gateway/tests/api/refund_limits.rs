//! Refund limits (flows.md section 10): the 90-day window at its boundary, the number of refunds, the attempts,
//! and R under concurrent submits from several login sessions.

use chrono::TimeDelta;
use diesel::prelude::*;
use futures_util::future::join_all;
use serde_json::json;
use store::schema::{payments, refunds};

use crate::fixtures::{clock_now, link_bank_link_fixture};
use crate::harness::{Api, Client, SEED_PASSWORD};
use crate::payment_settlement::entered;
use crate::refunds::{
    REFUNDER_EMAIL, SESSION, assert_created, assert_updated, completed_payment, create, parties, pay, refund, submit,
    update,
};

const EXPIRED: &str = "The refund period of 90 days has expired.";
const COUNT: &str = "You've reached the limit for refunds on this payment.";
const ATTEMPTS: &str = "You have reached your maximum refund attempts for this payment.";
const TOO_LARGE: &str =
    "You cannot refund more than the original payment. Try an amount equal or less than the refundable amount.";

/// The sum in minor units of the beneficiary sub amounts of the payment's refunds.
fn refunded(api: &Api, payment: &str) -> i64 {
    let mut conn = api.state.pool.get().expect("connection");
    let subs: Vec<i64> = refunds::table
        .inner_join(payments::table)
        .filter(refunds::original_payment_id.eq(payment))
        .select(payments::beneficiary_sub)
        .load(&mut conn)
        .expect("refunds");
    subs.iter().sum()
}

/// `count` more login sessions of the refunding login, each on a client of its own.
async fn sessions_of_refunder(api: &Api, count: usize) -> Vec<Client> {
    let mut clients = Vec::new();
    for _ in 0..count {
        let client = api.client();
        client.login(REFUNDER_EMAIL, SEED_PASSWORD).await.assert_ok();
        clients.push(client);
    }
    clients
}

#[actix_web::test]
async fn the_window_closes_ninety_days_after_completion_to_the_second() {
    let api = Api::start_with(&[("QUOTE_TTL", "1h")]).await;
    let parties = parties(&api).await;
    let refunder = &parties.refunder;
    let payment = completed_payment(&api, &parties, 100.0).await;
    let closes = entered(&api, &payment, "COMPLETE") + TimeDelta::days(90);
    let now = clock_now(&api).await;
    api.advance(closes - now - TimeDelta::seconds(5)).await;
    // The login session and the linked balance did not last 90 days: logged in again and refreshed.
    refunder.login(REFUNDER_EMAIL, SEED_PASSWORD).await.assert_ok();
    link_bank_link_fixture(refunder, "10001").await;
    assert_created(&create(refunder, &payment).await);
    assert_updated(&update(&api, refunder, 5.0).await);
    let other = api.client();
    other.login(REFUNDER_EMAIL, SEED_PASSWORD).await.assert_ok();
    // The clock moves in whole seconds: to within a second of the end, then past it.
    let left = closes - clock_now(&api).await;
    let whole_seconds = (left.num_milliseconds() + 999) / 1000;
    api.advance(TimeDelta::seconds(whole_seconds - 1)).await;
    // Less than a second before the end the window is still open.
    assert_created(&create(&other, &payment).await);
    api.advance(TimeDelta::seconds(1)).await;
    create(&other, &payment).await.assert_refused("createRefundSession", "I-4725", EXPIRED);
    // Submit checks it again.
    submit(refunder).await.assert_refused("submitRefundSession", "I-4725", EXPIRED);
}

#[actix_web::test]
async fn a_payment_takes_five_refunds_at_most_at_create_and_at_submit() {
    let api = Api::start().await;
    let parties = parties(&api).await;
    let refunder = &parties.refunder;
    let payment = completed_payment(&api, &parties, 100.0).await;
    let others = sessions_of_refunder(&api, 2).await;
    for _ in 0..4 {
        refund(&api, refunder, &payment, 10.0).await;
    }
    // Two sessions priced with one refund to go: the first submit takes it.
    for client in &others {
        assert_created(&create(client, &payment).await);
        assert_updated(&update(&api, client, 10.0).await);
    }
    submit(&others[0]).await.assert_ok();
    submit(&others[1]).await.assert_refused("submitRefundSession", "I-4729", COUNT);
    create(refunder, &payment).await.assert_refused("createRefundSession", "I-4729", COUNT);
}

#[actix_web::test]
async fn ten_priced_updates_in_any_sessions_exhaust_the_attempts() {
    let api = Api::start().await;
    let parties = parties(&api).await;
    let payment = completed_payment(&api, &parties, 100.0).await;
    let clients = sessions_of_refunder(&api, 5).await;
    for client in &clients {
        assert_created(&create(client, &payment).await);
        assert_updated(&update(&api, client, 5.0).await);
        assert_updated(&update(&api, client, 6.0).await);
    }
    create(&parties.refunder, &payment).await.assert_refused("createRefundSession", "I-4720", ATTEMPTS);
    update(&api, &clients[0], 5.0).await.assert_refused("updateRefundSession", "I-4720", ATTEMPTS);
    // A session priced earlier can still be submitted: attempts limit pricing, not submits.
    submit(&clients[1]).await.assert_ok();
}

#[actix_web::test]
async fn concurrent_attempts_never_pass_the_limit() {
    let api = Api::start().await;
    let parties = parties(&api).await;
    let payment = completed_payment(&api, &parties, 100.0).await;
    let clients = sessions_of_refunder(&api, 12).await;
    for client in &clients {
        assert_created(&create(client, &payment).await);
    }
    let answers = join_all(clients.iter().map(|client| update(&api, client, 5.0))).await;
    let priced = answers.iter().filter(|answer| answer.body.get("errors").is_none()).count();
    assert_eq!(priced, 10, "{answers:?}", answers = answers.iter().map(|a| &a.body).collect::<Vec<_>>());
    for answer in answers.iter().filter(|answer| answer.body.get("errors").is_some()) {
        answer.assert_refused("updateRefundSession", "I-4720", ATTEMPTS);
    }
}

/// Issue 15, acceptance 2: ten submits of 60 on a payment of 100 from ten login sessions at once, twenty times:
/// each time exactly one refund is made and R stays at 40.
#[actix_web::test]
async fn ten_concurrent_refunds_of_sixty_on_a_hundred_make_exactly_one() {
    let api = Api::start().await;
    let parties = parties(&api).await;
    let mut payments = Vec::new();
    for _ in 0..20 {
        payments.push(pay(&api, &parties.payer, REFUNDER_EMAIL, 100.0).await);
    }
    api.advance(TimeDelta::minutes(5)).await;
    let clients = sessions_of_refunder(&api, 10).await;
    for payment in &payments {
        for client in &clients {
            assert_created(&create(client, payment).await);
            assert_updated(&update(&api, client, 60.0).await);
        }
        let answers = join_all(clients.iter().map(submit)).await;
        let made: Vec<_> = answers.iter().filter(|answer| answer.body.get("errors").is_none()).collect();
        assert_eq!(made.len(), 1, "{:?}", answers.iter().map(|a| &a.body).collect::<Vec<_>>());
        for answer in answers.iter().filter(|answer| answer.body.get("errors").is_some()) {
            answer.assert_refused("submitRefundSession", "I-4728", TOO_LARGE);
        }
        assert_eq!(refunded(&api, payment), 6000, "R = 100 − 60 never goes below zero");
    }
    // The sessions are all gone.
    let shown = clients[1].graphql(SESSION, json!({})).await;
    shown.assert_refused("refundSession", "I-4770", "There is no refund session.");
}

/// The count limit under concurrency: with four refunds made, five submits at once from five login sessions
/// make exactly the fifth refund.
#[actix_web::test]
async fn concurrent_submits_never_pass_the_count_limit() {
    let api = Api::start().await;
    let parties = parties(&api).await;
    let payment = completed_payment(&api, &parties, 100.0).await;
    for _ in 0..4 {
        refund(&api, &parties.refunder, &payment, 10.0).await;
    }
    let clients = sessions_of_refunder(&api, 5).await;
    for client in &clients {
        assert_created(&create(client, &payment).await);
        assert_updated(&update(&api, client, 10.0).await);
    }
    let answers = join_all(clients.iter().map(submit)).await;
    let made = answers.iter().filter(|answer| answer.body.get("errors").is_none()).count();
    assert_eq!(made, 1, "{:?}", answers.iter().map(|a| &a.body).collect::<Vec<_>>());
    for answer in answers.iter().filter(|answer| answer.body.get("errors").is_some()) {
        answer.assert_refused("submitRefundSession", "I-4729", COUNT);
    }
    assert_eq!(refunded(&api, &payment), 5000);
}
