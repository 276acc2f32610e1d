//! Company officers: adding and replacing them, their identity checks by the local provider moved by the
//! clock, and submitting them (addCompanyOfficerToAccount, canSubmitCompanyOfficers, submitCompanyOfficers).

use chrono::TimeDelta;
use diesel::prelude::*;
use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::harness::{Answer, Api, Client};

const ADD: &str =
    "mutation Add($data: AddCompanyOfficerToAccountInput!) { addCompanyOfficerToAccount(data: $data) { message } }";
const CAN_SUBMIT: &str = "query { canSubmitCompanyOfficers { message } }";
const SUBMIT: &str = "mutation { submitCompanyOfficers { message } }";

const ADDED: &str = "Company officers added!";
const DISABLED: &str = "This account is disabled. Please contact support.";
const INCOMPLETE: &str = "All required data not given for this officer.";
const OVER_100: &str = "Company officers cannot own more than 100% of the business in total.";
const SUBMITTED: &str = "Company officer info has already been submitted.";
const PENDING: &str = "Company officer IDs are still being processed.";
const REJECTED: &str =
    "The identity document of a company officer was rejected. Add that officer again with another document.";

async fn add(api: &Client, data: Value) -> Answer {
    api.graphql(ADD, json!({ "data": data })).await
}

#[track_caller]
fn assert_added(answer: &Answer) {
    assert_eq!(answer.assert_ok()["addCompanyOfficerToAccount"]["message"], ADDED);
}

/// A CEO with everything submitCompanyOfficers needs; its check starts at once.
fn ceo(name: &str, percent: f64) -> Value {
    json!({
        "name": name, "percentOfOwnership": percent, "type": "CEO", "jobTitle": "Chief Executive Officer",
        "dateOfBirth": "1980-05-17", "country": "US",
        "uploadedId": { "documentType": "PASSPORT", "documentNumber": "P1234567", "issuingCountry": "US",
                        "expiryDate": "2035-01-01" }
    })
}

/// A UBO with everything submitCompanyOfficers needs and this document number.
fn ubo(name: &str, percent: f64, document_number: &str) -> Value {
    json!({
        "name": name, "percentOfOwnership": percent, "type": "UBO", "dateOfBirth": "1975-02-03",
        "uploadedId": { "documentType": "DRIVING_LICENCE", "documentNumber": document_number, "issuingCountry": "GB" }
    })
}

fn account_id(signed_up: &Answer) -> String {
    signed_up.body["data"]["createLoginPersonAndAccount"]["user"]["account"]["id"]
        .as_str()
        .expect("account id")
        .to_owned()
}

/// Moves the account to SETUP_SUBMITTED directly in the database: submitAccountSetupSession is being built in
/// parallel, and these tests are about what follows it.
fn mark_setup_submitted(api: &Api, account: &str) {
    use store::schema::accounts;
    let mut conn = api.state.pool.get().expect("connection");
    diesel::update(accounts::table.find(account))
        .set(accounts::status.eq("SETUP_SUBMITTED"))
        .execute(&mut conn)
        .expect("status set");
}

/// Gives the account's person a CLEAR identity check and the login a verified email, directly in the database
/// (embedOnfido and the email link are other issues' operations), so only the officers stand before VERIFIED.
fn clear_person_and_email(api: &Api, account: &str) {
    use store::schema::{accounts, logins, persons};
    let mut conn = api.state.pool.get().expect("connection");
    let person: String = accounts::table.find(account).select(accounts::person_id).first(&mut conn).expect("person");
    diesel::update(persons::table.find(&person))
        .set((persons::uploaded_id.eq(true), persons::identity_check_status.eq("CLEAR")))
        .execute(&mut conn)
        .expect("person cleared");
    diesel::update(logins::table.filter(logins::person_id.eq(&person)))
        .set(logins::email_verified.eq(true))
        .execute(&mut conn)
        .expect("email verified");
}

async fn account_state(api: &Api) -> Value {
    api.graphql("query { account { status uboInfoRequired } }", json!({})).await.assert_ok()["account"].clone()
}

