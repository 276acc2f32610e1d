//! sendInvitationEmail and sendInvitedRegisterEmail: an email from the current account to an address without a
//! login, handed to the mail transport during the request, and the record behind their shared limits.

use std::sync::Arc;

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use kernel::{
    AccountId, Clock, Email, PublicUrls, Services, SessionIdentity, new_id, with_connection, with_transaction,
};
use mail::{Mailer, OutgoingEmail, SendError};
use store::schema::{accounts, invitations, logins, persons};
use store::{Pool, Tx};

use crate::{AccountsConfig, AccountsError, require_open_account};

/// Which of the two operations sends: it decides the template and whether something must wait for the address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitationKind {
    /// sendInvitationEmail: template `invitation`.
    Invitation,
    /// sendInvitedRegisterEmail: template `invited_register`.
    InvitedRegister,
}

impl InvitationKind {
    fn template(self) -> &'static str {
        match self {
            Self::Invitation => "invitation",
            Self::InvitedRegister => "invited_register",
        }
    }
}

/// The rolling window of both limits.
fn window() -> TimeDelta {
    TimeDelta::hours(24)
}

/// One thing of the inviting account waiting for an address with no login (a payment request, a held claim
/// payment), as the registration email lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    /// What it is, e.g. "25.00 USD: Invoice 7".
    pub summary: String,
    /// Its page, when it has one.
    pub link: Option<String>,
    /// When its own email to the address went out (requestPayment's `invited_register`), which counts for the
    /// one-email-a-day rule of both operations.
    pub emailed_at: Option<NaiveDateTime>,
}

