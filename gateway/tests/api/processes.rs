//! The real `borderless` binary as a child process of a test, serving on the test's database (and Redis keys,
//! and manual clock) beside the test's own in-process server, and a browser that speaks to it over HTTP.

use std::cell::RefCell;
use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Command, Stdio};

use serde_json::{Value, json};

use crate::harness::Api;

/// The `borderless` binary serving on the test's database; killed when dropped.
pub struct Served {
    child: Child,
    pub address: String,
    /// Where its log (stderr) goes, when kept.
    log: Option<tempfile::NamedTempFile>,
    /// Held open so that the server never writes to a closed pipe.
    _stdout: BufReader<ChildStdout>,
}

impl Served {
    /// Starts the binary with the environment of `api`'s servers and `extra` on top, and waits for its
    /// listening line. Its log is thrown away.
    pub fn start(api: &Api, extra: &[(&str, &str)]) -> Self {
        Self::spawn(api, extra, None)
    }

    /// [`Served::start`], keeping the log for [`Served::stop`].
    pub fn start_logging(api: &Api, extra: &[(&str, &str)]) -> Self {
        Self::spawn(api, extra, Some(tempfile::NamedTempFile::new().expect("a log file")))
    }

    fn spawn(api: &Api, extra: &[(&str, &str)], log: Option<tempfile::NamedTempFile>) -> Self {
        let stderr = match &log {
            Some(file) => Stdio::from(file.reopen().expect("the log file again")),
            None => Stdio::null(),
        };
        let mut command = Command::new(env!("CARGO_BIN_EXE_borderless"));
        for name in ["REDIS_URL", "REDIS_KEY_PREFIX", "SESSION_EXTEND_SECRET", "TAX_ID_KEY"] {
            command.env_remove(name);
        }
        let mut child = command
            .envs(api.process_env())
            .env("BIND_ADDR", "127.0.0.1:0")
            .env("JOB_TICK", "1s")
            .env("RUST_LOG", "off")
            .envs(extra.iter().copied())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("binary starts");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut first_line = String::new();
        stdout.read_line(&mut first_line).expect("the listening line");
        let address = first_line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_else(|| panic!("no address in {first_line:?}"))
            .to_owned();
        Self { child, address, log, _stdout: stdout }
    }

    /// Stops the server and answers everything it logged (nothing unless started with
    /// [`Served::start_logging`]).
    pub fn stop(mut self) -> String {
        terminate(&mut self.child);
        self.log.as_ref().map(|file| std::fs::read_to_string(file.path()).expect("the log")).unwrap_or_default()
    }

    /// SIGKILL: the process ends wherever it is, open transactions and all.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// SIGTERM, as an operator stops it: the log's last lines are written before it exits. SIGKILL after 10 s.
pub fn terminate(child: &mut Child) {
    let pid = child.id().to_string();
    let sent = Command::new("kill").args(["-TERM", &pid]).status().is_ok_and(|status| status.success());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while sent && std::time::Instant::now() < deadline {
        if matches!(child.try_wait(), Ok(Some(_))) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}

impl Drop for Served {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A browser with one session cookie, which it may send to any of the servers.
#[derive(Default)]
pub struct Browser {
    http: awc::Client,
    cookie: RefCell<Option<String>>,
}

impl Browser {
    /// The session id the browser holds, if any.
    pub fn cookie(&self) -> Option<String> {
        self.cookie.borrow().clone()
    }

    /// Sends `cookie` from now on, as a browser that kept an old cookie would.
    pub fn set_cookie(&self, cookie: Option<String>) {
        *self.cookie.borrow_mut() = cookie;
    }

    /// POSTs a GraphQL request to the server at `address` with the browser's cookie, keeping what it sets.
    pub async fn graphql(&self, address: &str, query: &str, variables: Value) -> Value {
        let mut request = self.http.post(format!("http://{address}/graphql"));
        if let Some(cookie) = self.cookie.borrow().as_deref() {
            request = request.insert_header(("cookie", format!("borderless_session={cookie}")));
        }
        let mut response =
            request.send_json(&json!({ "query": query, "variables": variables })).await.expect("an answer");
        if let Some(set) = response.cookie("borderless_session") {
            let value = set.value().to_owned();
            *self.cookie.borrow_mut() = (!value.is_empty()).then_some(value);
        }
        let body = response.body().limit(1 << 20).await.expect("a body");
        serde_json::from_slice(&body).expect("a JSON answer")
    }
}
