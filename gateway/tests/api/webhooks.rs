//! Webhooks: registering and renewing endpoints, listing them without their secrets, and posting signed test
//! events to a real receiver (createWebhook, accountWebhooks, testWebhook; providers.md section 8).

use std::time::Duration;

use actix_web::{App, HttpResponse, HttpServer, web};
use chrono::TimeDelta;
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::harness::{Answer, Api, Client, SEED_PASSWORD, SIGNUP_CODE};
use crate::receiver::{Received, Receiver, Reply};

const CREATE: &str =
    "mutation Hook($data: CreateWebhookInput!) { createWebhook(data: $data) { message id webhookSecret } }";
const LIST: &str =
    "query { accountWebhooks { id webhookEndpoint createdAt active lastDeliveryStatus lastDeliveryAt } }";
const TEST: &str = "mutation Test($id: ID!) { testWebhook(id: $id) { payload response } }";

const CREATED: &str = "Webhook successfully created.";
const LOGGED_OUT: &str = "You must be logged in.";
const BUSINESS_ONLY: &str = "This is only available to business accounts.";
const DISABLED: &str = "This account is disabled. Please contact support.";
const INVALID: &str = "This is not a valid webhook URL.";
const NEEDS_HTTPS: &str = "Webhook URLs must use https.";
const PRIVATE: &str = "Webhook URLs must not point to a private or local network address.";
const NOT_FOUND: &str = "The webhook URL's host could not be found.";
const TOO_MANY: &str = "You have reached the maximum number of webhooks.";
const NO_SUCH: &str = "There is no webhook with this id.";
const TROUBLE: &str = "Trouble posting test webhook to your system";

/// A public IP literal: accepted with the switch off without any name lookup, and never connected to here.
const PUBLIC: &str = "https://93.184.216.34/hook";

/// A server that accepts the test receiver on 127.0.0.1 over http.
async fn allowing_private() -> Api {
    Api::start_with(&[("WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true")]).await
}

async fn create(client: &Client, endpoint: &str) -> Answer {
    client.graphql(CREATE, json!({ "data": { "webhookEndpoint": endpoint } })).await
}

/// Creates (or renews) a webhook and answers its id and secret, checking the success answer.
async fn created(client: &Client, endpoint: &str) -> (String, String) {
    let answer = create(client, endpoint).await;
    let result = &answer.assert_ok()["createWebhook"];
    assert_eq!(result["message"], CREATED, "{:?}", answer.body);
    let id = result["id"].as_str().expect("an id").to_owned();
    let secret = result["webhookSecret"].as_str().expect("a secret").to_owned();
    assert!(!id.is_empty());
    assert_v4(&secret);
    (id, secret)
}

#[track_caller]
fn assert_v4(secret: &str) {
    let uuid = uuid::Uuid::parse_str(secret).expect("the secret is a UUID");
    assert_eq!(uuid.get_version_num(), 4, "{secret}");
    assert_eq!(uuid.get_variant(), uuid::Variant::RFC4122, "{secret}");
    assert_eq!(uuid.hyphenated().to_string(), secret, "lower-case hyphenated text");
}

async fn list(client: &Client) -> Vec<Value> {
    match client.graphql(LIST, json!({})).await.assert_ok()["accountWebhooks"].clone() {
        Value::Array(webhooks) => webhooks,
        other => panic!("accountWebhooks answered {other}"),
    }
}

async fn listed(client: &Client, id: &str) -> Value {
    list(client).await.into_iter().find(|w| w["id"] == id).unwrap_or_else(|| panic!("webhook {id} is listed"))
}

async fn test(client: &Client, id: &str) -> Answer {
    client.graphql(TEST, json!({ "id": id })).await
}

async fn account_id(client: &Client) -> String {
    client.account_id().await.assert_ok()["account"]["id"].as_str().expect("account id").to_owned()
}

/// Another business account on the same server, in a client of its own.
async fn other_business(api: &Api) -> Client {
    let other = api.client();
    other
        .sign_up(json!({ "accountType": "BUSINESS", "country": "US", "currency": "USD", "email": "other@example.com",
                         "password": SEED_PASSWORD, "signUpSecret": SIGNUP_CODE }))
        .await
        .assert_ok();
    other
}

