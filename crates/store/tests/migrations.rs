//! Instances started together on one empty PostgreSQL database (`TEST_DATABASE_URL`) all migrate it and start:
//! migrations run one instance at a time.

use std::sync::{Arc, Barrier};

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use store::{DatabaseUrl, connect_pool};

#[test]
fn instances_starting_at_once_on_an_empty_database_all_migrate_it() -> anyhow::Result<()> {
    let Some(admin_url) = std::env::var("TEST_DATABASE_URL").ok().filter(|url| !url.trim().is_empty()) else {
        return Ok(());
    };
    let name = format!("borderless_migrate_{}", uuid::Uuid::new_v4().simple());
    let mut admin = PgConnection::establish(&admin_url)?;
    admin.batch_execute(&format!("CREATE DATABASE {name}"))?;
    let (base, _) = admin_url.rsplit_once('/').ok_or_else(|| anyhow::anyhow!("a URL with a database"))?;
    let url = DatabaseUrl::parse(&format!("{base}/{name}"))?;
    let start = Arc::new(Barrier::new(4));
    let instances: Vec<_> = (0..4)
        .map(|_| {
            let (url, start) = (url.clone(), Arc::clone(&start));
            std::thread::spawn(move || {
                start.wait();
                connect_pool(&url, 1).map(drop).map_err(|error| format!("{error:#}"))
            })
        })
        .collect();
    let outcomes: Vec<Result<(), String>> =
        instances.into_iter().map(|instance| instance.join().unwrap_or_else(|_| Err("panicked".into()))).collect();
    admin.batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)"))?;
    assert!(outcomes.iter().all(Result::is_ok), "{outcomes:?}");
    Ok(())
}
