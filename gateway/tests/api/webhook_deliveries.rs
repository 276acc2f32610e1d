//! Event delivery (providers.md section 8) through real HTTP receivers: who gets an event, how it is signed,
//! the retry schedule, giving up and disabling a webhook, what a restart or a dead runner leaves behind, two
//! servers on one database, the attempt timeout, and the outbox living and dying with its transaction.

use std::collections::HashSet;
use std::time::Duration;

use ::webhooks::{EventType, record_event};
use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use diesel::prelude::*;
use futures_util::future::join;
use kernel::{AccountId, Clock};
use serde_json::{Map, Value, json};
use store::schema::{events, webhook_attempts, webhook_deliveries, webhooks};

use crate::fixtures::{business_setup, submit_setup};
use crate::harness::{Api, Client, SEED_EMAIL, SEED_PASSWORD, SIGNUP_CODE};
use crate::receiver::{Received, Receiver, Reply};

const PRIVATE: (&str, &str) = ("WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true");

const CREATE: &str = "mutation($data: CreateWebhookInput!) { createWebhook(data: $data) { id webhookSecret } }";
const LIST: &str = "query { accountWebhooks { id active lastDeliveryStatus lastDeliveryAt } }";

/// A webhook as createWebhook answered it.
struct Hook {
    id: String,
    secret: String,
}

async fn create_hook(client: &Client, url: &str) -> Hook {
    let answer = client.graphql(CREATE, json!({ "data": { "webhookEndpoint": url } })).await;
    let created = &answer.assert_ok()["createWebhook"];
    Hook {
        id: created["id"].as_str().expect("webhook id").to_owned(),
        secret: created["webhookSecret"].as_str().expect("webhook secret").to_owned(),
    }
}

async fn account_of(client: &Client) -> String {
    client.account_id().await.assert_ok()["account"]["id"].as_str().expect("account id").to_owned()
}

/// The seed's BUSINESS account signed up on `api`, with a webhook to `receiver`: (account id, webhook).
async fn seed_with_hook(api: &Api, receiver: &Receiver) -> (String, Hook) {
    api.sign_up_seed().await;
    let account = account_of(api).await;
    let hook = create_hook(api, &receiver.url).await;
    (account, hook)
}

/// (active, lastDeliveryStatus) of the seed's webhook `id`, read in a session of its own (the clock moves by
/// days in these tests, past any session's lifetime).
async fn listed(api: &Api, id: &str) -> (bool, Value) {
    let client = api.client();
    client.login(SEED_EMAIL, SEED_PASSWORD).await.assert_ok();
    let answer = client.graphql(LIST, json!({})).await;
    let hooks = answer.assert_ok()["accountWebhooks"].as_array().expect("webhooks").clone();
    let hook = hooks.iter().find(|hook| hook["id"] == id).expect("the webhook is listed");
    if hook["lastDeliveryStatus"].is_null() {
        assert!(hook["lastDeliveryAt"].is_null(), "{hook}");
    } else {
        assert!(hook["lastDeliveryAt"].is_string(), "{hook}");
    }
    (hook["active"].as_bool().expect("active"), hook["lastDeliveryStatus"].clone())
}

fn status_claims(previous: &str, status: &str) -> Map<String, Value> {
    let mut claims = Map::new();
    claims.insert("previousStatus".to_owned(), Value::from(previous));
    claims.insert("status".to_owned(), Value::from(status));
    claims
}

/// Records `count` `account.status_changed` events for `account` in one committed transaction, as a domain
/// does with its change.
async fn record(api: &Api, account: &str, count: usize) {
    let account = AccountId::from_text(account);
    let now = api.state.clock.now();
    kernel::with_transaction(&api.state.pool, move |tx| -> anyhow::Result<()> {
        for _ in 0..count {
            record_event(
                tx,
                &account,
                EventType::AccountStatusChanged,
                status_claims("NOT_SETUP", "SETUP_SUBMITTED"),
                now,
            )?;
        }
        Ok(())
    })
    .await
    .expect("events recorded");
}

/// Runs what is due now (the manual clock moved by nothing).
async fn run_due(api: &Api) {
    api.advance(TimeDelta::zero()).await;
}

/// (id, webhook id, event id, status, attempts) of every delivery.
fn deliveries(api: &Api) -> Vec<(String, String, String, String, i32)> {
    let mut conn = api.state.pool.get().expect("connection");
    webhook_deliveries::table
        .order(webhook_deliveries::created_at.asc())
        .select((
            webhook_deliveries::id,
            webhook_deliveries::webhook_id,
            webhook_deliveries::event_id,
            webhook_deliveries::status,
            webhook_deliveries::attempts,
        ))
        .load(&mut conn)
        .expect("deliveries")
}

