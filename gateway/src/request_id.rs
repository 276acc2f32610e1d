use std::panic::AssertUnwindSafe;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::InternalError;
use actix_web::http::StatusCode;
use actix_web::http::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse};
use futures_util::FutureExt as _;
use kernel::{REQUEST_ID, client_message, internal_error};
use serde_json::{Value, json};
use tracing::Instrument;

use crate::request_log::{RequestLine, RequestOutcome};

pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// Marks a response whose error body was written on purpose (a 5xx of ours), so it is passed through as is.
#[derive(Clone, Copy)]
pub struct OwnErrorBody;

/// Gives every request an id: in the `x-request-id` response header, in every log line of the request (span),
/// and in E-0000 messages; and writes the request's own log line once it is answered ([`request_log`]). A
/// server error that did not come from our handlers (a failing session store) and a panic anywhere in the
/// request are answered with the generic E-0000 body, never with their own text; the worker goes on serving.
pub async fn request_id(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let line = RequestLine::start(req.method(), req.path());
    let id = kernel::new_id();
    let span = tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.path());
    let running = AssertUnwindSafe(REQUEST_ID.scope(id.clone(), next.call(req).instrument(span.clone())));
    let outcome = running.catch_unwind().await;
    let answered = span.in_scope(|| answer(&id, outcome));
    // Outside the span: the line carries the id itself, and its fields are not repeated from the span's.
    match &answered {
        Ok(response) => line.write(&id, response.status(), response.response().extensions().get::<RequestOutcome>()),
        Err(error) => line.write(&id, error.as_response_error().status_code(), Some(&RequestOutcome::internal_error())),
    }
    answered
}

/// The answer to give for what the rest of the chain did: its response, or the generic error in its place.
fn answer(
    id: &str,
    outcome: std::thread::Result<Result<ServiceResponse<impl MessageBody + 'static>, Error>>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let mut response = match outcome {
        Ok(Ok(response)) => response.map_into_boxed_body(),
        Ok(Err(error)) => {
            tracing::error!(%error, "request failed outside the GraphQL executor");
            let status = error.as_response_error().status_code();
            return Err(InternalError::from_response(error, generic_error(id, status)).into());
        }
        Err(_) => {
            // The panic message was printed by the panic hook; the client learns only the reference.
            tracing::error!("request panicked");
            let answer = generic_error(id, StatusCode::INTERNAL_SERVER_ERROR);
            return Err(InternalError::from_response("request panicked", answer).into());
        }
    };
    if response.status().is_server_error() && response.response().extensions().get::<OwnErrorBody>().is_none() {
        tracing::error!(status = %response.status(), "server error outside the GraphQL executor");
        let status = response.status();
        response = response.into_response(generic_error(id, status));
    }
    if let Ok(value) = HeaderValue::from_str(id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    tracing::debug!(status = %response.status(), "answered");
    Ok(response)
}

/// The body of an unexpected failure: E-0000 and the id to quote.
pub fn generic_error_body(request_id: &str) -> Value {
    let error = internal_error(request_id);
    json!({ "errors": [{ "message": client_message(&error), "extensions": { "code": error.code() } }] })
}

fn generic_error(id: &str, status: StatusCode) -> HttpResponse {
    let mut response = HttpResponse::build(status)
        .insert_header((CONTENT_TYPE, "application/json"))
        .body(generic_error_body(id).to_string());
    response.extensions_mut().insert(RequestOutcome::internal_error());
    if let Ok(value) = HeaderValue::from_str(id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use actix_web::middleware::from_fn;
    use actix_web::{App, web};

    use super::*;

    #[actix_web::test]
    async fn a_panic_is_answered_with_the_generic_error_and_the_server_goes_on() {
        let server = actix_test::start(|| {
            App::new()
                .route("/panic", web::get().to(|| async { panic!("a bug") as HttpResponse }))
                .route("/fine", web::get().to(|| async { HttpResponse::Ok().body("fine") }))
                .wrap(from_fn(request_id))
        });
        let mut response = server.get("/panic").send().await.expect("answered");
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let id =
            response.headers().get(REQUEST_ID_HEADER).and_then(|v| v.to_str().ok()).expect("x-request-id").to_owned();
        let body: Value = response.json().await.expect("JSON body");
        assert_eq!(body["errors"][0]["extensions"]["code"], "E-0000");
        assert_eq!(body["errors"][0]["message"], format!("Something went wrong. Reference: {id} (E-0000)"));
        for _ in 0..3 {
            let after = server.get("/fine").send().await.expect("answered");
            assert_eq!(after.status(), StatusCode::OK);
        }
    }
}
