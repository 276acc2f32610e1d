use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::TimeDelta;
use serde_json::json;

use crate::harness::{Api, SEED_EMAIL, SEED_PASSWORD, SIGNUP_CODE};

fn borderless() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_borderless"));
    for name in
        ["DATABASE_URL", "REDIS_URL", "CLOCK", "SIGNUP_SECRETS", "SESSION_EXTEND_SECRET", "RUST_LOG", "BIND_ADDR"]
    {
        command.env_remove(name);
    }
    command
}

/// An unreachable database stops the binary at once with one line naming the URL, its password hidden.
#[test]
fn an_unreachable_database_fails_fast_with_one_redacted_line() {
    let started = Instant::now();
    let output = borderless()
        .env("DATABASE_URL", "postgres://app:s3cret-pw@127.0.0.1:9/borderless")
        .env("BIND_ADDR", "127.0.0.1:0")
        .env("RUST_LOG", "off")
        .output()
        .expect("binary runs");
    assert!(!output.status.success());
    assert!(started.elapsed() < Duration::from_secs(20), "it waited instead of failing");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(lines[0].contains("postgres://app:***@127.0.0.1:9/borderless"), "{stderr}");
    assert!(!stderr.contains("s3cret-pw") && !stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_bad_setting_is_named_at_start() {
    let output = borderless().env("BCRYPT_COST", "99").output().expect("binary runs");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("BCRYPT_COST"));
}

#[test]
fn help_and_version_answer_without_starting_the_server() {
    let help = borderless().arg("--help").output().expect("binary runs");
    assert!(help.status.success());
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(text.contains("admin") && text.contains("Usage"), "{text}");
    let version = borderless().arg("--version").output().expect("binary runs");
    assert_eq!(String::from_utf8_lossy(&version.stdout).trim(), format!("borderless {}", env!("CARGO_PKG_VERSION")));
    let admin_help = borderless().args(["admin", "--help"]).output().expect("binary runs");
    let text = String::from_utf8_lossy(&admin_help.stdout);
    for command in ["clock", "run-jobs", "mailbox"] {
        assert!(text.contains(command), "{text}");
    }
    let unknown = borderless().args(["admin", "no-such-command"]).output().expect("binary runs");
    assert!(!unknown.status.success());
}

#[test]
fn an_unreachable_redis_fails_within_seconds_naming_redis_url() {
    let dir = tempfile::tempdir().expect("folder");
    let started = Instant::now();
    let output = borderless()
        .env("DATABASE_URL", dir.path().join("b.db"))
        .env("REDIS_URL", "redis://:hidden-pw@127.0.0.1:9")
        .env("BIND_ADDR", "127.0.0.1:0")
        .env("RUST_LOG", "off")
        .output()
        .expect("binary runs");
    assert!(!output.status.success());
    assert!(started.elapsed() < Duration::from_secs(15), "took {:?}", started.elapsed());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("REDIS_URL") && stderr.contains("127.0.0.1:9"), "{stderr}");
    assert!(!stderr.contains("hidden-pw"), "{stderr}");
}

#[test]
fn a_taken_port_is_named_with_bind_addr() {
    let dir = tempfile::tempdir().expect("folder");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let address = taken.local_addr().expect("address").to_string();
    let output = borderless()
        .env("DATABASE_URL", dir.path().join("b.db"))
        .env("BIND_ADDR", &address)
        .env("RUST_LOG", "off")
        .output()
        .expect("binary runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("BIND_ADDR") && stderr.contains(&address), "{stderr}");
}

/// An operator command in another process moves the clock the running server reads.
#[actix_web::test]
async fn the_server_and_the_operator_commands_share_one_clock() {
    let api = Api::start().await;
    api.sign_up_seed().await;
    let output = borderless()
        .args(["admin", "clock", "advance", "46800"])
        .env("DATABASE_URL", api.database_url())
        .env("CLOCK", "manual")
        .env("RUST_LOG", "off")
        .output()
        .expect("binary runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let printed: serde_json::Value = serde_json::from_slice(&output.stdout).expect("one line of JSON");
    let now = chrono::DateTime::parse_from_rfc3339(printed["now"].as_str().expect("now")).expect("an instant");
    assert!(now.with_timezone(&chrono::Utc) > chrono::Utc::now() + TimeDelta::hours(12), "{printed}");
    // 13 hours later by the shared clock, the session has idled out.
    api.account_id().await.assert_refused("account", "I-4100", "You must be logged in.");

    let refused = borderless()
        .args(["admin", "clock", "advance", "soon"])
        .env("DATABASE_URL", api.database_url())
        .env("CLOCK", "manual")
        .env("RUST_LOG", "off")
        .output()
        .expect("binary runs");
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("\"soon\" is not a whole number"));
}

/// Stops the child when the test ends, however it ends, letting it write its log's last lines.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        crate::processes::terminate(&mut self.0);
    }
}

