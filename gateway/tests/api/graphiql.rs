//! `GET /graphiql` with no internet (issue 16, acceptance 7): the page and its vendored assets come from the
//! binary, a query run through the editor in headless Chromium shows its answer (with every request to another
//! host refused, and a screenshot kept), and `GRAPHIQL=false` turns it all off.
//!
//! The browser test needs Debian's Chromium and `scripts/browser`'s npm packages, which `.ci/run` installs; it
//! says so and passes without them, unless `BROWSER_TESTS=required` (as `.ci/run` sets) makes their absence a
//! failure.

use std::path::Path;

use actix_web::http::StatusCode;

use crate::harness::Api;

const CHROMIUM: &str = "/usr/bin/chromium";
const BROWSER_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/browser");

/// Every byte but letters and digits as `%XX`, for a query in a URL.
fn url_encoded(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { char::from(b).to_string() } else { format!("%{b:02X}") })
        .collect()
}

#[actix_web::test]
async fn a_query_run_in_the_editor_shows_its_answer_in_headless_chromium_with_no_internet() {
    let installed =
        Path::new(CHROMIUM).exists() && Path::new(BROWSER_DIR).join("node_modules/playwright-core").exists();
    if !installed {
        let required = std::env::var("BROWSER_TESTS").is_ok_and(|value| value == "required");
        assert!(!required, "BROWSER_TESTS=required, but Chromium or scripts/browser's packages are not installed");
        eprintln!("skipped: Chromium or scripts/browser's packages are not installed (.ci/run installs them)");
        return;
    }
    let api = Api::start().await;
    let url = format!("http://{}/graphiql?query={}", api.addr(), url_encoded("{ zoneCodes(country: CA) { code } }"));
    let screenshot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("graphiql.png");
    let shot = screenshot.to_string_lossy().into_owned();
    // The browser asks the in-process server, which runs on this thread: wait for it off the thread.
    let run = actix_web::rt::task::spawn_blocking(move || {
        std::process::Command::new("node")
            .arg(Path::new(BROWSER_DIR).join("graphiql-check.mjs"))
            .args([url.as_str(), "CA-ON", shot.as_str()])
            .output()
    });
    let output = run.await.expect("the browser ran").expect("node starts");
    let said = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{said}");
    assert!(screenshot.exists(), "{said}");
    println!("{said}");
}

#[actix_web::test]
async fn the_page_and_its_assets_come_from_the_binary_and_graphiql_false_turns_them_off() {
    let api = Api::start().await;
    let page = api.get("/graphiql").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.body.as_str().expect("an HTML page");
    assert!(html.contains("/graphiql/assets/graphiql.min.js") && !html.contains("//cdn") && !html.contains("https:"));
    let script = api.get("/graphiql/assets/graphiql.min.js").await;
    assert_eq!(script.status, StatusCode::OK);
    assert_eq!(
        script.headers.get("content-type").and_then(|v| v.to_str().ok()),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(api.get("/graphiql/assets/nothing.js").await.status, StatusCode::NOT_FOUND);

    let off = Api::start_with(&[("GRAPHIQL", "false")]).await;
    assert_eq!(off.get("/graphiql").await.status, StatusCode::NOT_FOUND);
    assert_eq!(off.get("/graphiql/assets/graphiql.min.js").await.status, StatusCode::NOT_FOUND);
}
