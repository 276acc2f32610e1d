//! Defining and pricing a payment (updatePaymentSession, updateQuote): the rules in their order, the stored
//! definition and quote checked against the shipped rates and fees, and the readiness answer
//! ActionRequiredForPayment.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use diesel::prelude::*;
use serde_json::{Value, json};
use store::schema::{accounts, payment_sessions, quotes};

use crate::fixtures::{
    attach_identity_document, clock_now, link_bank_link_fixture, payable_account, submit_setup, tax_ids,
    unique_personal_setup, verified_business, verified_personal, verify_personal,
};
use crate::harness::{Answer, Api, Client};

const UPDATE: &str = "mutation Define($data: UpdatePaymentSessionInput!) { updatePaymentSession(data: $data) { __typename ... on SuccessResult { message } ... on ActionRequiredForPayment { dataNeeded { idUpload personalTaxId } balanceRefreshRequired { providerAccountId bankAccountId type } } } }";
const QUOTE: &str = "mutation { updateQuote { __typename ... on SuccessResult { message } ... on ActionRequiredForPayment { dataNeeded { idUpload personalTaxId } balanceRefreshRequired { providerAccountId bankAccountId type } } } }";
const CREATE: &str = "mutation Create($email: String, $slug: String, $from: Currency) { createPaymentSession(toEmail: $email, toSlug: $slug, fromCurrency: $from) { message } }";
const FIELD: &str = "updatePaymentSession";
const QUOTE_FIELD: &str = "updateQuote";

const UPDATED: &str = "Payment session successfully updated";
const QUOTE_UPDATED: &str = "Quote updated!";
const LOGGED_OUT: &str = "You must be logged in.";
const NO_SESSION: &str = "Invalid session id";
const NOT_DEFINED: &str = "You can only update the quote if the payment has been defined.";
const TOO_PRECISE_USD: &str = "Amount has more decimal places than USD allows.";
const NOT_POSITIVE: &str = "Amount must be greater than zero.";
const BAD_DESCRIPTION: &str = "Description must be 1 to 140 characters.";
const LONG_MESSAGE: &str = "Message must be at most 500 characters.";
const NOT_A_DATE: &str = "This is not a valid date. Must strictly match format: YYYY-MM-DD";
const PAST: &str = "The selected date cannot be before today.";
const TOO_FAR: &str = "You cannot schedule a payment more than a year in advance from the current day.";
const NOT_SCHEDULABLE: &str = "Contact our support team to enable international scheduled payments for your account.";
const BAD_POP: &str = "This is not a valid POP code.";
const POP_REQUIRED: &str = "POP Code is required for payments to personal accounts.";
const BELOW_FEE: &str = "The amount is too small to cover the fee.";

/// US businesses need no company officers here, so the fixtures verify them with the person's check alone.
const NO_US_OFFICERS: (&str, &str) = ("UBO_REQUIRED_COUNTRIES", "GB");

/// The stored session's definition (parsed) and quote id.
#[derive(Debug, Clone, PartialEq)]
struct Priced {
    definition: Option<Value>,
    quote_id: Option<i64>,
}

/// A stored quote.
#[derive(Debug, Clone, PartialEq, Queryable)]
struct QuoteRow {
    id: i64,
    payer_currency: String,
    beneficiary_currency: String,
    rate: String,
    amounts: String,
    created_at: chrono::NaiveDateTime,
    expires_at: chrono::NaiveDateTime,
}

impl QuoteRow {
    fn amounts(&self) -> Value {
        serde_json::from_str(&self.amounts).expect("amounts are JSON")
    }
}

/// The one stored payment session's definition and quote id.
#[track_caller]
fn priced(api: &Api) -> Priced {
    let mut conn = api.state.pool.get().expect("connection");
    let mut all: Vec<(Option<String>, Option<i64>)> = payment_sessions::table
        .select((payment_sessions::definition, payment_sessions::quote_id))
        .load(&mut conn)
        .expect("payment sessions");
    assert_eq!(all.len(), 1, "{all:?}");
    let (definition, quote_id) = all.remove(0);
    Priced { definition: definition.map(|text| serde_json::from_str(&text).expect("definition is JSON")), quote_id }
}

