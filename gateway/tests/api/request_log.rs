//! Request logs (issue 16, item 8): the real `borderless` binary, started with `LOG_FORMAT=json`, writes one
//! JSON line per HTTP request with its id, method, path, status, GraphQL operation name, outcome code and
//! duration; and after a whole scenario (sign-up, email confirmation, account setup with a tax id, a typed-in
//! bank account, logins and logouts) its log holds none of the secrets the scenario sent or received.

use serde_json::{Value, json};

use crate::fixtures::{personal_setup, tax_ids};
use crate::harness::Api;
use crate::processes::Served;

const EMAIL: &str = "request-log@example.com";
const PASSWORD: &str = "L0gLinePassw0rdQz";
const WRONG_PASSWORD: &str = "Wr0ngLinePassw0rdZq";
const ACCOUNT_NUMBER: &str = "73019284655";
/// Sent in query strings only: the log must not show them.
const QUERY_MARKER: &str = "qs-marker-5b8e1d";

const SIGN_UP: &str = "mutation SignUp($data: CreateLoginPersonAndAccountInput!) { createLoginPersonAndAccount(data: $data) { user { loginId } } }";
const LOGIN: &str = "mutation LogIn($data: LoginInput!) { login(data: $data) { user { loginId } } }";
const LOGOUT: &str = "mutation { logout { message } }";
const ADD_BANK: &str = "mutation AddBank($data: AddBankAccountInput!) { addBankAccount(data: $data) { message } }";

/// What the log line of one request must say.
struct Expected {
    request_id: String,
    method: &'static str,
    path: &'static str,
    status: u16,
    operation: Option<&'static str>,
    outcome: Option<&'static str>,
}

/// A browser speaking to the binary: its cookie, every request it made and every secret it saw.
struct Browser {
    http: awc::Client,
    address: String,
    cookie: Option<String>,
    sent: Vec<Expected>,
    secrets: Vec<String>,
}

