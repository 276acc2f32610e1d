//! `GET /verification?token=…`: the hosted verification page embedVerificationService links to. It needs no
//! session and ignores any; the token names the account.

use accounts::{AccountsError, CheckSubject, IdentityCheckStatus, PendingCheck, VerificationPage};
use actix_web::{HttpResponse, web};
use html_escape::encode_text;
use kernel::{ApiError, ContractError, client_message};
use serde::Deserialize;

use crate::AppState;
use crate::html_page::{failure, page};

#[derive(Deserialize)]
pub struct Link {
    token: Option<String>,
}

pub async fn verification_page(state: web::Data<AppState>, link: web::Query<Link>) -> HttpResponse {
    let token = link.into_inner().token.unwrap_or_default();
    match accounts::verification_page(&state.pool, state.clock.as_ref(), token).await {
        Ok(found) => page(HttpResponse::Ok(), "Identity verification", &checks_html(&found)),
        Err(AccountsError::InvalidLink) => page(
            HttpResponse::BadRequest(),
            "Link not valid",
            &format!("<p>{}</p>", encode_text(&client_message(&ContractError::InvalidLink))),
        ),
        Err(error) => failure(Some(ApiError::from(error))),
    }
}

fn checks_html(found: &VerificationPage) -> String {
    let account = found.account_name.as_deref().map(|name| format!(" of {}", encode_text(name))).unwrap_or_default();
    if found.checks.is_empty() {
        return format!("<p>Every identity check{account} is clear: there is nothing to do.</p>");
    }
    let items: String = found.checks.iter().map(check_html).collect();
    format!(
        "<p>These identity checks{account} are not clear yet.</p><ul>{items}</ul>\
         <p>Checks end on their own once their document is attached; reload this page to see where they stand.</p>"
    )
}

fn check_html(check: &PendingCheck) -> String {
    let who = match (check.subject, &check.name) {
        (CheckSubject::Person, Some(name)) => format!("You ({})", encode_text(name)),
        (CheckSubject::Person, None) => "You".to_owned(),
        (CheckSubject::CompanyOfficer, name) => {
            format!("Company officer {}", encode_text(name.as_deref().unwrap_or_default()))
        }
    };
    let status = match check.status {
        IdentityCheckStatus::NotStarted => "not started",
        IdentityCheckStatus::Pending => "pending",
        IdentityCheckStatus::Rejected => "rejected",
        IdentityCheckStatus::Clear => "clear",
    };
    format!(
        "<li><span class=\"who\">{who}</span>: <span class=\"status\">{status}</span><br>{}</li>",
        encode_text(check.needs())
    )
}
