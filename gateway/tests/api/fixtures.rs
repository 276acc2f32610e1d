//! Data and steps several test files share: what a US account needs to submit its setup.

use serde_json::{Value, json};

use crate::harness::Client;

/// The seed's setup data for a US PERSONAL account.
pub fn personal_setup(slug: &str, last_name: &str) -> Value {
    json!({
        "slug": slug, "firstName": "Jane", "lastName": last_name, "dateOfBirth": "1990-06-12",
        "citizenship": "US", "phoneCountryCode": "US", "phone": "(571) 388-6974", "addressLine1": "1 Market Street",
        "city": "San Francisco", "zoneCode": "us-ca", "postalCode": "94105", "identificationType": "ssn",
        "personalTaxId": "123-45-6789",
    })
}

/// The seed's setup data for a US BUSINESS account.
pub fn business_setup(slug: &str) -> Value {
    json!({
        "slug": slug, "name": "Acme Widgets LLC", "businessType": "limited liability company",
        "identificationType": "EmployerIdentificationNumber_EIN", "businessTaxId": "12-3456789", "industry": "423430",
        "addressLine1": "1 Market Street", "city": "San Francisco", "zoneCode": "US-CA", "postalCode": "94105",
        "zoneCodeOfIncorporation": "us-de", "firstName": "Jane", "lastName": "Smith", "dateOfBirth": "1985-03-14",
        "jobTitle": "chief executive officer", "phone": "(571) 388-6974", "phoneCountryCode": "US",
        "estimatedMonthlyVolume": 25000.5, "estimatedMonthlyTransactions": 40, "businessSize": 12,
    })
}

/// Creates, fills with `data` and submits the current account's setup session.
pub async fn submit_setup(client: &Client, data: Value) {
    client.graphql("mutation { createAccountSetupSession { message } }", json!({})).await.assert_ok();
    client
        .graphql(
            "mutation($data: UpdateAccountSetupSessionInput!) { updateAccountSetupSession(data: $data) { message } }",
            json!({ "data": data }),
        )
        .await
        .assert_ok();
    client.graphql("mutation { submitAccountSetupSession { message } }", json!({})).await.assert_ok();
}

/// A tax id that differs from one slug to another (tax ids are unique per person or account): `(ssn, ein)`,
/// both of a valid US form.
pub fn tax_ids(slug: &str) -> (String, String) {
    let hash = slug
        .to_lowercase()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    (
        format!("2{:02}-45-{:04}", hash % 100, 1000 + (hash / 100) % 9000),
        format!("12-{:07}", 1_000_000 + (hash / 1_000_000) % 9_000_000),
    )
}

/// Opens the newest email-verification link sent to `email`, as the person's browser would.
pub async fn confirm_email(api: &crate::harness::Api, email: &str) {
    let mail = api.mailbox(email).await;
    let link = mail
        .iter()
        .find(|m| m["template"] == "email_verification")
        .and_then(|m| m["links"][0].as_str())
        .expect("a verification link");
    let path = link.split_once("/verify-email").map(|(_, rest)| format!("/verify-email{rest}")).expect("path");
    assert_eq!(api.client().get(&path).await.status, actix_web::http::StatusCode::OK);
}

/// Attaches an identity document to the client's person (embedOnfido, then addOnfidoDocumentToPerson); the
/// local provider's check ends CLEAR 10 seconds later on the manual clock.
pub async fn attach_identity_document(client: &Client) {
    let embedded = client.graphql("mutation { embedOnfido { applicantId } }", json!({})).await;
    let applicant = embedded.assert_ok()["embedOnfido"]["applicantId"].as_str().expect("an applicant id").to_owned();
    client
        .graphql(
            "mutation($id: ID!) { addOnfidoDocumentToPerson(applicantId: $id) { message } }",
            json!({ "id": applicant }),
        )
        .await
        .assert_ok();
}

/// The current account's status and id.
pub async fn current_account_status(client: &Client) -> (String, String) {
    let answer = client.graphql("query { account { id status } }", json!({})).await;
    let account = &answer.assert_ok()["account"];
    (
        account["id"].as_str().expect("account id").to_owned(),
        account["status"].as_str().expect("account status").to_owned(),
    )
}

