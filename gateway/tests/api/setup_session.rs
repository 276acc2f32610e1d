//! The account setup session: create (prefilled), read, partial updates, expiry, and submit applying it to the
//! account and person.

use chrono::{DateTime, TimeDelta, Utc};
use diesel::prelude::*;
use futures_util::future::join;
use serde_json::{Value, json};

use crate::harness::{Api, Client, SEED_PASSWORD, SIGNUP_CODE};

const CREATE: &str = "mutation { createAccountSetupSession { message } }";
const UPDATE: &str =
    "mutation Setup($data: UpdateAccountSetupSessionInput!) { updateAccountSetupSession(data: $data) { message } }";
const SUBMIT: &str = "mutation { submitAccountSetupSession { message } }";
const READ: &str = "query { accountSetupSession { slug accountType addressLine1 addressLine2 city zoneCode postalCode country uploadedId identificationType bankName firstName middleName lastName phone phoneCountryCode dateOfBirth personalTaxId citizenship name displayName businessType businessTaxId industry estimatedMonthlyVolume estimatedMonthlyTransactions businessSize jobTitle zoneCodeOfIncorporation expiresAt } }";
const ACCOUNT: &str = "query { account { status slug name displayName phone phoneCountryCode addressLine1 addressLine2 city zoneCode postalCode identificationType businessType businessTaxId industry } person { firstName middleName lastName dateOfBirth citizenship phone phoneCountryCode personalTaxId } }";

const CREATED: &str = "Account setup session created!";
const UPDATED: &str = "Account setup session successfully updated";
const NO_SESSION: &str = "This is not a valid account setup session";
const EXPIRED: &str = "Session expired.";
const DISABLED: &str = "This account is disabled. Please contact support.";
const USER_EXISTS: &str = "A user already exists in our system with this information.";

async fn create(client: &Client) -> crate::harness::Answer {
    client.graphql(CREATE, json!({})).await
}

async fn update(client: &Client, data: Value) -> crate::harness::Answer {
    client.graphql(UPDATE, json!({ "data": data })).await
}

async fn submit(client: &Client) -> crate::harness::Answer {
    client.graphql(SUBMIT, json!({})).await
}

async fn read(client: &Client) -> crate::harness::Answer {
    client.graphql(READ, json!({})).await
}

#[track_caller]
fn assert_message(answer: &crate::harness::Answer, field: &str, message: &str) {
    assert_eq!(answer.assert_ok()[field]["message"], message);
}

/// Everything a US PERSONAL account needs to submit.
fn personal_data(slug: &str, ssn: &str) -> Value {
    json!({
        "slug": slug, "firstName": "Jane", "middleName": "Q", "lastName": "Doe", "dateOfBirth": "1990-06-12",
        "citizenship": "US", "phoneCountryCode": "US", "phone": "(571) 388-6974", "addressLine1": "1 Market Street",
        "city": "San Francisco", "zoneCode": "us-ca", "postalCode": "94105", "identificationType": "ssn",
        "personalTaxId": ssn,
    })
}

/// Everything a US BUSINESS account needs to submit (the example of updateAccountSetupSession's page).
fn business_data(slug: &str, ein: &str) -> Value {
    json!({
        "slug": slug, "name": "Acme Widgets LLC", "businessType": "limited liability company",
        "identificationType": "EmployerIdentificationNumber_EIN", "businessTaxId": ein, "industry": "423430",
        "addressLine1": "1 Market Street", "city": "San Francisco", "zoneCode": "US-CA", "postalCode": "94105",
        "zoneCodeOfIncorporation": "us-de", "firstName": "Jane", "lastName": "Smith", "dateOfBirth": "1985-03-14",
        "jobTitle": "chief executive officer", "phone": "(571) 388-6974", "phoneCountryCode": "US",
        "estimatedMonthlyVolume": 25000.5, "estimatedMonthlyTransactions": 40, "businessSize": 12,
    })
}

fn session_of(answer: &crate::harness::Answer) -> Value {
    answer.assert_ok()["accountSetupSession"].clone()
}

