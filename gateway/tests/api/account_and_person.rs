use diesel::prelude::*;
use serde_json::{Value, json};

use crate::harness::{Api, SEED_EMAIL};

const ACCOUNT_FIELDS: &str = "id slug status name displayName phoneCountryCode phone addressLine1 addressLine2 city zoneCode postalCode currency accountType country identificationType industry businessType businessTaxId preferredBankAccountId incorporationDocumentFilename paymentSavingTotal beneficiarySavingTotal uboInfoRequired redirectUrl createdAt";
const PERSON_FIELDS: &str = "id firstName middleName lastName email emailVerified phoneCountryCode phone personalTaxId dateOfBirth citizenship uploadedId identityCheckStatus";

#[actix_web::test]
async fn anonymous_callers_must_log_in() {
    let api = Api::start().await;
    let answer = api.graphql(&format!("query {{ account {{ {ACCOUNT_FIELDS} }} }}"), json!({})).await;
    answer.assert_refused("account", "I-4100", "You must be logged in.");
    let answer = api.graphql(&format!("query {{ person {{ {PERSON_FIELDS} }} }}"), json!({})).await;
    answer.assert_refused("person", "I-4100", "You must be logged in.");
}

#[actix_web::test]
async fn a_new_personal_account_has_only_its_creation_data() {
    let api = Api::start().await;
    let signed_up = api.sign_up_person("jane@example.com").await;
    let answer = api.graphql(&format!("query {{ account {{ {ACCOUNT_FIELDS} }} }}"), json!({})).await;
    let account = &answer.assert_ok()["account"];
    assert_eq!(account["id"], signed_up.body["data"]["createLoginPersonAndAccount"]["user"]["account"]["id"]);
    let set: Vec<&str> = vec!["id", "status", "currency", "accountType", "country", "uboInfoRequired", "createdAt"];
    for (field, value) in account.as_object().expect("object") {
        if !set.contains(&field.as_str()) {
            assert_eq!(value, &Value::Null, "{field} should be null on a NOT_SETUP account");
        }
    }
    assert_eq!((account["status"].as_str(), account["accountType"].as_str()), (Some("NOT_SETUP"), Some("PERSONAL")));
    assert_eq!((account["country"].as_str(), account["currency"].as_str()), (Some("US"), Some("USD")));
    assert_eq!(account["uboInfoRequired"], false);
    let created = account["createdAt"].as_str().expect("createdAt");
    assert!(
        regex_lite::Regex::new(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$").expect("regex").is_match(created),
        "{created}"
    );
}

#[actix_web::test]
async fn a_business_in_a_ubo_country_owes_its_officers() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    let answer = api.graphql("query { account { accountType uboInfoRequired } }", json!({})).await;
    assert_eq!(answer.assert_ok()["account"], json!({ "accountType": "BUSINESS", "uboInfoRequired": true }));

    let outside = Api::start_with(&[("UBO_REQUIRED_COUNTRIES", "GB")]).await;
    outside.sign_up_seed().await;
    let answer = outside.graphql("query { account { uboInfoRequired } }", json!({})).await;
    assert_eq!(answer.assert_ok()["account"]["uboInfoRequired"], false);
}

#[actix_web::test]
async fn the_person_is_the_one_behind_the_login() {
    let api = Api::start().await;
    let signed_up = api.sign_up_seed().await;
    let answer = api.graphql(&format!("query {{ person {{ {PERSON_FIELDS} }} }}"), json!({})).await;
    let person = &answer.assert_ok()["person"];
    assert_eq!(person["id"], signed_up.body["data"]["createLoginPersonAndAccount"]["user"]["person"]["id"]);
    assert_eq!(
        *person,
        json!({
            "id": person["id"], "firstName": null, "middleName": null, "lastName": null, "email": SEED_EMAIL,
            "emailVerified": false, "phoneCountryCode": null, "phone": null, "personalTaxId": null, "dateOfBirth": null,
            "citizenship": null, "uploadedId": false, "identityCheckStatus": "NOT_STARTED"
        })
    );
}

#[actix_web::test]
async fn a_session_whose_person_is_gone_is_ended() {
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
    api.graphql("query { person { id } }", json!({})).await.assert_refused(
        "person",
        "I-4101",
        "Invalid email or password. Please try again.",
    );
    api.account_id().await.assert_refused("account", "I-4100", "You must be logged in.");
}

#[actix_web::test]
async fn health_check_answers_ok_with_or_without_a_session() {
    let api = Api::start().await;
    let answer = api.graphql("mutation { healthCheck { message } }", json!({})).await;
    assert_eq!(answer.assert_ok()["healthCheck"]["message"], "OK");
    api.sign_up_seed().await;
    api.graphql("mutation { healthCheck { message } }", json!({})).await.assert_ok();
}
