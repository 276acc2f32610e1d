//! sendInvitationEmail and sendInvitedRegisterEmail: an email from the current account to an address without a
//! login, handed to the mail transport during the request, and the record behind their shared limits.

use std::sync::Arc;

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use kernel::{Clock, Email, PublicUrls, Services, SessionIdentity, new_id, with_connection, with_transaction};
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
    let now = clock.now().naive_utc();
    let caller_for_tx = caller.clone();
    let raw = to_email.to_owned();
    let (to, inviter, record_id) =
        with_transaction(pool, move |tx| reserve(tx, &caller_for_tx, kind, &raw, config.invitations_per_day, now))
            .await?;

    let email = message(kind, &to, &inviter, &urls);
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

/// The rules before the send, and the record of the send. Answers the address, the inviter's name and the
/// record's id.
fn reserve(
    tx: &mut Tx<'_>,
    caller: &SessionIdentity,
    kind: InvitationKind,
    raw: &str,
    per_day: u32,
    now: NaiveDateTime,
) -> Result<(Email, String, String), AccountsError> {
    require_open_account(tx, &caller.account_id)?;
    let to = Email::parse(raw).ok_or(AccountsError::InvalidEmail)?;
    if auth::login_exists(tx.conn(), &to)? {
        return Err(AccountsError::InviteeHasAccount);
    }
    if kind == InvitationKind::InvitedRegister && !something_waits_for(tx, caller, &to)? {
        return Err(AccountsError::NothingWaitingForEmail);
    }
    let since = now - window();
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
    Ok((to, inviter, id))
}

/// sendInvitedRegisterEmail rule 5: an open payment request of the account addressed to the email, or (with
/// `PAYMENTS_TO_NEW_EMAILS`) a claim payment held for it. Neither payment requests nor claim payments exist in
/// this service yet, so nothing waits for any address (docs/decisions.md, "Account changes and invitations").
fn something_waits_for(_tx: &mut Tx<'_>, _caller: &SessionIdentity, _to: &Email) -> Result<bool, AccountsError> {
    Ok(false)
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

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn url_encoded(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => char::from(b).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// The sign-up link the email carries.
fn sign_up_link(urls: &PublicUrls, to: &Email) -> String {
    format!("{}/sign-up?email={}", urls.web, url_encoded(to.as_str()))
}

fn html_escaped(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The email of `kind` (providers.md section 7). A registration email would list what waits for the address;
/// nothing can wait yet (see [`something_waits_for`]), so it carries the sign-up link only.
fn message(kind: InvitationKind, to: &Email, inviter: &str, urls: &PublicUrls) -> OutgoingEmail {
    let link = sign_up_link(urls, to);
    let name = html_escaped(inviter);
    let (subject, text, html) = match kind {
        InvitationKind::Invitation => (
            format!("{inviter} invited you to borderless"),
            format!("{inviter} invited you to join borderless.\n\nSign up here:\n{link}"),
            format!("<p>{name} invited you to join borderless.</p><p><a href=\"{link}\">Sign up</a></p>"),
        ),
        InvitationKind::InvitedRegister => (
            format!("{inviter} is waiting for you on borderless"),
            format!("{inviter} sent you something on borderless. Sign up with this address to see it:\n{link}"),
            format!("<p>{name} sent you something on borderless.</p><p><a href=\"{link}\">Sign up to see it</a></p>"),
        ),
    };
    OutgoingEmail { to: to.clone(), template: kind.template().to_owned(), subject, text, html, links: vec![link] }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sign_up_link_encodes_the_address() -> anyhow::Result<()> {
        let to = Email::parse("O'Brien+x@Example.com").ok_or_else(|| anyhow::anyhow!("a valid address"))?;
        let urls = PublicUrls::new("https://app.example/", "https://api.example");
        assert_eq!(sign_up_link(&urls, &to), "https://app.example/sign-up?email=o%27brien%2Bx%40example.com");
        Ok(())
    }
}