/// Links the bank-link fixture 10001 (USD/US, FULLY_VERIFIED at once) to the current account; as its first bank
/// account it becomes the preferred one. Answers the bank account's id.
pub async fn link_verified_bank_account(client: &Client) -> String {
    let added = client
        .graphql(
            "mutation($data: AddBankAccountInput!) { addBankAccount(data: $data) { message } }",
            json!({ "data": { "yodleeBankAccountId": "10001" } }),
        )
        .await;
    assert_eq!(added.assert_ok()["addBankAccount"]["message"], "Bank successfully added!");
    let answer = client
        .graphql(
            "query { bankAccounts { id status preferredBankAccount } account { preferredBankAccountId } }",
            json!({}),
        )
        .await;
    let data = answer.assert_ok();
    let preferred = data["account"]["preferredBankAccountId"].as_str().expect("a preferred bank account").to_owned();
    let listed = data["bankAccounts"].as_array().expect("bank accounts");
    let entry = listed.iter().find(|a| a["id"] == preferred.as_str()).expect("the preferred one is listed");
    assert_eq!((&entry["status"], &entry["preferredBankAccount"]), (&json!("FULLY_VERIFIED"), &json!(true)));
    preferred
}

/// Signs up a US PERSONAL account on `client` (which then holds its session) and walks it to VERIFIED through
/// the API: email confirmed from the mailbox, setup submitted with `slug` as its PayMe handle, identity
/// document attached and the clock moved 10 seconds. No bank account. Answers the account id.
pub async fn verify_personal(api: &crate::harness::Api, client: &Client, email: &str, slug: &str) -> String {
    client.sign_up_person(email).await;
    confirm_email(api, email).await;
    let mut data = personal_setup(slug, "Doe");
    data["personalTaxId"] = json!(tax_ids(slug).0);
    submit_setup(client, data).await;
    attach_identity_document(client).await;
    api.advance(chrono::TimeDelta::seconds(10)).await;
    let (account, status) = current_account_status(client).await;
    assert_eq!(status, "VERIFIED", "{email}");
    account
}

/// [`verify_personal`], then a FULLY_VERIFIED preferred bank account (USD): an account that may pay and be
/// paid. Answers the account id.
pub async fn verified_personal(api: &crate::harness::Api, client: &Client, email: &str, slug: &str) -> String {
    let account = verify_personal(api, client, email, slug).await;
    link_verified_bank_account(client).await;
    account
}

/// Signs up a US BUSINESS account (USD) on `client` and walks it to VERIFIED through the API, with `slug` as its
/// PayMe handle and a FULLY_VERIFIED preferred bank account. The server must not require company officers for
/// US businesses: start it with `UBO_REQUIRED_COUNTRIES=GB`. Answers the account id.
pub async fn verified_business(api: &crate::harness::Api, client: &Client, email: &str, slug: &str) -> String {
    client
        .sign_up(json!({ "accountType": "BUSINESS", "country": "US", "currency": "USD", "email": email,
                         "password": crate::harness::SEED_PASSWORD, "signUpSecret": crate::harness::SIGNUP_CODE }))
        .await
        .assert_ok();
    confirm_email(api, email).await;
    let mut data = business_setup(slug);
    data["businessTaxId"] = json!(tax_ids(slug).1);
    submit_setup(client, data).await;
    attach_identity_document(client).await;
    api.advance(chrono::TimeDelta::seconds(10)).await;
    let (account, status) = current_account_status(client).await;
    assert_eq!(status, "VERIFIED", "{email} (is UBO_REQUIRED_COUNTRIES=GB set?)");
    link_verified_bank_account(client).await;
    account
}

/// [`personal_setup`] with `slug` as the PayMe handle and a personal tax id of its own.
pub fn unique_personal_setup(slug: &str) -> Value {
    let mut data = personal_setup(slug, "Doe");
    data["personalTaxId"] = json!(tax_ids(slug).0);
    data
}

