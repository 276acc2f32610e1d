use std::cell::RefCell;
use std::ops::Deref;
use std::rc::Rc;

use actix_test::TestServer;
use actix_web::http::StatusCode;
use actix_web::http::header::{HeaderMap, SET_COOKIE};
use chrono::TimeDelta;
use gateway::{AppState, Settings, app};
use serde_json::{Value, json};
use store::TestDatabase;

pub const SEED_EMAIL: &str = "docexample@getborderless.com";
pub const SEED_PASSWORD: &str = "stRONgPassW0Rdh3r3";
pub const SIGNUP_CODE: &str = "SECRET-GOES-HERE";

/// A running server on a database of its own, with a manual clock the test moves through the operator
/// commands. It derefs to its first client; [`Api::client`] gives more, each with a cookie jar of its own.
pub struct Api {
    server: Rc<TestServer>,
    pub state: AppState,
    first: Client,
    /// The database this server owns (dropped with it); `None` for a server started beside another.
    _database: Option<TestDatabase>,
    database_url: String,
    /// Shared by the servers on one database; the keys go when the last of them does.
    redis: Option<Rc<RedisKeys>>,
}

/// One browser: a cookie jar in front of the test server.
pub struct Client {
    server: Rc<TestServer>,
    cookie: RefCell<Option<String>>,
}

impl Deref for Api {
    type Target = Client;

    fn deref(&self) -> &Client {
        &self.first
    }
}

/// The Redis keys of one test server, deleted when the test ends.
struct RedisKeys {
    url: String,
    prefix: String,
}

impl Drop for RedisKeys {
    fn drop(&mut self) {
        let cleaned = redis::Client::open(self.url.as_str()).and_then(|client| {
            let mut conn = client.get_connection()?;
            let keys: Vec<String> = redis::cmd("KEYS").arg(format!("{}*", self.prefix)).query(&mut conn)?;
            if !keys.is_empty() {
                redis::cmd("DEL").arg(keys).exec(&mut conn)?;
            }
            Ok(())
        });
        if let Err(error) = cleaned {
            eprintln!("could not remove test sessions from Redis: {error}");
        }
    }
}

/// One HTTP answer.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Answer {
    /// The `Set-Cookie` header of the session cookie, if the answer has one.
    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(SET_COOKIE)
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("borderless_session="))
            .map(str::to_owned)
    }

    /// The code of the first error, if any.
    pub fn error_code(&self) -> Option<&str> {
        self.body["errors"][0]["extensions"]["code"].as_str()
    }

    pub fn error_message(&self) -> Option<&str> {
        self.body["errors"][0]["message"].as_str()
    }

    /// Asserts a refusal: that code and message, the field null, HTTP 200.
    #[track_caller]
    pub fn assert_refused(&self, field: &str, code: &str, message: &str) {
        assert_eq!(self.status, StatusCode::OK, "{:?}", self.body);
        assert_eq!(self.error_code(), Some(code), "{:?}", self.body);
        assert_eq!(self.error_message(), Some(format!("{message} ({code})").as_str()), "{:?}", self.body);
        assert_eq!(self.body["data"][field], Value::Null, "{:?}", self.body);
    }

    #[track_caller]
    pub fn assert_ok(&self) -> &Value {
        assert_eq!(self.status, StatusCode::OK, "{:?}", self.body);
        assert!(self.body.get("errors").is_none(), "unexpected errors: {:?}", self.body);
        &self.body["data"]
    }
}

impl Api {
    pub async fn start() -> Self {
        Self::start_with(&[]).await
    }

    /// Starts a server with these configuration variables on top of the test defaults.
    pub async fn start_with(extra: &[(&str, &str)]) -> Self {
        let api = Self::start_in_step_with_real_time(extra).await;
        api.move_to_noon().await;
        api
    }

    /// [`Api::start_with`], but with the manual clock left at real time: for a test whose counterpart checks
    /// the server's times against its own real clock (a webhook receiver checking a signature's age).
    pub async fn start_in_step_with_real_time(extra: &[(&str, &str)]) -> Self {
        let database = TestDatabase::new().expect("test database");
        let url = database.url().target().to_owned();
        let redis = std::env::var("TEST_REDIS_URL")
            .ok()
            .map(|url| Rc::new(RedisKeys { url, prefix: format!("borderless-test-{}:", kernel::new_id()) }));
        Self::start_on(Some(database), url, redis, extra).await
    }

