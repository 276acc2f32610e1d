//! Bank accounts: adding linked and typed-in ones, listing them masked, their verification by the local
//! bank-link provider moved by the clock, and choosing the preferred one (addBankAccount, bankAccounts,
//! changePreferredBankAccount).

use chrono::TimeDelta;
use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::harness::{Answer, Api, Client};

const ADD: &str = "mutation Add($data: AddBankAccountInput!) { addBankAccount(data: $data) { message } }";
const LIST: &str = "query { bankAccounts { id accountNumber routingNumber bankName currency country preferredBankAccount status accountType faviconUrl } }";
const PREFER: &str = "mutation Prefer($id: ID!) { changePreferredBankAccount(bankAccountId: $id) { message } }";

const ADDED: &str = "Bank successfully added!";
const CHANGED: &str = "Preferred Bank Account Changed!";
const LOGGED_OUT: &str = "You must be logged in.";
const DISABLED: &str = "This account is disabled. Please contact support.";
const BOTH: &str = "Provide either yodleeBankAccountId or manualBankData, not both.";
const NEEDS_INFO: &str = "Bank needs additional info.";
const NEITHER: &str = "You must provide either yodleeBankAccountId or manualBankData.";
const TOO_MANY: &str = "You cannot add more than 10 bank accounts to an account.";
const MISMATCH: &str = "The bank account's country and currency must match your account's.";
const ROUTING: &str = "This is not a valid routing number.";
const ACCOUNT_NUMBER: &str = "This is not a valid account number.";
const IBAN: &str = "This is not a valid IBAN.";
const EXISTS: &str = "This bank account has already been added.";
const NO_LINK: &str = "No linked bank account exists with this id.";
const NO_SUCH: &str = "Bank account does not exist on your account.";
const FAILED: &str = "This bank account failed verification and cannot be preferred.";

async fn add(client: &Client, data: Value) -> Answer {
    client.graphql(ADD, json!({ "data": data })).await
}

async fn add_manual(client: &Client, manual: Value) -> Answer {
    add(client, json!({ "manualBankData": manual })).await
}

async fn link(client: &Client, id: &str) -> Answer {
    add(client, json!({ "yodleeBankAccountId": id })).await
}

#[track_caller]
fn assert_added(answer: &Answer) {
    assert_eq!(answer.assert_ok()["addBankAccount"]["message"], ADDED, "{:?}", answer.body);
}

/// Typed-in US data: the page's example with this account number.
fn us(account_number: &str) -> Value {
    json!({ "accountNumber": account_number, "routingNumber": "121122676", "bankName": "Chase", "country": "US",
            "currency": "USD", "accountType": "SAVINGS" })
}

fn with(mut manual: Value, field: &str, value: Value) -> Value {
    manual[field] = value;
    manual
}

async fn list(client: &Client) -> Vec<Value> {
    match client.graphql(LIST, json!({})).await.assert_ok()["bankAccounts"].clone() {
        Value::Array(accounts) => accounts,
        other => panic!("bankAccounts answered {other}"),
    }
}

async fn prefer(client: &Client, id: &str) -> Answer {
    client.graphql(PREFER, json!({ "id": id })).await
}

fn id_of(entry: &Value) -> String {
    entry["id"].as_str().expect("an id").to_owned()
}

async fn account_id(client: &Client) -> String {
    client.account_id().await.assert_ok()["account"]["id"].as_str().expect("account id").to_owned()
}

async fn preferred_bank_account_id(client: &Client) -> Value {
    client.graphql("query { account { preferredBankAccountId } }", json!({})).await.assert_ok()["account"]
        ["preferredBankAccountId"]
        .clone()
}

