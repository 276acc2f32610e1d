//! A webhook receiver that checks every borderless delivery before trusting it.
//!
//! ```sh
//! WEBHOOK_SECRET=<webhookSecret from createWebhook> PORT=9000 cargo run -p webhooks --example receiver
//! ```
//!
//! It accepts a POST on any path, verifies the `Borderless-Signature` header and the JWT body, drops events it
//! has seen before (by `jti`), prints the verified claims and answers 200 at once. A delivery that fails a
//! check is answered 400 and not acted on.

use std::collections::HashSet;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use hmac::{Hmac, Mac};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Value, json};
use sha2::Sha256;

/// How far the `t` of a signature may be from our clock, either way.
pub const TOLERANCE_SECONDS: u64 = 5 * 60;

/// Why a delivery was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejected {
    /// No `Borderless-Signature` header, or not of the form `t=<unix seconds>,v1=<hex>`.
    MalformedHeader,
    /// The HMAC of `<t>.<body>` is not the one in the header: wrong secret, or a changed body or `t`.
    BadSignature,
    /// `t` is more than [`TOLERANCE_SECONDS`] from now: an old delivery replayed, or a clock far off.
    Stale,
    /// The body is not an HS256 JWT signed with the secret.
    BadToken,
}

/// Checks one delivery: `signature_header` is the `Borderless-Signature` value, `body` the exact request body
/// and `now_unix` our clock. Answers the payload's claims once every check has passed.
pub fn verify(secret: &str, signature_header: &str, body: &str, now_unix: i64) -> Result<Value, Rejected> {
    let (mut t, mut v1) = (None, None);
    for part in signature_header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => t = value.parse::<i64>().ok(),
            Some(("v1", value)) => v1 = hex::decode(value).ok(),
            _ => {}
        }
    }
    let (Some(t), Some(v1)) = (t, v1) else {
        return Err(Rejected::MalformedHeader);
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).map_err(|_| Rejected::BadSignature)?;
    mac.update(format!("{t}.{body}").as_bytes());
    // `verify_slice` compares in constant time, so the answer's timing tells nothing about the right value.
    mac.verify_slice(&v1).map_err(|_| Rejected::BadSignature)?;
    if now_unix.abs_diff(t) > TOLERANCE_SECONDS {
        return Err(Rejected::Stale);
    }
    let mut validation = Validation::new(Algorithm::HS256);
    validation.required_spec_claims.clear();
    validation.validate_exp = false;
    let key = DecodingKey::from_secret(secret.as_bytes());
    let token = jsonwebtoken::decode::<Value>(body, &key, &validation).map_err(|_| Rejected::BadToken)?;
    Ok(token.claims)
}

/// The receiver's state: the webhook's secret and the events already handled.
pub struct Inbox {
    secret: String,
    /// The `jti` of every verified event. A real receiver keeps these in its database, next to what it did.
    seen: Mutex<HashSet<String>>,
}

impl Inbox {
    pub fn new(secret: String) -> Self {
        Self { secret, seen: Mutex::new(HashSet::new()) }
    }

    /// The `jti` of every verified event so far.
    pub fn seen(&self) -> Vec<String> {
        self.seen.lock().map(|seen| seen.iter().cloned().collect()).unwrap_or_default()
    }
}

/// The receiver's routes: a POST on any path. The app must hold a `web::Data<Inbox>`.
pub fn service(config: &mut web::ServiceConfig) {
    config.service(web::resource("/{path:.*}").route(web::post().to(receive)));
}

async fn receive(inbox: web::Data<Inbox>, request: HttpRequest, body: web::Bytes) -> HttpResponse {
    let signature = request.headers().get("Borderless-Signature").and_then(|value| value.to_str().ok());
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_secs());
    let checked = match (signature, std::str::from_utf8(&body)) {
        (Some(signature), Ok(body)) => verify(&inbox.secret, signature, body, i64::try_from(now).unwrap_or(i64::MAX)),
        _ => Err(Rejected::MalformedHeader),
    };
    let claims = match checked {
        Ok(claims) => claims,
        Err(rejected) => {
            eprintln!("rejected a delivery: {rejected:?}");
            return HttpResponse::BadRequest().json(json!({ "rejected": format!("{rejected:?}") }));
        }
    };
    let jti = claims["jti"].as_str().unwrap_or_default().to_owned();
    let first_time = inbox.seen.lock().map(|mut seen| seen.insert(jti.clone())).unwrap_or(false);
    if !first_time {
        // Deliveries are at least once: the same event may come again. Answer 2xx so it is not retried.
        return HttpResponse::Ok().json(json!({ "duplicate": jti }));
    }
    // Answer quickly; slow work belongs in a queue of your own (an attempt times out after 10 s).
    println!("verified {}: {claims}", claims["event"]);
    HttpResponse::Ok().json(json!({ "received": jti }))
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let secret = std::env::var("WEBHOOK_SECRET")
        .map_err(|_| std::io::Error::other("set WEBHOOK_SECRET to the webhookSecret createWebhook answered"))?;
    let port: u16 = match std::env::var("PORT") {
        Ok(port) => port.parse().map_err(|_| std::io::Error::other("PORT must be a port number"))?,
        Err(_) => 9000,
    };
    let inbox = web::Data::new(Inbox::new(secret));
    println!("receiving webhooks at http://127.0.0.1:{port}/");
    HttpServer::new(move || App::new().app_data(inbox.clone()).configure(service))
        .bind(("127.0.0.1", port))?
        .run()
        .await
}
