use anyhow::{Context as _, anyhow};
use store::{DbConnection, Pool, Tx, write_transaction};
use tracing::Span;

/// Runs blocking work (diesel, bcrypt) on the blocking thread pool, never on an async worker, and keeps the
/// caller's tracing span and request id so its logs still name the request.
pub async fn run_blocking<T, E>(work: impl FnOnce() -> Result<T, E> + Send + 'static) -> Result<T, E>
where
    T: Send + 'static,
    E: From<anyhow::Error> + Send + 'static,
{
    let span = Span::current();
    let request_id = crate::current_request_id();
    let joined =
        tokio::task::spawn_blocking(move || span.in_scope(|| crate::REQUEST_ID.sync_scope(request_id, work))).await;
    joined.map_err(|e| E::from(anyhow!("blocking task failed: {e}")))?
}

/// Runs `work` with a pooled connection, off the async workers.
pub async fn with_connection<T, E>(
    pool: &Pool,
    work: impl FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
) -> Result<T, E>
where
    T: Send + 'static,
    E: From<anyhow::Error> + Send + 'static,
{
    let pool = pool.clone();
    run_blocking(move || {
        let mut conn = pool.get().context("no database connection available")?;
        work(&mut conn)
    })
    .await
}

/// Runs `work` in one write transaction on a pooled connection, off the async workers: one business
/// operation, one transaction.
pub async fn with_transaction<T, E>(
    pool: &Pool,
    work: impl FnOnce(&mut Tx<'_>) -> Result<T, E> + Send + 'static,
) -> Result<T, E>
where
    T: Send + 'static,
    E: From<anyhow::Error> + From<store::DbError> + Send + 'static,
{
    with_connection(pool, move |conn| write_transaction(conn, work)).await
}
