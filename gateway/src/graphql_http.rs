//! GraphQL over HTTP: `POST /graphql` with a JSON body runs one operation; `GET /graphql` runs queries only.
//! Batches are refused, mutations over GET are refused (405), and the status codes follow the media type the
//! client accepts (README, "Transport").

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::http::header::{ACCEPT, ALLOW, CONTENT_LENGTH, CONTENT_TYPE};
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use futures_util::StreamExt as _;
use juniper::http::{GraphQLRequest, GraphQLResponse};
use juniper::{GraphQLError, InputValue, OperationType};
use kernel::{Context, with_connection};
use serde_json::{Map, Value, json};

use crate::AppState;
use crate::app::BODY_LIMIT;
use crate::request_id::{OwnErrorBody, generic_error_body};
use crate::request_log::RequestOutcome;

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
const JSON: &str = "application/json";

/// The media type of the answer, from the request's `Accept`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Answer {
    /// `application/json`: a document that fails to parse or validate is answered 200.
    Json,
    /// `application/graphql-response+json`: such a document is answered 400.
    GraphqlResponse,
}

impl Answer {
    fn negotiate(req: &HttpRequest) -> Option<Self> {
        let Some(accept) = req.headers().get(ACCEPT).and_then(|v| v.to_str().ok()) else {
            return Some(Self::Json);
        };
        let types: Vec<&str> = accept.split(',').map(|t| t.split(';').next().unwrap_or("").trim()).collect();
        if types.contains(&GRAPHQL_RESPONSE_JSON) {
            Some(Self::GraphqlResponse)
        } else if types.iter().any(|t| matches!(*t, JSON | "application/*" | "*/*" | "")) {
            Some(Self::Json)
        } else {
            None
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Self::Json => "application/json; charset=utf-8",
            Self::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
        }
    }

    fn respond(self, status: StatusCode, body: impl serde::Serialize) -> HttpResponse {
        HttpResponse::build(status).insert_header((CONTENT_TYPE, self.content_type())).json(body)
    }
}

/// A request that is not a GraphQL request at all: 4xx with one error, no `data`.
fn refuse(answer: Answer, status: StatusCode, message: &str) -> HttpResponse {
    answer.respond(status, json!({ "errors": [{ "message": message }] }))
}

fn not_acceptable() -> HttpResponse {
    refuse(Answer::Json, StatusCode::NOT_ACCEPTABLE, "Accept application/json or application/graphql-response+json.")
}

pub async fn post(
    req: HttpRequest,
    payload: web::Payload,
    session: Session,
    state: web::Data<AppState>,
) -> HttpResponse {
    let Some(answer) = Answer::negotiate(&req) else { return not_acceptable() };
    let is_json = req.mime_type().ok().flatten().is_some_and(|mime| mime.essence_str() == JSON);
    if !is_json {
        return refuse(
            answer,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Send the request as Content-Type: application/json.",
        );
    }
    let idempotency_key = match idempotency_key(&req) {
        Ok(key) => key,
        Err(message) => return refuse(answer, StatusCode::BAD_REQUEST, message),
    };
    let body = match read_body(&req, payload, state.request_body_timeout).await {
        Ok(body) => body,
        Err(refused) => return refused,
    };
    let parsed = match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(fields)) => parse_request(fields),
        Ok(Value::Array(_)) => Err("Batched requests are not supported: send one operation per request."),
        Ok(_) | Err(_) => Err("The body must be a JSON object with a `query`."),
    };
    match parsed {
        Ok(request) => execute(request, answer, Transport::Post { idempotency_key }, session, state).await,
        Err(message) => refuse(answer, StatusCode::BAD_REQUEST, message),
    }
}

pub async fn get(req: HttpRequest, session: Session, state: web::Data<AppState>) -> HttpResponse {
    let Some(answer) = Answer::negotiate(&req) else { return not_acceptable() };
    let params = match web::Query::<Map<String, Value>>::from_query(req.query_string()) {
        Ok(params) => params.into_inner(),
        Err(_) => {
            return refuse(answer, StatusCode::BAD_REQUEST, "The query string is malformed.");
        }
    };
    // Over GET, `variables` and `extensions` arrive as JSON text.
    let mut fields = Map::new();
    for (name, value) in params {
        let value = match (name.as_str(), value) {
            ("variables" | "extensions", Value::String(text)) => match serde_json::from_str(&text) {
                Ok(value) => value,
                Err(_) => {
                    return refuse(
                        answer,
                        StatusCode::BAD_REQUEST,
                        "`variables` and `extensions` must be JSON objects.",
                    );
                }
            },
            (_, value) => value,
        };
        fields.insert(name, value);
    }
    match parse_request(fields) {
        // Mutations are refused over GET, so an `Idempotency-Key` has nothing to apply to there.
        Ok(request) => execute(request, answer, Transport::Get, session, state).await,
        Err(message) => refuse(answer, StatusCode::BAD_REQUEST, message),
    }
}

/// How a request arrived: over GET (queries only), or over POST with the `Idempotency-Key` it may carry.
enum Transport {
    Get,
    Post { idempotency_key: Option<String> },
}

/// The `Idempotency-Key` header (README, "Retrying a submit"): 1 to 255 visible ASCII characters.
fn idempotency_key(req: &HttpRequest) -> Result<Option<String>, &'static str> {
    let Some(value) = req.headers().get("Idempotency-Key") else { return Ok(None) };
    let key = value.as_bytes();
    if key.is_empty() || key.len() > 255 || !key.iter().all(|b| b.is_ascii_graphic()) {
        return Err("The Idempotency-Key header must be 1 to 255 visible ASCII characters.");
    }
    Ok(Some(String::from_utf8_lossy(key).into_owned()))
}

