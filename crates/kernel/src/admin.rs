//! Operator commands (`borderless admin <command>`, providers.md section 9): each reads the service's
//! configuration, calls the same service functions the API uses, and answers one JSON value. The gateway lists
//! them and builds the command line from what each declares.

use anyhow::Context as _;
use chrono::TimeDelta;
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use serde_json::{Value, json};

use crate::{DateTime, JobContext, Jobs, with_connection};

/// What an operator command works with: the service's own database, clock, services and jobs.
#[derive(Clone)]
pub struct AdminContext {
    pub jobs: Jobs,
    pub job_context: JobContext,
}

/// One positional argument of a command.
pub struct Argument {
    pub name: &'static str,
    pub required: bool,
    pub help: &'static str,
}

pub trait AdminCommand: Send + Sync + 'static {
    /// The words after `borderless admin`, e.g. `["clock", "advance"]`.
    fn words(&self) -> &'static [&'static str];
    fn about(&self) -> &'static str;
    fn arguments(&self) -> &'static [Argument] {
        &[]
    }
    /// Runs with the arguments as given (absent optional ones are left out). A refusal is an error whose text
    /// the operator reads.
    fn run<'a>(&'a self, ctx: &'a AdminContext, args: &'a [String]) -> BoxFuture<'a, anyhow::Result<Value>>;
}

/// `clock advance <seconds>`: moves a manual clock forward, then runs every job that is due.
pub struct ClockAdvance;

impl AdminCommand for ClockAdvance {
    fn words(&self) -> &'static [&'static str] {
        &["clock", "advance"]
    }

    fn about(&self) -> &'static str {
        "Moves the manual clock (CLOCK=manual) forward, then runs every job that is due"
    }

    fn arguments(&self) -> &'static [Argument] {
        &[Argument { name: "seconds", required: true, help: "whole seconds to move forward" }]
    }

    fn run<'a>(&'a self, ctx: &'a AdminContext, args: &'a [String]) -> BoxFuture<'a, anyhow::Result<Value>> {
        async move {
            let text = args.first().map(String::as_str).unwrap_or_default();
            let seconds: u32 = text.parse().with_context(|| format!("{text:?} is not a whole number of seconds"))?;
            let now = advance_clock(ctx, TimeDelta::seconds(i64::from(seconds))).await?;
            Ok(json!({ "now": DateTime(now).render() }))
        }
        .boxed()
    }
}

/// Moves the manual clock, then runs every job so that what became due is done before the command answers.
async fn advance_clock(ctx: &AdminContext, by: TimeDelta) -> anyhow::Result<chrono::DateTime<chrono::Utc>> {
    let clock = std::sync::Arc::clone(&ctx.job_context.clock);
    let now = with_connection(&ctx.job_context.pool, move |conn| clock.advance(conn, by)).await?;
    ctx.jobs.run_all(&ctx.job_context).await?;
    Ok(now)
}

/// `run-jobs`: runs every job once now.
pub struct RunJobs;

impl AdminCommand for RunJobs {
    fn words(&self) -> &'static [&'static str] {
        &["run-jobs"]
    }

    fn about(&self) -> &'static str {
        "Runs every background job once now and prints how many items each moved"
    }

    fn run<'a>(&'a self, ctx: &'a AdminContext, _args: &'a [String]) -> BoxFuture<'a, anyhow::Result<Value>> {
        async move {
            let moved = ctx.jobs.run_all(&ctx.job_context).await?;
            Ok(Value::Object(moved.into_iter().map(|(name, count)| (name.to_owned(), json!(count))).collect()))
        }
        .boxed()
    }
}