/// Every stored quote, by id.
fn quote_rows(api: &Api) -> Vec<QuoteRow> {
    let mut conn = api.state.pool.get().expect("connection");
    quotes::table
        .order(quotes::id.asc())
        .select((
            quotes::id,
            quotes::payer_currency,
            quotes::beneficiary_currency,
            quotes::rate,
            quotes::amounts,
            quotes::created_at,
            quotes::expires_at,
        ))
        .load(&mut conn)
        .expect("quotes")
}

#[track_caller]
fn quote(api: &Api, id: i64) -> QuoteRow {
    quote_rows(api).into_iter().find(|q| q.id == id).unwrap_or_else(|| panic!("no quote {id}"))
}

/// The amounts JSON a quote should hold, in minor units.
fn amounts(
    (payer_sub, payer_fee, payer_total): (i64, i64, i64),
    (beneficiary_sub, beneficiary_fee, beneficiary_total): (i64, i64, i64),
    inverted_rate: &str,
    savings: Option<i64>,
) -> Value {
    json!({
        "payer_sub": payer_sub, "payer_fee": payer_fee, "payer_total": payer_total,
        "beneficiary_sub": beneficiary_sub, "beneficiary_fee": beneficiary_fee,
        "beneficiary_total": beneficiary_total, "inverted_rate": inverted_rate,
        "international": savings.is_some() || inverted_rate != "1", "savings": savings,
    })
}

async fn update(client: &Client, data: Value) -> Answer {
    client.graphql(UPDATE, json!({ "data": data })).await
}

async fn update_quote(client: &Client) -> Answer {
    client.graphql(QUOTE, json!({})).await
}

async fn create_to(client: &Client, slug_or_email: &str) {
    let answer = if slug_or_email.contains('@') {
        client.graphql(CREATE, json!({ "email": slug_or_email })).await
    } else {
        client.graphql(CREATE, json!({ "slug": slug_or_email })).await
    };
    assert_eq!(answer.assert_ok()["createPaymentSession"]["message"], "Payment session created!", "{:?}", answer.body);
}

#[track_caller]
fn assert_updated(answer: &Answer) {
    let data = answer.assert_ok();
    assert_eq!(data[FIELD], json!({ "__typename": "SuccessResult", "message": UPDATED }), "{:?}", answer.body);
}

#[track_caller]
fn assert_quote_updated(answer: &Answer) {
    let data = answer.assert_ok();
    assert_eq!(
        data[QUOTE_FIELD],
        json!({ "__typename": "SuccessResult", "message": QUOTE_UPDATED }),
        "{:?}",
        answer.body
    );
}

/// Asserts an ActionRequiredForPayment answer in `field`.
#[track_caller]
fn assert_action(answer: &Answer, field: &str, data_needed: Value, refresh: Value) {
    let data = answer.assert_ok();
    assert_eq!(
        data[field],
        json!({ "__typename": "ActionRequiredForPayment", "dataNeeded": data_needed, "balanceRefreshRequired": refresh }),
        "{:?}",
        answer.body
    );
}