fn instant(value: &Value) -> DateTime<Utc> {
    value.as_str().and_then(|text| text.parse().ok()).expect("an RFC 3339 instant")
}

/// The stored documents of every setup session, to check what the database holds.
fn stored_documents(api: &Api) -> Vec<String> {
    use store::schema::account_setup_sessions;
    let mut conn = api.state.pool.get().expect("connection");
    account_setup_sessions::table.select(account_setup_sessions::data).load(&mut conn).expect("setup sessions")
}

#[actix_web::test]
async fn every_setup_operation_needs_a_login() {
    let api = Api::start().await;
    let field_answers = [
        ("createAccountSetupSession", create(&api).await),
        ("updateAccountSetupSession", update(&api, json!({})).await),
        ("submitAccountSetupSession", submit(&api).await),
        ("accountSetupSession", read(&api).await),
    ];
    for (field, answer) in field_answers {
        answer.assert_refused(field, "I-4100", "You must be logged in.");
    }
}

#[actix_web::test]
async fn without_a_session_reads_updates_and_submits_are_refused() {
    let api = Api::start().await;
    api.sign_up_person("jane@example.com").await;
    read(&api).await.assert_refused("accountSetupSession", "I-2001", NO_SESSION);
    update(&api, json!({ "city": "Boston" })).await.assert_refused("updateAccountSetupSession", "I-2001", NO_SESSION);
    submit(&api).await.assert_refused("submitAccountSetupSession", "I-2001", NO_SESSION);
}

#[actix_web::test]
async fn a_new_session_holds_the_account_and_nothing_else_and_expires_in_24_hours() {
    let api = Api::start().await;
    api.sign_up_person("jane@example.com").await;
    let before = crate::fixtures::clock_now(&api).await;
    assert_message(&create(&api).await, "createAccountSetupSession", CREATED);
    let session = session_of(&read(&api).await);
    assert_eq!((session["accountType"].as_str(), session["country"].as_str()), (Some("PERSONAL"), Some("US")));
    assert_eq!(session["uploadedId"], false);
    for (field, value) in session.as_object().expect("an object") {
        if !["accountType", "country", "uploadedId", "expiresAt"].contains(&field.as_str()) {
            assert_eq!(value, &Value::Null, "{field}");
        }
    }
    let expires = instant(&session["expiresAt"]);
    assert!(expires >= before + TimeDelta::hours(24) - TimeDelta::seconds(1), "{expires}");
    let after = crate::fixtures::clock_now(&api).await;
    assert!(expires <= after + TimeDelta::hours(24) + TimeDelta::seconds(1), "{expires}");
}

#[actix_web::test]
async fn updates_merge_given_fields_in_their_normal_forms_and_null_clears() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    create(&api).await.assert_ok();
    let first = update(&api, business_data("AcmeWidgets", "12-3456789")).await;
    assert_message(&first, "updateAccountSetupSession", UPDATED);
    // A second, partial update: absent fields stay, empty strings stay, null clears, a null country is ignored.
    let second = update(
        &api,
        json!({ "city": "Oakland", "addressLine2": "Suite 5", "bankName": "  ", "name": "", "postalCode": null,
                "country": null, "middleName": null, "businessSize": 0 }),
    )
    .await;
    second.assert_ok();
    let session = session_of(&read(&api).await);
    assert_eq!(session["slug"], "AcmeWidgets");
    assert_eq!(session["name"], "Acme Widgets LLC");
    assert_eq!(session["city"], "Oakland");
    assert_eq!(session["addressLine2"], "Suite 5");
    assert_eq!(session["bankName"], Value::Null);
    assert_eq!(session["postalCode"], Value::Null);
    assert_eq!(session["businessSize"], 0);
    assert_eq!(session["businessType"], "LIMITED_LIABILITY_COMPANY");
    assert_eq!(session["businessTaxId"], "123456789");
    assert_eq!(session["zoneCode"], "US-CA");
    assert_eq!(session["zoneCodeOfIncorporation"], "US-DE");
    assert_eq!(session["jobTitle"], "Chief Executive Officer");
    assert_eq!(session["phone"], "5713886974");
    assert_eq!(session["dateOfBirth"], "1985-03-14T00:00:00.000Z");
    assert_eq!(session["estimatedMonthlyVolume"], 25000.5);
    assert_eq!(session["estimatedMonthlyTransactions"], 40);
    assert_eq!(session["country"], "US");
    // The same country is accepted; another is refused.
    update(&api, json!({ "country": "US" })).await.assert_ok();
    update(&api, json!({ "country": "CA" })).await.assert_refused(
        "updateAccountSetupSession",
        "I-4315",
        "The country of an account is chosen at sign-up and cannot be changed.",
    );
}

