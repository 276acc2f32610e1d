use actix_web::HttpServer;
use anyhow::Context as _;
use clap::{ArgMatches, Command};
use gateway::{AppState, Settings, admin, app, logging};

// glibc's allocator took a sixth of the time of an authenticated read in the account benchmark, much of it in
// contention between the request workers and the database threads (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let matches = command_line().get_matches();
    // The log is set up before the other settings are read, so that what reading them logs is kept.
    let log_writer = match Settings::log_format_from_env() {
        Ok(format) => logging::init(format),
        Err(error) => {
            eprintln!("borderless: {error:#}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let outcome = actix_web::rt::System::new().block_on(async {
        match matches.subcommand() {
            Some(("admin", admin)) => run_admin(admin).await,
            _ => serve().await,
        }
    });
    // What was logged comes before the closing line below.
    drop(log_writer);
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            // One line, no backtrace: the operator needs the cause, not our stack.
            let message = format!("{error:#}").split_whitespace().collect::<Vec<_>>().join(" ");
            eprintln!("borderless: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn command_line() -> Command {
    Command::new("borderless")
        .about("The borderless payments server. Without a command it serves the API; configuration comes from the environment (README.md).")
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand(admin::command_line())
}

async fn serve() -> anyhow::Result<()> {
    let settings = Settings::from_env()?;
    let state = AppState::build(&settings).await?;
    if settings.accounts.signup_secrets.is_empty() {
        tracing::info!("SIGNUP_SECRETS is empty: business sign-up is off");
    }
    let jobs = state.jobs.spawn(state.job_context(), settings.job_tick);
    let for_workers = state.clone();
    let server = HttpServer::new(move || app(for_workers.clone()))
        .bind(&settings.bind_addr)
        .with_context(|| format!("cannot listen on BIND_ADDR {}", settings.bind_addr))?;
    let sessions = if settings.redis_url.is_some() { ", sessions: redis" } else { "" };
    // The bound address, not the configured one: with port 0 the system picks it.
    let listening = server.addrs().first().map_or_else(|| settings.bind_addr.clone(), ToString::to_string);
    println!("borderless listening on http://{listening} ({}{sessions})", settings.database_url.redacted());
    server.run().await?;
    jobs.abort();
    Ok(())
}

/// Runs one operator command and prints its result as one line of JSON.
async fn run_admin(matches: &ArgMatches) -> anyhow::Result<()> {
    let settings = Settings::from_env()?;
    let state = AppState::build(&settings).await?;
    let result = admin::run(&state.admin_context(), matches).await?;
    println!("{result}");
    Ok(())
}
