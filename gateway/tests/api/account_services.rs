//! Account services: switching accounts, listing them, a business's public profile by handle, the company
//! officers of a business, and updating the person.

use diesel::prelude::*;
use serde_json::{Value, json};

use crate::harness::{Answer, Api, Client, SEED_EMAIL, SEED_PASSWORD};

const SWITCH: &str = "mutation Switch($id: ID!) { switchAccounts(accountId: $id) { user { loginId numAccounts emailVerified person { id email } account { id accountType status } } } }";
const ACCOUNTS: &str = "query { accounts { id accountType status country currency slug name createdAt } }";
const PUBLIC: &str =
    "query Business($slug: String!) { publicAccountBySlug(slug: $slug) { accountType displayName currency slug } }";
const OFFICERS: &str = "query { companyOfficers { id name percentOfOwnership type dateOfBirth jobTitle country uploadedId identityCheckStatus submitted createdAt } }";
const UPDATE_PERSON: &str = "mutation Me($data: UpdatePersonInput!) { updatePerson(data: $data) { message } }";
const PERSON: &str = "query { person { phone phoneCountryCode personalTaxId } }";
const ADD_ACCOUNT: &str =
    "mutation Add($t: AccountType!) { addAccountToPerson(accountType: $t) { user { account { id } } } }";
const ADD_OFFICER: &str =
    "mutation Add($data: AddCompanyOfficerToAccountInput!) { addCompanyOfficerToAccount(data: $data) { message } }";
const DEACTIVATE: &str =
    "mutation Close($p: String!, $r: String!) { deactivateAccount(password: $p, reason: $r) { message } }";

const NOT_OWNER: &str = "You do not own this account.";
const DEACTIVATED: &str = "This account has been deactivated.";
const NO_HANDLE: &str = "No account with this PayMe Handle exists.";
const NO_BUSINESS: &str = "No business account exists with this PayMe Handle.";
const NOT_VALID: &str = "Not a valid account.";
const BAD_PHONE: &str = "This is not a valid phone number for the selected country.";
const BAD_TAX_ID: &str = "This personal tax id is not valid for the account's country.";
const TAX_ID_TAKEN: &str = "This personal tax id is already taken.";
const PROVIDER_REFUSED: &str = "Financial Institution Request error";
const UPDATED: &str = "Person updated sucessfully";

fn text(value: &Value) -> String {
    value.as_str().expect("a string").to_owned()
}

async fn current_account_id(client: &Client) -> String {
    text(&client.account_id().await.assert_ok()["account"]["id"])
}

/// Opens the person's second account (the session moves to it) and answers its id.
async fn add_account(client: &Client, account_type: &str) -> String {
    let answer = client.graphql(ADD_ACCOUNT, json!({ "t": account_type })).await;
    text(&answer.assert_ok()["addAccountToPerson"]["user"]["account"]["id"])
}

async fn switch(client: &Client, id: &str) -> Answer {
    client.graphql(SWITCH, json!({ "id": id })).await
}

async fn update_person(client: &Client, data: Value) -> Answer {
    client.graphql(UPDATE_PERSON, json!({ "data": data })).await
}

async fn person(client: &Client) -> Value {
    client.graphql(PERSON, json!({})).await.assert_ok()["person"].clone()
}

#[track_caller]
fn assert_updated(answer: &Answer) {
    assert_eq!(answer.assert_ok()["updatePerson"]["message"], UPDATED);
}

/// Submits account setup for the client's current account with these fields.
async fn submit_setup(client: &Client, data: Value) {
    client.graphql("mutation { createAccountSetupSession { message } }", json!({})).await.assert_ok();
    client
        .graphql(
            "mutation Setup($data: UpdateAccountSetupSessionInput!) { updateAccountSetupSession(data: $data) { message } }",
            json!({ "data": data }),
        )
        .await
        .assert_ok();
    client.graphql("mutation { submitAccountSetupSession { message } }", json!({})).await.assert_ok();
}

