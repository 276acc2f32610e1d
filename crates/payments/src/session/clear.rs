use kernel::with_connection;
use store::Pool;

use super::record::delete;
use crate::PaymentsError;

/// clearPaymentSession: the login session's payment session, if any, is deleted; clearing none succeeds too.
pub async fn clear_payment_session(pool: &Pool, session_key: &str) -> Result<(), PaymentsError> {
    let key = session_key.to_owned();
    with_connection(pool, move |conn| Ok(delete(conn, &key)?)).await
}