/// The officers' rows as stored: (name, type, ownership in hundredths, check status, submitted).
fn officers(api: &Api, account: &str) -> Vec<(String, String, i32, String, bool)> {
    use store::schema::company_officers as o;
    let mut conn = api.state.pool.get().expect("connection");
    o::table
        .filter(o::account_id.eq(account))
        .order((o::created_at.asc(), o::id.asc()))
        .select((o::name, o::officer_type, o::ownership_bps, o::identity_check_status, o::submitted))
        .load(&mut conn)
        .expect("officers")
}

#[actix_web::test]
async fn an_officer_is_added_and_its_check_ends_clear_after_the_delay() {
    let api = Api::start().await;
    let account = account_id(&api.sign_up_seed().await);
    // The contract's example: a UBO without a document stays NOT_STARTED.
    let answer = add(
        &api,
        json!({ "name": "Bob", "country": "US", "percentOfOwnership": 25, "type": "UBO", "jobTitle": "accountant",
                "dateOfBirth": "1992-10-09T00:00:00Z" }),
    )
    .await;
    assert_added(&answer);
    assert_added(&add(&api, ceo("Ann Lee", 50.0)).await);
    assert_eq!(
        officers(&api, &account),
        vec![
            ("Bob".to_owned(), "UBO".to_owned(), 2_500, "NOT_STARTED".to_owned(), false),
            ("Ann Lee".to_owned(), "CEO".to_owned(), 5_000, "PENDING".to_owned(), false),
        ]
    );
    {
        use store::schema::company_officers as o;
        let mut conn = api.state.pool.get().expect("connection");
        let (job_title, masked, digest): (Option<String>, Option<String>, Option<String>) = o::table
            .filter(o::name.eq("Bob"))
            .select((o::job_title, o::document_number_masked, o::document_number_digest))
            .first(&mut conn)
            .expect("Bob");
        assert_eq!(job_title.as_deref(), Some("Accountant"), "stored in the list's spelling");
        assert_eq!((masked, digest), (None, None));
        let (masked, digest): (Option<String>, Option<String>) = o::table
            .filter(o::name.eq("Ann Lee"))
            .select((o::document_number_masked, o::document_number_digest))
            .first(&mut conn)
            .expect("Ann");
        assert_eq!(masked.as_deref(), Some("****4567"));
        let digest = digest.expect("a digest");
        assert_eq!(digest.len(), 64);
        assert!(!digest.contains("P1234567"));
    }
    api.advance(TimeDelta::seconds(9)).await;
    assert_eq!(officers(&api, &account)[1].3, "PENDING");
    api.advance(TimeDelta::seconds(1)).await;
    assert_eq!(officers(&api, &account)[1].3, "CLEAR");
    assert_eq!(account_state(&api).await, json!({ "status": "NOT_SETUP", "uboInfoRequired": true }));
}

#[actix_web::test]
async fn the_guards_come_first() {
    let api = Api::start().await;
    let anonymous = api.client();
    add(&anonymous, ceo("Ann Lee", 50.0)).await.assert_refused(
        "addCompanyOfficerToAccount",
        "I-4100",
        "You must be logged in.",
    );
    anonymous.graphql(CAN_SUBMIT, json!({})).await.assert_refused(
        "canSubmitCompanyOfficers",
        "I-4100",
        "You must be logged in.",
    );
    anonymous.graphql(SUBMIT, json!({})).await.assert_refused(
        "submitCompanyOfficers",
        "I-4100",
        "You must be logged in.",
    );

    let person = api.client();
    person.sign_up_person("jane@example.com").await;
    let business_only = "This is only available to business accounts.";
    add(&person, ceo("Ann Lee", 50.0)).await.assert_refused("addCompanyOfficerToAccount", "I-4105", business_only);
    person.graphql(CAN_SUBMIT, json!({})).await.assert_refused("canSubmitCompanyOfficers", "I-4105", business_only);
    person.graphql(SUBMIT, json!({})).await.assert_refused("submitCompanyOfficers", "I-4105", business_only);

    let account = account_id(&api.sign_up_seed().await);
    api.admin(&["disable-account", &account]).await;
    // I-4430 comes before every rule of the input.
    add(&api, json!({ "name": " ", "percentOfOwnership": 500, "type": "CEO" })).await.assert_refused(
        "addCompanyOfficerToAccount",
        "I-4430",
        DISABLED,
    );
    api.graphql(CAN_SUBMIT, json!({})).await.assert_refused("canSubmitCompanyOfficers", "I-4430", DISABLED);
    api.graphql(SUBMIT, json!({})).await.assert_refused("submitCompanyOfficers", "I-4430", DISABLED);
    api.admin(&["enable-account", &account]).await;
    assert_added(&add(&api, ceo("Ann Lee", 50.0)).await);
}

