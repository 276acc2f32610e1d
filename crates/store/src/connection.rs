use diesel::{PgConnection, SqliteConnection};

/// One connection type for both backends, so domain code and `schema.rs` are written once.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}