    /// Moves a fresh manual clock on to the next 12:00 UTC, so that no test's "today" ends while it runs,
    /// whatever the hour the suite is run at (a test moves the clock by hours at most, and reads "today" from it).
    async fn move_to_noon(&self) {
        if !self.state.clock.is_manual() {
            return;
        }
        let now = kernel::Clock::now(self.state.clock.as_ref());
        let noon = now.date_naive().and_hms_opt(12, 0, 0).expect("noon exists").and_utc();
        let next_noon = if noon >= now { noon } else { noon + TimeDelta::days(1) };
        self.advance(next_noon - now + TimeDelta::seconds(1)).await;
    }

    /// Starts a second server on `other`'s database (and Redis keys), as another instance of the service would
    /// run: it shares everything stored with `other` and owns none of it, so `other` must outlive it.
    pub async fn start_beside(other: &Api, extra: &[(&str, &str)]) -> Self {
        Self::start_on(None, other.database_url.clone(), other.redis.clone(), extra).await
    }

    /// Stops this server and starts a new one on the same database, as a restart of the service would: what
    /// the old one had only in memory is gone, what it stored is kept.
    pub async fn restart(self, extra: &[(&str, &str)]) -> Self {
        let Api { server, state, first, _database, database_url, redis } = self;
        drop(first);
        drop(state);
        drop(server);
        Self::start_on(_database, database_url, redis, extra).await
    }