#[actix_web::test]
async fn every_rule_of_an_officer_is_checked_in_order() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    let field = "addCompanyOfficerToAccount";
    let refused = |data: Value| {
        let api = &api;
        async move { add(api, data).await }
    };
    refused(json!({ "name": "   ", "percentOfOwnership": 10, "type": "UBO" }))
        .await
        .assert_refused(field, "I-4404", INCOMPLETE);
    refused(json!({ "name": "Ann", "percentOfOwnership": 10, "type": "CEO" }))
        .await
        .assert_refused(field, "I-4404", INCOMPLETE);
    refused(json!({ "name": "Ann", "percentOfOwnership": 10, "type": "CEO", "jobTitle": "  " }))
        .await
        .assert_refused(field, "I-4404", INCOMPLETE);
    refused(json!({ "name": "a".repeat(101), "percentOfOwnership": 30, "type": "UBO" })).await.assert_refused(
        field,
        "I-4330",
        "name must be 1 to 100 characters long.",
    );
    refused(json!({ "name": "Ann\u{7}Lee", "percentOfOwnership": 30, "type": "UBO" })).await.assert_refused(
        field,
        "I-4330",
        "name must be 1 to 100 characters long.",
    );
    let ownership = "Percent of ownership must be a number from 0 to 100 with at most two decimals.";
    for percent in [json!(100.01), json!(-1), json!(33.333), json!(0.30000000000000004)] {
        refused(json!({ "name": "Ann", "percentOfOwnership": percent, "type": "UBO" }))
            .await
            .assert_refused(field, "I-4334", ownership);
    }
    refused(json!({ "name": "Ann", "percentOfOwnership": 24.99, "type": "UBO" })).await.assert_refused(
        field,
        "I-4336",
        "A UBO must own at least 25% of the business.",
    );
    refused(json!({ "name": "Ann", "percentOfOwnership": 0, "type": "CEO", "jobTitle": "Boss" })).await.assert_refused(
        field,
        "I-4327",
        "This is not a valid job title.",
    );
    let not_a_date = "This is not a valid date. Must strictly match format: YYYY-MM-DD";
    refused(json!({ "name": "Ann", "percentOfOwnership": 30, "type": "UBO", "dateOfBirth": "1990-01-01T08:00:00Z" }))
        .await
        .assert_refused(field, "I-4303", not_a_date);
    let born = "Date of birth must be in the past and not before 1900-01-01.";
    for date in ["1899-12-31", "2999-01-01"] {
        refused(json!({ "name": "Ann", "percentOfOwnership": 30, "type": "UBO", "dateOfBirth": date }))
            .await
            .assert_refused(field, "I-4329", born);
    }
    let document = |number: &str, expiry: Option<&str>| {
        json!({ "name": "Ann", "percentOfOwnership": 30, "type": "UBO",
                "uploadedId": { "documentType": "NATIONAL_IDENTITY_CARD", "documentNumber": number,
                                "issuingCountry": "FR", "expiryDate": expiry } })
    };
    let number_length = "documentNumber must be 1 to 40 characters long.";
    for number in [" - ", "AB/123", &"9".repeat(41)] {
        refused(document(number, None)).await.assert_refused(field, "I-4330", number_length);
    }
    refused(document("AB123", Some("2030-01-01T12:00:00Z"))).await.assert_refused(field, "I-4303", not_a_date);
    refused(document("AB123", Some("2020-01-01"))).await.assert_refused(
        field,
        "I-4344",
        "This identity document has expired.",
    );
    // Spaces and hyphens do not count towards the 40 characters.
    assert_added(&refused(document(&format!("{}-{} ", "1".repeat(20), "2".repeat(20)), Some("2030-01-01"))).await);
}

