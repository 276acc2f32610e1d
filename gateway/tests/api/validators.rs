//! isValidSlug, isValidPersonalTaxId and isValidBusinessTaxId: every rule of their pages, in order, over HTTP.

use ::accounts::{BusinessTaxId, PersonalTaxId, TaxIdKey, record_business_tax_id, record_personal_tax_id};
use diesel::prelude::*;
use kernel::{AccountId, Country, PersonId};
use serde_json::json;
use store::schema::accounts;

use crate::harness::{Answer, Api, Client, SEED_PASSWORD, SIGNUP_CODE};

const SLUG: &str = "query($slug: String!) { isValidSlug(slug: $slug) { message } }";
const PERSONAL: &str = "query($id: String!) { isValidPersonalTaxId(personalTaxId: $id) { message } }";
const BUSINESS: &str = "query($id: String!) { isValidBusinessTaxId(businessTaxId: $id) { message } }";

async fn slug(client: &Client, slug: &str) -> Answer {
    client.graphql(SLUG, json!({ "slug": slug })).await
}

async fn personal(client: &Client, tax_id: &str) -> Answer {
    client.graphql(PERSONAL, json!({ "id": tax_id })).await
}

async fn business(client: &Client, tax_id: &str) -> Answer {
    client.graphql(BUSINESS, json!({ "id": tax_id })).await
}

#[track_caller]
fn assert_valid(answer: &Answer, field: &str, message: &str) {
    assert_eq!(answer.assert_ok()[field]["message"], message, "{:?}", answer.body);
}

/// A new browser signed up with an account of this type and country; answers it with its person and account.
async fn signed_up(api: &Api, account_type: &str, country: &str, email: &str) -> (Client, PersonId, AccountId) {
    let client = api.client();
    let answer = client
        .sign_up(json!({ "accountType": account_type, "country": country, "email": email, "password": SEED_PASSWORD, "signUpSecret": SIGNUP_CODE }))
        .await;
    let user = &answer.assert_ok()["createLoginPersonAndAccount"]["user"];
    let person = PersonId::from_text(user["person"]["id"].as_str().expect("person id"));
    let account = AccountId::from_text(user["account"]["id"].as_str().expect("account id"));
    (client, person, account)
}

fn key(api: &Api) -> &TaxIdKey {
    api.state.services.get::<TaxIdKey>().expect("the tax id key is wired")
}

/// Gives a person a personal tax id as submitAccountSetupSession will: through its digest.
fn holds_personal(api: &Api, person: &PersonId, country: Country, number: &str) {
    let tax_id = PersonalTaxId::parse(country, number).expect("a valid personal tax id");
    let mut conn = api.state.pool.get().expect("connection");
    record_personal_tax_id(&mut conn, key(api), person, &tax_id).expect("recorded");
}

/// Gives an account a business tax id as submitAccountSetupSession will: through its digest.
fn holds_business(api: &Api, account: &AccountId, country: Country, number: &str) {
    let tax_id = BusinessTaxId::parse(country, number).expect("a valid business tax id");
    let mut conn = api.state.pool.get().expect("connection");
    record_business_tax_id(&mut conn, key(api), account, &tax_id).expect("recorded");
}

fn set_account(api: &Api, account: &AccountId, slug: Option<&str>, status: &str) {
    let mut conn = api.state.pool.get().expect("connection");
    diesel::update(accounts::table.find(account))
        .set((accounts::slug.eq(slug), accounts::status.eq(status)))
        .execute(&mut conn)
        .expect("account updated");
}

