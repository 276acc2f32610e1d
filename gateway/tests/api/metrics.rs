//! `GET /metrics` (issue 16, acceptance 6): after a few requests the scrape shows them by route, operation and
//! outcome code with latency histograms, the database pool, the jobs' backlogs and the password-hash queue.

use serde_json::json;

use crate::harness::Api;

#[actix_web::test]
async fn a_scrape_shows_the_requests_by_operation_and_outcome_the_pool_and_the_backlogs() {
    let api = Api::start().await;
    let client = api.client();
    for _ in 0..2 {
        client.graphql("mutation Health { healthCheck { message } }", json!({})).await.assert_ok();
    }
    let refused = client.graphql("query Me { account { id } }", json!({})).await;
    assert_eq!(refused.error_code(), Some("I-4100"));
    // Queued, not yet sent: one email waits in the outbox.
    client.sign_up_person("metrics@example.com").await;

    let scraped = api.get("/metrics").await;
    assert_eq!(scraped.status, actix_web::http::StatusCode::OK);
    let text = scraped.body.as_str().expect("Prometheus text").to_owned();
    let line = |parts: &str| text.lines().find(|line| contains_all(line, parts)).map(str::to_owned);
    let health = line("borderless_http_requests_total|operation=\"Health\"|outcome=\"OK\"|route=\"/graphql\"")
        .unwrap_or_else(|| panic!("no Health series in\n{text}"));
    assert!(health.ends_with(" 2"), "{health}");
    let me = line("borderless_http_requests_total|operation=\"Me\"|outcome=\"I-4100\"").expect("the refusal's series");
    assert!(me.ends_with(" 1"), "{me}");
    assert!(line("borderless_http_request_duration_seconds_bucket|operation=\"Health\"").is_some(), "{text}");
    assert!(line("borderless_db_pool_connections|state=\"in_use\"").is_some(), "{text}");
    assert!(line("borderless_db_pool_max_connections").is_some(), "{text}");
    let outbox = line("borderless_job_backlog|job=\"email_outbox\"").expect("the outbox backlog");
    assert!(outbox.ends_with(" 1"), "{outbox}");
    assert!(line("borderless_password_hashes|state=\"waiting\"").is_some(), "{text}");
    for job in ["settlement", "webhook_deliveries"] {
        assert!(line(&format!("borderless_job_backlog|job=\"{job}\"")).is_some(), "{job} in\n{text}");
    }
}

/// Whether `line` has every `|`-separated part of `parts`.
fn contains_all(line: &str, parts: &str) -> bool {
    parts.split('|').all(|part| line.contains(part))
}