#[actix_web::test]
async fn one_ceo_and_at_most_100_percent_with_replacement_by_type_and_name() {
    let api = Api::start().await;
    let account = account_id(&api.sign_up_seed().await);
    let field = "addCompanyOfficerToAccount";
    assert_added(&add(&api, ceo("Ann Lee", 50.0)).await);
    add(&api, ceo("Carl Smith", 0.0)).await.assert_refused(field, "I-4337", "This account already has a CEO.");
    assert_added(&add(&api, ubo("Bob Jones", 25.0, "D1")).await);
    assert_added(&add(&api, ubo("Cy Young", 25.0, "D2")).await);
    // 50 + 25 + 25 = 100: nothing more fits.
    add(&api, ubo("Dee Dee", 25.0, "D3")).await.assert_refused(field, "I-4335", OVER_100);
    // The same CEO again (case and spaces ignored) replaces it, counted in place of the old one.
    add(&api, ceo("  ann   LEE ", 50.01)).await.assert_refused(field, "I-4335", OVER_100);
    assert_added(&add(&api, ceo("  ann   LEE ", 25.0)).await);
    assert_added(&add(&api, ubo("Dee Dee", 25.0, "D3")).await);
    let stored = officers(&api, &account);
    assert_eq!(stored.len(), 4);
    assert_eq!((stored[0].0.as_str(), stored[0].2), ("ann   LEE", 2_500), "replaced in place, every field new");
    // A UBO and a CEO of the same name are two officers; the UBO rules and the total still hold.
    add(&api, ubo("Ann Lee", 25.0, "D4")).await.assert_refused(field, "I-4335", OVER_100);
    // Replacing drops absent optional fields and restarts the check: without a document it is NOT_STARTED.
    assert_added(&add(&api, json!({ "name": "Bob Jones", "percentOfOwnership": 25, "type": "UBO" })).await);
    let bob = officers(&api, &account).into_iter().find(|o| o.0 == "Bob Jones").expect("Bob");
    assert_eq!(bob.3, "NOT_STARTED");
}