#[actix_web::test]
async fn is_valid_slug_checks_format_then_length_then_reserved_words() {
    let api = Api::start().await;
    assert_valid(&slug(&api, "abc").await, "isValidSlug", "Valid Handle.");
    assert_valid(&slug(&api, " abc ").await, "isValidSlug", "Valid Handle.");
    assert_valid(&slug(&api, "AcmeWidgets2024").await, "isValidSlug", "Valid Handle.");
    assert_valid(&slug(&api, &"a".repeat(24)).await, "isValidSlug", "Valid Handle.");

    let format = ("I-4306", "Invalid Handle: Handle format is incorrect");
    for refused in ["abc_1", "pay-me", "testing-slug", "a b c", "café", "@acme", "acme.co", "ab-"] {
        slug(&api, refused).await.assert_refused("isValidSlug", format.0, format.1);
    }
    // Rules 1–3 in this order: 30 characters with a hyphen are a format error, not a length error.
    let long_with_hyphen = format!("{}-{}", "a".repeat(15), "b".repeat(14));
    slug(&api, &long_with_hyphen).await.assert_refused("isValidSlug", format.0, format.1);

    for short in ["ab", "", "   ", "A"] {
        slug(&api, short).await.assert_refused(
            "isValidSlug",
            "I-4307",
            "Invalid Handle: Handle must be 3 or more characters",
        );
    }
    slug(&api, &"a".repeat(25)).await.assert_refused(
        "isValidSlug",
        "I-4308",
        "Invalid Handle: Handle must be less than 25 characters",
    );
    for reserved in ["Admin", "admin", "PAYME", "graphql", "www", "undefined", "borderless"] {
        slug(&api, reserved).await.assert_refused("isValidSlug", "I-4317", "This PayMe Handle is reserved.");
    }
}

#[actix_web::test]
async fn is_valid_slug_refuses_a_handle_any_account_holds_ignoring_case() {
    let api = Api::start().await;
    let (owner, _, account) = signed_up(&api, "PERSONAL", "US", "owner@example.com").await;
    set_account(&api, &account, Some("AcmeCo"), "SETUP_SUBMITTED");
    let taken = ("I-4313", "This PayMe Handle is already taken.");
    for spelling in ["AcmeCo", "acmeco", "ACMECO", " acmeCO "] {
        slug(&api, spelling).await.assert_refused("isValidSlug", taken.0, taken.1);
    }
    // A session is ignored: the owner's own handle is answered as taken too.
    slug(&owner, "acmeco").await.assert_refused("isValidSlug", taken.0, taken.1);
    assert_valid(&slug(&owner, "AcmeCo2").await, "isValidSlug", "Valid Handle.");
    // The handle of a deactivated or disabled account is never handed out again.
    for status in ["DEACTIVATED", "DISABLED"] {
        set_account(&api, &account, Some("AcmeCo"), status);
        slug(&api, "acmeco").await.assert_refused("isValidSlug", taken.0, taken.1);
    }
    // Reserved words are refused before the taken check.
    set_account(&api, &account, Some("Admin"), "SETUP_SUBMITTED");
    slug(&api, "admin").await.assert_refused("isValidSlug", "I-4317", "This PayMe Handle is reserved.");
}

#[actix_web::test]
async fn is_valid_slug_needs_a_quoted_string() {
    let api = Api::start().await;
    let answer = api.graphql("query { isValidSlug(slug: abc) { message } }", json!({})).await;
    assert!(answer.body["errors"][0]["message"].is_string(), "{:?}", answer.body);
    assert_eq!(answer.error_code(), None, "a schema error, not a contract error: {:?}", answer.body);
}

#[actix_web::test]
async fn is_valid_personal_tax_id_needs_a_login() {
    let api = Api::start().await;
    personal(&api, "123-45-6789").await.assert_refused("isValidPersonalTaxId", "I-4100", "You must be logged in.");
    // A business account's representative gives a personal tax id too.
    api.sign_up_seed().await;
    assert_valid(&personal(&api, "123-45-6789").await, "isValidPersonalTaxId", "Valid personal tax id.");
}

