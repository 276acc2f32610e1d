//! The HTTP identity provider (IDENTITY_PROVIDER=http) against a fake Onfido-like server: embedOnfido's
//! applicant and SDK token, addOnfidoDocumentToPerson's document check and started check, the outcome asked
//! by the identity-check job as the clock moves, a check started later by the job, and the configuration.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};

use accounts::IdentityProviderKind;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use chrono::{DateTime, TimeDelta, Utc};
use gateway::{AppState, Settings};
use kernel::Clock;
use serde_json::{Value, json};

use crate::harness::{Answer, Api, Client};

const EMBED: &str = "mutation { embedOnfido { applicantId sdkToken expiresAt } }";
const ATTACH: &str = "mutation($id: ID!) { addOnfidoDocumentToPerson(applicantId: $id) { message } }";
const PERSON: &str = "query { person { uploadedId identityCheckStatus } }";

const ADDED: &str = "Id successfully added!";
const NO_DOCUMENT: &str = "No identity document has been captured for this applicant yet.";

const TOKEN: &str = "fake-onfido-token-7f3a";

/// One request the fake provider received.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    query: HashMap<String, String>,
    authorization: Option<String>,
    body: Value,
    /// The status the fake answered.
    status: u16,
}

/// A check as the fake provider holds it.
#[derive(Debug, Clone)]
struct FakeCheck {
    applicant_id: String,
    status: &'static str,
    result: Option<&'static str>,
}

#[derive(Debug, Default)]
struct FakeState {
    seen: Vec<Seen>,
    /// Applicant id → SDK token handed out for it.
    applicants: Vec<(String, String)>,
    with_document: HashSet<String>,
    checks: HashMap<String, FakeCheck>,
    /// Every request is answered 503 while set.
    down: bool,
    /// Requests ("POST /checks") answered 503 while listed.
    failing: HashSet<&'static str>,
    next: u32,
}

/// An Onfido-like provider on a port of its own, which the test controls and whose requests it reads.
struct FakeProvider {
    url: String,
    state: Arc<Mutex<FakeState>>,
}

impl FakeProvider {
    fn start() -> Self {
        let state = Arc::new(Mutex::new(FakeState::default()));
        let shared = web::Data::from(Arc::clone(&state));
        let server = HttpServer::new(move || App::new().app_data(shared.clone()).default_service(web::to(answer)))
            .workers(1)
            .disable_signals()
            .shutdown_timeout(0)
            .bind(("127.0.0.1", 0))
            .expect("fake provider bound");
        let addr = server.addrs()[0];
        actix_web::rt::spawn(server.run());
        Self { url: format!("http://{addr}"), state }
    }

    fn state(&self) -> MutexGuard<'_, FakeState> {
        self.state.lock().expect("fake provider state")
    }

    fn seen(&self) -> Vec<Seen> {
        self.state().seen.clone()
    }

    /// The requests with this method and path that the fake answered with success.
    fn answered(&self, method: &str, path: &str) -> Vec<Seen> {
        self.seen().into_iter().filter(|s| s.method == method && s.path == path && s.status < 300).collect()
    }

    fn last_applicant(&self) -> (String, String) {
        self.state().applicants.last().cloned().expect("an applicant created")
    }

    fn capture_document(&self, applicant_id: &str) {
        self.state().with_document.insert(applicant_id.to_owned());
    }

    /// The id of the check started for this applicant.
    fn check_of(&self, applicant_id: &str) -> String {
        let state = self.state();
        let ids: Vec<&String> =
            state.checks.iter().filter(|(_, c)| c.applicant_id == applicant_id).map(|(id, _)| id).collect();
        assert_eq!(ids.len(), 1, "one check for {applicant_id}: {:?}", state.checks);
        ids[0].clone()
    }

    fn set_check(&self, check_id: &str, status: &'static str, result: Option<&'static str>) {
        let mut state = self.state();
        let check = state.checks.get_mut(check_id).expect("a known check");
        check.status = status;
        check.result = result;
    }
}

