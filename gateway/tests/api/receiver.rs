//! A webhook receiver for the tests: a real HTTP server on 127.0.0.1 that records every request and answers
//! as the test scripts it.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use actix_web::dev::ServerHandle;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use hmac::{Hmac, Mac};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use sha2::Sha256;

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The `t` of the `Borderless-Signature` header (checked to be `t=<decimal>,v1=<64 lower-case hex>`) and
    /// whether its `v1` is the HMAC-SHA256, keyed with `secret`, of `<t>.<body>`.
    #[track_caller]
    pub fn header_signature(&self, secret: &str) -> (i64, bool) {
        let header = self.header("borderless-signature").expect("a Borderless-Signature header");
        let (t, v1) = header
            .strip_prefix("t=")
            .and_then(|rest| rest.split_once(",v1="))
            .unwrap_or_else(|| panic!("{header:?} is not t=<t>,v1=<signature>"));
        assert!(!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()), "decimal t: {header}");
        assert!(v1.len() == 64 && v1.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')), "hex: {header}");
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).expect("any key length");
        mac.update(format!("{t}.{}", self.body).as_bytes());
        (t.parse().expect("t"), hex::encode(mac.finalize().into_bytes()) == v1)
    }

    /// The claims of the body, a compact JWT, when its header is HS256 and it verifies with `secret`.
    #[track_caller]
    pub fn jwt_claims(&self, secret: &str) -> Option<serde_json::Value> {
        let header = jsonwebtoken::decode_header(&self.body).expect("a JWT");
        assert_eq!((header.alg, header.typ.as_deref()), (Algorithm::HS256, Some("JWT")));
        let mut validation = Validation::new(Algorithm::HS256);
        validation.required_spec_claims.clear();
        validation.validate_exp = false;
        let key = DecodingKey::from_secret(secret.as_bytes());
        jsonwebtoken::decode::<serde_json::Value>(&self.body, &key, &validation).ok().map(|token| token.claims)
    }
}

/// How the receiver answers one request.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: String,
    pub content_type: &'static str,
    /// Waited before answering.
    pub delay: Duration,
}

impl Reply {
    pub fn status(status: u16) -> Self {
        Self { status, body: String::new(), content_type: "text/plain", delay: Duration::ZERO }
    }

    pub fn text(status: u16, body: &str) -> Self {
        Self { body: body.to_owned(), ..Self::status(status) }
    }

    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        Self { body: body.to_string(), content_type: "application/json", ..Self::status(status) }
    }

    pub fn slow(self, delay: Duration) -> Self {
        Self { delay, ..self }
    }
}

struct State {
    received: Vec<Received>,
    /// Answers for the next requests, in order; then `otherwise`.
    next: VecDeque<Reply>,
    otherwise: Reply,
}

/// The running receiver. Dropping it does not stop it; [`Receiver::stop`] does.
pub struct Receiver {
    pub url: String,
    state: Arc<Mutex<State>>,
    handle: ServerHandle,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

async fn receive(state: web::Data<Arc<Mutex<State>>>, request: HttpRequest, body: web::Bytes) -> HttpResponse {
    let reply = {
        let mut state = lock(&state);
        state.received.push(Received {
            path: request.uri().to_string(),
            headers: request
                .headers()
                .iter()
                .map(|(name, value)| (name.as_str().to_owned(), value.to_str().unwrap_or_default().to_owned()))
                .collect(),
            body: String::from_utf8_lossy(&body).into_owned(),
        });
        let otherwise = state.otherwise.clone();
        state.next.pop_front().unwrap_or(otherwise)
    };
    if !reply.delay.is_zero() {
        actix_web::rt::time::sleep(reply.delay).await;
    }
    let status = actix_web::http::StatusCode::from_u16(reply.status).unwrap_or(actix_web::http::StatusCode::OK);
    HttpResponse::build(status).content_type(reply.content_type).body(reply.body)
}

impl Receiver {
    /// Starts a receiver answering 200 `ok` to everything at `http://127.0.0.1:<port>/hook`.
    pub async fn start() -> Self {
        let state = Arc::new(Mutex::new(State {
            received: Vec::new(),
            next: VecDeque::new(),
            otherwise: Reply::text(200, "ok"),
        }));
        let shared = web::Data::new(state.clone());
        let server = HttpServer::new(move || App::new().app_data(shared.clone()).default_service(web::to(receive)))
            .workers(1)
            .disable_signals()
            .bind(("127.0.0.1", 0))
            .expect("receiver bound");
        let port = server.addrs()[0].port();
        let server = server.run();
        let handle = server.handle();
        actix_web::rt::spawn(server);
        Self { url: format!("http://127.0.0.1:{port}/hook"), state, handle }
    }

    /// Answers the next requests with `replies`, in order, then as before.
    pub fn reply_next(&self, replies: impl IntoIterator<Item = Reply>) {
        lock(&self.state).next.extend(replies);
    }

    /// Answers every request after the scripted ones with `reply`.
    pub fn reply_otherwise(&self, reply: Reply) {
        lock(&self.state).otherwise = reply;
    }

    pub fn received(&self) -> Vec<Received> {
        lock(&self.state).received.clone()
    }

    /// Stops listening: later attempts find the port closed.
    pub async fn stop(&self) {
        self.handle.stop(false).await;
    }
}