#[actix_web::test]
async fn is_valid_personal_tax_id_applies_the_rule_of_the_accounts_country() {
    let api = Api::start().await;
    let invalid = ("I-4318", "This personal tax id is not valid for the account's country.");
    let cases = [
        (
            "US",
            vec!["123-45-6789", "123 45 6789", "123456789", "912-70-1234", "912.94.1234"],
            vec![
                "666-12-3456",
                "000-12-3456",
                "123-00-4567",
                "123-45-0000",
                "078-05-1120",
                "912-66-1234",
                "912-93-1234",
                "12345678",
                "test",
                "",
                " - . ",
            ],
        ),
        ("CA", vec!["130 692 544", "130-692-544"], vec!["046 454 286", "130 692 545", "830 692 544", "123456789"]),
        (
            "MX",
            vec!["GODE561231GR8", "gode-561231-gr8", "MUÑE561231GR8"],
            vec![
                "GODE561301GR8",
                "GODE010229GR8",
                "XAXX010101000",
                "XEXX010101000",
                "CACA561231GR8",
                "ABC680524P73",
                "test",
            ],
        ),
        (
            "GB",
            vec!["test", "AB 12 34 56 C", "12345678901234567890"],
            vec!["abc", "AB_1234", "123456789012345678901", ""],
        ),
    ];
    for (country, valid, refused) in cases {
        let (client, _, _) = signed_up(&api, "PERSONAL", country, &format!("{country}@example.com")).await;
        for number in valid {
            let answer = personal(&client, number).await;
            assert!(answer.body.get("errors").is_none(), "{country} {number:?}: {:?}", answer.body);
            assert_valid(&answer, "isValidPersonalTaxId", "Valid personal tax id.");
        }
        for number in refused {
            personal(&client, number).await.assert_refused("isValidPersonalTaxId", invalid.0, invalid.1);
        }
    }
}

#[actix_web::test]
async fn is_valid_personal_tax_id_refuses_a_number_another_person_holds_in_the_same_country() {
    let api = Api::start().await;
    let (_, holder, _) = signed_up(&api, "PERSONAL", "US", "holder@example.com").await;
    holds_personal(&api, &holder, Country::US, "123456789");
    let (caller, caller_person, _) = signed_up(&api, "PERSONAL", "US", "caller@example.com").await;
    let taken = ("I-4312", "This personal tax id is already taken.");
    for spelling in ["123-45-6789", "123 45 6789", "123456789"] {
        personal(&caller, spelling).await.assert_refused("isValidPersonalTaxId", taken.0, taken.1);
    }
    // The format rule comes first.
    personal(&caller, "666-45-6789").await.assert_refused(
        "isValidPersonalTaxId",
        "I-4318",
        "This personal tax id is not valid for the account's country.",
    );
    assert_valid(&personal(&caller, "123-45-6780").await, "isValidPersonalTaxId", "Valid personal tax id.");
    // The caller's own person holding it is not another person.
    holds_personal(&api, &caller_person, Country::US, "987-65-4321");
    assert_valid(&personal(&caller, "987-65-4321").await, "isValidPersonalTaxId", "Valid personal tax id.");
    // Uniqueness is per country: the same nine digits given for a GB account are another number.
    let (british, _, _) = signed_up(&api, "PERSONAL", "GB", "gb@example.com").await;
    assert_valid(&personal(&british, "123456789").await, "isValidPersonalTaxId", "Valid personal tax id.");
}

#[actix_web::test]
async fn is_valid_business_tax_id_needs_a_business_account() {
    let api = Api::start().await;
    business(&api, "12-3456789").await.assert_refused("isValidBusinessTaxId", "I-4100", "You must be logged in.");
    let (person, _, _) = signed_up(&api, "PERSONAL", "US", "jane@example.com").await;
    let only_business = ("I-4105", "This is only available to business accounts.");
    business(&person, "12-3456789").await.assert_refused("isValidBusinessTaxId", only_business.0, only_business.1);
    // I-4105 comes before the format rule.
    business(&person, "07-1234567").await.assert_refused("isValidBusinessTaxId", only_business.0, only_business.1);
    api.sign_up_seed().await;
    assert_valid(&business(&api, "12-3456789").await, "isValidBusinessTaxId", "Valid business tax id.");
}