fn date(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// A definition input: the amount, a description and the value date; `extra` adds or overrides fields.
fn input(amount: Value, value_date: &str, extra: Value) -> Value {
    let mut data = json!({ "amount": amount, "description": "Invoice 1042", "valueDate": value_date });
    for (key, value) in extra.as_object().expect("an object") {
        data[key] = value.clone();
    }
    data
}

/// The stored definition expected for these fields.
fn stored_definition(
    amount: i64,
    basis: &str,
    payer_accepted_fees: bool,
    description: &str,
    email_message: Option<&str>,
    pop_code: Option<&str>,
    value_date: &str,
) -> Value {
    json!({
        "amount": amount, "quote_basis": basis, "payer_accepted_fees": payer_accepted_fees,
        "description": description, "email_message": email_message, "pop_code": pop_code,
        "value_date": value_date,
    })
}

/// Asserts the quote was taken at about `now` and lives QUOTE_TTL (30 s).
#[track_caller]
fn assert_fresh(row: &QuoteRow, now: DateTime<Utc>) {
    assert_eq!(row.expires_at - row.created_at, TimeDelta::seconds(30), "{row:?}");
    let taken = row.created_at.and_utc();
    assert!(taken >= now - TimeDelta::seconds(1) && taken <= now + TimeDelta::seconds(20), "{row:?} vs {now}");
}

/// A US PERSONAL payer (VERIFIED, document, tax id, fixture 10001) on `api`, and beneficiaries that can be
/// paid: a GB BUSINESS in GBP (fixture 10006, handle by email `gb@example.com`), a CA BUSINESS in CAD (10005,
/// `ca@example.com`), a US PERSONAL in USD (10001, `friend@example.com`) and a US BUSINESS in USD
/// (`BeneCo`).
async fn payer_and_beneficiaries(api: &Api) -> String {
    payable_account(&api.client(), "gb@example.com", "BUSINESS", ("GB", "GBP"), "10006").await;
    payable_account(&api.client(), "ca@example.com", "BUSINESS", ("CA", "CAD"), "10005").await;
    payable_account(&api.client(), "friend@example.com", "PERSONAL", ("US", "USD"), "10001").await;
    verified_business(api, &api.client(), "bene@example.com", "BeneCo").await;
    verified_personal(api, api, "payer@example.com", "PayerOne").await
}

#[actix_web::test]
async fn a_definition_is_priced_from_the_shipped_rates_and_fees_and_replaced_by_the_next() {
    let api = Api::start_with(&[NO_US_OFFICERS]).await;
    payer_and_beneficiaries(&api).await;
    let today = clock_now(&api).await.date_naive();
    let day = date(today);
    assert!(quote_rows(&api).is_empty());

    // 100 USD to a GBP account, fee borne by the beneficiary (providers.md section 3's worked example).
    create_to(&api, "gb@example.com").await;
    assert_eq!(priced(&api), Priced { definition: None, quote_id: None });
    let now = clock_now(&api).await;
    assert_updated(&update(&api, input(json!(100), &day, json!({ "popCode": "serv" }))).await);
    let first = priced(&api);
    assert_eq!(first.quote_id, Some(10_000_001));
    assert_eq!(
        first.definition,
        Some(stored_definition(10_000, "PAYER", false, "Invoice 1042", None, Some("SERV"), &day))
    );
    let row = quote(&api, 10_000_001);
    assert_eq!((row.payer_currency.as_str(), row.beneficiary_currency.as_str()), ("USD", "GBP"));
    assert_eq!(row.rate, "0.786050");
    assert_eq!(row.amounts(), amounts((10_000, 0, 10_000), (7_860, 100, 7_760), "1.272184", Some(4_627)));
    assert_fresh(&row, now);

    // The same with the fee accepted by the payer: a second quote replaces the first.
    api.advance(TimeDelta::seconds(5)).await;
    let now = clock_now(&api).await;
    assert_updated(
        &update(
            &api,
            input(
                json!(100.00),
                &format!("{day}T00:00:00.000Z"),
                json!({ "payerAcceptedFees": true, "description": "Rent, June", "emailMessage": "Thanks!",
                        "popCode": "RENT", "quoteBasis": "PAYER" }),
            ),
        )
        .await,
    );
    let second = priced(&api);
    assert_eq!(second.quote_id, Some(10_000_002));
    assert_eq!(
        second.definition,
        Some(stored_definition(10_000, "PAYER", true, "Rent, June", Some("Thanks!"), Some("RENT"), &day))
    );
    let row = quote(&api, 10_000_002);
    assert_eq!(row.rate, "0.786050");
    assert_eq!(row.amounts(), amounts((10_000, 127, 10_127), (7_860, 0, 7_860), "1.272184", Some(4_630)));
    assert_fresh(&row, now);
    assert_eq!(quote_rows(&api).len(), 2, "the first quote stays recorded");

    // Basis BENEFICIARY: 50 GBP to arrive before the fee; the payer side is 50 ÷ r.
    assert_updated(&update(&api, input(json!(50), &day, json!({ "quoteBasis": "BENEFICIARY" }))).await);
    let third = priced(&api);
    assert_eq!(third.quote_id, Some(10_000_003));
    assert_eq!(
        third.definition,
        Some(stored_definition(5_000, "BENEFICIARY", false, "Invoice 1042", None, None, &day))
    );
    assert_eq!(
        quote(&api, 10_000_003).amounts(),
        amounts((6_361, 0, 6_361), (5_000, 100, 4_900), "1.272184", Some(4_533))
    );

    // 35 USD to a CAD account: r = round6(1.365 × 0.995) = 1.358175; the CAD fee is 1.50.
    create_to(&api, "ca@example.com").await;
    assert_eq!(priced(&api), Priced { definition: None, quote_id: None }, "a new session starts unpriced");
    assert_updated(&update(&api, input(json!(35), &day, json!({}))).await);
    let cad = priced(&api);
    assert_eq!(cad.quote_id, Some(10_000_004));
    let row = quote(&api, 10_000_004);
    assert_eq!(
        (row.payer_currency.as_str(), row.beneficiary_currency.as_str(), row.rate.as_str()),
        ("USD", "CAD", "1.358175")
    );
    assert_eq!(row.amounts(), amounts((3_500, 0, 3_500), (4_754, 150, 4_604), "0.736282", Some(4_477)));
    assert_updated(&update(&api, input(json!(35), &day, json!({ "payerAcceptedFees": true }))).await);
    assert_eq!(
        quote(&api, 10_000_005).amounts(),
        amounts((3_500, 110, 3_610), (4_754, 0, 4_754), "0.736282", Some(4_480))
    );

    // LOCAL, USD to USD: rate 1, no fee, no savings; a POP code is kept for a business beneficiary too.
    create_to(&api, "BeneCo").await;
    assert_updated(&update(&api, input(json!(35), &day, json!({ "popCode": "comm" }))).await);
    let local = priced(&api);
    assert_eq!(local.quote_id, Some(10_000_006));
    assert_eq!(
        local.definition,
        Some(stored_definition(3_500, "PAYER", false, "Invoice 1042", None, Some("COMM"), &day))
    );
    let row = quote(&api, 10_000_006);
    assert_eq!((row.payer_currency.as_str(), row.beneficiary_currency.as_str()), ("USD", "USD"));
    assert_eq!(row.rate.parse::<f64>().ok(), Some(1.0), "{row:?}");
    let stored = row.amounts();
    assert_eq!(
        (&stored["payer_total"], &stored["payer_fee"], &stored["beneficiary_fee"], &stored["beneficiary_total"]),
        (&json!(3_500), &json!(0), &json!(0), &json!(3_500))
    );
    assert_eq!((&stored["international"], &stored["savings"]), (&json!(false), &Value::Null), "{stored}");
    // Without a POP code, to a business: accepted, none stored.
    assert_updated(&update(&api, input(json!(12.5), &day, json!({}))).await);
    assert_eq!(priced(&api).definition.expect("defined")["pop_code"], Value::Null);
}

#[actix_web::test]
async fn every_refusal_in_order_leaves_the_session_as_it_was() {
    let api = Api::start_with(&[NO_US_OFFICERS]).await;
    let payer = payer_and_beneficiaries(&api).await;
    let today = clock_now(&api).await.date_naive();
    let day = date(today);
    let tomorrow = date(today + TimeDelta::days(1));

    // No login session.
    update(&api.client(), input(json!(10), &day, json!({}))).await.assert_refused(FIELD, "I-4100", LOGGED_OUT);
    // No payment session.
    update(&api, input(json!(10.005), &day, json!({}))).await.assert_refused(FIELD, "I-4713", NO_SESSION);

    // A priced INTERNATIONAL session (USD → GBP) that each refusal below must leave alone.
    create_to(&api, "gb@example.com").await;
    assert_updated(&update(&api, input(json!(100), &day, json!({ "popCode": "COMM" }))).await);
    let before = priced(&api);
    assert_eq!(before.quote_id, Some(10_000_001));

    let long_description = "d".repeat(141);
    let long_message = "m".repeat(501);
    let cases: Vec<(Value, &str, &str)> = vec![
        // Each case also breaks every later rule, so the order is checked too.
        (
            input(json!(10.005), "2000-01-01", json!({ "description": "", "popCode": "XXXX" })),
            "I-4736",
            TOO_PRECISE_USD,
        ),
        (input(json!(0.001), &day, json!({})), "I-4736", TOO_PRECISE_USD),
        (input(json!(0), "2000-01-01", json!({ "description": " " })), "I-4737", NOT_POSITIVE),
        (input(json!(-5), &day, json!({})), "I-4737", NOT_POSITIVE),
        (
            input(json!(10), "2000-01-01", json!({ "description": "   ", "emailMessage": long_message })),
            "I-4744",
            BAD_DESCRIPTION,
        ),
        (input(json!(10), &day, json!({ "description": long_description })), "I-4744", BAD_DESCRIPTION),
        (input(json!(10), "2000-01-01", json!({ "emailMessage": long_message })), "I-4745", LONG_MESSAGE),
        (input(json!(10), &format!("{tomorrow}T10:30:00.000Z"), json!({ "popCode": "XXXX" })), "I-4303", NOT_A_DATE),
        (input(json!(10), &format!("{day}T00:00:00.001Z"), json!({})), "I-4303", NOT_A_DATE),
        (input(json!(10), &date(today - TimeDelta::days(1)), json!({ "popCode": "XXXX" })), "I-4738", PAST),
        (input(json!(10), &date(today + TimeDelta::days(366)), json!({ "popCode": "XXXX" })), "I-4739", TOO_FAR),
        (input(json!(10), &tomorrow, json!({ "popCode": "XXXX" })), "I-4731", NOT_SCHEDULABLE),
        (input(json!(0.01), &date(today + TimeDelta::days(365)), json!({})), "I-4731", NOT_SCHEDULABLE),
        (input(json!(1), &day, json!({ "popCode": "XXXX" })), "I-4746", BAD_POP),
        (input(json!(10), &day, json!({ "popCode": "COM" })), "I-4746", BAD_POP),
        // 1.00 USD gives 0.79 GBP, less than the 1.00 GBP fee the beneficiary would bear.
        (input(json!(1), &day, json!({})), "I-4747", BELOW_FEE),
        (input(json!(1.27), &day, json!({ "payerAcceptedFees": false })), "I-4747", BELOW_FEE),
    ];
    for (data, code, message) in &cases {
        let answer = update(&api, data.clone()).await;
        assert!(answer.error_code() == Some(code), "{data} answered {:?}, not {code}", answer.body);
        answer.assert_refused(FIELD, code, message);
        assert_eq!(priced(&api), before, "{data}");
    }
    assert_eq!(quote_rows(&api).len(), 1, "no refusal records a quote");
    // Just above the fee, and with the fee accepted by the payer, the same small amounts pass.
    assert_updated(&update(&api, input(json!(1.28), &day, json!({}))).await);
    assert_eq!(quote(&api, priced(&api).quote_id.expect("quoted")).amounts()["beneficiary_total"], json!(1));
    assert_updated(&update(&api, input(json!(1), &day, json!({ "payerAcceptedFees": true }))).await);
    // The longest texts allowed.
    assert_updated(
        &update(
            &api,
            input(json!(10), &day, json!({ "description": "d".repeat(140), "emailMessage": "m".repeat(500) })),
        )
        .await,
    );
    // A year ahead and tomorrow, once the permission is on; off again, refused again.
    api.admin(&["scheduled-international", &payer, "on"]).await;
    assert_updated(&update(&api, input(json!(10), &tomorrow, json!({}))).await);
    assert_eq!(priced(&api).definition.expect("defined")["value_date"], json!(tomorrow));
    assert_updated(&update(&api, input(json!(10), &date(today + TimeDelta::days(365)), json!({}))).await);
    update(&api, input(json!(10), &date(today + TimeDelta::days(366)), json!({})))
        .await
        .assert_refused(FIELD, "I-4739", TOO_FAR);
    api.admin(&["scheduled-international", &payer, "off"]).await;
    update(&api, input(json!(10), &tomorrow, json!({}))).await.assert_refused(FIELD, "I-4731", NOT_SCHEDULABLE);

    // A LOCAL payment may be scheduled without the permission; to a PERSONAL account it needs a POP code.
    create_to(&api, "friend@example.com").await;
    update(&api, input(json!(10), &tomorrow, json!({}))).await.assert_refused(FIELD, "I-4735", POP_REQUIRED);
    update(&api, input(json!(10), &day, json!({ "popCode": "xxxx" }))).await.assert_refused(FIELD, "I-4746", BAD_POP);
    assert_eq!(priced(&api), Priced { definition: None, quote_id: None });
    assert_updated(&update(&api, input(json!(10), &tomorrow, json!({ "popCode": "comm" }))).await);
    let personal = priced(&api);
    assert_eq!(
        personal.definition,
        Some(stored_definition(1_000, "PAYER", false, "Invoice 1042", None, Some("COMM"), &tomorrow))
    );

    // The session ends: cleared, or idle for PAYMENT_SESSION_TTL.
    api.graphql("mutation { clearPaymentSession { message } }", json!({})).await.assert_ok();
    update(&api, input(json!(10), &day, json!({ "popCode": "COMM" })))
        .await
        .assert_refused(FIELD, "I-4713", NO_SESSION);
    create_to(&api, "friend@example.com").await;
    api.advance(TimeDelta::minutes(29)).await;
    assert_updated(&update(&api, input(json!(10), &day, json!({ "popCode": "COMM" }))).await);
    api.advance(TimeDelta::minutes(29)).await;
    // A refusal restarts the idle deadline too.
    update(&api, input(json!(0), &day, json!({}))).await.assert_refused(FIELD, "I-4737", NOT_POSITIVE);
    api.advance(TimeDelta::minutes(29)).await;
    assert_updated(&update(&api, input(json!(10), &day, json!({ "popCode": "COMM" }))).await);
    api.advance(TimeDelta::minutes(31)).await;
    update(&api, input(json!(10), &day, json!({ "popCode": "COMM" })))
        .await
        .assert_refused(FIELD, "I-4713", NO_SESSION);
}

#[actix_web::test]
async fn a_switch_of_account_ends_the_payment_session() {
    let api = Api::start_with(&[NO_US_OFFICERS]).await;
    let payer = payer_and_beneficiaries(&api).await;
    let day = date(clock_now(&api).await.date_naive());
    // addAccountToPerson makes the new account current; switching back does not bring the session back.
    create_to(&api, "friend@example.com").await;
    assert_updated(&update(&api, input(json!(10), &day, json!({ "popCode": "COMM" }))).await);
    api.graphql("mutation { addAccountToPerson(accountType: BUSINESS) { user { loginId } } }", json!({}))
        .await
        .assert_ok();
    api.graphql("mutation($id: ID!) { switchAccounts(accountId: $id) { user { loginId } } }", json!({ "id": payer }))
        .await
        .assert_ok();
    update(&api, input(json!(10), &day, json!({ "popCode": "COMM" })))
        .await
        .assert_refused(FIELD, "I-4713", NO_SESSION);
    update_quote(&api).await.assert_refused(QUOTE_FIELD, "I-4714", NO_SESSION);
}

#[actix_web::test]
async fn a_person_without_a_personal_tax_id_is_asked_for_it() {
    let api = Api::start_with(&[NO_US_OFFICERS]).await;
    payable_account(&api.client(), "gb@example.com", "BUSINESS", ("GB", "GBP"), "10006").await;
    // A business's person gives no personal tax id at setup.
    verified_business(&api, &api, "biz@example.com", "BizPayer").await;
    let day = date(clock_now(&api).await.date_naive());
    create_to(&api, "gb@example.com").await;

    // Input checks come before readiness.
    update(&api, input(json!(10.005), &day, json!({}))).await.assert_refused(FIELD, "I-4736", TOO_PRECISE_USD);
    update(&api, input(json!(5), &day, json!({ "popCode": "NOPE" }))).await.assert_refused(FIELD, "I-4746", BAD_POP);
    let needed = json!({ "idUpload": false, "personalTaxId": true });
    assert_action(&update(&api, input(json!(100), &day, json!({}))).await, FIELD, needed.clone(), Value::Null);
    assert_eq!(priced(&api), Priced { definition: None, quote_id: None }, "an unpriced session stays unpriced");
    assert!(quote_rows(&api).is_empty());
    // Never priced: updateQuote says so.
    update_quote(&api).await.assert_refused(QUOTE_FIELD, "I-4715", NOT_DEFINED);

    api.graphql(
        "mutation($data: UpdatePersonInput!) { updatePerson(data: $data) { message } }",
        json!({ "data": { "personalTaxId": tax_ids("BizPayer").0 } }),
    )
    .await
    .assert_ok();
    assert_updated(&update(&api, input(json!(100), &day, json!({}))).await);
    assert_eq!(priced(&api).quote_id, Some(10_000_001));
    assert_quote_updated(&update_quote(&api).await);
    assert_eq!(priced(&api).quote_id, Some(10_000_002));
}

#[actix_web::test]
async fn a_person_without_an_identity_document_is_asked_for_one() {
    let api = Api::start_with(&[NO_US_OFFICERS]).await;
    payable_account(&api.client(), "gb@example.com", "BUSINESS", ("GB", "GBP"), "10006").await;
    // A payer whose setup holds a tax id but who attached no document: VERIFIED cannot be reached that way
    // through the API, so the status is set in the database.
    api.sign_up_person("nodoc@example.com").await;
    submit_setup(&api, unique_personal_setup("NoDoc")).await;
    link_bank_link_fixture(&api, "10001").await;
    let account = crate::fixtures::current_account_status(&api).await.0;
    {
        let mut conn = api.state.pool.get().expect("connection");
        let changed = diesel::update(accounts::table.find(&account))
            .set(accounts::status.eq("VERIFIED"))
            .execute(&mut conn)
            .expect("status set");
        assert_eq!(changed, 1);
    }
    let day = date(clock_now(&api).await.date_naive());
    create_to(&api, "gb@example.com").await;

    update(&api, input(json!(0), &day, json!({}))).await.assert_refused(FIELD, "I-4737", NOT_POSITIVE);
    let needed = json!({ "idUpload": true, "personalTaxId": false });
    assert_action(&update(&api, input(json!(100), &day, json!({}))).await, FIELD, needed, Value::Null);
    assert_eq!(priced(&api), Priced { definition: None, quote_id: None });
    assert!(quote_rows(&api).is_empty());

    attach_identity_document(&api).await;
    assert_updated(&update(&api, input(json!(100), &day, json!({}))).await);
    assert_eq!(priced(&api).quote_id, Some(10_000_001));
}

#[actix_web::test]
async fn a_stale_linked_balance_must_be_refreshed_first() {
    let api = Api::start_with(&[NO_US_OFFICERS, ("BANK_BALANCE_MAX_AGE", "10m")]).await;
    payable_account(&api.client(), "gb@example.com", "BUSINESS", ("GB", "GBP"), "10006").await;
    verify_personal(&api, &api, "payer@example.com", "PayerOne").await;
    // Fixture 10003 (provider account 20002) has a balance as of 2000-01-01.
    let bank = link_bank_link_fixture(&api, "10003").await;
    let day = date(clock_now(&api).await.date_naive());
    create_to(&api, "gb@example.com").await;

    let refresh =
        json!({ "providerAccountId": "20002", "bankAccountId": bank, "type": "USER_BALANCE_REFRESH_REQUIRED" });
    update(&api, input(json!(-1), &day, json!({}))).await.assert_refused(FIELD, "I-4737", NOT_POSITIVE);
    assert_action(&update(&api, input(json!(100), &day, json!({}))).await, FIELD, Value::Null, refresh.clone());
    assert_eq!(priced(&api), Priced { definition: None, quote_id: None });
    update_quote(&api).await.assert_refused(QUOTE_FIELD, "I-4715", NOT_DEFINED);

    // Linking it again refreshes the balance: the payment can be priced.
    assert_eq!(link_bank_link_fixture(&api, "10003").await, bank);
    assert_updated(&update(&api, input(json!(100), &day, json!({}))).await);
    let before = priced(&api);
    assert_eq!(before.quote_id, Some(10_000_001));

    // Stale again after BANK_BALANCE_MAX_AGE: both operations answer the action and keep the earlier pricing.
    api.advance(TimeDelta::minutes(11)).await;
    assert_action(&update(&api, input(json!(60), &day, json!({}))).await, FIELD, Value::Null, refresh.clone());
    assert_eq!(priced(&api), before, "a priced session keeps its definition and quote");
    assert_action(&update_quote(&api).await, QUOTE_FIELD, Value::Null, refresh);
    assert_eq!(priced(&api), before);
    assert_eq!(quote_rows(&api).len(), 1);
}

#[actix_web::test]
async fn update_quote_reprices_the_stored_definition() {
    let api = Api::start_with(&[NO_US_OFFICERS]).await;
    payer_and_beneficiaries(&api).await;
    let day = date(clock_now(&api).await.date_naive());

    update_quote(&api.client()).await.assert_refused(QUOTE_FIELD, "I-4100", LOGGED_OUT);
    update_quote(&api).await.assert_refused(QUOTE_FIELD, "I-4714", NO_SESSION);
    create_to(&api, "gb@example.com").await;
    update_quote(&api).await.assert_refused(QUOTE_FIELD, "I-4715", NOT_DEFINED);
    // A refused definition does not count as one.
    update(&api, input(json!(1), &day, json!({}))).await.assert_refused(FIELD, "I-4747", BELOW_FEE);
    update_quote(&api).await.assert_refused(QUOTE_FIELD, "I-4715", NOT_DEFINED);
    assert!(quote_rows(&api).is_empty());

    assert_updated(
        &update(&api, input(json!(100), &day, json!({ "payerAcceptedFees": true, "popCode": "comm" }))).await,
    );
    let defined = priced(&api);
    let first = quote(&api, 10_000_001);
    api.advance(TimeDelta::seconds(40)).await;
    let now = clock_now(&api).await;
    assert_quote_updated(&update_quote(&api).await);
    let requoted = priced(&api);
    assert_eq!(requoted.definition, defined.definition, "the definition is untouched");
    assert_eq!(requoted.quote_id, Some(10_000_002));
    let second = quote(&api, 10_000_002);
    assert_fresh(&second, now);
    assert!(second.expires_at > first.expires_at);
    assert_eq!((&second.rate, second.amounts()), (&first.rate, first.amounts()), "local rates do not move");
    assert_eq!(second.amounts()["payer_total"], json!(10_127));

    // updateQuote restarts the idle deadline.
    api.advance(TimeDelta::minutes(29)).await;
    assert_quote_updated(&update_quote(&api).await);
    api.advance(TimeDelta::minutes(29)).await;
    assert_quote_updated(&update_quote(&api).await);
    assert_eq!(priced(&api).quote_id, Some(10_000_004));
    // Ended sessions: cleared, then a new one never priced, then idle past PAYMENT_SESSION_TTL.
    api.graphql("mutation { clearPaymentSession { message } }", json!({})).await.assert_ok();
    update_quote(&api).await.assert_refused(QUOTE_FIELD, "I-4714", NO_SESSION);
    create_to(&api, "BeneCo").await;
    update_quote(&api).await.assert_refused(QUOTE_FIELD, "I-4715", NOT_DEFINED);
    assert_updated(&update(&api, input(json!(10), &day, json!({}))).await);
    api.advance(TimeDelta::minutes(31)).await;
    update_quote(&api).await.assert_refused(QUOTE_FIELD, "I-4714", NO_SESSION);
}

#[actix_web::test]
async fn update_quote_refuses_a_value_date_left_behind_by_midnight() {
    // A long payment-session lifetime, so one session can be kept past midnight UTC.
    let api = Api::start_with(&[NO_US_OFFICERS, ("PAYMENT_SESSION_TTL", "26h"), ("SESSION_IDLE_TIMEOUT", "48h")]).await;
    payer_and_beneficiaries(&api).await;
    let now = clock_now(&api).await;
    let today = now.date_naive();
    create_to(&api, "BeneCo").await;
    assert_updated(&update(&api, input(json!(25), &date(today), json!({}))).await);
    let defined = priced(&api);
    let midnight = (today + TimeDelta::days(1)).and_hms_opt(0, 0, 1).expect("a time").and_utc();
    api.advance(midnight - now).await;
    assert_eq!(clock_now(&api).await.date_naive(), today + TimeDelta::days(1));
    update_quote(&api).await.assert_refused(QUOTE_FIELD, "I-4738", PAST);
    assert_eq!(priced(&api), defined, "the refusal changes nothing");
    // The client sets a new date with updatePaymentSession; then the quote can be renewed.
    let tomorrow = date(today + TimeDelta::days(1));
    assert_updated(&update(&api, input(json!(25), &tomorrow, json!({}))).await);
    assert_quote_updated(&update_quote(&api).await);
    assert_eq!(priced(&api).definition.expect("defined")["value_date"], json!(tomorrow));
}