#[actix_web::test]
async fn personal_tax_ids_are_shown_and_stored_only_masked() {
    let api = Api::start().await;
    api.sign_up_person("jane@example.com").await;
    create(&api).await.assert_ok();
    update(&api, json!({ "personalTaxId": " 123-45-6789 ", "identificationType": "SSN" })).await.assert_ok();
    assert_eq!(session_of(&read(&api).await)["personalTaxId"], "*****6789");
    let documents = stored_documents(&api);
    assert_eq!(documents.len(), 1);
    assert!(!documents[0].contains("123456789") && !documents[0].contains("123-45-6789"), "{}", documents[0]);
}

/// Each refusal of rule 5 and 6, on a session that stays as it was.
#[actix_web::test]
async fn each_refused_field_answers_its_code_and_leaves_the_session_unchanged() {
    let api = Api::start().await;
    // Another account holds a handle and a business tax id; another person a personal tax id.
    let holder = api.client();
    holder.sign_up_person("holder@example.com").await;
    create(&holder).await.assert_ok();
    update(&holder, personal_data("TakenHandle", "123-45-6789")).await.assert_ok();
    submit(&holder).await.assert_ok();
    let business_holder = api.client();
    business_holder.sign_up_seed().await;
    create(&business_holder).await.assert_ok();
    update(&business_holder, business_data("AcmeHolder", "12-3456789")).await.assert_ok();
    submit(&business_holder).await.assert_ok();

    let person = api.client();
    person.sign_up_person("jane@example.com").await;
    create(&person).await.assert_ok();
    update(&person, json!({ "city": "Boston", "identificationType": "SSN", "personalTaxId": "234-56-7890" }))
        .await
        .assert_ok();
    let business = api.client();
    business
        .sign_up(json!({ "accountType": "BUSINESS", "country": "US", "email": "biz@example.com",
        "password": SEED_PASSWORD, "signUpSecret": crate::harness::SIGNUP_CODE }))
        .await
        .assert_ok();
    create(&business).await.assert_ok();
    let before_person = session_of(&read(&person).await);
    let before_business = session_of(&read(&business).await);

    let long = "x".repeat(101);
    let cases: Vec<(&Client, Value, &str, &str)> = vec![
        (&person, json!({ "slug": "ab" }), "I-4307", "Invalid Handle: Handle must be 3 or more characters"),
        (&person, json!({ "slug": "ab-cd" }), "I-4306", "Invalid Handle: Handle format is incorrect"),
        (
            &person,
            json!({ "slug": "a".repeat(25) }),
            "I-4308",
            "Invalid Handle: Handle must be less than 25 characters",
        ),
        (&person, json!({ "slug": "admin" }), "I-4317", "This PayMe Handle is reserved."),
        (&person, json!({ "slug": "takenhandle" }), "I-4309", "A user with this @handle already exists."),
        (
            &person,
            json!({ "city": "Oakland", "addressLine1": long }),
            "I-4417",
            "Address line 1 and city cannot be empty, and no address field may exceed 100 characters.",
        ),
        (
            &person,
            json!({ "city": "Bad\u{7}City" }),
            "I-4417",
            "Address line 1 and city cannot be empty, and no address field may exceed 100 characters.",
        ),
        (&person, json!({ "zoneCode": "CA-ON" }), "I-4418", "This is not a valid zone code for your country."),
        (&person, json!({ "postalCode": "9410" }), "I-4419", "This is not a valid postal code for your country."),
        (
            &person,
            json!({ "identificationType": "EmployerIdentificationNumber_EIN" }),
            "I-4320",
            "This identification type is not available for this account.",
        ),
        (&person, json!({ "bankName": "b".repeat(101) }), "I-4330", "bankName must be 1 to 100 characters long."),
        (&person, json!({ "firstName": "f".repeat(51) }), "I-4330", "firstName must be 1 to 50 characters long."),
        (&person, json!({ "middleName": "m".repeat(51) }), "I-4330", "middleName must be 1 to 50 characters long."),
        (&person, json!({ "lastName": "l".repeat(51) }), "I-4330", "lastName must be 1 to 50 characters long."),
        (&person, json!({ "phone": "123" }), "I-4415", "This is not a valid phone number for the selected country."),
        (
            &person,
            json!({ "phone": "+44 20 7946 0958" }),
            "I-4415",
            "This is not a valid phone number for the selected country.",
        ),
        (
            &person,
            json!({ "phoneCountryCode": "AQ" }),
            "I-4415",
            "This is not a valid phone number for the selected country.",
        ),
        (
            &person,
            json!({ "dateOfBirth": "1985-03-14T10:00:00Z" }),
            "I-4303",
            "This is not a valid date. Must strictly match format: YYYY-MM-DD",
        ),
        (
            &person,
            json!({ "dateOfBirth": "1899-12-31" }),
            "I-4329",
            "Date of birth must be in the past and not before 1900-01-01.",
        ),
        (
            &person,
            json!({ "dateOfBirth": "2099-01-01" }),
            "I-4329",
            "Date of birth must be in the past and not before 1900-01-01.",
        ),
        (
            &person,
            json!({ "dateOfBirth": (Utc::now() - TimeDelta::days(365 * 17)).format("%Y-%m-%d").to_string() }),
            "I-4328",
            "You must be at least 18 years old.",
        ),
        (
            &person,
            json!({ "personalTaxId": "12-34" }),
            "I-4318",
            "This personal tax id is not valid for the account's country.",
        ),
        (&person, json!({ "personalTaxId": "123456789" }), "I-4312", "This personal tax id is already taken."),
        (&person, json!({ "displayName": "d".repeat(65) }), "I-4416", "Display name must be 1 to 64 characters long."),
        (&person, json!({ "estimatedMonthlyVolume": -1 }), "I-4331", "estimatedMonthlyVolume cannot be negative."),
        (
            &person,
            json!({ "estimatedMonthlyVolume": 10.005 }),
            "I-4736",
            "Amount has more decimal places than USD allows.",
        ),
        (
            &person,
            json!({ "estimatedMonthlyTransactions": -1 }),
            "I-4331",
            "estimatedMonthlyTransactions cannot be negative.",
        ),
        (&person, json!({ "name": "Acme" }), "I-4332", "name can only be set for business accounts."),
        (&person, json!({ "businessType": "LLC" }), "I-4332", "businessType can only be set for business accounts."),
        (
            &person,
            json!({ "businessTaxId": "12-3456789" }),
            "I-4332",
            "businessTaxId can only be set for business accounts.",
        ),
        (&person, json!({ "industry": "423430" }), "I-4332", "industry can only be set for business accounts."),
        (&person, json!({ "businessSize": 3 }), "I-4332", "businessSize can only be set for business accounts."),
        (&person, json!({ "jobTitle": "Accountant" }), "I-4332", "jobTitle can only be set for business accounts."),
        (
            &person,
            json!({ "zoneCodeOfIncorporation": "US-DE" }),
            "I-4332",
            "zoneCodeOfIncorporation can only be set for business accounts.",
        ),
        // Rule 6: an SSN typed as ITIN, and an ITIN under the stored SSN type.
        (
            &person,
            json!({ "identificationType": "ITIN" }),
            "I-4321",
            "The tax id does not match the identification type.",
        ),
        (
            &person,
            json!({ "personalTaxId": "912-70-1234" }),
            "I-4321",
            "The tax id does not match the identification type.",
        ),
        // The first failing field is answered, in the table's order.
        (
            &person,
            json!({ "lastName": "l".repeat(51), "slug": "ab" }),
            "I-4307",
            "Invalid Handle: Handle must be 3 or more characters",
        ),
        (&business, json!({ "name": "n".repeat(121) }), "I-4330", "name must be 1 to 120 characters long."),
        (&business, json!({ "businessType": "GUILD" }), "I-4325", "This is not a valid business type."),
        (
            &business,
            json!({ "businessTaxId": "00-1234567" }),
            "I-4319",
            "This business tax id is not valid for the account's country.",
        ),
        (&business, json!({ "businessTaxId": "12-3456789" }), "I-4311", "This business tax id is already taken."),
        (&business, json!({ "industry": "42343" }), "I-4326", "This is not a valid NAICS 2022 industry code."),
        (&business, json!({ "businessSize": -1 }), "I-4331", "businessSize cannot be negative."),
        (&business, json!({ "jobTitle": "Wizard" }), "I-4327", "This is not a valid job title."),
        (
            &business,
            json!({ "zoneCodeOfIncorporation": "XX-99" }),
            "I-4322",
            "This is not a valid zone code of incorporation.",
        ),
    ];
    for (client, data, code, message) in cases {
        let answer = update(client, data.clone()).await;
        assert_eq!(answer.error_code(), Some(code), "{data}: {:?}", answer.body);
        answer.assert_refused("updateAccountSetupSession", code, message);
    }
    assert_eq!(session_of(&read(&person).await), before_person, "refused updates change nothing");
    assert_eq!(session_of(&read(&business).await), before_business, "refused updates change nothing");
}

