//! `GET /graphiql`: the in-browser IDE, with its scripts and styles served by the binary itself (vendored
//! from npm, `gateway/assets/graphiql/`), so it works with no internet. `GRAPHIQL=false` turns it off.

use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use actix_web::{HttpResponse, web};

use crate::AppState;

/// The vendored files: (name, content type, bytes).
const ASSETS: &[(&str, &str, &[u8])] = &[
    ("graphiql.min.js", "text/javascript; charset=utf-8", include_bytes!("../assets/graphiql/graphiql.min.js")),
    ("graphiql.min.css", "text/css; charset=utf-8", include_bytes!("../assets/graphiql/graphiql.min.css")),
    (
        "react.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/graphiql/react.production.min.js"),
    ),
    (
        "react-dom.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/graphiql/react-dom.production.min.js"),
    ),
];

/// The page: the vendored scripts, and GraphiQL asking `/graphql` on this host with the browser's cookie.
const PAGE: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>borderless GraphiQL</title>
<link rel="stylesheet" href="/graphiql/assets/graphiql.min.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading…</div>
<script src="/graphiql/assets/react.production.min.js"></script>
<script src="/graphiql/assets/react-dom.production.min.js"></script>
<script src="/graphiql/assets/graphiql.min.js"></script>
<script>
  const fetcher = GraphiQL.createFetcher({ url: "/graphql" });
  const query = new URLSearchParams(location.search).get("query") || undefined;
  ReactDOM.createRoot(document.getElementById("graphiql"))
    .render(React.createElement(GraphiQL, { fetcher, defaultQuery: query, query }));
</script>
</body>
</html>
"#;

pub async fn page(state: web::Data<AppState>) -> HttpResponse {
    if !state.graphiql {
        return HttpResponse::NotFound().finish();
    }
    HttpResponse::Ok().insert_header((CONTENT_TYPE, "text/html; charset=utf-8")).body(PAGE)
}

/// `GET /graphiql/assets/<name>`: one vendored file, cached by the browser (a new version is a new binary).
pub async fn asset(state: web::Data<AppState>, name: web::Path<String>) -> HttpResponse {
    let found = ASSETS.iter().find(|(file, ..)| *file == name.as_str());
    match found {
        Some((_, content_type, bytes)) if state.graphiql => HttpResponse::Ok()
            .insert_header((CONTENT_TYPE, *content_type))
            .insert_header((CACHE_CONTROL, "public, max-age=86400"))
            .body(*bytes),
        _ => HttpResponse::NotFound().finish(),
    }
}