fn set_active(api: &Api, id: &str, active: bool) {
    use store::schema::webhooks;
    let mut conn = api.state.pool.get().expect("connection");
    let changed = diesel::update(webhooks::table.find(id)).set(webhooks::active.eq(active)).execute(&mut conn);
    assert_eq!(changed.expect("webhook updated"), 1);
}

/// Points a webhook elsewhere by hand, as if it had been stored so (its sealed secret stays bound to its id).
fn set_endpoint(api: &Api, id: &str, endpoint: &str) {
    use store::schema::webhooks;
    let mut conn = api.state.pool.get().expect("connection");
    let changed = diesel::update(webhooks::table.find(id)).set(webhooks::endpoint.eq(endpoint)).execute(&mut conn);
    assert_eq!(changed.expect("webhook updated"), 1);
}

/// Whether the delivery's header signature and JWT signature both verify with `secret`.
fn signed_with(received: &Received, secret: &str) -> (bool, bool) {
    (received.header_signature(secret).1, received.jwt_claims(secret).is_some())
}

/// Checks one test delivery as providers.md section 8 describes it, signed with `secret`; answers its claims.
#[track_caller]
fn verified_delivery(received: &Received, secret: &str) -> Value {
    assert_eq!(received.path, "/hook");
    assert_eq!(received.header("content-type"), Some("application/jwt"), "{received:?}");
    assert_eq!(received.header("user-agent"), Some("borderless-webhooks/1"), "{received:?}");
    assert_eq!(received.header("borderless-event"), Some("test"), "{received:?}");
    assert!(received.header("borderless-delivery").is_some_and(|d| !d.trim().is_empty()), "{received:?}");
    assert_eq!(signed_with(received, secret), (true, true), "both signatures verify with the secret");
    let claims = received.jwt_claims(secret).expect("verified claims");
    let (t, _) = received.header_signature(secret);
    let iat = claims["iat"].as_i64().expect("iat in Unix seconds");
    assert!((t - iat).abs() <= 300, "t {t} is the attempt's time, iat {iat} the event's");
    claims
}

/// Checks a test payload has exactly the documented claims for this account.
#[track_caller]
fn assert_test_payload(payload: &Value, account: &str) {
    let object = payload.as_object().expect("an object");
    let mut names: Vec<&str> = object.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        ["accountId", "amount", "currency", "description", "event", "iat", "jti", "paymentId", "status", "sub"],
        "{payload}"
    );
    assert_eq!(payload["sub"], "borderless webhook");
    assert!(payload["iat"].as_i64().is_some_and(|iat| iat > 1_600_000_000), "{payload}");
    assert!(payload["jti"].as_str().is_some_and(|jti| !jti.is_empty()), "{payload}");
    assert_eq!(payload["event"], "test");
    assert_eq!(payload["accountId"], account);
    assert_eq!(payload["paymentId"], "aaa111bbb222ccc333");
    assert_eq!(payload["amount"], json!(590.27));
    assert_eq!(payload["currency"], "USD");
    assert_eq!(payload["description"], "A unique identifier or order number goes here");
    assert_eq!(payload["status"], "TEST");
}

/// Asserts an I-2202w refusal with this reason and status extension (none when `status` is `None`).
#[track_caller]
fn assert_trouble(answer: &Answer, reason: &str, status: Option<u16>) {
    answer.assert_refused("testWebhook", "I-2202w", TROUBLE);
    let extensions = &answer.body["errors"][0]["extensions"];
    assert_eq!(extensions["reason"], reason, "{:?}", answer.body);
    match status {
        Some(status) => assert_eq!(extensions["status"], status, "{:?}", answer.body),
        None => assert!(extensions.get("status").is_none(), "no status without an answer: {:?}", answer.body),
    }
}

/// Every text column of every `webhooks` row.
fn webhook_rows(api: &Api) -> Vec<String> {
    use store::schema::webhooks;
    let mut conn = api.state.pool.get().expect("connection");
    let rows: Vec<(String, String, String, String)> = webhooks::table
        .select((webhooks::id, webhooks::account_id, webhooks::endpoint, webhooks::sealed_secret))
        .load(&mut conn)
        .expect("webhooks");
    rows.into_iter().flat_map(|(a, b, c, d)| [a, b, c, d]).collect()
}

