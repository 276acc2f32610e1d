//! The small HTML pages the API host serves itself (`/verify-email`, `/verification`).

use actix_web::{HttpResponse, HttpResponseBuilder};
use kernel::{ApiError, client_message};

/// A whole page; `title` is escaped here, `body` must already be HTML.
pub fn page(mut status: HttpResponseBuilder, title: &str, body: &str) -> HttpResponse {
    let title = html_escape::encode_text(title);
    status.content_type("text/html; charset=utf-8").insert_header(("Cache-Control", "no-store")).body(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title>\
         <style>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}\
         li{{margin-bottom:1rem}}.status{{font-weight:600}}</style></head><body><h1>{title}</h1>{body}</body></html>"
    ))
}

/// The page of an internal error: logged with the request id, shown only as E-0000.
pub fn failure(error: Option<ApiError>) -> HttpResponse {
    if let Some(error) = error {
        let _ = juniper::IntoFieldError::<juniper::DefaultScalarValue>::into_field_error(error);
    }
    let error = kernel::internal_error(&kernel::current_request_id());
    let message = html_escape::encode_text(&client_message(&error)).into_owned();
    page(HttpResponse::InternalServerError(), "Something went wrong", &format!("<p>{message}</p>"))
}
