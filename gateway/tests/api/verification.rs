//! Identity verification: embedOnfido, addOnfidoDocumentToPerson and the person's check through the local
//! provider, the VERIFIED rule with every part reached through the API, and embedVerificationService with its
//! hosted page.

use actix_web::http::StatusCode;
use chrono::{DateTime, TimeDelta, Utc};
use diesel::prelude::*;
use futures_util::future::join;
use serde_json::{Value, json};

use crate::fixtures::{business_setup, confirm_email, personal_setup, submit_setup};
use crate::harness::{Answer, Api, Client, SEED_EMAIL, SIGNUP_CODE};

const EMBED: &str = "mutation { embedOnfido { applicantId sdkToken expiresAt } }";
const ATTACH: &str = "mutation($id: ID!) { addOnfidoDocumentToPerson(applicantId: $id) { message } }";
const LINK: &str = "query { embedVerificationService { url token expiresAt } }";
const PERSON: &str = "query { person { uploadedId identityCheckStatus } account { status } }";

const ATTACHED: &str = "Id successfully added!";
const ALREADY: &str = "This user already has an uploaded id!";
const NO_APPLICANT: &str = "No identity check was started with this applicant id.";
const INVALID_LINK: &str = "This link is invalid or has expired. (I-4104)";

/// The server's clock now (the manual clock of the tests).
async fn now(api: &Api) -> DateTime<Utc> {
    let shown = api.admin(&["clock", "advance", "0"]).await;
    instant(&shown["now"])
}

fn instant(value: &Value) -> DateTime<Utc> {
    value.as_str().and_then(|text| DateTime::parse_from_rfc3339(text).ok()).expect("an RFC 3339 instant").to_utc()
}

/// The manual clock moves with real time between two reads: a lifetime is exact to within a few seconds.
#[track_caller]
fn assert_about(measured: TimeDelta, expected: TimeDelta) {
    assert!((measured - expected).abs() < TimeDelta::seconds(5), "{measured} is not about {expected}");
}

async fn embed(client: &Client) -> String {
    let answer = client.graphql(EMBED, json!({})).await;
    answer.assert_ok()["embedOnfido"]["applicantId"].as_str().expect("an applicant id").to_owned()
}

async fn attach(client: &Client, applicant: &str) -> Answer {
    client.graphql(ATTACH, json!({ "id": applicant })).await
}

#[track_caller]
fn assert_attached(answer: &Answer) {
    assert_eq!(answer.assert_ok()["addOnfidoDocumentToPerson"]["message"], ATTACHED);
}

/// (uploadedId, identityCheckStatus, account status) of the client's session.
async fn state(client: &Client) -> (bool, String, String) {
    let answer = client.graphql(PERSON, json!({})).await;
    let data = answer.assert_ok();
    (
        data["person"]["uploadedId"].as_bool().expect("uploadedId"),
        data["person"]["identityCheckStatus"].as_str().expect("status").to_owned(),
        data["account"]["status"].as_str().expect("account status").to_owned(),
    )
}

fn pending(status: &str) -> (bool, String, String) {
    (true, "PENDING".to_owned(), status.to_owned())
}

