//! Crash safety of payments and their ledger (issue 13, acceptance 6): the real `borderless` binary, killed with
//! SIGKILL while many payers submit payments through it and settlement runs both in it and in the test, then
//! restarted on the same database, leaves no payment half-written, a balanced ledger, every webhook event of
//! every step, and exactly the payments its clients were told about.
//!
//! The kill moment depends on timing; nothing asserted does.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use futures_util::future::{join, join_all};
use kernel::Clock;
use serde_json::{Value, json};
use store::schema::{events, ledger_postings, payment_status_changes, payments};

use crate::fixtures::{link_bank_link_fixture, payable_account, verified_personal, verify_personal};
use crate::harness::{Api, Client, SEED_PASSWORD};
use crate::processes::Served;

/// A payment as the check reads it: id, payer, beneficiary, status, next step.
type StoredPayment = (String, String, Option<String>, String, Option<NaiveDateTime>);

const CREATE: &str = "mutation($to: String) { createPaymentSession(toEmail: $to) { message } }";
const PRICE: &str = "mutation($data: UpdatePaymentSessionInput!) { updatePaymentSession(data: $data) { ... on SuccessResult { message } } }";
const SUBMIT: &str = "mutation { submitPaymentSession { id } }";

/// Payments the server must have made before it is killed: enough that every beneficiary has some, while
/// every stream still has traffic in flight.
const KILL_AFTER: usize = 40;
/// Most payments one stream tries, so that the traffic ends even if the kill never comes.
const ROUNDS: usize = 60;

/// One login session of a payer, speaking to the binary with its own cookie.
struct Stream {
    payer: String,
    cookie: RefCell<String>,
    /// How many times the usual amounts this stream pays.
    scale: f64,
}

/// What one stream's submits were answered.
#[derive(Default)]
struct Answers {
    paid: Vec<String>,
    refused: Vec<String>,
    /// The `Idempotency-Key` of the submit whose answer the kill took away, if any.
    lost: Option<String>,
}

impl Stream {
    fn of(payer: &str, client: &Client, scale: f64) -> Self {
        Self { payer: payer.to_owned(), cookie: RefCell::new(client.cookie().expect("a logged-in payer")), scale }
    }

    /// POSTs one GraphQL request; `None` when no answer came (the server is gone).
    async fn post(
        &self,
        http: &awc::Client,
        address: &str,
        (query, variables): (&str, Value),
        key: Option<&str>,
    ) -> Option<Value> {
        let cookie = format!("borderless_session={}", self.cookie.borrow());
        let mut request = http.post(format!("http://{address}/graphql")).insert_header(("cookie", cookie));
        if let Some(key) = key {
            request = request.insert_header(("idempotency-key", key));
        }
        let mut response = request.send_json(&json!({ "query": query, "variables": variables })).await.ok()?;
        if let Some(renewed) = response.cookie("borderless_session").filter(|c| !c.value().is_empty()) {
            *self.cookie.borrow_mut() = renewed.value().to_owned();
        }
        let body = response.body().limit(1 << 20).await.ok()?;
        Some(
            serde_json::from_slice(&body)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into_owned())),
        )
    }

    /// Create, price and submit, round after round, until the server stops answering. The stream that gets
    /// the [`KILL_AFTER`]th payment kills the server at once, while the other streams' requests are in flight.
    async fn drive(&self, traffic: &Traffic<'_>, number: usize) -> Answers {
        let http = awc::Client::default();
        let address = traffic.served.borrow().address.clone();
        let mut answers = Answers::default();
        for round in 0..ROUNDS {
            let to = traffic.beneficiaries[(number + round) % traffic.beneficiaries.len()];
            let Some(created) = self.post(&http, &address, (CREATE, json!({ "to": to })), None).await else { break };
            if created.get("errors").is_some() {
                continue;
            }
            // Some payments dated tomorrow: SCHEDULED, they wait for the value date.
            let today = traffic.api.state.clock.now().date_naive();
            let value_date = if round % 7 == 3 { today + TimeDelta::days(1) } else { today };
            let amount = self.scale * (1.0 + ((number * 31 + round * 17) % 900) as f64 / 100.0);
            let data = json!({ "amount": amount, "description": "Crash test", "valueDate": date(value_date) });
            let Some(priced) = self.post(&http, &address, (PRICE, json!({ "data": data })), None).await else { break };
            if priced["data"]["updatePaymentSession"]["message"] != "Payment session successfully updated" {
                continue;
            }
            let key = format!("crash-{number}-{round}");
            let Some(submitted) = self.post(&http, &address, (SUBMIT, json!({})), Some(&key)).await else {
                answers.lost = Some(key);
                break;
            };
            record(&mut answers, &submitted);
            if submitted.get("errors").is_none() && traffic.made.get() + 1 == KILL_AFTER {
                traffic.served.borrow_mut().kill();
                traffic.killed.set(true);
            }
            traffic.made.set(traffic.made.get() + usize::from(submitted.get("errors").is_none()));
        }
        answers
    }
}