/// The bytes of the SQLite database files (main file, journal and write-ahead log), empty for PostgreSQL.
fn database_bytes(api: &Api) -> Vec<u8> {
    let path = api.database_url();
    let mut bytes = Vec::new();
    for suffix in ["", "-wal", "-journal"] {
        if let Ok(read) = std::fs::read(format!("{path}{suffix}")) {
            bytes.extend(read);
        }
    }
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle.as_bytes())
}

/// A server on 127.0.0.1 that answers every request with a 302 to `location`.
fn redirecting_to(location: String) -> String {
    let server = HttpServer::new(move || {
        let location = location.clone();
        App::new().default_service(web::to(move || {
            let location = location.clone();
            async move { HttpResponse::Found().insert_header(("Location", location)).finish() }
        }))
    })
    .workers(1)
    .disable_signals()
    .bind(("127.0.0.1", 0))
    .expect("redirector bound");
    let port = server.addrs()[0].port();
    actix_web::rt::spawn(server.run());
    format!("http://127.0.0.1:{port}/hook")
}

#[actix_web::test]
async fn a_created_webhook_is_listed_without_its_secret_which_is_not_stored_in_clear() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    assert_eq!(list(&api).await, Vec::<Value>::new(), "none before the first");

    let (id, secret) = created(&api, PUBLIC).await;

    let answer = api.graphql(LIST, json!({})).await;
    let webhooks = answer.assert_ok()["accountWebhooks"].as_array().expect("a list").clone();
    assert_eq!(webhooks.len(), 1, "{:?}", answer.body);
    let webhook = &webhooks[0];
    assert_eq!(webhook["id"], id.as_str());
    assert_eq!(webhook["webhookEndpoint"], PUBLIC);
    assert!(webhook["createdAt"].as_str().is_some_and(|at| chrono::DateTime::parse_from_rfc3339(at).is_ok()));
    assert_eq!(webhook["active"], true);
    assert_eq!(webhook["lastDeliveryStatus"], Value::Null);
    assert_eq!(webhook["lastDeliveryAt"], Value::Null);

    // No field carries the secret, whole or in part (its longest groups; the short ones could match by chance).
    let text = answer.body.to_string();
    let groups: Vec<&str> = secret.split('-').collect();
    for part in [secret.as_str(), groups[0], groups[4], &secret.replace('-', "")] {
        assert!(!text.contains(part), "{part} shown in {text}");
    }

    // At rest: not in any text column of the row, nor anywhere in the database files.
    let rows = webhook_rows(&api);
    assert_eq!(rows.len(), 4, "one row");
    for column in &rows {
        assert!(!column.contains(&secret) && !column.contains(&secret.replace('-', "")), "{column}");
    }
    let bytes = database_bytes(&api);
    if std::env::var("TEST_DATABASE_URL").is_err() {
        assert!(contains(&bytes, &id), "the SQLite files read hold the row");
    }
    assert!(!contains(&bytes, &secret), "the secret is in the database file");
    assert!(!contains(&bytes, &secret.replace('-', "")), "the secret is in the database file");

    // Every creation makes a fresh secret; the list is oldest first.
    api.advance(TimeDelta::minutes(5)).await;
    let (later, another) = created(&api, "https://93.184.216.34/other").await;
    assert_ne!(another, secret);
    let ids: Vec<Value> = list(&api).await.into_iter().map(|w| w["id"].clone()).collect();
    assert_eq!(ids, [json!(id), json!(later)]);
}

#[actix_web::test]
async fn urls_are_normalised_and_stored_trimmed() {
    let api = allowing_private().await;
    api.sign_up_seed().await;
    let receiver = Receiver::start().await;
    let base = receiver.url.trim_end_matches("/hook").to_owned();
    let port = base.rsplit(':').next().expect("a port").to_owned();
    let cases = [
        (format!("HTTP://127.0.0.1:{port}"), format!("http://127.0.0.1:{port}/")),
        (format!("  http://LOCALHOST:{port}/In?x=1  "), format!("http://localhost:{port}/In?x=1")),
        ("http://127.0.0.1:80/drop".to_owned(), "http://127.0.0.1/drop".to_owned()),
        ("HTTPS://127.0.0.1:443".to_owned(), "https://127.0.0.1/".to_owned()),
    ];
    for (given, stored) in &cases {
        let (id, _) = created(&api, given).await;
        assert_eq!(listed(&api, &id).await["webhookEndpoint"], stored.as_str(), "{given}");
    }
    assert_eq!(list(&api).await.len(), cases.len());
}

