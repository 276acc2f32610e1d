use std::sync::Arc;
use std::time::Duration;

use accounts::AccountsConfig;
use actix_web::body::MessageBody;
use actix_web::cookie::Key;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{Next, from_fn};
use actix_web::{App, Error, web};
use anyhow::Context as _;
use auth::session::{DbSessionStore, RedisSessionStore, SessionStore};
use auth::{AuthConfig, PasswordHasher};
use kernel::admin::AdminContext;
use kernel::{ExposeSecret, FxRates, JobContext, Jobs, PublicUrls, ServiceClock, Services, with_connection};
use mail::EmailOutbox;
use store::Pool;

use crate::metrics::{self, Metrics};
use crate::prepared_operations::PreparedOperations;
use crate::{
    Schema, Settings, graphiql, graphql_http, health, request_id, schema, trade_confirmation_document,
    verification_page, verify_email,
};

/// The largest request body accepted; a GraphQL document is a few KiB.
pub(crate) const BODY_LIMIT: usize = 256 * 1024;

/// What every worker shares: built once at start.
#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub clock: Arc<ServiceClock>,
    pub services: Arc<Services>,
    pub schema: Arc<Schema>,
    /// The documents already validated, kept to run again.
    pub operations: Arc<PreparedOperations>,
    pub auth: AuthConfig,
    pub jobs: Jobs,
    pub sessions: SessionStore,
    pub request_body_timeout: Duration,
    /// `GRAPHIQL`: whether `GET /graphiql` is served.
    pub graphiql: bool,
    pub metrics: Arc<Metrics>,
    cookie_key: Key,
}

impl AppState {
    /// Connects to the database (migrating it) and to Redis when configured, and wires the domains.
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        let url = settings.database_url.clone();
        let size = settings.database_pool_size;
        let pool = kernel::run_blocking(move || store::connect_pool(&url, size)).await?;
        let clock = Arc::new(if settings.manual_clock {
            with_connection(&pool, ServiceClock::manual).await?
        } else {
            ServiceClock::System
        });
        let sessions = match &settings.redis_url {
            Some(url) => {
                SessionStore::Redis(RedisSessionStore::connect(url.expose_secret(), &settings.redis_key_prefix).await?)
            }
            None => SessionStore::Database(DbSessionStore::new(pool.clone(), clock.clone(), settings.auth.clone())),
        };
        let cookie_key = auth::session::cookie_key(&pool).await?;
        let mailer = mail::mailer(&settings.mail, pool.clone(), clock.clone())?;
        // Jobs that queue emails run before the outbox, so one run sends what they queued; webhook deliveries
        // run last, so one run also delivers the events the others recorded.
        let jobs = Jobs::new(vec![
            Arc::new(auth::PasswordResets),
            Arc::new(accounts::IdentityChecks),
            Arc::new(accounts::BankVerifications),
            Arc::new(payments::Settlement),
            Arc::new(EmailOutbox::new(mailer.clone())),
            Arc::new(webhooks::WebhookDeliveries),
        ]);
        let identity_provider = accounts::identity_provider(&settings.accounts)?;
        let financial_provider =
            payments::financial_provider(&settings.accounts, &settings.payments, &settings.fx_rates, &settings.fees);
        let webhook_sender = webhooks::Sender::new(&settings.webhooks)?;
        let webhook_secrets = webhooks::secret_box(&pool, settings.webhook_secrets_key.clone()).await?;
        let hasher = PasswordHasher::new(settings.auth.bcrypt_cost, settings.auth.hash_concurrency);
        let services = Services::default()
            .with::<AuthConfig>(settings.auth.clone())
            .with::<AccountsConfig>(settings.accounts.clone())
            .with(accounts::AccountReads::new(pool.clone()))
            .with::<accounts::TaxIdKey>(accounts::tax_id_key(&pool, settings.tax_id_key.clone()).await?)
            .with::<FxRates>(settings.fx_rates.clone())
            .with::<PublicUrls>(settings.public_urls.clone())
            .with::<Arc<dyn accounts::WaitingForEmail>>(Arc::new(payments::HeldForAddress::new(
                settings.public_urls.clone(),
                settings.payments.payments_to_new_emails,
            )))
            .with::<Arc<dyn accounts::AtSignUp>>(Arc::new(payments::ClaimPickUp::new(
                settings.payments.payments_to_new_emails,
            )))
            .with(hasher)
            .with(mailer.clone())
            .with(identity_provider)
            .with(financial_provider)
            .with::<webhooks::WebhooksConfig>(settings.webhooks.clone())
            .with::<payments::PaymentsConfig>(settings.payments.clone())
            .with::<payments::FeeSchedule>(settings.fees.clone())
            .with::<refunds::RefundsConfig>(settings.refunds)
            .with::<payments::refunds::RefundLimits>(settings.refunds.limits)
            .with(webhook_sender)
            .with(webhook_secrets)
            .with(sessions.clone());
        let schema = Arc::new(schema().context("the GraphQL schema is inconsistent")?);
        Ok(Self {
            pool,
            clock,
            services: Arc::new(services),
            operations: Arc::new(PreparedOperations::new(schema.clone())),
            schema,
            auth: settings.auth.clone(),
            jobs,
            sessions,
            request_body_timeout: settings.request_body_timeout,
            graphiql: settings.graphiql,
            metrics: Arc::new(Metrics::new()?),
            cookie_key,
        })
    }

    pub fn job_context(&self) -> JobContext {
        JobContext { pool: self.pool.clone(), clock: self.clock.clone(), services: self.services.clone() }
    }

    /// What operator commands run with: the same database, clock, services and jobs as the server.
    pub fn admin_context(&self) -> AdminContext {
        AdminContext { jobs: self.jobs.clone(), job_context: self.job_context() }
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
    let sessions = auth::session::middleware(state.sessions.clone(), state.cookie_key.clone(), &state.auth);
    App::new()
        .app_data(web::Data::new(state))
        .service(
            web::resource("/graphql")
                .route(web::post().to(graphql_http::post))
                .route(web::get().to(graphql_http::get))
                .default_service(web::to(graphql_http::method_not_allowed)),
        )
        .route("/graphiql", web::get().to(graphiql::page))
        .route("/graphiql/assets/{file}", web::get().to(graphiql::asset))
        .route("/schema.graphql", web::get().to(graphql_http::sdl))
        .route("/verify-email", web::get().to(verify_email::verify_email))
        .route("/verification", web::get().to(verification_page::verification_page))
        .route(
            "/trade-confirmations/{file}",
            web::get().to(trade_confirmation_document::trade_confirmation_document_page),
        )
        .route("/metrics", web::get().to(metrics::scrape))
        .route("/healthz", web::get().to(health::healthz))
        .route("/readyz", web::get().to(health::readyz))
        .wrap(sessions)
        .wrap(from_fn(finish_session_cookie))
        .wrap(from_fn(metrics::count_requests))
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
