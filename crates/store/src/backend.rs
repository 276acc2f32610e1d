use std::fmt;

/// The database engines borderless runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A parsed `DATABASE_URL`: the backend and what to hand to its driver.
///
/// A bare path or `sqlite://path` means SQLite; `postgres://` or `postgresql://` means PostgreSQL.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    backend: Backend,
    target: String,
}

impl DatabaseUrl {
    pub fn parse(raw: &str) -> anyhow::Result<Self> {
        let raw = raw.trim();
        if raw.is_empty() {
            anyhow::bail!("DATABASE_URL is empty");
        }
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(Self { backend: Backend::Postgres, target: raw.to_owned() });
        }
        let path = raw.strip_prefix("sqlite://").or_else(|| raw.strip_prefix("sqlite:")).unwrap_or(raw);
        if path.contains("://") {
            anyhow::bail!(
                "DATABASE_URL {raw:?} names an unsupported backend (use a file path, sqlite:// or postgres://)"
            );
        }
        if path.is_empty() {
            anyhow::bail!("DATABASE_URL {raw:?} has no SQLite file path");
        }
        Ok(Self { backend: Backend::Sqlite, target: path.to_owned() })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// What the driver connects to: the SQLite file path or the full PostgreSQL URL.
    pub fn target(&self) -> &str {
        &self.target
    }

    /// The URL with any password replaced, fit for logs and error messages.
    pub fn redacted(&self) -> String {
        match self.backend {
            Backend::Sqlite => format!("sqlite: {}", self.target),
            Backend::Postgres => format!("postgres: {}", redact_password(&self.target)),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}{path}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_backend_from_scheme() -> anyhow::Result<()> {
        assert_eq!(DatabaseUrl::parse("./borderless.db")?.backend(), Backend::Sqlite);
        assert_eq!(DatabaseUrl::parse("sqlite://data/b.db")?.target(), "data/b.db");
        assert_eq!(DatabaseUrl::parse("postgres://u@h/db")?.backend(), Backend::Postgres);
        assert!(DatabaseUrl::parse("mysql://u@h/db").is_err());
        Ok(())
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_judged_without_panicking_and_never_shows_a_password(
            user in "[a-z]{1,8}", password in "[A-Za-z0-9]{6,12}", rest in ".*"
        ) {
            let _ = DatabaseUrl::parse(&rest);
            let url = DatabaseUrl::parse(&format!("postgres://{user}:{password}@db.internal/borderless"));
            let url = url.map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
            let shown = format!(":{}@", password);
            proptest::prop_assert!(!url.redacted().contains(&shown));
        }
    }

    #[test]
    fn redacts_password() -> anyhow::Result<()> {
        let url = DatabaseUrl::parse("postgres://app:s3cret@db.internal:5432/borderless")?;
        assert_eq!(url.redacted(), "postgres: postgres://app:***@db.internal:5432/borderless");
        assert!(!format!("{url:?}").contains("s3cret"));
        Ok(())
    }
}
