use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};

use crate::DbConnection;
use crate::schema::server_secrets;

/// The server secret `name` (a key the instances sharing this database must agree on), made from `fresh` the
/// first time. Two instances starting together may both offer one; the first insert wins and both read it back.
pub fn stored_secret(conn: &mut DbConnection, name: &str, fresh: impl FnOnce() -> String) -> QueryResult<String> {
    let inserted = diesel::insert_into(server_secrets::table)
        .values((server_secrets::name.eq(name), server_secrets::value.eq(fresh())))
        .execute(conn);
    match inserted {
        Ok(_) | Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {}
        Err(error) => return Err(error),
    }
    server_secrets::table.find(name).select(server_secrets::value).first(conn)
}