/// The single delivery's status.
fn only_delivery_status(api: &Api) -> String {
    let all = deliveries(api);
    assert_eq!(all.len(), 1, "{all:?}");
    all[0].3.clone()
}

/// (attempted at, HTTP status, failure) of every stored attempt, oldest first.
fn attempts(api: &Api) -> Vec<(NaiveDateTime, Option<i32>, Option<String>)> {
    let mut conn = api.state.pool.get().expect("connection");
    webhook_attempts::table
        .order(webhook_attempts::attempted_at.asc())
        .select((webhook_attempts::attempted_at, webhook_attempts::http_status, webhook_attempts::failure))
        .load(&mut conn)
        .expect("attempts")
}

/// The verified claims of a delivery's body: a compact HS256 JWT keyed with the webhook's secret.
#[track_caller]
fn claims(received: &Received, secret: &str) -> Value {
    assert!(received.jwt_claims("another secret").is_none());
    received.jwt_claims(secret).expect("signed with the secret")
}

/// Checks `Borderless-Signature` against the body and the secret; answers its `t`.
#[track_caller]
fn signed_at(received: &Received, secret: &str) -> i64 {
    let (t, verified) = received.header_signature(secret);
    assert!(verified, "the signature of {:?}", received.header("borderless-signature"));
    t
}

fn jtis(received: &[Received], secret: &str) -> Vec<String> {
    received.iter().map(|r| claims(r, secret)["jti"].as_str().expect("jti").to_owned()).collect()
}

fn seconds(at: DateTime<Utc>) -> i64 {
    at.timestamp()
}

#[actix_web::test]
async fn an_account_status_change_reaches_the_accounts_active_webhooks_signed() {
    let api = Api::start_with(&[PRIVATE]).await;
    let (ours, inactive, others, later) =
        (Receiver::start().await, Receiver::start().await, Receiver::start().await, Receiver::start().await);
    let (account, hook) = seed_with_hook(&api, &ours).await;
    let switched_off = create_hook(&api, &inactive.url).await;
    {
        let mut conn = api.state.pool.get().expect("connection");
        diesel::update(webhooks::table.find(&switched_off.id))
            .set(webhooks::active.eq(false))
            .execute(&mut conn)
            .expect("webhook made inactive");
    }
    let other = api.client();
    other
        .sign_up(json!({ "accountType": "BUSINESS", "country": "US", "currency": "USD", "email": "other@example.com",
                         "password": SEED_PASSWORD, "signUpSecret": SIGNUP_CODE }))
        .await
        .assert_ok();
    create_hook(&other, &others.url).await;
    run_due(&api).await;
    assert!(ours.received().is_empty(), "nothing happened yet");

    submit_setup(&api, business_setup("AcmeWidgets")).await;
    let before = seconds(api.state.clock.now());
    run_due(&api).await;
    let after = seconds(api.state.clock.now());

    let received = ours.received();
    assert_eq!(received.len(), 1, "{received:?}");
    let post = &received[0];
    let (event_id, created_at): (String, NaiveDateTime) = {
        let mut conn = api.state.pool.get().expect("connection");
        events::table
            .filter(events::account_id.eq(&account))
            .order(events::created_at.desc())
            .select((events::id, events::created_at))
            .first(&mut conn)
            .expect("the event")
    };
    let delivery = deliveries(&api);
    assert_eq!(delivery.len(), 1, "one delivery, to the one active webhook: {delivery:?}");
    assert_eq!((&delivery[0].1, &delivery[0].2, delivery[0].3.as_str()), (&hook.id, &event_id, "DELIVERED"));
    assert_eq!(post.path, "/hook");
    assert_eq!(post.header("content-type"), Some("application/jwt"));
    assert_eq!(post.header("borderless-event"), Some("account.status_changed"));
    assert_eq!(post.header("borderless-delivery"), Some(delivery[0].0.as_str()));
    assert_eq!(post.header("user-agent"), Some("borderless-webhooks/1"));
    let t = signed_at(post, &hook.secret);
    assert!((before..=after).contains(&t), "t={t} is the server's clock at the attempt ({before}..={after})");
    assert_eq!(
        claims(post, &hook.secret),
        json!({
            "sub": "borderless webhook",
            "iat": created_at.and_utc().timestamp(),
            "jti": event_id,
            "event": "account.status_changed",
            "accountId": account,
            "previousStatus": "NOT_SETUP",
            "status": "SETUP_SUBMITTED",
        })
    );
    assert_eq!(listed(&api, &hook.id).await, (true, json!("DELIVERED")));
    assert!(inactive.received().is_empty(), "an inactive webhook gets nothing");
    assert!(others.received().is_empty(), "another account's webhook gets nothing");

    // A webhook made after the event was delivered gets nothing for it, and nothing is sent twice.
    create_hook(&api, &later.url).await;
    api.advance(TimeDelta::hours(1)).await;
    assert!(later.received().is_empty());
    assert_eq!(ours.received().len(), 1);
}

