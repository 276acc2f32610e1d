//! Password reset (flows.md section 5). A request is queued and answered at once, the same way whether or not a
//! login has the email; the `password_resets` job makes the token and the email. The link's token resets the
//! password once.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use kernel::{
    Clock, Email, Job, JobContext, LoginId, PublicUrls, SecretString, Services, new_id, with_connection,
    with_transaction,
};
use mail::OutgoingEmail;
use store::schema::{login_failures, logins, password_reset_requests, password_reset_tokens};
use store::{DbConnection, DbError, Pool, Tx};

use crate::password_change::store_new_password;
use crate::session::SessionStore;
use crate::tokens::{new_token, token_digest};
use crate::{AuthConfig, AuthError, Password, PasswordHasher};

/// Most queued requests one run of the job handles.
const BATCH: i64 = 50;

/// requestPasswordReset: a well-formed email is queued for the job; nothing else happens on the request path.
pub async fn request_password_reset(pool: &Pool, clock: &dyn Clock, email: &str) -> Result<(), AuthError> {
    let email = Email::parse(email).ok_or(AuthError::InvalidEmail)?;
    let now = clock.now().naive_utc();
    with_transaction(pool, move |tx| {
        diesel::insert_into(password_reset_requests::table)
            .values((
                password_reset_requests::id.eq(new_id()),
                password_reset_requests::email.eq(email.as_str()),
                password_reset_requests::requested_at.eq(now),
            ))
            .execute(tx.conn())
            .map(|_| ())
            .map_err(AuthError::from)
    })
    .await
}

/// The job that answers queued reset requests: for a login with the email, and outside the resend interval, a
/// new token (older ones voided) and the `password_reset` email, in one transaction.
pub struct PasswordResets;

impl Job for PasswordResets {
    fn name(&self) -> &'static str {
        "password_resets"
    }

    fn run<'a>(&'a self, ctx: &'a JobContext) -> BoxFuture<'a, anyhow::Result<usize>> {
        async move {
            let config = ctx.services.shared::<AuthConfig>()?;
            let urls = ctx.services.shared::<PublicUrls>()?;
            let now = ctx.clock.now();
            with_transaction(&ctx.pool, move |tx| answer_requests(tx, &config, &urls, now)).await
        }
        .boxed()
    }
}

fn answer_requests(
    tx: &mut Tx<'_>,
    config: &AuthConfig,
    urls: &PublicUrls,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let due: Vec<(String, String)> = password_reset_requests::table
        .filter(password_reset_requests::handled_at.is_null())
        .filter(password_reset_requests::requested_at.le(now.naive_utc()))
        .order(password_reset_requests::requested_at.asc())
        .limit(BATCH)
        .select((password_reset_requests::id, password_reset_requests::email))
        .load(tx.conn())?;
    let mut sent = 0;
    for (id, email) in due {
        // Taken by this update only if no other runner took it first (re-checked after any row lock wait).
        let taken = diesel::update(
            password_reset_requests::table.find(&id).filter(password_reset_requests::handled_at.is_null()),
        )
        .set(password_reset_requests::handled_at.eq(now.naive_utc()))
        .execute(tx.conn())?;
        if taken == 1 && issue_reset(tx, &email, config, urls, now)? {
            sent += 1;
        }
    }
    Ok(sent)
}

/// Issues a token and queues the email when a login has the email and its last reset email is older than the
/// resend interval.
fn issue_reset(
    tx: &mut Tx<'_>,
    email: &str,
    config: &AuthConfig,
    urls: &PublicUrls,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let Some(login_id) =
        logins::table.filter(logins::email.eq(email)).select(logins::id).first::<LoginId>(tx.conn()).optional()?
    else {
        return Ok(false);
    };
    let latest: Option<NaiveDateTime> = password_reset_tokens::table
        .filter(password_reset_tokens::login_id.eq(&login_id))
        .select(diesel::dsl::max(password_reset_tokens::created_at))
        .first(tx.conn())?;
    if latest.is_some_and(|issued| now.naive_utc() - issued < config.password_reset_resend_interval) {
        return Ok(false);
    }
    diesel::update(
        password_reset_tokens::table
            .filter(password_reset_tokens::login_id.eq(&login_id))
            .filter(password_reset_tokens::used_at.is_null())
            .filter(password_reset_tokens::voided_at.is_null()),
    )
    .set(password_reset_tokens::voided_at.eq(now.naive_utc()))
    .execute(tx.conn())?;
    let token = new_token();
    let expires = now + config.password_reset_ttl;
    diesel::insert_into(password_reset_tokens::table)
        .values((
            password_reset_tokens::id.eq(new_id()),
            password_reset_tokens::login_id.eq(&login_id),
            password_reset_tokens::token_hash.eq(token_digest(&token)),
            password_reset_tokens::created_at.eq(now.naive_utc()),
            password_reset_tokens::expires_at.eq(expires.naive_utc()),
        ))
        .execute(tx.conn())?;
    let Some(to) = Email::parse(email) else { return Ok(false) };
    let link = format!("{}/reset-password?token={token}", urls.web);
    mail::queue(tx, &reset_email(to, &link, &kernel::DateTime(expires).render()), now)?;
    Ok(true)
}

