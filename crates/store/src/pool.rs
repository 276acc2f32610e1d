use std::time::Duration;

use anyhow::Context as _;
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection, SqliteConnection};

use crate::{Backend, DatabaseUrl, DbConnection, migrations, transaction};

pub type Pool = r2d2::Pool<ConnectionManager>;
pub type PooledConnection = r2d2::PooledConnection<ConnectionManager>;

/// The busy timeout makes a second writer wait instead of failing with "database is locked"; it comes first
/// because switching a fresh database to WAL takes a lock too. WAL lets readers run beside the one writer;
/// foreign keys are off by default in SQLite.
const SQLITE_PRAGMAS: &str =
    "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";

/// Opens connections of the backend the URL names. Unlike `AnyConnection::establish`, which tries every backend
/// and reports only a generic error, it keeps the driver's own error.
#[derive(Debug)]
pub struct ConnectionManager {
    url: DatabaseUrl,
}

impl ConnectionManager {
    fn open(&self) -> anyhow::Result<DbConnection> {
        match self.url.backend() {
            Backend::Sqlite => {
                let mut conn = SqliteConnection::establish(self.url.target())?;
                conn.batch_execute(SQLITE_PRAGMAS)?;
                Ok(DbConnection::Sqlite(conn))
            }
            Backend::Postgres => Ok(DbConnection::Postgres(PgConnection::establish(self.url.target())?)),
        }
    }
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConnection, Self::Error> {
        self.open().map_err(|e| diesel::r2d2::Error::QueryError(diesel::result::Error::QueryBuilderError(e.into())))
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), Self::Error> {
        conn.batch_execute("SELECT 1").map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        transaction::is_unusable(conn)
    }
}

/// Connects, applies the embedded migrations of the backend and returns the pool.
///
/// The first connection is opened directly so that an unreachable database fails at once with the driver's
/// message, instead of after the pool's wait with a generic time-out.
pub fn connect_pool(url: &DatabaseUrl, max_size: u32) -> anyhow::Result<Pool> {
    let manager = ConnectionManager { url: url.clone() };
    let mut first = manager.open().with_context(|| format!("cannot connect to the database ({})", url.redacted()))?;
    migrations::run(&mut first).with_context(|| format!("cannot migrate the database ({})", url.redacted()))?;
    drop(first);
    r2d2::Pool::builder()
        .max_size(max_size)
        .connection_timeout(Duration::from_secs(5))
        .build(manager)
        .with_context(|| format!("cannot open the connection pool ({})", url.redacted()))
}

#[cfg(test)]
mod tests {
    use diesel::sql_types::{BigInt, Text};
    use diesel::{QueryableByName, RunQueryDsl};

    use super::*;

    #[derive(QueryableByName)]
    struct Number {
        #[diesel(sql_type = BigInt)]
        value: i64,
    }

    #[derive(QueryableByName)]
    struct Word {
        #[diesel(sql_type = Text)]
        value: String,
    }

    #[test]
    fn every_sqlite_connection_gets_wal_foreign_keys_and_a_busy_timeout() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let url = DatabaseUrl::parse(&dir.path().join("pragmas.db").to_string_lossy())?;
        let pool = connect_pool(&url, 2)?;
        let (mut first, mut second) = (pool.get()?, pool.get()?);
        for conn in [&mut *first, &mut *second] {
            let DbConnection::Sqlite(conn) = conn else { anyhow::bail!("expected SQLite") };
            let number = |conn: &mut SqliteConnection, column: &str, pragma: &str| -> anyhow::Result<i64> {
                let query = format!("SELECT {column} AS value FROM pragma_{pragma}");
                Ok(diesel::sql_query(query).get_result::<Number>(conn)?.value)
            };
            assert_eq!(number(conn, "foreign_keys", "foreign_keys")?, 1);
            assert_eq!(number(conn, "timeout", "busy_timeout")?, 5000);
            let mode =
                diesel::sql_query("SELECT journal_mode AS value FROM pragma_journal_mode").get_result::<Word>(conn)?;
            assert_eq!(mode.value, "wal");
        }
        Ok(())
    }

    #[test]
    fn sqlite_is_built_with_a_stable_query_planner() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let url = DatabaseUrl::parse(&dir.path().join("options.db").to_string_lossy())?;
        let DbConnection::Sqlite(conn) = &mut *connect_pool(&url, 1)?.get()? else { anyhow::bail!("expected SQLite") };
        let options =
            diesel::sql_query("SELECT compile_options AS value FROM pragma_compile_options").load::<Word>(conn)?;
        // .cargo/config.toml sets it for the bundled SQLite: see the reason there.
        assert!(options.iter().any(|option| option.value == "ENABLE_QPSG"), "SQLite is built without ENABLE_QPSG");
        Ok(())
    }
}