#[actix_web::test]
async fn a_webhook_created_after_an_event_is_not_sent_that_event() {
    let api = Api::start_with(&[PRIVATE]).await;
    let (first, later) = (Receiver::start().await, Receiver::start().await);
    let (account, hook) = seed_with_hook(&api, &first).await;
    record(&api, &account, 1).await;
    // Created after the event was recorded, before the delivery job ran.
    create_hook(&api, &later.url).await;
    run_due(&api).await;
    assert_eq!(first.received().len(), 1);
    assert_eq!(jtis(&first.received(), &hook.secret).len(), 1);
    assert!(later.received().is_empty(), "the event happened before this webhook existed: {:?}", later.received());
}

#[actix_web::test]
async fn a_failed_delivery_is_retried_on_the_schedule_with_the_same_body_until_delivered() {
    let api = Api::start_with(&[PRIVATE]).await;
    let receiver = Receiver::start().await;
    receiver.reply_next([Reply::text(500, "down"), Reply::text(500, "still down")]);
    let (account, hook) = seed_with_hook(&api, &receiver).await;
    record(&api, &account, 1).await;

    run_due(&api).await;
    assert_eq!(receiver.received().len(), 1);
    assert_eq!(listed(&api, &hook.id).await, (true, json!("RETRYING")));
    api.advance(TimeDelta::seconds(30)).await;
    assert_eq!(receiver.received().len(), 1, "not retried before a minute");
    api.advance(TimeDelta::seconds(30)).await;
    assert_eq!(receiver.received().len(), 2, "retried after a minute");
    assert_eq!(listed(&api, &hook.id).await, (true, json!("RETRYING")));
    api.advance(TimeDelta::minutes(4)).await;
    assert_eq!(receiver.received().len(), 2, "the second retry waits five minutes");
    api.advance(TimeDelta::minutes(1)).await;
    assert_eq!(receiver.received().len(), 3);
    assert_eq!(listed(&api, &hook.id).await, (true, json!("DELIVERED")));
    assert_eq!(only_delivery_status(&api), "DELIVERED");
    api.advance(TimeDelta::hours(30)).await;
    assert_eq!(receiver.received().len(), 3, "a delivered event is not sent again");

    let received = receiver.received();
    let first = claims(&received[0], &hook.secret);
    for retry in &received[1..] {
        assert_eq!(retry.body, received[0].body, "a retry sends the same body");
        assert_eq!(claims(retry, &hook.secret), first);
        assert_eq!(retry.header("borderless-delivery"), received[0].header("borderless-delivery"));
    }
    let ts: Vec<i64> = received.iter().map(|r| signed_at(r, &hook.secret)).collect();
    assert!(ts[1] - ts[0] >= 60 && ts[1] - ts[0] < 90, "a fresh t a minute later: {ts:?}");
    assert!(ts[2] - ts[1] >= 300 && ts[2] - ts[1] < 330, "a fresh t five minutes later: {ts:?}");

    let stored = attempts(&api);
    let statuses: Vec<Option<i32>> = stored.iter().map(|(_, status, _)| *status).collect();
    assert_eq!(statuses, [Some(500), Some(500), Some(200)]);
    let failures: Vec<Option<&str>> = stored.iter().map(|(_, _, failure)| failure.as_deref()).collect();
    assert_eq!(failures, [Some("status"), Some("status"), None]);
    let gaps: Vec<i64> = stored.windows(2).map(|w| (w[1].0 - w[0].0).num_seconds()).collect();
    assert!(gaps[0] >= 60 && gaps[0] < 90 && gaps[1] >= 300 && gaps[1] < 330, "{gaps:?}");
}