/// Every request of the fake: recorded, then answered as Onfido would (or 503 while failing).
async fn answer(request: HttpRequest, body: web::Bytes, state: web::Data<Mutex<FakeState>>) -> HttpResponse {
    let mut state = state.lock().expect("fake provider state");
    let method = request.method().as_str().to_owned();
    let path = request.path().to_owned();
    let query = web::Query::<HashMap<String, String>>::from_query(request.query_string())
        .map(web::Query::into_inner)
        .unwrap_or_default();
    let authorization = request.headers().get("authorization").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let route = format!("{method} {path}");
    let (status, reply) = if state.down || state.failing.contains(route.as_str()) {
        (503, json!({ "error": { "type": "service_unavailable" } }))
    } else {
        route_answer(&mut state, &method, &path, &query, &body)
    };
    state.seen.push(Seen { method, path, query, authorization, body, status });
    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).expect("a status")).json(reply)
}

fn route_answer(
    state: &mut FakeState,
    method: &str,
    path: &str,
    query: &HashMap<String, String>,
    body: &Value,
) -> (u16, Value) {
    state.next += 1;
    let n = state.next;
    match (method, path) {
        ("POST", "/applicants") => {
            let id = format!("0190b5c2-aaaa-7c3d-9f21-{n:012}");
            state.applicants.push((id.clone(), format!("sdk-token-{n}")));
            (201, json!({ "id": id, "first_name": body["first_name"], "last_name": body["last_name"] }))
        }
        ("POST", "/sdk_token") => {
            let applicant = body["applicant_id"].as_str().unwrap_or_default();
            match state.applicants.iter().find(|(id, _)| id == applicant) {
                Some((_, token)) => (200, json!({ "token": token })),
                None => (422, json!({ "error": { "type": "validation_error" } })),
            }
        }
        ("GET", "/documents") => {
            let applicant = query.get("applicant_id").map(String::as_str).unwrap_or_default();
            let documents = if state.with_document.contains(applicant) {
                json!([{ "id": format!("doc-{applicant}"), "type": "passport", "side": "front" }])
            } else {
                json!([])
            };
            (200, json!({ "documents": documents }))
        }
        ("POST", "/checks") => {
            let applicant_id = body["applicant_id"].as_str().unwrap_or_default().to_owned();
            let id = format!("0190b5c2-cccc-7c3d-9f21-{n:012}");
            state.checks.insert(id.clone(), FakeCheck { applicant_id, status: "in_progress", result: None });
            (201, json!({ "id": id, "status": "in_progress", "result": null }))
        }
        ("GET", check) if check.starts_with("/checks/") => match state.checks.get(&check["/checks/".len()..]) {
            Some(c) => (200, json!({ "id": &check["/checks/".len()..], "status": c.status, "result": c.result })),
            None => (404, json!({ "error": { "type": "resource_not_found" } })),
        },
        _ => (404, json!({ "error": { "type": "resource_not_found" } })),
    }
}

async fn start_api(fake: &FakeProvider) -> Api {
    Api::start_with(&[
        ("IDENTITY_PROVIDER", "http"),
        ("IDENTITY_PROVIDER_URL", &fake.url),
        ("IDENTITY_PROVIDER_TOKEN", TOKEN),
    ])
    .await
}

/// embedOnfido's applicant id and SDK token.
async fn embed(client: &Client) -> (String, String) {
    let answer = client.graphql(EMBED, json!({})).await;
    let data = &answer.assert_ok()["embedOnfido"];
    (
        data["applicantId"].as_str().expect("applicant id").to_owned(),
        data["sdkToken"].as_str().expect("token").to_owned(),
    )
}

async fn attach(client: &Client, applicant_id: &str) -> Answer {
    client.graphql(ATTACH, json!({ "id": applicant_id })).await
}

#[track_caller]
fn assert_attached(answer: &Answer) {
    assert_eq!(answer.assert_ok()["addOnfidoDocumentToPerson"]["message"], ADDED, "{:?}", answer.body);
}

