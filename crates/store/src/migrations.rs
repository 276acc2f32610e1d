use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::DbConnection;

const SQLITE: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

pub(crate) fn run(conn: &mut DbConnection) -> anyhow::Result<()> {
    let applied = match conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE).map(|m| m.len()),
        DbConnection::Postgres(c) => c.run_pending_migrations(POSTGRES).map(|m| m.len()),
    };
    applied.map(|_| ()).map_err(|e| anyhow::anyhow!("{e}"))
}