#[actix_web::test]
async fn officers_are_submitted_once_every_check_is_clear() {
    let api = Api::start().await;
    let account = account_id(&api.sign_up_seed().await);
    let can = "canSubmitCompanyOfficers";
    let submit = "submitCompanyOfficers";
    let not_setup = "Submit your account setup before submitting company officers.";
    api.graphql(CAN_SUBMIT, json!({})).await.assert_refused(can, "I-4338", not_setup);
    api.graphql(SUBMIT, json!({})).await.assert_refused(submit, "I-4338", not_setup);
    mark_setup_submitted(&api, &account);
    clear_person_and_email(&api, &account);

    let no_ceo = "Add the company's CEO before submitting company officers.";
    api.graphql(CAN_SUBMIT, json!({})).await.assert_refused(can, "I-4340", no_ceo);
    assert_added(&add(&api, ubo("Bob Jones", 30.0, "REJECT")).await);
    api.graphql(SUBMIT, json!({})).await.assert_refused(submit, "I-4340", no_ceo);
    // A CEO without a date of birth or a document.
    assert_added(
        &add(&api, json!({ "name": "Ann Lee", "percentOfOwnership": 40, "type": "CEO", "jobTitle": "Owner" })).await,
    );
    let missing = "Every company officer needs a date of birth and an identity document.";
    api.graphql(CAN_SUBMIT, json!({})).await.assert_refused(can, "I-4339", missing);
    api.graphql(SUBMIT, json!({})).await.assert_refused(submit, "I-4339", missing);
    assert_added(&add(&api, ceo("Ann Lee", 40.0)).await);
    api.graphql(CAN_SUBMIT, json!({})).await.assert_refused(can, "I-4409", PENDING);
    api.graphql(SUBMIT, json!({})).await.assert_refused(submit, "I-4409", PENDING);
    api.advance(TimeDelta::seconds(10)).await;
    // Bob's document number is REJECT.
    api.graphql(CAN_SUBMIT, json!({})).await.assert_refused(can, "I-4343", REJECTED);
    api.graphql(SUBMIT, json!({})).await.assert_refused(submit, "I-4343", REJECTED);
    assert_added(&add(&api, ubo("Bob Jones", 30.0, "D-123 456")).await);
    api.graphql(CAN_SUBMIT, json!({})).await.assert_refused(can, "I-4409", PENDING);
    api.advance(TimeDelta::seconds(10)).await;
    let statuses: Vec<String> = officers(&api, &account).into_iter().map(|o| o.3).collect();
    assert_eq!(statuses, vec!["CLEAR", "CLEAR"]);
    assert_eq!(
        api.graphql(CAN_SUBMIT, json!({})).await.assert_ok()["canSubmitCompanyOfficers"]["message"],
        "Company officers can be submitted."
    );
    assert_eq!(account_state(&api).await, json!({ "status": "SETUP_SUBMITTED", "uboInfoRequired": true }));

    // Two submits at once: one submits, the other finds it done.
    let cookie = api.cookie();
    let clients: Vec<_> = (0..2).map(|_| api.client()).collect();
    for client in &clients {
        client.set_cookie(cookie.clone());
    }
    let answers = join_all(clients.iter().map(|c| c.graphql(SUBMIT, json!({})))).await;
    let submitted: Vec<&Answer> = answers.iter().filter(|a| a.body.get("errors").is_none()).collect();
    assert_eq!(submitted.len(), 1, "{answers:?}");
    assert_eq!(submitted[0].body["data"]["submitCompanyOfficers"]["message"], "Company Officer info submitted.");
    let refused = answers.iter().find(|a| a.body.get("errors").is_some()).expect("one refused");
    refused.assert_refused(submit, "I-4406", SUBMITTED);

    assert!(officers(&api, &account).iter().all(|o| o.4), "every officer is submitted");
    // The person is CLEAR and the email verified, so the officers were the last part of the VERIFIED rule.
    assert_eq!(account_state(&api).await, json!({ "status": "VERIFIED", "uboInfoRequired": false }));
    add(&api, ceo("Ann Lee", 40.0)).await.assert_refused("addCompanyOfficerToAccount", "I-4406", SUBMITTED);
    api.graphql(CAN_SUBMIT, json!({})).await.assert_refused(can, "I-4406", SUBMITTED);
    api.graphql(SUBMIT, json!({})).await.assert_refused(submit, "I-4406", SUBMITTED);
}

#[actix_web::test]
async fn a_name_ending_in_reject_is_rejected_and_the_account_is_not_verified() {
    let api = Api::start().await;
    let account = account_id(&api.sign_up_seed().await);
    mark_setup_submitted(&api, &account);
    clear_person_and_email(&api, &account);
    assert_added(&add(&api, ceo("Ann reJECT", 100.0)).await);
    api.advance(TimeDelta::seconds(10)).await;
    assert_eq!(officers(&api, &account)[0].3, "REJECTED");
    api.graphql(SUBMIT, json!({})).await.assert_refused("submitCompanyOfficers", "I-4343", REJECTED);
    assert_eq!(account_state(&api).await, json!({ "status": "SETUP_SUBMITTED", "uboInfoRequired": true }));
}

#[actix_web::test]
async fn two_job_runners_end_each_check_once() {
    let api = Api::start().await;
    let account = account_id(&api.sign_up_seed().await);
    assert_added(&add(&api, ceo("Ann Lee", 50.0)).await);
    assert_added(&add(&api, ubo("Bob Jones", 50.0, "D1")).await);
    // Move the clock without running the jobs, then run two runners at once.
    {
        let mut conn = api.state.pool.get().expect("connection");
        api.state.clock.advance(&mut conn, TimeDelta::seconds(10)).expect("clock moved");
    }
    let runs = join_all((0..2).map(|_| api.admin(&["run-jobs"]))).await;
    let ended: i64 = runs.iter().map(|run| run["identity_checks"].as_i64().expect("a count")).sum();
    assert_eq!(ended, 2, "{runs:?}");
    let statuses: Vec<String> = officers(&api, &account).into_iter().map(|o| o.3).collect();
    assert_eq!(statuses, vec!["CLEAR", "CLEAR"]);
    assert_eq!(api.admin(&["run-jobs"]).await["identity_checks"], 0);
}