/// Reads the whole body, at most [`BODY_LIMIT`] bytes (413 beyond), within `timeout` (408 after it, and the
/// connection is closed): a client that sends its body slowly or never cannot hold a connection open.
async fn read_body(
    req: &HttpRequest,
    mut payload: web::Payload,
    timeout: std::time::Duration,
) -> Result<web::Bytes, HttpResponse> {
    let too_large = || HttpResponse::PayloadTooLarge().finish();
    let declared =
        req.headers().get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|length| length > BODY_LIMIT) {
        return Err(too_large());
    }
    let reading = async {
        let mut body = web::BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|_| HttpResponse::BadRequest().finish())?;
            if body.len() + chunk.len() > BODY_LIMIT {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    };
    match tokio::time::timeout(timeout, reading).await {
        Ok(read) => read,
        Err(_) => Err(HttpResponse::RequestTimeout().force_close().finish()),
    }
}

/// Checks the shape of `{query, variables, operationName, extensions}`.
fn parse_request(mut fields: Map<String, Value>) -> Result<GraphQLRequest, &'static str> {
    let query = match fields.remove("query") {
        Some(Value::String(query)) => query,
        _ => return Err("The request needs a `query` string."),
    };
    let operation_name = match fields.remove("operationName") {
        None | Some(Value::Null) => None,
        Some(Value::String(name)) => Some(name),
        Some(_) => return Err("`operationName` must be a string."),
    };
    let variables = match fields.remove("variables") {
        None | Some(Value::Null) => None,
        Some(Value::Object(variables)) => Some(
            serde_json::from_value::<InputValue>(Value::Object(variables))
                .map_err(|_| "`variables` is not valid JSON input.")?,
        ),
        Some(_) => return Err("`variables` must be an object."),
    };
    match fields.remove("extensions") {
        None | Some(Value::Null) | Some(Value::Object(_)) => {}
        Some(_) => return Err("`extensions` must be an object."),
    }
    Ok(GraphQLRequest::new(query, operation_name, variables))
}

async fn execute(
    request: GraphQLRequest,
    answer: Answer,
    transport: Transport,
    session: Session,
    state: web::Data<AppState>,
) -> HttpResponse {
    let (over_get, idempotency_key) = match transport {
        Transport::Get => (true, None),
        Transport::Post { idempotency_key } => (false, idempotency_key),
    };
    if state.clock.is_manual() {
        // Takes up an advance an operator command made in another process before reading any deadline.
        let clock = state.clock.clone();
        if let Err(error) = with_connection(&state.pool, move |conn| clock.refresh(conn)).await {
            tracing::error!(?error, "manual clock not refreshed");
        }
    }
    let now = kernel::Clock::now(state.clock.as_ref());
    let read = auth::session::read(&session, &state.auth, now);
    let context = Context::new(state.pool.clone(), state.clock.clone(), state.services.clone(), read.viewer.clone())
        .with_wrong_passwords(read.wrong_passwords())
        .with_session_key(read.session_key())
        .with_idempotency_key(idempotency_key);

    let variables = request.variables();
    let prepared = match state.operations.prepare(request.query, request.operation_name) {
        Ok(prepared) => prepared,
        Err(error) => return document_error(answer, error),
    };
    let operation = prepared.operation();
    if over_get && operation.operation_type() != OperationType::Query {
        let mut refused = refuse(answer, StatusCode::METHOD_NOT_ALLOWED, "Mutations are accepted only over POST.");
        refused.headers_mut().insert(ALLOW, actix_web::http::header::HeaderValue::from_static("POST"));
        return refused;
    }
    let result = operation.execute(&variables, &context).await;
    let operation_name = prepared.name().map(str::to_owned);
    let outcome = match &result {
        Ok((_, errors)) => RequestOutcome::executed(operation_name, errors),
        Err(_) => RequestOutcome { operation: operation_name, code: None },
    };
    let response = GraphQLResponse::from_result(result);

    let change = context.take_session_change();
    let finished_at = kernel::Clock::now(state.clock.as_ref());
    match auth::session::finish(&session, &read, context.session_used(), change, &state.auth, finished_at) {
        Ok(follow_up) => {
            let mut http = answer.respond(StatusCode::OK, response);
            http.extensions_mut().insert(follow_up);
            http.extensions_mut().insert(outcome);
            http
        }
        Err(error) => {
            tracing::error!(?error, "session change not applied");
            let id = kernel::current_request_id();
            let mut http = answer.respond(StatusCode::INTERNAL_SERVER_ERROR, generic_error_body(&id));
            http.extensions_mut().insert(OwnErrorBody);
            http.extensions_mut()
                .insert(RequestOutcome { operation: outcome.operation, ..RequestOutcome::internal_error() });
            http
        }
    }
}

/// A document that does not parse or validate (or names no runnable operation).
fn document_error(answer: Answer, error: GraphQLError) -> HttpResponse {
    let status = match answer {
        Answer::Json => StatusCode::OK,
        Answer::GraphqlResponse => StatusCode::BAD_REQUEST,
    };
    answer.respond(status, GraphQLResponse::<juniper::DefaultScalarValue>::from_result(Err(error)))
}

/// `GET /schema.graphql`: the served schema as SDL, in a stable order.
pub async fn sdl(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain; charset=utf-8").body(state.schema.as_sdl())
}

/// Any other method on `/graphql`.
pub async fn method_not_allowed() -> HttpResponse {
    HttpResponse::MethodNotAllowed().insert_header((ALLOW, "GET, POST")).finish()
}
