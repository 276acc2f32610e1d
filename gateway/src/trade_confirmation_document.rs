//! `GET /trade-confirmations/<paymentId>.pdf`: the PDF of a trade confirmation, for the session in the
//! `borderless_session` cookie, whenever tradeConfirmationForPayment would answer it. Every refusal (no
//! session, another account's payment, an id refused by the query) is a bare 404, so the address reveals
//! nothing about payments the caller may not see.

use actix_session::Session;
use actix_web::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpResponse, web};
use kernel::{Clock as _, FxRates, Viewer};
use payments::activity::Reading;
use payments::refunds::RefundLimits;
use payments::{ActivityError, PaymentsConfig, trade_confirmation_document};

use crate::AppState;

pub async fn trade_confirmation_document_page(
    path: web::Path<String>,
    session: Session,
    state: web::Data<AppState>,
) -> HttpResponse {
    let not_found = || HttpResponse::NotFound().finish();
    let Some(payment_id) = path.into_inner().strip_suffix(".pdf").map(str::to_owned) else { return not_found() };
    let now = state.clock.now();
    let read = auth::session::read(&session, &state.auth, now);
    let Viewer::LoggedIn(current) = &read.viewer else { return not_found() };
    let reading = match (state.services.get::<FxRates>(), state.services.get::<PaymentsConfig>()) {
        (Ok(rates), Ok(config)) => Reading {
            now,
            rates: rates.clone(),
            settlement: config.settlement,
            refund_limits: state.services.get::<RefundLimits>().copied().unwrap_or_default(),
        },
        _ => return internal_error(anyhow::anyhow!("the payments services are not wired")),
    };
    match trade_confirmation_document(&state.pool, reading, current, &payment_id).await {
        Ok((trade_number, document)) => {
            let mut response = HttpResponse::Ok()
                .insert_header((CONTENT_TYPE, "application/pdf"))
                .insert_header((
                    CONTENT_DISPOSITION,
                    format!("inline; filename=\"trade-confirmation-{trade_number}.pdf\""),
                ))
                .body(document);
            // A download uses the session like any operation: its idle deadline moves on.
            match auth::session::finish(&session, &read, true, None, &state.auth, now) {
                Ok(follow_up) => {
                    response.extensions_mut().insert(follow_up);
                    response
                }
                Err(error) => internal_error(error),
            }
        }
        Err(ActivityError::Internal(error)) => internal_error(error),
        Err(_) => not_found(),
    }
}

/// The cause goes to the log; the client gets the generic server error the request-id middleware writes.
fn internal_error(error: anyhow::Error) -> HttpResponse {
    tracing::error!(?error, "trade confirmation document not served");
    HttpResponse::InternalServerError().finish()
}