#[actix_web::test]
async fn outside_ubo_required_countries_officers_are_not_needed_for_verified() {
    let api = Api::start_with(&[("UBO_REQUIRED_COUNTRIES", "CA")]).await;
    let account = account_id(&api.sign_up_seed().await);
    mark_setup_submitted(&api, &account);
    clear_person_and_email(&api, &account);
    assert_added(&add(&api, ceo("Ann Lee", 50.0)).await);
    api.advance(TimeDelta::seconds(10)).await;
    // The check's end re-evaluates the account: its officers are no part of its VERIFIED rule.
    assert_eq!(account_state(&api).await, json!({ "status": "VERIFIED", "uboInfoRequired": false }));
    // They may still be submitted.
    assert_eq!(
        api.graphql(SUBMIT, json!({})).await.assert_ok()["submitCompanyOfficers"]["message"],
        "Company Officer info submitted."
    );
    assert_eq!(account_state(&api).await["status"], "VERIFIED");
}

#[actix_web::test]
async fn a_replacement_discards_the_earlier_check() {
    let api = Api::start().await;
    let account = account_id(&api.sign_up_seed().await);
    assert_added(&add(&api, ubo("Bob Jones", 30.0, "REJECT")).await);
    api.advance(TimeDelta::seconds(5)).await;
    assert_added(&add(&api, ubo("bob jones", 30.0, "D9")).await);
    // The first check would have ended now; it was discarded, and the new one ends 10 s after it started.
    api.advance(TimeDelta::seconds(5)).await;
    assert_eq!(officers(&api, &account)[0].3, "PENDING");
    api.advance(TimeDelta::seconds(5)).await;
    assert_eq!(officers(&api, &account)[0].3, "CLEAR");
    assert_eq!(officers(&api, &account)[0].0, "bob jones", "every field takes the new value");
}

#[actix_web::test]
async fn concurrent_officers_never_own_more_than_100_percent_together() {
    let api = Api::start().await;
    let account = account_id(&api.sign_up_seed().await);
    let cookie = api.cookie();
    let clients: Vec<_> = (0..4).map(|_| api.client()).collect();
    for client in &clients {
        client.set_cookie(cookie.clone());
    }
    let answers =
        join_all(clients.iter().enumerate().map(|(i, client)| add(client, ubo(&format!("Owner {i}"), 40.0, "D1"))))
            .await;
    let added = answers.iter().filter(|a| a.body.get("errors").is_none()).count();
    assert_eq!(added, 2, "{answers:?}");
    for refused in answers.iter().filter(|a| a.body.get("errors").is_some()) {
        refused.assert_refused("addCompanyOfficerToAccount", "I-4335", OVER_100);
    }
    let total: i32 = officers(&api, &account).iter().map(|o| o.2).sum();
    assert_eq!(total, 8_000);
}

#[actix_web::test]
async fn submitting_the_last_part_of_verified_records_the_status_change() {
    use store::schema::events;
    let api = Api::start().await;
    let account = account_id(&api.sign_up_seed().await);
    mark_setup_submitted(&api, &account);
    clear_person_and_email(&api, &account);
    assert_added(&add(&api, ceo("Ann Lee", 100.0)).await);
    api.advance(TimeDelta::seconds(10)).await;
    api.graphql(SUBMIT, json!({})).await.assert_ok();
    let mut conn = api.state.pool.get().expect("connection");
    let recorded: Vec<(String, String)> = events::table
        .filter(events::account_id.eq(&account))
        .select((events::event, events::claims))
        .load(&mut conn)
        .expect("events");
    assert_eq!(recorded.len(), 1, "{recorded:?}");
    assert_eq!(recorded[0].0, "account.status_changed");
    let claims: Value = serde_json::from_str(&recorded[0].1).expect("JSON claims");
    assert_eq!(
        (claims["previousStatus"].as_str(), claims["status"].as_str()),
        (Some("SETUP_SUBMITTED"), Some("VERIFIED"))
    );
}
