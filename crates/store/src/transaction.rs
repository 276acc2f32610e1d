use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::result::{DatabaseErrorKind, Error};

use crate::DbConnection;

/// Runs `work` in one transaction that is going to write.
///
/// On SQLite it starts with `BEGIN IMMEDIATE`: a deferred transaction that reads and then writes cannot wait for
/// another writer (it fails at once with "database is locked"), while an immediate one waits its turn under the
/// busy timeout. That is SQLite's row lock for check-then-write. PostgreSQL uses a plain `BEGIN`; callers lock
/// rows with `FOR UPDATE` where they check before writing.
pub fn write_transaction<T, E>(
    conn: &mut DbConnection,
    work: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<Error>,
{
    match conn {
        DbConnection::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?,
        DbConnection::Postgres(c) => AnsiTransactionManager::begin_transaction(c)?,
    }
    let outcome = work(conn);
    let finish = match (&outcome, conn) {
        (Ok(_), DbConnection::Sqlite(c)) => AnsiTransactionManager::commit_transaction(c),
        (Ok(_), DbConnection::Postgres(c)) => AnsiTransactionManager::commit_transaction(c),
        (Err(_), DbConnection::Sqlite(c)) => AnsiTransactionManager::rollback_transaction(c),
        (Err(_), DbConnection::Postgres(c)) => AnsiTransactionManager::rollback_transaction(c),
    };
    match (outcome, finish) {
        (Ok(value), Ok(())) => Ok(value),
        (Ok(_), Err(e)) => Err(e.into()),
        // The work's own error explains the failure better than a failed rollback would.
        (Err(e), _) => Err(e),
    }
}

/// True when the error is a violated unique index: the database's answer to "already exists".
pub fn is_unique_violation(error: &Error) -> bool {
    matches!(error, Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _))
}