#[actix_web::test]
async fn embed_onfido_creates_a_new_applicant_each_time_with_a_short_lived_token() {
    let api = Api::start().await;
    api.sign_up_person("jane@example.com").await;
    let started = now(&api).await;
    let first = api.graphql(EMBED, json!({})).await;
    let first = first.assert_ok()["embedOnfido"].clone();
    let applicant = first["applicantId"].as_str().expect("applicant id");
    let parsed = uuid::Uuid::parse_str(applicant).expect("a UUID");
    assert_eq!((parsed.get_version_num(), applicant.to_lowercase()), (4, applicant.to_owned()));
    let token = first["sdkToken"].as_str().expect("sdk token");
    assert_eq!(token.len(), 43);
    assert!(token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{token}");
    assert_about(instant(&first["expiresAt"]) - started, TimeDelta::minutes(90));

    let second = embed(&api).await;
    assert_ne!(second, applicant);
    // An earlier applicant stays usable until a document is attached.
    assert_attached(&attach(&api, applicant).await);
    assert_eq!(state(&api).await, pending("NOT_SETUP"));
    api.graphql(EMBED, json!({})).await.assert_refused("embedOnfido", "I-4405", ALREADY);
    attach(&api, &second).await.assert_refused("addOnfidoDocumentToPerson", "I-4405", ALREADY);
}

#[actix_web::test]
async fn only_an_applicant_of_the_same_person_can_be_attached() {
    let api = Api::start().await;
    api.sign_up_person("jane@example.com").await;
    let other = api.client();
    other.sign_up_person("joe@example.com").await;
    let theirs = embed(&other).await;
    for unknown in [theirs.as_str(), "00e18e07-cf67-4208-853c-0d8265af99c6", "not an id"] {
        attach(&api, unknown).await.assert_refused("addOnfidoDocumentToPerson", "I-4420", NO_APPLICANT);
    }
    assert_eq!(state(&api).await, (false, "NOT_STARTED".to_owned(), "NOT_SETUP".to_owned()));
    // A refused attach changes nothing for the applicant's owner either.
    assert_attached(&attach(&other, &theirs).await);
}

#[actix_web::test]
async fn of_two_attaches_at_once_exactly_one_succeeds() {
    let api = Api::start().await;
    api.sign_up_person("jane@example.com").await;
    let (a, b) = (embed(&api).await, embed(&api).await);
    let (first, second) = join(attach(&api, &a), attach(&api, &b)).await;
    let answers = [first, second];
    let succeeded = answers.iter().filter(|answer| answer.body.get("errors").is_none()).count();
    assert_eq!(succeeded, 1, "{answers:?}");
    for refused in answers.iter().filter(|answer| answer.body.get("errors").is_some()) {
        refused.assert_refused("addOnfidoDocumentToPerson", "I-4405", ALREADY);
    }
}

#[actix_web::test]
async fn the_check_ends_clear_after_the_delay_or_rejected_for_the_last_name_reject() {
    let api = Api::start().await;
    api.sign_up_person("jane@example.com").await;
    assert_attached(&attach(&api, &embed(&api).await).await);
    api.advance(TimeDelta::seconds(9)).await;
    assert_eq!(state(&api).await, pending("NOT_SETUP"));
    api.advance(TimeDelta::seconds(1)).await;
    assert_eq!(state(&api).await, (true, "CLEAR".to_owned(), "NOT_SETUP".to_owned()));

    // With no name on record yet, the name typed in the open setup session counts.
    let rejected = api.client();
    rejected.sign_up_person("rex@example.com").await;
    rejected.graphql("mutation { createAccountSetupSession { message } }", json!({})).await.assert_ok();
    rejected
        .graphql(
            "mutation($data: UpdateAccountSetupSessionInput!) { updateAccountSetupSession(data: $data) { message } }",
            json!({ "data": { "firstName": "Rex", "lastName": " rEJECT " } }),
        )
        .await
        .assert_ok();
    assert_attached(&attach(&rejected, &embed(&rejected).await).await);
    api.advance(TimeDelta::seconds(10)).await;
    assert_eq!(state(&rejected).await, (true, "REJECTED".to_owned(), "NOT_SETUP".to_owned()));
    rejected.graphql(EMBED, json!({})).await.assert_refused("embedOnfido", "I-4405", ALREADY);
}

/// The `account.status_changed` events recorded for the account: (previousStatus, status).
fn status_changes(api: &Api, account: &str) -> Vec<(String, String)> {
    use store::schema::events;
    let mut conn = api.state.pool.get().expect("connection");
    let claims: Vec<String> = events::table
        .filter(events::account_id.eq(account))
        .filter(events::event.eq("account.status_changed"))
        .order(events::created_at.asc())
        .select(events::claims)
        .load(&mut conn)
        .expect("events");
    claims
        .iter()
        .map(|text| {
            let claims: Value = serde_json::from_str(text).expect("claims");
            (
                claims["previousStatus"].as_str().unwrap_or("").to_owned(),
                claims["status"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

async fn current_account(client: &Client) -> String {
    client.account_id().await.assert_ok()["account"]["id"].as_str().expect("account id").to_owned()
}

#[actix_web::test]
async fn a_personal_account_goes_from_sign_up_to_verified_through_the_api() {
    let api = Api::start().await;
    api.sign_up_person("jane@example.com").await;
    let account = current_account(&api).await;
    assert_attached(&attach(&api, &embed(&api).await).await);
    submit_setup(&api, personal_setup("JaneDoe", "Doe")).await;
    assert_eq!(state(&api).await, pending("SETUP_SUBMITTED"));
    api.advance(TimeDelta::seconds(10)).await;
    // Identity CLEAR, email not verified yet.
    assert_eq!(state(&api).await, (true, "CLEAR".to_owned(), "SETUP_SUBMITTED".to_owned()));
    confirm_email(&api, "jane@example.com").await;
    assert_eq!(state(&api).await.2, "VERIFIED");
    let changes = status_changes(&api, &account);
    assert_eq!(
        changes,
        [("NOT_SETUP".to_owned(), "SETUP_SUBMITTED".to_owned()), ("SETUP_SUBMITTED".to_owned(), "VERIFIED".to_owned())],
    );
}

#[actix_web::test]
async fn a_business_account_goes_from_sign_up_to_verified_through_the_api() {
    let api = Api::start().await;
    api.sign_up(json!({ "accountType": "BUSINESS", "country": "US", "currency": "USD", "email": SEED_EMAIL,
                        "password": crate::harness::SEED_PASSWORD, "signUpSecret": SIGNUP_CODE }))
        .await
        .assert_ok();
    let account = current_account(&api).await;
    confirm_email(&api, SEED_EMAIL).await;
    submit_setup(&api, business_setup("AcmeWidgets")).await;
    let officer = json!({
        "name": "Jane Smith", "percentOfOwnership": 100.0, "type": "CEO", "jobTitle": "Chief Executive Officer",
        "dateOfBirth": "1985-03-14", "country": "US",
        "uploadedId": { "documentType": "PASSPORT", "documentNumber": "P1234567", "issuingCountry": "US" }
    });
    api.graphql(
        "mutation($data: AddCompanyOfficerToAccountInput!) { addCompanyOfficerToAccount(data: $data) { message } }",
        json!({ "data": officer }),
    )
    .await
    .assert_ok();
    assert_attached(&attach(&api, &embed(&api).await).await);
    api.advance(TimeDelta::seconds(10)).await;
    // Person and officer CLEAR, email verified: the officers are not submitted yet.
    assert_eq!(state(&api).await, (true, "CLEAR".to_owned(), "SETUP_SUBMITTED".to_owned()));
    api.graphql("mutation { submitCompanyOfficers { message } }", json!({})).await.assert_ok();
    assert_eq!(state(&api).await.2, "VERIFIED");
    assert_eq!(status_changes(&api, &account).last().map(|c| c.1.as_str()), Some("VERIFIED"));
    assert_eq!(status_changes(&api, &account).len(), 2);
}

#[actix_web::test]
async fn a_rejected_check_leaves_the_account_setup_submitted() {
    let api = Api::start().await;
    api.sign_up_person("rex@example.com").await;
    let account = current_account(&api).await;
    confirm_email(&api, "rex@example.com").await;
    submit_setup(&api, personal_setup("RexReject", "Reject")).await;
    assert_attached(&attach(&api, &embed(&api).await).await);
    api.advance(TimeDelta::seconds(10)).await;
    assert_eq!(state(&api).await, (true, "REJECTED".to_owned(), "SETUP_SUBMITTED".to_owned()));
    api.advance(TimeDelta::hours(1)).await;
    assert_eq!(state(&api).await.2, "SETUP_SUBMITTED");
    assert_eq!(status_changes(&api, &account).len(), 1);
}

#[actix_web::test]
async fn one_clear_check_verifies_every_account_of_the_person() {
    // US businesses need no company officers here, so the person's check is the last part for both accounts.
    let api = Api::start_with(&[("UBO_REQUIRED_COUNTRIES", "GB")]).await;
    api.sign_up_person("jane@example.com").await;
    let personal = current_account(&api).await;
    confirm_email(&api, "jane@example.com").await;
    submit_setup(&api, personal_setup("JaneDoe", "Doe")).await;
    api.graphql("mutation { addAccountToPerson(accountType: BUSINESS) { user { loginId } } }", json!({}))
        .await
        .assert_ok();
    let business = current_account(&api).await;
    let mut data = business_setup("JaneBusiness");
    for prefilled in ["firstName", "lastName", "dateOfBirth"] {
        data.as_object_mut().expect("an object").remove(prefilled);
    }
    submit_setup(&api, data).await;
    assert_attached(&attach(&api, &embed(&api).await).await);
    api.advance(TimeDelta::seconds(10)).await;
    for account in [&personal, &business] {
        let verified = ("SETUP_SUBMITTED".to_owned(), "VERIFIED".to_owned());
        assert_eq!(status_changes(&api, account).last(), Some(&verified), "{account}");
    }
}

async fn issue_link(client: &Client) -> Value {
    client.graphql(LINK, json!({})).await.assert_ok()["embedVerificationService"].clone()
}

async fn open_page(api: &Api, token: &str) -> (StatusCode, String) {
    let answer = api.client().get(&format!("/verification?token={token}")).await;
    (answer.status, answer.body.as_str().unwrap_or_default().to_owned())
}

#[actix_web::test]
async fn the_verification_link_lists_the_checks_that_are_not_clear() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    let started = now(&api).await;
    let link = issue_link(&api).await;
    let token = link["token"].as_str().expect("token");
    assert_eq!(token.len(), 43);
    assert_eq!(link["url"], format!("http://127.0.0.1:8080/verification?token={token}"));
    assert_about(instant(&link["expiresAt"]) - started, TimeDelta::minutes(30));
    let (status, page) = open_page(&api, token).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("not started") && page.contains("embedOnfido"), "{page}");

    let officer = json!({ "name": "Ada <b>Lovelace</b> Reject", "percentOfOwnership": 30.0, "type": "UBO",
        "dateOfBirth": "1975-02-03",
        "uploadedId": { "documentType": "DRIVING_LICENCE", "documentNumber": "D1234567", "issuingCountry": "GB" } });
    api.graphql(
        "mutation($data: AddCompanyOfficerToAccountInput!) { addCompanyOfficerToAccount(data: $data) { message } }",
        json!({ "data": officer }),
    )
    .await
    .assert_ok();
    assert_attached(&attach(&api, &embed(&api).await).await);
    let (_, page) = open_page(&api, token).await;
    assert!(page.contains("pending"), "{page}");
    assert!(
        page.contains("Ada &lt;b&gt;Lovelace&lt;/b&gt; Reject") && !page.contains("<b>Lovelace"),
        "escaped: {page}"
    );
    api.advance(TimeDelta::seconds(10)).await;
    let (status, page) = open_page(&api, token).await;
    assert_eq!(status, StatusCode::OK, "the link works until it expires");
    assert!(page.contains("rejected") && !page.contains("You"), "the person's CLEAR check is not listed: {page}");
}

#[actix_web::test]
async fn a_new_link_voids_the_old_one_and_links_expire_after_30_minutes() {
    let api = Api::start().await;
    api.sign_up_person("jane@example.com").await;
    let first = issue_link(&api).await["token"].as_str().expect("token").to_owned();
    let second = issue_link(&api).await["token"].as_str().expect("token").to_owned();
    assert_ne!(first, second);
    for bad in [first.as_str(), "nonsense", ""] {
        let (status, page) = open_page(&api, bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(page.contains(INVALID_LINK), "{page}");
    }
    assert_eq!(api.client().get("/verification").await.status, StatusCode::BAD_REQUEST);
    assert_attached(&attach(&api, &embed(&api).await).await);
    api.advance(TimeDelta::seconds(10)).await;
    let (status, page) = open_page(&api, &second).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("nothing to do"), "{page}");
    api.advance(TimeDelta::minutes(30)).await;
    assert_eq!(open_page(&api, &second).await.0, StatusCode::BAD_REQUEST);
}

#[actix_web::test]
async fn the_verification_page_renders_in_a_headless_browser() {
    let Some(chromium) = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|name| std::process::Command::new(name).arg("--version").output().is_ok_and(|o| o.status.success()))
    else {
        eprintln!("skipped: no Chromium on this machine (`.ci/run` installs it)");
        return;
    };
    let api = Api::start().await;
    api.sign_up_person("jane@example.com").await;
    let token = issue_link(&api).await["token"].as_str().expect("token").to_owned();
    let url = format!("http://{}/verification?token={token}", api.addr());
    let screenshot = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("verification-page.png");
    let _ = std::fs::remove_file(&screenshot);
    let browser = |args: Vec<String>| {
        let url = url.clone();
        let chromium = chromium.to_owned();
        actix_web::rt::task::spawn_blocking(move || {
            std::process::Command::new(chromium)
                .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars"])
                .args(args)
                .arg(url)
                .output()
                .expect("chromium ran")
        })
    };
    let dom = browser(vec!["--dump-dom".to_owned()]).await.expect("joined");
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(dom.contains("Identity verification") && dom.contains("not started"), "{dom}");
    let shot = browser(vec![format!("--screenshot={}", screenshot.display()), "--window-size=800,600".to_owned()])
        .await
        .expect("joined");
    let png = std::fs::read(&screenshot).unwrap_or_else(|_| panic!("no screenshot: {shot:?}"));
    assert!(png.starts_with(b"\x89PNG") && png.len() > 1_000, "a PNG of the page");
    eprintln!("screenshot of the verification page: {}", screenshot.display());
}