#[actix_web::test]
async fn is_valid_business_tax_id_applies_the_rule_of_the_accounts_country() {
    let api = Api::start().await;
    let invalid = ("I-4319", "This business tax id is not valid for the account's country.");
    let cases = [
        (
            "US",
            vec!["12-3456789", "98-7654321", "01-0000000", "99 1234567"],
            vec!["07-1234567", "00-1234567", "49-1234567", "96-1234567", "1234567", "12-34567890", "test", ""],
        ),
        (
            "CA",
            vec!["123456782", "123456782RT0001", "123456782 rc 0002", "130692544"],
            vec!["123456789", "123456782XX0001", "123456789RT0001", "123456782RT001", "test"],
        ),
        (
            "MX",
            vec!["ABC680524P73", "A&C000229P73", "GODE561231GR8"],
            vec!["ABC681324P73", "ABC010229P73", "XAXX010101000", "CACA561231GR8", "test"],
        ),
        ("DE", vec!["test", "DE123456789"], vec!["abc", "DE 123/456", "ÄBCDE"]),
    ];
    for (country, valid, refused) in cases {
        let (client, _, _) = signed_up(&api, "BUSINESS", country, &format!("{country}@example.com")).await;
        for number in valid {
            let answer = business(&client, number).await;
            assert!(answer.body.get("errors").is_none(), "{country} {number:?}: {:?}", answer.body);
            assert_valid(&answer, "isValidBusinessTaxId", "Valid business tax id.");
        }
        for number in refused {
            business(&client, number).await.assert_refused("isValidBusinessTaxId", invalid.0, invalid.1);
        }
    }
}

#[actix_web::test]
async fn is_valid_business_tax_id_refuses_a_number_another_account_holds_in_the_same_country() {
    let api = Api::start().await;
    let taken = ("I-4311", "This business tax id is already taken.");
    let (_, _, holder) = signed_up(&api, "BUSINESS", "CA", "holder@example.com").await;
    holds_business(&api, &holder, Country::CA, "123456782");
    let (caller, _, caller_account) = signed_up(&api, "BUSINESS", "CA", "caller@example.com").await;
    // Canadian numbers compare on their nine-digit root.
    for number in ["123456782", "123-456-782", "123456782RT0001", "123456782RC0002"] {
        business(&caller, number).await.assert_refused("isValidBusinessTaxId", taken.0, taken.1);
    }
    business(&caller, "123456789").await.assert_refused(
        "isValidBusinessTaxId",
        "I-4319",
        "This business tax id is not valid for the account's country.",
    );
    // Accounts of every status count.
    set_account(&api, &holder, None, "DEACTIVATED");
    business(&caller, "123456782RT0001").await.assert_refused("isValidBusinessTaxId", taken.0, taken.1);
    // The current account itself is not another account.
    holds_business(&api, &caller_account, Country::CA, "130692544RT0001");
    assert_valid(&business(&caller, "130692544").await, "isValidBusinessTaxId", "Valid business tax id.");

    // In the US (the seed's business): the US holder counts, a Canadian account with the same digits does not.
    let (_, _, american) = signed_up(&api, "BUSINESS", "US", "us-holder@example.com").await;
    holds_business(&api, &american, Country::US, "12-3456789");
    api.sign_up_seed().await;
    business(&api, "12-3456789").await.assert_refused("isValidBusinessTaxId", taken.0, taken.1);
    assert_valid(&business(&api, "98-7654321").await, "isValidBusinessTaxId", "Valid business tax id.");
    let (_, _, canadian) = signed_up(&api, "BUSINESS", "CA", "ca-holder@example.com").await;
    holds_business(&api, &canadian, Country::CA, "987654324");
    assert_valid(&business(&api, "98-7654324").await, "isValidBusinessTaxId", "Valid business tax id.");
}

#[actix_web::test]
async fn a_configured_tax_id_key_is_the_one_digests_use() {
    let hex = "0b".repeat(32);
    let api = Api::start_with(&[("TAX_ID_KEY", &hex)]).await;
    let configured = TaxIdKey::from_hex(&hex).expect("a valid key");
    assert_eq!(key(&api).digest(Country::US, "123456789"), configured.digest(Country::US, "123456789"));
    let refused = gateway::Settings::from_lookup(|name| (name == "TAX_ID_KEY").then(|| "not-hex".to_owned()))
        .expect_err("a malformed key stops the start");
    assert!(format!("{refused:#}").contains("TAX_ID_KEY"), "{refused:#}");
    let settings = gateway::Settings::from_lookup(|name| (name == "TAX_ID_KEY").then(|| hex.clone())).expect("valid");
    assert!(!format!("{settings:?}").contains(&hex), "the key stays out of Debug");
}