impl Browser {
    /// Sends one request and records what its log line must say; answers the body.
    async fn send(
        &mut self,
        (method, path_and_query): (&'static str, &str),
        body: Option<String>,
        expected: (&'static str, Option<&'static str>, Option<&'static str>),
    ) -> Value {
        let url = format!("http://{}{path_and_query}", self.address);
        let mut request = if method == "POST" { self.http.post(url) } else { self.http.get(url) };
        if let Some(cookie) = &self.cookie {
            request = request.insert_header(("cookie", format!("borderless_session={cookie}")));
        }
        let sent = match body {
            Some(body) => request.insert_header(("content-type", "application/json")).send_body(body).await,
            None => request.send().await,
        };
        let mut response = sent.expect("the server answers");
        if let Some(set) = response.cookie("borderless_session") {
            let value = set.value().to_owned();
            if !value.is_empty() {
                self.secrets.push(value.clone());
            }
            let removed = set.max_age().is_some_and(|age| age.is_zero());
            self.cookie = Some(value).filter(|v| !v.is_empty() && !removed);
        }
        let request_id = response
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .expect("an x-request-id header")
            .to_owned();
        let (path, operation, outcome) = expected;
        self.sent.push(Expected { request_id, method, path, status: response.status().as_u16(), operation, outcome });
        let bytes = response.body().limit(1 << 20).await.expect("a body");
        serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
    }

    async fn graphql(
        &mut self,
        query: &str,
        variables: Value,
        operation: Option<&'static str>,
        outcome: &'static str,
    ) -> Value {
        let body = json!({ "query": query, "variables": variables }).to_string();
        let answer = self.send(("POST", "/graphql"), Some(body), ("/graphql", operation, Some(outcome))).await;
        let code = answer["errors"][0]["extensions"]["code"].as_str().unwrap_or("OK");
        assert_eq!(code, outcome, "{answer}");
        answer
    }
}

#[actix_web::test]
async fn every_request_gets_one_json_line_and_no_secret_reaches_the_log() {
    let api = Api::start().await;
    let served = Served::start_logging(&api, &[("LOG_FORMAT", "json"), ("RUST_LOG", "info")]);
    let slug = "requestlog";
    let tax_id = tax_ids(slug).0;
    let mut browser = Browser {
        http: awc::Client::default(),
        address: served.address.clone(),
        cookie: None,
        sent: Vec::new(),
        secrets: vec![PASSWORD.to_owned(), WRONG_PASSWORD.to_owned(), ACCOUNT_NUMBER.to_owned(), tax_id.clone()],
    };
    // The digits of the tax id alone, as a careless log might write them.
    browser.secrets.push(tax_id.replace('-', ""));

    browser.send(("GET", &format!("/healthz?probe={QUERY_MARKER}")), None, ("/healthz", None, None)).await;
    let sign_up = json!({ "accountType": "PERSONAL", "country": "US", "email": EMAIL, "password": PASSWORD });
    browser.graphql(SIGN_UP, json!({ "data": sign_up }), Some("SignUp"), "OK").await;

    // The email confirmation link carries its token in the query string.
    let mail = api.mailbox(EMAIL).await;
    let link = mail
        .iter()
        .find(|m| m["template"] == "email_verification")
        .and_then(|m| m["links"][0].as_str())
        .expect("a verification link")
        .to_owned();
    let (_, query) = link.split_once("/verify-email?").expect("a link with a query string");
    let token = query.split('&').find_map(|pair| pair.strip_prefix("token=")).expect("a token").to_owned();
    browser.secrets.push(token);
    browser.send(("GET", &format!("/verify-email?{query}")), None, ("/verify-email", None, None)).await;

    let mut setup = personal_setup(slug, "Logwell");
    setup["personalTaxId"] = json!(tax_id);
    browser.graphql("mutation { createAccountSetupSession { message } }", json!({}), None, "OK").await;
    browser
        .graphql(
            "mutation Setup($data: UpdateAccountSetupSessionInput!) { updateAccountSetupSession(data: $data) { message } }",
            json!({ "data": setup }),
            Some("Setup"),
            "OK",
        )
        .await;
    browser.graphql("mutation Submit { submitAccountSetupSession { message } }", json!({}), Some("Submit"), "OK").await;

    let manual = json!({ "accountNumber": ACCOUNT_NUMBER, "routingNumber": "121122676", "bankName": "Chase",
                         "country": "US", "currency": "USD", "accountType": "SAVINGS" });
    browser.graphql(ADD_BANK, json!({ "data": { "manualBankData": manual } }), Some("AddBank"), "OK").await;
    let listed =
        browser.graphql("query Banks { bankAccounts { accountNumber } }", json!({}), Some("Banks"), "OK").await;
    assert_eq!(listed["data"]["bankAccounts"][0]["accountNumber"], "**4655", "{listed}");

    browser.graphql(LOGOUT, json!({}), None, "OK").await;
    assert!(browser.cookie.is_none(), "logout removed the cookie");
    let wrong = json!({ "data": { "email": EMAIL, "password": WRONG_PASSWORD } });
    browser.graphql(LOGIN, wrong, Some("LogIn"), "E-7006").await;
    browser.graphql(LOGIN, json!({ "data": { "email": EMAIL, "password": PASSWORD } }), Some("LogIn"), "OK").await;
    browser.graphql("{ account { status } }", json!({}), None, "OK").await;
    browser.graphql(LOGOUT, json!({}), None, "OK").await;
    browser.graphql("{ account { status } }", json!({}), None, "I-4100").await;

    // A GraphQL query over GET (its name and variables in the query string), a body that is not GraphQL at
    // all, and a path that does not exist.
    let probe = format!("/graphql?query=query%20Probe%20%7B%20__typename%20%7D&trace={QUERY_MARKER}");
    browser.send(("GET", &probe), None, ("/graphql", Some("Probe"), Some("OK"))).await;
    browser.send(("POST", "/graphql"), Some(format!("[\"{QUERY_MARKER}\"]")), ("/graphql", None, None)).await;
    browser.send(("GET", "/nowhere"), None, ("/nowhere", None, None)).await;

    let log = served.stop();
    let lines: Vec<Value> = log
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not a JSON line: {line:?}")))
        .collect();
    let requests: Vec<&Value> = lines.iter().filter(|line| line["message"] == "request").collect();
    assert_eq!(requests.len(), browser.sent.len(), "one line per request:\n{log}");
    for expected in &browser.sent {
        let matching: Vec<&&Value> = requests.iter().filter(|l| l["request_id"] == expected.request_id).collect();
        let [line] = matching.as_slice() else {
            panic!("{} lines for request {}:\n{log}", matching.len(), expected.request_id);
        };
        assert_eq!(line["level"], "INFO", "{line}");
        assert_eq!(line["method"], expected.method, "{line}");
        assert_eq!(line["path"], expected.path, "{line}");
        assert_eq!(line["status"], expected.status, "{line}");
        assert_eq!(line["operation"].as_str(), expected.operation, "{line}");
        assert_eq!(line["outcome"].as_str(), expected.outcome, "{line}");
        assert!(line["duration_ms"].as_f64().is_some_and(|ms| ms >= 0.0), "{line}");
    }
    let statuses: Vec<u16> = browser.sent.iter().map(|e| e.status).collect();
    assert!(statuses.contains(&400) && statuses.contains(&404), "{statuses:?}");

    assert!(browser.secrets.len() >= 8, "the scenario saw its session cookies: {}", browser.secrets.len());
    for secret in browser.secrets.iter().chain([&QUERY_MARKER.to_owned(), &EMAIL.to_owned()]) {
        assert!(!log.contains(secret.as_str()), "{secret:?} is in the log:\n{log}");
    }
}
