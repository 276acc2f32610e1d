//! Every page of `docs/api/` carries an example; each is run against the server here, so the documentation
//! cannot drift from behaviour. A page says which session its example needs:
//! `<!-- example-session: none | signed-up | logged-out -->`.

use std::path::Path;

use regex_lite::Regex;
use serde_json::Value;

use crate::harness::Api;

struct Example {
    page: String,
    session: String,
    request: Value,
    response: Value,
}

fn fenced_block(page: &str, text: &str, tag: &str) -> Value {
    let opening = format!("```json {tag}\n");
    let start = text.find(&opening).unwrap_or_else(|| panic!("{page}: no ```json {tag} block")) + opening.len();
    let length = text[start..].find("```").unwrap_or_else(|| panic!("{page}: unclosed {tag} block"));
    serde_json::from_str(&text[start..start + length]).unwrap_or_else(|e| panic!("{page}: {tag} is not JSON: {e}"))
}

fn examples() -> Vec<Example> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/api");
    let marker = Regex::new(r"<!-- example-session: ([a-z-]+) -->").expect("regex");
    let mut pages: Vec<_> =
        std::fs::read_dir(&folder).expect("docs/api").filter_map(Result::ok).map(|e| e.path()).collect();
    pages.sort();
    pages
        .into_iter()
        .filter(|path| {
            path.extension().is_some_and(|e| e == "md") && path.file_name().is_some_and(|n| n != "README.md")
        })
        .map(|path| {
            let page = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let text = std::fs::read_to_string(&path).expect("page readable");
            let session = marker
                .captures(&text)
                .map(|c| c[1].to_owned())
                .unwrap_or_else(|| panic!("{page}: no example-session marker"));
            Example {
                request: fenced_block(&page, &text, "request"),
                response: fenced_block(&page, &text, "response"),
                session,
                page,
            }
        })
        .collect()
}

/// Documented ids and instants stand for any id and any instant; everything else must be equal.
fn matches(documented: &Value, actual: &Value) -> bool {
    let uuid = Regex::new(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$").expect("regex");
    let instant = Regex::new(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$").expect("regex");
    match (documented, actual) {
        (Value::String(d), Value::String(a)) if uuid.is_match(d) => uuid.is_match(a),
        (Value::String(d), Value::String(a)) if instant.is_match(d) => instant.is_match(a),
        (Value::Object(d), Value::Object(a)) => {
            d.len() == a.len() && d.iter().all(|(k, v)| a.get(k).is_some_and(|w| matches(v, w)))
        }
        (Value::Array(d), Value::Array(a)) => d.len() == a.len() && d.iter().zip(a).all(|(v, w)| matches(v, w)),
        _ => documented == actual,
    }
}

#[actix_web::test]
async fn every_documented_example_runs_as_documented() {
    let examples = examples();
    let pages: Vec<&str> = examples.iter().map(|e| e.page.as_str()).collect();
    for operation in [
        "account.md",
        "createLoginPersonAndAccount.md",
        "healthCheck.md",
        "login.md",
        "logout.md",
        "person.md",
        "paymentActivity.md",
        "paymentActivityById.md",
        "contacts.md",
        "tradeConfirmationForPayment.md",
    ] {
        assert!(pages.contains(&operation), "docs/api/{operation} is missing");
    }
    for example in examples {
        let api = Api::start().await;
        match example.session.as_str() {
            "none" => {}
            "signed-up" => {
                api.sign_up_seed().await;
            }
            "logged-out" => {
                api.sign_up_seed().await;
                api.set_cookie(None);
            }
            other => panic!("{}: unknown example-session {other}", example.page),
        }
        let answer = api.post_json(&example.request).await;
        assert!(
            matches(&example.response, &answer.body),
            "{}: documented\n{:#}\nbut the server answered\n{:#}",
            example.page,
            example.response,
            answer.body
        );
    }
}

#[test]
fn every_payment_request_operation_has_its_page() {
    let pages: Vec<String> = examples().into_iter().map(|e| e.page).collect();
    for operation in [
        "requestPayment.md",
        "requestedPayments.md",
        "paymentRequestById.md",
        "resendPaymentRequest.md",
        "declinePaymentRequest.md",
        "generatePayMeRequest.md",
        "createPaymentForRequestSession.md",
    ] {
        assert!(pages.iter().any(|page| page == operation), "docs/api/{operation} is missing");
    }
}
