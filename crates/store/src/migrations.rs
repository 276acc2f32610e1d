use diesel::RunQueryDsl;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::DbConnection;

const SQLITE: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// The PostgreSQL advisory lock migrations run under: instances started together on one database migrate one
/// after the other, and the later ones find nothing left to do.
const MIGRATION_LOCK: i64 = 0x626f_7264_6d67;

pub(crate) fn run(conn: &mut DbConnection) -> anyhow::Result<()> {
    let applied = match conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE).map(|m| m.len()),
        DbConnection::Postgres(c) => {
            diesel::sql_query(format!("SELECT pg_advisory_lock({MIGRATION_LOCK})")).execute(c)?;
            let applied = c.run_pending_migrations(POSTGRES).map(|m| m.len());
            diesel::sql_query(format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})")).execute(c)?;
            applied
        }
    };
    applied.map(|_| ()).map_err(|e| anyhow::anyhow!("{e}"))
}