#[actix_web::test]
async fn an_unreachable_receiver_gets_seven_attempts_then_the_delivery_fails() {
    let api = Api::start_with(&[PRIVATE]).await;
    let receiver = Receiver::start().await;
    let (account, hook) = seed_with_hook(&api, &receiver).await;
    receiver.stop().await;
    record(&api, &account, 1).await;

    run_due(&api).await;
    assert_eq!(attempts(&api).len(), 1);
    let waits = [
        TimeDelta::minutes(1),
        TimeDelta::minutes(5),
        TimeDelta::minutes(30),
        TimeDelta::hours(2),
        TimeDelta::hours(6),
        TimeDelta::hours(24),
    ];
    for (done, wait) in waits.iter().enumerate() {
        assert_eq!(listed(&api, &hook.id).await, (true, json!("RETRYING")), "after attempt {}", done + 1);
        api.advance(*wait - TimeDelta::seconds(20)).await;
        assert_eq!(attempts(&api).len(), done + 1, "attempt {} waits {wait}", done + 2);
        api.advance(TimeDelta::seconds(20)).await;
        assert_eq!(attempts(&api).len(), done + 2, "attempt {} after {wait}", done + 2);
    }
    assert_eq!(only_delivery_status(&api), "FAILED");
    assert_eq!(listed(&api, &hook.id).await, (true, json!("FAILED")), "one failed delivery does not disable it");
    api.advance(TimeDelta::days(3)).await;
    let stored = attempts(&api);
    assert_eq!(stored.len(), 7, "no eighth attempt");
    assert!(stored.iter().all(|(_, status, failure)| status.is_none() && failure.as_deref() == Some("connect")));
    assert!(receiver.received().is_empty());
}

#[actix_web::test]
async fn consecutive_failed_deliveries_disable_a_webhook_and_a_success_resets_the_count() {
    let api = Api::start_with(&[PRIVATE, ("WEBHOOK_RETRY_SCHEDULE", "1m"), ("WEBHOOK_DISABLE_AFTER", "2")]).await;
    let receiver = Receiver::start().await;
    receiver.reply_otherwise(Reply::status(500));
    let (account, hook) = seed_with_hook(&api, &receiver).await;
    let fail_one = async || {
        record(&api, &account, 1).await;
        run_due(&api).await;
        api.advance(TimeDelta::minutes(1)).await;
    };

    fail_one().await;
    assert_eq!(receiver.received().len(), 2, "two attempts with a one-wait schedule");
    assert_eq!(listed(&api, &hook.id).await, (true, json!("FAILED")));

    receiver.reply_next([Reply::status(204)]);
    record(&api, &account, 1).await;
    run_due(&api).await;
    assert_eq!(receiver.received().len(), 3);
    assert_eq!(listed(&api, &hook.id).await, (true, json!("DELIVERED")));

    fail_one().await;
    assert_eq!(receiver.received().len(), 5);
    assert_eq!(listed(&api, &hook.id).await, (true, json!("FAILED")), "the success reset the count");

    fail_one().await;
    assert_eq!(receiver.received().len(), 7);
    assert_eq!(listed(&api, &hook.id).await, (false, json!("FAILED")), "two FAILED in a row disable it");

    record(&api, &account, 1).await;
    run_due(&api).await;
    api.advance(TimeDelta::hours(1)).await;
    assert_eq!(receiver.received().len(), 7, "an inactive webhook gets no further events");
}

#[actix_web::test]
async fn events_recorded_before_a_restart_are_delivered_by_the_next_server() {
    let api = Api::start_with(&[PRIVATE]).await;
    let receiver = Receiver::start().await;
    let (account, hook) = seed_with_hook(&api, &receiver).await;
    record(&api, &account, 3).await;

    let api = api.restart(&[PRIVATE]).await;
    assert!(receiver.received().is_empty());
    run_due(&api).await;
    api.advance(TimeDelta::days(2)).await;
    let sent = jtis(&receiver.received(), &hook.secret);
    assert_eq!(sent.len(), 3, "{sent:?}");
    assert_eq!(sent.iter().collect::<HashSet<_>>().len(), 3, "each event once: {sent:?}");
    assert_eq!(listed(&api, &hook.id).await, (true, json!("DELIVERED")));
}

