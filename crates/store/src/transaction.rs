use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::sql_types::{Array, Text};
use diesel::{QueryResult, RunQueryDsl};

use crate::schema::Lockable;
use crate::{DbConnection, DbError};

/// A write transaction in progress: what service functions that lock rows or check before they write require,
/// so they cannot be called outside one. Made only by [`write_transaction`].
pub struct Tx<'c> {
    conn: &'c mut DbConnection,
}

impl Tx<'_> {
    /// The connection, for queries inside the transaction.
    pub fn conn(&mut self) -> &mut DbConnection {
        self.conn
    }

    /// Locks these rows of `T` until the transaction ends, so a check made after it cannot be invalidated by
    /// a concurrent transaction before this one writes. PostgreSQL: `SELECT … FOR UPDATE`. SQLite: nothing
    /// to do, the transaction already holds the database's one write lock since `BEGIN IMMEDIATE`.
    pub fn lock_rows<T: Lockable>(&mut self, ids: &[&str]) -> QueryResult<()> {
        if let DbConnection::Postgres(pg) = &mut *self.conn {
            let ids: Vec<&str> = ids.to_vec();
            diesel::sql_query(format!("SELECT id FROM {} WHERE id = ANY($1) ORDER BY id FOR UPDATE", T::NAME))
                .bind::<Array<Text>, _>(ids)
                .execute(pg)?;
        }
        Ok(())
    }

    /// Serialises every transaction that locks the same `key` (for check-then-write on something that has no
    /// row yet, such as the failed logins of one email). PostgreSQL: a transaction-scoped advisory lock.
    /// SQLite: as for [`Tx::lock_rows`], the write lock is already held.
    pub fn lock_key(&mut self, key: &str) -> QueryResult<()> {
        if let DbConnection::Postgres(pg) = &mut *self.conn {
            diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
                .bind::<Text, _>(key)
                .execute(pg)?;
        }
        Ok(())
    }

    /// Runs `work` inside a savepoint: when it fails (a unique violation the caller turns into a refusal, say)
    /// only its own statements are undone. Without it a failed statement aborts the whole PostgreSQL
    /// transaction.
    pub fn savepoint<T, E: From<DbError>>(&mut self, work: impl FnOnce(&mut Tx<'_>) -> Result<T, E>) -> Result<T, E> {
        begin(self.conn, None)?;
        let outcome = work(self);
        finish(self.conn, outcome.is_ok())?;
        outcome
    }
}

/// Runs `work` in one transaction that is going to write: committed when it returns `Ok`, rolled back
/// otherwise.
///
/// On SQLite it starts with `BEGIN IMMEDIATE`: a deferred transaction that reads and then writes cannot wait for
/// another writer (it fails at once with "database is locked"), while an immediate one waits its turn under the
/// busy timeout. That is SQLite's row lock for check-then-write. PostgreSQL uses a plain `BEGIN`; callers lock
/// what they check with [`Tx::lock_rows`] or [`Tx::lock_key`].
pub fn write_transaction<T, E>(conn: &mut DbConnection, work: impl FnOnce(&mut Tx<'_>) -> Result<T, E>) -> Result<T, E>
where
    E: From<DbError>,
{
    begin(conn, Some("BEGIN IMMEDIATE"))?;
    let mut tx = Tx { conn };
    let outcome = work(&mut tx);
    match finish(tx.conn, outcome.is_ok()) {
        Ok(()) => outcome,
        // The work's own error explains the failure better than a failed rollback would.
        Err(_) if outcome.is_err() => outcome,
        Err(commit_failed) => Err(commit_failed.into()),
    }
}

/// A transaction (`Some(sql)` for the SQLite opening statement) or, inside one, a savepoint.
fn begin(conn: &mut DbConnection, sqlite_opening: Option<&str>) -> QueryResult<()> {
    match (conn, sqlite_opening) {
        (DbConnection::Sqlite(c), Some(sql)) => AnsiTransactionManager::begin_transaction_sql(c, sql),
        (DbConnection::Sqlite(c), None) => AnsiTransactionManager::begin_transaction(c),
        (DbConnection::Postgres(c), _) => AnsiTransactionManager::begin_transaction(c),
    }
}

fn finish(conn: &mut DbConnection, commit: bool) -> QueryResult<()> {
    match (conn, commit) {
        (DbConnection::Sqlite(c), true) => AnsiTransactionManager::commit_transaction(c),
        (DbConnection::Sqlite(c), false) => AnsiTransactionManager::rollback_transaction(c),
        (DbConnection::Postgres(c), true) => AnsiTransactionManager::commit_transaction(c),
        (DbConnection::Postgres(c), false) => AnsiTransactionManager::rollback_transaction(c),
    }
}

/// True when the connection is inside a transaction or its transaction state is broken: such a connection
/// must never be handed out again (a panic inside a transaction would otherwise leave SQLite's write lock
/// held by a pooled connection).
pub(crate) fn is_unusable(conn: &mut DbConnection) -> bool {
    let depth = match conn {
        DbConnection::Sqlite(c) => AnsiTransactionManager::transaction_manager_status_mut(c).transaction_depth(),
        DbConnection::Postgres(c) => AnsiTransactionManager::transaction_manager_status_mut(c).transaction_depth(),
    };
    !matches!(depth, Ok(None))
}