#[actix_web::test]
async fn with_the_switch_on_names_are_not_resolved_at_creation() {
    // createWebhook rule 6: "With the switch on, neither check is made" (no lookup, so no I-2206 either).
    let api = allowing_private().await;
    api.sign_up_seed().await;
    let (id, _) = created(&api, "HTTPS://Hooks.Example.COM:443").await;
    assert_eq!(listed(&api, &id).await["webhookEndpoint"], "https://hooks.example.com/");
    created(&api, "https://no-such-host.invalid/").await;
}

#[actix_web::test]
async fn creating_a_known_url_again_renews_its_secret_and_reactivates_it() {
    let api = allowing_private().await;
    api.sign_up_seed().await;
    let receiver = Receiver::start().await;
    let (id, old_secret) = created(&api, &receiver.url).await;
    let before = listed(&api, &id).await;

    set_active(&api, &id, false);
    assert_eq!(listed(&api, &id).await["active"], false);
    api.advance(TimeDelta::hours(1)).await;

    // The same URL once normalised.
    let (renewed_id, new_secret) = created(&api, &receiver.url.replace("http://", "HTTP://")).await;
    assert_eq!(renewed_id, id, "the same webhook");
    assert_ne!(new_secret, old_secret, "a new secret");
    let after = listed(&api, &id).await;
    assert_eq!(after["createdAt"], before["createdAt"], "createdAt is kept");
    assert_eq!(after["webhookEndpoint"], before["webhookEndpoint"]);
    assert_eq!(after["active"], true, "active again");
    assert_eq!(list(&api).await.len(), 1, "not added twice");
    for column in webhook_rows(&api) {
        assert!(!column.contains(&new_secret), "{column}");
    }

    // The old secret stops working at once: the test event is signed with the new one only.
    test(&api, &id).await.assert_ok();
    let received = receiver.received();
    assert_eq!(received.len(), 1);
    verified_delivery(&received[0], &new_secret);
    assert_eq!(signed_with(&received[0], &old_secret), (false, false), "the old secret no longer signs");
}