    async fn start_on(
        database: Option<TestDatabase>,
        database_url: String,
        redis: Option<Rc<RedisKeys>>,
        extra: &[(&str, &str)],
    ) -> Self {
        // Server logs show in a failing test's output, filtered by RUST_LOG (none without it).
        let _ = tracing_subscriber::fmt()
            .with_test_writer()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .try_init();
        let mut vars = shared_settings(&database_url, redis.as_deref());
        vars.extend(extra.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
        let settings = Settings::from_lookup(|name| vars.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
            .expect("test settings");
        let state = AppState::build(&settings).await.expect("server state");
        let for_server = state.clone();
        let server = Rc::new(actix_test::start(move || app(for_server.clone())));
        let first = Client { server: Rc::clone(&server), cookie: RefCell::new(None) };
        Self { server, state, first, _database: database, database_url, redis }
    }

    /// The database this server runs on, for operator commands run as separate processes.
    pub fn database_url(&self) -> String {
        self.database_url.clone()
    }

    /// The test defaults this server started with (database, Redis keys, manual clock, bcrypt cost, sign-up
    /// secret), for a `borderless` process started beside it on the same data; the `extra` variables of
    /// [`Api::start_with`] are not among them.
    pub fn process_env(&self) -> Vec<(String, String)> {
        shared_settings(&self.database_url, self.redis.as_deref())
    }

    /// The server's address, for tests that speak HTTP by hand.
    pub fn addr(&self) -> std::net::SocketAddr {
        self.server.addr()
    }

    /// What the session store holds in place of each session id, in whichever store the server uses.
    pub fn stored_session_ids(&self) -> Vec<String> {
        use diesel::prelude::*;
        match &self.redis {
            Some(redis) => {
                let mut conn = redis::Client::open(redis.url.as_str()).and_then(|c| c.get_connection()).expect("redis");
                let keys: Vec<String> =
                    redis::cmd("KEYS").arg(format!("{}session:*", redis.prefix)).query(&mut conn).expect("keys");
                keys.iter().filter_map(|key| key.rsplit(':').next().map(str::to_owned)).collect()
            }
            None => {
                let mut conn = self.state.pool.get().expect("connection");
                store::schema::sessions::table.select(store::schema::sessions::id).load(&mut conn).expect("ids")
            }
        }
    }

    /// Another browser, with an empty cookie jar.
    pub fn client(&self) -> Client {
        Client { server: Rc::clone(&self.server), cookie: RefCell::new(None) }
    }

    /// Runs an operator command as `borderless admin <words…>` would, answering its JSON.
    pub async fn admin(&self, words: &[&str]) -> Value {
        gateway::admin::execute(&self.state.admin_context(), words).await.expect("admin command")
    }

    /// Moves the manual clock forward and runs the jobs that are due, as `borderless admin clock advance` does.
    pub async fn advance(&self, by: TimeDelta) {
        self.admin(&["clock", "advance", &by.num_seconds().to_string()]).await;
    }

    /// The local mailbox's messages to `email`, newest first, after every due email went out.
    pub async fn mailbox(&self, email: &str) -> Vec<Value> {
        self.admin(&["run-jobs"]).await;
        match self.admin(&["mailbox", email]).await {
            Value::Array(messages) => messages,
            other => panic!("mailbox answered {other}"),
        }
    }
}

/// The configuration every server of a test shares, before the test's own variables.
fn shared_settings(database_url: &str, redis: Option<&RedisKeys>) -> Vec<(String, String)> {
    let mut vars: Vec<(String, String)> = vec![
        ("DATABASE_URL".into(), database_url.to_owned()),
        ("BCRYPT_COST".into(), "4".into()),
        ("SIGNUP_SECRETS".into(), SIGNUP_CODE.into()),
        ("DATABASE_POOL_SIZE".into(), "4".into()),
        ("CLOCK".into(), "manual".into()),
    ];
    if let Some(redis) = redis {
        vars.push(("REDIS_URL".into(), redis.url.clone()));
        vars.push(("REDIS_KEY_PREFIX".into(), redis.prefix.clone()));
    }
    vars
}

impl Client {
    /// The session cookie value this client holds (what a browser would send).
    pub fn cookie(&self) -> Option<String> {
        self.cookie.borrow().clone()
    }

    pub fn set_cookie(&self, value: Option<String>) {
        *self.cookie.borrow_mut() = value;
    }

    /// POSTs a GraphQL request with the held cookie, and keeps any session cookie the answer sets.
    pub async fn graphql(&self, query: &str, variables: Value) -> Answer {
        self.post_json(&json!({ "query": query, "variables": variables })).await
    }

    pub async fn post_json(&self, body: &Value) -> Answer {
        self.post_raw("application/json", None, body.to_string()).await
    }

    /// POSTs a GraphQL request with extra headers (an `Idempotency-Key`, say).
    pub async fn graphql_with(&self, query: &str, variables: Value, headers: &[(&str, &str)]) -> Answer {
        let body = json!({ "query": query, "variables": variables }).to_string();
        self.post_with("application/json", None, body, headers).await
    }

    pub async fn post_raw(&self, content_type: &str, accept: Option<&str>, body: String) -> Answer {
        self.post_with(content_type, accept, body, &[]).await
    }

    async fn post_with(
        &self,
        content_type: &str,
        accept: Option<&str>,
        body: String,
        headers: &[(&str, &str)],
    ) -> Answer {
        let mut request = self.server.post("/graphql").insert_header(("content-type", content_type));
        for (name, value) in headers {
            request = request.insert_header((*name, *value));
        }
        if let Some(accept) = accept {
            request = request.insert_header(("accept", accept));
        }
        if let Some(cookie) = self.cookie() {
            request = request.insert_header(("cookie", format!("borderless_session={cookie}")));
        }
        let response = request.send_body(body).await.expect("request sent");
        self.read(response).await
    }

    pub async fn get(&self, path_and_query: &str) -> Answer {
        let response = self.server.get(path_and_query).send().await.expect("request sent");
        self.read(response).await
    }

    async fn read<S>(&self, mut response: awc::ClientResponse<S>) -> Answer
    where
        S: futures_util::Stream<Item = Result<actix_web::web::Bytes, actix_web::error::PayloadError>> + Unpin,
    {
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.body().limit(4 * 1024 * 1024).await.expect("response body");
        let body = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        let answer = Answer { status, headers, body };
        if let Some(set_cookie) = answer.session_cookie() {
            let value = set_cookie.trim_start_matches("borderless_session=").split(';').next().unwrap_or("").to_owned();
            let removed = set_cookie.contains("Max-Age=0");
            self.set_cookie(if removed || value.is_empty() { None } else { Some(value) });
        }
        answer
    }

    /// Signs up; `data` holds the input fields.
    pub async fn sign_up(&self, data: Value) -> Answer {
        self.graphql(
            "mutation SignUp($data: CreateLoginPersonAndAccountInput!) { createLoginPersonAndAccount(data: $data) { user { loginId numAccounts emailVerified person { id email } account { id accountType country currency status } } } }",
            json!({ "data": data }),
        )
        .await
    }

    /// Signs up the seed's business user (and holds its session).
    pub async fn sign_up_seed(&self) -> Answer {
        let answer = self
            .sign_up(json!({ "accountType": "BUSINESS", "country": "US", "currency": "USD", "email": SEED_EMAIL, "password": SEED_PASSWORD, "signUpSecret": SIGNUP_CODE }))
            .await;
        answer.assert_ok();
        answer
    }

    /// Signs up a personal user with this email (and holds its session).
    pub async fn sign_up_person(&self, email: &str) -> Answer {
        let answer = self
            .sign_up(json!({ "accountType": "PERSONAL", "country": "US", "email": email, "password": SEED_PASSWORD }))
            .await;
        answer.assert_ok();
        answer
    }

    pub async fn login(&self, email: &str, password: &str) -> Answer {
        self.graphql(
            "mutation Login($data: LoginInput!) { login(data: $data) { user { loginId numAccounts emailVerified account { id status } person { email } } } }",
            json!({ "data": { "email": email, "password": password } }),
        )
        .await
    }

    pub async fn account_id(&self) -> Answer {
        self.graphql("query { account { id } }", json!({})).await
    }
}