/// The person's (uploadedId, identityCheckStatus).
async fn person(client: &Client) -> (bool, String) {
    let answer = client.graphql(PERSON, json!({})).await;
    let person = &answer.assert_ok()["person"];
    (
        person["uploadedId"].as_bool().expect("uploadedId"),
        person["identityCheckStatus"].as_str().expect("status").into(),
    )
}

#[track_caller]
fn assert_all_authorized(fake: &FakeProvider) {
    let seen = fake.seen();
    assert!(!seen.is_empty());
    for request in &seen {
        let expected = format!("Token token={TOKEN}");
        assert_eq!(request.authorization.as_deref(), Some(expected.as_str()), "{request:?}");
    }
}

#[actix_web::test]
async fn the_http_provider_runs_a_persons_check_end_to_end() {
    let fake = FakeProvider::start();
    let api = start_api(&fake).await;
    api.sign_up_person("ada.http@example.com").await;

    let before = api.state.clock.now();
    let answer = api.graphql(EMBED, json!({})).await;
    let after = api.state.clock.now();
    let data = &answer.assert_ok()["embedOnfido"];
    let (applicant, sdk_token) = fake.last_applicant();
    assert_eq!(data["applicantId"], applicant.as_str());
    assert_eq!(data["sdkToken"], sdk_token.as_str());
    let expires_at: DateTime<Utc> =
        DateTime::parse_from_rfc3339(data["expiresAt"].as_str().expect("expiresAt")).expect("RFC 3339").into();
    // Rendered to the millisecond: up to a millisecond earlier than the instant it stands for.
    assert!(expires_at >= before + TimeDelta::minutes(90) - TimeDelta::milliseconds(1), "{expires_at} {before}");
    assert!(expires_at <= after + TimeDelta::minutes(90), "{expires_at} {after}");

    let created = fake.answered("POST", "/applicants");
    assert_eq!(created.len(), 1, "{:?}", fake.seen());
    for field in ["first_name", "last_name", "id_numbers"] {
        assert!(created[0].body.get(field).is_some(), "{field} in {}", created[0].body);
    }
    let tokens = fake.answered("POST", "/sdk_token");
    assert_eq!(tokens.len(), 1, "{:?}", fake.seen());
    assert_eq!(tokens[0].body, json!({ "applicant_id": applicant }));

    // No document captured yet: refused, nothing attached, no check started.
    attach(&api, &applicant).await.assert_refused("addOnfidoDocumentToPerson", "I-4421", NO_DOCUMENT);
    assert_eq!(person(&api).await, (false, "NOT_STARTED".into()));
    let asked = fake.answered("GET", "/documents");
    assert_eq!(asked.len(), 1, "{:?}", fake.seen());
    assert_eq!(asked[0].query.get("applicant_id"), Some(&applicant));
    assert!(fake.answered("POST", "/checks").is_empty());

    fake.capture_document(&applicant);
    assert_attached(&attach(&api, &applicant).await);
    assert_eq!(person(&api).await, (true, "PENDING".into()));
    let started = fake.answered("POST", "/checks");
    assert_eq!(started.len(), 1, "{:?}", fake.seen());
    assert_eq!(started[0].body, json!({ "applicant_id": applicant, "report_names": ["document"] }));
    let check = fake.check_of(&applicant);
    let check_path = format!("/checks/{check}");

    // The outcome is not asked before IDENTITY_CHECK_DELAY (10 s) has passed.
    api.advance(TimeDelta::seconds(5)).await;
    assert!(fake.answered("GET", &check_path).is_empty(), "{:?}", fake.seen());
    assert_eq!(person(&api).await, (true, "PENDING".into()));

    api.advance(TimeDelta::seconds(5)).await;
    assert_eq!(fake.answered("GET", &check_path).len(), 1, "{:?}", fake.seen());
    assert_eq!(person(&api).await, (true, "PENDING".into()));

    // Still running: asked again only after another IDENTITY_CHECK_DELAY, not at every run of the job.
    api.advance(TimeDelta::seconds(9)).await;
    assert_eq!(fake.answered("GET", &check_path).len(), 1, "{:?}", fake.seen());
    api.advance(TimeDelta::seconds(1)).await;
    assert_eq!(fake.answered("GET", &check_path).len(), 2, "{:?}", fake.seen());
    assert_eq!(person(&api).await, (true, "PENDING".into()));

    fake.set_check(&check, "complete", Some("clear"));
    api.advance(TimeDelta::seconds(10)).await;
    assert_eq!(person(&api).await, (true, "CLEAR".into()));
    let asked_for_clear = fake.answered("GET", &check_path).len();

    // A second person, whose check ends "consider".
    let grace = api.client();
    grace.sign_up_person("grace.http@example.com").await;
    let (second, _) = embed(&grace).await;
    assert_ne!(second, applicant);
    fake.capture_document(&second);
    assert_attached(&attach(&grace, &second).await);
    assert_eq!(person(&grace).await, (true, "PENDING".into()));
    let second_check = fake.check_of(&second);
    fake.set_check(&second_check, "complete", Some("consider"));
    api.advance(TimeDelta::seconds(10)).await;
    assert_eq!(person(&grace).await, (true, "REJECTED".into()));
    assert_eq!(person(&api).await, (true, "CLEAR".into()));
    // An ended check is not asked about again.
    assert_eq!(fake.answered("GET", &check_path).len(), asked_for_clear);

    assert_all_authorized(&fake);
}

