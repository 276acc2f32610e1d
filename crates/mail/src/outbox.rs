use chrono::{DateTime, Utc};
use diesel::prelude::*;
use store::schema::email_outbox;
use store::{DbError, Tx};

use crate::OutgoingEmail;

/// Puts `email` in the outbox, due at once, inside the caller's transaction: it is sent (by the
/// [`crate::EmailOutbox`] job) only if that transaction commits, and once committed a crash cannot lose it.
pub fn queue(tx: &mut Tx<'_>, email: &OutgoingEmail, now: DateTime<Utc>) -> Result<(), DbError> {
    let message = email.to_stored_json().map_err(|e| DbError::SerializationError(Box::new(e)))?;
    let now = now.naive_utc();
    diesel::insert_into(email_outbox::table)
        .values((
            email_outbox::id.eq(kernel::new_id()),
            email_outbox::recipient.eq(email.to.as_str()),
            email_outbox::template.eq(&email.template),
            email_outbox::message.eq(message),
            email_outbox::created_at.eq(now),
            email_outbox::next_attempt_at.eq(now),
            email_outbox::attempts.eq(0),
        ))
        .execute(tx.conn())?;
    Ok(())
}