#[actix_web::test]
async fn a_typed_in_account_is_listed_masked_preferred_and_verified_after_the_delay() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    assert_eq!(list(&api).await, Vec::<Value>::new());
    assert_added(&add_manual(&api, us(" 1111-1111-111 ")).await);
    let listed = list(&api).await;
    assert_eq!(listed.len(), 1);
    let first = &listed[0];
    assert_eq!(
        first,
        &json!({ "id": first["id"], "accountNumber": "**1111", "routingNumber": "**2676", "bankName": "Chase",
                 "currency": "USD", "country": "US", "preferredBankAccount": true,
                 "status": "PENDING_VERIFICATION", "accountType": "SAVINGS", "faviconUrl": null })
    );
    assert_eq!(preferred_bank_account_id(&api).await, first["id"]);

    // The second is not preferred; one ending 0004 fails its verification.
    assert_added(&add_manual(&api, us("12340004")).await);
    api.advance(TimeDelta::seconds(29)).await;
    assert!(list(&api).await.iter().all(|a| a["status"] == "PENDING_VERIFICATION"));
    api.advance(TimeDelta::seconds(1)).await;
    let listed = list(&api).await;
    let summary: Vec<(&Value, &Value, &Value)> =
        listed.iter().map(|a| (&a["accountNumber"], &a["status"], &a["preferredBankAccount"])).collect();
    assert_eq!(
        summary,
        vec![
            (&json!("**1111"), &json!("FULLY_VERIFIED"), &json!(true)),
            (&json!("**0004"), &json!("FAILED"), &json!(false)),
        ]
    );
    // A failed one cannot be preferred and stays listed.
    prefer(&api, &id_of(&listed[1])).await.assert_refused("changePreferredBankAccount", "I-4412", FAILED);
    assert_eq!(list(&api).await.len(), 2);
}

