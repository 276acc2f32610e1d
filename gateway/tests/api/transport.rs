use actix_web::http::StatusCode;
use diesel::connection::SimpleConnection;
use serde_json::json;

use crate::harness::{Api, SEED_EMAIL, SEED_PASSWORD};

#[actix_web::test]
async fn every_answer_carries_a_request_id() {
    let api = Api::start().await;
    let answer = api.graphql("mutation { healthCheck { message } }", json!({})).await;
    let id = answer.headers.get("x-request-id").and_then(|v| v.to_str().ok()).expect("x-request-id");
    assert_eq!(id.len(), 36);
    let other = api.get("/healthz").await;
    assert!(other.headers.get("x-request-id").is_some_and(|v| v.to_str().ok() != Some(id)));
}

#[actix_web::test]
async fn unexpected_failures_reveal_only_a_reference() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    api.state
        .pool
        .get()
        .expect("connection")
        .batch_execute("ALTER TABLE accounts RENAME TO accounts_gone")
        .expect("table renamed");
    let answer = api.account_id().await;
    let id = answer.headers.get("x-request-id").and_then(|v| v.to_str().ok()).expect("x-request-id").to_owned();
    answer.assert_refused("account", "E-0000", &format!("Something went wrong. Reference: {id}"));
    let text = answer.body.to_string();
    assert!(!text.contains("accounts") && !text.to_lowercase().contains("table"), "{text}");
}

