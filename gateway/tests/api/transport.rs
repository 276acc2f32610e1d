use actix_web::http::StatusCode;
use diesel::connection::SimpleConnection;
use serde_json::json;

use crate::harness::Api;

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
    api.state.pool.get().expect("connection").batch_execute("DROP TABLE accounts").expect("table dropped");
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
    assert!(unnamed.body["errors"][0]["message"].is_string(), "{:?}", unnamed.body);
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
    assert!(huge.body["errors"][0]["message"].as_str().is_some_and(|m| m.contains("field")), "{:?}", huge.body);
}