fn business_setup(slug: &str, display_name: &str) -> Value {
    json!({
        "slug": slug, "name": "Acme Widgets LLC", "displayName": display_name,
        "businessType": "limited liability company", "identificationType": "EmployerIdentificationNumber_EIN",
        "businessTaxId": "12-3456789", "industry": "423430", "addressLine1": "1 Market Street",
        "city": "San Francisco", "zoneCode": "US-CA", "postalCode": "94105", "zoneCodeOfIncorporation": "us-de",
        "firstName": "Jane", "lastName": "Smith", "dateOfBirth": "1985-03-14", "jobTitle": "chief executive officer",
        "phone": "(571) 388-6974", "phoneCountryCode": "US", "estimatedMonthlyVolume": 25000,
        "estimatedMonthlyTransactions": 40, "businessSize": 12,
    })
}

fn personal_setup(slug: &str, ssn: &str) -> Value {
    json!({
        "slug": slug, "firstName": "Jane", "middleName": "Q", "lastName": "Doe", "dateOfBirth": "1990-06-12",
        "citizenship": "US", "phoneCountryCode": "US", "phone": "(571) 388-6974", "addressLine1": "1 Market Street",
        "city": "San Francisco", "zoneCode": "us-ca", "postalCode": "94105", "identificationType": "ssn",
        "personalTaxId": ssn,
    })
}

#[actix_web::test]
async fn every_operation_needs_a_login() {
    let api = Api::start().await;
    let anonymous = [
        ("switchAccounts", switch(&api, "0190b5c2-7a4e-7c3d-9f21-5b8e2d4c1a00").await),
        ("publicAccountBySlug", api.graphql(PUBLIC, json!({ "slug": "acme" })).await),
        ("updatePerson", update_person(&api, json!({ "phone": "5713886974" })).await),
    ];
    for (field, answer) in anonymous {
        answer.assert_refused(field, "I-4100", "You must be logged in.");
    }
    // Non-null list fields: the refusal nulls `data` itself.
    for (field, query) in [("accounts", ACCOUNTS), ("companyOfficers", OFFICERS)] {
        let answer = api.graphql(query, json!({})).await;
        assert_eq!(answer.error_code(), Some("I-4100"), "{field}: {:?}", answer.body);
        assert_eq!(answer.error_message(), Some("You must be logged in. (I-4100)"));
        assert_eq!(answer.body["data"], Value::Null);
    }
}

#[actix_web::test]
async fn switching_moves_the_session_to_the_other_account_with_a_new_id() {
    let api = Api::start().await;
    let signed_up = api.sign_up_seed().await;
    let business = text(&signed_up.body["data"]["createLoginPersonAndAccount"]["user"]["account"]["id"]);
    let login_id = signed_up.body["data"]["createLoginPersonAndAccount"]["user"]["loginId"].clone();
    let personal = add_account(&api, "PERSONAL").await;
    let other_device = api.client();
    other_device.login(SEED_EMAIL, SEED_PASSWORD).await.assert_ok();
    let old_cookie = api.cookie();

    let answer = switch(&api, &business).await;
    let user = &answer.assert_ok()["switchAccounts"]["user"];
    assert_eq!(user["account"], json!({ "id": business, "accountType": "BUSINESS", "status": "NOT_SETUP" }));
    assert_eq!((user["loginId"].clone(), user["numAccounts"].clone()), (login_id, json!(2)));
    assert_eq!((user["person"]["email"].as_str(), user["emailVerified"].as_bool()), (Some(SEED_EMAIL), Some(false)));
    assert!(answer.session_cookie().is_some() && api.cookie() != old_cookie, "the session id is renewed");
    assert_eq!(current_account_id(&api).await, business);
    let replayed = api.client();
    replayed.set_cookie(old_cookie);
    replayed.account_id().await.assert_refused("account", "I-4100", "You must be logged in.");
    // A business operation now runs: the session's account type moved with it.
    api.graphql(OFFICERS, json!({})).await.assert_ok();

    // Switching to the current account is a switch like any other.
    let before = api.cookie();
    let again = switch(&api, &business).await;
    again.assert_ok();
    assert!(api.cookie() != before, "renewed again");
    switch(&api, &personal).await.assert_ok();
    assert_eq!(current_account_id(&api).await, personal);
    // Other sessions of the login keep their own current account (login landed on the oldest, the business).
    assert_eq!(current_account_id(&other_device).await, business);
}