/// [`business_setup`] with `slug` as the PayMe handle and a business tax id of its own, for a person who already
/// has an account (the person's name and birth date are taken from it).
pub fn second_business_setup(slug: &str) -> Value {
    let mut data = business_setup(slug);
    for prefilled in ["firstName", "lastName", "dateOfBirth"] {
        data.as_object_mut().expect("an object").remove(prefilled);
    }
    data["businessTaxId"] = json!(tax_ids(slug).1);
    data
}

/// Signs up an account of `account_type` in `country` and `currency` on `client` and links the bank-link
/// fixture `yodlee_id` (of that country and currency) as its FULLY_VERIFIED preferred bank account. The account
/// stays NOT_SETUP: it cannot pay, but it can be paid. Answers the account id.
pub async fn payable_account(
    client: &Client,
    email: &str,
    account_type: &str,
    (country, currency): (&str, &str),
    yodlee_id: &str,
) -> String {
    client
        .sign_up(json!({ "accountType": account_type, "country": country, "currency": currency, "email": email,
                         "password": crate::harness::SEED_PASSWORD, "signUpSecret": crate::harness::SIGNUP_CODE }))
        .await
        .assert_ok();
    link_bank_link_fixture(client, yodlee_id).await;
    current_account_status(client).await.0
}

/// Links the bank-link fixture `yodlee_id` to the current account (or refreshes it when already linked) and
/// answers the id of the current account's preferred bank account.
pub async fn link_bank_link_fixture(client: &Client, yodlee_id: &str) -> String {
    client
        .graphql(
            "mutation($data: AddBankAccountInput!) { addBankAccount(data: $data) { message } }",
            json!({ "data": { "yodleeBankAccountId": yodlee_id } }),
        )
        .await
        .assert_ok();
    let answer = client.graphql("query { account { preferredBankAccountId } }", json!({})).await;
    answer.assert_ok()["account"]["preferredBankAccountId"].as_str().expect("a preferred bank account").to_owned()
}

/// The service clock's current instant (an advance of zero seconds, which also runs the due jobs).
pub async fn clock_now(api: &crate::harness::Api) -> chrono::DateTime<chrono::Utc> {
    let answer = api.admin(&["clock", "advance", "0"]).await;
    let text = answer["now"].as_str().expect("the clock's now");
    chrono::DateTime::parse_from_rfc3339(text).expect("an RFC 3339 instant").with_timezone(&chrono::Utc)
}

/// A verified US payer (USD bank account) and a Canadian business that can be paid in CAD; the payer's
/// client holds a payment session to the business by email.
pub async fn payer_and_session(api: &crate::harness::Api) -> (Client, String) {
    let payer = api.client();
    verified_personal(api, &payer, "payer@example.com", "PayerOne").await;
    let business = api.client();
    payable_account(&business, "maple@example.com", "BUSINESS", ("CA", "CAD"), "10005").await;
    let created =
        payer.graphql("mutation { createPaymentSession(toEmail: \"Maple@Example.com\") { message } }", json!({})).await;
    assert_eq!(created.assert_ok()["createPaymentSession"]["message"], "Payment session created!");
    let bank = payer.graphql("query { account { preferredBankAccountId } }", json!({})).await.assert_ok()["account"]
        ["preferredBankAccountId"]
        .as_str()
        .expect("a preferred bank account")
        .to_owned();
    (payer, bank)
}

/// Prices the client's payment session: `amount` in the payer currency, dated today, fee borne by the
/// beneficiary.
pub async fn price_session(api: &crate::harness::Api, client: &Client, amount: f64) {
    let today = clock_now(api).await.date_naive().format("%Y-%m-%d").to_string();
    let answer = client
        .graphql(
            "mutation($data: UpdatePaymentSessionInput!) { updatePaymentSession(data: $data) { ... on SuccessResult { message } } }",
            json!({ "data": { "amount": amount, "description": "Invoice 1042", "valueDate": today } }),
        )
        .await;
    assert_eq!(answer.assert_ok()["updatePaymentSession"]["message"], "Payment session successfully updated");
}
