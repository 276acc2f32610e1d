use kernel::with_connection;
use store::Pool;

use super::record::delete;
use crate::RefundsError;

/// clearRefundSession: the login session's refund session, if any, is deleted; clearing none succeeds too.
/// Attempts already counted stay counted.
pub async fn clear_refund_session(pool: &Pool, session_key: &str) -> Result<(), RefundsError> {
    let key = session_key.to_owned();
    with_connection(pool, move |conn| Ok(delete(conn, &key)?)).await
}