#[actix_web::test]
async fn an_account_of_another_person_answers_like_an_unknown_id() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    let mine = current_account_id(&api).await;
    let stranger = api.client();
    stranger.sign_up_person("stranger@example.com").await;
    let theirs = current_account_id(&stranger).await;

    for id in [theirs.as_str(), "0190b5c2-7a4e-7c3d-9f21-5b8e2d4c1a00", "not-an-id", ""] {
        let cookie = api.cookie();
        let answer = switch(&api, id).await;
        answer.assert_refused("switchAccounts", "I-4410", NOT_OWNER);
        assert!(answer.session_cookie().is_none() && api.cookie() == cookie, "a refusal leaves the session alone");
    }
    assert_eq!(current_account_id(&api).await, mine);
    assert_eq!(current_account_id(&stranger).await, theirs, "the other person's session is untouched");
}

#[actix_web::test]
async fn a_deactivated_account_cannot_be_switched_to_and_a_disabled_one_can() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    let business = current_account_id(&api).await;
    let personal = add_account(&api, "PERSONAL").await;
    let closed = api.graphql(DEACTIVATE, json!({ "p": SEED_PASSWORD, "r": "not needed" })).await.assert_ok().clone();
    assert_eq!(closed["deactivateAccount"]["message"], "Your account has been deactivated.");
    assert_eq!(current_account_id(&api).await, business);
    switch(&api, &personal).await.assert_refused("switchAccounts", "I-4411", DEACTIVATED);

    api.admin(&["disable-account", &business]).await;
    let answer = switch(&api, &business).await;
    assert_eq!(answer.assert_ok()["switchAccounts"]["user"]["account"]["status"], "DISABLED");
}

#[actix_web::test]
async fn accounts_lists_the_persons_open_accounts_oldest_first() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    let business = current_account_id(&api).await;
    let stranger = api.client();
    stranger.sign_up_person("stranger@example.com").await;

    let listed = api.graphql(ACCOUNTS, json!({})).await.assert_ok()["accounts"].clone();
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    assert_eq!(
        (listed[0]["id"].as_str(), listed[0]["accountType"].as_str(), listed[0]["status"].as_str()),
        (Some(business.as_str()), Some("BUSINESS"), Some("NOT_SETUP"))
    );
    let personal = add_account(&api, "PERSONAL").await;
    api.admin(&["disable-account", &business]).await;
    let listed = api.graphql(ACCOUNTS, json!({})).await.assert_ok()["accounts"].clone();
    let summary: Vec<(String, String)> =
        listed.as_array().expect("a list").iter().map(|a| (text(&a["id"]), text(&a["status"]))).collect();
    assert_eq!(summary, vec![(business.clone(), "DISABLED".to_owned()), (personal.clone(), "NOT_SETUP".to_owned())]);
    // Each entry is exactly what `account` shows for it.
    let account = api.graphql(&ACCOUNTS.replace("accounts", "account"), json!({})).await.assert_ok()["account"].clone();
    assert_eq!(listed[1], account);

    api.graphql(DEACTIVATE, json!({ "p": SEED_PASSWORD, "r": "not needed" })).await.assert_ok();
    let listed = api.graphql(ACCOUNTS, json!({})).await.assert_ok()["accounts"].clone();
    let ids: Vec<String> = listed.as_array().expect("a list").iter().map(|a| text(&a["id"])).collect();
    assert_eq!(ids, vec![business], "a deactivated account is left out");
    let theirs = stranger.graphql(ACCOUNTS, json!({})).await.assert_ok()["accounts"].clone();
    assert_eq!(theirs.as_array().map(Vec::len), Some(1));
    assert_eq!(theirs[0]["accountType"], "PERSONAL", "nobody sees another person's accounts");
}