#[actix_web::test]
async fn create_webhook_refuses_in_the_order_of_its_rules() {
    let api = Api::start().await;

    // Rule 1 before the URL is looked at.
    create(&api, "test-endpoint").await.assert_refused("createWebhook", "I-4100", LOGGED_OUT);
    create(&api, PUBLIC).await.assert_refused("createWebhook", "I-4100", LOGGED_OUT);
    api.graphql(LIST, json!({})).await.assert_refused("accountWebhooks", "I-4100", LOGGED_OUT);

    // Rule 2.
    let person = api.client();
    person.sign_up_person("person@example.com").await;
    create(&person, PUBLIC).await.assert_refused("createWebhook", "I-4105", BUSINESS_ONLY);
    create(&person, "test-endpoint").await.assert_refused("createWebhook", "I-4105", BUSINESS_ONLY);
    person.graphql(LIST, json!({})).await.assert_refused("accountWebhooks", "I-4105", BUSINESS_ONLY);

    // Rule 3, before the URL too; listing stays possible.
    let disabled = api.client();
    disabled
        .sign_up(json!({ "accountType": "BUSINESS", "country": "US", "currency": "USD", "email": "closed@example.com",
                         "password": SEED_PASSWORD, "signUpSecret": SIGNUP_CODE }))
        .await
        .assert_ok();
    let (id, _) = created(&disabled, PUBLIC).await;
    let account = account_id(&disabled).await;
    api.admin(&["disable-account", &account]).await;
    create(&disabled, "https://93.184.216.34/new").await.assert_refused("createWebhook", "I-4430", DISABLED);
    create(&disabled, PUBLIC).await.assert_refused("createWebhook", "I-4430", DISABLED);
    create(&disabled, "test-endpoint").await.assert_refused("createWebhook", "I-4430", DISABLED);
    assert!(list(&disabled).await.iter().all(|w| w["id"] == id.as_str()));

    api.sign_up_seed().await;
    let too_long = format!("https://93.184.216.34/{}", "a".repeat(2049 - "https://93.184.216.34/".len()));
    assert_eq!(too_long.len(), 2049);
    for invalid in [
        "test-endpoint",
        "",
        "   ",
        "ftp://x.com/",
        "https://user:pw@example.com/",
        "https://user@example.com/",
        "https://example.com/#frag",
        "https://93.184.216.34/#",
        "mailto:someone@example.com",
        "/relative/path",
        too_long.as_str(),
    ] {
        create(&api, invalid).await.assert_refused("createWebhook", "I-2203", INVALID);
    }
    // At most 2048 characters: the longest is accepted, surrounding blanks not counted.
    let longest = &too_long[..2048];
    created(&api, &format!("  {longest}  ")).await;

    // Rule 5 before rule 6.
    for http in ["http://example.com/", "http://127.0.0.1/hook", "HTTP://93.184.216.34/hook"] {
        create(&api, http).await.assert_refused("createWebhook", "I-2204", NEEDS_HTTPS);
    }

    for private in [
        "https://127.0.0.1/",
        "https://127.255.0.9:8443/x",
        "https://[::1]/",
        "https://10.0.0.1/",
        "https://172.16.0.1/",
        "https://172.31.255.255/",
        "https://192.168.1.1/",
        "https://169.254.169.254/",
        "https://100.64.0.1/",
        "https://0.0.0.0/",
        "https://224.0.0.1/",
        "https://240.0.0.1/",
        "https://255.255.255.255/",
        "https://[::]/",
        "https://[fc00::1]/",
        "https://[fe80::1]/",
        "https://[ff02::1]/",
        "https://[::ffff:127.0.0.1]/",
        "https://[::ffff:10.1.2.3]/",
        "https://localhost/",
        "https://LOCALHOST:8443/hook",
    ] {
        create(&api, private).await.assert_refused("createWebhook", "I-2205", PRIVATE);
    }

    create(&api, "https://no-such-host.invalid/").await.assert_refused("createWebhook", "I-2206", NOT_FOUND);

    // Public literals pass (no connection is made at creation).
    created(&api, PUBLIC).await;
    created(&api, "https://172.32.0.1/hook").await;
    created(&api, "https://[2606:4700:4700::1111]/hook").await;
    assert_eq!(list(&api).await.len(), 4, "the longest URL and the three public ones; nothing refused was stored");
}

#[actix_web::test]
async fn an_account_has_at_most_the_configured_number_of_active_webhooks() {
    let api = Api::start_with(&[("WEBHOOKS_MAX_PER_ACCOUNT", "2")]).await;
    api.sign_up_seed().await;
    let (a, _) = created(&api, "https://93.184.216.34/a").await;
    created(&api, "https://93.184.216.34/b").await;
    create(&api, "https://93.184.216.34/c").await.assert_refused("createWebhook", "I-2207", TOO_MANY);

    // Renewing an active one needs no free slot.
    let (renewed, _) = created(&api, "https://93.184.216.34/a").await;
    assert_eq!(renewed, a);

    // Another account has slots of its own.
    let other = other_business(&api).await;
    created(&other, "https://93.184.216.34/a").await;
    created(&other, "https://93.184.216.34/c").await;

    // An inactive webhook frees its slot, and renewing it then needs one.
    set_active(&api, &a, false);
    created(&api, "https://93.184.216.34/c").await;
    create(&api, "https://93.184.216.34/a").await.assert_refused("createWebhook", "I-2207", TOO_MANY);
    assert_eq!(listed(&api, &a).await["active"], false, "the refused renewal changed nothing");
    assert_eq!(list(&api).await.len(), 3);
}

