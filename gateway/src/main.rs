use actix_web::HttpServer;
use gateway::{AppState, Settings, app};
use tracing_subscriber::EnvFilter;

fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    match actix_web::rt::System::new().block_on(serve()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            // One line, no backtrace: the operator needs the cause, not our stack.
            let message = format!("{error:#}").split_whitespace().collect::<Vec<_>>().join(" ");
            eprintln!("borderless: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn serve() -> anyhow::Result<()> {
    let settings = Settings::from_env()?;
    let state = AppState::build(&settings).await?;
    let server = HttpServer::new(move || app(state.clone())).bind(&settings.bind_addr)?;
    let sessions = if settings.redis_url.is_some() { ", sessions: redis" } else { "" };
    println!("borderless listening on http://{} ({}{sessions})", settings.bind_addr, settings.database_url.redacted());
    server.run().await?;
    Ok(())
}