#[actix_web::test]
async fn accounts_ends_a_session_whose_person_is_gone() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    {
        use store::schema::{accounts, email_verification_tokens, logins, persons};
        let mut conn = api.state.pool.get().expect("connection");
        diesel::delete(email_verification_tokens::table).execute(&mut conn).expect("tokens removed");
        diesel::delete(logins::table).execute(&mut conn).expect("logins removed");
        diesel::delete(accounts::table).execute(&mut conn).expect("accounts removed");
        diesel::delete(persons::table).execute(&mut conn).expect("persons removed");
    }
    let answer = api.graphql(ACCOUNTS, json!({})).await;
    assert_eq!(answer.error_code(), Some("I-4101"), "{:?}", answer.body);
    assert_eq!(answer.error_message(), Some("Invalid email or password. Please try again. (I-4101)"));
    let again = api.graphql(ACCOUNTS, json!({})).await;
    assert_eq!(again.error_code(), Some("I-4100"), "the session was deleted: {:?}", again.body);
}

#[actix_web::test]
async fn a_business_is_found_by_its_handle_ignoring_case() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    submit_setup(&api, business_setup("AcmeWidgets", "Acme Widgets")).await;
    let payer = api.client();
    payer.sign_up_person("payer@example.com").await;

    for slug in ["AcmeWidgets", "acmewidgets", "  ACMEWIDGETS "] {
        let answer = payer.graphql(PUBLIC, json!({ "slug": slug })).await;
        assert_eq!(
            answer.assert_ok()["publicAccountBySlug"],
            json!({ "accountType": "BUSINESS", "displayName": "Acme Widgets", "currency": "USD", "slug": "AcmeWidgets" })
        );
    }
    // Its own owner may look it up too.
    api.graphql(PUBLIC, json!({ "slug": "acmeWidgets" })).await.assert_ok();
    for slug in ["nobody", "@AcmeWidgets", "Acme-Widgets", "ab", "", &"a".repeat(30), "admin"] {
        payer.graphql(PUBLIC, json!({ "slug": slug })).await.assert_refused("publicAccountBySlug", "I-5103", NO_HANDLE);
    }
}

#[actix_web::test]
async fn personal_and_closed_accounts_are_not_found_by_handle() {
    let api = Api::start().await;
    api.sign_up_person("jane@example.com").await;
    submit_setup(&api, personal_setup("JaneDoe", "123-45-6789")).await;
    api.graphql(PUBLIC, json!({ "slug": "janedoe" })).await.assert_refused(
        "publicAccountBySlug",
        "I-5104",
        NO_BUSINESS,
    );

    let business = api.client();
    business.sign_up_seed().await;
    submit_setup(&business, business_setup("AcmeWidgets", "Acme Widgets")).await;
    let business_id = current_account_id(&business).await;
    api.admin(&["disable-account", &business_id]).await;
    api.graphql(PUBLIC, json!({ "slug": "AcmeWidgets" })).await.assert_refused(
        "publicAccountBySlug",
        "I-5105",
        NOT_VALID,
    );
    api.admin(&["enable-account", &business_id]).await;
    api.graphql(PUBLIC, json!({ "slug": "AcmeWidgets" })).await.assert_ok();
    business.graphql(DEACTIVATE, json!({ "p": SEED_PASSWORD, "r": "closing" })).await.assert_ok();
    api.graphql(PUBLIC, json!({ "slug": "AcmeWidgets" })).await.assert_refused(
        "publicAccountBySlug",
        "I-5105",
        NOT_VALID,
    );

    // A deactivated personal account is still answered by its type first.
    api.graphql(DEACTIVATE, json!({ "p": SEED_PASSWORD, "r": "closing" })).await.assert_ok();
    let other = api.client();
    other.sign_up_person("other@example.com").await;
    other.graphql(PUBLIC, json!({ "slug": "JaneDoe" })).await.assert_refused(
        "publicAccountBySlug",
        "I-5104",
        NO_BUSINESS,
    );
}

