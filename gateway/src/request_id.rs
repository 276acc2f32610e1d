use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::InternalError;
use actix_web::http::StatusCode;
use actix_web::http::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse};
use kernel::REQUEST_ID;
use tracing::Instrument;

pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// Marks a response whose error body was written on purpose (a 5xx of ours), so it is passed through as is.
#[derive(Clone, Copy)]
pub struct OwnErrorBody;

/// Gives every request an id: in the `x-request-id` response header, in every log line of the request (span),
/// and in E-0000 messages. A server error that did not come from our handlers (a failing session store, a
/// panic) is answered with the generic E-0000 body, never with its own text.
pub async fn request_id(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let id = kernel::new_id();
    let span = tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.path());
    let outcome = REQUEST_ID.scope(id.clone(), next.call(req).instrument(span.clone())).await;
    let _entered = span.enter();
    let mut response = match outcome {
        Ok(response) => response.map_into_boxed_body(),
        Err(error) => {
            tracing::error!(%error, "request failed outside the GraphQL executor");
            let status = error.as_response_error().status_code();
            return Err(InternalError::from_response(error, generic_error(&id, status)).into());
        }
    };
    if response.status().is_server_error() && response.response().extensions().get::<OwnErrorBody>().is_none() {
        tracing::error!(status = %response.status(), "server error outside the GraphQL executor");
        let status = response.status();
        response = response.into_response(generic_error(&id, status));
    }
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    Ok(response)
}

/// The only thing a client learns of an unexpected failure: E-0000 and the id to quote.
fn generic_error(id: &str, status: StatusCode) -> HttpResponse {
    let body = serde_json::json!({
        "errors": [{ "message": format!("Something went wrong. Reference: {id} (E-0000)"), "extensions": { "code": "E-0000" } }]
    });
    let mut response =
        HttpResponse::build(status).insert_header((CONTENT_TYPE, "application/json")).body(body.to_string());
    if let Ok(value) = HeaderValue::from_str(id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    response
}
