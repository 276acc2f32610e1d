use std::sync::Arc;

use accounts::AccountsConfig;
use actix_web::body::MessageBody;
use actix_web::cookie::Key;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{Next, from_fn};
use actix_web::{App, Error, web};
use auth::session::{DbSessionStore, SessionStore};
use auth::{AuthConfig, VerificationMailer, VerificationNotBuilt};
use kernel::{Clock, FxRates, ManualClock, Services, SystemClock};
use store::Pool;

use crate::{Schema, Settings, graphql_http, health, request_id, schema};

/// The largest request body accepted; a GraphQL document is a few KiB.
const BODY_LIMIT: usize = 256 * 1024;

/// What every worker shares: built once at start.
#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub clock: Arc<dyn Clock>,
    pub services: Arc<Services>,
    pub schema: Arc<Schema>,
    pub auth: AuthConfig,
    session_store: SessionStore,
    cookie_key: Key,
}

impl AppState {
    /// Connects to the database (migrating it) and to Redis when configured, and wires the domains.
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        let clock: Arc<dyn Clock> =
            if settings.manual_clock { Arc::new(ManualClock::default()) } else { Arc::new(SystemClock) };
        Self::build_with_clock(settings, clock).await
    }

    /// As [`AppState::build`], with a given clock (tests move a manual clock themselves).
    pub async fn build_with_clock(settings: &Settings, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let url = settings.database_url.clone();
        let size = settings.database_pool_size;
        let pool = kernel::run_blocking(move || store::connect_pool(&url, size)).await?;
        let session_store = match &settings.redis_url {
            Some(url) => SessionStore::redis(url, &settings.redis_key_prefix).await?,
            None => SessionStore::Database(DbSessionStore::new(pool.clone(), clock.clone(), settings.auth.clone())),
        };
        let cookie_key = auth::session::cookie_key(&pool).await?;
        let mailer: Arc<dyn VerificationMailer> = Arc::new(VerificationNotBuilt);
        let services = Services::default()
            .with::<AuthConfig>(settings.auth.clone())
            .with::<AccountsConfig>(settings.accounts.clone())
            .with::<FxRates>(settings.fx_rates.clone())
            .with(mailer);
        Ok(Self {
            pool,
            clock,
            services: Arc::new(services),
            schema: Arc::new(schema()),
            auth: settings.auth.clone(),
            session_store,
            cookie_key,
        })
    }
}

/// The application: every endpoint and middleware, for `HttpServer` and for tests alike.
pub fn app(
    state: AppState,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = Error,
        InitError = (),
    >,
> {
    let sessions = auth::session::middleware(state.session_store.clone(), state.cookie_key.clone(), &state.auth);
    App::new()
        .app_data(web::Data::new(state))
        .app_data(web::PayloadConfig::new(BODY_LIMIT))
        .service(
            web::resource("/graphql")
                .route(web::post().to(graphql_http::post))
                .route(web::get().to(graphql_http::get))
                .default_service(web::to(graphql_http::method_not_allowed)),
        )
        .route("/graphiql", web::get().to(graphql_http::graphiql))
        .route("/schema.graphql", web::get().to(graphql_http::sdl))
        .route("/healthz", web::get().to(health::healthz))
        .route("/readyz", web::get().to(health::readyz))
        .wrap(sessions)
        .wrap(from_fn(finish_session_cookie))
        .wrap(from_fn(request_id::request_id))
}

/// Runs after the session middleware has written its cookie, to complete it (extended sessions, logout).
async fn finish_session_cookie(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let secure = req.app_data::<web::Data<AppState>>().is_some_and(|state| state.auth.cookie_secure);
    let mut response = next.call(req).await?;
    auth::session::finish_cookie(response.response_mut(), secure);
    Ok(response)
}