#[actix_web::test]
async fn company_officers_lists_the_business_officers_oldest_first() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    assert_eq!(api.graphql(OFFICERS, json!({})).await.assert_ok()["companyOfficers"], json!([]));
    api.graphql(
        ADD_OFFICER,
        json!({ "data": { "name": "Bob Lee", "country": "US", "percentOfOwnership": 25.5, "type": "UBO",
                          "jobTitle": "accountant", "dateOfBirth": "1992-10-09" } }),
    )
    .await
    .assert_ok();
    api.graphql(
        ADD_OFFICER,
        json!({ "data": { "name": "Ann Lee", "percentOfOwnership": 50, "type": "CEO",
                          "jobTitle": "Chief Executive Officer",
                          "uploadedId": { "documentType": "PASSPORT", "documentNumber": "P1234567",
                                          "issuingCountry": "US", "expiryDate": "2035-01-01" } } }),
    )
    .await
    .assert_ok();
    let stranger = api.client();
    stranger
        .sign_up(json!({ "accountType": "BUSINESS", "country": "US", "email": "other@example.com",
                         "password": SEED_PASSWORD, "signUpSecret": crate::harness::SIGNUP_CODE }))
        .await
        .assert_ok();

    let answer = api.graphql(OFFICERS, json!({})).await;
    let officers = answer.assert_ok()["companyOfficers"].as_array().expect("a list").clone();
    assert_eq!(officers.len(), 2);
    let without_ids: Vec<Value> = officers
        .iter()
        .map(|o| {
            let mut o = o.clone();
            let object = o.as_object_mut().expect("an object");
            assert!(object.remove("id").is_some_and(|id| id.is_string()));
            assert!(object.remove("createdAt").is_some_and(|at| at.as_str().is_some_and(|t| t.ends_with('Z'))));
            o
        })
        .collect();
    assert_eq!(
        without_ids,
        vec![
            json!({ "name": "Bob Lee", "percentOfOwnership": 25.5, "type": "UBO",
                    "dateOfBirth": "1992-10-09T00:00:00.000Z", "jobTitle": "Accountant", "country": "US",
                    "uploadedId": false, "identityCheckStatus": "NOT_STARTED", "submitted": false }),
            json!({ "name": "Ann Lee", "percentOfOwnership": 50.0, "type": "CEO", "dateOfBirth": null,
                    "jobTitle": "Chief Executive Officer", "country": null, "uploadedId": true,
                    "identityCheckStatus": "PENDING", "submitted": false }),
        ]
    );
    assert!(!answer.body.to_string().contains("P1234567") && !answer.body.to_string().contains("4567"));
    assert_eq!(stranger.graphql(OFFICERS, json!({})).await.assert_ok()["companyOfficers"], json!([]));

    // A disabled business can still read its officers.
    let business = current_account_id(&api).await;
    api.admin(&["disable-account", &business]).await;
    let listed = api.graphql(OFFICERS, json!({})).await;
    assert_eq!(listed.assert_ok()["companyOfficers"].as_array().map(Vec::len), Some(2));
}

#[actix_web::test]
async fn company_officers_are_for_business_accounts_only() {
    let api = Api::start().await;
    api.sign_up_person("jane@example.com").await;
    let answer = api.graphql(OFFICERS, json!({})).await;
    assert_eq!(answer.error_code(), Some("I-4105"), "{:?}", answer.body);
    assert_eq!(answer.error_message(), Some("This is only available to business accounts. (I-4105)"));
}