#[actix_web::test]
async fn the_database_keeps_no_full_account_number() {
    use diesel::prelude::*;
    let api = Api::start().await;
    api.sign_up_seed().await;
    assert_added(&add_manual(&api, us("98765432101")).await);
    assert_added(&link(&api, "10001").await);
    let mut conn = api.state.pool.get().expect("connection");
    let rows: Vec<(String, Option<String>, String)> = store::schema::bank_accounts::table
        .select((
            store::schema::bank_accounts::account_number_masked,
            store::schema::bank_accounts::routing_number_masked,
            store::schema::bank_accounts::number_digest,
        ))
        .load(&mut conn)
        .expect("rows");
    assert_eq!(rows.len(), 2);
    for (account, routing, digest) in rows {
        let shown = format!("{account} {routing:?} {digest}");
        for secret in ["98765432101", "5030011111", "121122676", "121000248"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert_eq!(digest.len(), 64);
    }
}

#[actix_web::test]
async fn every_refusal_of_add_bank_account_in_order() {
    let api = Api::start().await;
    let field = "addBankAccount";
    add_manual(&api, us("11111111111")).await.assert_refused(field, "I-4100", LOGGED_OUT);
    api.sign_up_seed().await;

    add(&api, json!({ "yodleeBankAccountId": "10001", "manualBankData": us("11111111111") }))
        .await
        .assert_refused(field, "I-4501", BOTH);
    add(&api, json!({})).await.assert_refused(field, "I-4503", NEITHER);
    add(&api, json!({ "yodleeBankAccountId": "  " })).await.assert_refused(field, "I-4503", NEITHER);
    add(&api, json!({ "yodleeBankAccountId": null, "manualBankData": null }))
        .await
        .assert_refused(field, "I-4503", NEITHER);
    // An empty provider id beside manual data counts as not given.
    assert_added(&add(&api, json!({ "yodleeBankAccountId": "", "manualBankData": us("22222222") })).await);

    for empty in ["accountNumber", "routingNumber", "bankName"] {
        add_manual(&api, with(us("11111111111"), empty, json!("   ")))
            .await
            .assert_refused(field, "I-4502", NEEDS_INFO);
    }
    let long_name = "B".repeat(101);
    let bank_name = "bankName must be 1 to 100 characters long.";
    add_manual(&api, with(us("11111111111"), "bankName", json!(long_name)))
        .await
        .assert_refused(field, "I-4330", bank_name);
    add_manual(&api, with(us("11111111111"), "bankName", json!("Chase\tBank")))
        .await
        .assert_refused(field, "I-4330", bank_name);
    assert_added(&add_manual(&api, with(us("33333333"), "bankName", json!("B".repeat(100)))).await);
    add_manual(&api, with(us("11111111111"), "currency", json!("XAU"))).await.assert_refused(
        field,
        "I-4740",
        "Currency XAU is not supported.",
    );
    add_manual(&api, with(us("11111111111"), "currency", json!("CAD"))).await.assert_refused(field, "I-4506", MISMATCH);
    add_manual(&api, with(with(us("1234567"), "country", json!("CA")), "currency", json!("CAD")))
        .await
        .assert_refused(field, "I-4506", MISMATCH);
    add_manual(&api, with(us("11111111111"), "routingNumber", json!("121122677")))
        .await
        .assert_refused(field, "I-4507", ROUTING);
    // The routing number is checked before the account number.
    add_manual(&api, with(us("1"), "routingNumber", json!("12112267"))).await.assert_refused(field, "I-4507", ROUTING);
    add_manual(&api, us("123")).await.assert_refused(field, "I-4508", ACCOUNT_NUMBER);
    add_manual(&api, us("123456789012345678")).await.assert_refused(field, "I-4508", ACCOUNT_NUMBER);

    assert_added(&add_manual(&api, us("11111111111")).await);
    // The same numbers written differently are the same bank account.
    add_manual(&api, with(us("1111 1111 111"), "routingNumber", json!("121-122-676")))
        .await
        .assert_refused(field, "I-4510", EXISTS);
    add_manual(&api, with(us("11111111111"), "accountType", json!("CHECKING")))
        .await
        .assert_refused(field, "I-4510", EXISTS);

    // Ten in all (three so far), whatever their status; the eleventh is refused.
    for n in 0..7 {
        assert_added(&add_manual(&api, us(&format!("5550000{n}"))).await);
    }
    assert_eq!(list(&api).await.len(), 10);
    add_manual(&api, us("44444444")).await.assert_refused(field, "I-4504", TOO_MANY);
    link(&api, "10001").await.assert_refused(field, "I-4504", TOO_MANY);

    // A disabled account: I-4430 comes before the input rules.
    let account = account_id(&api).await;
    api.admin(&["disable-account", &account]).await;
    add(&api, json!({})).await.assert_refused(field, "I-4430", DISABLED);
    add_manual(&api, us("44444444")).await.assert_refused(field, "I-4430", DISABLED);
}

#[actix_web::test]
async fn iban_countries_take_a_bic_and_an_iban() {
    let api = Api::start().await;
    api.sign_up(json!({ "accountType": "PERSONAL", "country": "DE", "currency": "EUR", "email": "de@example.com",
                        "password": crate::harness::SEED_PASSWORD }))
        .await
        .assert_ok();
    let field = "addBankAccount";
    let de = |routing: &str, account: &str| {
        json!({ "accountNumber": account, "routingNumber": routing, "bankName": "Rhein Bank", "country": "DE",
                "currency": "EUR", "accountType": "CHECKING" })
    };
    add_manual(&api, de("400515", "DE89370400440532013000")).await.assert_refused(field, "I-4507", ROUTING);
    add_manual(&api, de("DEUTDEFF", "8800017777")).await.assert_refused(field, "I-4509", IBAN);
    add_manual(&api, de("DEUTDEFF", "DE89370400440532013001")).await.assert_refused(field, "I-4509", IBAN);
    add_manual(&api, de("DEUTDEFF", "GB29NWBK60161331926819")).await.assert_refused(field, "I-4509", IBAN);
    assert_added(&add_manual(&api, de("DEUTDEFF", "DE89 3704 0044 0532 0130 00")).await);
    let listed = list(&api).await;
    assert_eq!((&listed[0]["accountNumber"], &listed[0]["routingNumber"]), (&json!("**3000"), &json!("**DEFF")));
    // The linked Rhein Bank fixture is in the same country and currency.
    assert_added(&link(&api, "10007").await);
}

#[actix_web::test]
async fn linked_accounts_come_from_the_provider_and_linking_again_refreshes() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    let field = "addBankAccount";
    link(&api, "99999").await.assert_refused(field, "I-4511", NO_LINK);
    link(&api, "10004").await.assert_refused(field, "I-4502", NEEDS_INFO);
    link(&api, "10005").await.assert_refused(field, "I-4506", MISMATCH);
    assert_added(&link(&api, " 10001 ").await);
    let listed = list(&api).await;
    assert_eq!(
        listed,
        vec![json!({ "id": listed[0]["id"], "accountNumber": "**1111", "routingNumber": "**0248",
                     "bankName": "Dag Site", "currency": "USD", "country": "US", "preferredBankAccount": true,
                     "status": "FULLY_VERIFIED", "accountType": "CHECKING",
                     "faviconUrl": "https://bank-icons.example/dag.png" })]
    );
    // Linking again makes no second copy; typing its numbers in is a duplicate.
    assert_added(&link(&api, "10001").await);
    assert_eq!(list(&api).await.len(), 1);
    add_manual(&api, with(us("5030011111"), "routingNumber", json!("121000248")))
        .await
        .assert_refused(field, "I-4510", EXISTS);
    assert_added(&link(&api, "10002").await);
    let listed = list(&api).await;
    assert_eq!(listed[1]["routingNumber"], Value::Null);
    assert_eq!(listed[1]["accountType"], "SAVINGS");

    // A stale balance counts as current once linked again.
    use diesel::prelude::*;
    use store::schema::bank_accounts;
    assert_added(&link(&api, "10003").await);
    let as_of = |api: &Api| -> Option<chrono::NaiveDateTime> {
        let mut conn = api.state.pool.get().expect("connection");
        bank_accounts::table
            .filter(bank_accounts::link_id.eq("10003"))
            .select(bank_accounts::balance_as_of)
            .first(&mut conn)
            .expect("the linked row")
    };
    let stale = as_of(&api).expect("the fixture's time");
    let now = crate::fixtures::clock_now(&api).await;
    assert!(accounts::balance_is_stale(Some(stale.and_utc()), now, TimeDelta::hours(24)));
    assert_added(&link(&api, "10003").await);
    let refreshed = as_of(&api).expect("refreshed");
    assert!(!accounts::balance_is_stale(Some(refreshed.and_utc()), now, TimeDelta::hours(24)));
    assert_eq!(list(&api).await.len(), 3);

    // A refresh is not an addition: it is allowed at the limit.
    for n in 0..7 {
        assert_added(&add_manual(&api, us(&format!("5550000{n}"))).await);
    }
    link(&api, "10009").await.assert_refused(field, "I-4504", TOO_MANY);
    assert_added(&link(&api, "10003").await);
}

