//! Point reads that many requests make at the same moment (a session by its id, an account by its id) are
//! gathered into one query on one blocking thread, instead of costing each request a hop to a blocking thread,
//! a pool checkout and a query of its own. Nothing is cached: a read joins only a query that starts after it
//! was asked for, so it sees every write committed before its request arrived, on whichever instance.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use anyhow::{Context as _, anyhow};
use store::{DbConnection, Pool};
use tokio::sync::oneshot;

/// The most keys one query asks for; far below SQLite's and PostgreSQL's limits on bound parameters.
const MOST_KEYS: usize = 256;

/// How long the reading thread sleeps when it finds the queue empty before it looks again. Nothing wakes it
/// earlier: waking a thread for each key cost more than the reads themselves (the woken thread preempts the
/// request's worker on a busy machine), while a key that waits for the next look waits at most about a
/// tenth of a millisecond more (plus the kernel's timer slack). Looks every 50 us did worse; every 200 us, no
/// better.
const POLL: Duration = Duration::from_micros(100);

/// How many looks in a row that find the queue empty stop the reading thread; the next key starts another.
const EMPTY_LOOKS: u32 = 2;

type Answer<V> = Result<Option<V>, Arc<anyhow::Error>>;
type ReadOne<K, V> = dyn Fn(&mut DbConnection, &K) -> anyhow::Result<Option<V>> + Send + Sync;
type ReadMany<K, V> = dyn Fn(&mut DbConnection, &[K]) -> anyhow::Result<Vec<(K, V)>> + Send + Sync;

/// Reads rows by key, many requests' keys in one query.
pub struct BatchedReads<K, V> {
    inner: Arc<Inner<K, V>>,
}

impl<K, V> Clone for BatchedReads<K, V> {
    fn clone(&self) -> Self {
        Self { inner: self.inner.clone() }
    }
}

struct Inner<K, V> {
    pool: Pool,
    read_one: Box<ReadOne<K, V>>,
    read_many: Box<ReadMany<K, V>>,
    queue: Mutex<Queue<K, V>>,
}

struct Queue<K, V> {
    waiting: Vec<(K, oneshot::Sender<Answer<V>>)>,
    /// Whether a blocking thread is taking batches off the queue; it stops when it has found the queue empty
    /// [`EMPTY_LOOKS`] times in a row.
    reading: bool,
}

impl<K, V> BatchedReads<K, V>
where
    K: Eq + Hash + Clone + Send + 'static,
    V: Clone + Send + 'static,
{
    /// `read_one` answers the row of one key; `read_many` the rows of the keys it is given that exist, each with
    /// its key. SQLite answers in-process, so there a batch runs `read_one` per key: a point query is prepared
    /// once per connection, while an `IN (…)` would be prepared again for every batch size. PostgreSQL pays a
    /// round trip per statement, so a batch is one `read_many`.
    pub fn new(
        pool: Pool,
        read_one: impl Fn(&mut DbConnection, &K) -> anyhow::Result<Option<V>> + Send + Sync + 'static,
        read_many: impl Fn(&mut DbConnection, &[K]) -> anyhow::Result<Vec<(K, V)>> + Send + Sync + 'static,
    ) -> Self {
        let queue = Mutex::new(Queue { waiting: Vec::new(), reading: false });
        Self { inner: Arc::new(Inner { pool, read_one: Box::new(read_one), read_many: Box::new(read_many), queue }) }
    }

    /// The row of `key`, read by a query that starts after this call.
    pub async fn get(&self, key: K) -> anyhow::Result<Option<V>> {
        let (sender, answer) = oneshot::channel();
        let start_reading = {
            let mut queue = self.inner.lock();
            queue.waiting.push((key, sender));
            !std::mem::replace(&mut queue.reading, true)
        };
        if start_reading {
            let inner = self.inner.clone();
            tokio::task::spawn_blocking(move || inner.read_until_empty());
        }
        match answer.await {
            Ok(Ok(row)) => Ok(row),
            Ok(Err(error)) => Err(anyhow!("{error:#}")),
            Err(_) => Err(anyhow!("the batched read ended without an answer")),
        }
    }
}