#[actix_web::test]
async fn update_person_stores_the_phone_in_national_digits() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    assert_updated(&update_person(&api, json!({})).await);
    assert_eq!(person(&api).await, json!({ "phone": null, "phoneCountryCode": null, "personalTaxId": null }));
    assert_updated(&update_person(&api, json!({ "phone": "(571) 388-6974" })).await);
    assert_eq!(person(&api).await, json!({ "phone": "5713886974", "phoneCountryCode": "US", "personalTaxId": null }));
    assert_updated(&update_person(&api, json!({ "phone": "020 7946 0958", "phoneCountryCode": "GB" })).await);
    assert_eq!(person(&api).await, json!({ "phone": "2079460958", "phoneCountryCode": "GB", "personalTaxId": null }));
    assert_updated(&update_person(&api, json!({ "phone": "   " })).await);
    assert_eq!(person(&api).await["phone"], "2079460958", "an empty string leaves the phone as it is");

    let refused = [
        json!({ "phone": null }),
        json!({ "phoneCountryCode": null }),
        json!({ "phone": "123" }),
        json!({ "phone": "+1 571 388 6974" }),
        // No calling code.
        json!({ "phoneCountryCode": "AQ" }),
        json!({ "phone": "5713886974", "phoneCountryCode": "AQ" }),
        // Rule 2 comes before rule 3: nothing is saved.
        json!({ "phone": "123", "personalTaxId": "123-45-6789" }),
    ];
    for data in refused {
        update_person(&api, data.clone()).await.assert_refused("updatePerson", "I-4415", BAD_PHONE);
    }
    assert_eq!(person(&api).await, json!({ "phone": "2079460958", "phoneCountryCode": "GB", "personalTaxId": null }));
}

#[actix_web::test]
async fn update_person_checks_the_tax_id_for_the_current_accounts_country() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    for data in
        [json!({ "personalTaxId": null }), json!({ "personalTaxId": "12" }), json!({ "personalTaxId": "ABC-DE-FGHI" })]
    {
        update_person(&api, data).await.assert_refused("updatePerson", "I-4318", BAD_TAX_ID);
    }
    assert_updated(&update_person(&api, json!({ "personalTaxId": "123-45-6789", "phone": "5713886974" })).await);
    assert_eq!(
        person(&api).await,
        json!({ "phone": "5713886974", "phoneCountryCode": "US", "personalTaxId": "*****6789" })
    );
    // The same number again, in another spelling, passes and changes nothing.
    assert_updated(&update_person(&api, json!({ "personalTaxId": " 123 45 6789 " })).await);

    let other = api.client();
    other.sign_up_person("other@example.com").await;
    update_person(&other, json!({ "personalTaxId": "123456789" })).await.assert_refused(
        "updatePerson",
        "I-4312",
        TAX_ID_TAKEN,
    );
    assert_eq!(person(&other).await["personalTaxId"], Value::Null);
    // Not yet sent to the financial provider: its data check does not run.
    assert_updated(&update_person(&other, json!({ "personalTaxId": "987-65-9999" })).await);
    assert_eq!(person(&other).await["personalTaxId"], "*****9999");
    assert!(!api.graphql(PERSON, json!({})).await.body.to_string().contains("9999"), "no other person's data");
}

#[actix_web::test]
async fn a_person_known_to_the_provider_keeps_everything_when_it_refuses_the_new_tax_id() {
    let api = Api::start().await;
    api.sign_up_person("jane@example.com").await;
    submit_setup(&api, personal_setup("JaneDoe", "123-45-6789")).await;
    let before = person(&api).await;
    assert_eq!(before, json!({ "phone": "5713886974", "phoneCountryCode": "US", "personalTaxId": "*****6789" }));
    update_person(&api, json!({ "phone": "(202) 555-0143", "personalTaxId": "123-45-9999" })).await.assert_refused(
        "updatePerson",
        "E-0014",
        PROVIDER_REFUSED,
    );
    assert_eq!(person(&api).await, before, "nothing is saved, the phone included");
    // The disabled account's owner still manages the person, and the provider accepts an ordinary number.
    let account = current_account_id(&api).await;
    api.admin(&["disable-account", &account]).await;
    assert_updated(&update_person(&api, json!({ "phone": "(202) 555-0143", "personalTaxId": "123-45-6780" })).await);
    assert_eq!(
        person(&api).await,
        json!({ "phone": "2025550143", "phoneCountryCode": "US", "personalTaxId": "*****6780" })
    );
}