#[actix_web::test]
async fn a_check_the_provider_could_not_start_is_started_by_the_job() {
    let fake = FakeProvider::start();
    let api = start_api(&fake).await;
    api.sign_up_person("linus.http@example.com").await;
    let (applicant, _) = embed(&api).await;
    fake.capture_document(&applicant);
    fake.state().failing.insert("POST /checks");

    assert_attached(&attach(&api, &applicant).await);
    assert_eq!(person(&api).await, (true, "PENDING".into()));
    let refused: Vec<Seen> = fake.seen().into_iter().filter(|s| s.method == "POST" && s.path == "/checks").collect();
    assert_eq!(refused.len(), 1, "{:?}", fake.seen());
    assert_eq!(refused[0].status, 503);
    assert!(fake.answered("POST", "/checks").is_empty());

    // Still failing: the job tries again, the person stays PENDING.
    api.advance(TimeDelta::seconds(1)).await;
    assert!(fake.answered("POST", "/checks").is_empty());
    assert_eq!(fake.seen().iter().filter(|s| s.path == "/checks").count(), 2, "{:?}", fake.seen());
    assert_eq!(person(&api).await, (true, "PENDING".into()));

    fake.state().failing.clear();
    api.advance(TimeDelta::seconds(1)).await;
    let started = fake.answered("POST", "/checks");
    assert_eq!(started.len(), 1, "{:?}", fake.seen());
    assert_eq!(started[0].body["applicant_id"], applicant.as_str());
    assert_eq!(person(&api).await, (true, "PENDING".into()));
    // Started once: the next run does not start another.
    api.advance(TimeDelta::seconds(1)).await;
    assert_eq!(fake.answered("POST", "/checks").len(), 1, "{:?}", fake.seen());

    let check = fake.check_of(&applicant);
    fake.set_check(&check, "complete", Some("clear"));
    api.advance(TimeDelta::seconds(10)).await;
    assert_eq!(person(&api).await, (true, "CLEAR".into()));
    assert!(!fake.answered("GET", &format!("/checks/{check}")).is_empty());
    assert_all_authorized(&fake);
}