/// Serves until the first line on standard output says where, then stops; answers what it logged.
fn serve_briefly(command: &mut Command) -> String {
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let running = Running(child);
    let mut first_line = String::new();
    BufReader::new(stdout).read_line(&mut first_line).expect("the listening line");
    assert!(first_line.starts_with("borderless listening on http://127.0.0.1:"), "{first_line}");
    drop(running);
    let mut log = String::new();
    stderr.read_to_string(&mut log).expect("log");
    log
}

#[test]
fn without_signup_secrets_the_start_says_once_that_business_sign_up_is_off() {
    let dir = tempfile::tempdir().expect("folder");
    let quiet =
        serve_briefly(borderless().env("DATABASE_URL", dir.path().join("b.db")).env("BIND_ADDR", "127.0.0.1:0"));
    assert_eq!(quiet.matches("business sign-up is off").count(), 1, "{quiet}");
    let configured = serve_briefly(
        borderless()
            .env("DATABASE_URL", dir.path().join("b.db"))
            .env("BIND_ADDR", "127.0.0.1:0")
            .env("SIGNUP_SECRETS", SIGNUP_CODE),
    );
    assert!(!configured.contains("business sign-up is off"), "{configured}");
}

/// At RUST_LOG=debug a sign-up and a login leave no password, secret, token or session id in the log.
#[actix_web::test]
async fn secrets_never_reach_the_log() {
    let dir = tempfile::tempdir().expect("folder");
    let database = dir.path().join("b.db");
    let extend_secret = "EXTEND-SECRET-OF-THE-KIOSK";
    let mut child = borderless()
        .env("DATABASE_URL", &database)
        .env("BIND_ADDR", "127.0.0.1:0")
        .env("BCRYPT_COST", "4")
        .env("JOB_TICK", "1s")
        .env("SIGNUP_SECRETS", SIGNUP_CODE)
        .env("SESSION_EXTEND_SECRET", extend_secret)
        .env("RUST_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let running = Running(child);
    let mut first_line = String::new();
    BufReader::new(stdout).read_line(&mut first_line).expect("the listening line");
    let address = first_line.split("http://").nth(1).and_then(|rest| rest.split_whitespace().next()).expect("address");
    let client = awc::Client::default();
    let post = |body: serde_json::Value| client.post(format!("http://{address}/graphql")).send_json(&body);
    let mut signed_up = post(json!({ "query": "mutation($d: CreateLoginPersonAndAccountInput!) { createLoginPersonAndAccount(data: $d) { user { loginId } } }", "variables": { "d": { "accountType": "BUSINESS", "country": "US", "email": SEED_EMAIL, "password": SEED_PASSWORD, "signUpSecret": SIGNUP_CODE } } }))
        .await
        .expect("sign-up answered");
    let cookie = signed_up.cookie("borderless_session").map(|c| c.value().to_owned()).expect("a session cookie");
    let _ = signed_up.body().await;
    let mut logged_in = post(json!({ "query": "mutation($d: LoginInput!) { login(data: $d) { user { loginId } } }", "variables": { "d": { "email": SEED_EMAIL, "password": SEED_PASSWORD, "extendExpirationSecret": extend_secret } } }))
        .await
        .expect("login answered");
    let _ = logged_in.body().await;
    // Let the job runner send the verification email, so its token has had every chance to be logged.
    actix_web::rt::time::sleep(Duration::from_millis(2500)).await;
    drop(running);
    let mut log = String::new();
    stderr.read_to_string(&mut log).expect("log");
    assert!(log.contains("DEBUG"), "the log ran at debug level: {log}");
    let token = {
        use diesel::prelude::*;
        let url = store::DatabaseUrl::parse(&database.to_string_lossy()).expect("url");
        let pool = store::connect_pool(&url, 1).expect("pool");
        let mut conn = pool.get().expect("connection");
        let links: Vec<String> =
            store::schema::mailbox::table.select(store::schema::mailbox::links).load(&mut conn).expect("mail");
        links
            .first()
            .and_then(|l| l.split("token=").nth(1))
            .map(|t| t.trim_end_matches(['"', ']']).to_owned())
            .expect("a sent token")
    };
    for secret in [SEED_PASSWORD, SIGNUP_CODE, extend_secret, cookie.as_str(), token.as_str()] {
        assert!(!log.contains(secret), "{secret:?} is in the log");
    }
}