#[actix_web::test]
async fn a_session_expires_24_hours_after_its_latest_change_and_create_starts_over() {
    // The login session must outlive the days the clock is moved.
    let api = Api::start_with(&[("SESSION_IDLE_TIMEOUT", "30d"), ("SESSION_MAX_AGE", "90d")]).await;
    api.sign_up_person("jane@example.com").await;
    create(&api).await.assert_ok();
    update(&api, json!({ "firstName": "Jane" })).await.assert_ok();
    api.advance(TimeDelta::hours(23)).await;
    // An update, even an empty one, moves the expiry; a read does not.
    let before = instant(&session_of(&read(&api).await)["expiresAt"]);
    update(&api, json!({})).await.assert_ok();
    let after = instant(&session_of(&read(&api).await)["expiresAt"]);
    assert!(after >= before + TimeDelta::hours(23) - TimeDelta::seconds(5), "{before} → {after}");
    api.advance(TimeDelta::hours(23)).await;
    assert_eq!(session_of(&read(&api).await)["firstName"], "Jane");
    api.advance(TimeDelta::hours(1) + TimeDelta::seconds(1)).await;
    read(&api).await.assert_refused("accountSetupSession", "I-4310", EXPIRED);
    update(&api, json!({ "city": "Boston" })).await.assert_refused("updateAccountSetupSession", "I-4310", EXPIRED);
    submit(&api).await.assert_refused("submitAccountSetupSession", "I-4310", EXPIRED);
    // Still expired (not gone) days later; create replaces it with a fresh one.
    api.advance(TimeDelta::days(3)).await;
    read(&api).await.assert_refused("accountSetupSession", "I-4310", EXPIRED);
    create(&api).await.assert_ok();
    assert_eq!(session_of(&read(&api).await)["firstName"], Value::Null, "starting over discards what was typed");
    // Seven days after it expired, an expired session is gone.
    api.advance(TimeDelta::days(9)).await;
    read(&api).await.assert_refused("accountSetupSession", "I-2001", NO_SESSION);
}