/// What every stream shares: the server, the beneficiaries' emails and the count of payments made.
struct Traffic<'a> {
    api: &'a Api,
    served: Rc<RefCell<Served>>,
    beneficiaries: &'a [&'a str],
    made: Cell<usize>,
    killed: Cell<bool>,
    /// Set when every stream has stopped, to stop the clock.
    done: Cell<bool>,
}

fn date(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

fn record(answers: &mut Answers, submitted: &Value) {
    match submitted["data"]["submitPaymentSession"]["id"].as_str() {
        Some(id) => answers.paid.push(id.to_owned()),
        None => answers.refused.push(submitted["errors"][0]["extensions"]["code"].to_string()),
    }
}

/// One event of a payment as compared: to whom, which, (previousStatus, status) for a status change, when.
type Event = (String, String, Option<(String, String)>, NaiveDateTime);

/// Where a status may go next (flows.md section 8, payments); `None` is "submitted".
fn follows(from: Option<&str>, to: &str) -> bool {
    match from {
        None => matches!(to, "SCHEDULED" | "PENDING"),
        Some("SCHEDULED") => matches!(to, "PENDING" | "CANCELED"),
        Some("PENDING") => matches!(to, "PROCESSING" | "DECLINED" | "CANCELED"),
        Some("PROCESSING") => matches!(to, "IN_TRANSIT" | "FAILED"),
        Some("IN_TRANSIT") => matches!(to, "COMPLETE" | "RETURNED"),
        Some(_) => false,
    }
}

/// The ledger step a transition into `status` posts, if it moves money (flows.md section 11).
fn posted_step(status: &str) -> Option<&'static str> {
    match status {
        "PROCESSING" => Some("collection"),
        "IN_TRANSIT" => Some("payout"),
        "COMPLETE" => Some("arrival"),
        "FAILED" => Some("give_back"),
        "RETURNED" => Some("give_back_after_payout"),
        _ => None,
    }
}

/// Rank of a status along the paths, to order two steps recorded at one instant (a payment canceled by the
/// tick of the moment it was submitted).
fn rank(status: &str) -> u8 {
    match status {
        "SCHEDULED" => 0,
        "PENDING" => 1,
        "PROCESSING" => 2,
        "IN_TRANSIT" => 3,
        _ => 4,
    }
}