fn reset_email(to: Email, link: &str, expires: &str) -> OutgoingEmail {
    OutgoingEmail {
        to,
        template: "password_reset".to_owned(),
        subject: "Reset your borderless password".to_owned(),
        text: format!(
            "Someone asked to reset the password of your borderless login.\n\nChoose a new password here:\n{link}\n\nThe link works once, until {expires}. If you did not ask, ignore this email: your password stays as it is."
        ),
        html: format!(
            "<p>Someone asked to reset the password of your borderless login.</p><p><a href=\"{link}\">Choose a new password</a></p><p>The link works once, until {expires}. If you did not ask, ignore this email: your password stays as it is.</p>"
        ),
        links: vec![link.to_owned()],
    }
}

/// resetPassword, rules in the page's order: a live token (I-4104), then the password rule (I-4203, the
/// token stays usable). Then in one transaction the token is taken by a conditional update (of two uses of
/// one link, the second gets I-4104), the hash replaced, the email counted as verified and the email's failed
/// logins cleared; afterwards every session of the login ends. Answers the login.
pub async fn reset_password(
    pool: &Pool,
    clock: &dyn Clock,
    services: &Services,
    token: &str,
    new_password: SecretString,
) -> Result<LoginId, AuthError> {
    let digest = token_digest(token.trim());
    let now = clock.now();
    let lookup = digest.clone();
    let live = with_connection(pool, move |conn| live_token(conn, &lookup, now).map_err(AuthError::from)).await?;
    if live.is_none() {
        return Err(AuthError::InvalidLink);
    }
    let password = Password::parse(&new_password).ok_or(AuthError::WeakPassword)?;
    let hash = services.get::<PasswordHasher>()?.hash(password).await?;
    let login_id = with_transaction(pool, move |tx| {
        let Some(login_id) = live_token(tx.conn(), &digest, now)? else { return Err(AuthError::InvalidLink) };
        let taken = diesel::update(
            password_reset_tokens::table
                .filter(password_reset_tokens::token_hash.eq(&digest))
                .filter(password_reset_tokens::used_at.is_null())
                .filter(password_reset_tokens::voided_at.is_null()),
        )
        .set(password_reset_tokens::used_at.eq(now.naive_utc()))
        .execute(tx.conn())?;
        if taken == 0 {
            return Err(AuthError::InvalidLink);
        }
        store_new_password(tx, &login_id, &hash, now)?;
        let email: String = diesel::update(logins::table.find(&login_id))
            .set(logins::email_verified.eq(true))
            .returning(logins::email)
            .get_result(tx.conn())?;
        diesel::delete(login_failures::table.filter(login_failures::email.eq(&email))).execute(tx.conn())?;
        Ok(login_id)
    })
    .await?;
    services.get::<SessionStore>()?.end_all_for_login(&login_id).await?;
    Ok(login_id)
}

/// The login of a token that is unused, not voided and not expired.
fn live_token(conn: &mut DbConnection, digest: &str, now: DateTime<Utc>) -> Result<Option<LoginId>, DbError> {
    password_reset_tokens::table
        .filter(password_reset_tokens::token_hash.eq(digest))
        .filter(password_reset_tokens::used_at.is_null())
        .filter(password_reset_tokens::voided_at.is_null())
        .filter(password_reset_tokens::expires_at.gt(now.naive_utc()))
        .select(password_reset_tokens::login_id)
        .first(conn)
        .optional()
}