#[actix_web::test]
async fn the_preferred_bank_account_is_changed_within_the_current_account_only() {
    let api = Api::start().await;
    let field = "changePreferredBankAccount";
    prefer(&api, "01908a14-0b6c-7e91-9f2a-3c8d5e7b1a60").await.assert_refused(field, "I-4100", LOGGED_OUT);
    api.sign_up_seed().await;
    assert_added(&link(&api, "10001").await);
    assert_added(&add_manual(&api, us("11111111111")).await);
    let listed = list(&api).await;
    let (linked, typed) = (id_of(&listed[0]), id_of(&listed[1]));

    // A pending one may be preferred; it is listed first.
    assert_eq!(prefer(&api, &typed).await.assert_ok()[field]["message"], CHANGED);
    let listed = list(&api).await;
    assert_eq!((id_of(&listed[0]), &listed[0]["preferredBankAccount"]), (typed.clone(), &json!(true)));
    assert_eq!((id_of(&listed[1]), &listed[1]["preferredBankAccount"]), (linked.clone(), &json!(false)));
    assert_eq!(preferred_bank_account_id(&api).await, json!(typed));
    // Already preferred: the same success, nothing changes.
    assert_eq!(prefer(&api, &typed).await.assert_ok()[field]["message"], CHANGED);
    assert_eq!(preferred_bank_account_id(&api).await, json!(typed));

    // Unknown, malformed, and another account's ids (the same person's other account included) answer alike.
    prefer(&api, "01908a14-0b6c-7e91-9f2a-3c8d5e7b1a60").await.assert_refused(field, "I-4407", NO_SUCH);
    prefer(&api, "not an id").await.assert_refused(field, "I-4407", NO_SUCH);
    let other = api.client();
    other.sign_up_person("other@example.com").await;
    assert_added(&link(&other, "10001").await);
    let theirs = id_of(&list(&other).await[0]);
    prefer(&api, &theirs).await.assert_refused(field, "I-4407", NO_SUCH);
    api.graphql("mutation { addAccountToPerson(accountType: PERSONAL) { user { numAccounts } } }", json!({}))
        .await
        .assert_ok();
    assert_eq!(list(&api).await, Vec::<Value>::new(), "the second account has its own list");
    prefer(&api, &linked).await.assert_refused(field, "I-4407", NO_SUCH);
    assert_eq!(list(&other).await[0]["preferredBankAccount"], true);

    // A disabled account: I-4430 before the id is looked at.
    let account = account_id(&api).await;
    api.admin(&["disable-account", &account]).await;
    prefer(&api, "not an id").await.assert_refused(field, "I-4430", DISABLED);
}