#[actix_web::test]
async fn a_provider_that_is_down_leaves_a_running_check_pending() {
    let fake = FakeProvider::start();
    let api = start_api(&fake).await;
    api.sign_up_person("barbara.http@example.com").await;
    let (applicant, _) = embed(&api).await;
    fake.capture_document(&applicant);
    assert_attached(&attach(&api, &applicant).await);
    let check = fake.check_of(&applicant);
    fake.set_check(&check, "complete", Some("clear"));

    fake.state().down = true;
    api.advance(TimeDelta::seconds(10)).await;
    assert_eq!(person(&api).await, (true, "PENDING".into()));
    let path = format!("/checks/{check}");
    assert_eq!(fake.seen().iter().filter(|s| s.path == path && s.status == 503).count(), 1, "{:?}", fake.seen());

    fake.state().down = false;
    api.advance(TimeDelta::seconds(1)).await;
    assert_eq!(person(&api).await, (true, "CLEAR".into()));
}

#[actix_web::test]
async fn an_unreachable_provider_is_an_internal_error_for_embed_onfido() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("a port").local_addr().expect("address").port();
    let url = format!("http://127.0.0.1:{port}");
    let api = Api::start_with(&[
        ("IDENTITY_PROVIDER", "http"),
        ("IDENTITY_PROVIDER_URL", &url),
        ("IDENTITY_PROVIDER_TOKEN", TOKEN),
    ])
    .await;
    api.sign_up_person("edsger.http@example.com").await;

    let answer = api.graphql(EMBED, json!({})).await;
    assert_eq!(answer.error_code(), Some("E-0000"), "{:?}", answer.body);
    assert_eq!(answer.body["data"]["embedOnfido"], Value::Null, "{:?}", answer.body);
    let text = answer.body.to_string();
    let port_text = format!(":{port}");
    for secret in [url.as_str(), "127.0.0.1", port_text.as_str(), TOKEN, "applicants", "identity provider"] {
        assert!(!text.contains(secret), "{secret:?} in {text}");
    }
    assert_eq!(person(&api).await, (false, "NOT_STARTED".into()));
}

fn settings(pairs: &[(&str, &str)]) -> anyhow::Result<Settings> {
    let pairs: Vec<(String, String)> = pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    Settings::from_lookup(move |name| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
}

async fn build_error(database: &store::TestDatabase, extra: &[(&str, &str)]) -> String {
    let mut pairs = vec![("DATABASE_URL", database.url().target()), ("BCRYPT_COST", "4")];
    pairs.extend_from_slice(extra);
    match AppState::build(&settings(&pairs).expect("settings")).await {
        Ok(_) => panic!("the server started with {extra:?}"),
        Err(error) => format!("{error:#}"),
    }
}

#[actix_web::test]
async fn the_provider_is_chosen_by_configuration() {
    assert_eq!(settings(&[]).expect("settings").accounts.identity_provider, IdentityProviderKind::Local);
    let local = settings(&[("IDENTITY_PROVIDER", "local")]).expect("settings");
    assert_eq!(local.accounts.identity_provider, IdentityProviderKind::Local);
    let http = settings(&[
        ("IDENTITY_PROVIDER", "http"),
        ("IDENTITY_PROVIDER_URL", "https://onfido.example.com/v3.6"),
        ("IDENTITY_PROVIDER_TOKEN", TOKEN),
    ])
    .expect("settings");
    assert_eq!(http.accounts.identity_provider, IdentityProviderKind::Http);
    assert_eq!(http.accounts.identity_provider_url.as_deref(), Some("https://onfido.example.com/v3.6"));
    assert!(!format!("{http:?}").contains(TOKEN), "the token stays out of Debug");

    let bogus = format!("{:#}", settings(&[("IDENTITY_PROVIDER", "bogus")]).expect_err("bogus refused"));
    assert!(bogus.contains("IDENTITY_PROVIDER"), "{bogus}");

    let database = store::TestDatabase::new().expect("test database");
    let no_url = build_error(&database, &[("IDENTITY_PROVIDER", "http")]).await;
    assert!(no_url.contains("IDENTITY_PROVIDER_URL"), "{no_url}");
    let not_http =
        build_error(&database, &[("IDENTITY_PROVIDER", "http"), ("IDENTITY_PROVIDER_URL", "ftp://onfido.example.com")])
            .await;
    assert!(not_http.contains("IDENTITY_PROVIDER_URL"), "{not_http}");
}
