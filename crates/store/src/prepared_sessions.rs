/// Declares, in the invoking module, the storage of something a login session prepares (a payment session, a
/// refund session): at most one row per login session in `$table`, keyed by the login session's key and read
/// into `$row`, which has the columns `session_key`, `account_id`, `used_at`, `definition` and `quote_id`. The
/// functions: `replace` (sweeping rows idle past the TTL), `delete`, `live` (only on the session's current
/// account and within the TTL; a stale one is deleted and answered as none), `live_touched` (`live`, its idle
/// deadline restarted) and `price`.
///
/// The invoking module must have `diesel::prelude::*`, `chrono::{DateTime, TimeDelta, Utc}`,
/// `kernel::AccountId` and `store::{DbConnection, DbError}` in scope.
#[macro_export]
macro_rules! prepared_session_rows {
    ($table:ident, $row:ty) => {
        /// Replaces the login session's row by `session`, and sweeps the rows of any login session idle past
        /// `ttl` (their login sessions may be long gone).
        pub(crate) fn replace(
            conn: &mut DbConnection,
            session: &$row,
            ttl: TimeDelta,
            now: DateTime<Utc>,
        ) -> Result<(), DbError> {
            // The sweep of idle rows and the session's own earlier row, in one statement.
            let idle = $table::used_at.lt((now - ttl).naive_utc());
            diesel::delete($table::table.filter(idle.or($table::session_key.eq(&session.session_key))))
                .execute(conn)?;
            diesel::insert_into($table::table).values(session).execute(conn)?;
            Ok(())
        }

        /// Deletes the login session's row, if any.
        pub(crate) fn delete(conn: &mut DbConnection, session_key: &str) -> Result<(), DbError> {
            diesel::delete($table::table.find(session_key)).execute(conn)?;
            Ok(())
        }

        /// Whether a row is live: made on the session's current account `account_id` and used within `ttl`.
        fn is_live(
            account_id: &AccountId,
            ttl: TimeDelta,
            now: DateTime<Utc>,
        ) -> diesel::dsl::And<
            diesel::dsl::Eq<$table::account_id, &AccountId>,
            diesel::dsl::Gt<$table::used_at, chrono::NaiveDateTime>,
        > {
            $table::account_id.eq(account_id).and($table::used_at.gt((now - ttl).naive_utc()))
        }

        /// The login session's row, as long as it is live ([`is_live`]). One left behind by an account switch or
        /// idle too long is deleted and answered as none.
        pub(crate) fn live(
            conn: &mut DbConnection,
            session_key: &str,
            account_id: &AccountId,
            ttl: TimeDelta,
            now: DateTime<Utc>,
        ) -> Result<Option<$row>, DbError> {
            let found: Option<$row> = $table::table
                .find(session_key)
                .filter(is_live(account_id, ttl, now))
                .select(<$row>::as_select())
                .first(conn)
                .optional()?;
            if found.is_none() {
                delete(conn, session_key)?;
            }
            Ok(found)
        }

        /// [`live`], its idle deadline restarted in the same statement.
        pub(crate) fn live_touched(
            conn: &mut DbConnection,
            session_key: &str,
            account_id: &AccountId,
            ttl: TimeDelta,
            now: DateTime<Utc>,
        ) -> Result<Option<$row>, DbError> {
            let touched: Option<$row> =
                diesel::update($table::table.find(session_key).filter(is_live(account_id, ttl, now)))
                    .set($table::used_at.eq(now.naive_utc()))
                    // Column order, as `Queryable` reads it: `as_returning()` has no multi-backend form.
                    .returning($table::all_columns)
                    .get_result(conn)
                    .optional()?;
            if touched.is_none() {
                delete(conn, session_key)?;
            }
            Ok(touched)
        }

        /// Stores a new definition and the quote it was priced with.
        pub(crate) fn price(
            conn: &mut DbConnection,
            session_key: &str,
            definition: &str,
            quote_id: i64,
        ) -> Result<(), DbError> {
            diesel::update($table::table.find(session_key))
                .set(($table::definition.eq(definition), $table::quote_id.eq(quote_id)))
                .execute(conn)?;
            Ok(())
        }
    };
}
