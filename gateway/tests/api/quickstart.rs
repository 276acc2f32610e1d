//! `docs/quickstart.md` is run here as written, so the page cannot drift from the server.
//!
//! Every ```` ```sh ```` block of the page, in order, becomes one bash script (`set -euo pipefail`), run in a
//! fresh folder. The ```` ```sh server ```` block is what the reader runs in the other terminal: it runs here
//! in a bash of its own, after the blocks before it (the settings), as a process the test keeps. The page
//! spells its commands for a reader with cargo; the test swaps in what `cargo test` has already built, each
//! swap a literal that must occur on the page exactly once:
//!
//! | on the page | here |
//! |---|---|
//! | `cargo run --release` (the server block) | `exec` the `borderless` binary |
//! | `cargo run --release -q --` (the `borderless` helper) | the `borderless` binary |
//! | `cargo run --release -q -p webhooks --example receiver` | [`quickstart_webhook_receiver`] in a child process of this test binary |
//! | `BORDERLESS=http://127.0.0.1:8080`, `HOOK_PORT=9000` | ports that are free now |
//!
//! The receiver example is not built by `cargo test -p gateway`, and building it from inside a test would take
//! minutes on a cold cache; the test binary holds the example's code instead (included from its file, as
//! `webhook_receiver_example.rs` does), so the deliveries are still verified by the example's own handler.
//! Both processes get an empty environment apart from `PATH`, the server's address (`BIND_ADDR`,
//! `PUBLIC_API_URL`, for the email links) and `BCRYPT_COST=4`; everything else is the page's.

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use actix_web::{App, HttpServer, web};

use crate::webhook_receiver_example::receiver;

/// How long the whole page may take; it needs a few seconds.
const DEADLINE: Duration = Duration::from_secs(120);

/// The fenced blocks of a page: (info string, body).
fn fenced_blocks(text: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut open: Option<(String, String)> = None;
    for line in text.lines() {
        if let Some(info) = line.strip_prefix("```") {
            match open.take() {
                Some(block) => blocks.push(block),
                None => open = Some((info.trim().to_owned(), String::new())),
            }
        } else if let Some((_, body)) = &mut open {
            body.push_str(line);
            body.push('\n');
        }
    }
    assert!(open.is_none(), "docs/quickstart.md: a fenced block is not closed");
    blocks
}

/// `text` with `from` replaced by `to`, where `from` must occur exactly once.
fn swap(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "docs/quickstart.md must contain `{from}` exactly once");
    text.replacen(from, to, 1)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

fn quoted(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
}

fn has_tool(name: &str) -> bool {
    Command::new(name).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok()
}

/// A bash with the environment the test gives both processes, in `folder`, in a process group of its own.
fn bash(folder: &Path, port: u16, script: &str) -> Command {
    let mut command = Command::new("bash");
    command
        .arg("-c")
        .arg(script)
        .current_dir(folder)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("BIND_ADDR", format!("127.0.0.1:{port}"))
        .env("PUBLIC_API_URL", format!("http://127.0.0.1:{port}"))
        .env("BCRYPT_COST", "4")
        .process_group(0);
    command
}

/// Kills a child's whole process group (bash and whatever it started) when dropped.
struct Group(Child);

impl Drop for Group {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", self.0.id())]).status();
        let _ = self.0.wait();
    }
}