/// What another domain holds for an address on behalf of an account (payments: open requests). Accounts cannot
/// depend on those domains, so the gateway gives it their answer through [`Services`]; without one, nothing
/// waits.
pub trait WaitingForEmail: Send + Sync {
    /// What `account` has waiting for `email`, oldest first, read in the caller's transaction.
    fn waiting(&self, tx: &mut Tx<'_>, account: &AccountId, email: &Email) -> anyhow::Result<Vec<Waiting>>;
}

/// Sends the invitation (or registration email) of `kind` to `to_email` on behalf of the caller's current
/// account, rules in the pages' order. Answers the address in lower case.
///
/// The checks and the record are one transaction under the account's row lock, so two requests at once
/// cannot both pass the limits; the record is written before the send and removed again when the transport
/// refuses (E-7101) or fails, so only a sent email counts.
pub async fn send_invitation(
    pool: &Pool,
    clock: &dyn Clock,
    services: &Services,
    caller: &SessionIdentity,
    kind: InvitationKind,
    to_email: &str,
) -> Result<Email, AccountsError> {
    let config = services.shared::<AccountsConfig>()?;
    let urls = services.shared::<PublicUrls>()?;
    let mailer = services.get::<Arc<dyn Mailer>>()?.clone();
    let waiting = services.get::<Arc<dyn WaitingForEmail>>().ok().cloned();
    let now = clock.now().naive_utc();
    let caller_for_tx = caller.clone();
    let raw = to_email.to_owned();
    let (to, inviter, waiting, record_id) = with_transaction(pool, move |tx| {
        reserve(tx, (&caller_for_tx, waiting.as_deref()), kind, &raw, config.invitations_per_day, now)
    })
    .await?;

    let email = message(kind, &to, (&inviter, &waiting), &urls);
    let outcome = mailer.send(&email).await;
    if outcome.is_ok() {
        return Ok(to);
    }
    with_connection(pool, move |conn| {
        diesel::delete(invitations::table.find(&record_id)).execute(conn).map(|_| ()).map_err(AccountsError::from)
    })
    .await?;
    match outcome {
        Err(SendError::Refused { reason }) => Err(AccountsError::InvitationNotSent { email: to, reason }),
        Err(SendError::Failed(cause)) => Err(AccountsError::Internal(cause.context("the mail transport failed"))),
        Ok(()) => Ok(to),
    }
}

/// The rules before the send, and the record of the send. Answers the address, the inviter's name, what waits
/// for the address and the record's id.
fn reserve(
    tx: &mut Tx<'_>,
    (caller, waiting_for): (&SessionIdentity, Option<&dyn WaitingForEmail>),
    kind: InvitationKind,
    raw: &str,
    per_day: u32,
    now: NaiveDateTime,
) -> Result<(Email, String, Vec<Waiting>, String), AccountsError> {
    require_open_account(tx, &caller.account_id)?;
    let to = Email::parse(raw).ok_or(AccountsError::InvalidEmail)?;
    if auth::login_exists(tx.conn(), &to)? {
        return Err(AccountsError::InviteeHasAccount);
    }
    let waiting = match waiting_for {
        Some(waiting_for) => waiting_for.waiting(tx, &caller.account_id, &to)?,
        None => Vec::new(),
    };
    if kind == InvitationKind::InvitedRegister && waiting.is_empty() {
        return Err(AccountsError::NothingWaitingForEmail);
    }
    let since = now - window();
    if waiting.iter().any(|item| item.emailed_at.is_some_and(|at| at > since)) {
        return Err(AccountsError::InvitationAlreadySent);
    }
    let sent_here: i64 = invitations::table
        .filter(invitations::account_id.eq(&caller.account_id))
        .filter(invitations::email.eq(to.as_str()))
        .filter(invitations::sent_at.gt(since))
        .count()
        .get_result(tx.conn())?;
    if sent_here > 0 {
        return Err(AccountsError::InvitationAlreadySent);
    }
    let sent_today: i64 = invitations::table
        .filter(invitations::account_id.eq(&caller.account_id))
        .filter(invitations::sent_at.gt(since))
        .count()
        .get_result(tx.conn())?;
    if sent_today >= i64::from(per_day) {
        return Err(AccountsError::TooManyInvitations);
    }
    let inviter = inviter_name(tx, caller)?;
    let id = new_id();
    diesel::insert_into(invitations::table)
        .values((
            invitations::id.eq(&id),
            invitations::account_id.eq(&caller.account_id),
            invitations::email.eq(to.as_str()),
            invitations::template.eq(kind.template()),
            invitations::sent_at.eq(now),
        ))
        .execute(tx.conn())?;
    Ok((to, inviter, waiting, id))
}

/// The inviting account's `displayName`, else the person's first and last name, else the login's email.
fn inviter_name(tx: &mut Tx<'_>, caller: &SessionIdentity) -> Result<String, AccountsError> {
    let display_name: Option<String> =
        accounts::table.find(&caller.account_id).select(accounts::display_name).first(tx.conn())?;
    if let Some(name) = display_name.filter(|name| !name.trim().is_empty()) {
        return Ok(name);
    }
    let (first, last): (Option<String>, Option<String>) =
        persons::table.find(&caller.person_id).select((persons::first_name, persons::last_name)).first(tx.conn())?;
    let full = [first, last].into_iter().flatten().filter(|part| !part.trim().is_empty()).collect::<Vec<_>>();
    if !full.is_empty() {
        return Ok(full.join(" "));
    }
    let email: String = logins::table.find(&caller.login_id).select(logins::email).first(tx.conn())?;
    Ok(email)
}

fn html_escaped(text: &str) -> String {
    html_escape::encode_double_quoted_attribute(text).into_owned()
}

/// The email of `kind` (providers.md section 7); a registration email lists what waits for the address.
fn message(
    kind: InvitationKind,
    to: &Email,
    (inviter, waiting): (&str, &[Waiting]),
    urls: &PublicUrls,
) -> OutgoingEmail {
    let sign_up = urls.sign_up(to.as_str());
    let name = html_escaped(inviter);
    let (subject, text, html) = match kind {
        InvitationKind::Invitation => (
            format!("{inviter} invited you to borderless"),
            format!("{inviter} invited you to join borderless.\n\nSign up here:\n{sign_up}"),
            format!("<p>{name} invited you to join borderless.</p><p><a href=\"{sign_up}\">Sign up</a></p>"),
        ),
        InvitationKind::InvitedRegister => {
            let mut text = format!(
                "{inviter} sent you something on borderless. Sign up with this address to see it:\n{sign_up}\n\nWaiting for you:\n"
            );
            let mut html = format!(
                "<p>{name} sent you something on borderless.</p><p><a href=\"{sign_up}\">Sign up to see it</a></p><p>Waiting for you:</p><ul>"
            );
            for item in waiting {
                let summary = html_escaped(&item.summary);
                match &item.link {
                    Some(link) => {
                        text.push_str(&format!("- {}: {link}\n", item.summary));
                        html.push_str(&format!("<li><a href=\"{link}\">{summary}</a></li>"));
                    }
                    None => {
                        text.push_str(&format!("- {}\n", item.summary));
                        html.push_str(&format!("<li>{summary}</li>"));
                    }
                }
            }
            html.push_str("</ul>");
            (format!("{inviter} is waiting for you on borderless"), text, html)
        }
    };
    let links = std::iter::once(sign_up).chain(waiting.iter().filter_map(|item| item.link.clone())).collect();
    OutgoingEmail { to: to.clone(), template: kind.template().to_owned(), subject, text, html, links }
}