#[actix_web::test]
async fn without_a_configured_key_every_start_on_one_database_digests_alike() {
    let first = Api::start().await;
    let again = gateway::AppState::build(
        &gateway::Settings::from_lookup(|name| (name == "DATABASE_URL").then(|| first.database_url()))
            .expect("settings"),
    )
    .await
    .expect("a second start on the same database");
    let second = again.services.get::<TaxIdKey>().expect("wired");
    assert_eq!(key(&first).digest(Country::MX, "GODE561231GR8"), second.digest(Country::MX, "GODE561231GR8"));
}

/// At RUST_LOG=debug the numbers given to the tax-id queries, accepted or refused, never reach the log.
#[actix_web::test]
async fn tax_ids_never_reach_the_log() {
    use std::io::{BufRead, BufReader, Read};
    use std::process::{Command, Stdio};

    let dir = tempfile::tempdir().expect("folder");
    let mut command = Command::new(env!("CARGO_BIN_EXE_borderless"));
    for name in ["REDIS_URL", "CLOCK", "TAX_ID_KEY", "SESSION_EXTEND_SECRET"] {
        command.env_remove(name);
    }
    let mut child = command
        .env("DATABASE_URL", dir.path().join("b.db"))
        .env("BIND_ADDR", "127.0.0.1:0")
        .env("BCRYPT_COST", "4")
        .env("SIGNUP_SECRETS", SIGNUP_CODE)
        .env("RUST_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let mut first_line = String::new();
    BufReader::new(stdout).read_line(&mut first_line).expect("the listening line");
    let address = first_line.split("http://").nth(1).and_then(|rest| rest.split_whitespace().next()).expect("address");
    let client = awc::Client::default();
    let url = format!("http://{address}/graphql");
    let mut signed_up = client
        .post(&url)
        .send_json(&json!({ "query": "mutation($d: CreateLoginPersonAndAccountInput!) { createLoginPersonAndAccount(data: $d) { user { loginId } } }", "variables": { "d": { "accountType": "BUSINESS", "country": "US", "email": "log@example.com", "password": SEED_PASSWORD, "signUpSecret": SIGNUP_CODE } } }))
        .await
        .expect("sign-up answered");
    let cookie = signed_up.cookie("borderless_session").map(|c| c.value().to_owned()).expect("a session cookie");
    let _ = signed_up.body().await;
    let numbers = ["219-57-3846", "666-57-3846", "58-2749163", "07-2749163"];
    let mut outcomes = Vec::new();
    for (query, number) in
        [(PERSONAL, numbers[0]), (PERSONAL, numbers[1]), (BUSINESS, numbers[2]), (BUSINESS, numbers[3])]
    {
        let mut answer = client
            .post(&url)
            .insert_header(("cookie", format!("borderless_session={cookie}")))
            .send_json(&json!({ "query": query, "variables": { "id": number } }))
            .await
            .expect("answered");
        let body = String::from_utf8_lossy(&answer.body().await.expect("body")).into_owned();
        assert!(!body.contains(&number.replace('-', "")), "the answer echoes {number}");
        outcomes.push(body);
    }
    // Each query ran to its answer: valid, refused by the format rule, valid, refused by the format rule.
    for (outcome, expected) in
        outcomes.iter().zip(["Valid personal tax id.", "I-4318", "Valid business tax id.", "I-4319"])
    {
        assert!(outcome.contains(expected), "{outcome}");
    }
    crate::processes::terminate(&mut child);
    let mut log = String::new();
    stderr.read_to_string(&mut log).expect("log");
    assert!(log.contains("DEBUG") && log.contains("TAX_ID_KEY is not set"), "{log}");
    for number in numbers {
        for form in [number.to_owned(), number.replace('-', "")] {
            assert!(!log.contains(&form), "{form} is in the log");
        }
    }
}