#[test]
fn the_quickstart_runs_as_written() {
    // A machine without these cannot run the page; the test says so and passes, unless `QUICKSTART_TESTS=required`
    // (as `.ci/run` sets, having installed them) makes their absence a failure.
    let missing: Vec<_> = ["bash", "curl", "jq"].into_iter().filter(|tool| !has_tool(tool)).collect();
    if !missing.is_empty() {
        let required = std::env::var("QUICKSTART_TESTS").is_ok_and(|value| value == "required");
        assert!(!required, "QUICKSTART_TESTS=required, but {missing:?} are not on the PATH");
        eprintln!("skipped: docs/quickstart.md needs {missing:?} on the PATH (on Debian: apt-get install jq curl)");
        return;
    }
    let page_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/quickstart.md");
    let page = std::fs::read_to_string(&page_path).expect("docs/quickstart.md");
    let blocks = fenced_blocks(&page);
    let server_at =
        blocks.iter().position(|(info, _)| info == "sh server").expect("docs/quickstart.md: a ```sh server block");
    let shell = |range: &[(String, String)]| -> String {
        range.iter().filter(|(info, _)| info == "sh").map(|(_, body)| body.as_str()).collect::<Vec<_>>().join("\n")
    };
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_borderless"));
    let folder = tempfile::tempdir().expect("a folder");
    let (port, hook_port) = (free_port(), free_port());

    let server_script = format!(
        "set -euo pipefail\n{}\n{}",
        shell(&blocks[..server_at]),
        swap(&blocks[server_at].1, "cargo run --release", &format!("exec {}", quoted(&binary)))
    );
    let server_log = folder.path().join("server.log");
    let mut server = bash(folder.path(), port, &server_script)
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&server_log).expect("the server's log"))
        .spawn()
        .expect("bash starts");
    let mut listening = String::new();
    BufReader::new(server.stdout.take().expect("stdout")).read_line(&mut listening).expect("the listening line");
    let _server = Group(server);
    assert!(
        listening.contains(&format!("http://127.0.0.1:{port}")),
        "the server did not start: {listening:?}\n{}",
        std::fs::read_to_string(&server_log).unwrap_or_default()
    );

    let myself = std::env::current_exe().expect("this test binary");
    let mut script = shell(&blocks);
    script = swap(
        &script,
        "cargo run --release -q -p webhooks --example receiver",
        &format!("{} quickstart::quickstart_webhook_receiver --exact --ignored --nocapture", quoted(&myself)),
    );
    script = swap(&script, "cargo run --release -q --", &quoted(&binary));
    script = swap(&script, "BORDERLESS=http://127.0.0.1:8080", &format!("BORDERLESS=http://127.0.0.1:{port}"));
    script = swap(&script, "HOOK_PORT=9000", &format!("HOOK_PORT={hook_port}"));
    assert!(!script.contains("cargo "), "docs/quickstart.md runs cargo in a way this test does not know:\n{script}");
    // A step that fails leaves the background receiver behind; the trap ends it with the script.
    let script = format!("set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n{script}");

    let (stdout_path, stderr_path) = (folder.path().join("stdout"), folder.path().join("stderr"));
    let run = bash(folder.path(), port, &script)
        .stdout(std::fs::File::create(&stdout_path).expect("stdout file"))
        .stderr(std::fs::File::create(&stderr_path).expect("stderr file"))
        .spawn()
        .expect("bash starts");
    let mut run = Group(run);
    let started = Instant::now();
    let status = loop {
        if let Some(status) = run.0.try_wait().expect("the script's status") {
            break Some(status);
        }
        if started.elapsed() > DEADLINE {
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    drop(run);
    let read = |path: &Path| std::fs::read_to_string(path).unwrap_or_default();
    let (stdout, stderr, receiver_log) =
        (read(&stdout_path), read(&stderr_path), read(&folder.path().join("receiver.log")));
    let report = format!("--- stdout\n{stdout}\n--- stderr\n{stderr}\n--- receiver.log\n{receiver_log}");
    match status {
        Some(status) => assert!(status.success(), "docs/quickstart.md failed ({status}):\n{report}"),
        None => panic!("docs/quickstart.md did not finish within {DEADLINE:?}:\n{report}"),
    }

    // The page's own story, in its answers: both accounts verified, the payment and the refund complete.
    for expected in [
        r#""status": "VERIFIED""#,
        r#""uboInfoRequired": false"#,
        r#""status": "COMPLETE""#,
        r#""refundType": "PARTIAL_REFUND""#,
        r#""lastDeliveryStatus": "DELIVERED""#,
    ] {
        assert!(stdout.contains(expected), "the page's answers lack {expected}:\n{report}");
    }
    // Every delivery the receiver got was verified, and each kind the page promises came.
    assert!(!receiver_log.contains("rejected"), "the receiver refused a delivery:\n{report}");
    for event in ["test", "payment.received", "payment.status_changed", "refund.status_changed"] {
        assert!(receiver_log.contains(&format!("verified \"{event}\"")), "no verified {event} delivery:\n{report}");
    }
    let arrived = |event: &str| {
        receiver_log
            .lines()
            .any(|line| line.contains(&format!("\"{event}\"")) && line.contains(r#""status":"COMPLETE""#))
    };
    assert!(arrived("payment.status_changed") && arrived("refund.status_changed"), "an arrival is missing:\n{report}");
}

/// The receiver example's server as `cargo run -p webhooks --example receiver` starts it: the secret from
/// `WEBHOOK_SECRET`, the port from `PORT`, the same first line, then the example's own handler. Run only by
/// [`the_quickstart_runs_as_written`], as a child process of this test binary; on its own it has nothing to do.
#[actix_web::test]
#[ignore = "the quickstart's webhook receiver, started by the_quickstart_runs_as_written"]
async fn quickstart_webhook_receiver() {
    let (Ok(secret), Ok(port)) = (std::env::var("WEBHOOK_SECRET"), std::env::var("PORT")) else {
        return;
    };
    let port: u16 = port.parse().expect("PORT is a port number");
    let inbox = web::Data::new(receiver::Inbox::new(secret));
    println!("receiving webhooks at http://127.0.0.1:{port}/");
    HttpServer::new(move || App::new().app_data(inbox.clone()).configure(receiver::service))
        .workers(1)
        .bind(("127.0.0.1", port))
        .expect("the receiver's port")
        .run()
        .await
        .expect("the receiver runs");
}