#[actix_web::test]
async fn submit_names_every_missing_field_in_the_tables_order() {
    let api = Api::start().await;
    api.sign_up_person("jane@example.com").await;
    create(&api).await.assert_ok();
    update(&api, json!({ "slug": "JaneDoe", "firstName": "Jane", "city": "Boston" })).await.assert_ok();
    submit(&api).await.assert_refused(
        "submitAccountSetupSession",
        "I-2003",
        "Account setup is missing required information: lastName, dateOfBirth, citizenship, phoneCountryCode, phone, addressLine1, zoneCode, postalCode, identificationType, personalTaxId.",
    );
    let business = api.client();
    business.sign_up_seed().await;
    create(&business).await.assert_ok();
    let mut data = business_data("AcmeWidgets", "12-3456789");
    for field in ["estimatedMonthlyVolume", "jobTitle", "zoneCodeOfIncorporation"] {
        data.as_object_mut().expect("an object").remove(field);
    }
    update(&business, data).await.assert_ok();
    submit(&business).await.assert_refused(
        "submitAccountSetupSession",
        "I-2003",
        "Account setup is missing required information: estimatedMonthlyVolume, zoneCodeOfIncorporation, jobTitle.",
    );
}

#[actix_web::test]
async fn submit_copies_a_personal_session_to_the_account_and_person_once() {
    let api = Api::start().await;
    let account_id =
        api.sign_up_person("jane@example.com").await.body["data"]["createLoginPersonAndAccount"]["user"]["account"]["id"]
            .as_str()
            .expect("an account id")
            .to_owned();
    create(&api).await.assert_ok();
    update(&api, personal_data("JaneDoe", "123-45-6789")).await.assert_ok();
    assert_message(&submit(&api).await, "submitAccountSetupSession", "Account setup complete");
    let answer = api.graphql(ACCOUNT, json!({})).await;
    let data = answer.assert_ok();
    let account = &data["account"];
    assert_eq!(account["status"], "SETUP_SUBMITTED");
    assert_eq!(account["slug"], "JaneDoe");
    assert_eq!(account["name"], "Jane Q Doe");
    assert_eq!(account["displayName"], "Jane Doe");
    assert_eq!(account["phone"], "5713886974");
    assert_eq!(account["phoneCountryCode"], "US");
    assert_eq!(
        (account["addressLine1"].as_str(), account["city"].as_str()),
        (Some("1 Market Street"), Some("San Francisco"))
    );
    assert_eq!((account["zoneCode"].as_str(), account["postalCode"].as_str()), (Some("US-CA"), Some("94105")));
    assert_eq!(account["identificationType"], "SSN");
    let person = &data["person"];
    assert_eq!((person["firstName"].as_str(), person["middleName"].as_str()), (Some("Jane"), Some("Q")));
    assert_eq!(person["lastName"], "Doe");
    assert_eq!(person["dateOfBirth"], "1990-06-12T00:00:00.000Z");
    assert_eq!(person["citizenship"], "US");
    assert_eq!(person["phone"], "5713886974");
    assert_eq!(person["personalTaxId"], "*****6789");
    assert!(stored_documents(&api).is_empty(), "the session is deleted");
    {
        use store::schema::events;
        let mut conn = api.state.pool.get().expect("connection");
        let claims: Vec<String> = events::table
            .filter(events::account_id.eq(&account_id))
            .select(events::claims)
            .load(&mut conn)
            .expect("events");
        assert_eq!(claims.len(), 1, "{claims:?}");
        let claims: Value = serde_json::from_str(&claims[0]).expect("JSON claims");
        assert_eq!(
            (claims["previousStatus"].as_str(), claims["status"].as_str()),
            (Some("NOT_SETUP"), Some("SETUP_SUBMITTED"))
        );
    }

    submit(&api).await.assert_refused("submitAccountSetupSession", "I-4302", USER_EXISTS);
    read(&api).await.assert_refused("accountSetupSession", "I-2001", NO_SESSION);
    update(&api, json!({ "city": "Boston" })).await.assert_refused("updateAccountSetupSession", "I-2001", NO_SESSION);
    create(&api).await.assert_refused("createAccountSetupSession", "I-2002", "This account has already been set up.");

    // A second account of the person starts prefilled from the person.
    api.graphql("mutation { addAccountToPerson(accountType: BUSINESS) { user { account { id } } } }", json!({}))
        .await
        .assert_ok();
    create(&api).await.assert_ok();
    let session = session_of(&read(&api).await);
    assert_eq!(session["accountType"], "BUSINESS");
    assert_eq!((session["firstName"].as_str(), session["middleName"].as_str()), (Some("Jane"), Some("Q")));
    assert_eq!((session["lastName"].as_str(), session["citizenship"].as_str()), (Some("Doe"), Some("US")));
    assert_eq!((session["phone"].as_str(), session["phoneCountryCode"].as_str()), (Some("5713886974"), Some("US")));
    assert_eq!(session["dateOfBirth"], "1990-06-12T00:00:00.000Z");
    assert_eq!(session["personalTaxId"], "*****6789");
    assert_eq!(session["slug"], Value::Null);
}

