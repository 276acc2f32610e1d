use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;
use store::Pool;

use crate::{ServiceClock, Services, with_connection};

/// What a background job works with: the same database, clock and services as the requests.
#[derive(Clone)]
pub struct JobContext {
    pub pool: Pool,
    pub clock: Arc<ServiceClock>,
    pub services: Arc<Services>,
}

/// A background job: each run does whatever is due at the service clock's current time and says how many
/// items it moved. Several instances may run the same job on one database at once: a job takes each due item
/// so that exactly one of them handles it (a lease, or `FOR UPDATE SKIP LOCKED`).
pub trait Job: Send + Sync + 'static {
    fn name(&self) -> &'static str;
    fn run<'a>(&'a self, ctx: &'a JobContext) -> BoxFuture<'a, anyhow::Result<usize>>;

    /// How many items are due by the clock's current time and wait for a run (`/metrics`); `None` for a job
    /// that does not keep a queue.
    fn backlog<'a>(&'a self, _ctx: &'a JobContext) -> BoxFuture<'a, anyhow::Result<Option<usize>>> {
        Box::pin(async { Ok(None) })
    }
}

/// Every job of the service, run in this order.
#[derive(Clone, Default)]
pub struct Jobs(Arc<Vec<Arc<dyn Job>>>);

impl Jobs {
    pub fn new(jobs: Vec<Arc<dyn Job>>) -> Self {
        Self(Arc::new(jobs))
    }

    /// Runs every job once against the clock's current time (taking up an advance another process made) and
    /// answers how many items each moved. Every job runs even when an earlier one fails; the first failure is
    /// returned after all have run.
    pub async fn run_all(&self, ctx: &JobContext) -> anyhow::Result<Vec<(&'static str, usize)>> {
        let clock = Arc::clone(&ctx.clock);
        with_connection(&ctx.pool, move |conn| clock.refresh(conn)).await?;
        let mut moved = Vec::with_capacity(self.0.len());
        let mut first_failure = None;
        for job in self.0.iter() {
            match job.run(ctx).await {
                Ok(count) => moved.push((job.name(), count)),
                Err(error) => {
                    tracing::error!(job = job.name(), error = ?error, "job failed");
                    first_failure.get_or_insert(error.context(format!("job {} failed", job.name())));
                }
            }
        }
        match first_failure {
            Some(error) => Err(error),
            None => Ok(moved),
        }
    }

    /// The backlog of every job that keeps a queue, in the jobs' order.
    pub async fn backlogs(&self, ctx: &JobContext) -> anyhow::Result<Vec<(&'static str, usize)>> {
        let mut backlogs = Vec::new();
        for job in self.0.iter() {
            if let Some(waiting) = job.backlog(ctx).await? {
                backlogs.push((job.name(), waiting));
            }
        }
        Ok(backlogs)
    }

    /// The runner every instance starts: all jobs, every `tick`, for as long as the process lives.
    pub fn spawn(&self, ctx: JobContext, tick: Duration) -> tokio::task::JoinHandle<()> {
        let jobs = self.clone();
        tokio::spawn(async move {
            let mut interval = tokio::time::interval(tick);
            interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                interval.tick().await;
                // Failures are logged by run_all; the next tick tries again.
                let _ = jobs.run_all(&ctx).await;
            }
        })
    }
}
