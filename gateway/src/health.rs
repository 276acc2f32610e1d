use std::time::Duration;

use actix_web::{HttpResponse, web};
use juniper::graphql_object;
use kernel::{ApiError, Context, SuccessResult, with_connection};
use store::Pool;

use crate::AppState;

/// The longest a health check waits for the database.
const PING_TIMEOUT: Duration = Duration::from_secs(2);

/// True when a pooled connection answers `SELECT 1` within two seconds.
async fn database_answers(pool: &Pool) -> anyhow::Result<()> {
    let ping = with_connection(pool, |conn| {
        use diesel::connection::SimpleConnection;
        conn.batch_execute("SELECT 1").map_err(anyhow::Error::from)
    });
    tokio::time::timeout(PING_TIMEOUT, ping)
        .await
        .map_err(|_| anyhow::anyhow!("the database did not answer within {PING_TIMEOUT:?}"))?
}

/// `GET /healthz`: the process is up.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

/// `GET /readyz`: the database answers; load balancers stop sending traffic when it does not.
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    match database_answers(&state.pool).await {
        Ok(()) => HttpResponse::Ok().content_type("text/plain").body("ready"),
        Err(error) => {
            tracing::error!(?error, "readiness check failed");
            HttpResponse::ServiceUnavailable().content_type("text/plain").body("database unavailable")
        }
    }
}

/// The developer-tools mutation that proves the GraphQL path and the database end to end.
#[derive(Debug, Default, Clone, Copy)]
pub struct HealthMutation;

#[graphql_object(context = Context)]
impl HealthMutation {
    /// Checks that the service and its database answer. Needs no session.
    async fn health_check(ctx: &Context) -> Result<Option<SuccessResult>, ApiError> {
        database_answers(&ctx.pool).await?;
        Ok(Some(SuccessResult::new("OK")))
    }
}