/// Job title, zone of incorporation, business size, estimated volume (minor units) and transactions.
type Details = (Option<String>, Option<String>, Option<i32>, Option<i64>, Option<i32>);

#[actix_web::test]
async fn submit_copies_a_business_session_to_the_account() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    create(&api).await.assert_ok();
    update(&api, business_data("AcmeWidgets", "12-3456789")).await.assert_ok();
    submit(&api).await.assert_ok();
    let answer = api.graphql(ACCOUNT, json!({})).await;
    let data = answer.assert_ok();
    let account = &data["account"];
    assert_eq!(account["status"], "SETUP_SUBMITTED");
    assert_eq!(
        (account["name"].as_str(), account["displayName"].as_str()),
        (Some("Acme Widgets LLC"), Some("Acme Widgets LLC"))
    );
    assert_eq!(account["businessType"], "LIMITED_LIABILITY_COMPANY");
    assert_eq!(account["businessTaxId"], "123456789");
    assert_eq!(account["industry"], "423430");
    assert_eq!(account["identificationType"], "EmployerIdentificationNumber_EIN");
    assert_eq!(
        (data["person"]["firstName"].as_str(), data["person"]["lastName"].as_str()),
        (Some("Jane"), Some("Smith"))
    );
    use store::schema::account_setup_details;
    let mut conn = api.state.pool.get().expect("connection");
    let details: Details = account_setup_details::table
        .select((
            account_setup_details::job_title,
            account_setup_details::zone_code_of_incorporation,
            account_setup_details::business_size,
            account_setup_details::estimated_monthly_volume,
            account_setup_details::estimated_monthly_transactions,
        ))
        .first(&mut conn)
        .expect("the account's setup details");
    assert_eq!(
        details,
        (Some("Chief Executive Officer".to_owned()), Some("US-DE".to_owned()), Some(12), Some(2_500_050), Some(40))
    );
}