#[actix_web::test]
async fn a_delivery_leased_by_a_runner_that_died_waits_for_the_lease_then_goes_once() {
    let api = Api::start_with(&[PRIVATE]).await;
    let receiver = Receiver::start().await;
    receiver.reply_next([Reply::status(503)]);
    let (account, _hook) = seed_with_hook(&api, &receiver).await;
    record(&api, &account, 1).await;
    run_due(&api).await;
    assert_eq!(receiver.received().len(), 1);
    assert_eq!(only_delivery_status(&api), "RETRYING");
    // A runner takes the delivery and dies mid-attempt, leaving its lease of five minutes.
    {
        let mut conn = api.state.pool.get().expect("connection");
        let leased_until = (api.state.clock.now() + TimeDelta::minutes(5)).naive_utc();
        let taken = diesel::update(webhook_deliveries::table)
            .set(webhook_deliveries::lease_until.eq(leased_until))
            .execute(&mut conn)
            .expect("lease taken");
        assert_eq!(taken, 1);
    }
    api.advance(TimeDelta::minutes(1) + TimeDelta::seconds(5)).await;
    assert_eq!(receiver.received().len(), 1, "due, but leased by the runner that died");
    api.advance(TimeDelta::minutes(3)).await;
    assert_eq!(receiver.received().len(), 1, "still leased");
    api.advance(TimeDelta::minutes(1)).await;
    assert_eq!(receiver.received().len(), 2, "taken again once the lease ran out");
    api.advance(TimeDelta::days(2)).await;
    assert_eq!(receiver.received().len(), 2, "and sent once");
    assert_eq!(only_delivery_status(&api), "DELIVERED");
    assert_eq!(attempts(&api).len(), 2);
}

#[actix_web::test]
async fn two_servers_on_one_database_send_each_attempt_once() {
    let one = Api::start_with(&[PRIVATE]).await;
    let two = Api::start_beside(&one, &[PRIVATE]).await;
    let receiver = Receiver::start().await;
    let (account, hook) = seed_with_hook(&one, &receiver).await;
    record(&one, &account, 100).await;
    for _ in 0..4 {
        let (a, b) = join(one.admin(&["run-jobs"]), two.admin(&["run-jobs"])).await;
        assert!(a.is_object() && b.is_object(), "{a} {b}");
        join(one.advance(TimeDelta::seconds(1)), two.advance(TimeDelta::seconds(1))).await;
    }
    let received = receiver.received();
    let sent = jtis(&received, &hook.secret);
    assert_eq!(sent.len(), 100, "one POST per event");
    assert_eq!(sent.iter().collect::<HashSet<_>>().len(), 100, "each event once");
    let all = deliveries(&one);
    assert_eq!(all.len(), 100, "one delivery per event");
    assert!(all.iter().all(|d| d.3 == "DELIVERED" && d.4 == 1), "{all:?}");
    assert_eq!(attempts(&one).len(), 100);
}

#[actix_web::test]
async fn an_attempt_slower_than_the_timeout_fails_and_is_retried() {
    let api = Api::start_with(&[PRIVATE, ("WEBHOOK_TIMEOUT", "1s")]).await;
    let receiver = Receiver::start().await;
    receiver.reply_next([Reply::text(200, "too late").slow(Duration::from_secs(3))]);
    let (account, hook) = seed_with_hook(&api, &receiver).await;
    record(&api, &account, 1).await;
    let started = std::time::Instant::now();
    run_due(&api).await;
    assert!(started.elapsed() < Duration::from_millis(2500), "cut at the timeout: {:?}", started.elapsed());
    assert_eq!(receiver.received().len(), 1);
    let stored = attempts(&api);
    assert_eq!(stored.len(), 1);
    assert_eq!((stored[0].1, stored[0].2.as_deref()), (None, Some("timeout")));
    assert_eq!(only_delivery_status(&api), "RETRYING");
    assert_eq!(listed(&api, &hook.id).await, (true, json!("RETRYING")));
}

#[actix_web::test]
async fn an_event_of_a_rolled_back_change_is_not_recorded_nor_delivered() {
    let api = Api::start_with(&[PRIVATE]).await;
    let receiver = Receiver::start().await;
    let (account, _hook) = seed_with_hook(&api, &receiver).await;
    let id = AccountId::from_text(&account);
    let now = api.state.clock.now();
    let outcome = kernel::with_transaction(&api.state.pool, move |tx| -> anyhow::Result<()> {
        record_event(tx, &id, EventType::AccountStatusChanged, status_claims("NOT_SETUP", "SETUP_SUBMITTED"), now)?;
        anyhow::bail!("the change failed after recording its event")
    })
    .await;
    assert!(outcome.is_err());
    let recorded: i64 = {
        let mut conn = api.state.pool.get().expect("connection");
        events::table.count().get_result(&mut conn).expect("count")
    };
    assert_eq!(recorded, 0);
    run_due(&api).await;
    api.advance(TimeDelta::hours(1)).await;
    assert!(receiver.received().is_empty());
    assert!(deliveries(&api).is_empty());
}
