//! Every operation of the Account Setup, Account Services and Verification groups that needs a session, called without one,
//! from a PERSONAL account where only a business may call, and with ids of another account: each answers the
//! contract's refusal, and no answer carries another account's data.

use serde_json::{Value, json};

use crate::harness::{Answer, Api, SEED_EMAIL};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Auth {
    Login,
    Business,
}

/// Each operation with a document valid against the schema; what the arguments hold does not matter, the
/// guards come first.
const OPERATIONS: &[(&str, Auth, &str)] = &[
    ("accountSetupSession", Auth::Login, "{ accountSetupSession { accountType } }"),
    ("isValidPersonalTaxId", Auth::Login, r#"{ isValidPersonalTaxId(personalTaxId: "123-45-6789") { message } }"#),
    ("isValidBusinessTaxId", Auth::Business, r#"{ isValidBusinessTaxId(businessTaxId: "12-3456789") { message } }"#),
    ("canSubmitCompanyOfficers", Auth::Business, "{ canSubmitCompanyOfficers { message } }"),
    ("account", Auth::Login, "{ account { id } }"),
    ("accounts", Auth::Login, "{ accounts { id } }"),
    ("person", Auth::Login, "{ person { id } }"),
    ("bankAccounts", Auth::Login, "{ bankAccounts { id } }"),
    ("companyOfficers", Auth::Business, "{ companyOfficers { name } }"),
    ("publicAccountBySlug", Auth::Login, r#"{ publicAccountBySlug(slug: "someone") { slug } }"#),
    ("addAccountToPerson", Auth::Login, "mutation { addAccountToPerson(accountType: PERSONAL) { user { loginId } } }"),
    (
        "addCompanyOfficerToAccount",
        Auth::Business,
        r#"mutation { addCompanyOfficerToAccount(data: { name: "Ada Lovelace", percentOfOwnership: 30, type: UBO }) { message } }"#,
    ),
    ("createAccountSetupSession", Auth::Login, "mutation { createAccountSetupSession { message } }"),
    ("deactivateAccount", Auth::Login, r#"mutation { deactivateAccount(password: "x", reason: "y") { message } }"#),
    ("resendEmailVerification", Auth::Login, "mutation { resendEmailVerification { message } }"),
    ("submitAccountSetupSession", Auth::Login, "mutation { submitAccountSetupSession { message } }"),
    ("submitCompanyOfficers", Auth::Business, "mutation { submitCompanyOfficers { message } }"),
    (
        "updateAccountSetupSession",
        Auth::Login,
        r#"mutation { updateAccountSetupSession(data: { city: "Boston" }) { message } }"#,
    ),
    (
        "addBankAccount",
        Auth::Login,
        r#"mutation { addBankAccount(data: { yodleeBankAccountId: "10001" }) { message } }"#,
    ),
    ("changePassword", Auth::Login, r#"mutation { changePassword(oldPassword: "x", newPassword: "y") { message } }"#),
    (
        "changePreferredBankAccount",
        Auth::Login,
        r#"mutation { changePreferredBankAccount(bankAccountId: "0190b5c2-7a4e-7c3d-9f21-5b8e2d4c1a00") { message } }"#,
    ),
    (
        "switchAccounts",
        Auth::Login,
        r#"mutation { switchAccounts(accountId: "0190b5c2-7a4e-7c3d-9f21-5b8e2d4c1a00") { user { loginId } } }"#,
    ),
    ("updatePerson", Auth::Login, r#"mutation { updatePerson(data: { phone: "(571) 388-6974" }) { message } }"#),
    ("updateAccount", Auth::Login, r#"mutation { updateAccount(data: { city: "Boston" }) { message } }"#),
    (
        "sendInvitationEmail",
        Auth::Login,
        r#"mutation { sendInvitationEmail(toEmail: "friend@example.com") { message } }"#,
    ),
    (
        "sendInvitedRegisterEmail",
        Auth::Login,
        r#"mutation { sendInvitedRegisterEmail(email: "friend@example.com") { message } }"#,
    ),
    ("embedOnfido", Auth::Login, "mutation { embedOnfido { applicantId } }"),
    (
        "addOnfidoDocumentToPerson",
        Auth::Login,
        r#"mutation { addOnfidoDocumentToPerson(applicantId: "0190b5c2-7a4e-7c3d-9f21-5b8e2d4c1a00") { message } }"#,
    ),
    ("embedVerificationService", Auth::Login, "{ embedVerificationService { url } }"),
];

/// Nothing of `other` (its email, its account id) appears in `answer`.
#[track_caller]
fn carries_nothing_of(answer: &Answer, other: &[&str]) {
    let text = answer.body.to_string();
    for datum in other {
        assert!(!text.contains(datum), "{datum} leaked into {text}");
    }
}

async fn seed_account_id(api: &Api) -> String {
    api.sign_up_seed().await;
    let answer = api.graphql("{ account { id } }", json!({})).await;
    answer.assert_ok()["account"]["id"].as_str().expect("id").to_owned()
}

#[actix_web::test]
async fn without_a_session_every_login_and_business_operation_answers_i4100() {
    let api = Api::start().await;
    let seed = seed_account_id(&api).await;
    let anonymous = api.client();
    for (operation, _, document) in OPERATIONS {
        let answer = anonymous.graphql(document, json!({})).await;
        answer.assert_refused(operation, "I-4100", "You must be logged in.");
        carries_nothing_of(&answer, &[SEED_EMAIL, &seed]);
    }
}

#[actix_web::test]
async fn from_a_personal_account_every_business_operation_answers_i4105() {
    let api = Api::start().await;
    let seed = seed_account_id(&api).await;
    let person = api.client();
    person.sign_up_person("jane@example.com").await;
    for (operation, auth, document) in OPERATIONS {
        if *auth == Auth::Business {
            let answer = person.graphql(document, json!({})).await;
            answer.assert_refused(operation, "I-4105", "This is only available to business accounts.");
            carries_nothing_of(&answer, &[SEED_EMAIL, &seed]);
        }
    }
}

#[actix_web::test]
async fn ids_of_another_account_answer_exactly_like_ids_that_do_not_exist() {
    let api = Api::start().await;
    let seed = seed_account_id(&api).await;
    api.graphql(r#"mutation { addBankAccount(data: { yodleeBankAccountId: "10001" }) { message } }"#, json!({}))
        .await
        .assert_ok();
    let seed_bank = api.graphql("{ bankAccounts { id } }", json!({})).await.assert_ok()["bankAccounts"][0]["id"]
        .as_str()
        .expect("a bank account id")
        .to_owned();
    let seed_applicant = api.graphql("mutation { embedOnfido { applicantId } }", json!({})).await.assert_ok()
        ["embedOnfido"]["applicantId"]
        .as_str()
        .expect("an applicant id")
        .to_owned();
    let stranger = api.client();
    stranger.sign_up_person("jane@example.com").await;
    let unknown = "0190b5c2-7a4e-7c3d-9f21-5b8e2d4c1a00";
    let cases: [(&str, &str, &str); 3] = [
        ("switchAccounts", "mutation($id: ID!) { switchAccounts(accountId: $id) { user { loginId } } }", &seed),
        (
            "changePreferredBankAccount",
            "mutation($id: ID!) { changePreferredBankAccount(bankAccountId: $id) { message } }",
            &seed_bank,
        ),
        (
            "addOnfidoDocumentToPerson",
            "mutation($id: ID!) { addOnfidoDocumentToPerson(applicantId: $id) { message } }",
            &seed_applicant,
        ),
    ];
    for (operation, document, theirs) in cases {
        let for_theirs = stranger.graphql(document, json!({ "id": theirs })).await;
        let for_unknown = stranger.graphql(document, json!({ "id": unknown })).await;
        let refusal = |answer: &Answer| -> (Option<String>, Option<String>, Value) {
            (
                answer.error_code().map(str::to_owned),
                answer.error_message().map(str::to_owned),
                answer.body["data"].clone(),
            )
        };
        assert!(for_theirs.error_code().is_some(), "{operation}: {:?}", for_theirs.body);
        assert_eq!(refusal(&for_theirs), refusal(&for_unknown), "{operation}");
        carries_nothing_of(&for_theirs, &[SEED_EMAIL, &seed, &seed_bank, &seed_applicant]);
    }
}