#[actix_web::test]
async fn a_test_event_is_posted_signed_and_answered_with_what_was_sent_and_received() {
    let api = allowing_private().await;
    api.sign_up_seed().await;
    let account = account_id(&api).await;
    let receiver = Receiver::start().await;
    let (id, secret) = created(&api, &receiver.url).await;
    assert!(receiver.received().is_empty(), "creating sends nothing");

    let answer = test(&api, &id).await;
    let result = &answer.assert_ok()["testWebhook"];
    let payload = &result["payload"];
    assert_test_payload(payload, &account);
    assert_eq!(result["response"], json!({ "status": 200, "body": "ok" }));

    let received = receiver.received();
    assert_eq!(received.len(), 1, "one attempt: {received:?}");
    let claims = verified_delivery(&received[0], &secret);
    assert_eq!(&claims, payload, "the JWT carries the answered payload");

    let webhook = listed(&api, &id).await;
    assert_eq!(webhook["lastDeliveryStatus"], "DELIVERED");
    assert!(webhook["lastDeliveryAt"].as_str().is_some_and(|at| chrono::DateTime::parse_from_rfc3339(at).is_ok()));
    assert_eq!(webhook["active"], true);

    // A JSON answer is shown parsed, an empty one as an empty string; each test is a new event.
    receiver.reply_next([Reply::json(201, &json!({ "received": true, "n": [1, 2] })), Reply::status(204)]);
    let answer = test(&api, &id).await;
    let second = &answer.assert_ok()["testWebhook"];
    assert_eq!(second["response"], json!({ "status": 201, "body": { "received": true, "n": [1, 2] } }));
    assert_test_payload(&second["payload"], &account);
    assert_ne!(second["payload"]["jti"], payload["jti"], "a new event id");
    let answer = test(&api, &id).await;
    assert_eq!(answer.assert_ok()["testWebhook"]["response"], json!({ "status": 204, "body": "" }));

    let received = receiver.received();
    assert_eq!(received.len(), 3);
    assert_eq!(verified_delivery(&received[1], &secret), second["payload"]);
    assert_ne!(received[1].header("borderless-delivery"), received[0].header("borderless-delivery"));
}

#[actix_web::test]
async fn test_webhook_refuses_callers_and_ids_that_are_not_the_accounts() {
    let api = allowing_private().await;
    let receiver = Receiver::start().await;
    let other = other_business(&api).await;
    let (others, _) = created(&other, &receiver.url).await;

    test(&api, &others).await.assert_refused("testWebhook", "I-4100", LOGGED_OUT);
    let person = api.client();
    person.sign_up_person("person@example.com").await;
    test(&person, &others).await.assert_refused("testWebhook", "I-4105", BUSINESS_ONLY);

    api.sign_up_seed().await;
    let unknown = test(&api, "0190b7e2-1a2b-7c3d-8e4f-5a6b7c8d9e0f").await;
    unknown.assert_refused("testWebhook", "I-2201", NO_SUCH);
    let foreign = test(&api, &others).await;
    foreign.assert_refused("testWebhook", "I-2201", NO_SUCH);
    assert_eq!(foreign.body, unknown.body, "another account's webhook looks unknown");
    assert!(receiver.received().is_empty(), "nothing was posted");
    assert_eq!(listed(&other, &others).await["lastDeliveryStatus"], Value::Null);
}

#[actix_web::test]
async fn an_answer_that_is_not_2xx_fails_the_test_and_redirects_are_not_followed() {
    let api = allowing_private().await;
    api.sign_up_seed().await;
    let receiver = Receiver::start().await;
    let (id, secret) = created(&api, &receiver.url).await;

    receiver.reply_next([Reply::text(500, "x")]);
    assert_trouble(&test(&api, &id).await, "status", Some(500));
    assert_eq!(receiver.received().len(), 1, "one attempt, no retry");
    verified_delivery(&receiver.received()[0], &secret);
    let webhook = listed(&api, &id).await;
    assert_eq!(webhook["lastDeliveryStatus"], "FAILED", "a failed test is FAILED at once");
    assert!(webhook["lastDeliveryAt"].is_string());

    receiver.reply_next([Reply::text(404, "missing")]);
    assert_trouble(&test(&api, &id).await, "status", Some(404));

    // A success after failures: DELIVERED is the latest state.
    test(&api, &id).await.assert_ok();
    assert_eq!(listed(&api, &id).await["lastDeliveryStatus"], "DELIVERED");

    let target = Receiver::start().await;
    let redirector = redirecting_to(target.url.clone());
    let (moved, _) = created(&api, &redirector).await;
    assert_trouble(&test(&api, &moved).await, "status", Some(302));
    assert!(target.received().is_empty(), "the redirect was not followed");
    assert_eq!(listed(&api, &moved).await["lastDeliveryStatus"], "FAILED");
}