#[actix_web::test]
async fn submit_refuses_a_disabled_account_and_tax_ids_the_provider_or_others_hold() {
    let api = Api::start().await;
    let account_id =
        api.sign_up_person("jane@example.com").await.body["data"]["createLoginPersonAndAccount"]["user"]["account"]["id"]
            .as_str()
            .expect("an account id")
            .to_owned();
    create(&api).await.assert_ok();
    // The local provider refuses a number ending with 9999; the session stays for a fix.
    update(&api, personal_data("JaneDoe", "123-45-9999")).await.assert_ok();
    let before = session_of(&read(&api).await);
    submit(&api).await.assert_refused(
        "submitAccountSetupSession",
        "I-4314",
        "There was an error setting up your account.",
    );
    assert_eq!(session_of(&read(&api).await), before);
    update(&api, json!({ "personalTaxId": "123-45-6789" })).await.assert_ok();

    // Another person takes the number and the handle first.
    let other = api.client();
    other.sign_up_person("other@example.com").await;
    create(&other).await.assert_ok();
    update(&other, personal_data("OtherHandle", "123-45-6789")).await.assert_ok();
    submit(&other).await.assert_ok();
    submit(&api).await.assert_refused("submitAccountSetupSession", "I-4302", USER_EXISTS);
    update(&api, json!({ "personalTaxId": "234-56-7890" })).await.assert_ok();
    let third = api.client();
    third.sign_up_person("third@example.com").await;
    create(&third).await.assert_ok();
    update(&third, personal_data("janedoe", "345-67-8901")).await.assert_ok();
    submit(&third).await.assert_ok();
    submit(&api).await.assert_refused(
        "submitAccountSetupSession",
        "I-4309",
        "A user with this @handle already exists.",
    );
    update(&api, json!({ "slug": "JaneDoe2" })).await.assert_ok();

    api.admin(&["disable-account", &account_id]).await;
    for (field, answer) in [
        ("createAccountSetupSession", create(&api).await),
        ("updateAccountSetupSession", update(&api, json!({ "city": "Boston" })).await),
        ("submitAccountSetupSession", submit(&api).await),
    ] {
        answer.assert_refused(field, "I-4430", DISABLED);
    }
    api.admin(&["enable-account", &account_id]).await;
    submit(&api).await.assert_ok();
}

