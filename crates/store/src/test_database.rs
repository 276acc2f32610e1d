use std::sync::OnceLock;

use anyhow::Context as _;
use diesel::connection::SimpleConnection;
use diesel::sql_types::Text;
use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl};

use crate::{DatabaseUrl, migrations};

/// A database of its own for one test, removed when dropped.
///
/// SQLite (a file in a temporary folder) by default; a new PostgreSQL database created through
/// `TEST_DATABASE_URL` when that variable is set, so the same tests prove both backends. PostgreSQL databases
/// are cloned from a template migrated once, which costs about as little as a fresh SQLite file.
pub struct TestDatabase {
    url: DatabaseUrl,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code, reason = "held so the folder lives as long as the database")] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

/// The template of this build's migrations; a changed migration set gets a new one.
const TEMPLATE: &str = concat!("borderless_template_", env!("POSTGRES_MIGRATIONS_FINGERPRINT"));

/// Any number, the same in every test process: it serialises their template creation.
const TEMPLATE_LOCK: i64 = 0x626f_7264_6572;

impl TestDatabase {
    pub fn new() -> anyhow::Result<Self> {
        match std::env::var("TEST_DATABASE_URL").ok().filter(|v| !v.trim().is_empty()) {
            Some(admin_url) => Self::postgres(admin_url),
            None => Self::sqlite(),
        }
    }

    fn sqlite() -> anyhow::Result<Self> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("borderless-test.db");
        let url = DatabaseUrl::parse(&path.to_string_lossy())?;
        Ok(Self { url, cleanup: Cleanup::Sqlite(dir) })
    }

    fn postgres(admin_url: String) -> anyhow::Result<Self> {
        static READY: OnceLock<Result<(), String>> = OnceLock::new();
        READY
            .get_or_init(|| ensure_template(&admin_url).map_err(|e| format!("{e:#}")))
            .clone()
            .map_err(anyhow::Error::msg)?;
        let name = format!("borderless_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::establish(&admin_url).context("TEST_DATABASE_URL is not reachable")?;
        admin.batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {TEMPLATE}"))?;
        let url = DatabaseUrl::parse(&with_database(&admin_url, &name))?;
        Ok(Self { url, cleanup: Cleanup::Postgres { admin_url, name } })
    }

    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }
}

#[derive(QueryableByName)]
struct DatabaseName {
    #[diesel(sql_type = Text)]
    datname: String,
}

/// Creates this build's template unless another test process already did. It is migrated under a temporary
/// name and renamed when complete, so a crashed run never leaves a half-migrated template behind.
fn ensure_template(admin_url: &str) -> anyhow::Result<()> {
    let mut admin = PgConnection::establish(admin_url).context("TEST_DATABASE_URL is not reachable")?;
    admin.batch_execute(&format!("SELECT pg_advisory_lock({TEMPLATE_LOCK})"))?;
    let outcome = (|| {
        let existing: Vec<DatabaseName> =
            diesel::sql_query("SELECT datname FROM pg_database WHERE datname LIKE 'borderless_template_%'")
                .load(&mut admin)?;
        if existing.iter().any(|d| d.datname == TEMPLATE) {
            return Ok(());
        }
        for stale in existing {
            admin.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", stale.datname))?;
        }
        let building = format!("{TEMPLATE}_building");
        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"))?;
        admin.batch_execute(&format!("CREATE DATABASE {building}"))?;
        {
            let mut template =
                crate::DbConnection::Postgres(PgConnection::establish(&with_database(admin_url, &building))?);
            migrations::run(&mut template)?;
        }
        admin.batch_execute(&format!("ALTER DATABASE {building} RENAME TO {TEMPLATE}"))?;
        Ok::<_, anyhow::Error>(())
    })();
    admin.batch_execute(&format!("SELECT pg_advisory_unlock({TEMPLATE_LOCK})"))?;
    outcome
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Cleanup::Postgres { admin_url, name } = &self.cleanup {
            let dropped = PgConnection::establish(admin_url).map_err(anyhow::Error::from).and_then(|mut admin| {
                Ok(admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))?)
            });
            if let Err(e) = dropped {
                eprintln!("could not drop test database {name}: {e}");
            }
        }
    }
}

/// The same server URL pointing at another database.
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..].find('/').map_or(base.len(), |i| authority_start + i);
    let mut out = format!("{}/{database}", &base[..path_start]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn replaces_database_name() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(with_database("postgres://h", "t1"), "postgres://h/t1");
        assert_eq!(with_database("postgres://h/db?sslmode=disable", "t1"), "postgres://h/t1?sslmode=disable");
    }
}