impl<K, V> Inner<K, V>
where
    K: Eq + Hash + Clone,
    V: Clone,
{
    fn lock(&self) -> MutexGuard<'_, Queue<K, V>> {
        // A panic while holding the lock leaves the queue consistent: only pushes and takes happen under it.
        self.queue.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Takes batches until the queue has stayed empty for [`EMPTY_LOOKS`] looks. The keys that arrive while a
    /// query runs or the thread sleeps make the next batch. One connection serves them all while the pool has
    /// others free.
    fn read_until_empty(&self) {
        let mut conn = None;
        let mut empty_looks = 0;
        loop {
            let batch = {
                let mut queue = self.lock();
                if queue.waiting.is_empty() {
                    empty_looks += 1;
                    if empty_looks == EMPTY_LOOKS {
                        queue.reading = false;
                        return;
                    }
                    drop(queue);
                    std::thread::sleep(POLL);
                    continue;
                }
                empty_looks = 0;
                let taken = queue.waiting.len().min(MOST_KEYS);
                queue.waiting.drain(..taken).collect::<Vec<_>>()
            };
            let mut keys: Vec<K> = batch.iter().map(|(key, _)| key.clone()).collect();
            let mut seen = HashSet::with_capacity(keys.len());
            keys.retain(|key| seen.insert(key.clone()));
            let connection = match conn.take() {
                Some(connection) => Ok(connection),
                None => self.pool.get().context("no database connection available"),
            };
            let read = connection.and_then(|mut connection| {
                // A read that panics fails its batch alone; the thread goes on with the next one, so the reads
                // queued meanwhile are not left waiting for a thread that is gone. Its connection is dropped.
                let rows = std::panic::catch_unwind(AssertUnwindSafe(|| self.read(&mut connection, &keys)))
                    .map_err(|_| anyhow!("the batched read panicked"))??;
                // Kept for the next batch only while it is not the last one free: other work must not wait.
                if self.pool.state().idle_connections > 0 {
                    conn = Some(connection);
                }
                Ok(rows)
            });
            match read {
                Ok(rows) => {
                    let rows: HashMap<K, V> = rows.into_iter().collect();
                    for (key, sender) in batch {
                        // A request that went away meanwhile no longer waits for its answer.
                        let _ = sender.send(Ok(rows.get(&key).cloned()));
                    }
                }
                // The connection may be what failed: the next batch takes another.
                Err(error) => self.fail(batch, error),
            }
        }
    }

    fn read(&self, conn: &mut DbConnection, keys: &[K]) -> anyhow::Result<Vec<(K, V)>> {
        if !matches!(conn, DbConnection::Sqlite(_)) {
            return (self.read_many)(conn, keys);
        }
        let mut rows = Vec::with_capacity(keys.len());
        for key in keys {
            if let Some(row) = (self.read_one)(conn, key)? {
                rows.push((key.clone(), row));
            }
        }
        Ok(rows)
    }

    fn fail(&self, batch: Vec<(K, oneshot::Sender<Answer<V>>)>, error: anyhow::Error) {
        let error = Arc::new(error);
        for (_, sender) in batch {
            let _ = sender.send(Err(error.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use diesel::prelude::*;
    use store::schema::sessions;
    use store::{TestDatabase, connect_pool};

    use super::*;

    fn insert(pool: &Pool, id: &str) -> anyhow::Result<()> {
        let expires_at = chrono::Utc::now().naive_utc() + chrono::TimeDelta::hours(1);
        diesel::insert_into(sessions::table)
            .values((
                sessions::id.eq(id),
                sessions::state.eq(format!("state of {id}")),
                sessions::expires_at.eq(expires_at),
            ))
            .execute(&mut pool.get()?)?;
        Ok(())
    }

    fn one(conn: &mut DbConnection, id: &String) -> anyhow::Result<Option<String>> {
        Ok(sessions::table.find(id).select(sessions::state).first(conn).optional()?)
    }

    fn many(conn: &mut DbConnection, ids: &[String]) -> anyhow::Result<Vec<(String, String)>> {
        Ok(sessions::table.filter(sessions::id.eq_any(ids)).select((sessions::id, sessions::state)).load(conn)?)
    }

    /// The session states, counting the statements run: one per key on SQLite, one per batch on PostgreSQL.
    fn states(pool: &Pool, statements: Arc<AtomicUsize>) -> BatchedReads<String, String> {
        let counted = statements.clone();
        BatchedReads::new(
            pool.clone(),
            move |conn, id: &String| {
                counted.fetch_add(1, Ordering::SeqCst);
                one(conn, id)
            },
            move |conn, ids: &[String]| {
                statements.fetch_add(1, Ordering::SeqCst);
                many(conn, ids)
            },
        )
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_reads_share_queries_and_each_gets_its_own_row() -> anyhow::Result<()> {
        let database = TestDatabase::new()?;
        let pool = connect_pool(database.url(), 2)?;
        for n in 0..20 {
            insert(&pool, &format!("s{n}"))?;
        }
        let queries = Arc::new(AtomicUsize::new(0));
        let reads = states(&pool, queries.clone());
        let asks = (0..200).map(|n| {
            let reads = reads.clone();
            // Every tenth key names no row.
            let key = if n % 10 == 9 { format!("missing{n}") } else { format!("s{}", n % 20) };
            tokio::spawn(async move { (key.clone(), reads.get(key).await) })
        });
        for ask in futures_util::future::join_all(asks).await {
            let (key, row) = ask?;
            let expected = (!key.starts_with("missing")).then(|| format!("state of {key}"));
            assert_eq!(row?, expected, "{key}");
        }
        // Reads of the same key in one batch share its statement: fewer statements than reads means batches.
        let statements = queries.load(Ordering::SeqCst);
        assert!(statements < 200, "{statements} statements for 200 reads");
        Ok(())
    }

    #[tokio::test]
    async fn a_read_sees_what_was_committed_before_it() -> anyhow::Result<()> {
        let database = TestDatabase::new()?;
        let pool = connect_pool(database.url(), 2)?;
        let reads = states(&pool, Arc::default());
        assert_eq!(reads.get("s".to_owned()).await?, None);
        insert(&pool, "s")?;
        assert_eq!(reads.get("s".to_owned()).await?.as_deref(), Some("state of s"));
        diesel::delete(sessions::table.find("s")).execute(&mut pool.get()?)?;
        assert_eq!(reads.get("s".to_owned()).await?, None);
        Ok(())
    }

    #[tokio::test]
    async fn a_failed_or_panicking_query_fails_its_reads_and_the_next_read_works() -> anyhow::Result<()> {
        let database = TestDatabase::new()?;
        let pool = connect_pool(database.url(), 2)?;
        insert(&pool, "s")?;
        let refuse = |key: &str| match key {
            "fail" => anyhow::bail!("the query failed"),
            "panic" => panic!("the query panicked"),
            _ => Ok(()),
        };
        let reads: BatchedReads<String, String> = BatchedReads::new(
            pool,
            move |conn, id: &String| {
                refuse(id)?;
                one(conn, id)
            },
            move |conn, ids: &[String]| {
                refuse(ids.first().map_or("", String::as_str))?;
                many(conn, ids)
            },
        );
        let failed = reads.get("fail".to_owned()).await.expect_err("an error");
        assert!(format!("{failed:#}").contains("the query failed"), "{failed:#}");
        assert!(reads.get("panic".to_owned()).await.is_err());
        assert_eq!(reads.get("s".to_owned()).await?.as_deref(), Some("state of s"));
        Ok(())
    }
}