#[actix_web::test]
async fn of_two_accounts_submitting_one_handle_at_once_exactly_one_gets_it() {
    let api = Api::start().await;
    let first = api.client();
    let second = api.client();
    first.sign_up_person("first@example.com").await;
    second.sign_up_person("second@example.com").await;
    for (client, ssn) in [(&first, "123-45-6789"), (&second, "234-56-7890")] {
        create(client).await.assert_ok();
        update(client, personal_data("SameHandle", ssn)).await.assert_ok();
    }
    let (a, b) = join(submit(&first), submit(&second)).await;
    let succeeded = [&a, &b].iter().filter(|answer| answer.body.get("errors").is_none()).count();
    assert_eq!(succeeded, 1, "{:?} / {:?}", a.body, b.body);
    let refused = if a.body.get("errors").is_some() { &a } else { &b };
    refused.assert_refused("submitAccountSetupSession", "I-4309", "A user with this @handle already exists.");
}

#[actix_web::test]
async fn of_two_accounts_submitting_one_tax_id_at_once_exactly_one_gets_it() {
    let api = Api::start().await;
    let people = [api.client(), api.client()];
    let businesses = [api.client(), api.client()];
    for (i, client) in people.iter().enumerate() {
        client.sign_up_person(&format!("person{i}@example.com")).await;
        create(client).await.assert_ok();
        update(client, personal_data(&format!("Person{i}"), "123-45-6789")).await.assert_ok();
    }
    for (i, client) in businesses.iter().enumerate() {
        let signed_up = client
            .sign_up(json!({ "accountType": "BUSINESS", "country": "US", "email": format!("biz{i}@example.com"), "password": SEED_PASSWORD, "signUpSecret": SIGNUP_CODE }))
            .await;
        signed_up.assert_ok();
        create(client).await.assert_ok();
        update(client, business_data(&format!("Business{i}"), "12-3456789")).await.assert_ok();
    }
    let (people_a, people_b) = join(submit(&people[0]), submit(&people[1])).await;
    let (biz_a, biz_b) = join(submit(&businesses[0]), submit(&businesses[1])).await;
    for (a, b) in [(&people_a, &people_b), (&biz_a, &biz_b)] {
        let succeeded = [a, b].iter().filter(|answer| answer.body.get("errors").is_none()).count();
        assert_eq!(succeeded, 1, "{:?} / {:?}", a.body, b.body);
        let refused = if a.body.get("errors").is_some() { a } else { b };
        refused.assert_refused(
            "submitAccountSetupSession",
            "I-4302",
            "A user already exists in our system with this information.",
        );
    }
}

#[actix_web::test]
async fn the_lifetime_is_configured_by_setup_session_ttl() {
    let api = Api::start_with(&[("SETUP_SESSION_TTL", "1h")]).await;
    api.sign_up_person("jane@example.com").await;
    create(&api).await.assert_ok();
    let expires = instant(&session_of(&read(&api).await)["expiresAt"]);
    let now = crate::fixtures::clock_now(&api).await;
    assert!(expires <= now + TimeDelta::hours(1) + TimeDelta::seconds(1), "{expires}");
    api.advance(TimeDelta::hours(1) + TimeDelta::seconds(1)).await;
    read(&api).await.assert_refused("accountSetupSession", "I-4310", EXPIRED);
}
