use actix_web::HttpResponse;
use actix_web::cookie::{Cookie, Key, SameSite};
use actix_web::http::header::{HeaderValue, SET_COOKIE};
use chrono::TimeDelta;
use kernel::with_connection;
use store::Pool;

use crate::random::random_bytes;

pub const COOKIE_NAME: &str = "borderless_session";

/// What the session cookie still needs once actix-session has written it; the GraphQL handler leaves it in
/// the response extensions and [`finish_cookie`] carries it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CookieFollowUp {
    None,
    /// An extended session: the cookie outlives the browser, until the session's absolute limit.
    MaxAge(TimeDelta),
    /// Logout: the browser must drop the cookie even when no live session was named.
    Clear,
}

/// Finishes the `Set-Cookie` of a response, after the session middleware has run.
pub fn finish_cookie<B>(response: &mut HttpResponse<B>, secure: bool) {
    let follow_up = response.extensions().get::<CookieFollowUp>().copied().unwrap_or(CookieFollowUp::None);
    let is_ours = |value: &HeaderValue| value.to_str().is_ok_and(|v| v.starts_with(&format!("{COOKIE_NAME}=")));
    match follow_up {
        CookieFollowUp::None => {}
        CookieFollowUp::MaxAge(max_age) => {
            let headers = response.headers_mut();
            let values: Vec<HeaderValue> = headers.get_all(SET_COOKIE).cloned().collect();
            headers.remove(SET_COOKIE);
            for value in values {
                let value = match value.to_str() {
                    Ok(text) if is_ours(&value) => {
                        HeaderValue::from_str(&format!("{text}; Max-Age={}", max_age.num_seconds())).unwrap_or(value)
                    }
                    _ => value,
                };
                headers.append(SET_COOKIE, value);
            }
        }
        CookieFollowUp::Clear => {
            if !response.headers().get_all(SET_COOKIE).any(is_ours) {
                let mut removal = Cookie::build(COOKIE_NAME, "")
                    .path("/")
                    .http_only(true)
                    .same_site(SameSite::Lax)
                    .secure(secure)
                    .finish();
                removal.make_removal();
                if let Ok(value) = HeaderValue::from_str(&removal.to_string()) {
                    response.headers_mut().append(SET_COOKIE, value);
                }
            }
        }
    }
}

/// The key that signs session cookies. It is made once and kept in the database, so every instance sharing
/// the database accepts the same cookies and a restart logs nobody out.
pub async fn cookie_key(pool: &Pool) -> anyhow::Result<Key> {
    with_connection(pool, |conn| {
        let stored = store::stored_secret(conn, "session_cookie_key", || hex::encode(random_bytes::<64>()))?;
        Key::try_from(hex::decode(stored)?.as_slice())
            .map_err(|e| anyhow::anyhow!("stored session cookie key is unusable: {e}"))
    })
    .await
}