#[actix_web::test]
async fn a_server_killed_mid_traffic_leaves_every_payment_whole_and_the_ledger_balanced() {
    let api = Api::start().await;
    // Beneficiaries for every way a payment ends: a local and an international one that complete, a payout
    // that fails (…0001), one returned (…0002), and one account closed in the middle of the traffic.
    let beneficiaries = [
        ("shop@example.com", ("US", "USD"), "10001"),
        ("maple@example.com", ("CA", "CAD"), "10005"),
        ("fails@example.com", ("US", "USD"), "10008"),
        ("returns@example.com", ("US", "USD"), "10009"),
        ("closing@example.com", ("US", "USD"), "10001"),
    ];
    let mut beneficiary_accounts = Vec::new();
    for (email, place, fixture) in beneficiaries {
        beneficiary_accounts.push(payable_account(&api.client(), email, "BUSINESS", place, fixture).await);
    }
    let closing = beneficiary_accounts[4].clone();
    // Five payers paying from fixture 10001 and one from 10002 (40.00 USD), whose later collections are
    // DECLINED; each payer logged in twice, so two streams of payments at once.
    let mut payers: BTreeMap<String, Vec<Stream>> = BTreeMap::new();
    for number in 0..6 {
        let (email, client) = (format!("payer{number}@example.com"), api.client());
        let account = if number < 5 {
            verified_personal(&api, &client, &email, &format!("CrashPayer{number}")).await
        } else {
            let account = verify_personal(&api, &client, &email, "CrashThin").await;
            link_bank_link_fixture(&client, "10002").await;
            account
        };
        let second = api.client();
        second.login(&email, SEED_PASSWORD).await.assert_ok();
        let scale = if number < 5 { 1.0 } else { 4.0 };
        payers
            .insert(account.clone(), vec![Stream::of(&account, &client, scale), Stream::of(&account, &second, scale)]);
    }
    let streams: Vec<&Stream> = payers.values().flatten().collect();

    let emails: Vec<&str> = beneficiaries.iter().map(|(email, ..)| *email).collect();
    let traffic = Traffic {
        api: &api,
        served: Rc::new(RefCell::new(Served::start(&api, &[]))),
        beneficiaries: &emails,
        made: Cell::new(0),
        killed: Cell::new(false),
        done: Cell::new(false),
    };
    let driving = async {
        let answers = join_all(streams.iter().enumerate().map(|(number, stream)| stream.drive(&traffic, number))).await;
        traffic.done.set(true);
        answers
    };
    // The clock moves in steps while the payments are made, so that settlement (the binary's job runner and
    // the test's own runs) takes them through their steps under the traffic; halfway, an account closes.
    let clock = async {
        let mut closed = false;
        while !traffic.done.get() {
            api.advance(TimeDelta::seconds(4)).await;
            if !closed && traffic.made.get() >= KILL_AFTER / 2 {
                api.admin(&["disable-account", &closing]).await;
                closed = true;
            }
        }
    };
    let (mut answers, ()) = join(driving, clock).await;
    assert!(traffic.killed.get(), "the server was killed after {KILL_AFTER} payments");

    // Restarted on the same database, it answers the lost submits when they are sent again with their keys:
    // the payment made before the kill, or the submit run now, once.
    let served = Served::start(&api, &[]);
    let http = awc::Client::default();
    for (stream, answers) in streams.iter().zip(answers.iter_mut()) {
        if let Some(key) = answers.lost.take() {
            let again = stream.post(&http, &served.address, (SUBMIT, json!({})), Some(&key)).await;
            record(answers, &again.expect("the restarted server answers"));
        }
    }
    // Well past every delay, the value dates of tomorrow included, with the binary's job runner still running.
    api.advance(TimeDelta::days(2)).await;
    api.advance(TimeDelta::hours(1)).await;
    drop(served);

    let mut conn = api.state.pool.get().expect("connection");
    let stored: Vec<StoredPayment> = payments::table
        .select((
            payments::id,
            payments::payer_account_id,
            payments::beneficiary_account_id,
            payments::status,
            payments::next_step_at,
        ))
        .load(&mut conn)
        .expect("payments");
    let changes: Vec<(String, String, NaiveDateTime)> = payment_status_changes::table
        .select((
            payment_status_changes::payment_id,
            payment_status_changes::status,
            payment_status_changes::changed_at,
        ))
        .load(&mut conn)
        .expect("history");
    let recorded: Vec<(String, String, String, NaiveDateTime)> = events::table
        .filter(events::event.eq_any(["payment.received", "payment.status_changed"]))
        .select((events::account_id, events::event, events::claims, events::created_at))
        .load(&mut conn)
        .expect("events");
    let postings: Vec<(String, String, String, NaiveDateTime)> = ledger_postings::table
        .select((ledger_postings::set_id, ledger_postings::entry_id, ledger_postings::step, ledger_postings::posted_at))
        .load(&mut conn)
        .expect("postings");
    drop(conn);

    // Every submit answered with a payment made it, once, and no other payment exists.
    let mut told: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (stream, answers) in streams.iter().zip(&answers) {
        told.entry(stream.payer.as_str()).or_default().extend(answers.paid.iter().map(String::as_str));
    }
    for payer in payers.keys() {
        let mut told = told.remove(payer.as_str()).unwrap_or_default();
        told.sort_unstable();
        let mut made: Vec<&str> =
            stored.iter().filter(|(_, from, ..)| from == payer).map(|(id, ..)| id.as_str()).collect();
        made.sort_unstable();
        assert_eq!(made, told, "the payments of {payer} are those its submits were answered");
    }
    let refused: Vec<&String> = answers.iter().flat_map(|answers| &answers.refused).collect();
    assert!(stored.len() >= KILL_AFTER, "{} payments made, submits refused: {refused:?}", stored.len());

    let mut history: HashMap<&str, Vec<(&str, NaiveDateTime)>> = HashMap::new();
    for (id, status, at) in &changes {
        history.entry(id.as_str()).or_default().push((status.as_str(), *at));
    }
    let mut events_of: HashMap<String, Vec<(&str, &str, Value, NaiveDateTime)>> = HashMap::new();
    for (account, event, claims, at) in &recorded {
        let claims: Value = serde_json::from_str(claims).expect("claims");
        let id = claims["paymentId"].as_str().expect("a paymentId").to_owned();
        events_of.entry(id).or_default().push((account.as_str(), event.as_str(), claims, *at));
    }
    let mut sets: BTreeMap<&str, (&str, &str, NaiveDateTime)> = BTreeMap::new();
    for (set, entry, step, at) in &postings {
        let first = *sets.entry(set.as_str()).or_insert((entry.as_str(), step.as_str(), *at));
        assert_eq!(first, (entry.as_str(), step.as_str(), *at), "one posting set, one entry, step and time");
    }
    let mut sets_of: HashMap<&str, Vec<(&str, NaiveDateTime)>> = HashMap::new();
    for (entry, step, at) in sets.values() {
        sets_of.entry(entry).or_default().push((step, *at));
    }

    let mut ended: BTreeMap<&str, usize> = BTreeMap::new();
    for (id, payer, beneficiary, status, next_step) in &stored {
        let beneficiary = beneficiary.as_ref().expect("a beneficiary account");
        assert!(payers.contains_key(payer) && beneficiary_accounts.contains(beneficiary), "both entries of {id}");
        assert!(next_step.is_none(), "{id} is {status} and still has a step due");
        *ended.entry(status.as_str()).or_default() += 1;

        // The history is a path of section 8, in time order, ending at the status both entries show.
        let mut steps = history.remove(id.as_str()).unwrap_or_default();
        steps.sort_by_key(|(status, at)| (*at, rank(status)));
        assert_eq!(steps.last().map(|(status, _)| *status), Some(status.as_str()), "{id}: {steps:?}");
        for (at, (to, when)) in steps.iter().enumerate() {
            let before = at.checked_sub(1).map(|previous| steps[previous]);
            assert!(follows(before.map(|(from, _)| from), to), "{id}: {steps:?}");
            if let Some((_, then)) = before {
                assert!(*to == "CANCELED" && *when >= then || *when > then, "{id}: times go forward: {steps:?}");
            }
        }

        // payment.received to the beneficiary at submit; payment.status_changed to both at every transition,
        // at its moment; nothing else.
        let mut expected: Vec<Event> = vec![(beneficiary.clone(), "payment.received".to_owned(), None, steps[0].1)];
        for pair in steps.windows(2) {
            let ((from, _), (to, at)) = (pair[0], pair[1]);
            for account in [payer, beneficiary] {
                let change = Some((from.to_owned(), to.to_owned()));
                expected.push((account.clone(), "payment.status_changed".to_owned(), change, at));
            }
        }
        let mut found: Vec<Event> = events_of
            .remove(id.as_str())
            .unwrap_or_default()
            .into_iter()
            .map(|(account, event, claims, at)| {
                let change = claims["previousStatus"]
                    .as_str()
                    .map(|from| (from.to_owned(), claims["status"].as_str().expect("status").to_owned()));
                (account.to_owned(), event.to_owned(), change, at)
            })
            .collect();
        expected.sort();
        found.sort();
        assert_eq!(found, expected, "the events of {id}");

        // One posting set for each step that moved money, at the moment of the step.
        let mut posted = sets_of.remove(id.as_str()).unwrap_or_default();
        posted.sort_by_key(|(_, at)| *at);
        let due: Vec<(&str, NaiveDateTime)> =
            steps.iter().filter_map(|(status, at)| posted_step(status).map(|step| (step, *at))).collect();
        assert_eq!(posted, due, "the posting sets of {id}");
    }
    assert!(history.is_empty(), "a history without its payment: {history:?}");
    assert!(events_of.is_empty(), "events of no payment: {:?}", events_of.keys());
    assert!(sets_of.is_empty(), "postings of no payment: {:?}", sets_of.keys());
    for status in ["COMPLETE", "FAILED", "RETURNED"] {
        assert!(ended.contains_key(status), "no payment ended {status}: {ended:?}");
    }
    assert_eq!(api.admin(&["check-ledger"]).await, json!({ "balanced": true, "postingSets": sets.len() }));
}
