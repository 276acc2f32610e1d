use chrono::{DateTime, Utc};
use diesel::prelude::*;
use kernel::new_id;
use store::schema::login_failures;
use store::{DbConnection, Tx};

use crate::LoginThrottle;

/// Reserves one attempt for this email, counted as a failure until the attempt succeeds: false when the email
/// already has `max_failures` inside the window. Counting and reserving happen under a lock on the email, and
/// before any password is checked, so parallel attempts cannot all pass the count and then all fail.
///
/// Failures are counted per normalised email string, whether or not a login has it, so the throttle itself
/// reveals nothing about which emails exist.
pub(crate) fn reserve_attempt(
    tx: &mut Tx<'_>,
    throttle: LoginThrottle,
    email: &str,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    tx.lock_key(&format!("login-throttle:{email}"))?;
    let window_start = (now - throttle.window).naive_utc();
    // Records older than the window no longer count; dropping them keeps the table small.
    diesel::delete(
        login_failures::table
            .filter(login_failures::email.eq(email))
            .filter(login_failures::failed_at.le(window_start)),
    )
    .execute(tx.conn())?;
    let failures: i64 = login_failures::table.filter(login_failures::email.eq(email)).count().get_result(tx.conn())?;
    if failures >= i64::from(throttle.max_failures) {
        return Ok(false);
    }
    diesel::insert_into(login_failures::table)
        .values((
            login_failures::id.eq(new_id()),
            login_failures::email.eq(email),
            login_failures::failed_at.eq(now.naive_utc()),
        ))
        .execute(tx.conn())?;
    Ok(true)
}

/// A successful login clears the email's failures, its own reservation included.
pub(crate) fn clear_failures(conn: &mut DbConnection, email: &str) -> QueryResult<()> {
    diesel::delete(login_failures::table.filter(login_failures::email.eq(email))).execute(conn).map(|_| ())
}