#[actix_web::test]
async fn twenty_parallel_changes_leave_exactly_one_preferred() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    for n in 0..5 {
        assert_added(&add_manual(&api, us(&format!("7770000{n}"))).await);
    }
    let ids: Vec<String> = list(&api).await.iter().map(id_of).collect();
    let cookie = api.cookie();
    let clients: Vec<Client> = (0..20).map(|_| api.client()).collect();
    for client in &clients {
        client.set_cookie(cookie.clone());
    }
    let answers = join_all(clients.iter().enumerate().map(|(n, c)| prefer(c, &ids[n % ids.len()]))).await;
    for answer in &answers {
        assert_eq!(answer.assert_ok()["changePreferredBankAccount"]["message"], CHANGED);
    }
    let listed = list(&api).await;
    assert_eq!(listed.iter().filter(|a| a["preferredBankAccount"] == true).count(), 1, "{listed:?}");
    assert_eq!(listed[0]["preferredBankAccount"], true);
    assert_eq!(preferred_bank_account_id(&api).await, listed[0]["id"]);
}

#[actix_web::test]
async fn parallel_first_adds_make_one_preferred_and_refuse_duplicates() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    let cookie = api.cookie();
    let clients: Vec<Client> = (0..12).map(|_| api.client()).collect();
    for client in &clients {
        client.set_cookie(cookie.clone());
    }
    let answers =
        join_all(clients.iter().enumerate().map(|(n, c)| add_manual(c, us(&format!("8880000{}", n % 6))))).await;
    let added = answers.iter().filter(|a| a.body.get("errors").is_none()).count();
    assert_eq!(added, 6, "{answers:?}");
    for refused in answers.iter().filter(|a| a.body.get("errors").is_some()) {
        refused.assert_refused("addBankAccount", "I-4510", EXISTS);
    }
    let listed = list(&api).await;
    assert_eq!(listed.len(), 6);
    assert_eq!(listed.iter().filter(|a| a["preferredBankAccount"] == true).count(), 1);
}

#[actix_web::test]
async fn two_job_runners_end_each_verification_once() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    assert_added(&add_manual(&api, us("11111111111")).await);
    assert_added(&add_manual(&api, us("22220004")).await);
    {
        let mut conn = api.state.pool.get().expect("connection");
        api.state.clock.advance(&mut conn, TimeDelta::seconds(30)).expect("clock moved");
    }
    let runs = join_all((0..2).map(|_| api.admin(&["run-jobs"]))).await;
    let ended: i64 = runs.iter().map(|run| run["bank_verifications"].as_i64().expect("a count")).sum();
    assert_eq!(ended, 2, "{runs:?}");
    let statuses: Vec<Value> = list(&api).await.iter().map(|a| a["status"].clone()).collect();
    assert_eq!(statuses, vec![json!("FULLY_VERIFIED"), json!("FAILED")]);
    assert_eq!(api.admin(&["run-jobs"]).await["bank_verifications"], 0);
}

#[actix_web::test]
async fn bank_accounts_needs_a_session() {
    let api = Api::start().await;
    api.graphql(LIST, json!({})).await.assert_refused("bankAccounts", "I-4100", LOGGED_OUT);
}
