//! `GET /verify-email?token=…`: the page the verification email links to (flows.md section 4). It needs no
//! session and ignores any.

use accounts::{AccountsConfig, AccountsError};
use actix_web::{HttpResponse, web};
use kernel::{ApiError, ContractError, PublicUrls, client_message};
use serde::Deserialize;

use crate::AppState;
use crate::html_page::{failure, page};

#[derive(Deserialize)]
pub struct Link {
    token: Option<String>,
}

pub async fn verify_email(state: web::Data<AppState>, link: web::Query<Link>) -> HttpResponse {
    let Ok(config) = state.services.shared::<AccountsConfig>() else { return failure(None) };
    let Ok(urls) = state.services.shared::<PublicUrls>() else { return failure(None) };
    let token = link.into_inner().token.unwrap_or_default();
    match accounts::confirm_email(&state.pool, state.clock.as_ref(), config, token).await {
        Ok(()) => page(
            HttpResponse::Ok(),
            "Email address confirmed",
            &format!(
                "<p>Your email address is confirmed.</p><p><a href=\"{}\">Continue to borderless</a></p>",
                urls.web
            ),
        ),
        Err(AccountsError::InvalidLink) => page(
            HttpResponse::BadRequest(),
            "Link not valid",
            &format!("<p>{}</p>", client_message(&ContractError::InvalidLink)),
        ),
        Err(error) => failure(Some(ApiError::from(error))),
    }
}
