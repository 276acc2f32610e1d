use chrono::{DateTime, Utc};
use diesel::prelude::*;
use kernel::new_id;
use store::DbConnection;
use store::schema::login_failures;

use crate::LoginThrottle;

/// Failed logins are counted per normalised email string, whether or not a login has it, so the throttle
/// itself reveals nothing about which emails exist.
pub(crate) fn is_throttled(
    conn: &mut DbConnection,
    throttle: LoginThrottle,
    email: &str,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let since = (now - throttle.window).naive_utc();
    let failures: i64 = login_failures::table
        .filter(login_failures::email.eq(email))
        .filter(login_failures::failed_at.gt(since))
        .count()
        .get_result(conn)?;
    Ok(failures >= i64::from(throttle.max_failures))
}

pub(crate) fn record_failure(
    conn: &mut DbConnection,
    throttle: LoginThrottle,
    email: &str,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(login_failures::table)
        .values((
            login_failures::id.eq(new_id()),
            login_failures::email.eq(email),
            login_failures::failed_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    // Records older than the window no longer count; dropping them keeps the table small.
    let expired = (now - throttle.window).naive_utc();
    diesel::delete(
        login_failures::table.filter(login_failures::email.eq(email)).filter(login_failures::failed_at.le(expired)),
    )
    .execute(conn)?;
    Ok(())
}

pub(crate) fn clear_failures(conn: &mut DbConnection, email: &str) -> QueryResult<()> {
    diesel::delete(login_failures::table.filter(login_failures::email.eq(email))).execute(conn).map(|_| ())
}