#[actix_web::test]
async fn mutations_are_refused_over_get_and_queries_run() {
    let api = Api::start().await;
    let refused = api.get("/graphql?query=mutation%20%7B%20healthCheck%20%7B%20message%20%7D%20%7D").await;
    assert_eq!(refused.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(refused.headers.get("allow").and_then(|v| v.to_str().ok()), Some("POST"));
    let query = api.get("/graphql?query=%7B%20__typename%20%7D").await;
    assert_eq!(query.status, StatusCode::OK);
    assert_eq!(query.body["data"]["__typename"], "Query");
}

/// Validated documents are kept and run again (gateway/src/prepared_operations.rs): what depends on the request
/// (its method, its variables) must still be judged on every request.
#[actix_web::test]
async fn a_document_sent_again_is_judged_again_by_method_and_variables() {
    let api = Api::start().await;
    let mutation = "mutation { healthCheck { message } }";
    api.graphql(mutation, json!({})).await.assert_ok();
    let refused = api.get("/graphql?query=mutation%20%7B%20healthCheck%20%7B%20message%20%7D%20%7D").await;
    assert_eq!(refused.status, StatusCode::METHOD_NOT_ALLOWED);
    let document = "query($shown: Boolean!) { __typename @include(if: $shown) }";
    for shown in [true, false, true] {
        let answer = api.graphql(document, json!({ "shown": shown })).await;
        assert_eq!(answer.assert_ok().get("__typename").is_some(), shown, "{:?}", answer.body);
    }
    let missing = api.graphql(document, json!({})).await;
    assert!(missing.body["errors"][0]["message"].as_str().is_some_and(|m| m.contains("shown")), "{:?}", missing.body);
}

#[actix_web::test]
async fn batches_and_bodies_that_are_not_graphql_requests_are_refused() {
    let api = Api::start().await;
    let batch = api.post_raw("application/json", None, json!([{ "query": "{ __typename }" }]).to_string()).await;
    assert_eq!(batch.status, StatusCode::BAD_REQUEST);
    assert!(batch.body["errors"][0]["message"].as_str().is_some_and(|m| m.contains("Batched")), "{:?}", batch.body);
    for body in ["not json", "{}", r#"{"query": 1}"#, r#"{"query": "{ __typename }", "variables": []}"#] {
        let answer = api.post_raw("application/json", None, body.to_owned()).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{body}");
    }
    let wrong_type = api.post_raw("text/plain", None, json!({ "query": "{ __typename }" }).to_string()).await;
    assert_eq!(wrong_type.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[actix_web::test]
async fn bodies_over_the_limit_are_refused() {
    let api = Api::start().await;
    let padding = " ".repeat(300 * 1024);
    let answer = api.post_raw("application/json", None, format!("{{\"query\": \"{{ __typename }}{padding}\"}}")).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[actix_web::test]
async fn invalid_documents_follow_the_accepted_media_type() {
    let api = Api::start().await;
    let body = json!({ "query": "{ noSuchField }" }).to_string();
    let legacy = api.post_raw("application/json", Some("application/json"), body.clone()).await;
    assert_eq!(legacy.status, StatusCode::OK);
    assert!(legacy.body["errors"][0]["message"].is_string() && legacy.body.get("data").is_none(), "{:?}", legacy.body);
    let modern = api.post_raw("application/json", Some("application/graphql-response+json"), body).await;
    assert_eq!(modern.status, StatusCode::BAD_REQUEST);
    assert!(
        modern
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/graphql-response+json"))
    );
    let html_only =
        api.post_raw("application/json", Some("text/html"), json!({ "query": "{ __typename }" }).to_string()).await;
    assert_eq!(html_only.status, StatusCode::NOT_ACCEPTABLE);
    let unparsable = api.post_raw("application/json", None, json!({ "query": "{" }).to_string()).await;
    assert_eq!(unparsable.status, StatusCode::OK);
    assert!(unparsable.body["errors"][0]["message"].is_string());
}

#[actix_web::test]
async fn one_operation_per_request() {
    let api = Api::start().await;
    let document = "query A { __typename } query B { __typename }";
    let unnamed = api.post_json(&json!({ "query": document })).await;
    assert_eq!(
        unnamed.body["errors"][0]["message"], "Must provide operation name if query contains multiple operations",
        "{:?}",
        unnamed.body
    );
    assert!(unnamed.body.get("data").is_none(), "{:?}", unnamed.body);
    let unknown = api.post_json(&json!({ "query": document, "operationName": "C" })).await;
    assert_eq!(unknown.body["errors"][0]["message"], "Unknown operation", "{:?}", unknown.body);
    let named = api.post_json(&json!({ "query": document, "operationName": "B" })).await;
    assert_eq!(named.assert_ok()["__typename"], "Query");
}

#[actix_web::test]
async fn health_and_readiness_endpoints_answer() {
    let api = Api::start().await;
    assert_eq!(api.get("/healthz").await.status, StatusCode::OK);
    assert_eq!(api.get("/readyz").await.status, StatusCode::OK);
    let graphiql = api.get("/graphiql").await;
    assert_eq!(graphiql.status, StatusCode::OK);
    assert!(graphiql.body.as_str().is_some_and(|page| page.contains("/graphql")));
}

#[actix_web::test]
async fn deep_or_huge_documents_are_refused_before_they_run() {
    let api = Api::start().await;
    let deep = format!("{{ __type(name: \"Query\") {{ {}name{} }} }}", "ofType { ".repeat(40), " }".repeat(40));
    let answer = api.post_json(&json!({ "query": deep })).await;
    assert!(answer.body.get("data").is_none(), "{:?}", answer.body);
    assert!(
        answer.body["errors"][0]["message"].as_str().is_some_and(|m| m.contains("nesting exceeds")),
        "{:?}",
        answer.body
    );

    let fragment = "fragment F on Query { __typename a: __typename b: __typename c: __typename }";
    let spreads = "...F ".repeat(600);
    let huge = api.post_json(&json!({ "query": format!("{{ {spreads} }} {fragment}") })).await;
    assert!(huge.body.get("data").is_none(), "{:?}", huge.body);
    assert_eq!(huge.body["errors"][0]["message"], "Document exceeds the limit of 2000 fields", "{:?}", huge.body);
}

const PASSWORD_LIMIT: &str =
    "A request may run at most one operation that checks a password (createLoginPersonAndAccount, login, …).";

#[actix_web::test]
async fn a_document_runs_at_most_one_password_check_and_refuses_more_before_any_runs() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    let hasher = api.state.services.get::<auth::PasswordHasher>().expect("hasher");
    let before = hasher.operations_started();
    let logins: String = (0..20)
        .map(|i| format!("l{i}: login(data: {{ email: \"{SEED_EMAIL}\", password: \"WrongPassw0rd{i}\" }}) {{ user {{ loginId }} }} "))
        .collect();
    let answer = api.post_json(&json!({ "query": format!("mutation {{ {logins} }}") })).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.body.get("data").is_none(), "{:?}", answer.body);
    assert_eq!(answer.body["errors"][0]["message"], PASSWORD_LIMIT, "{:?}", answer.body);
    assert_eq!(hasher.operations_started(), before, "no password was checked");

    // Through a fragment, and a sign-up beside a login, count the same; the strict media type gets a 400.
    let mixed = format!(
        "mutation {{ ...Both }} fragment Both on Mutation {{ login(data: {{ email: \"{SEED_EMAIL}\", password: \"x\" }}) {{ user {{ loginId }} }} createLoginPersonAndAccount(data: {{ accountType: PERSONAL, country: US, email: \"n@example.com\", password: \"x\" }}) {{ user {{ loginId }} }} }}"
    );
    let body = json!({ "query": mixed }).to_string();
    let strict = api.post_raw("application/json", Some("application/graphql-response+json"), body).await;
    assert_eq!(strict.status, StatusCode::BAD_REQUEST);
    assert_eq!(strict.body["errors"][0]["message"], PASSWORD_LIMIT, "{:?}", strict.body);
    assert_eq!(hasher.operations_started(), before);

    // One password field runs as usual.
    api.login(SEED_EMAIL, SEED_PASSWORD).await.assert_ok();
    assert_eq!(hasher.operations_started(), before + 1);
}

#[actix_web::test]
async fn a_body_that_does_not_arrive_in_time_is_answered_408_and_the_connection_closed() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let api = Api::start_with(&[("REQUEST_BODY_TIMEOUT", "1s")]).await;
    let mut stream = tokio::net::TcpStream::connect(api.addr()).await.expect("connected");
    let head = "POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"query\":";
    stream.write_all(head.as_bytes()).await.expect("head sent");
    // The rest of the body never comes; the server must answer and close on its own.
    let mut answer = Vec::new();
    let read = tokio::time::timeout(std::time::Duration::from_secs(20), stream.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the server kept the connection open");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
}
