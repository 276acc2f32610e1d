//! Where the server's log goes and in which shape: stderr, filtered by `RUST_LOG`, as text (coloured only on
//! a terminal, so that a file or a log collector gets no escape codes) or as JSON lines (`LOG_FORMAT=json`).
//!
//! Lines are written by a thread of their own, which writes all those waiting at once and flushes as soon as
//! none waits: a write to stderr per request cost the account benchmark about a fifth of its throughput. The
//! queue is not lossy (when lines pile up, requests wait for the writer); only a process killed with SIGKILL
//! can lose the lines of its last instant.

use std::io::{BufWriter, IsTerminal as _};

use anyhow::bail;
use tracing_appender::non_blocking::{NonBlockingBuilder, WorkerGuard};
use tracing_subscriber::EnvFilter;

/// How many lines may wait for the writer before a request waits instead; the queue is allocated whole at
/// start, and the library's default (128,000) would hold several MiB of idle memory.
const WAITING_LINES: usize = 4096;

/// `LOG_FORMAT`: how each log line is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    #[default]
    Text,
    /// One JSON object per line, the event's fields at its top level.
    Json,
}

impl LogFormat {
    /// Reads the setting's value; unset or empty is text.
    pub fn parse(value: Option<&str>) -> anyhow::Result<Self> {
        match value.map(str::trim).filter(|v| !v.is_empty()) {
            None | Some("text") => Ok(Self::Text),
            Some("json") => Ok(Self::Json),
            Some(other) => bail!("LOG_FORMAT must be `text` or `json`, not {other:?}"),
        }
    }
}

/// Installs the process's log subscriber; once, before anything logs. The lines still waiting are written
/// when the answered guard is dropped, so it lives until the process is about to exit.
#[must_use = "dropping the guard stops the log writer"]
pub fn init(format: LogFormat) -> WorkerGuard {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let (writer, guard) = NonBlockingBuilder::default()
        .lossy(false)
        .buffered_lines_limit(WAITING_LINES)
        .thread_name("log-writer")
        .finish(BufWriter::new(std::io::stderr()));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(writer);
    match format {
        LogFormat::Text => builder.with_ansi(std::io::stderr().is_terminal()).init(),
        LogFormat::Json => builder.json().flatten_event(true).with_ansi(false).init(),
    }
    guard
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_two_formats_and_refuses_others() -> anyhow::Result<()> {
        assert_eq!(LogFormat::parse(None)?, LogFormat::Text);
        assert_eq!(LogFormat::parse(Some(" "))?, LogFormat::Text);
        assert_eq!(LogFormat::parse(Some("text"))?, LogFormat::Text);
        assert_eq!(LogFormat::parse(Some("json"))?, LogFormat::Json);
        assert!(LogFormat::parse(Some("JSON lines")).is_err());
        Ok(())
    }
}
