use anyhow::Context as _;
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};

use crate::DatabaseUrl;

/// A database of its own for one test, removed when dropped.
///
/// SQLite (a file in a temporary folder) by default; a new PostgreSQL database created through
/// `TEST_DATABASE_URL` when that variable is set, so the same tests prove both backends.
pub struct TestDatabase {
    url: DatabaseUrl,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code, reason = "held so the folder lives as long as the database")] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

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
        let name = format!("borderless_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::establish(&admin_url).context("TEST_DATABASE_URL is not reachable")?;
        admin.batch_execute(&format!("CREATE DATABASE {name}"))?;
        let url = DatabaseUrl::parse(&with_database(&admin_url, &name))?;
        Ok(Self { url, cleanup: Cleanup::Postgres { admin_url, name } })
    }

    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }
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