#[actix_web::test]
async fn a_closed_port_fails_the_test_with_reason_connect() {
    let api = allowing_private().await;
    api.sign_up_seed().await;
    let receiver = Receiver::start().await;
    let (id, _) = created(&api, &receiver.url).await;
    receiver.stop().await;
    assert_trouble(&test(&api, &id).await, "connect", None);
    assert_eq!(listed(&api, &id).await["lastDeliveryStatus"], "FAILED");

    // A host with no address (the row pointed at one by hand): reason dns.
    set_endpoint(&api, &id, "http://no-such-host.invalid/hook");
    assert_trouble(&test(&api, &id).await, "dns", None);
}

#[actix_web::test]
async fn a_slow_receiver_fails_the_test_with_reason_timeout() {
    let api = Api::start_with(&[("WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true"), ("WEBHOOK_TIMEOUT", "1s")]).await;
    api.sign_up_seed().await;
    let receiver = Receiver::start().await;
    let (id, _) = created(&api, &receiver.url).await;
    receiver.reply_next([Reply::text(200, "late").slow(Duration::from_secs(3))]);
    let started = std::time::Instant::now();
    assert_trouble(&test(&api, &id).await, "timeout", None);
    assert!(started.elapsed() < Duration::from_millis(2900), "cut at WEBHOOK_TIMEOUT, not at the answer");
    assert_eq!(listed(&api, &id).await["lastDeliveryStatus"], "FAILED");
}

#[actix_web::test]
async fn with_the_switch_off_a_private_target_is_not_posted_to() {
    // The row a server with the switch on would have stored for the receiver (a sealed secret bound to the
    // id, the endpoint as stored): made here by creating a public one and pointing it at 127.0.0.1.
    let api = Api::start().await;
    api.sign_up_seed().await;
    let receiver = Receiver::start().await;
    let (id, _) = created(&api, PUBLIC).await;
    // As an IP literal, and as a name that now resolves to loopback.
    for endpoint in [receiver.url.clone(), receiver.url.replace("127.0.0.1", "localhost")] {
        set_endpoint(&api, &id, &endpoint);
        test(&api, &id).await.assert_refused("testWebhook", "I-2205", PRIVATE);
    }
    assert!(receiver.received().is_empty(), "nothing was posted");
}

#[actix_web::test]
async fn a_successful_test_makes_an_inactive_webhook_active_again() {
    let api = allowing_private().await;
    api.sign_up_seed().await;
    let receiver = Receiver::start().await;
    let (id, _) = created(&api, &receiver.url).await;

    set_active(&api, &id, false);
    receiver.reply_next([Reply::text(500, "x")]);
    assert_trouble(&test(&api, &id).await, "status", Some(500));
    assert_eq!(
        listed(&api, &id).await["active"],
        false,
        "inactive webhooks can be tested; a failure does not activate"
    );

    test(&api, &id).await.assert_ok();
    let webhook = listed(&api, &id).await;
    assert_eq!(webhook["active"], true);
    assert_eq!(webhook["lastDeliveryStatus"], "DELIVERED");
}

#[actix_web::test]
async fn a_webhook_made_with_the_switch_on_is_refused_by_a_server_with_it_off() {
    let api = allowing_private().await;
    api.sign_up_seed().await;
    let receiver = Receiver::start().await;
    let (id, _) = created(&api, &receiver.url).await;

    let strict = Api::start_beside(&api, &[("WEBHOOKS_ALLOW_PRIVATE_TARGETS", "false")]).await;
    strict.login(crate::harness::SEED_EMAIL, SEED_PASSWORD).await.assert_ok();
    test(&strict, &id).await.assert_refused("testWebhook", "I-2205", PRIVATE);
    assert!(receiver.received().is_empty(), "nothing was posted");
}
