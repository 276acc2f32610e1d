use chrono::{DateTime, Utc};
use diesel::prelude::*;
use kernel::{Email, LoginId, PublicUrls, new_id};
use mail::OutgoingEmail;
use store::schema::{email_verification_tokens, logins};
use store::{DbError, Tx};

use crate::tokens::{new_token, token_digest};
use crate::{AuthConfig, AuthError};

/// Issues a new email-verification token for the login and queues the `email_verification` email carrying
/// it, inside the caller's transaction (flows.md section 4): a rolled-back sign-up sends nothing. Older tokens
/// of the login are voided. Only the token's SHA-256 is stored; the token itself exists only in the link.
pub fn issue_email_verification(
    tx: &mut Tx<'_>,
    login_id: &LoginId,
    email: &Email,
    now: DateTime<Utc>,
    config: &AuthConfig,
    urls: &PublicUrls,
) -> Result<(), DbError> {
    let token = new_token();
    diesel::update(
        email_verification_tokens::table
            .filter(email_verification_tokens::login_id.eq(login_id))
            .filter(email_verification_tokens::used_at.is_null())
            .filter(email_verification_tokens::voided_at.is_null()),
    )
    .set(email_verification_tokens::voided_at.eq(now.naive_utc()))
    .execute(tx.conn())?;
    diesel::insert_into(email_verification_tokens::table)
        .values((
            email_verification_tokens::id.eq(new_id()),
            email_verification_tokens::login_id.eq(login_id),
            email_verification_tokens::token_hash.eq(token_digest(&token)),
            email_verification_tokens::created_at.eq(now.naive_utc()),
            email_verification_tokens::expires_at.eq((now + config.email_verification_ttl).naive_utc()),
        ))
        .execute(tx.conn())?;
    let link = format!("{}/verify-email?token={token}", urls.api);
    let expires = kernel::DateTime(now + config.email_verification_ttl).render();
    mail::queue(tx, &verification_email(email, &link, &expires), now)
}

fn verification_email(to: &Email, link: &str, expires: &str) -> OutgoingEmail {
    OutgoingEmail {
        to: to.clone(),
        template: "email_verification".to_owned(),
        subject: "Confirm your email address".to_owned(),
        text: format!(
            "Welcome to borderless.\n\nConfirm your email address by opening this link:\n{link}\n\nThe link works once, until {expires}. If you did not sign up, ignore this email."
        ),
        html: format!(
            "<p>Welcome to borderless.</p><p><a href=\"{link}\">Confirm your email address</a></p><p>The link works once, until {expires}. If you did not sign up, ignore this email.</p>"
        ),
        links: vec![link.to_owned()],
    }
}

/// resendEmailVerification (flows.md section 4): a new link for a login whose email is not verified yet, at
/// most one per `EMAIL_VERIFICATION_RESEND_INTERVAL` (sign-up's email counts). Answers the address it went to.
pub fn resend_email_verification(
    tx: &mut Tx<'_>,
    login_id: &LoginId,
    now: DateTime<Utc>,
    config: &AuthConfig,
    urls: &PublicUrls,
) -> Result<Email, AuthError> {
    // Two resends at once must not both pass the interval check.
    tx.lock_rows::<logins::table>(&[login_id.as_str()])?;
    let (email, verified): (String, bool) =
        logins::table.find(login_id).select((logins::email, logins::email_verified)).first(tx.conn())?;
    if verified {
        return Err(AuthError::EmailAlreadyVerified);
    }
    let latest: Option<chrono::NaiveDateTime> = email_verification_tokens::table
        .filter(email_verification_tokens::login_id.eq(login_id))
        .select(diesel::dsl::max(email_verification_tokens::created_at))
        .first(tx.conn())?;
    if latest.is_some_and(|issued| now.naive_utc() - issued < config.email_verification_resend_interval) {
        return Err(AuthError::VerificationEmailTooSoon);
    }
    let email = Email::parse(&email).ok_or_else(|| anyhow::anyhow!("login {login_id} has an unusable email"))?;
    issue_email_verification(tx, login_id, &email, now, config, urls)?;
    Ok(email)
}

/// `GET /verify-email`: a live token confirms its login's email and uses up every verification token of the
/// login. Anything else is I-4104. Answers the login, so the caller can re-evaluate its accounts.
pub fn confirm_email(tx: &mut Tx<'_>, token: &str, now: DateTime<Utc>) -> Result<LoginId, AuthError> {
    let found: Option<(LoginId, chrono::NaiveDateTime, Option<chrono::NaiveDateTime>, Option<chrono::NaiveDateTime>)> =
        email_verification_tokens::table
            .filter(email_verification_tokens::token_hash.eq(token_digest(token)))
            .select((
                email_verification_tokens::login_id,
                email_verification_tokens::expires_at,
                email_verification_tokens::used_at,
                email_verification_tokens::voided_at,
            ))
            .first(tx.conn())
            .optional()?;
    let login_id = match found {
        Some((login_id, expires_at, None, None)) if now.naive_utc() < expires_at => login_id,
        _ => return Err(AuthError::InvalidLink),
    };
    tx.lock_rows::<logins::table>(&[login_id.as_str()])?;
    // Used up under the lock: of two requests with one token, the second finds it used.
    let used = diesel::update(
        email_verification_tokens::table
            .filter(email_verification_tokens::login_id.eq(&login_id))
            .filter(email_verification_tokens::used_at.is_null())
            .filter(email_verification_tokens::voided_at.is_null()),
    )
    .set(email_verification_tokens::used_at.eq(now.naive_utc()))
    .execute(tx.conn())?;
    if used == 0 {
        return Err(AuthError::InvalidLink);
    }
    diesel::update(logins::table.find(&login_id)).set(logins::email_verified.eq(true)).execute(tx.conn())?;
    Ok(login_id)
}
