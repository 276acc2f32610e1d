//! The threads bcrypt runs on: a fixed number of its own, neither request workers nor the blocking pool the
//! database work shares, and at a lower scheduling priority. Their number bounds how many cores hashing can
//! take; the priority makes a hash give way whenever a request wants the core it is on, so that a flood of
//! logins slows logins down, not every other request.

use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, mpsc};

use anyhow::{Context as _, anyhow};
use tracing::Span;

/// The nice value of the hashing threads: the lowest priority, so a hash runs on whatever processor time
/// request handling leaves. Measured in `docs/benchmarks.md`: at the default priority a wakeup of a request
/// worker could wait behind a hash for a scheduler slice, several milliseconds.
const HASH_NICE: i32 = 19;

type Job = Box<dyn FnOnce() + Send>;

/// Hands work to the threads; they stop when the last handle is dropped.
pub(crate) struct HashThreads {
    jobs: mpsc::Sender<Job>,
}

impl HashThreads {
    /// Starts `count` threads (at least one).
    pub(crate) fn start(count: usize) -> Self {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for number in 0..count.max(1) {
            let queue = Arc::clone(&queue);
            let started = std::thread::Builder::new().name(format!("password-hash-{number}")).spawn(move || {
                lower_priority();
                loop {
                    // The lock is held only while waiting for the next job, not while running it.
                    let next = match queue.lock() {
                        Ok(queue) => queue.recv(),
                        Err(_) => return,
                    };
                    let Ok(job) = next else { return };
                    // A panicking job loses its own answer only; the thread goes on with the next.
                    let _ = std::panic::catch_unwind(AssertUnwindSafe(job));
                }
            });
            if let Err(error) = started {
                tracing::error!(%error, "a password hashing thread did not start");
            }
        }
        Self { jobs }
    }

    /// Runs `work` on one of the threads, in the caller's span and request id, once one is free.
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
    ) -> anyhow::Result<T> {
        let (done, answer) = tokio::sync::oneshot::channel();
        let span = Span::current();
        let request_id = kernel::current_request_id();
        let job: Job = Box::new(move || {
            let outcome = span.in_scope(|| kernel::REQUEST_ID.sync_scope(request_id, work));
            let _ = done.send(outcome);
        });
        self.jobs.send(job).map_err(|_| anyhow!("no password hashing thread is running"))?;
        answer.await.context("the password hashing job ended without an answer")?
    }
}

/// Gives the calling thread [`HASH_NICE`]. On Linux a nice value belongs to one thread, so this leaves the
/// rest of the process as it was; elsewhere the threads keep the process's priority.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    if let Err(error) = rustix::process::setpriority_process(Some(rustix::thread::gettid()), HASH_NICE) {
        tracing::warn!(%error, "password hashing runs at the process's priority");
    }
    #[cfg(not(target_os = "linux"))]
    let _ = HASH_NICE;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn runs_work_on_its_own_threads_and_survives_a_panic() -> anyhow::Result<()> {
        let threads = HashThreads::start(2);
        let name = threads.run(|| Ok(std::thread::current().name().map(str::to_owned))).await?;
        assert!(name.is_some_and(|n| n.starts_with("password-hash-")));
        assert!(threads.run(|| -> anyhow::Result<()> { panic!("a bug") }).await.is_err());
        for _ in 0..4 {
            assert_eq!(threads.run(|| Ok(7)).await?, 7, "both threads still serve");
        }
        Ok(())
    }

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn hashing_runs_below_the_process_priority() -> anyhow::Result<()> {
        let threads = HashThreads::start(1);
        let nice = threads.run(|| Ok(rustix::process::getpriority_process(Some(rustix::thread::gettid()))?)).await?;
        assert_eq!(nice, HASH_NICE);
        assert_ne!(rustix::process::getpriority_process(None)?, HASH_NICE, "the test's own thread is unchanged");
        Ok(())
    }
}
