//! One log line per HTTP request (README, "Logs"), written by the request-id middleware once the answer is
//! known. It holds only what an operator needs to find a request again: never a body, a query string, a
//! header or a cookie, so that no password, token, tax id or account number can reach the log through it.

use std::time::{Duration, Instant};

use actix_web::http::{Method, StatusCode};
use juniper::{DefaultScalarValue, ExecutionError, ScalarValue as _};

/// What a handler knows of its request that the middleware cannot see (it never reads bodies): put in the
/// response's extensions, read back for the log line.
#[derive(Clone, Debug, Default)]
pub struct RequestOutcome {
    /// The selected GraphQL operation's name, when the client named it.
    pub operation: Option<String>,
    /// `OK`, or the first error's contract code; `None` when the answer has neither.
    pub code: Option<String>,
}

impl RequestOutcome {
    /// The outcome of an answer given the generic E-0000 body.
    pub fn internal_error() -> Self {
        Self { operation: None, code: Some(kernel::internal_error("").code().to_owned()) }
    }

    /// The outcome of an executed GraphQL operation: the first error's `extensions.code`, `OK` without errors.
    pub fn executed(operation: Option<String>, errors: &[ExecutionError<DefaultScalarValue>]) -> Self {
        let code = match errors.first() {
            None => Some("OK".to_owned()),
            Some(first) => first
                .error()
                .extensions()
                .as_object_value()
                .and_then(|extensions| extensions.get_field_value("code"))
                .and_then(|code| code.as_scalar())
                .and_then(|code| code.try_as_str())
                .map(str::to_owned),
        };
        Self { operation, code }
    }
}

/// The parts of a request the line names, taken when it arrives (the request itself is consumed by then).
pub struct RequestLine {
    started: Instant,
    method: Method,
    /// The path alone: a query string may carry a token (`/verify-email?token=…`).
    path: String,
}

impl RequestLine {
    pub fn start(method: &Method, path: &str) -> Self {
        Self { started: Instant::now(), method: method.clone(), path: path.to_owned() }
    }

    /// Writes the line. Strings go in as `&str`, so the text format quotes and escapes them.
    pub fn write(self, request_id: &str, status: StatusCode, outcome: Option<&RequestOutcome>) {
        let operation = outcome.and_then(|o| o.operation.as_deref());
        let code = outcome.and_then(|o| o.code.as_deref());
        tracing::info!(
            request_id,
            method = self.method.as_str(),
            path = self.path.as_str(),
            status = status.as_u16(),
            operation,
            outcome = code,
            duration_ms = milliseconds(self.started.elapsed()),
            "request"
        );
    }
}

/// Milliseconds to the microsecond: enough to tell a slow request, short enough to read.
fn milliseconds(elapsed: Duration) -> f64 {
    let micros = u32::try_from(elapsed.as_micros()).unwrap_or(u32::MAX);
    f64::from(micros) / 1000.0
}
