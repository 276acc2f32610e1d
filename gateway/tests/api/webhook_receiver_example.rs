//! The receiver example of `docs/webhooks.md` (`crates/webhooks/examples/receiver.rs`): the page shows its code
//! as it is, it verifies a real delivery of this server, and it refuses what it should.

use actix_web::{App, HttpServer, web};
use hmac::{Hmac, Mac};
use jsonwebtoken::{EncodingKey, Header};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::harness::Api;

// Its `main` is not used here.
#[allow(dead_code)]
#[path = "../../../crates/webhooks/examples/receiver.rs"]
pub(crate) mod receiver;

use receiver::{Inbox, Rejected, verify};

fn repo_file(path: &str) -> String {
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A delivery as borderless signs one: the claims as an HS256 JWT and the `Borderless-Signature` at `t`.
fn signed(secret: &str, claims: &Value, t: i64) -> (String, String) {
    let body =
        jsonwebtoken::encode(&Header::default(), claims, &EncodingKey::from_secret(secret.as_bytes())).expect("token");
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("key");
    mac.update(format!("{t}.{body}").as_bytes());
    (format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes())), body)
}

#[test]
fn the_page_shows_the_example_as_it_is() {
    let example = repo_file("crates/webhooks/examples/receiver.rs");
    let page = repo_file("docs/webhooks.md");
    assert!(
        page.contains(&format!("```rust\n{example}```\n")),
        "docs/webhooks.md must show crates/webhooks/examples/receiver.rs verbatim in a ```rust block"
    );
}

#[test]
fn verify_accepts_a_signed_delivery_and_refuses_the_rest() {
    let secret = "12940b96-0b1b-4d90-95c0-f797f9376965";
    let claims = json!({ "sub": "borderless webhook", "iat": 1718700000, "jti": "e1", "event": "test" });
    let now = 1718700010;
    let (header, body) = signed(secret, &claims, now);
    assert_eq!(verify(secret, &header, &body, now), Ok(claims.clone()));
    // Within five minutes of our clock, either way.
    assert_eq!(verify(secret, &header, &body, now + 300), Ok(claims.clone()));
    assert_eq!(verify(secret, &header, &body, now - 300), Ok(claims.clone()));

    // A changed body, a wrong secret, a changed `t`.
    let tampered = body.replacen('.', ".x", 1);
    assert_eq!(verify(secret, &header, &tampered, now), Err(Rejected::BadSignature));
    assert_eq!(verify("another-secret", &header, &body, now), Err(Rejected::BadSignature));
    let moved = header.replacen(&format!("t={now}"), &format!("t={}", now + 1), 1);
    assert_eq!(verify(secret, &moved, &body, now), Err(Rejected::BadSignature));

    // Correctly signed, but six minutes old (or six minutes ahead).
    let (old_header, old_body) = signed(secret, &claims, now - 360);
    assert_eq!(verify(secret, &old_header, &old_body, now), Err(Rejected::Stale));
    let (ahead_header, ahead_body) = signed(secret, &claims, now + 360);
    assert_eq!(verify(secret, &ahead_header, &ahead_body, now), Err(Rejected::Stale));

    // The header is signed with the secret but the JWT is not.
    let foreign = jsonwebtoken::encode(&Header::default(), &claims, &EncodingKey::from_secret(b"other")).expect("jwt");
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("key");
    mac.update(format!("{now}.{foreign}").as_bytes());
    let foreign_header = format!("t={now},v1={}", hex::encode(mac.finalize().into_bytes()));
    assert_eq!(verify(secret, &foreign_header, &foreign, now), Err(Rejected::BadToken));

    for malformed in ["", "t=abc,v1=00", "v1=00", &format!("t={now}"), &format!("t={now},v1=not-hex")] {
        assert_eq!(verify(secret, malformed, &body, now), Err(Rejected::MalformedHeader), "{malformed}");
    }
}

#[actix_web::test]
async fn the_example_answers_a_repeated_event_as_a_duplicate_and_refuses_an_unsigned_one() {
    let secret = "5d0c6a55-2f3e-4b8e-9c0a-1e2f3a4b5c6d";
    let app = actix_web::test::init_service(
        App::new().app_data(web::Data::new(Inbox::new(secret.to_owned()))).configure(receiver::service),
    )
    .await;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_secs();
    let claims = json!({ "sub": "borderless webhook", "jti": "event-1", "event": "test" });
    let (header, body) = signed(secret, &claims, i64::try_from(now).expect("now"));
    let post = |header: Option<&str>| {
        let request = actix_web::test::TestRequest::post().uri("/hooks/borderless").set_payload(body.clone());
        match header {
            Some(header) => request.insert_header(("Borderless-Signature", header.to_owned())),
            None => request,
        }
        .to_request()
    };
    let first: Value = actix_web::test::call_and_read_body_json(&app, post(Some(&header))).await;
    assert_eq!(first, json!({ "received": "event-1" }));
    let second: Value = actix_web::test::call_and_read_body_json(&app, post(Some(&header))).await;
    assert_eq!(second, json!({ "duplicate": "event-1" }));
    let unsigned = actix_web::test::call_service(&app, post(None)).await;
    assert_eq!(unsigned.status(), actix_web::http::StatusCode::BAD_REQUEST);
}

#[actix_web::test]
async fn the_example_verifies_a_real_test_delivery() {
    let api = Api::start_in_step_with_real_time(&[("WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true")]).await;
    api.sign_up_seed().await;

    // The receiver's port is taken first, so that the webhook (and its secret) can be made before it starts.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("port");
    let port = listener.local_addr().expect("address").port();
    let created = api
        .graphql(
            "mutation Hook($data: CreateWebhookInput!) { createWebhook(data: $data) { message id webhookSecret } }",
            json!({ "data": { "webhookEndpoint": format!("http://127.0.0.1:{port}/borderless") } }),
        )
        .await;
    let created = created.assert_ok()["createWebhook"].clone();
    let (id, secret) = (created["id"].as_str().expect("id"), created["webhookSecret"].as_str().expect("secret"));

    let inbox = web::Data::new(Inbox::new(secret.to_owned()));
    let for_server = inbox.clone();
    let server = HttpServer::new(move || App::new().app_data(for_server.clone()).configure(receiver::service))
        .workers(1)
        .disable_signals()
        .listen(listener)
        .expect("receiver listening")
        .run();
    let handle = server.handle();
    actix_web::rt::spawn(server);

    let tested =
        api.graphql("mutation Test($id: ID!) { testWebhook(id: $id) { payload response } }", json!({ "id": id })).await;
    let result = tested.assert_ok()["testWebhook"].clone();
    let jti = result["payload"]["jti"].as_str().expect("jti").to_owned();
    assert_eq!(result["payload"]["event"], "test");
    assert_eq!(result["response"], json!({ "status": 200, "body": { "received": jti } }));
    assert_eq!(inbox.seen(), vec![jti]);

    // Every test is a new event, with a new jti.
    let again =
        api.graphql("mutation Test($id: ID!) { testWebhook(id: $id) { payload response } }", json!({ "id": id })).await;
    let again = again.assert_ok()["testWebhook"].clone();
    assert_eq!(again["response"]["status"], 200);
    assert_ne!(again["payload"]["jti"], result["payload"]["jti"]);
    assert_eq!(inbox.seen().len(), 2);

    let listed = api.graphql("query { accountWebhooks { id active lastDeliveryStatus } }", json!({})).await;
    assert_eq!(
        listed.assert_ok()["accountWebhooks"],
        json!([{ "id": id, "active": true, "lastDeliveryStatus": "DELIVERED" }])
    );
    handle.stop(false).await;
}
