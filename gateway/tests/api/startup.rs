use std::process::Command;
use std::time::{Duration, Instant};

/// An unreachable database stops the binary at once with one line naming the URL, its password hidden.
#[test]
fn an_unreachable_database_fails_fast_with_one_redacted_line() {
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_borderless"))
        .env("DATABASE_URL", "postgres://app:s3cret-pw@127.0.0.1:9/borderless")
        .env("BIND_ADDR", "127.0.0.1:0")
        .env("RUST_LOG", "off")
        .env_remove("REDIS_URL")
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
    let output = Command::new(env!("CARGO_BIN_EXE_borderless")).env("BCRYPT_COST", "99").output().expect("binary runs");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("BCRYPT_COST"));
}
